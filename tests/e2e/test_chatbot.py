"""The chatbot as a user meets it after `make deploy`: through HAProxy, the local ALB."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import boto3
import pytest


def call(platform, method, path, body=None, token=None, headers=None):
    """One HTTP request through HAProxy, as the holder of ``token`` (an anonymous credential) if given."""
    data = json.dumps(body).encode() if body is not None else None
    credential = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(
        f"http://127.0.0.1:{platform.http_port}{path}", data=data, method=method,
        headers={"Content-Type": "application/json", **credential, **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def new_person(platform) -> str:
    """A credential of its own, as a new visitor gets one: its own history and rate-limit counter."""
    status, _, issued = call(platform, "POST", "/v1/session")
    assert status in (200, 201), issued
    return issued["token"]


def sessions_table(platform):
    dynamodb = boto3.resource(
        "dynamodb", endpoint_url=platform.endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    return dynamodb.Table("faith-chatbot-local-ConversationSessions")


def test_a_chat_returns_verses_and_is_stored_and_in_history(deployed, platform):
    person = new_person(platform)
    status, _, reply = call(platform, "POST", "/v1/chat", {"message": "I am so worried about my exams tomorrow"}, token=person)
    assert status == 200, reply
    assert reply["theme"] == "anxiety"
    assert reply["verses"] and all(verse["reference"] and verse["text"] for verse in reply["verses"])

    stored = sessions_table(platform).query(
        KeyConditionExpression=boto3.dynamodb.conditions.Key("session_id").eq(reply["session_id"])
    )["Items"]
    assert stored, "the conversation is not in ConversationSessions"

    status, _, history = call(platform, "GET", f"/v1/chat/history?session_id={reply['session_id']}", token=person)
    assert status == 200
    assert json.dumps(history).count("worried about my exams") == 1


def test_a_self_harm_message_gets_crisis_resources(deployed, platform):
    status, _, reply = call(platform, "POST", "/v1/chat", {"message": "I want to end my life"}, token=new_person(platform))
    assert status == 200
    assert reply["crisis"] is True
    assert any("988" in json.dumps(resource) for resource in reply["resources"])


@pytest.mark.parametrize("body", [{"message": ""}, {"message": "x" * 5000}, {"text": "no message field"}, {"message": 42}])
def test_bad_messages_get_422_and_nothing_is_stored(deployed, platform, body):
    table = sessions_table(platform)
    before = table.scan(Select="COUNT")["Count"]
    status, _, error = call(platform, "POST", "/v1/chat", body, token=new_person(platform))
    assert status == 422
    assert error["detail"]
    assert table.scan(Select="COUNT")["Count"] == before


def test_twenty_fast_requests_from_one_client_are_rate_limited(deployed, platform):
    person = new_person(platform)
    statuses = [call(platform, "POST", "/v1/chat", {"message": "thank you"}, token=person) for _ in range(20)]
    refused = [headers for status, headers, _ in statuses if status == 429]
    assert refused, [status for status, _, _ in statuses]
    assert all(int(headers["Retry-After"]) > 0 for headers in refused)


def test_ready_follows_redis_while_health_stays_up(deployed, platform):
    platform.platformctl("program", "stop", "redis")
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and call(platform, "GET", "/ready")[0] != 503:
            time.sleep(0.2)
        status, _, body = call(platform, "GET", "/ready")
        assert status == 503
        assert "redis" in json.dumps(body).lower()
        assert call(platform, "GET", "/health")[0] == 200
    finally:
        platform.platformctl("program", "start", "redis")
    # Back once the app's next Redis connection succeeds and HAProxy's check has passed.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and call(platform, "GET", "/ready")[0] != 200:
        time.sleep(0.2)
    assert call(platform, "GET", "/ready")[0] == 200

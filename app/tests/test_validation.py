"""Bad input gets 422 with a clear error, and nothing is stored."""

from __future__ import annotations

import pytest

VALID_SESSION = "3f2b6a52-8f0e-4a55-9a57-1f3b2c6d7e8f"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"message": ""}, "body.message", "at least 1 character"),
        ({"message": "   \n\t "}, "body.message", "something besides spaces"),
        ({"message": "x" * 2001}, "body.message", "at most 2000 characters"),
        ({"message": 42}, "body.message", "valid string"),
        ({}, "body.message", "Field required"),
        ({"message": "hello", "mood": "sad"}, "body.mood", "Extra inputs"),
        ({"message": "hello", "session_id": "abc"}, "body.session_id", "UUID"),
        ([{"message": "hello"}], "body", "valid dictionary"),
    ],
)
def test_bad_chat_bodies_get_422_and_store_nothing(
    client, settings, count_items, credential, body, field, words
):
    response = client.post("/v1/chat", json=body, headers=credential())

    assert response.status_code == 422
    payload = response.json()
    assert payload["error"] == "validation_error"
    assert any(e["field"] == field and words in e["message"] for e in payload["detail"])
    # The oversized message is not echoed back.
    assert "x" * 100 not in response.text
    assert count_items(settings.conversation_sessions_table) == 0
    assert count_items(settings.user_profiles_table) == 0


def test_malformed_json_gets_400_naming_the_problem(client, settings, count_items):
    response = client.post(
        "/v1/chat",
        content=b'{"message": "unterminated',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "malformed_body",
        "detail": "the body is not valid JSON: Unterminated string starting at (line 1, column 13)",
    }
    assert count_items(settings.conversation_sessions_table) == 0


def test_invalid_utf8_gets_400_in_the_app_error_format(client, settings, count_items):
    response = client.post(
        "/v1/chat",
        content=b'{"message": "caf\xe9"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "malformed_body",
        "detail": "the body is not valid UTF-8 (byte 16 cannot be decoded)",
    }
    assert count_items(settings.conversation_sessions_table) == 0


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/v1/chat", "text/plain", b'{"message": "hello"}'),
        ("/v1/chat", "application/x-www-form-urlencoded", b"message=hello"),
        ("/v1/consent", "multipart/form-data; boundary=x", b"--x--"),
        ("/v1/prayer-requests", None, b'{"request": "pray"}'),
    ],
)
def test_wrong_content_type_gets_415_naming_the_expected_type(
    client, settings, count_items, credential, path, content_type, body
):
    headers = credential()
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 415
    media_type = content_type.split(";")[0] if content_type else "missing"
    assert response.json() == {
        "error": "unsupported_media_type",
        "detail": f"Content-Type must be application/json, not {media_type}",
    }
    # The security headers are on errors too.
    assert response.headers["x-content-type-options"] == "nosniff"
    for table in settings.table_names.values():
        assert count_items(table) == 0


def test_exactly_2000_characters_is_accepted(client, settings, count_items):
    response = client.post("/v1/chat", json={"message": "a" * 2000})
    assert response.status_code == 200
    assert count_items(settings.conversation_sessions_table) == 1


def test_huge_body_is_refused_before_parsing(client, settings, count_items):
    response = client.post("/v1/chat", json={"message": "y" * 100_000})
    assert response.status_code == 413
    assert count_items(settings.conversation_sessions_table) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"request": ""},
        {"request": "z" * 2001},
        {"request": "pray for me", "display_name": "n" * 81},
        {"request": "pray for me", "urgent": True},
    ],
)
def test_bad_prayer_requests_get_422_store_nothing_and_queue_nothing(
    client, settings, count_items, sqs, body
):
    response = client.post("/v1/prayer-requests", json=body)

    assert response.status_code == 422
    assert response.json()["error"] == "validation_error"
    assert count_items(settings.prayer_requests_table) == 0
    queue_url = sqs.get_queue_url(QueueName=settings.prayer_queue_name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"


@pytest.mark.parametrize(
    "body",
    [
        {"purpose": "marketing", "granted": True},
        {"purpose": "store_conversations", "granted": "perhaps"},
        # Consent is a strict boolean: nothing that merely converts to true grants it.
        {"purpose": "store_conversations", "granted": "yes"},
        {"purpose": "store_conversations", "granted": "true"},
        {"purpose": "store_conversations", "granted": 1},
        {"purpose": "store_conversations", "granted": True, "email": "a@b.org"},
        {"purpose": "contact_by_email", "granted": True, "email": "not-an-address"},
    ],
)
def test_bad_consent_gets_422_and_logs_nothing(client, settings, count_items, credential, body):
    response = client.post("/v1/consent", json=body, headers=credential())
    assert response.status_code == 422
    assert count_items(settings.consent_logs_table) == 0
    assert count_items(settings.user_profiles_table) == 0


def test_identity_headers_are_ignored(client, settings, count_items, credential):
    forged = {"X-User-Id": "alice", "X-Forwarded-User": "alice", "X-Amzn-Oidc-Identity": "alice"}
    # Alone, they are no credential at all.
    assert client.get("/v1/me/data", headers=forged).status_code == 401
    # Beside a real credential, they change nothing about who the caller is.
    mine = credential()
    me = client.get("/v1/me/data", headers=mine).json()["user_id"]
    assert client.get("/v1/me/data", headers={**mine, **forged}).json()["user_id"] == me
    assert me.startswith("anon:") and "alice" not in me

"""POST /v1/chat and GET /v1/chat/history against real Redis and the DynamoDB emulator."""

from __future__ import annotations

import uuid

import pytest

from faith_motivator.models.common import Theme
from faith_motivator.services.crisis import CRISIS_REPLY
from faith_motivator.services.responders.base import Reply


def test_chat_replies_with_theme_verses_and_a_new_session(client, settings, dynamodb):
    response = client.post("/v1/chat", json={"message": "I'm terrified about my surgery on Friday"})

    assert response.status_code == 200
    body = response.json()
    assert body["theme"] == "fear"
    assert body["responder"] == "local"
    assert body["crisis"] is False and body["resources"] == []
    assert body["stored"] is True
    session_id = uuid.UUID(body["session_id"])
    catalogue = client.app.state.catalogue
    fear_verses = {(v.reference, v.text) for v in catalogue.verses(Theme.FEAR)}
    assert len(body["verses"]) == 2
    for verse in body["verses"]:
        assert (verse["reference"], verse["text"]) in fear_verses
        assert verse["translation"] == "WEB"
    assert body["reply"].endswith("Here are some verses to hold on to:")

    items = dynamodb.query(
        TableName=settings.conversation_sessions_table,
        KeyConditionExpression="session_id = :s",
        ExpressionAttributeValues={":s": {"S": str(session_id)}},
    )["Items"]
    assert len(items) == 1
    assert items[0]["message"]["S"] == "I'm terrified about my surgery on Friday"
    assert items[0]["theme"]["S"] == "fear"
    assert int(items[0]["expires_at"]["N"]) > 0


def test_local_responder_is_deterministic(client):
    message = {"message": "I've been so lonely since I moved here"}
    first = client.post("/v1/chat", json=message).json()
    second = client.post("/v1/chat", json=message).json()
    assert first["theme"] == second["theme"] == "loneliness"
    assert first["reply"] == second["reply"]
    assert first["verses"] == second["verses"]
    assert first["session_id"] != second["session_id"]


def test_history_returns_the_conversation_oldest_first(client):
    first = client.post("/v1/chat", json={"message": "My dad passed away last week"}).json()
    session_id = first["session_id"]
    client.post(
        "/v1/chat", json={"message": "Thank you, that helped a lot", "session_id": session_id}
    )

    response = client.get("/v1/chat/history", params={"session_id": session_id})

    assert response.status_code == 200
    history = response.json()
    assert history["session_id"] == session_id
    assert [e["message"] for e in history["exchanges"]] == [
        "My dad passed away last week",
        "Thank you, that helped a lot",
    ]
    assert [e["theme"] for e in history["exchanges"]] == ["grief", "gratitude"]
    assert history["exchanges"][0]["reply"] == first["reply"]
    assert history["exchanges"][0]["verses"] == first["verses"]


def test_history_of_someone_elses_session_is_not_found(client, credential):
    alice, mallory = credential(), credential()
    session_id = client.post(
        "/v1/chat", json={"message": "I feel guilty"}, headers=alice
    ).json()["session_id"]

    own = client.get("/v1/chat/history", params={"session_id": session_id}, headers=alice)
    other = client.get("/v1/chat/history", params={"session_id": session_id}, headers=mallory)
    anonymous = client.get("/v1/chat/history", params={"session_id": session_id})

    assert own.status_code == 200 and len(own.json()["exchanges"]) == 1
    assert other.status_code == 404
    assert anonymous.status_code == 401


def test_history_of_unknown_or_malformed_session(client, credential):
    alice = credential()
    unknown = client.get(
        "/v1/chat/history", params={"session_id": str(uuid.uuid4())}, headers=alice
    )
    assert unknown.status_code == 404
    malformed = client.get(
        "/v1/chat/history", params={"session_id": "not-a-uuid"}, headers=alice
    )
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["field"] == "query.session_id"


class CountingResponder:
    """Stands in for the configured responder to prove whether it was consulted."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    async def respond(self, message: str, theme: Theme) -> Reply:
        self.calls += 1
        return Reply("counted", [], "local")


@pytest.mark.parametrize(
    "message",
    [
        "I want to kill myself",
        "I've been thinking about suicide a lot",
        "Everyone would be better off without me",
        "I don't want to live anymore",
        "I keep cutting myself when it gets bad",
        "I'm planning to end my life tonight",
        "there is no reason to go on living, I want to die",
    ],
)
def test_crisis_messages_get_fixed_resources_and_never_reach_the_responder(
    client, metric_value, message
):
    responder = CountingResponder()
    client.app.state.resources.chat.responder = responder

    response = client.post("/v1/chat", json={"message": message})

    assert response.status_code == 200
    body = response.json()
    assert body["crisis"] is True
    assert body["responder"] == "crisis"
    assert body["theme"] == "crisis"
    assert body["reply"] == CRISIS_REPLY
    assert "988" in body["reply"]
    assert any("988" in r["name"] or "988" in r["contact"] for r in body["resources"])
    assert [v["reference"] for v in body["verses"]] == ["Psalm 34:18"]
    assert responder.calls == 0
    assert metric_value("faith_crisis_responses_total") == 1.0

    # The same hook does see ordinary messages, so the zero above means something.
    client.post("/v1/chat", json={"message": "I'm worried about work"})
    assert responder.calls == 1


def test_crisis_reply_is_given_even_when_storage_fails(client_for, settings):
    broken = settings.model_copy(update={"conversation_sessions_table": "missing-table"})
    with client_for(broken) as client:
        response = client.post("/v1/chat", json={"message": "I want to end my life"})
    assert response.status_code == 200
    body = response.json()
    assert body["crisis"] is True and body["stored"] is False
    assert "988" in body["reply"]

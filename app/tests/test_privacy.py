"""Consent, export and erasure."""

from __future__ import annotations

import hashlib

import pytest
import redis as redis_lib


@pytest.fixture
def alice(credential):
    return credential()


def test_data_rights_endpoints_require_a_credential(client):
    for method, path in (("GET", "/v1/me/data"), ("DELETE", "/v1/me/data")):
        response = client.request(method, path)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
        assert "credential is required" in response.json()["detail"]
        assert response.headers["www-authenticate"].startswith("Bearer")
    response = client.post("/v1/consent", json={"purpose": "store_conversations", "granted": True})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer fs1.AAAAAAAAAAAAAAAAAAAAAA.99999999999.forged-signature",
        "Bearer not-a-token",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.",
        "Basic YWxpY2U6c2VjcmV0",
    ],
)
def test_forged_or_foreign_credentials_get_401(client, authorization):
    response = client.get("/v1/me/data", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_an_expired_or_tampered_session_credential_is_refused(client, alice):
    token = alice["Authorization"].removeprefix("Bearer ")
    prefix, session, expiry, signature = token.split(".")
    # A later expiry under the same signature: the signature no longer matches.
    extended = f"{prefix}.{session}.{int(expiry) + 3600}.{signature}"
    assert client.get("/v1/me/data", headers={"Authorization": f"Bearer {extended}"}
                      ).status_code == 401
    assert client.get("/v1/me/data", headers=alice).status_code == 200


def _consent_key_suffix(client, headers):
    return hashlib.sha256(_user_id(client, headers).encode()).hexdigest()[:32]


def _user_id(client, headers):
    return client.get("/v1/me/data", headers=headers).json()["user_id"]


def test_consent_is_logged_and_the_email_kept_only_with_contact_consent(
    client, settings, dynamodb, alice
):
    alice_id = _user_id(client, alice)
    granted = client.post(
        "/v1/consent",
        json={"purpose": "contact_by_email", "granted": True, "email": "Alice@Example.org"},
        headers=alice,
    )
    assert granted.status_code == 201
    assert granted.json()["action"] == "grant"

    by_email = dynamodb.query(
        TableName=settings.user_profiles_table,
        IndexName="EmailIndex",
        KeyConditionExpression="email = :e",
        ExpressionAttributeValues={":e": {"S": "alice@example.org"}},
    )["Items"]
    assert [item["user_id"]["S"] for item in by_email] == [alice_id]

    withdrawn = client.post(
        "/v1/consent", json={"purpose": "contact_by_email", "granted": False}, headers=alice
    )
    assert withdrawn.status_code == 201
    profile = dynamodb.get_item(
        TableName=settings.user_profiles_table, Key={"user_id": {"S": alice_id}}
    )["Item"]
    assert "email" not in profile
    assert profile["consent_contact_by_email"] == {"BOOL": False}

    log = dynamodb.query(
        TableName=settings.consent_logs_table,
        KeyConditionExpression="user_id = :u",
        ExpressionAttributeValues={":u": {"S": alice_id}},
    )["Items"]
    assert [(e["action"]["S"], e["purpose"]["S"]) for e in log] == [
        ("grant", "contact_by_email"),
        ("withdraw", "contact_by_email"),
    ]
    # The log records choices, never the address.
    assert all("email" not in entry for entry in log)


def test_export_then_erase_everything(client, settings, dynamodb, count_items, alice, credential):
    alice_id = _user_id(client, alice)
    bob = credential()
    client.post("/v1/consent", json={"purpose": "store_conversations", "granted": True},
                headers=alice)
    chat = client.post("/v1/chat", json={"message": "I feel so alone"}, headers=alice).json()
    client.post("/v1/chat", json={"message": "Still lonely", "session_id": chat["session_id"]},
                headers=alice)
    prayer = client.post(
        "/v1/prayer-requests", json={"request": "Please pray for my sister"}, headers=alice
    ).json()
    # Someone else's data must survive alice's erasure.
    client.post("/v1/chat", json={"message": "I'm grateful today"}, headers=bob)

    export = client.get("/v1/me/data", headers=alice)
    assert export.status_code == 200
    data = export.json()
    assert data["user_id"] == alice_id
    assert data["profile"]["consents"] == {"store_conversations": True}
    assert [c["session_id"] for c in data["conversations"]] == [chat["session_id"]]
    assert [e["message"] for e in data["conversations"][0]["exchanges"]] == [
        "I feel so alone",
        "Still lonely",
    ]
    assert [p["request"] for p in data["prayer_requests"]] == ["Please pray for my sister"]
    assert data["prayer_requests"][0]["request_id"] == prayer["request_id"]
    assert [c["purpose"] for c in data["consents"]] == ["store_conversations"]

    erased = client.delete("/v1/me/data", headers=alice)
    assert erased.status_code == 200
    summary = erased.json()
    assert (summary["conversations"], summary["exchanges"], summary["prayer_requests"]) == (1, 2, 1)
    assert summary["profile"] is True
    assert summary["consent_log_entries"] == 1

    assert count_items(settings.prayer_requests_table) == 0
    assert count_items(settings.conversation_sessions_table) == 1  # bob's
    assert count_items(settings.consent_logs_table) == 0
    assert "Item" not in dynamodb.get_item(
        TableName=settings.user_profiles_table, Key={"user_id": {"S": alice_id}}
    )
    after = client.get("/v1/me/data", headers=alice).json()
    assert after["profile"] is None
    assert after["conversations"] == [] and after["prayer_requests"] == []
    assert after["consents"] == []
    # Nor is anything of hers left in the cache: her consent answer was forgotten, while Bob's,
    # cached by his chat, is still there.
    cache = redis_lib.Redis.from_url(settings.redis_url)
    try:
        keys = {key.decode() for key in cache.scan_iter(match="*consent:*")}
        assert keys == {f"{settings.redis_key_prefix}consent:{_consent_key_suffix(client, bob)}"}
        assert not any(alice_id.encode() in key for key in cache.scan_iter())
        # The owner of her conversation, cached when it was continued, is forgotten too.
        assert list(cache.scan_iter(match=f"*session-owner:{chat['session_id']}")) == []
    finally:
        cache.close()
    # Bob's data is untouched.
    assert len(client.get("/v1/me/data", headers=bob).json()["conversations"]) == 1
    history = client.get("/v1/chat/history", params={"session_id": chat["session_id"]},
                         headers=alice)
    assert history.status_code == 404


def test_erasing_a_new_credential_changes_nothing(client, settings, count_items, alice):
    response = client.delete("/v1/me/data", headers=alice)
    assert response.status_code == 200
    body = response.json()
    assert (body["conversations"], body["exchanges"], body["prayer_requests"]) == (0, 0, 0)
    assert body["profile"] is False
    for table in settings.table_names.values():
        assert count_items(table) == 0


def test_another_credential_can_neither_read_write_nor_erase(
    client, settings, count_items, alice, credential
):
    mallory = credential()
    chat = client.post("/v1/chat", json={"message": "I feel so alone"}, headers=alice).json()
    session_id = chat["session_id"]

    # Writing into alice's conversation with her session id: refused, nothing stored.
    intrusion = client.post(
        "/v1/chat", json={"message": "hijack", "session_id": session_id}, headers=mallory
    )
    assert intrusion.status_code == 404
    assert count_items(settings.conversation_sessions_table) == 1
    # Reading it.
    assert client.get("/v1/chat/history", params={"session_id": session_id},
                      headers=mallory).status_code == 404
    # Erasing "their own" data leaves alice's alone; their export holds nothing of hers.
    assert client.delete("/v1/me/data", headers=mallory).status_code == 200
    assert client.get("/v1/me/data", headers=mallory).json()["conversations"] == []
    history = client.get("/v1/chat/history", params={"session_id": session_id}, headers=alice)
    assert [e["message"] for e in history.json()["exchanges"]] == ["I feel so alone"]


def test_withdrawn_consent_means_nothing_more_is_stored(client, settings, count_items, alice):
    first = client.post("/v1/chat", json={"message": "I am anxious"}, headers=alice).json()
    assert first["stored"] is True
    withdrawn = client.post(
        "/v1/consent", json={"purpose": "store_conversations", "granted": False}, headers=alice
    )
    assert withdrawn.status_code == 201
    second = client.post(
        "/v1/chat",
        json={"message": "Still anxious", "session_id": first["session_id"]},
        headers=alice,
    )
    assert second.status_code == 200 and second.json()["stored"] is False
    third = client.post("/v1/chat", json={"message": "New worry"}, headers=alice).json()
    assert third["stored"] is False
    assert count_items(settings.conversation_sessions_table) == 1
    export = client.get("/v1/me/data", headers=alice).json()
    assert [e["message"] for c in export["conversations"] for e in c["exchanges"]] == [
        "I am anxious"
    ]

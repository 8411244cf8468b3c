"""Consent, export and erasure."""

from __future__ import annotations

ALICE = {"X-User-Id": "alice-42"}


def test_data_rights_endpoints_require_the_user_header(client):
    for method, path in (("GET", "/v1/me/data"), ("DELETE", "/v1/me/data")):
        response = client.request(method, path)
        assert response.status_code == 401
        assert "X-User-Id" in response.json()["detail"]
    response = client.post("/v1/consent", json={"purpose": "store_conversations", "granted": True})
    assert response.status_code == 401


def test_consent_is_logged_and_the_email_kept_only_with_contact_consent(
    client, settings, dynamodb
):
    granted = client.post(
        "/v1/consent",
        json={"purpose": "contact_by_email", "granted": True, "email": "Alice@Example.org"},
        headers=ALICE,
    )
    assert granted.status_code == 201
    assert granted.json()["action"] == "grant"

    by_email = dynamodb.query(
        TableName=settings.user_profiles_table,
        IndexName="EmailIndex",
        KeyConditionExpression="email = :e",
        ExpressionAttributeValues={":e": {"S": "alice@example.org"}},
    )["Items"]
    assert [item["user_id"]["S"] for item in by_email] == ["alice-42"]

    withdrawn = client.post(
        "/v1/consent", json={"purpose": "contact_by_email", "granted": False}, headers=ALICE
    )
    assert withdrawn.status_code == 201
    profile = dynamodb.get_item(
        TableName=settings.user_profiles_table, Key={"user_id": {"S": "alice-42"}}
    )["Item"]
    assert "email" not in profile
    assert profile["consent_contact_by_email"] == {"BOOL": False}

    log = dynamodb.query(
        TableName=settings.consent_logs_table,
        KeyConditionExpression="user_id = :u",
        ExpressionAttributeValues={":u": {"S": "alice-42"}},
    )["Items"]
    assert [(e["action"]["S"], e["purpose"]["S"]) for e in log] == [
        ("grant", "contact_by_email"),
        ("withdraw", "contact_by_email"),
    ]
    # The log records choices, never the address.
    assert all("email" not in entry for entry in log)


def test_export_then_erase_everything(client, settings, dynamodb, count_items):
    client.post("/v1/consent", json={"purpose": "store_conversations", "granted": True},
                headers=ALICE)
    chat = client.post("/v1/chat", json={"message": "I feel so alone"}, headers=ALICE).json()
    client.post("/v1/chat", json={"message": "Still lonely", "session_id": chat["session_id"]},
                headers=ALICE)
    prayer = client.post(
        "/v1/prayer-requests", json={"request": "Please pray for my sister"}, headers=ALICE
    ).json()
    # Someone else's data must survive alice's erasure.
    client.post("/v1/chat", json={"message": "I'm grateful today"}, headers={"X-User-Id": "bob"})

    export = client.get("/v1/me/data", headers=ALICE)
    assert export.status_code == 200
    data = export.json()
    assert data["user_id"] == "alice-42"
    assert data["profile"]["consents"] == {"store_conversations": True}
    assert [c["session_id"] for c in data["conversations"]] == [chat["session_id"]]
    assert [e["message"] for e in data["conversations"][0]["exchanges"]] == [
        "I feel so alone",
        "Still lonely",
    ]
    assert [p["request"] for p in data["prayer_requests"]] == ["Please pray for my sister"]
    assert data["prayer_requests"][0]["request_id"] == prayer["request_id"]
    assert [c["purpose"] for c in data["consents"]] == ["store_conversations"]

    erased = client.delete("/v1/me/data", headers=ALICE)
    assert erased.status_code == 200
    summary = erased.json()
    assert (summary["conversations"], summary["exchanges"], summary["prayer_requests"]) == (1, 2, 1)
    assert summary["profile"] is True

    assert count_items(settings.prayer_requests_table) == 0
    assert count_items(settings.conversation_sessions_table) == 1  # bob's
    assert "Item" not in dynamodb.get_item(
        TableName=settings.user_profiles_table, Key={"user_id": {"S": "alice-42"}}
    )
    after = client.get("/v1/me/data", headers=ALICE).json()
    assert after["profile"] is None
    assert after["conversations"] == [] and after["prayer_requests"] == []
    # The consent log keeps the grant and records the erasure itself.
    assert [(c["action"], c["purpose"]) for c in after["consents"]] == [
        ("grant", "store_conversations"),
        ("erasure", "all"),
    ]
    history = client.get("/v1/chat/history", params={"session_id": chat["session_id"]},
                         headers=ALICE)
    assert history.status_code == 404


def test_erasing_an_unknown_user_changes_nothing_but_the_log(client, settings, count_items):
    response = client.delete("/v1/me/data", headers={"X-User-Id": "nobody"})
    assert response.status_code == 200
    body = response.json()
    assert (body["conversations"], body["exchanges"], body["prayer_requests"]) == (0, 0, 0)
    assert body["profile"] is False
    assert count_items(settings.consent_logs_table) == 1

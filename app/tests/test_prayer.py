"""Prayer requests: stored in DynamoDB, announced on SQS."""

from __future__ import annotations

import json


def _receive_all(sqs, queue_url):
    return sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
        WaitTimeSeconds=0,
    ).get("Messages", [])


def test_prayer_request_is_stored_and_queued(client, settings, dynamodb, sqs, credential):
    ann = credential()
    response = client.post(
        "/v1/prayer-requests",
        json={"request": "Please pray for my mother's surgery", "display_name": "Ann"},
        headers=ann,
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received" and body["priority"] == "normal"
    assert body["resources"] == []
    request_id = body["request_id"]

    item = dynamodb.get_item(
        TableName=settings.prayer_requests_table, Key={"request_id": {"S": request_id}}
    )["Item"]
    assert item["request"]["S"] == "Please pray for my mother's surgery"
    assert item["display_name"]["S"] == "Ann"
    owner = client.get("/v1/me/data", headers=ann).json()["user_id"]
    assert owner.startswith("anon:") and item["user_id"]["S"] == owner

    queue_url = sqs.get_queue_url(QueueName=settings.prayer_queue_name)["QueueUrl"]
    messages = _receive_all(sqs, queue_url)
    assert len(messages) == 1
    announcement = json.loads(messages[0]["Body"])
    assert announcement["request_id"] == request_id
    assert announcement["type"] == "prayer_request.created"
    assert messages[0]["MessageAttributes"]["priority"]["StringValue"] == "normal"
    # The queue carries the id only; the text stays in the table.
    assert "surgery" not in messages[0]["Body"]


def test_prayer_request_in_crisis_is_urgent_and_shows_helplines(client, settings, sqs):
    response = client.post(
        "/v1/prayer-requests", json={"request": "Pray for me, I don't want to live anymore"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["priority"] == "urgent"
    assert any("988" in r["contact"] or "988" in r["name"] for r in body["resources"])
    queue_url = sqs.get_queue_url(QueueName=settings.prayer_queue_name)["QueueUrl"]
    messages = _receive_all(sqs, queue_url)
    assert messages[0]["MessageAttributes"]["priority"]["StringValue"] == "urgent"


def test_request_that_cannot_be_queued_is_not_kept(client, settings, sqs, count_items):
    queue_url = sqs.get_queue_url(QueueName=settings.prayer_queue_name)["QueueUrl"]
    sqs.delete_queue(QueueUrl=queue_url)

    response = client.post("/v1/prayer-requests", json={"request": "Pray for our family"})

    assert response.status_code == 503
    assert response.json()["error"] == "dependency_unavailable"
    assert count_items(settings.prayer_requests_table) == 0

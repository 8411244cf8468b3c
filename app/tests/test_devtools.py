"""The create-tables/create-queue helper makes exactly the keys the app and Ansible expect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import boto3


def _key_schema(description: dict) -> list[tuple[str, str]]:
    return [(k["AttributeName"], k["KeyType"]) for k in description["KeySchema"]]


def test_create_tables_command(moto_endpoint):
    prefix = f"dev{uuid.uuid4().hex[:8]}-"
    env = {**os.environ, "FAITH_AWS_ENDPOINT_URL": moto_endpoint, "FAITH_TABLE_PREFIX": prefix,
           "FAITH_PRAYER_QUEUE_NAME": f"{prefix}Prayer"}
    argv = [sys.executable, "-m", "faith_motivator.devtools"]

    first = subprocess.run([*argv, "create-tables"], env=env, capture_output=True, text=True,
                           check=True)
    again = subprocess.run([*argv, "create-tables"], env=env, capture_output=True, text=True,
                           check=True)
    queue = subprocess.run([*argv, "create-queue"], env=env, capture_output=True, text=True,
                           check=True)

    assert len(json.loads(first.stdout)["created"]) == 4
    assert json.loads(again.stdout)["created"] == []
    assert json.loads(queue.stdout)["queue_url"].endswith(f"/{prefix}Prayer")

    dynamodb = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name="us-east-1")

    def describe(name: str) -> dict:
        return dynamodb.describe_table(TableName=f"{prefix}{name}")["Table"]

    profiles = describe("UserProfiles")
    assert _key_schema(profiles) == [("user_id", "HASH")]
    assert [(i["IndexName"], _key_schema(i)) for i in profiles["GlobalSecondaryIndexes"]] == [
        ("EmailIndex", [("email", "HASH")])
    ]
    assert _key_schema(describe("ConversationSessions")) == [
        ("session_id", "HASH"),
        ("created_at", "RANGE"),
    ]
    ttl = dynamodb.describe_time_to_live(TableName=f"{prefix}ConversationSessions")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"
    assert ttl["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
    assert _key_schema(describe("PrayerRequests")) == [("request_id", "HASH")]
    assert _key_schema(describe("ConsentLogs")) == [("user_id", "HASH"), ("recorded_at", "RANGE")]

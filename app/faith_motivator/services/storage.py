"""DynamoDB access: one small store per table, over the low-level client.

The calls are blocking (boto3); routes run them on the thread pool. Keys, exactly as the
collection's data role creates them (and ``devtools create-tables`` for tests):

- UserProfiles: hash ``user_id``; GSI ``EmailIndex`` on ``email``
- ConversationSessions: hash ``session_id``, range ``created_at``; TTL on ``expires_at``
- PrayerRequests: hash ``request_id``
- ConsentLogs: hash ``user_id``, range ``recorded_at``
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_CONSENT_PREFIX = "consent_"


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """Python values to a DynamoDB item, leaving out None."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item to Python values."""
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def timestamp(moment: datetime) -> str:
    """Sortable UTC timestamp used for range keys (microseconds keep turns apart)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _query_all(client: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator("query").paginate(**kwargs):
        yield from page["Items"]


def _delete_keys(client: Any, table: str, keys: list[dict[str, Any]]) -> None:
    # BatchWriteItem takes 25 requests at most and may hand some back unprocessed.
    for start in range(0, len(keys), 25):
        pending = {table: [{"DeleteRequest": {"Key": key}} for key in keys[start : start + 25]]}
        while pending:
            response = client.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}


class ConversationStore:
    """Chat exchanges in ConversationSessions, expiring after the retention period."""

    def __init__(self, client: Any, table: str, retention: timedelta) -> None:
        self.client = client
        self.table = table
        self.retention = retention

    def add_exchange(self, exchange: dict[str, Any], created: datetime) -> None:
        """Store one message and its reply, with its expiry time."""
        expires_at = int((created + self.retention).timestamp())
        item = to_item({**exchange, "created_at": timestamp(created), "expires_at": expires_at})
        self.client.put_item(TableName=self.table, Item=item)

    def owner(self, session_id: str) -> str | None:
        """Who created the session (the owner of its first exchange); None if it is new.

        An exchange stored without an owner (before credentials existed) belongs to nobody:
        "" never equals a principal id.
        """
        response = self.client.query(
            TableName=self.table,
            KeyConditionExpression="session_id = :s",
            ExpressionAttributeValues={":s": {"S": session_id}},
            ProjectionExpression="user_id",
            ScanIndexForward=True,
            Limit=1,
        )
        if not response["Items"]:
            return None
        return response["Items"][0].get("user_id", {}).get("S", "")

    def exchanges(self, session_id: str, limit: int) -> list[dict[str, Any]]:
        """Oldest first, at most ``limit``."""
        response = self.client.query(
            TableName=self.table,
            KeyConditionExpression="session_id = :s",
            ExpressionAttributeValues={":s": {"S": session_id}},
            ScanIndexForward=True,
            Limit=limit,
        )
        return [from_item(item) for item in response["Items"]]

    def all_exchanges(self, session_id: str) -> list[dict[str, Any]]:
        """Every exchange of a session (for export)."""
        return [
            from_item(item)
            for item in _query_all(
                self.client,
                TableName=self.table,
                KeyConditionExpression="session_id = :s",
                ExpressionAttributeValues={":s": {"S": session_id}},
            )
        ]

    def delete_session(self, session_id: str) -> int:
        """Delete every exchange of a session; returns how many there were."""
        keys = [
            {"session_id": item["session_id"], "created_at": item["created_at"]}
            for item in _query_all(
                self.client,
                TableName=self.table,
                KeyConditionExpression="session_id = :s",
                ExpressionAttributeValues={":s": {"S": session_id}},
                ProjectionExpression="session_id, created_at",
            )
        ]
        _delete_keys(self.client, self.table, keys)
        return len(keys)


class ProfileStore:
    """UserProfiles: consent flags, an optional e-mail, and the ids of what a person owns,
    so that export and erasure find them without scanning other tables."""

    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def _update(
        self,
        user_id: str,
        now: datetime,
        *,
        set_clauses: tuple[str, ...] = (),
        add_clause: str | None = None,
        values: dict[str, Any],
        names: dict[str, str] | None = None,
    ) -> None:
        """One UpdateItem that also maintains created_at/updated_at (creates the profile)."""
        clauses = (
            *set_clauses,
            "updated_at = :now",
            "created_at = if_not_exists(created_at, :now)",
        )
        expression = "SET " + ", ".join(clauses)
        if add_clause:
            expression += f" ADD {add_clause}"
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "Key": {"user_id": {"S": user_id}},
            "UpdateExpression": expression,
            "ExpressionAttributeValues": to_item({**values, ":now": timestamp(now)}),
        }
        if names:
            kwargs["ExpressionAttributeNames"] = names
        self.client.update_item(**kwargs)

    def link_session(self, user_id: str, session_id: str, now: datetime) -> None:
        """Remember that the user owns a session."""
        self._update(user_id, now, add_clause="session_ids :ids", values={":ids": {session_id}})

    def link_prayer_request(self, user_id: str, request_id: str, now: datetime) -> None:
        """Remember that the user owns a prayer request."""
        self._update(
            user_id, now, add_clause="prayer_request_ids :ids", values={":ids": {request_id}}
        )

    def record_consent(
        self, user_id: str, purpose: str, granted: bool, email: str | None, now: datetime
    ) -> None:
        """Set one consent flag (and the e-mail address with a contact grant)."""
        set_clauses = ["#consent = :granted"]
        values: dict[str, Any] = {":granted": granted}
        if email is not None:
            set_clauses.append("email = :email")
            values[":email"] = email
        self._update(
            user_id,
            now,
            set_clauses=tuple(set_clauses),
            values=values,
            names={"#consent": f"{_CONSENT_PREFIX}{purpose}"},
        )
        if purpose == "contact_by_email" and not granted:
            # Withdrawing contact consent removes the address: it was kept for that alone.
            self.client.update_item(
                TableName=self.table,
                Key={"user_id": {"S": user_id}},
                UpdateExpression="REMOVE email",
            )

    def consent(self, user_id: str, purpose: str) -> bool | None:
        """One consent flag (None when never recorded), without reading the rest."""
        response = self.client.get_item(
            TableName=self.table,
            Key={"user_id": {"S": user_id}},
            ConsistentRead=True,
            ProjectionExpression="#consent",
            ExpressionAttributeNames={"#consent": f"{_CONSENT_PREFIX}{purpose}"},
        )
        value = response.get("Item", {}).get(f"{_CONSENT_PREFIX}{purpose}")
        return None if value is None else bool(value.get("BOOL"))

    def get(self, user_id: str) -> dict[str, Any] | None:
        """The user's profile, or None."""
        response = self.client.get_item(
            TableName=self.table, Key={"user_id": {"S": user_id}}, ConsistentRead=True
        )
        item = response.get("Item")
        return from_item(item) if item else None

    @staticmethod
    def consents(profile: dict[str, Any]) -> dict[str, bool]:
        """The consent flags of a stored profile."""
        return {
            key.removeprefix(_CONSENT_PREFIX): bool(value)
            for key, value in profile.items()
            if key.startswith(_CONSENT_PREFIX)
        }

    def delete(self, user_id: str) -> bool:
        """Delete the profile; True if there was one."""
        response = self.client.delete_item(
            TableName=self.table, Key={"user_id": {"S": user_id}}, ReturnValues="ALL_OLD"
        )
        return "Attributes" in response


class PrayerRequestStore:
    """PrayerRequests, one item per request."""

    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def put(self, request: dict[str, Any]) -> None:
        """Store a new prayer request (never overwrites one)."""
        self.client.put_item(
            TableName=self.table,
            Item=to_item(request),
            ConditionExpression="attribute_not_exists(request_id)",
        )

    def get(self, request_id: str) -> dict[str, Any] | None:
        """A prayer request, or None."""
        response = self.client.get_item(
            TableName=self.table, Key={"request_id": {"S": request_id}}, ConsistentRead=True
        )
        item = response.get("Item")
        return from_item(item) if item else None

    def delete(self, request_id: str) -> bool:
        """Delete a prayer request; True if there was one."""
        response = self.client.delete_item(
            TableName=self.table, Key={"request_id": {"S": request_id}}, ReturnValues="ALL_OLD"
        )
        return "Attributes" in response


class ConsentLogStore:
    """ConsentLogs: an append-only record of grants, withdrawals and erasures."""

    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def append(self, user_id: str, entry: dict[str, Any], recorded: datetime) -> None:
        """Add one entry to the user's consent log."""
        item = to_item({**entry, "user_id": user_id, "recorded_at": timestamp(recorded)})
        self.client.put_item(TableName=self.table, Item=item)

    def delete_all(self, user_id: str) -> int:
        """Delete the user's whole consent log; returns how many entries there were."""
        keys = [
            {"user_id": item["user_id"], "recorded_at": item["recorded_at"]}
            for item in _query_all(
                self.client,
                TableName=self.table,
                KeyConditionExpression="user_id = :u",
                ExpressionAttributeValues={":u": {"S": user_id}},
                ProjectionExpression="user_id, recorded_at",
            )
        ]
        _delete_keys(self.client, self.table, keys)
        return len(keys)

    def entries(self, user_id: str) -> list[dict[str, Any]]:
        """The user's consent log, oldest first."""
        return [
            from_item(item)
            for item in _query_all(
                self.client,
                TableName=self.table,
                KeyConditionExpression="user_id = :u",
                ExpressionAttributeValues={":u": {"S": user_id}},
            )
        ]

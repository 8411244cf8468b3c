# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Disaster recovery: pure rules for recovery points, restores and the measured RPO.

A recovery point is one export of the environment's tables (ExportTableToPointInTime to S3),
copied to the DR region's bucket, and described by a manifest of our own: the export time,
and per table its key schema, indexes, TTL attribute and data objects. The manifest is what a
restore reads, because neither the emulator (no manifest) nor a restore into an empty region
can ask the source table again.
"""

from __future__ import annotations

import datetime

MANIFEST_NAME = "faith-recovery-point.json"
RECOVERY_POINT_ROOT = "recovery-points"
# The app writes range keys in this form (app/faith_motivator/services/storage.py); the canary
# uses the same, so one string comparison orders canary items and conversations alike.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
CANARY_SESSION_ID = "faith-dr-canary"


def timestamp(moment):
    """A UTC moment in the app's sortable range-key form."""
    return moment.astimezone(datetime.timezone.utc).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text):
    """The inverse of :func:`timestamp` (also accepts ISO 8601 with an offset)."""
    if text.endswith("Z"):
        try:
            return datetime.datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)


def recovery_point_prefix(moment, root=RECOVERY_POINT_ROOT):
    """Where one recovery point's exports live: sortable, so the newest is the last listed."""
    return f"{root}/{moment.astimezone(datetime.timezone.utc).strftime('%Y%m%dT%H%M%S%fZ')}"


def latest_key(root=RECOVERY_POINT_ROOT):
    """The pointer to the newest recovery point under ``root``."""
    return f"{root}/latest.json"


def table_schema(description):
    """What a restore needs to recreate a table from its DescribeTable answer."""
    schema = {
        "key_schema": description["KeySchema"],
        "attribute_definitions": description["AttributeDefinitions"],
        "global_indexes": [
            {"IndexName": index["IndexName"], "KeySchema": index["KeySchema"], "Projection": index["Projection"]}
            for index in description.get("GlobalSecondaryIndexes") or []
        ],
    }
    return schema


def data_keys(listing, export_prefix):
    """The data objects of one export among the keys listed under its prefix.

    AWS writes ``<prefix>/AWSDynamoDB/<export id>/data/*.json.gz`` plus manifests; the emulator
    writes only ``.../data/*.gz``. Only data objects are imported.
    """
    return sorted(key for key in listing if key.startswith(export_prefix + "/AWSDynamoDB/") and "/data/" in key)


def import_prefix(keys):
    """The common ``.../data/`` prefix ImportTable reads from; every data object must share it."""
    prefixes = {key.rsplit("/", 1)[0] + "/" for key in keys}
    if len(prefixes) != 1:
        raise ValueError(f"an export's data objects must share one folder, found {sorted(prefixes)}")
    return prefixes.pop()


def export_items(content):
    """The items of one DYNAMODB_JSON export object (gunzipped): one ``{"Item": ...}`` per line."""
    import json

    return [json.loads(line)["Item"] for line in content.decode("utf-8").splitlines() if line.strip()]


def table_creation_parameters(name, schema):
    """ImportTable's TableCreationParameters for ``schema`` (from :func:`table_schema`)."""
    parameters = {
        "TableName": name,
        "KeySchema": schema["key_schema"],
        "AttributeDefinitions": schema["attribute_definitions"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if schema.get("global_indexes"):
        parameters["GlobalSecondaryIndexes"] = schema["global_indexes"]
    return parameters


def key_names(schema):
    return [element["AttributeName"] for element in schema["key_schema"]]


def item_key(item, names):
    """A hashable key of an item (its key attributes, as DynamoDB JSON)."""
    return tuple(sorted((name, tuple(sorted(item[name].items()))) for name in names))


def age_seconds(moment, now):
    return round((now - moment).total_seconds(), 3)


def measure_recovery_point(secondary_items, primary_items, timestamp_attribute, reference):
    """The measured recovery point of a restore, from the items themselves.

    ``secondary_items`` are what the DR region holds, ``primary_items`` what the primary holds
    (None when the primary cannot be read), ``reference`` the start of the failover in the app's
    timestamp form. The recovery point is the newest primary write present in the secondary: an
    item the secondary holds from before ``reference`` and, when the primary answers, that the
    primary holds too (what users wrote in the DR region after the failover is neither). Items of
    the primary after it are the writes the restore lost; primary items at or before it that the
    secondary lacks are holes (a correct restore has none). Items without ``timestamp_attribute``
    are ignored.
    """
    secondary = {}
    for item in secondary_items:
        stamp = item.get(timestamp_attribute, {}).get("S")
        if stamp:
            secondary[item["__key__"]] = stamp
    primary = None
    if primary_items is not None:
        primary = {}
        for item in primary_items:
            stamp = item.get(timestamp_attribute, {}).get("S")
            if stamp:
                primary[item["__key__"]] = stamp
    restored = [stamp for key, stamp in secondary.items() if stamp <= reference and (primary is None or key in primary)]
    recovery_point = max(restored, default=None)
    result = {
        "recovery_point": recovery_point,
        "items_in_secondary": len(secondary),
        "items_written_after_recovery_point": None,
        "items_missing_before_recovery_point": None,
        "newest_primary_write": None,
        "newest_lost_write": None,
    }
    if primary is None:
        return result
    after = missing = 0
    newest_lost = None
    for key, stamp in primary.items():
        if key in secondary:
            continue
        if recovery_point is None or stamp > recovery_point:
            after += 1
            newest_lost = stamp if newest_lost is None or stamp > newest_lost else newest_lost
        else:
            missing += 1
    result.update(
        newest_lost_write=newest_lost,
        items_written_after_recovery_point=after,
        items_missing_before_recovery_point=missing,
        newest_primary_write=max(primary.values(), default=None),
    )
    return result


def replica_state(description, region):
    """Whether ``region`` holds a usable replica of a global table (version 2019.11.21).

    ``description`` is DescribeTable's answer in ``region`` (None when the table is missing there).
    AWS lists a global table's *other* replicas under ``Replicas``; an entry for ``region`` itself
    (as seen from another region) is honoured too. Returns ``(ready, status)``.
    """
    if description is None:
        return False, "MISSING"
    replicas = description.get("Replicas") or []
    if not replicas:
        return False, "NOT_GLOBAL"
    own = [replica for replica in replicas if replica.get("RegionName") == region]
    status = own[0].get("ReplicaStatus", "UNKNOWN") if own else description.get("TableStatus", "UNKNOWN")
    return status == "ACTIVE" and description.get("TableStatus") == "ACTIVE", status

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The pure rules of disaster recovery: recovery point layout, restore parameters, the measured RPO."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.faith.ops.plugins.module_utils.dr import transformations as dr

UTC = datetime.timezone.utc
REFERENCE = "2026-12-07T10:05:00.000000Z"


def stamped(session, stamp):
    item = {"session_id": {"S": session}, "created_at": {"S": stamp}}
    item["__key__"] = dr.item_key(item, ["session_id", "created_at"])
    return item


def test_timestamps_round_trip_in_the_apps_form():
    moment = datetime.datetime(2026, 12, 7, 10, 15, 0, 123456, tzinfo=UTC)
    assert dr.timestamp(moment) == "2026-12-07T10:15:00.123456Z"
    assert dr.parse_timestamp("2026-12-07T10:15:00.123456Z") == moment
    assert dr.parse_timestamp("2026-12-07T11:15:00.123456+01:00") == moment


def test_recovery_points_sort_by_time_under_their_root():
    earlier = dr.recovery_point_prefix(datetime.datetime(2026, 12, 7, 9, 59, tzinfo=UTC))
    later = dr.recovery_point_prefix(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    assert earlier < later and later.startswith("recovery-points/")
    assert dr.recovery_point_prefix(datetime.datetime(2026, 1, 1, tzinfo=UTC), "failback-points").startswith("failback-points/")
    assert dr.latest_key("failback-points") == "failback-points/latest.json"


def test_data_keys_of_an_aws_export_leave_out_its_manifests():
    prefix = "recovery-points/20261207T101500000000Z/t"
    listing = [
        f"{prefix}/AWSDynamoDB/01700000000000-abcd/manifest-files.json",
        f"{prefix}/AWSDynamoDB/01700000000000-abcd/manifest-summary.json",
        f"{prefix}/AWSDynamoDB/01700000000000-abcd/data/b.json.gz",
        f"{prefix}/AWSDynamoDB/01700000000000-abcd/data/a.json.gz",
        "recovery-points/20261207T101500000000Z/t2/AWSDynamoDB/x/data/c.json.gz",
        f"{prefix}/_started",
    ]
    keys = dr.data_keys(listing, prefix)
    assert keys == [f"{prefix}/AWSDynamoDB/01700000000000-abcd/data/a.json.gz", f"{prefix}/AWSDynamoDB/01700000000000-abcd/data/b.json.gz"]
    assert dr.import_prefix(keys) == f"{prefix}/AWSDynamoDB/01700000000000-abcd/data/"


def test_an_import_prefix_needs_one_folder():
    with pytest.raises(ValueError, match="share one folder"):
        dr.import_prefix(["a/AWSDynamoDB/1/data/x.gz", "a/AWSDynamoDB/2/data/y.gz"])


def test_table_creation_parameters_keep_keys_and_indexes():
    description = {
        "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "email", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": "EmailIndex", "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}, "IndexStatus": "ACTIVE", "ItemCount": 3,
        }],
    }
    parameters = dr.table_creation_parameters("t", dr.table_schema(description))
    assert parameters == {
        "TableName": "t",
        "KeySchema": description["KeySchema"],
        "AttributeDefinitions": description["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [{"IndexName": "EmailIndex", "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
    }


def test_the_recovery_point_is_the_newest_primary_write_in_the_secondary_and_losses_are_counted():
    primary = [stamped("a", "2026-12-07T10:00:00.000000Z"), stamped("b", "2026-12-07T10:01:00.000000Z"),
               stamped("c", "2026-12-07T10:02:00.000000Z"), stamped("d", "2026-12-07T10:03:00.000000Z")]
    secondary = [stamped("a", "2026-12-07T10:00:00.000000Z"), stamped("b", "2026-12-07T10:01:00.000000Z")]
    measured = dr.measure_recovery_point(secondary, primary, "created_at", REFERENCE)
    assert measured == {
        "recovery_point": "2026-12-07T10:01:00.000000Z",
        "items_in_secondary": 2,
        "items_written_after_recovery_point": 2,
        "items_missing_before_recovery_point": 0,
        "newest_primary_write": "2026-12-07T10:03:00.000000Z",
        "newest_lost_write": "2026-12-07T10:03:00.000000Z",
    }


def test_a_hole_before_the_recovery_point_is_reported():
    primary = [stamped("a", "2026-12-07T10:00:00.000000Z"), stamped("b", "2026-12-07T10:01:00.000000Z")]
    measured = dr.measure_recovery_point([primary[1]], primary, "created_at", REFERENCE)
    assert measured["items_missing_before_recovery_point"] == 1
    assert measured["items_written_after_recovery_point"] == 0


def test_without_the_primary_the_counts_are_unknown_not_zero():
    measured = dr.measure_recovery_point([stamped("a", "2026-12-07T10:00:00.000000Z")], None, "created_at", REFERENCE)
    assert measured["recovery_point"] == "2026-12-07T10:00:00.000000Z"
    assert measured["items_written_after_recovery_point"] is None
    assert measured["items_missing_before_recovery_point"] is None


def test_an_empty_secondary_has_no_recovery_point_and_loses_everything():
    primary = [stamped("a", "2026-12-07T10:00:00.000000Z")]
    measured = dr.measure_recovery_point([], primary, "created_at", REFERENCE)
    assert measured["recovery_point"] is None
    assert measured["items_written_after_recovery_point"] == 1


@pytest.mark.parametrize(
    "description, expected",
    [
        (None, (False, "MISSING")),
        ({"TableStatus": "ACTIVE"}, (False, "NOT_GLOBAL")),
        ({"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}]}, (True, "ACTIVE")),
        ({"TableStatus": "ACTIVE", "Replicas": [{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}]}, (False, "CREATING")),
        ({"TableStatus": "UPDATING", "Replicas": [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}]}, (False, "UPDATING")),
    ],
    ids=["missing", "not-global", "replica-of-primary-listed", "own-replica-creating", "table-updating"],
)
def test_replica_state_in_the_dr_region(description, expected):
    assert dr.replica_state(description, "us-west-2") == expected


def test_export_items_read_dynamodb_json_lines_with_any_text():
    content = (b'{"Item": {"session_id": {"S": "a"}, "reply": {"S": "God\'s love doesn\'t fail"}}}\n'
               b'{"Item": {"session_id": {"S": "b"}, "n": {"N": "1"}}}\n\n')
    assert dr.export_items(content) == [
        {"session_id": {"S": "a"}, "reply": {"S": "God's love doesn't fail"}},
        {"session_id": {"S": "b"}, "n": {"N": "1"}},
    ]


def test_writes_the_dr_region_took_after_the_failover_never_become_the_recovery_point():
    primary = [stamped("a", "2026-12-07T10:00:00.000000Z"), stamped("b", "2026-12-07T10:04:00.000000Z")]
    secondary = [stamped("a", "2026-12-07T10:00:00.000000Z"), stamped("dr", "2026-12-07T10:06:00.000000Z")]
    measured = dr.measure_recovery_point(secondary, primary, "created_at", REFERENCE)
    assert measured["recovery_point"] == "2026-12-07T10:00:00.000000Z"
    assert measured["items_written_after_recovery_point"] == 1
    assert measured["items_missing_before_recovery_point"] == 0
    # Without the primary, the start of the failover still keeps them out.
    assert dr.measure_recovery_point(secondary, None, "created_at", REFERENCE)["recovery_point"] == "2026-12-07T10:00:00.000000Z"

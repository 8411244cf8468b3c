# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DynamoDB calls behind the operations table (lock and release record): one call each."""

from __future__ import annotations

import json

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ..base import aws_action
from ..base import error_code


class ConditionFailed(Exception):
    """A conditional write lost: another writer changed the item first."""


@aws_action("describe the operations table")
def describe_table(client, name):
    try:
        return client.describe_table(TableName=name)["Table"]
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        raise


@aws_action("create the operations table")
def create_table(client, name, tags):
    """Create the table; False when another run created it first (two first runs at once)."""
    # One item per kind of state (the lock, the release record): on-demand capacity, a string key.
    try:
        client.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
            SSESpecification={"Enabled": True},
            Tags=[{"Key": key, "Value": value} for key, value in sorted(tags.items())],
        )
    except ClientError as error:
        if error_code(error) == "ResourceInUseException":
            return False
        raise
    return True


@aws_action("enable point-in-time recovery of the operations table")
def enable_point_in_time_recovery(client, name):
    client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


@aws_action("wait for the operations table")
def wait_table_active(client, name, timeout):
    client.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": max(1, int(timeout))}
    )


@aws_action("read the operations table")
def get_item(client, table, key):
    """The item's ``body`` (a JSON document) and ``revision``, or None; strongly consistent."""
    try:
        item = client.get_item(TableName=table, Key={"pk": {"S": key}}, ConsistentRead=True).get("Item")
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        raise
    if not item:
        return None
    return {"body": json.loads(item["body"]["S"]), "revision": int(item["revision"]["N"])}


def put_item_if_revision(client, table, key, body, expected_revision):
    """Write ``body`` as revision ``expected_revision + 1`` only if the item is still at ``expected_revision``.

    Revision 0 means "the item must not exist yet". Raises ConditionFailed when another writer
    got there first: the compare-and-set that serialises operations on one environment.
    """
    item = {
        "pk": {"S": key},
        "body": {"S": json.dumps(body, sort_keys=True)},
        "revision": {"N": str(expected_revision + 1)},
    }
    if expected_revision == 0:
        condition = {"ConditionExpression": "attribute_not_exists(pk)"}
    else:
        condition = {
            "ConditionExpression": "revision = :expected",
            "ExpressionAttributeValues": {":expected": {"N": str(expected_revision)}},
        }
    _conditional_put(client, table, item, condition)
    return expected_revision + 1


@aws_action("write the operations table")
def _conditional_put(client, table, item, condition):
    try:
        client.put_item(TableName=table, Item=item, **condition)
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            raise ConditionFailed() from error
        raise

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DynamoDB and S3 calls behind disaster recovery: one API call per function, retried, named."""

from __future__ import annotations

import json

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ..base import aws_action
from ..base import error_code
from ..dynamodb import api as dynamodb_api
from ..waiting import wait_for
from ..waiting import waiter_model

# The table's description, or None when it does not exist: the dynamodb module_utils' own read.
describe_table = dynamodb_api.describe_table


@aws_action("read the table's time to live")
def ttl_attribute(client, name):
    description = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    if description.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return description.get("AttributeName")
    return None


@aws_action("read the table's continuous backups")
def point_in_time_recovery_enabled(client, name):
    description = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    recovery = description.get("PointInTimeRecoveryDescription") or {}
    return recovery.get("PointInTimeRecoveryStatus") == "ENABLED"


@aws_action("export the table to S3")
def export_table(client, table_arn, bucket, prefix):
    return client.export_table_to_point_in_time(
        TableArn=table_arn, S3Bucket=bucket, S3Prefix=prefix, ExportFormat="DYNAMODB_JSON"
    )["ExportDescription"]


EXPORT_WAITER = waiter_model(
    "ExportCompleted",
    "DescribeExport",
    [
        {"state": "success", "matcher": "path", "argument": "ExportDescription.ExportStatus", "expected": "COMPLETED"},
        {"state": "failure", "matcher": "path", "argument": "ExportDescription.ExportStatus", "expected": "FAILED"},
    ],
    delay=2,
)

IMPORT_WAITER = waiter_model(
    "ImportCompleted",
    "DescribeImport",
    [
        {"state": "success", "matcher": "path", "argument": "ImportTableDescription.ImportStatus", "expected": "COMPLETED"},
        {"state": "failure", "matcher": "path", "argument": "ImportTableDescription.ImportStatus", "expected": "FAILED"},
        {"state": "failure", "matcher": "path", "argument": "ImportTableDescription.ImportStatus", "expected": "CANCELLED"},
    ],
    delay=1,
)


def wait_export(client, export_arn, timeout):
    wait_for(client, "ExportCompleted", f"export {export_arn}", timeout, model=EXPORT_WAITER, ExportArn=export_arn)


@aws_action("describe the export")
def describe_export(client, export_arn):
    return client.describe_export(ExportArn=export_arn)["ExportDescription"]


@aws_action("import the table from S3")
def import_table(client, bucket, prefix, parameters):
    return client.import_table(
        S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix},
        InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP",
        TableCreationParameters=parameters,
    )["ImportTableDescription"]


def wait_import(client, import_arn, timeout):
    wait_for(client, "ImportCompleted", f"import {import_arn}", timeout, model=IMPORT_WAITER, ImportArn=import_arn)


@aws_action("describe the import")
def describe_import(client, import_arn):
    return client.describe_import(ImportArn=import_arn)["ImportTableDescription"]


def wait_table_active(client, name, timeout):
    wait_for(client, "table_exists", f"table {name} to be ACTIVE", timeout, delay=1, TableName=name)


def wait_table_gone(client, name, timeout):
    wait_for(client, "table_not_exists", f"table {name} to be deleted", timeout, delay=1, TableName=name)


@aws_action("create table")
def create_table(client, parameters):
    client.create_table(**parameters)


@aws_action("turn the table's deletion protection off")
def disable_deletion_protection(client, name):
    client.update_table(TableName=name, DeletionProtectionEnabled=False)


@aws_action("delete table")
def delete_table(client, name):
    client.delete_table(TableName=name)


@aws_action("set the table's time to live")
def enable_ttl(client, name, attribute):
    client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})


@aws_action("enable point-in-time recovery")
def enable_point_in_time_recovery(client, name):
    client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )


@aws_action("scan table")
def scan(client, name, projection=None, names=None):
    """Every item of a table (all pages); ``projection`` limits the attributes read."""
    kwargs = {"TableName": name}
    if projection:
        kwargs["ProjectionExpression"] = projection
        kwargs["ExpressionAttributeNames"] = names
    items = []
    for page in client.get_paginator("scan").paginate(**kwargs):
        items.extend(page["Items"])
    return items


@aws_action("write an item")
def put_item_if_absent(client, name, item, hash_key):
    """Write ``item`` unless an item with its key exists; False when one did (it is kept)."""
    try:
        client.put_item(
            TableName=name,
            Item=item,
            ConditionExpression="attribute_not_exists(#k)",
            ExpressionAttributeNames={"#k": hash_key},
        )
        return True
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        raise


@aws_action("write an item")
def put_item(client, name, item):
    client.put_item(TableName=name, Item=item)


@aws_action("list objects")
def list_keys(client, bucket, prefix):
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys.extend(entry["Key"] for entry in page.get("Contents", []))
    return keys


@aws_action("copy an object across regions")
def copy_object(client, source_bucket, key, bucket):
    client.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": source_bucket, "Key": key})


@aws_action("read an export's data object")
def get_bytes(client, bucket, key):
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


@aws_action("write items")
def batch_write(client, name, items):
    """Write up to 25 items; returns the ones DynamoDB left unprocessed (to send again)."""
    answer = client.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": item}} for item in items]})
    return [request["PutRequest"]["Item"] for request in answer.get("UnprocessedItems", {}).get(name, [])]


@aws_action("write a recovery point manifest")
def put_json(client, bucket, key, document):
    client.put_object(
        Bucket=bucket, Key=key, Body=json.dumps(document, sort_keys=True).encode(), ContentType="application/json"
    )


@aws_action("read a recovery point manifest")
def get_json(client, bucket, key):
    try:
        return json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError as error:
        if error_code(error) in ("NoSuchKey", "404", "NoSuchBucket"):
            return None
        raise

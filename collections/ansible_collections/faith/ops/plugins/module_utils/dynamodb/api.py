# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DynamoDB (and the one KMS lookup it needs): one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..base import aws_action
from ..base import error_code
from .transformations import AWS_MANAGED_KEY_ALIAS

# AWS answers UpdateContinuousBackups on a table created moments ago with this code until
# its backups are ready; it is worth retrying, unlike other validation errors.
BACKUPS_NOT_READY = "ContinuousBackupsUnavailableException"


def _missing(error, *codes):
    return isinstance(error, ClientError) and error_code(error) in codes


# --- reads -------------------------------------------------------------------------------


@aws_action("describe table")
def describe_table(client, name):
    """The table's description, or ``None`` when it does not exist."""
    try:
        return client.describe_table(TableName=name)["Table"]
    except ClientError as error:
        if _missing(error, "ResourceNotFoundException"):
            return None
        raise


@aws_action("list tables")
def list_table_names(client):
    return client.get_paginator("list_tables").paginate().build_full_result().get("TableNames", [])


@aws_action("describe point-in-time recovery")
def point_in_time_recovery(client, name):
    backups = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    return backups.get("PointInTimeRecoveryDescription") or {}


@aws_action("describe time to live")
def time_to_live(client, name):
    return client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]


@aws_action("list table tags")
def tags(client, arn):
    pages = client.get_paginator("list_tags_of_resource").paginate(ResourceArn=arn).build_full_result()
    return boto3_tag_list_to_ansible_dict(pages.get("Tags", []))


@aws_action("describe the AWS managed DynamoDB key")
def aws_managed_key_arn(kms_client):
    """ARN of ``alias/aws/dynamodb`` in this account and region, or ``None`` before AWS created it."""
    try:
        return kms_client.describe_key(KeyId=AWS_MANAGED_KEY_ALIAS)["KeyMetadata"]["Arn"]
    except ClientError as error:
        if _missing(error, "NotFoundException"):
            return None
        raise


# --- writes ------------------------------------------------------------------------------


@aws_action("create table")
def create_table(client, request):
    return client.create_table(**request)["TableDescription"]


@aws_action("update table")
def update_table(client, name, request):
    return client.update_table(TableName=name, **request)["TableDescription"]


@aws_action("delete table")
def delete_table(client, name):
    return client.delete_table(TableName=name)["TableDescription"]


@aws_action("update point-in-time recovery")
@AWSRetry.jittered_backoff(retries=8, delay=5, max_delay=30, catch_extra_error_codes=[BACKUPS_NOT_READY])
def update_point_in_time_recovery(client, name, specification):
    return client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification=specification)


@aws_action("update time to live")
def update_time_to_live(client, name, specification):
    return client.update_time_to_live(TableName=name, TimeToLiveSpecification=specification)


@aws_action("tag table")
def tag_table(client, arn, tags_to_set):
    return client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags_to_set))


@aws_action("untag table")
def untag_table(client, arn, keys):
    return client.untag_resource(ResourceArn=arn, TagKeys=list(keys))

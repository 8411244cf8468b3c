# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch Logs log group calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ..base import aws_action


@aws_action("describe log group")
def describe_log_group(client, name):
    """The log group of exactly this name, or None (DescribeLogGroups matches a prefix)."""
    pages = client.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name)
    for page in pages:
        for group in page.get("logGroups", []):
            if group["logGroupName"] == name:
                return group
    return None


@aws_action("create log group")
def create_log_group(client, name, kms_key_id, tags):
    params = {"logGroupName": name}
    if kms_key_id:
        params["kmsKeyId"] = kms_key_id
    if tags:
        params["tags"] = tags
    client.create_log_group(**params)


@aws_action("set the retention of the log group")
def put_retention(client, name, days):
    client.put_retention_policy(logGroupName=name, retentionInDays=days)


@aws_action("remove the retention of the log group")
def delete_retention(client, name):
    client.delete_retention_policy(logGroupName=name)


@aws_action("associate a KMS key with the log group")
def associate_kms_key(client, name, kms_key_id):
    client.associate_kms_key(logGroupName=name, kmsKeyId=kms_key_id)


@aws_action("disassociate the KMS key of the log group")
def disassociate_kms_key(client, name):
    client.disassociate_kms_key(logGroupName=name)


@aws_action("list the log group's tags")
def log_group_tags(client, name):
    # ListTagsLogGroup takes the name; its successor ListTagsForResource needs the ARN without
    # the trailing ':*' that DescribeLogGroups returns. Both are served by AWS and the emulator.
    return client.list_tags_log_group(logGroupName=name).get("tags", {})


@aws_action("tag log group")
def tag_log_group(client, name, tags):
    client.tag_log_group(logGroupName=name, tags=tags)


@aws_action("untag log group")
def untag_log_group(client, name, keys):
    client.untag_log_group(logGroupName=name, tags=list(keys))


@aws_action("delete log group")
def delete_log_group(client, name):
    client.delete_log_group(logGroupName=name)

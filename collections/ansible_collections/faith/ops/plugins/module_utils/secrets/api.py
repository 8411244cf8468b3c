# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager calls: one API call per function, retried, named for error messages.

Secret values pass through these functions and nowhere else; they are never put in an
error message (botocore's errors do not echo request parameters).
"""

from __future__ import annotations

import uuid

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action
from ..base import error_code


@aws_action("describe secret")
def describe_secret(client, name):
    """The secret's metadata (tags inline, ``DeletedDate`` when scheduled for deletion), or None."""
    try:
        return client.describe_secret(SecretId=name)
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        raise


@aws_action("read the secret's current value")
def current_value(client, name):
    """The AWSCURRENT value as ``(string or None, binary or None)``; (None, None) when it has none."""
    try:
        response = client.get_secret_value(SecretId=name)
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None, None
        raise
    return response.get("SecretString"), response.get("SecretBinary")


@aws_action("create secret")
def create_secret(client, name, description, kms_key_id, value, tags):
    params = {"Name": name, "Description": description or "", "ClientRequestToken": str(uuid.uuid4())}
    if kms_key_id:
        params["KmsKeyId"] = kms_key_id
    if value is not None:
        params["SecretString"] = value
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_secret(**params)


@aws_action("update the secret's description and key")
def update_secret(client, arn, description, kms_key_id):
    params = {"SecretId": arn, "Description": description or ""}
    if kms_key_id:
        params["KmsKeyId"] = kms_key_id
    client.update_secret(**params)


@aws_action("store a new secret value")
def put_value(client, arn, value):
    # A fresh token makes each new value its own version (the token is the idempotency key).
    return client.put_secret_value(SecretId=arn, SecretString=value, ClientRequestToken=str(uuid.uuid4()))


@aws_action("restore secret")
def restore_secret(client, arn):
    client.restore_secret(SecretId=arn)


@aws_action("tag secret")
def tag_secret(client, arn, tags):
    client.tag_resource(SecretId=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag secret")
def untag_secret(client, arn, keys):
    client.untag_resource(SecretId=arn, TagKeys=list(keys))


@aws_action("delete secret")
def delete_secret(client, arn, recovery_window_days):
    if recovery_window_days:
        client.delete_secret(SecretId=arn, RecoveryWindowInDays=recovery_window_days)
    else:
        client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)

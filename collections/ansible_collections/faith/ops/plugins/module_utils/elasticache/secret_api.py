# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets Manager calls for the cache's auth token: one API call per function, retried.

The token never leaves these functions except towards ElastiCache and the secret itself.
"""

from __future__ import annotations

import json

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action
from ..base import error_code


class ScheduledForDeletion(Exception):
    """The secret exists but is scheduled for deletion (its recovery window has not ended)."""


@aws_action("read auth token secret")
def secret_value(client, secret_id):
    """``(arn, value dict)`` of the secret, or ``(None, None)`` when it does not exist.

    Raises ScheduledForDeletion for a secret deleted with a recovery window that has not ended:
    Secrets Manager refuses to read it, and to create another of the same name.
    """
    try:
        response = client.get_secret_value(SecretId=secret_id)
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None, None
        if error_code(error) == "InvalidRequestException" and "marked deleted" in str(error):
            raise ScheduledForDeletion(secret_id) from error
        raise
    try:
        value = json.loads(response.get("SecretString") or "{}")
    except ValueError:
        value = {}
    return response["ARN"], value if isinstance(value, dict) else {}


@aws_action("restore auth token secret")
def restore_secret(client, secret_id):
    client.restore_secret(SecretId=secret_id)


@aws_action("generate auth token")
def random_token(client, length):
    # ElastiCache refuses @, " and / in a token: punctuation is left out altogether.
    return client.get_random_password(PasswordLength=length, ExcludePunctuation=True)["RandomPassword"]


@aws_action("create auth token secret")
def create_secret(client, name, description, value, kms_key_id, tags):
    kwargs = dict(Name=name, Description=description, SecretString=json.dumps(value, sort_keys=True))
    if kms_key_id:
        kwargs["KmsKeyId"] = kms_key_id
    if tags:
        kwargs["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_secret(**kwargs)["ARN"]


@aws_action("update auth token secret")
def put_secret_value(client, secret_id, value):
    client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(value, sort_keys=True))


@aws_action("delete auth token secret")
def delete_secret(client, secret_id, recovery_days):
    if recovery_days:
        client.delete_secret(SecretId=secret_id, RecoveryWindowInDays=recovery_days)
    else:
        client.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)

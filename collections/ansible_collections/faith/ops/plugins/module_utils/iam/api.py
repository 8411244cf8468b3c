# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM role calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

import json

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..base import aws_action
from ..base import error_code

# IAM is eventually consistent: a role just created may be unknown for a few seconds.
_NEW_ROLE = AWSRetry.jittered_backoff(retries=6, delay=1, max_delay=10, catch_extra_error_codes=["NoSuchEntity"])


def _all(client, operation, key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])


@aws_action("get role")
def get_role(client, name):
    """The role (trust policy decoded, tags inline), or None when it does not exist."""
    try:
        return client.get_role(RoleName=name)["Role"]
    except ClientError as error:
        if error_code(error) == "NoSuchEntity":
            return None
        raise


@aws_action("create role")
def create_role(client, name, path, trust_policy, description, max_session_duration, tags):
    params = {"RoleName": name, "Path": path, "AssumeRolePolicyDocument": json.dumps(trust_policy)}
    if description:
        params["Description"] = description
    if max_session_duration:
        params["MaxSessionDuration"] = max_session_duration
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_role(**params)["Role"]


@aws_action("update role")
@_NEW_ROLE
def update_role(client, name, description, max_session_duration):
    params = {"RoleName": name, "Description": description or ""}
    if max_session_duration:
        params["MaxSessionDuration"] = max_session_duration
    client.update_role(**params)


@aws_action("update the role's trust policy")
@_NEW_ROLE
def update_trust_policy(client, name, trust_policy):
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust_policy))


@aws_action("list the role's attached policies")
def attached_policy_arns(client, name):
    return [policy["PolicyArn"] for policy in _all(client, "list_attached_role_policies", "AttachedPolicies", RoleName=name)]


@aws_action("attach a managed policy")
@_NEW_ROLE
def attach_policy(client, name, arn):
    client.attach_role_policy(RoleName=name, PolicyArn=arn)


@aws_action("detach a managed policy")
def detach_policy(client, name, arn):
    client.detach_role_policy(RoleName=name, PolicyArn=arn)


@aws_action("list the role's inline policies")
def inline_policy_names(client, name):
    return _all(client, "list_role_policies", "PolicyNames", RoleName=name)


@aws_action("get an inline policy")
def get_inline_policy(client, name, policy_name):
    """The policy document (boto3 decodes IAM's URL-encoded JSON into a dict)."""
    return client.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]


@aws_action("put an inline policy")
@_NEW_ROLE
def put_inline_policy(client, name, policy_name, document):
    client.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document))


@aws_action("delete an inline policy")
def delete_inline_policy(client, name, policy_name):
    client.delete_role_policy(RoleName=name, PolicyName=policy_name)


@aws_action("list the role's tags")
def role_tags(client, name):
    return boto3_tag_list_to_ansible_dict(_all(client, "list_role_tags", "Tags", RoleName=name))


@aws_action("tag role")
@_NEW_ROLE
def tag_role(client, name, tags):
    client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag role")
def untag_role(client, name, keys):
    client.untag_role(RoleName=name, TagKeys=list(keys))


@aws_action("list the role's instance profiles")
def instance_profile_names(client, name):
    return [profile["InstanceProfileName"] for profile in _all(client, "list_instance_profiles_for_role", "InstanceProfiles", RoleName=name)]


@aws_action("remove the role from an instance profile")
def remove_from_instance_profile(client, name, profile_name):
    client.remove_role_from_instance_profile(RoleName=name, InstanceProfileName=profile_name)


@aws_action("delete role")
def delete_role(client, name):
    client.delete_role(RoleName=name)

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Backup calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ..base import AWSActionError
from ..base import aws_action
from ..base import error_code

# AWS answers DescribeBackupVault for a vault that does not exist with AccessDeniedException;
# the emulator (and the API model) say ResourceNotFoundException. Both mean "absent".
VAULT_MISSING = ("AccessDeniedException", "ResourceNotFoundException")


def _paginate(client, operation, key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])


# --- vaults ------------------------------------------------------------------------------


def describe_vault(client, name):
    """The vault's description, or None when it does not exist."""
    try:
        return _describe_vault(client, name)
    except AWSActionError as error:
        if error_code(error) in VAULT_MISSING:
            return None
        raise


@aws_action("describe backup vault")
def _describe_vault(client, name):
    response = client.describe_backup_vault(BackupVaultName=name)
    response.pop("ResponseMetadata", None)
    return response


@aws_action("create backup vault")
def create_vault(client, name, kms_key_arn, tags):
    params = {"BackupVaultName": name}
    if kms_key_arn:
        params["EncryptionKeyArn"] = kms_key_arn
    if tags:
        params["BackupVaultTags"] = tags
    response = client.create_backup_vault(**params)
    response.pop("ResponseMetadata", None)
    return response


@aws_action("delete backup vault")
def delete_vault(client, name):
    client.delete_backup_vault(BackupVaultName=name)


# --- tags (vaults and plans) -------------------------------------------------------------


@aws_action("list backup tags")
def tags_of(client, arn):
    # ListTags has no botocore paginator; follow NextToken (a resource holds at most 50 tags).
    tags, token = {}, None
    while True:
        params = {"ResourceArn": arn}
        if token:
            params["NextToken"] = token
        response = client.list_tags(**params)
        tags.update(response.get("Tags", {}))
        token = response.get("NextToken")
        if not token:
            return tags


@aws_action("tag backup resource")
def tag(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags)


@aws_action("untag backup resource")
def untag(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeyList=list(keys))


# --- plans -------------------------------------------------------------------------------


@aws_action("list backup plans")
def plans_named(client, name):
    return [plan for plan in _paginate(client, "list_backup_plans", "BackupPlansList") if plan.get("BackupPlanName") == name]


@aws_action("get backup plan")
def get_plan(client, plan_id):
    response = client.get_backup_plan(BackupPlanId=plan_id)
    response.pop("ResponseMetadata", None)
    return response


@aws_action("create backup plan")
def create_plan(client, document, tags):
    params = {"BackupPlan": document}
    if tags:
        params["BackupPlanTags"] = tags
    response = client.create_backup_plan(**params)
    response.pop("ResponseMetadata", None)
    return response


@aws_action("update backup plan")
def update_plan(client, plan_id, document):
    response = client.update_backup_plan(BackupPlanId=plan_id, BackupPlan=document)
    response.pop("ResponseMetadata", None)
    return response


@aws_action("delete backup plan")
def delete_plan(client, plan_id):
    client.delete_backup_plan(BackupPlanId=plan_id)


# --- selections --------------------------------------------------------------------------


@aws_action("list backup selections")
def selections(client, plan_id):
    return _paginate(client, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan_id)


@aws_action("get backup selection")
def get_selection(client, plan_id, selection_id):
    return client.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)["BackupSelection"]


@aws_action("create backup selection")
def create_selection(client, plan_id, selection):
    return client.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection)["SelectionId"]


@aws_action("delete backup selection")
def delete_selection(client, plan_id, selection_id):
    client.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)

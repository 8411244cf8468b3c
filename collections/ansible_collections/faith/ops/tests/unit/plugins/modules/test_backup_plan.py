# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""backup_plan against botocore's Stubber: the real AWS Backup API shapes, no emulator.

The emulator implements neither backup selections nor UpdateBackupPlan and answers a
missing vault differently from AWS, so these paths are proven here against the request
and response shapes of botocore's service model.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import backup_plan

ACCOUNT = "123456789012"
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:faith-vault"
DR_VAULT_ARN = f"arn:aws:backup:us-west-2:{ACCOUNT}:backup-vault:faith-dr-vault"
PLAN_ID = "8a8f6c2e-2b6e-4a57-9f0e-1d2c3b4a5f60"
PLAN_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-plan:{PLAN_ID}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/faith-backup"
TABLE_ARNS = [f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/faith-{name}" for name in ("ConsentLogs", "UserProfiles")]
TAGS = {"Application": "faith-chatbot", "Environment": "test"}
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

DOCUMENT = {
    "BackupPlanName": "faith-plan",
    "Rules": [
        {
            "RuleName": "daily",
            "TargetBackupVaultName": "faith-vault",
            "ScheduleExpression": "cron(0 5 ? * * *)",
            "Lifecycle": {"DeleteAfterDays": 35},
            "CopyActions": [{"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 35}}],
        },
        {
            "RuleName": "weekly",
            "TargetBackupVaultName": "faith-vault",
            "ScheduleExpression": "cron(0 3 ? * SUN *)",
            "Lifecycle": {"DeleteAfterDays": 365, "MoveToColdStorageAfterDays": 30},
            "CopyActions": [{"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 90}}],
        },
    ],
}
SELECTION = {
    "SelectionName": "tables",
    "IamRoleArn": ROLE_ARN,
    "Resources": TABLE_ARNS,
    "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "daily"}],
}


def described_plan():
    """GetBackupPlan as AWS answers it: rule ids and defaults the request never sent."""
    rules = []
    for index, rule in enumerate(DOCUMENT["Rules"]):
        rules.append(
            dict(
                rule,
                RuleId=f"rule-{index}",
                ScheduleExpressionTimezone="Etc/UTC",
                StartWindowMinutes=480,
                CompletionWindowMinutes=10080,
                EnableContinuousBackup=False,
                Lifecycle=dict(rule["Lifecycle"], OptInToArchiveForSupportedResources=False),
            )
        )
    return {
        "BackupPlan": {"BackupPlanName": "faith-plan", "Rules": rules},
        "BackupPlanId": PLAN_ID,
        "BackupPlanArn": PLAN_ARN,
        "VersionId": "v1",
        "CreationDate": NOW,
    }


def described_selection(resources=None):
    return {
        "BackupSelection": dict(
            SELECTION,
            Resources=list(reversed(resources or TABLE_ARNS)),
            NotResources=[],
            Conditions={"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []},
        ),
        "SelectionId": "selection-1",
        "BackupPlanId": PLAN_ID,
        "CreationDate": NOW,
    }


class FakeModule:
    """Just what backup_plan uses of FaithAWSModule, with Stubber-backed clients per region."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = dict(
            name="faith-plan",
            state="present",
            vault_name="faith-vault",
            vault_kms_key_arn=None,
            rules=[
                rule("daily", "cron(0 5 ? * * *)", 35, None, [copy_to()]),
                rule("weekly", "cron(0 3 ? * SUN *)", 365, 30, [copy_to(delete_after_days=90)]),
            ],
            manage_destination_vaults=True,
            selection={"name": "tables", "iam_role_arn": ROLE_ARN, "resources": TABLE_ARNS, "resource_tags": {"Backup": "daily"}},
            manage_selection=True,
            keep_vaults=False,
            tags=TAGS,
            purge_tags=True,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.region = "us-east-1"
        self.clients = clients

    def client(self, service, region=None):
        assert service == "backup"
        return self.clients[region or self.region]


def rule(name, schedule, delete_after, move_to_cold, copies):
    return dict(name=name, schedule=schedule, timezone=None, start_window_minutes=None, completion_window_minutes=None,
                delete_after_days=delete_after, move_to_cold_storage_after_days=move_to_cold, enable_continuous_backup=False,
                recovery_point_tags=None, copy_to=copies)


def copy_to(**fields):
    return dict(dict(destination_vault_arn=None, region="us-west-2", vault_name="faith-dr-vault", delete_after_days=None,
                     move_to_cold_storage_after_days=None), **fields)


@pytest.fixture
def stubbed():
    clients, stubbers = {}, {}
    for region in ("us-east-1", "us-west-2"):
        clients[region] = boto3.client("backup", region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
        stubbers[region] = Stubber(clients[region])
        stubbers[region].activate()
    yield clients, stubbers["us-east-1"], stubbers["us-west-2"]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def stub_existing_vaults(primary, dr):
    primary.add_response("describe_backup_vault", {"BackupVaultName": "faith-vault", "BackupVaultArn": VAULT_ARN}, {"BackupVaultName": "faith-vault"})
    primary.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": VAULT_ARN})
    dr.add_response("describe_backup_vault", {"BackupVaultName": "faith-dr-vault", "BackupVaultArn": DR_VAULT_ARN}, {"BackupVaultName": "faith-dr-vault"})
    dr.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": DR_VAULT_ARN})


def stub_existing_plan(primary):
    primary.add_response(
        "list_backup_plans",
        {"BackupPlansList": [{"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "BackupPlanName": "faith-plan", "VersionId": "v1"}]},
        {},
    )
    primary.add_response("get_backup_plan", described_plan(), {"BackupPlanId": PLAN_ID})


def stub_existing_selection(primary, resources=None):
    primary.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionId": "selection-1", "SelectionName": "tables", "BackupPlanId": PLAN_ID, "IamRoleArn": ROLE_ARN}]},
        {"BackupPlanId": PLAN_ID},
    )
    primary.add_response("get_backup_selection", described_selection(resources), {"BackupPlanId": PLAN_ID, "SelectionId": "selection-1"})


def test_creates_vaults_plan_and_selection_when_aws_denies_the_missing_vaults(stubbed):
    """AWS answers AccessDeniedException for a vault that does not exist (amazon.aws backup_vault's defect)."""
    clients, primary, dr = stubbed
    primary.add_client_error("describe_backup_vault", "AccessDeniedException", http_status_code=403, expected_params={"BackupVaultName": "faith-vault"})
    primary.add_response(
        "create_backup_vault", {"BackupVaultName": "faith-vault", "BackupVaultArn": VAULT_ARN, "CreationDate": NOW},
        {"BackupVaultName": "faith-vault", "BackupVaultTags": TAGS},
    )
    dr.add_client_error("describe_backup_vault", "AccessDeniedException", http_status_code=403, expected_params={"BackupVaultName": "faith-dr-vault"})
    dr.add_response(
        "create_backup_vault", {"BackupVaultName": "faith-dr-vault", "BackupVaultArn": DR_VAULT_ARN, "CreationDate": NOW},
        {"BackupVaultName": "faith-dr-vault", "BackupVaultTags": TAGS},
    )
    primary.add_response("list_backup_plans", {"BackupPlansList": []}, {})
    primary.add_response(
        "create_backup_plan", {"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v1", "CreationDate": NOW},
        {"BackupPlan": DOCUMENT, "BackupPlanTags": TAGS},
    )
    primary.add_response(
        "create_backup_selection", {"SelectionId": "selection-1", "BackupPlanId": PLAN_ID, "CreationDate": NOW},
        {"BackupPlanId": PLAN_ID, "BackupSelection": SELECTION},
    )
    module = FakeModule(clients)
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert result["plan"]["backup_plan_id"] == PLAN_ID
    assert result["selection"]["selection_id"] == "selection-1"
    assert result["destination_vaults"] == [{"name": "faith-dr-vault", "region": "us-west-2", "arn": DR_VAULT_ARN}]
    assert module.actions == [
        "create backup vault faith-vault in us-east-1",
        "create backup vault faith-dr-vault in us-west-2",
        "create backup plan faith-plan",
        "create backup selection tables",
    ]


def test_unchanged_plan_and_selection_make_no_write(stubbed):
    clients, primary, dr = stubbed
    stub_existing_vaults(primary, dr)
    stub_existing_plan(primary)
    primary.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": PLAN_ARN})
    stub_existing_selection(primary)
    module = FakeModule(clients)
    result = backup_plan.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["selection"]["selection_id"] == "selection-1"
    assert result["diff"]["before"] == result["diff"]["after"]


def test_changed_rule_updates_the_plan_in_place(stubbed):
    clients, primary, dr = stubbed
    stub_existing_vaults(primary, dr)
    stub_existing_plan(primary)
    changed_document = {
        "BackupPlanName": "faith-plan",
        "Rules": [dict(DOCUMENT["Rules"][0], Lifecycle={"DeleteAfterDays": 14},
                       CopyActions=[dict(DOCUMENT["Rules"][0]["CopyActions"][0], Lifecycle={"DeleteAfterDays": 14})]),
                  DOCUMENT["Rules"][1]],
    }
    primary.add_response(
        "update_backup_plan", {"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v2", "CreationDate": NOW},
        {"BackupPlanId": PLAN_ID, "BackupPlan": changed_document},
    )
    primary.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": PLAN_ARN})
    module = FakeModule(clients, manage_selection=False)
    module.params["rules"][0]["delete_after_days"] = 14
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert result["plan"]["version_id"] == "v2"
    assert module.actions == ["update backup plan faith-plan"]


def test_changed_selection_is_replaced(stubbed):
    clients, primary, dr = stubbed
    stub_existing_vaults(primary, dr)
    stub_existing_plan(primary)
    primary.add_response("list_tags", {"Tags": TAGS}, {"ResourceArn": PLAN_ARN})
    stub_existing_selection(primary, resources=TABLE_ARNS[:1])
    primary.add_response("delete_backup_selection", {}, {"BackupPlanId": PLAN_ID, "SelectionId": "selection-1"})
    primary.add_response(
        "create_backup_selection", {"SelectionId": "selection-2", "BackupPlanId": PLAN_ID, "CreationDate": NOW},
        {"BackupPlanId": PLAN_ID, "BackupSelection": SELECTION},
    )
    module = FakeModule(clients)
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert result["selection"]["selection_id"] == "selection-2"
    assert module.actions == ["replace backup selection tables"]


def test_check_mode_reports_the_replacement_without_writing(stubbed):
    clients, primary, dr = stubbed
    stub_existing_vaults(primary, dr)
    stub_existing_plan(primary)
    primary.add_response("list_tags", {"Tags": {"Application": "faith-chatbot"}}, {"ResourceArn": PLAN_ARN})
    stub_existing_selection(primary, resources=TABLE_ARNS[:1])
    module = FakeModule(clients, check_mode=True)
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["retag backup plan faith-plan", "replace backup selection tables"]


def test_absent_deletes_selections_before_the_plan_then_the_vaults(stubbed):
    clients, primary, dr = stubbed
    stub_existing_plan(primary)
    primary.add_response(
        "list_backup_selections",
        {"BackupSelectionsList": [{"SelectionId": "selection-1", "SelectionName": "tables", "BackupPlanId": PLAN_ID}]},
        {"BackupPlanId": PLAN_ID},
    )
    primary.add_response("delete_backup_selection", {}, {"BackupPlanId": PLAN_ID, "SelectionId": "selection-1"})
    primary.add_response("delete_backup_plan", {"BackupPlanId": PLAN_ID, "BackupPlanArn": PLAN_ARN, "VersionId": "v1"}, {"BackupPlanId": PLAN_ID})
    primary.add_response("describe_backup_vault", {"BackupVaultName": "faith-vault", "BackupVaultArn": VAULT_ARN}, {"BackupVaultName": "faith-vault"})
    primary.add_response("delete_backup_vault", {}, {"BackupVaultName": "faith-vault"})
    dr.add_client_error("describe_backup_vault", "ResourceNotFoundException", http_status_code=404, expected_params={"BackupVaultName": "faith-dr-vault"})
    module = FakeModule(clients, state="absent")
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert module.actions == [
        "delete backup selection tables",
        "delete backup plan faith-plan",
        "delete backup vault faith-vault in us-east-1",
    ]


def test_absent_without_selection_management_never_calls_the_selection_api(stubbed):
    clients, primary, _dr = stubbed
    stub_existing_plan(primary)
    primary.add_response("delete_backup_plan", {"BackupPlanId": PLAN_ID}, {"BackupPlanId": PLAN_ID})
    module = FakeModule(clients, state="absent", manage_selection=False, keep_vaults=True)
    result = backup_plan.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["delete backup plan faith-plan"]


def test_a_different_vault_key_fails_naming_the_option(stubbed):
    clients, primary, _dr = stubbed
    primary.add_response(
        "describe_backup_vault",
        {"BackupVaultName": "faith-vault", "BackupVaultArn": VAULT_ARN, "EncryptionKeyArn": "arn:aws:kms:us-east-1:123456789012:key/old"},
        {"BackupVaultName": "faith-vault"},
    )
    module = FakeModule(clients, vault_kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/new")
    with pytest.raises(OptionError) as raised:
        backup_plan.ensure(module)
    assert raised.value.option == "vault_kms_key_arn"


def test_copy_to_own_region_fails_before_any_call(stubbed):
    clients, _primary, _dr = stubbed
    module = FakeModule(clients)
    module.params["rules"][0]["copy_to"] = [copy_to(region="us-east-1")]
    with pytest.raises(OptionError) as raised:
        backup_plan.ensure(module)
    assert raised.value.option == "rules[0].copy_to[0].region"

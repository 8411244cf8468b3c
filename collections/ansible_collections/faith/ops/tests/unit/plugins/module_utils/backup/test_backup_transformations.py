# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import canonical_plan
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import canonical_selection
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import copy_destinations
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import plan_document
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import selection_document
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import validate_names
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import validate_rules
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import validate_schedule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr"


def copy(**fields):
    base = dict(destination_vault_arn=None, region=None, vault_name=None, delete_after_days=None, move_to_cold_storage_after_days=None)
    base.update(fields)
    return base


def rule(**fields):
    base = dict(name="daily", schedule="cron(0 5 ? * * *)", timezone=None, start_window_minutes=None, completion_window_minutes=None,
                delete_after_days=35, move_to_cold_storage_after_days=None, enable_continuous_backup=False, recovery_point_tags=None,
                copy_to=[copy(region="us-west-2", vault_name="dr")])
    base.update(fields)
    return base


def test_plan_document_inherits_the_rule_lifecycle_for_copies():
    rules = [rule(), rule(name="weekly", schedule="cron(0 3 ? * SUN *)", move_to_cold_storage_after_days=30, delete_after_days=365,
                          copy_to=[copy(destination_vault_arn=DR_VAULT, delete_after_days=90)])]
    document = plan_document("plan", "vault", rules, {(0, 0): DR_VAULT, (1, 0): DR_VAULT})
    daily, weekly = sorted(document["Rules"], key=lambda item: item["RuleName"])
    assert daily == {
        "RuleName": "daily",
        "TargetBackupVaultName": "vault",
        "ScheduleExpression": "cron(0 5 ? * * *)",
        "Lifecycle": {"DeleteAfterDays": 35},
        "CopyActions": [{"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": 35}}],
    }
    assert weekly["Lifecycle"] == {"DeleteAfterDays": 365, "MoveToColdStorageAfterDays": 30}
    assert weekly["CopyActions"] == [{"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": 90}}]


def test_aws_filled_defaults_do_not_make_a_difference():
    """The amazon.aws#1952 defect: AWS returns fields the request never had."""
    document = plan_document("plan", "vault", [rule()], {(0, 0): DR_VAULT})
    described = {
        "BackupPlanName": "plan",
        "Rules": [
            {
                "RuleName": "daily",
                "RuleId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                "TargetBackupVaultName": "vault",
                "ScheduleExpression": "cron(0 5 ? * * *)",
                "ScheduleExpressionTimezone": "Etc/UTC",
                "StartWindowMinutes": 480,
                "CompletionWindowMinutes": 10080,
                "EnableContinuousBackup": False,
                "Lifecycle": {"DeleteAfterDays": 35, "OptInToArchiveForSupportedResources": False},
                "CopyActions": [{"DestinationBackupVaultArn": DR_VAULT, "Lifecycle": {"DeleteAfterDays": 35}}],
            }
        ],
    }
    assert canonical_plan(described) == document
    described["Rules"][0]["StartWindowMinutes"] = 120
    assert canonical_plan(described) != document


def test_copy_destinations_accept_arn_or_region_and_name():
    rules = [rule(copy_to=[copy(region="us-west-2", vault_name="dr"), copy(destination_vault_arn=DR_VAULT)])]
    assert copy_destinations(rules, "us-east-1") == [(0, 0, {"region": "us-west-2", "vault_name": "dr"}), (0, 1, {"arn": DR_VAULT})]


@pytest.mark.parametrize(
    "target, option",
    [
        (copy(region="us-east-1", vault_name="dr"), "rules[0].copy_to[0].region"),
        (copy(destination_vault_arn="arn:aws:backup:us-east-1:123456789012:backup-vault:dr"), "rules[0].copy_to[0].destination_vault_arn"),
    ],
)
def test_copy_to_the_plans_own_region_is_refused(target, option):
    with pytest.raises(OptionError) as raised:
        validate_rules([rule(copy_to=[target])], "us-east-1")
    assert raised.value.option == option
    assert "own region" in str(raised.value)


@pytest.mark.parametrize(
    "overrides, option, words",
    [
        ({"name": "daily backup"}, "rules[0].name", "letters"),
        ({"delete_after_days": 0}, "rules[0].delete_after_days", "at least 1"),
        ({"move_to_cold_storage_after_days": 30, "delete_after_days": 100}, "rules[0].delete_after_days", "no sooner than 120"),
        ({"start_window_minutes": 30}, "rules[0].start_window_minutes", "at least 60"),
        ({"start_window_minutes": 60, "completion_window_minutes": 90}, "rules[0].completion_window_minutes", "60 minutes longer"),
        ({"enable_continuous_backup": True, "delete_after_days": 40}, "rules[0].delete_after_days", "1 to 35"),
        ({"enable_continuous_backup": True, "move_to_cold_storage_after_days": 10}, "rules[0].move_to_cold_storage_after_days", "cold storage"),
        ({"timezone": "Europe London"}, "rules[0].timezone", "time zone"),
        # Well-formed, but no such zone in the IANA database.
        ({"timezone": "Mars/Olympus"}, "rules[0].timezone", "IANA time zone"),
        ({"timezone": "Europe/Lundon"}, "rules[0].timezone", "IANA time zone"),
        ({"copy_to": [copy(region="us-west-2")]}, "rules[0].copy_to[0]", "both region and vault_name"),
        ({"copy_to": [copy(region="west", vault_name="dr")]}, "rules[0].copy_to[0].region", "region name"),
        ({"copy_to": [copy(destination_vault_arn="arn:aws:s3:::bucket")]}, "rules[0].copy_to[0].destination_vault_arn", "vault ARN"),
        ({"copy_to": [copy(destination_vault_arn=DR_VAULT, region="us-west-2")]}, "rules[0].copy_to[0]", "not both"),
        ({"copy_to": [copy(region="us-west-2", vault_name="dr", move_to_cold_storage_after_days=10, delete_after_days=20)]},
         "rules[0].copy_to[0].delete_after_days", "no sooner than 100"),
    ],
)
def test_invalid_rules_name_the_option(overrides, option, words):
    with pytest.raises(OptionError) as raised:
        validate_rules([rule(**overrides)], "us-east-1")
    assert raised.value.option == option
    assert words in str(raised.value)


def test_rules_are_required_and_unique():
    with pytest.raises(OptionError) as raised:
        validate_rules([], "us-east-1")
    assert raised.value.option == "rules"
    with pytest.raises(OptionError) as raised:
        validate_rules([rule(), rule()], "us-east-1")
    assert raised.value.option == "rules[1].name"


@pytest.mark.parametrize("schedule", ["cron(0 5 ? * * *)", "cron(30 */4 ? * * *)", "cron(0 3 ? * SUN *)", "cron(0 1 1 * ? *)", "cron(15 2,14 ? * MON-FRI *)"])
def test_valid_schedules(schedule):
    validate_schedule(schedule, "rules[0].schedule")


@pytest.mark.parametrize(
    "schedule, words",
    [
        ("rate(1 day)", "not a cron expression"),
        ("cron(0 5 * * *)", "has 5 fields"),
        ("cron(*/5 * ? * * *)", "at most hourly"),
        ("cron(0 25 ? * * *)", "hours field"),
        ("cron(0 5 * * * *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 5 ? * * 20x)", "year field"),
    ],
)
def test_invalid_schedules(schedule, words):
    with pytest.raises(OptionError) as raised:
        validate_schedule(schedule, "rules[0].schedule")
    assert raised.value.option == "rules[0].schedule"
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "name, vault, option",
    [("plan with spaces", "vault", "name"), ("p" * 51, "vault", "name"), ("plan", "v", "vault_name"), ("plan", "vault.name", "vault_name")],
)
def test_invalid_names(name, vault, option):
    with pytest.raises(OptionError) as raised:
        validate_names(name, vault)
    assert raised.value.option == option


def test_selection_document_and_described_selection_compare_equal():
    desired = selection_document(
        {"name": "tables", "iam_role_arn": "arn:aws:iam::123456789012:role/backup",
         "resources": ["arn:aws:dynamodb:us-east-1:123456789012:table/b", "arn:aws:dynamodb:us-east-1:123456789012:table/a"],
         "resource_tags": {"Backup": "daily"}}
    )
    described = {
        "SelectionName": "tables",
        "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
        "Resources": ["arn:aws:dynamodb:us-east-1:123456789012:table/a", "arn:aws:dynamodb:us-east-1:123456789012:table/b"],
        "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "Backup", "ConditionValue": "daily"}],
        "NotResources": [],
        "Conditions": {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []},
    }
    assert canonical_selection(described) == desired


@pytest.mark.parametrize(
    "selection, option",
    [
        ({"name": "tables", "iam_role_arn": "backup-role", "resources": ["*"]}, "selection.iam_role_arn"),
        ({"name": "tables", "iam_role_arn": "arn:aws:iam::123456789012:role/backup"}, "selection"),
        ({"name": "tables", "iam_role_arn": "arn:aws:iam::123456789012:role/backup", "resources": ["table/a"]}, "selection.resources"),
        ({"name": "my tables", "iam_role_arn": "arn:aws:iam::123456789012:role/backup", "resources": ["*"]}, "selection.name"),
    ],
)
def test_invalid_selection_names_the_option(selection, option):
    with pytest.raises(OptionError) as raised:
        selection_document(selection)
    assert raised.value.option == option


@pytest.mark.parametrize("zone", ["Europe/London", "America/Argentina/Buenos_Aires", "Etc/UTC", "UTC"])
def test_iana_time_zones_are_accepted(zone):
    validate_rules([rule(timezone=zone)], "us-east-1")

"""The emulator wrapper: request accounting and its fidelity fixes, against the real process."""

from __future__ import annotations

import boto3
import pytest


def client(emulator, service, region="us-east-1"):
    return boto3.client(
        service, endpoint_url=emulator.url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def test_requests_are_counted_as_reads_and_writes_across_protocols(emulator):
    emulator.reset()
    client(emulator, "ec2").describe_vpcs()  # query protocol
    client(emulator, "dynamodb").list_tables()  # JSON protocol
    client(emulator, "cloudwatch").describe_alarms()
    client(emulator, "ec2", "us-west-2").create_vpc(CidrBlock="10.9.0.0/16")
    client(emulator, "sqs").create_queue(QueueName="accounting")
    counts = emulator.requests()
    assert counts["read_operations"] == {"DescribeVpcs": 1, "ListTables": 1, "DescribeAlarms": 1}
    assert counts["write_operations"] == {"CreateVpc": 1, "CreateQueue": 1}
    assert (counts["reads"], counts["writes"]) == (3, 2)


def test_a_deleted_backup_plan_name_can_be_reused_as_on_aws(emulator):
    emulator.reset()
    backup = client(emulator, "backup")
    backup.create_backup_vault(BackupVaultName="vault")
    plan = {"BackupPlanName": "daily", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "vault"}]}
    first = backup.create_backup_plan(BackupPlan=plan)
    with pytest.raises(backup.exceptions.AlreadyExistsException):
        backup.create_backup_plan(BackupPlan=plan)
    backup.delete_backup_plan(BackupPlanId=first["BackupPlanId"])
    second = backup.create_backup_plan(BackupPlan=plan)
    assert second["BackupPlanId"] != first["BackupPlanId"]
    names = [p["BackupPlanName"] for p in backup.list_backup_plans()["BackupPlansList"]]
    assert names == ["daily"]

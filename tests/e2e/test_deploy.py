"""The whole stack on the local platform, as an operator runs it.

`make deploy` from empty, then: the chatbot answers through HAProxy; a re-run changes and
writes nothing; `--check --diff` agrees; drift made by hand is reported exactly and repaired;
bad input changes nothing; teardown removes everything. The chatbot checks live in
test_chatbot.py, teardown in test_teardown.py (it runs last); all share one deployed stack.
"""

from __future__ import annotations

import json

import boto3


def test_make_deploy_creates_the_stack_and_ends_with_a_chat_example(deployed):
    run, requests = deployed
    assert run.recap["failed"] == 0
    assert run.recap["changed"] > 20
    writes = requests["write_operations"]
    for operation in ("CreateVpc", "CreateLoadBalancer", "CreateTable", "CreateService", "PutMetricAlarm"):
        assert writes.get(operation), operation
    # AWS Backup speaks REST: the emulator's accounting names its calls by verb and path.
    assert any(op.startswith("PUT /backup/plans") for op in writes), sorted(writes)
    assert "curl -s -X POST http://127.0.0.1:" in run.stdout


def test_second_deploy_changes_nothing_and_writes_nothing(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml")
    assert run.returncode == 0, run.stdout[-8000:]
    assert run.recap["changed"] == 0
    requests = platform.requests()
    # Not even the environment's lock: deploy.yml takes it at the first write, and there is none.
    assert requests["writes"] == 0, requests["write_operations"]


def test_check_diff_on_the_converged_stack_reports_nothing(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml", "--check", "--diff")
    assert run.returncode == 0, run.stdout[-8000:]
    assert run.recap["changed"] == 0
    assert platform.requests()["writes"] == 0


def test_bad_extra_vars_fail_before_any_write(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml", "-e", "network_nat_mode=sometimes")
    assert run.returncode != 0
    assert "network_nat_mode" in run.stdout
    assert platform.requests()["writes"] == 0


def aws(platform, service):
    return boto3.client(
        service, endpoint_url=platform.endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def test_drift_is_reported_exactly_then_repaired(deployed, platform, playbook, tmp_path):
    report = tmp_path / "drift.json"
    clean = playbook("drift.yml", "-e", f"drift_report={report}")
    assert clean.returncode == 0, clean.stdout[-6000:]
    assert json.loads(report.read_text()) == {"drift": False, "findings": []}

    alarms = aws(platform, "cloudwatch")
    ours = [a["AlarmName"] for a in alarms.describe_alarms(AlarmNamePrefix="faith-chatbot-local-")["MetricAlarms"]]
    alarms.delete_alarms(AlarmNames=[ours[0]])
    aws(platform, "dynamodb").update_continuous_backups(
        TableName="faith-chatbot-local-PrayerRequests", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    ec2 = aws(platform, "ec2")
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["faith-chatbot-local-alb"]}])["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )

    drifted = playbook("drift.yml", "-e", f"drift_report={report}")
    assert drifted.returncode == 2, drifted.stdout[-6000:]
    findings = json.loads(report.read_text())["findings"]
    assert sorted((f["resource"], f["field"]) for f in findings) == sorted([
        ("faith.ops.security_group faith-chatbot-local-alb", "rules"),
        ("faith.ops.dynamodb_table", "faith-chatbot-local-PrayerRequests.point_in_time_recovery"),
        ("faith.ops.metric_alarms faith-chatbot-local", ours[0]),
    ])
    rules = next(f for f in findings if f["field"] == "rules")
    assert any(rule.get("from_port") == 22 for rule in rules["actual"])
    assert not any(rule.get("from_port") == 22 for rule in rules["expected"])

    repaired = playbook("deploy.yml")
    assert repaired.returncode == 0
    assert repaired.recap["changed"] == 3
    assert playbook("drift.yml", "-e", f"drift_report={report}").returncode == 0

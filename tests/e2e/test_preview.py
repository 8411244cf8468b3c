"""A preview never writes: drift on a resource of each kind the roles once managed with stock
modules (log group, secret, IAM role, SNS topic, SQS queue) is reported by `--check --diff`
and by drift.yml with expected and actual values and 0 writes, then repaired by deploy.yml.

Shares the deployed stack of the other end-to-end modules and leaves it converged.
"""

from __future__ import annotations

import json

import boto3
import pytest

PREFIX = "faith-chatbot-local"
LOG_GROUP = f"/ecs/{PREFIX}"
SECRET = f"{PREFIX}/config"
TASK_ROLE = f"{PREFIX}-task"
TOPIC = f"{PREFIX}-alarms"
QUEUE = f"{PREFIX}-prayer-requests"
ALARM_EMAIL = "ops@example.org"
WIDE_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}

# (resource as the drift report names it, field) of each drift this module makes.
EXPECTED_FINDINGS = {
    (f"faith.ops.log_group {LOG_GROUP}", "retention_days"),
    (f"faith.ops.secret {SECRET}", "description"),
    (f"faith.ops.iam_role {TASK_ROLE}", f"inline_policies.{TASK_ROLE}.Statement"),
    (f"faith.ops.sns_topic {TOPIC}", "subscriptions"),
    (f"faith.ops.sqs_queue {QUEUE}", "message_retention_seconds"),
}


def aws(platform, service):
    return boto3.client(
        service, endpoint_url=platform.endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def topic_arn(sns):
    return next(topic["TopicArn"] for topic in sns.list_topics()["Topics"] if topic["TopicArn"].endswith(f":{TOPIC}"))


def make_drift(platform):
    """Change one setting of each resource behind the playbooks' back, as a console user would."""
    aws(platform, "logs").put_retention_policy(logGroupName=LOG_GROUP, retentionInDays=7)
    aws(platform, "secretsmanager").update_secret(SecretId=SECRET, Description="changed by hand")
    aws(platform, "iam").put_role_policy(RoleName=TASK_ROLE, PolicyName=TASK_ROLE, PolicyDocument=json.dumps(WIDE_POLICY))
    sns = aws(platform, "sns")
    for subscription in sns.list_subscriptions_by_topic(TopicArn=topic_arn(sns))["Subscriptions"]:
        if subscription["Endpoint"] == ALARM_EMAIL:
            sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
    sqs = aws(platform, "sqs")
    sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"], Attributes={"MessageRetentionPeriod": "3600"})


@pytest.fixture(scope="module")
def drifted(deployed, platform, playbook):
    """The deployed stack with the five drifts; converged again by deploy.yml afterwards, whatever happened."""
    make_drift(platform)
    yield
    playbook("deploy.yml")


def test_check_diff_reports_the_drift_without_writing(drifted, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml", "--check", "--diff")
    requests = platform.requests()
    assert run.returncode == 0, run.stdout[-8000:]
    assert requests["writes"] == 0, requests["write_operations"]
    assert run.recap["changed"] == 5, run.stdout[-8000:]
    # Each diff shows the value found (-) beside the declared one (+), whatever the indentation.
    removed = {line[1:].strip() for line in run.stdout.splitlines() if line.startswith("-") and not line.startswith("---")}
    added = {line[1:].strip() for line in run.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")}
    assert {"retention_days: 7", "description: changed by hand", "- sqs:*", "message_retention_seconds: 3600", "subscriptions: []"} <= removed
    assert {"retention_days: 30", "- sqs:SendMessage", "message_retention_seconds: 345600", f"-   endpoint: {ALARM_EMAIL}"} <= added
    assert any(line.startswith("description: Secret settings of faith-chatbot (local)") for line in added)


def test_drift_report_names_each_drift_with_expected_and_actual_values(drifted, platform, playbook, tmp_path):
    report = tmp_path / "drift.json"
    platform.reset_requests()
    run = playbook("drift.yml", "-e", f"drift_report={report}")
    requests = platform.requests()
    assert run.returncode == 2, run.stdout[-8000:]
    assert requests["writes"] == 0, requests["write_operations"]

    findings = {(finding["resource"], finding["field"]): finding for finding in json.loads(report.read_text())["findings"]}
    assert set(findings) == EXPECTED_FINDINGS, sorted(findings)

    retention = findings[(f"faith.ops.log_group {LOG_GROUP}", "retention_days")]
    assert (retention["expected"], retention["actual"]) == (30, 7)

    description = findings[(f"faith.ops.secret {SECRET}", "description")]
    assert description["actual"] == "changed by hand"
    assert description["expected"].startswith("Secret settings of faith-chatbot (local)")

    statements = findings[(f"faith.ops.iam_role {TASK_ROLE}", f"inline_policies.{TASK_ROLE}.Statement")]
    assert statements["actual"] == [{"Action": ["sqs:*"], "Effect": "Allow", "Resource": ["*"]}]
    assert {statement["Sid"] for statement in statements["expected"]} >= {"UseAppTables", "QueuePrayerRequests"}

    subscriptions = findings[(f"faith.ops.sns_topic {TOPIC}", "subscriptions")]
    assert subscriptions["actual"] in (None, [])
    assert [item["endpoint"] for item in subscriptions["expected"]] == [ALARM_EMAIL]

    queue_retention = findings[(f"faith.ops.sqs_queue {QUEUE}", "message_retention_seconds")]
    assert (queue_retention["expected"], queue_retention["actual"]) == (345600, 3600)


def test_deploy_repairs_the_drift(drifted, platform, playbook, tmp_path):
    repaired = playbook("deploy.yml")
    assert repaired.returncode == 0, repaired.stdout[-8000:]
    assert repaired.recap["changed"] == 5, repaired.stdout[-8000:]

    assert aws(platform, "logs").describe_log_groups(logGroupNamePrefix=LOG_GROUP)["logGroups"][0]["retentionInDays"] == 30
    assert aws(platform, "secretsmanager").describe_secret(SecretId=SECRET)["Description"].startswith("Secret settings of")
    policy = aws(platform, "iam").get_role_policy(RoleName=TASK_ROLE, PolicyName=TASK_ROLE)["PolicyDocument"]
    assert "sqs:*" not in json.dumps(policy)
    sns = aws(platform, "sns")
    assert [item["Endpoint"] for item in sns.list_subscriptions_by_topic(TopicArn=topic_arn(sns))["Subscriptions"]] == [ALARM_EMAIL]

    report = tmp_path / "drift.json"
    clean = playbook("drift.yml", "-e", f"drift_report={report}")
    assert clean.returncode == 0, clean.stdout[-6000:]
    assert json.loads(report.read_text()) == {"drift": False, "findings": []}

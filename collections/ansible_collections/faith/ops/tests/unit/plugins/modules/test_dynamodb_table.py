# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynamodb_table against botocore's Stubber: the real DynamoDB and KMS API shapes, no emulator.

The emulator ignores ReplicaUpdates and SSESpecification on UpdateTable, cannot enable a
stream again once disabled, and makes every table, index and replica ACTIVE at once, so
global tables, encryption changes, stream view changes and the waits between steps are
proven here, against the request and response shapes of botocore's service model.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dynamodb.transformations import TABLE_OPTIONS
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.waiting import WaitTimeout
from ansible_collections.faith.ops.plugins.modules import dynamodb_table

ACCOUNT = "123456789012"
NAME = "faith-chatbot-production-ConsentLogs"
ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{NAME}"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f9a3c1e-5b1d-4c57-9a43-1d2c3b4a5f60"
AWS_KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/aaaaaaaa-5b1d-4c57-9a43-1d2c3b4a5f60"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
TAGS = {"Application": "faith-chatbot", "Environment": "production"}
NEW_AND_OLD = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


class FakeModule:
    """Just what dynamodb_table uses of FaithAWSModule, with Stubber-backed clients."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = {key: None for key in TABLE_OPTIONS}
        self.params.update(
            name=NAME,
            state="present",
            attributes=[{"name": "user_id", "type": "S"}, {"name": "recorded_at", "type": "S"}],
            hash_key="user_id",
            range_key="recorded_at",
            billing_mode="PAY_PER_REQUEST",
            point_in_time_recovery=True,
            deletion_protection=True,
            stream={"enabled": True, "view_type": "NEW_AND_OLD_IMAGES"},
            replicas=[{"region": "us-west-2", "kms_key_arn": None}],
            tags=TAGS,
            purge_tags=True,
            tables=None,
            wait=True,
            wait_timeout=60,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.region = "us-east-1"
        self.clients = clients

    def client(self, service):
        return self.clients[service]


def table(**overrides):
    """DescribeTable's Table for the consent log, as AWS describes a global table."""
    description = {
        "TableName": NAME,
        "TableArn": ARN,
        "TableId": "4e1b0d5c-2f5e-4a57-9f0e-1d2c3b4a5f60",
        "TableStatus": "ACTIVE",
        "CreationDateTime": NOW,
        "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "recorded_at", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}, {"AttributeName": "recorded_at", "KeyType": "RANGE"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": NOW},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "StreamSpecification": NEW_AND_OLD,
        "LatestStreamArn": f"{ARN}/stream/2026-01-01T00:00:00.000",
        "LatestStreamLabel": "2026-01-01T00:00:00.000",
        "GlobalTableVersion": "2019.11.21",
        "Replicas": [{"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE"}],
        "DeletionProtectionEnabled": True,
        "ItemCount": 0,
        "TableSizeBytes": 0,
    }
    description.update(overrides)
    return description


def streamless(**overrides):
    description = table(**overrides)
    del description["StreamSpecification"], description["LatestStreamArn"], description["LatestStreamLabel"]
    return description


def pitr(status="ENABLED"):
    return {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": status}}}


@pytest.fixture
def stubbed():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing") for service in ("dynamodb", "kms")
    }
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield clients, stubbers["dynamodb"], stubbers["kms"]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


@pytest.fixture
def no_sleep(monkeypatch):
    """Waiters poll without the real delay, so AWS's intermediate states cost no time."""
    slept = []
    monkeypatch.setattr("botocore.waiter.time.sleep", slept.append)
    return slept


def stub_reads(dynamodb, description, status="ENABLED", tags=None):
    dynamodb.add_response("describe_table", {"Table": description}, {"TableName": NAME})
    dynamodb.add_response("describe_continuous_backups", pitr(status), {"TableName": NAME})
    dynamodb.add_response("list_tags_of_resource", {"Tags": [{"Key": k, "Value": v} for k, v in (tags or TAGS).items()]}, {"ResourceArn": ARN})


def stub_update(dynamodb, params, response_table):
    dynamodb.add_response("update_table", {"TableDescription": response_table}, dict({"TableName": NAME}, **params))


def stub_settled(dynamodb, description):
    dynamodb.add_response("describe_table", {"Table": description}, {"TableName": NAME})


def test_no_op_on_a_global_table_makes_only_reads(stubbed):
    clients, dynamodb, _kms = stubbed
    stub_reads(dynamodb, table())
    result = dynamodb_table.ensure(FakeModule(clients))
    assert result["changed"] is False
    assert result["table"]["replicas"] == [{"region": "us-west-2", "status": "ACTIVE", "kms_key_arn": None}]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_replicas_are_removed_and_added_one_update_at_a_time_waiting_between(stubbed, no_sleep):
    clients, dynamodb, _kms = stubbed
    current = table(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    stub_reads(dynamodb, current)
    removing = table(TableStatus="UPDATING", Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "DELETING"}])
    stub_update(dynamodb, {"ReplicaUpdates": [{"Delete": {"RegionName": "eu-west-1"}}]}, removing)
    # The next UpdateTable waits until the table and its replicas settle: first still busy, then done.
    stub_settled(dynamodb, removing)
    stub_settled(dynamodb, table(Replicas=[]))
    creating = table(TableStatus="UPDATING", Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}])
    stub_update(dynamodb, {"ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]}, creating)
    stub_settled(dynamodb, table(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}]))
    stub_settled(dynamodb, table())
    stub_settled(dynamodb, table())  # the result's final describe

    module = FakeModule(clients)
    result = dynamodb_table.ensure(module)

    assert result["changed"] is True
    assert module.actions == [f"table {NAME}: delete replica in eu-west-1", f"table {NAME}: create replica in us-west-2"]
    assert result["diff"]["before"]["replicas"] == [{"region": "eu-west-1"}]
    assert result["diff"]["after"]["replicas"] == [{"region": "us-west-2"}]
    assert len(no_sleep) == 2


def test_replicas_in_check_mode_change_nothing(stubbed):
    clients, dynamodb, _kms = stubbed
    stub_reads(dynamodb, table(Replicas=[]))
    module = FakeModule(clients, check_mode=True)
    result = dynamodb_table.ensure(module)
    assert result["changed"] is True
    assert module.actions == [f"table {NAME}: create replica in us-west-2"]
    assert result["table"]["replicas"] == [{"region": "us-west-2"}]


def test_customer_managed_keys_go_to_the_table_and_each_replica(stubbed):
    clients, dynamodb, _kms = stubbed
    replica_key = KEY_ARN.replace("us-east-1", "us-west-2")
    stub_reads(dynamodb, table(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": "old-key"}]))
    stub_update(
        dynamodb,
        {"SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY_ARN}},
        table(TableStatus="UPDATING", SSEDescription={"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN}),
    )
    encrypted = table(SSEDescription={"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY_ARN})
    stub_settled(dynamodb, encrypted)
    stub_update(dynamodb, {"ReplicaUpdates": [{"Update": {"RegionName": "us-west-2", "KMSMasterKeyId": replica_key}}]}, encrypted)
    stub_settled(dynamodb, encrypted)
    stub_settled(dynamodb, encrypted)

    module = FakeModule(
        clients,
        encryption={"type": "customer_managed", "kms_key_arn": KEY_ARN},
        replicas=[{"region": "us-west-2", "kms_key_arn": replica_key}],
    )
    result = dynamodb_table.ensure(module)
    assert module.actions == [f"table {NAME}: set customer_managed encryption", f"table {NAME}: update replica in us-west-2"]
    assert result["table"]["encryption"] == {"type": "customer_managed", "kms_key_arn": KEY_ARN}


def test_aws_managed_encryption_is_recognised_by_the_key_behind_its_alias(stubbed):
    clients, dynamodb, kms = stubbed
    stub_reads(dynamodb, table(SSEDescription={"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": AWS_KEY_ARN}))
    kms.add_response(
        "describe_key",
        {"KeyMetadata": {"KeyId": "aaaaaaaa-5b1d-4c57-9a43-1d2c3b4a5f60", "Arn": AWS_KEY_ARN, "KeyManager": "AWS"}},
        {"KeyId": "alias/aws/dynamodb"},
    )
    result = dynamodb_table.ensure(FakeModule(clients, encryption={"type": "aws_managed", "kms_key_arn": None}))
    assert result["changed"] is False
    assert result["table"]["encryption"] == {"type": "aws_managed", "kms_key_arn": AWS_KEY_ARN}


def test_a_stream_view_change_disables_the_stream_then_enables_a_new_one(stubbed, no_sleep):
    clients, dynamodb, _kms = stubbed
    keys_only = {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    stub_reads(dynamodb, table(StreamSpecification=keys_only, Replicas=[]))
    stub_update(dynamodb, {"StreamSpecification": {"StreamEnabled": False}}, streamless(TableStatus="UPDATING", Replicas=[]))
    stub_settled(dynamodb, streamless(Replicas=[]))
    stub_update(dynamodb, {"StreamSpecification": NEW_AND_OLD}, table(TableStatus="UPDATING", Replicas=[]))
    stub_settled(dynamodb, table(Replicas=[]))
    stub_settled(dynamodb, table(Replicas=[]))

    module = FakeModule(clients, replicas=None)
    dynamodb_table.ensure(module)
    assert module.actions == [f"table {NAME}: disable stream", f"table {NAME}: enable NEW_AND_OLD_IMAGES stream"]
    assert no_sleep == []


def test_a_new_table_is_created_then_waited_for_before_the_settings_create_table_cannot_take(stubbed, no_sleep):
    clients, dynamodb, _kms = stubbed
    dynamodb.add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": NAME})
    creating = table(TableStatus="CREATING", Replicas=[])
    del creating["LatestStreamArn"]
    dynamodb.add_response(
        "create_table",
        {"TableDescription": creating},
        {
            "TableName": NAME,
            "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}, {"AttributeName": "recorded_at", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}, {"AttributeName": "recorded_at", "KeyType": "RANGE"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": NEW_AND_OLD,
            "DeletionProtectionEnabled": True,
            "Tags": [{"Key": "Application", "Value": "faith-chatbot"}, {"Key": "Environment", "Value": "production"}],
        },
    )
    stub_settled(dynamodb, creating)
    stub_settled(dynamodb, table(Replicas=[]))
    stub_update(
        dynamodb, {"ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]}, table(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}])
    )
    stub_settled(dynamodb, table())
    dynamodb.add_response("update_continuous_backups", pitr(), {"TableName": NAME, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})
    stub_settled(dynamodb, table())

    module = FakeModule(clients)
    result = dynamodb_table.ensure(module)
    assert module.actions == [
        f"table {NAME}: create",
        f"table {NAME}: create replica in us-west-2",
        f"table {NAME}: enable point-in-time recovery",
    ]
    assert result["diff"]["before"] == {}
    assert result["table"]["point_in_time_recovery"] is True
    assert len(no_sleep) == 1


def test_deleting_a_global_table_removes_replicas_and_protection_first(stubbed):
    clients, dynamodb, _kms = stubbed
    dynamodb.add_response("describe_table", {"Table": table()}, {"TableName": NAME})
    stub_update(dynamodb, {"ReplicaUpdates": [{"Delete": {"RegionName": "us-west-2"}}]}, table(Replicas=[]))
    stub_settled(dynamodb, table(Replicas=[]))
    stub_update(dynamodb, {"DeletionProtectionEnabled": False}, table(Replicas=[], DeletionProtectionEnabled=False))
    stub_settled(dynamodb, table(Replicas=[], DeletionProtectionEnabled=False))
    dynamodb.add_response("delete_table", {"TableDescription": table(TableStatus="DELETING", Replicas=[])}, {"TableName": NAME})
    dynamodb.add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": NAME})

    module = FakeModule(clients, state="absent", deletion_protection=False)
    result = dynamodb_table.ensure(module)
    assert result == {"changed": True, "table": {}, "diff": result["diff"]}
    assert result["diff"]["after"] == {}
    assert module.actions == [
        f"table {NAME}: delete replica in us-west-2",
        f"table {NAME}: disable deletion protection",
        f"table {NAME}: delete",
    ]


def test_a_table_busy_with_an_earlier_change_is_waited_for_before_the_first_write(stubbed, no_sleep):
    clients, dynamodb, _kms = stubbed
    stub_reads(dynamodb, table(TableStatus="UPDATING", DeletionProtectionEnabled=False))
    stub_settled(dynamodb, table(TableStatus="UPDATING", DeletionProtectionEnabled=False))
    stub_settled(dynamodb, table(DeletionProtectionEnabled=False))
    stub_update(dynamodb, {"DeletionProtectionEnabled": True}, table())
    stub_settled(dynamodb, table())
    stub_settled(dynamodb, table())
    module = FakeModule(clients)
    dynamodb_table.ensure(module)
    assert module.actions == [f"table {NAME}: enable deletion protection"]
    assert len(no_sleep) == 1


def test_a_protected_table_is_not_deleted_without_turning_protection_off(stubbed):
    clients, dynamodb, _kms = stubbed
    dynamodb.add_response("describe_table", {"Table": table()}, {"TableName": NAME})
    with pytest.raises(OptionError) as raised:
        dynamodb_table.ensure(FakeModule(clients, state="absent", deletion_protection=None))
    assert raised.value.option == "deletion_protection"


def test_one_bad_table_stops_the_run_before_any_write(stubbed):
    clients, dynamodb, _kms = stubbed
    other = "faith-chatbot-production-PrayerRequests"
    dynamodb.add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": other})
    dynamodb.add_response("describe_table", {"Table": table()}, {"TableName": NAME})
    dynamodb.add_response("describe_continuous_backups", pitr(), {"TableName": NAME})
    dynamodb.add_response("list_tags_of_resource", {"Tags": []}, {"ResourceArn": ARN})
    module = FakeModule(
        clients,
        name=None,
        range_key=None,
        replicas=None,
        tables=[
            {"name": other, "attributes": [{"name": "request_id", "type": "S"}], "hash_key": "request_id"},
            {"name": NAME, "attributes": [{"name": "consent_id", "type": "S"}], "hash_key": "consent_id"},
        ],
    )
    with pytest.raises(OptionError) as raised:
        dynamodb_table.ensure(module)
    assert raised.value.option == "tables[1].hash_key"
    assert module.actions == []


def test_a_replica_that_fails_to_create_ends_the_wait_with_the_reason(stubbed):
    clients, dynamodb, _kms = stubbed
    stub_reads(dynamodb, table(Replicas=[]))
    stub_update(
        dynamodb, {"ReplicaUpdates": [{"Create": {"RegionName": "us-west-2"}}]}, table(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATING"}])
    )
    stub_settled(dynamodb, table(Replicas=[{"RegionName": "us-west-2", "ReplicaStatus": "CREATION_FAILED"}]))
    with pytest.raises(WaitTimeout) as raised:
        dynamodb_table.ensure(FakeModule(clients))
    assert NAME in str(raised.value)


def test_point_in_time_recovery_is_retried_while_aws_prepares_a_new_tables_backups(stubbed, monkeypatch):
    clients, dynamodb, _kms = stubbed
    backoffs = []
    monkeypatch.setattr("ansible_collections.amazon.aws.plugins.module_utils.cloud.time.sleep", backoffs.append)
    stub_reads(dynamodb, table(), status="DISABLED")
    dynamodb.add_client_error(
        "update_continuous_backups",
        "ContinuousBackupsUnavailableException",
        expected_params={"TableName": NAME, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}},
    )
    dynamodb.add_response("update_continuous_backups", pitr(), {"TableName": NAME, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})
    stub_settled(dynamodb, table())
    module = FakeModule(clients)
    dynamodb_table.ensure(module)
    assert module.actions == [f"table {NAME}: enable point-in-time recovery"]
    assert len(backoffs) == 1

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dr_data_restore against botocore's Stubber: the real DynamoDB and S3 API shapes, no emulator.

The emulator does not replicate global tables, so the failover path of production (the DR region's
replica is checked, nothing imported) is proven here; so is a restore from an export laid out as AWS
writes it (manifest files beside the data objects), which the emulator does not reproduce.
"""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import dr_data_restore

ACCOUNT = "123456789012"
NAME = "faith-chatbot-production-ConversationSessions"
ARN = f"arn:aws:dynamodb:us-west-2:{ACCOUNT}:table/{NAME}"
KEYS = [{"AttributeName": "session_id", "KeyType": "HASH"}, {"AttributeName": "created_at", "KeyType": "RANGE"}]
ATTRIBUTES = [{"AttributeName": "session_id", "AttributeType": "S"}, {"AttributeName": "created_at", "AttributeType": "S"}]
PREFIX = "recovery-points/20261207T101500000000Z"
DATA = f"{PREFIX}/{NAME}/AWSDynamoDB/01733566500000-1a2b3c4d/data/"


class FakeModule:
    """What dr_data_restore uses of FaithAWSModule, with Stubber-backed clients."""

    record = FaithAWSModule.record

    def __init__(self, clients, check_mode=False, **params):
        self.params = {"source": "export", "bucket": None, "recovery_point": "latest", "root": "recovery-points",
                       "tables": [NAME], "mode": "replace", "loader": "import_table", "wait_timeout": 10}
        self.params.update(params)
        self.check_mode = check_mode
        self.actions = []
        self.region = "us-west-2"
        self.clients = clients

    def client(self, service, **_):
        return self.clients[service]


@pytest.fixture
def stubbed():
    clients = {service: boto3.client(service, region_name="us-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")
               for service in ("dynamodb", "s3")}
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield clients, stubbers
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def table(**overrides):
    """DescribeTable in the DR region, as AWS answers for a global table whose other replica is the primary."""
    description = {
        "TableName": NAME, "TableArn": ARN, "TableStatus": "ACTIVE", "KeySchema": KEYS, "AttributeDefinitions": ATTRIBUTES,
        "GlobalTableVersion": "2019.11.21", "Replicas": [{"RegionName": "us-east-1", "ReplicaStatus": "ACTIVE"}],
        "DeletionProtectionEnabled": True,
    }
    description.update(overrides)
    return {"Table": description}


def body(document):
    raw = json.dumps(document).encode()
    return {"Body": StreamingBody(io.BytesIO(raw), len(raw)), "ContentLength": len(raw)}


def test_a_global_tables_active_replica_is_ready_and_nothing_is_imported(stubbed):
    clients, stubbers = stubbed
    stubbers["dynamodb"].add_response("describe_table", table(), {"TableName": NAME})
    result = dr_data_restore.run(FakeModule(clients, source="global_table"))
    assert result == {"changed": False, "recovery_point": None, "tables": {NAME: {"action": "checked", "replica_status": "ACTIVE"}}}


@pytest.mark.parametrize(
    "answer, status",
    [
        (table(TableStatus="UPDATING"), "UPDATING"),
        (table(Replicas=[]), "NOT_GLOBAL"),
        (None, "MISSING"),
    ],
    ids=["table-updating", "not-a-global-table", "no-table-in-dr-region"],
)
def test_a_replica_that_is_not_ready_fails_naming_the_table(stubbed, answer, status):
    clients, stubbers = stubbed
    if answer is None:
        stubbers["dynamodb"].add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": NAME})
    else:
        stubbers["dynamodb"].add_response("describe_table", answer, {"TableName": NAME})
    with pytest.raises(OptionError) as raised:
        dr_data_restore.run(FakeModule(clients, source="global_table"))
    assert raised.value.option == "tables"
    assert f"{NAME} ({status})" in str(raised.value)


def test_a_missing_recovery_point_names_the_bucket_and_the_playbook(stubbed):
    clients, stubbers = stubbed
    stubbers["s3"].add_client_error("get_object", "NoSuchKey", expected_params={"Bucket": "dr", "Key": "recovery-points/latest.json"})
    with pytest.raises(OptionError) as raised:
        dr_data_restore.run(FakeModule(clients, bucket="dr"))
    assert raised.value.option == "bucket"
    assert "playbooks/dr_backup.yml" in str(raised.value)


def test_replace_deletes_the_stale_table_and_imports_the_aws_export(stubbed):
    clients, stubbers = stubbed
    manifest = {
        "prefix": PREFIX, "time": "2026-01-01T10:15:00.000000Z", "source_region": "us-east-1",
        "tables": {NAME: {"key_schema": KEYS, "attribute_definitions": ATTRIBUTES, "global_indexes": [], "ttl_attribute": "expires_at",
                          "item_count": 2, "data_keys": [DATA + "a.json.gz", DATA + "b.json.gz"]}},
    }
    s3, dynamodb = stubbers["s3"], stubbers["dynamodb"]
    s3.add_response("get_object", body({"prefix": PREFIX, "time": manifest["time"]}), {"Bucket": "dr", "Key": "recovery-points/latest.json"})
    s3.add_response("get_object", body(manifest), {"Bucket": "dr", "Key": f"{PREFIX}/faith-recovery-point.json"})
    stale = table(Replicas=[])
    dynamodb.add_response("describe_table", stale, {"TableName": NAME})  # replace: does it exist?
    dynamodb.add_response("describe_table", stale, {"TableName": NAME})  # delete: its protection
    dynamodb.add_response("update_table", {"TableDescription": stale["Table"]}, {"TableName": NAME, "DeletionProtectionEnabled": False})
    dynamodb.add_response("delete_table", {"TableDescription": stale["Table"]}, {"TableName": NAME})
    dynamodb.add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": NAME})
    import_arn = f"{ARN}/import/01733566600000-abcdef12"
    dynamodb.add_response(
        "import_table",
        {"ImportTableDescription": {"ImportArn": import_arn, "ImportStatus": "IN_PROGRESS"}},
        {
            "S3BucketSource": {"S3Bucket": "dr", "S3KeyPrefix": DATA},
            "InputFormat": "DYNAMODB_JSON",
            "InputCompressionType": "GZIP",
            "TableCreationParameters": {"TableName": NAME, "KeySchema": KEYS, "AttributeDefinitions": ATTRIBUTES, "BillingMode": "PAY_PER_REQUEST"},
        },
    )
    dynamodb.add_response("describe_import", {"ImportTableDescription": {"ImportArn": import_arn, "ImportStatus": "COMPLETED"}}, {"ImportArn": import_arn})
    dynamodb.add_response("describe_table", table(Replicas=[]), {"TableName": NAME})
    dynamodb.add_response("describe_import", {"ImportTableDescription": {"ImportArn": import_arn, "ImportStatus": "COMPLETED", "ImportedItemCount": 2}},
                          {"ImportArn": import_arn})
    dynamodb.add_response("update_time_to_live", {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires_at"}},
                          {"TableName": NAME, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires_at"}})
    dynamodb.add_response("update_continuous_backups", {"ContinuousBackupsDescription": {"ContinuousBackupsStatus": "ENABLED"}},
                          {"TableName": NAME, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})
    result = dr_data_restore.run(FakeModule(clients, bucket="dr"))
    assert result["tables"] == {NAME: {"action": "replaced", "imported_items": 2}}
    assert result["recovery_point"]["time"] == "2026-01-01T10:15:00.000000Z"
    assert result["recovery_point"]["age_seconds"] > 0


def test_check_mode_reads_the_manifest_and_changes_nothing(stubbed):
    clients, stubbers = stubbed
    manifest = {"prefix": PREFIX, "time": "2026-12-07T10:15:00.000000Z", "source_region": "us-east-1",
                "tables": {NAME: {"key_schema": KEYS, "attribute_definitions": ATTRIBUTES, "item_count": 0, "data_keys": []}}}
    stubbers["s3"].add_response("get_object", body(manifest), {"Bucket": "dr", "Key": f"{PREFIX}/faith-recovery-point.json"})
    stubbers["dynamodb"].add_client_error("describe_table", "ResourceNotFoundException", expected_params={"TableName": NAME})
    module = FakeModule(clients, check_mode=True, bucket="dr", recovery_point=PREFIX)
    result = dr_data_restore.run(module)
    assert result["tables"] == {NAME: {"action": "created", "imported_items": None}}
    assert module.actions == [f"create table {NAME} from the recovery point"]

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cache_replication_group against botocore's Stubber: the ElastiCache paths the emulator lacks.

The emulator creates no member clusters (where AWS reports a group's security groups), never
finishes deleting a group and cannot delete a cache subnet group; these paths are proven here
with the real request and response shapes.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.modules import cache_replication_group as module_under_test

NAME = "faith-chatbot-production"
SECRET = f"{NAME}/cache"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{SECRET}-AbCdEf"
ARN = f"arn:aws:elasticache:us-east-1:123456789012:replicationgroup:{NAME}"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
GROUP = "sg-0aaaaaaaaaaaaaaaa"
OTHER_GROUP = "sg-0bbbbbbbbbbbbbbbb"
ENDPOINT = "master.faith-chatbot-production.abc123.use1.cache.amazonaws.com"
TOKEN = "T" * 64


class FakeModule:
    """What cache_replication_group uses of FaithAWSModule, with Stubber-backed clients."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = dict(
            name=NAME, state="present", description="cache", engine="valkey", engine_version="7.2",
            node_type="cache.t4g.micro", num_cache_clusters=2, automatic_failover=True, multi_az=True, port=6379,
            subnet_ids=list(SUBNETS), security_group_ids=[GROUP], kms_key_id=None, snapshot_retention_days=1,
            auth_token_secret_name=SECRET, auth_token_secret_kms_key_id=None, auth_token_secret_recovery_days=7,
            wait=True, wait_timeout=60, tags={"Application": "faith-chatbot"}, purge_tags=True,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.no_log_values = set()
        self.clients = clients

    def client(self, service):
        return self.clients[service]


@pytest.fixture
def stubbed():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        for service in ("elasticache", "secretsmanager")
    }
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield clients, stubbers["elasticache"], stubbers["secretsmanager"]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def group(status="available", **overrides):
    described = {
        "ReplicationGroupId": NAME, "ARN": ARN, "Description": "cache", "Status": status, "Engine": "valkey",
        "CacheNodeType": "cache.t4g.micro", "AutomaticFailover": "enabled", "MultiAZ": "enabled", "TransitEncryptionEnabled": True,
        "AtRestEncryptionEnabled": True, "AuthTokenEnabled": True, "SnapshotRetentionLimit": 1, "MemberClusters": [f"{NAME}-001", f"{NAME}-002"],
        "NodeGroups": [{"NodeGroupId": "0001", "Status": "available", "PrimaryEndpoint": {"Address": ENDPOINT, "Port": 6379}}],
    }
    described.update(overrides)
    return described


def stub_reads(elasticache, secrets, security_group=GROUP, secret=True, url=True, engine_version="7.2.4"):
    elasticache.add_response(
        "describe_cache_subnet_groups",
        {"CacheSubnetGroups": [{"CacheSubnetGroupName": NAME, "VpcId": "vpc-0123456789abcdef0",
                                "Subnets": [{"SubnetIdentifier": subnet} for subnet in SUBNETS]}]},
        {"CacheSubnetGroupName": NAME},
    )
    elasticache.add_response("describe_replication_groups", {"ReplicationGroups": [group()]}, {"ReplicationGroupId": NAME})
    elasticache.add_response(
        "describe_cache_clusters",
        {"CacheClusters": [{"CacheClusterId": f"{NAME}-001", "EngineVersion": engine_version,
                            "SecurityGroups": [{"SecurityGroupId": security_group, "Status": "active"}]}]},
        {"CacheClusterId": f"{NAME}-001"},
    )
    elasticache.add_response("list_tags_for_resource", {"TagList": [{"Key": "Application", "Value": "faith-chatbot"}]}, {"ResourceName": ARN})
    if secret:
        value = {"auth_token": TOKEN}
        if url:
            value["url"] = f"rediss://:{TOKEN}@{ENDPOINT}:6379/0"
        secrets.add_response("get_secret_value", {"ARN": SECRET_ARN, "Name": SECRET, "SecretString": json.dumps(value)}, {"SecretId": SECRET})
    else:
        secrets.add_client_error("get_secret_value", "ResourceNotFoundException", expected_params={"SecretId": SECRET})


def test_an_unchanged_cache_costs_five_reads_and_no_write(stubbed):
    clients, elasticache, secrets = stubbed
    stub_reads(elasticache, secrets)
    module = FakeModule(clients)
    result = module_under_test.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["url"] == f"rediss://{ENDPOINT}:6379/0"
    assert TOKEN in module.no_log_values


def test_a_foreign_security_group_on_the_members_is_replaced(stubbed):
    clients, elasticache, secrets = stubbed
    stub_reads(elasticache, secrets, security_group=OTHER_GROUP)
    elasticache.add_response(
        "modify_replication_group",
        {"ReplicationGroup": group()},
        {"ReplicationGroupId": NAME, "SecurityGroupIds": [GROUP], "ApplyImmediately": True},
    )
    module = FakeModule(clients)
    result = module_under_test.ensure(module)
    assert result["changed"] is True
    assert module.actions == [f"modify replication group {NAME} (SecurityGroupIds)"]
    assert result["diff"]["before"]["security_group_ids"] == [OTHER_GROUP]
    assert result["diff"]["after"]["security_group_ids"] == [GROUP]


def test_a_lost_secret_gets_a_new_token_rotated_in_without_cutting_off_clients(stubbed):
    clients, elasticache, secrets = stubbed
    stub_reads(elasticache, secrets, secret=False)
    secrets.add_response("get_random_password", {"RandomPassword": TOKEN}, {"PasswordLength": 64, "ExcludePunctuation": True})
    secrets.add_response(
        "create_secret",
        {"ARN": SECRET_ARN, "Name": SECRET},
        {"Name": SECRET, "Description": ANY, "SecretString": json.dumps({"auth_token": TOKEN}), "Tags": [{"Key": "Application", "Value": "faith-chatbot"}]},
    )
    elasticache.add_response(
        "modify_replication_group",
        {"ReplicationGroup": group()},
        {"ReplicationGroupId": NAME, "AuthToken": TOKEN, "AuthTokenUpdateStrategy": "ROTATE", "ApplyImmediately": True},
    )
    secrets.add_response(
        "put_secret_value",
        {"ARN": SECRET_ARN, "Name": SECRET},
        {"SecretId": SECRET_ARN, "SecretString": json.dumps({"auth_token": TOKEN, "url": f"rediss://:{TOKEN}@{ENDPOINT}:6379/0"}, sort_keys=True)},
    )
    module = FakeModule(clients)
    result = module_under_test.ensure(module)
    assert result["changed"] is True
    assert module.actions == [
        f"create auth token secret {SECRET}",
        f"rotate the auth token of replication group {NAME}",
        f"set the connection URL in secret {SECRET}",
    ]
    assert TOKEN not in json.dumps(result)
    assert TOKEN in module.no_log_values


def test_absent_waits_for_the_group_then_deletes_its_subnet_group_and_secret(stubbed):
    clients, elasticache, secrets = stubbed
    stub_reads(elasticache, secrets)
    elasticache.add_response("delete_replication_group", {"ReplicationGroup": group("deleting")}, {"ReplicationGroupId": NAME})
    elasticache.add_client_error("describe_replication_groups", "ReplicationGroupNotFoundFault", expected_params={"ReplicationGroupId": NAME})
    elasticache.add_response("delete_cache_subnet_group", {}, {"CacheSubnetGroupName": NAME})
    secrets.add_response("delete_secret", {"ARN": SECRET_ARN, "Name": SECRET}, {"SecretId": SECRET_ARN, "RecoveryWindowInDays": 7})
    module = FakeModule(clients, state="absent")
    result = module_under_test.ensure(module)
    assert result["changed"] is True
    assert module.actions == [
        f"delete replication group {NAME}",
        f"delete cache subnet group {NAME}",
        f"delete auth token secret {SECRET}",
    ]
    assert result["diff"]["after"] == {}


def test_a_group_being_deleted_is_refused_before_any_write(stubbed):
    clients, elasticache, secrets = stubbed
    elasticache.add_response(
        "describe_cache_subnet_groups", {"CacheSubnetGroups": [{"CacheSubnetGroupName": NAME, "Subnets": [{"SubnetIdentifier": s} for s in SUBNETS]}]},
        {"CacheSubnetGroupName": NAME},
    )
    elasticache.add_response("describe_replication_groups", {"ReplicationGroups": [group("deleting", MemberClusters=[])]}, {"ReplicationGroupId": NAME})
    elasticache.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceName": ARN})
    secrets.add_client_error("get_secret_value", "ResourceNotFoundException", expected_params={"SecretId": SECRET})
    module = FakeModule(clients, check_mode=True)
    with pytest.raises(module_under_test.OptionError) as raised:
        module_under_test.ensure(module)
    assert raised.value.option == "name"
    assert "being deleted" in str(raised.value)


def test_an_engine_below_the_declared_line_is_upgraded_in_place(stubbed):
    clients, elasticache, secrets = stubbed
    stub_reads(elasticache, secrets, engine_version="7.1.0")
    module = FakeModule(clients, check_mode=True)
    result = module_under_test.ensure(module)
    assert result["changed"] is True
    assert module.actions == [f"modify replication group {NAME} (EngineVersion)"]
    assert result["diff"]["before"]["engine_version"] == "7.1.0"
    assert result["diff"]["after"]["engine_version"] == "7.2"

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.elasticache import transformations as cache
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
GROUP = "sg-0aaaaaaaaaaaaaaaa"


def params(**overrides):
    base = dict(
        name="faith-chatbot-production", state="present", description="cache", engine="valkey", engine_version="7.2",
        node_type="cache.t4g.micro", num_cache_clusters=2, automatic_failover=True, multi_az=True, port=6379,
        subnet_ids=list(SUBNETS), security_group_ids=[GROUP], kms_key_id=None, snapshot_retention_days=1,
        auth_token_secret_name="faith-chatbot-production/cache",
    )
    base.update(overrides)
    return base


def described(**overrides):
    group = {
        "ReplicationGroupId": "faith-chatbot-production", "ARN": "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:faith-chatbot-production",
        "Description": "cache", "Status": "available", "Engine": "valkey", "CacheNodeType": "cache.t4g.micro",
        "AutomaticFailover": "enabled", "MultiAZ": "enabled", "TransitEncryptionEnabled": True, "AtRestEncryptionEnabled": True,
        "AuthTokenEnabled": True, "SnapshotRetentionLimit": 1,
        "NodeGroups": [{"PrimaryEndpoint": {"Address": "master.faith.abc.use1.cache.amazonaws.com", "Port": 6379}}],
    }
    group.update(overrides)
    return group


@pytest.mark.parametrize(
    "overrides, option",
    [
        (dict(name="Faith"), "name"),
        (dict(name="faith--cache"), "name"),
        (dict(name="a" * 41), "name"),
        (dict(node_type="t4g.micro"), "node_type"),
        (dict(engine_version="seven"), "engine_version"),
        (dict(num_cache_clusters=7), "num_cache_clusters"),
        (dict(num_cache_clusters=1), "automatic_failover"),
        (dict(automatic_failover=False), "multi_az"),
        (dict(snapshot_retention_days=36), "snapshot_retention_days"),
        (dict(subnet_ids=["subnet-xyz"]), "subnet_ids[0]"),
        (dict(security_group_ids=[]), "security_group_ids"),
        (dict(auth_token_secret_name="with space"), "auth_token_secret_name"),
        (dict(security_group_ids=[UNKNOWN]), "security_group_ids[0]"),
    ],
)
def test_values_elasticache_refuses_are_rejected_with_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        cache.validate(params(**overrides), check_mode=False)
    assert raised.value.option == option


def test_placeholders_pass_in_check_mode():
    planned = params(subnet_ids=[UNKNOWN], security_group_ids=[UNKNOWN])
    cache.validate(planned, check_mode=True)
    assert cache.has_unknown(planned)


def test_the_create_request_has_the_shape_elasticache_takes_and_always_encrypts():
    request = cache.create_request(params(kms_key_id="arn:aws:kms:us-east-1:123456789012:key/k"), "faith-chatbot-production", "t" * 64)
    model = get_session().get_service_model("elasticache").operation_model("CreateReplicationGroup").input_shape
    report = ParamValidator().validate(request, model)
    assert not report.has_errors(), report.generate_report()
    assert request["TransitEncryptionEnabled"] is True
    assert request["AtRestEncryptionEnabled"] is True
    assert request["AuthToken"] == "t" * 64


def test_the_url_carries_the_token_only_when_asked():
    assert cache.url("host", 6379) == "rediss://host:6379/0"
    assert cache.url("host", 6379, "tok") == "rediss://:tok@host:6379/0"
    assert cache.endpoint(described()) == ("master.faith.abc.use1.cache.amazonaws.com", 6379)
    assert cache.endpoint({}) == (None, None)


def test_an_unchanged_group_needs_no_modification_and_a_patch_version_satisfies_its_line():
    view = cache.describe(described(), [GROUP], {}, {"Subnets": [{"SubnetIdentifier": s} for s in SUBNETS]}, "7.2.4")
    assert cache.modifications(view, params()) == {}


def test_each_drifted_setting_becomes_one_modification():
    view = cache.describe(
        described(Description="hand edited", SnapshotRetentionLimit=9, CacheNodeType="cache.t4g.small"), ["sg-0bbbbbbbbbbbbbbbb"], {}, {}, "7.2.4"
    )
    changes = cache.modifications(view, params())
    assert changes == {
        "ReplicationGroupDescription": "cache",
        "SnapshotRetentionLimit": 1,
        "CacheNodeType": "cache.t4g.micro",
        "SecurityGroupIds": [GROUP],
    }
    after = cache.apply_modifications(view, changes)
    assert cache.modifications(after, params()) == {}


def test_unreadable_security_groups_and_versions_are_not_compared():
    view = cache.describe(described(), None, {}, {})
    assert cache.modifications(view, params()) == {}


def test_settings_elasticache_cannot_change_are_conflicts():
    conflicts = dict(cache.immutable_conflicts(described(Engine="redis", TransitEncryptionEnabled=False), params(port=6380), "x"))
    assert set(conflicts) == {"engine", "port", "name"}

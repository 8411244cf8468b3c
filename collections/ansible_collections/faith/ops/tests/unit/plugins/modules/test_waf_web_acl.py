# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""waf_web_acl against botocore's Stubber: the real WAFv2 request and response shapes.

Proves what the emulator cannot show: a stale lock token (another writer in between) is
re-read and re-planned, AWS's extra fields in rules and logging configurations do not
cause updates, and removal disassociates and stops logging before deleting.
"""

from __future__ import annotations

import copy

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import AWSActionError
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.wafv2 import transformations as waf
from ansible_collections.faith.ops.plugins.modules import waf_web_acl

ACCOUNT = "123456789012"
ACL_ID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/faith-waf/{ACL_ID}"
ALB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/faith-alb/50dc6c495c0c9188"
LOG_GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-faith"
TAGS = {"Application": "faith-chatbot"}


class FakeModule:
    """What waf_web_acl uses of FaithAWSModule, with a Stubber-backed WAFv2 client."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, client, check_mode=False, **overrides):
        self.params = dict(
            name="faith-waf",
            state="present",
            description="",
            default_action="allow",
            managed_rule_groups=[
                dict(name=name, vendor="AWS", version=None, override_action="none", count_rules=[])
                for name in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList")
            ],
            rate_limit=2000,
            rate_limit_window=300,
            ip_block_list=[],
            resource_arns=[ALB_ARN],
            logging_destination_arn=LOG_GROUP,
            tags=TAGS,
            purge_tags=True,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self._client = client

    def client(self, service):
        assert service == "wafv2"
        return self._client


@pytest.fixture
def wafv2():
    client = boto3.client("wafv2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def aws_acl(rate_limit=2000):
    """GetWebACL's WebACL for the module's default configuration, with the fields AWS adds."""
    module_params = FakeModule(None).params
    module_params["rate_limit"] = rate_limit
    config = waf.desired_config(module_params, waf.desired_rules(module_params, None))
    acl = dict(
        copy.deepcopy(config),
        Name="faith-waf",
        Id=ACL_ID,
        ARN=ACL_ARN,
        Capacity=927,
        LabelNamespace=f"awswaf:{ACCOUNT}:webacl:faith-waf:",
        ManagedByFirewallManager=False,
        RetrofittedByFirewallManager=False,
    )
    for rule in acl["Rules"]:
        statement = rule["Statement"].get("ManagedRuleGroupStatement")
        if statement is not None:
            statement["ExcludedRules"] = []
    return acl


def stub_reads(stubber, acl, lock_token="token-1", protected_by=ACL_ARN, logging=True):
    stubber.add_response(
        "list_web_acls", {"WebACLs": [{"Name": "faith-waf", "Id": ACL_ID, "ARN": ACL_ARN, "LockToken": lock_token}]}, {"Scope": "REGIONAL", "Limit": 100}
    )
    stubber.add_response("get_web_acl", {"WebACL": acl, "LockToken": lock_token}, {"Name": "faith-waf", "Scope": "REGIONAL", "Id": ACL_ID})
    stubber.add_response(
        "list_tags_for_resource",
        {"TagInfoForResource": {"ResourceARN": ACL_ARN, "TagList": [{"Key": "Application", "Value": "faith-chatbot"}]}},
        {"ResourceARN": ACL_ARN},
    )
    if logging:
        stubber.add_response(
            "get_logging_configuration",
            {
                "LoggingConfiguration": {
                    "ResourceArn": ACL_ARN,
                    "LogDestinationConfigs": [LOG_GROUP],
                    "ManagedByFirewallManager": False,
                    "LogType": "WAF_LOGS",
                    "LogScope": "CUSTOMER",
                }
            },
            {"ResourceArn": ACL_ARN},
        )
    else:
        stubber.add_client_error("get_logging_configuration", "WAFNonexistentItemException", expected_params={"ResourceArn": ACL_ARN})
    web_acl = {"WebACL": dict(acl)} if protected_by else {}
    stubber.add_response("get_web_acl_for_resource", web_acl, {"ResourceArn": ALB_ARN})


def test_an_unchanged_web_acl_costs_five_reads_and_no_write(wafv2):
    client, stubber = wafv2
    stub_reads(stubber, aws_acl())
    module = FakeModule(client)
    result = waf_web_acl.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["web_acl"]["associated_resources"] == [ALB_ARN]
    assert result["web_acl"]["logging_destination_arn"] == LOG_GROUP
    assert result["web_acl"]["capacity"] == 927


def test_a_stale_lock_token_is_reread_and_the_update_replanned(wafv2):
    client, stubber = wafv2
    stub_reads(stubber, aws_acl(rate_limit=500))
    stubber.add_client_error(
        "update_web_acl",
        "WAFOptimisticLockException",
        expected_params=dict(Name="faith-waf", Scope="REGIONAL", Id=ACL_ID, LockToken="token-1", DefaultAction=ANY, Rules=ANY, VisibilityConfig=ANY),
    )
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(rate_limit=700), "LockToken": "token-2"}, {"Name": "faith-waf", "Scope": "REGIONAL", "Id": ACL_ID})
    stubber.add_response(
        "update_web_acl",
        {"NextLockToken": "token-3"},
        dict(Name="faith-waf", Scope="REGIONAL", Id=ACL_ID, LockToken="token-2", DefaultAction={"Allow": {}}, Rules=ANY, VisibilityConfig=ANY),
    )
    module = FakeModule(client)
    result = waf_web_acl.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["update web ACL faith-waf (change rule rate-limit-per-ip)"]
    assert result["web_acl"]["rules"][0]["Statement"]["RateBasedStatement"]["Limit"] == 2000


def test_a_lock_that_stays_stale_fails_after_three_attempts(wafv2):
    client, stubber = wafv2
    stub_reads(stubber, aws_acl(rate_limit=500))
    for attempt in range(3):
        stubber.add_client_error("update_web_acl", "WAFOptimisticLockException")
        if attempt < 2:
            stubber.add_response(
                "get_web_acl",
                {"WebACL": aws_acl(rate_limit=500), "LockToken": f"token-{attempt + 2}"},
                {"Name": "faith-waf", "Scope": "REGIONAL", "Id": ACL_ID},
            )
    with pytest.raises(AWSActionError) as raised:
        waf_web_acl.ensure(FakeModule(client))
    assert raised.value.action == "update web ACL"


def test_an_update_keeps_custom_response_bodies_it_does_not_manage(wafv2):
    client, stubber = wafv2
    bodies = {"blocked": {"ContentType": "TEXT_PLAIN", "Content": "Please slow down"}}
    stub_reads(stubber, dict(aws_acl(rate_limit=500), CustomResponseBodies=bodies))
    stubber.add_response(
        "update_web_acl",
        {"NextLockToken": "token-2"},
        dict(
            Name="faith-waf", Scope="REGIONAL", Id=ACL_ID, LockToken="token-1", DefaultAction=ANY, Rules=ANY, VisibilityConfig=ANY, CustomResponseBodies=bodies
        ),
    )
    assert waf_web_acl.ensure(FakeModule(client))["changed"] is True


def test_logging_and_association_are_put_in_place(wafv2):
    client, stubber = wafv2
    stub_reads(stubber, aws_acl(), protected_by=None, logging=False)
    stubber.add_response("associate_web_acl", {}, {"WebACLArn": ACL_ARN, "ResourceArn": ALB_ARN})
    stubber.add_response(
        "put_logging_configuration",
        {"LoggingConfiguration": {"ResourceArn": ACL_ARN, "LogDestinationConfigs": [LOG_GROUP]}},
        {"LoggingConfiguration": {"ResourceArn": ACL_ARN, "LogDestinationConfigs": [LOG_GROUP]}},
    )
    module = FakeModule(client)
    result = waf_web_acl.ensure(module)
    assert module.actions == [f"associate web ACL with {ALB_ARN}", f"send web ACL logs to {LOG_GROUP}"]
    assert result["diff"]["before"]["associated_resources"] == []
    assert result["diff"]["after"]["associated_resources"] == [ALB_ARN]


def test_absent_disassociates_and_stops_logging_before_deleting(wafv2):
    client, stubber = wafv2
    ip_set_arn = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/ipset/faith-waf-blocked-ips/0a1b2c3d"
    stubber.add_response(
        "list_web_acls", {"WebACLs": [{"Name": "faith-waf", "Id": ACL_ID, "ARN": ACL_ARN, "LockToken": "token-1"}]}, {"Scope": "REGIONAL", "Limit": 100}
    )
    stubber.add_response("get_web_acl", {"WebACL": aws_acl(), "LockToken": "token-1"}, {"Name": "faith-waf", "Scope": "REGIONAL", "Id": ACL_ID})
    stubber.add_response("list_tags_for_resource", {"TagInfoForResource": {"ResourceARN": ACL_ARN}}, {"ResourceARN": ACL_ARN})
    stubber.add_response(
        "get_logging_configuration", {"LoggingConfiguration": {"ResourceArn": ACL_ARN, "LogDestinationConfigs": [LOG_GROUP]}}, {"ResourceArn": ACL_ARN}
    )
    stubber.add_response(
        "list_ip_sets",
        {"IPSets": [{"Name": "faith-waf-blocked-ips", "Id": "0a1b2c3d", "ARN": ip_set_arn, "LockToken": "ip-1"}]},
        {"Scope": "REGIONAL", "Limit": 100},
    )
    stubber.add_response(
        "get_ip_set",
        {
            "IPSet": {"Name": "faith-waf-blocked-ips", "Id": "0a1b2c3d", "ARN": ip_set_arn, "IPAddressVersion": "IPV4", "Addresses": ["192.0.2.0/24"]},
            "LockToken": "ip-1",
        },
        {"Name": "faith-waf-blocked-ips", "Scope": "REGIONAL", "Id": "0a1b2c3d"},
    )
    stubber.add_response("get_web_acl_for_resource", {"WebACL": aws_acl()}, {"ResourceArn": ALB_ARN})
    stubber.add_response("disassociate_web_acl", {}, {"ResourceArn": ALB_ARN})
    stubber.add_response("delete_logging_configuration", {}, {"ResourceArn": ACL_ARN})
    stubber.add_response("delete_web_acl", {}, {"Name": "faith-waf", "Scope": "REGIONAL", "Id": ACL_ID, "LockToken": "token-1"})
    stubber.add_response("delete_ip_set", {}, {"Name": "faith-waf-blocked-ips", "Scope": "REGIONAL", "Id": "0a1b2c3d", "LockToken": "ip-1"})
    module = FakeModule(client, state="absent")
    result = waf_web_acl.ensure(module)
    assert result["changed"] is True
    assert module.actions == [
        f"disassociate web ACL from {ALB_ARN}",
        "delete the web ACL's logging configuration",
        "delete web ACL faith-waf",
        "delete IP set faith-waf-blocked-ips",
    ]


def test_check_mode_on_a_new_web_acl_writes_nothing(wafv2):
    client, stubber = wafv2
    stubber.add_response("list_web_acls", {"WebACLs": []}, {"Scope": "REGIONAL", "Limit": 100})
    stubber.add_response("list_ip_sets", {"IPSets": []}, {"Scope": "REGIONAL", "Limit": 100})
    stubber.add_response("get_web_acl_for_resource", {}, {"ResourceArn": ALB_ARN})
    module = FakeModule(client, check_mode=True, ip_block_list=["192.0.2.0/24"])
    result = waf_web_acl.ensure(module)
    assert result["changed"] is True
    assert result["web_acl"]["arn"] is None
    assert result["web_acl"]["ip_set"] == {"arn": None, "addresses": ["192.0.2.0/24"]}
    assert module.actions == [
        "create IP set faith-waf-blocked-ips with 1 address(es)",
        "create web ACL faith-waf",
        f"associate web ACL with {ALB_ARN}",
        f"send web ACL logs to {LOG_GROUP}",
    ]

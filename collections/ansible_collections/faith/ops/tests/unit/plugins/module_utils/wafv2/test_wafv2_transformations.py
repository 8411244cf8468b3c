# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.wafv2 import transformations as waf

IP_SET_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/faith-waf-blocked-ips/0a1b2c3d-0000-1111-2222-333344445555"
ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/faith-alb/50dc6c495c0c9188"
DEFAULT_GROUPS = [
    dict(name=name, vendor="AWS", version=None, override_action="none", count_rules=[])
    for name in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList")
]


def params(**overrides):
    base = dict(
        name="faith-waf",
        description="",
        default_action="allow",
        managed_rule_groups=copy.deepcopy(DEFAULT_GROUPS),
        rate_limit=2000,
        rate_limit_window=300,
        ip_block_list=[],
        resource_arns=[ALB_ARN],
        logging_destination_arn=None,
    )
    base.update(overrides)
    return base


def described(config, **extra):
    """A web ACL as GetWebACL returns it: ids, capacity, label namespace, firewall manager flags."""
    acl = dict(
        copy.deepcopy(config),
        Name="faith-waf",
        Id="a1b2c3d4",
        ARN="arn:aws:wafv2:us-east-1:123456789012:regional/webacl/faith-waf/a1b2c3d4",
        Capacity=927,
        LabelNamespace="awswaf:123456789012:webacl:faith-waf:",
        ManagedByFirewallManager=False,
        RetrofittedByFirewallManager=False,
    )
    acl.update(extra)
    return acl


@pytest.mark.parametrize(
    "overrides, option, fragment",
    [
        (dict(name="faith waf"), "name", "letters, digits"),
        (dict(name="x" * 120), "name", "at most 116 characters"),
        (dict(rate_limit=5), "rate_limit", "outside 10 to 2000000000"),
        (dict(rate_limit_window=30), "rate_limit_window", "not one of 60, 120, 300, 600"),
        (dict(ip_block_list=["192.0.2.1/24"]), "ip_block_list[0]", "host bits set; the network is 192.0.2.0/24"),
        (dict(ip_block_list=["2001:db8::/32"]), "ip_block_list[0]", "IPv6"),
        (dict(ip_block_list=["0.0.0.0/0"]), "ip_block_list[0]", "does not accept /0"),
        (dict(ip_block_list=["192.0.2.7"]), "ip_block_list[0]", "needs a prefix length"),
        (dict(resource_arns=[ALB_ARN.replace("/app/", "/net/")]), "resource_arns[0]", "not a resource a regional web ACL can protect"),
        (dict(logging_destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:waf"), "logging_destination_arn", "aws-waf-logs-"),
        (dict(managed_rule_groups=DEFAULT_GROUPS + DEFAULT_GROUPS[:1]), "managed_rule_groups[3].name", "duplicates managed_rule_groups[0]"),
        (dict(managed_rule_groups=[dict(DEFAULT_GROUPS[0], name="rate-limit-per-ip")]), "managed_rule_groups[0].name", "reserved"),
        (dict(description=" leading space"), "description", "not start with a space"),
    ],
)
def test_values_waf_would_refuse_are_rejected_naming_the_option(overrides, option, fragment):
    with pytest.raises(OptionError) as raised:
        waf.validate(params(**overrides))
    assert raised.value.option == option
    assert fragment in str(raised.value)


def test_good_values_pass():
    waf.validate(
        params(
            ip_block_list=["192.0.2.0/24", "198.51.100.7/32"],
            logging_destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-faith",
            rate_limit=0,
        )
    )


def test_rules_run_block_list_then_rate_limit_then_managed_groups():
    rules = waf.desired_rules(params(ip_block_list=["192.0.2.0/24"]), IP_SET_ARN)
    assert [(rule["Priority"], rule["Name"]) for rule in rules] == [
        (0, "block-listed-ips"),
        (1, "rate-limit-per-ip"),
        (10, "AWSManagedRulesCommonRuleSet"),
        (11, "AWSManagedRulesKnownBadInputsRuleSet"),
        (12, "AWSManagedRulesAmazonIpReputationList"),
    ]
    assert rules[1]["Statement"] == {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}}
    assert rules[0]["Statement"] == {"IPSetReferenceStatement": {"ARN": IP_SET_ARN}}


def test_without_a_block_list_or_rate_limit_only_managed_groups_remain():
    rules = waf.desired_rules(params(rate_limit=0), None)
    assert [rule["Name"] for rule in rules] == ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]


def test_count_rules_become_rule_action_overrides_and_vendors_prefix_names():
    groups = [
        dict(DEFAULT_GROUPS[0], count_rules=["SizeRestrictions_BODY"], version="Version_1.10"),
        dict(DEFAULT_GROUPS[1], vendor="F5", override_action="count"),
    ]
    common, other = waf.desired_rules(params(managed_rule_groups=groups, rate_limit=0), None)
    assert common["Statement"]["ManagedRuleGroupStatement"] == {
        "VendorName": "AWS",
        "Name": "AWSManagedRulesCommonRuleSet",
        "Version": "Version_1.10",
        "RuleActionOverrides": [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}],
    }
    assert other["Name"] == "F5-AWSManagedRulesKnownBadInputsRuleSet"
    assert other["OverrideAction"] == {"Count": {}}


def test_the_configuration_matches_the_wafv2_request_model():
    config = waf.desired_config(
        params(description="Faith edge", ip_block_list=["192.0.2.0/24"]), waf.desired_rules(params(ip_block_list=["192.0.2.0/24"]), IP_SET_ARN)
    )
    model = get_session().get_service_model("wafv2").operation_model("CreateWebACL").input_shape
    report = ParamValidator().validate(dict(config, Name="faith-waf", Scope="REGIONAL"), model)
    assert not report.has_errors(), report.generate_report()


def test_an_acl_read_back_from_aws_compares_equal_to_the_desired_one():
    config = waf.desired_config(params(), waf.desired_rules(params(), None))
    current = described(config, Description="")
    # AWS reports rules in its own order and adds empty lists the request never had.
    current["Rules"] = list(reversed(current["Rules"]))
    current["Rules"][0]["Statement"]["ManagedRuleGroupStatement"]["ExcludedRules"] = []
    current["Rules"][0]["RuleLabels"] = []
    assert waf.acl_view(current) == waf.acl_view(config)
    assert waf.acl_changes(current, config) == []


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda acl: acl.update(DefaultAction={"Block": {}}), ["default action allow"]),
        (lambda acl: acl["Rules"][0].update(Action={"Count": {}}), ["change rule rate-limit-per-ip"]),
        (lambda acl: acl["Rules"][1].update(OverrideAction={"Count": {}}), ["change rule AWSManagedRulesCommonRuleSet"]),
        (lambda acl: acl["Rules"][0]["Statement"]["RateBasedStatement"].update(Limit=100), ["change rule rate-limit-per-ip"]),
        (lambda acl: acl["Rules"].pop(), ["add rule AWSManagedRulesAmazonIpReputationList"]),
        (lambda acl: acl["Rules"].append(dict(acl["Rules"][0], Name="someone-elses", Priority=50)), ["remove rule someone-elses"]),
        (lambda acl: acl.update(Description="hand edited"), ["description"]),
    ],
)
def test_drift_in_actions_is_seen_although_they_are_empty_structures(change, words):
    config = waf.desired_config(params(), waf.desired_rules(params(), None))
    current = described(config)
    change(current)
    assert waf.acl_view(current) != waf.acl_view(config)
    assert waf.acl_changes(current, config) == words


def test_updates_carry_over_settings_the_module_does_not_manage():
    config = waf.desired_config(params(), [])
    current = described(config, CustomResponseBodies={"blocked": {"ContentType": "TEXT_PLAIN", "Content": "no"}}, TokenDomains=[], CaptchaConfig=None)
    updated = waf.update_config(config, current)
    assert updated["CustomResponseBodies"] == current["CustomResponseBodies"]
    assert "TokenDomains" not in updated and "CaptchaConfig" not in updated


def test_the_block_list_ip_set_is_found_through_its_rule():
    rules = waf.desired_rules(params(ip_block_list=["192.0.2.0/24"]), IP_SET_ARN)
    assert waf.ip_set_reference(rules) == ("faith-waf-blocked-ips", "0a1b2c3d-0000-1111-2222-333344445555", IP_SET_ARN)
    assert waf.ip_set_reference(waf.desired_rules(params(), None)) is None


def test_logging_compares_without_fields_aws_adds():
    destination = "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-faith"
    desired = waf.desired_logging("arn:acl", destination)
    current = dict(desired, ManagedByFirewallManager=False, LogType="WAF_LOGS", LogScope="CUSTOMER")
    assert waf.logging_view(current) == waf.logging_view(desired)
    redacted = dict(current, RedactedFields=[{"SingleHeader": {"Name": "authorization"}}])
    assert waf.logging_view(redacted) != waf.logging_view(desired)
    assert waf.logging_view(None) == {}


def test_addresses_compare_as_sets():
    assert not waf.addresses_differ(["198.51.100.0/24", "192.0.2.0/24"], ["192.0.2.0/24", "198.51.100.0/24"])
    assert waf.addresses_differ(["192.0.2.0/24"], [])

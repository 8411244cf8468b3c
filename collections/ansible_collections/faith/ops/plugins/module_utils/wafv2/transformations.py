# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A regional web ACL from a handful of options: validation, desired rules and comparison.

Pure functions only. The rules, in evaluation order: an optional IP block list, a rate
limit per client IP, then AWS managed rule groups. Comparison works on a canonical form
of the web ACL: WAF marks a chosen action with an empty structure (``{"Block": {}}``),
which generic "drop empty values" normalisation would erase, so empty structures become
``True`` first; fields AWS fills in (capacity, label namespace, ids) are not compared.
"""

from __future__ import annotations

import ipaddress
import re

from ..diffing import normalise
from ..planning import UNKNOWN
from ..validation import OptionError

IP_BLOCK_RULE = "block-listed-ips"
RATE_RULE = "rate-limit-per-ip"
RATE_WINDOWS = (60, 120, 300, 600)
MIN_RATE_LIMIT = 10
MAX_RATE_LIMIT = 2000000000
MAX_IP_SET_ADDRESSES = 10000
# Settings we do not manage but must carry over: UpdateWebACL replaces the whole configuration.
PRESERVED_FIELDS = ("CustomResponseBodies", "CaptchaConfig", "ChallengeConfig", "TokenDomains", "AssociationConfig")

_NAME = re.compile(r"^[\w-]{1,128}$")
_DESCRIPTION = re.compile(r"^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]*$")
_PROTECTABLE = re.compile(
    r"^arn:aws[a-z-]*:("
    r"elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/app/.+"
    r"|apigateway:[a-z0-9-]+::/restapis/.+/stages/.+"
    r"|appsync:[a-z0-9-]+:\d{12}:apis/.+"
    r"|cognito-idp:[a-z0-9-]+:\d{12}:userpool/.+"
    r"|apprunner:[a-z0-9-]+:\d{12}:service/.+"
    r"|ec2:[a-z0-9-]+:\d{12}:verified-access-instance/.+"
    r")$"
)
_LOG_DESTINATION = re.compile(
    r"^arn:aws[a-z-]*:("
    r"logs:[a-z0-9-]+:\d{12}:log-group:aws-waf-logs-[\w.\-/#]+(:\*)?"
    r"|firehose:[a-z0-9-]+:\d{12}:deliverystream/aws-waf-logs-[\w.-]+"
    r"|s3:::aws-waf-logs-[a-z0-9.-]+"
    r")$"
)
_IP_SET_ARN = re.compile(r"^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional/ipset/(?P<name>[\w-]+)/(?P<id>[\w-]+)$")


def ip_set_name(acl_name):
    """The IP set holding the block list of web ACL ``acl_name``."""
    return f"{acl_name}-blocked-ips"


def managed_rule_name(group):
    """Rule name of a managed rule group: its own name, prefixed with the vendor unless AWS."""
    return group["name"] if group["vendor"] == "AWS" else f"{group['vendor']}-{group['name']}"


# --- validation ----------------------------------------------------------------------------


def validate(params, check_mode=False):
    """Every value rule WAF enforces on these options, checked before the first call.

    ARNs of resources an earlier task would create arrive as :data:`UNKNOWN` in check mode,
    and are accepted there only.
    """
    name = params["name"]
    if not _NAME.fullmatch(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 128 letters, digits, '_' or '-'")
    if not _NAME.fullmatch(ip_set_name(name)):
        raise OptionError("name", f"is too long for the block list's IP set name {ip_set_name(name)!r}; use at most {128 - len(ip_set_name(''))} characters")
    description = params.get("description") or ""
    if description and (len(description) > 256 or not _DESCRIPTION.fullmatch(description)):
        raise OptionError("description", "must be at most 256 letters, digits, spaces or +=:#@/-,._ and not start with a space")
    _validate_managed_groups(params.get("managed_rule_groups") or [])
    _validate_rate_limit(params.get("rate_limit"), params.get("rate_limit_window"))
    _validate_ip_block_list(params.get("ip_block_list") or [])
    for index, arn in enumerate(params.get("resource_arns") or []):
        if arn == UNKNOWN:
            _placeholder(f"resource_arns[{index}]", check_mode)
            continue
        if not _PROTECTABLE.fullmatch(arn or ""):
            raise OptionError(
                f"resource_arns[{index}]",
                f"{arn!r} is not a resource a regional web ACL can protect (an application load balancer, API Gateway stage, "
                "AppSync API, Cognito user pool, App Runner service or Verified Access instance ARN)",
            )
    destination = params.get("logging_destination_arn")
    if destination == UNKNOWN:
        _placeholder("logging_destination_arn", check_mode)
    elif destination and not _LOG_DESTINATION.fullmatch(destination):
        raise OptionError(
            "logging_destination_arn",
            f"{destination!r} must be the ARN of a CloudWatch log group, Firehose delivery stream or S3 bucket "
            "whose name starts with 'aws-waf-logs-'",
        )


def _placeholder(option, check_mode):
    if not check_mode:
        raise OptionError(option, f"is {UNKNOWN!r}: the resource it names was never created; only check mode accepts the placeholder")


def _validate_managed_groups(groups):
    seen = {}
    for index, group in enumerate(groups):
        where = f"managed_rule_groups[{index}]"
        for key in ("name", "vendor"):
            if not _NAME.fullmatch(group.get(key) or ""):
                raise OptionError(f"{where}.{key}", f"{group.get(key)!r} must be 1 to 128 letters, digits, '_' or '-'")
        rule_name = managed_rule_name(group)
        if rule_name in (IP_BLOCK_RULE, RATE_RULE):
            raise OptionError(f"{where}.name", f"{rule_name!r} is reserved for this module's own rules")
        if rule_name in seen:
            raise OptionError(f"{where}.name", f"duplicates {seen[rule_name]}; each rule group may appear once")
        seen[rule_name] = where
        for rule_index, rule in enumerate(group.get("count_rules") or []):
            if not _NAME.fullmatch(rule or ""):
                raise OptionError(f"{where}.count_rules[{rule_index}]", f"{rule!r} is not a rule name")


def _validate_rate_limit(limit, window):
    if limit is None or limit == 0:
        return
    if not MIN_RATE_LIMIT <= limit <= MAX_RATE_LIMIT:
        raise OptionError("rate_limit", f"{limit} requests is outside {MIN_RATE_LIMIT} to {MAX_RATE_LIMIT} (or 0 for no rate limit)")
    if window not in RATE_WINDOWS:
        raise OptionError("rate_limit_window", f"{window} seconds is not one of {', '.join(str(item) for item in RATE_WINDOWS)}")


def _validate_ip_block_list(addresses):
    if len(addresses) > MAX_IP_SET_ADDRESSES:
        raise OptionError("ip_block_list", f"{len(addresses)} entries; an IP set holds at most {MAX_IP_SET_ADDRESSES}")
    for index, address in enumerate(addresses):
        where = f"ip_block_list[{index}]"
        try:
            network = ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise OptionError(where, f"{address!r} is not an IPv4 CIDR block") from None
        if network.version != 4:
            raise OptionError(where, f"{address!r} is IPv6; the block list takes IPv4 CIDR blocks")
        if "/" not in address:
            raise OptionError(where, f"{address!r} needs a prefix length, e.g. {network}")
        if str(network) != address:
            raise OptionError(where, f"{address!r} has host bits set; the network is {network}")
        if network.prefixlen == 0:
            raise OptionError(where, "WAF does not accept /0; block everything with default_action=block instead")


# --- desired state ---------------------------------------------------------------------------


def _visibility(metric):
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


def desired_rules(params, ip_set_arn):
    """The web ACL's rules, in evaluation order, as WAF expects them."""
    rules = []
    if params.get("ip_block_list"):
        rules.append(
            {
                "Name": IP_BLOCK_RULE,
                "Priority": 0,
                "Statement": {"IPSetReferenceStatement": {"ARN": ip_set_arn}},
                "Action": {"Block": {}},
                "VisibilityConfig": _visibility(IP_BLOCK_RULE),
            }
        )
    if params.get("rate_limit"):
        rules.append(
            {
                "Name": RATE_RULE,
                "Priority": 1,
                "Statement": {
                    "RateBasedStatement": {
                        "Limit": params["rate_limit"],
                        "AggregateKeyType": "IP",
                        "EvaluationWindowSec": params["rate_limit_window"],
                    }
                },
                "Action": {"Block": {}},
                "VisibilityConfig": _visibility(RATE_RULE),
            }
        )
    for index, group in enumerate(params.get("managed_rule_groups") or []):
        statement = {"VendorName": group["vendor"], "Name": group["name"]}
        if group.get("version"):
            statement["Version"] = group["version"]
        if group.get("count_rules"):
            statement["RuleActionOverrides"] = [{"Name": rule, "ActionToUse": {"Count": {}}} for rule in group["count_rules"]]
        name = managed_rule_name(group)
        rules.append(
            {
                "Name": name,
                "Priority": 10 + index,
                "Statement": {"ManagedRuleGroupStatement": statement},
                "OverrideAction": {"Count": {}} if group.get("override_action") == "count" else {"None": {}},
                "VisibilityConfig": _visibility(name),
            }
        )
    return rules


def desired_config(params, rules):
    """``create_web_acl``/``update_web_acl`` configuration (without name, scope, id or lock token)."""
    config = {
        "DefaultAction": {"Block": {}} if params.get("default_action") == "block" else {"Allow": {}},
        "Rules": rules,
        "VisibilityConfig": _visibility(params["name"]),
    }
    if params.get("description"):
        config["Description"] = params["description"]
    return config


def update_config(desired, current_acl):
    """The desired configuration plus the settings we do not manage, carried over from AWS."""
    config = dict(desired)
    for field in PRESERVED_FIELDS:
        if current_acl.get(field):
            config[field] = current_acl[field]
    return config


# --- comparison ----------------------------------------------------------------------------


def _mark_chosen(value):
    if isinstance(value, dict):
        if not value:
            return True
        return {key: _mark_chosen(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mark_chosen(item) for item in value]
    return value


def canonical_rules(rules):
    """Rules in evaluation order with AWS-filled and empty fields removed."""
    ordered = sorted(rules or [], key=lambda rule: rule.get("Priority", 0))
    return [normalise(_mark_chosen(rule), sort_lists=False) for rule in ordered]


def acl_view(acl):
    """What this module controls of a web ACL (from AWS or desired), comparable and diffable."""
    if not acl:
        return {}
    return {
        "default_action": next(iter(acl.get("DefaultAction") or {"Allow": {}})).lower(),
        "description": acl.get("Description") or "",
        "rules": canonical_rules(acl.get("Rules")),
        "visibility": normalise(acl.get("VisibilityConfig") or {}),
    }


def acl_changes(current, desired):
    """What differs between two web ACL configurations, in words (for the list of actions)."""
    before, after = acl_view(current), acl_view(desired)
    changes = []
    if before["default_action"] != after["default_action"]:
        changes.append(f"default action {after['default_action']}")
    if before["description"] != after["description"]:
        changes.append("description")
    if before["visibility"] != after["visibility"]:
        changes.append("visibility")
    before_rules = {rule.get("Name"): rule for rule in before["rules"]}
    after_rules = {rule.get("Name"): rule for rule in after["rules"]}
    for name, rule in after_rules.items():
        if name not in before_rules:
            changes.append(f"add rule {name}")
        elif before_rules[name] != rule:
            changes.append(f"change rule {name}")
    changes += [f"remove rule {name}" for name in before_rules if name not in after_rules]
    return changes


def ip_set_reference(rules):
    """``(name, id, arn)`` of the IP set the block list rule references, or None."""
    for rule in rules or []:
        arn = ((rule.get("Statement") or {}).get("IPSetReferenceStatement") or {}).get("ARN")
        if rule.get("Name") == IP_BLOCK_RULE and arn:
            match = _IP_SET_ARN.fullmatch(arn)
            if match:
                return match.group("name"), match.group("id"), arn
    return None


def addresses_differ(current, desired):
    return sorted(current or []) != sorted(desired or [])


def desired_logging(acl_arn, destination):
    return {"ResourceArn": acl_arn, "LogDestinationConfigs": [destination]}


def logging_view(config):
    """A logging configuration without the fields AWS adds, comparable with the desired one."""
    if not config:
        return {}
    view = {key: value for key, value in config.items() if key not in ("ResourceArn", "ManagedByFirewallManager", "LogType", "LogScope")}
    return normalise(_mark_chosen(view))

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: waf_web_acl
version_added: 0.1.0
short_description: Manage a regional WAF web ACL with managed rule groups, a rate limit and an IP block list
description:
  - Creates, updates or deletes a REGIONAL AWS WAF (v2) web ACL made of, in evaluation order, an optional
    IP block list (an IP set the module manages), a rate-based rule per client IP, and AWS managed rule groups.
  - Associates the web ACL with the given resources (application load balancers) and optionally sends its
    logs to a destination.
  - Rules are compared after normalisation, so a no-op run makes no write; updates carry the lock token
    read with the web ACL and are re-planned if someone else changed it in between.
  - Settings the module does not manage (custom response bodies, CAPTCHA, challenge, token domains,
    association config) are carried over unchanged on update.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the web ACL (also its CloudWatch metric name).
    type: str
    required: true
  state:
    description:
      - Whether the web ACL should exist. V(absent) first disassociates it from O(resource_arns) and
        removes its logging configuration and block list IP set.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the web ACL.
    type: str
    default: ''
  default_action:
    description:
      - What happens to a request no rule blocks.
    type: str
    choices: [allow, block]
    default: allow
  managed_rule_groups:
    description:
      - AWS (or marketplace) managed rule groups, evaluated in this order after the block list and the rate limit.
    type: list
    elements: dict
    default:
      - name: AWSManagedRulesCommonRuleSet
      - name: AWSManagedRulesKnownBadInputsRuleSet
      - name: AWSManagedRulesAmazonIpReputationList
    suboptions:
      name:
        description:
          - Name of the rule group.
        type: str
        required: true
      vendor:
        description:
          - Vendor of the rule group.
        type: str
        default: AWS
      version:
        description:
          - Pinned version of the rule group; the vendor's default version when omitted.
        type: str
      override_action:
        description:
          - V(none) lets the group's rules act; V(count) only counts their matches.
        type: str
        choices: [none, count]
        default: none
      count_rules:
        description:
          - Rules of the group that only count instead of acting (rule action overrides).
        type: list
        elements: str
        default: []
  rate_limit:
    description:
      - Requests allowed per client IP within O(rate_limit_window) before the IP is blocked; V(0) for no rate limit.
    type: int
    default: 2000
  rate_limit_window:
    description:
      - Seconds over which O(rate_limit) is counted.
    type: int
    choices: [60, 120, 300, 600]
    default: 300
  ip_block_list:
    description:
      - IPv4 CIDR blocks always blocked, kept in an IP set named C(<name>-blocked-ips). An empty list removes the rule and the IP set.
    type: list
    elements: str
    default: []
  resource_arns:
    description:
      - Resources (application load balancer ARNs) the web ACL protects. Listed resources are associated;
        associations of resources not listed are left alone.
    type: list
    elements: str
    default: []
  logging_destination_arn:
    description:
      - CloudWatch log group, Firehose delivery stream or S3 bucket (its name starting with C(aws-waf-logs-)) that receives the web ACL's logs.
      - When omitted, logging is disabled.
      - In check mode it may be C((known after apply)), as may the entries of O(resource_arns), for resources
        an earlier task would create.
    type: str
notes:
  - The scope is always REGIONAL; CloudFront web ACLs are out of scope.
  - The block list IP set is tagged like the web ACL.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the chatbot's load balancer is behind the web ACL
  faith.ops.waf_web_acl:
    name: faith-chatbot-production-waf
    description: Faith chatbot edge protection
    rate_limit: 2000
    ip_block_list:
      - 192.0.2.0/24
    resource_arns:
      - "{{ faith_edge_alb_arn }}"
    logging_destination_arn: arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-faith-chatbot-production
    tags:
      Application: faith-chatbot

- name: Count (do not block) one noisy rule of the common rule set
  faith.ops.waf_web_acl:
    name: faith-chatbot-staging-waf
    managed_rule_groups:
      - name: AWSManagedRulesCommonRuleSet
        count_rules: [SizeRestrictions_BODY]
      - name: AWSManagedRulesKnownBadInputsRuleSet

- name: Remove the web ACL
  faith.ops.waf_web_acl:
    name: faith-chatbot-staging-waf
    resource_arns:
      - "{{ faith_edge_alb_arn }}"
    state: absent
"""

RETURN = r"""
web_acl:
  description: The web ACL; empty when absent. The ARN and id are null in check mode when it would be created.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the web ACL.
      returned: when present
      type: str
      sample: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/faith-chatbot-production-waf/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    id:
      description: Id of the web ACL.
      returned: when present
      type: str
      sample: a1b2c3d4-5678-90ab-cdef-EXAMPLE11111
    name:
      description: Name of the web ACL.
      returned: when present
      type: str
      sample: faith-chatbot-production-waf
    description:
      description: Description of the web ACL.
      returned: when present
      type: str
      sample: Faith chatbot edge protection
    default_action:
      description: V(allow) or V(block).
      returned: when present
      type: str
      sample: allow
    rules:
      description: Rules in evaluation order, in the WAF API's shape.
      returned: when present
      type: list
      elements: dict
      sample: [{"Name": "rate-limit-per-ip", "Priority": 1, "Action": {"Block": {}},
                "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}},
                "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "rate-limit-per-ip"}}]
    capacity:
      description: Web ACL capacity units the rules use, as reported by AWS.
      returned: when present and known
      type: int
      sample: 927
    tags:
      description: Tags of the web ACL.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
    ip_set:
      description: The block list IP set (ARN and addresses); empty without a block list.
      returned: when present
      type: dict
      sample: {"arn": "arn:aws:wafv2:us-east-1:123456789012:regional/ipset/faith-chatbot-production-waf-blocked-ips/0a1b2c3d",
               "addresses": ["192.0.2.0/24"]}
    associated_resources:
      description: The O(resource_arns) the web ACL protects.
      returned: when present
      type: list
      elements: str
      sample: [arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/faith-chatbot-production-alb/50dc6c495c0c9188]
    logging_destination_arn:
      description: Where the web ACL's logs go; null when logging is disabled.
      returned: when present
      type: str
      sample: arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-faith-chatbot-production
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create web ACL faith-chatbot-production-waf", "associate web ACL with arn:aws:elasticloadbalancing:..."]
diff:
  description: Normalised web ACL (rules, default action, block list, associations, logging) before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"rules": []}, "after": {"rules": [{"Name": "rate-limit-per-ip"}]}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import AWSActionError
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.wafv2 import api
from ansible_collections.faith.ops.plugins.module_utils.wafv2 import transformations as waf

# How often an update is re-planned when another writer changed the web ACL in between.
LOCK_ATTEMPTS = 3
PENDING_ARN = "pending:web-acl"
PENDING_IP_SET_ARN = "pending:ip-set"


class State:
    """The web ACL and its companions as known during the run, updated as changes are made."""

    def __init__(self):
        self.acl = None
        self.lock_token = None
        self.tags = {}
        self.ip_set = None
        self.ip_set_lock_token = None
        # {resource ARN: ARN of the web ACL protecting it, or None}, for the listed resources.
        self.protection = {}
        self.logging = None

    @property
    def arn(self):
        return (self.acl or {}).get("ARN")

    @property
    def associated(self):
        return sorted(resource for resource, acl_arn in self.protection.items() if acl_arn == self.arn)


def read(module, client):
    """Everything the module compares, read before the first write."""
    params = module.params
    state = State()
    summary = next((acl for acl in api.web_acls(client) if acl["Name"] == params["name"]), None)
    if summary is not None:
        state.acl, state.lock_token = api.web_acl(client, params["name"], summary["Id"])
        state.tags = api.tags(client, state.arn)
        state.logging = api.logging_configuration(client, state.arn)
    # The IP set is read only when a block list is wanted, the web ACL references one, or on removal.
    if params["ip_block_list"] or waf.ip_set_reference((state.acl or {}).get("Rules")) or params["state"] == "absent":
        state.ip_set, state.ip_set_lock_token = read_ip_set(client, state.acl, params["name"])
    for resource_arn in params["resource_arns"]:
        if resource_arn == UNKNOWN:
            # Check mode before the resource exists: it would be associated once created.
            state.protection[resource_arn] = None
            continue
        # get_web_acl_for_resource, not list_resources_for_web_acl: it answers for one resource,
        # which is all we need, and the emulator implements it.
        state.protection[resource_arn] = api.web_acl_for_resource(client, resource_arn)
    return state


def read_ip_set(client, acl, name):
    """The block list IP set: found through the web ACL's rule when it has one, else by name."""
    reference = waf.ip_set_reference((acl or {}).get("Rules"))
    if reference:
        ip_set, lock_token = api.ip_set(client, reference[0], reference[1])
        if ip_set:
            return ip_set, lock_token
    summary = next((item for item in api.ip_sets(client) if item["Name"] == waf.ip_set_name(name)), None)
    if summary is None:
        return None, None
    return api.ip_set(client, summary["Name"], summary["Id"])


def ensure_ip_set(module, client, state):
    """Create or correct the block list IP set when a block list is wanted; True when changed."""
    params = module.params
    addresses = sorted(params["ip_block_list"])
    if not addresses:
        return False
    name = waf.ip_set_name(params["name"])
    if state.ip_set is None:
        module.record(f"create IP set {name} with {len(addresses)} address(es)")
        if module.check_mode:
            state.ip_set = {"Name": name, "ARN": PENDING_IP_SET_ARN, "Addresses": addresses}
        else:
            summary = api.create_ip_set(client, name, addresses, params["tags"])
            state.ip_set = {"Name": name, "Id": summary["Id"], "ARN": summary["ARN"], "Addresses": addresses}
        return True
    changed = False
    if waf.addresses_differ(state.ip_set.get("Addresses"), addresses):
        module.record(f"update IP set {name} to {len(addresses)} address(es)")
        if not module.check_mode:
            api.update_ip_set(client, name, state.ip_set["Id"], addresses, state.ip_set_lock_token)
        state.ip_set["Addresses"] = addresses
        changed = True
    current_tags = api.tags(client, state.ip_set["ARN"])
    changed |= ensure_tags(module, client, state.ip_set["ARN"], current_tags, f"IP set {name}")
    return changed


def ensure_tags(module, client, arn, current, what):
    """Apply ``tags``/``purge_tags`` to one existing WAF resource; True when they changed."""
    params = module.params
    to_set, to_remove = tag_changes(current, params["tags"], params["purge_tags"])
    if not (to_set or to_remove):
        return False
    if to_set:
        module.record(f"tag {what} ({', '.join(sorted(to_set))})")
    if to_remove:
        module.record(f"untag {what} ({', '.join(sorted(to_remove))})")
    if module.check_mode:
        return True
    if to_set:
        api.tag_resource(client, arn, to_set)
    if to_remove:
        api.untag_resource(client, arn, to_remove)
    return True


def ensure_web_acl(module, client, state):
    """Create the web ACL or bring its configuration and tags in line; True when changed."""
    params = module.params
    ip_set_arn = state.ip_set["ARN"] if params["ip_block_list"] else None
    desired = waf.desired_config(params, waf.desired_rules(params, ip_set_arn))
    if state.acl is None:
        module.record(f"create web ACL {params['name']}")
        if module.check_mode:
            state.acl = dict(desired, Name=params["name"], ARN=PENDING_ARN)
        else:
            summary = api.create_web_acl(client, params["name"], desired, params["tags"])
            state.acl = dict(desired, Name=params["name"], Id=summary["Id"], ARN=summary["ARN"])
            state.lock_token = summary["LockToken"]
        state.tags = dict(params["tags"] or {})
        return True

    changed = ensure_tags(module, client, state.arn, state.tags, f"web ACL {params['name']}")
    state.tags = merged_tags(state.tags, params["tags"], params["purge_tags"])
    attempt = 1
    while waf.acl_view(state.acl) != waf.acl_view(desired):
        action = f"update web ACL {params['name']} ({'; '.join(waf.acl_changes(state.acl, desired))})"
        if module.check_mode:
            module.record(action)
            state.acl = dict(state.acl, **desired)
            return True
        try:
            state.lock_token = api.update_web_acl(client, params["name"], state.acl["Id"], waf.update_config(desired, state.acl), state.lock_token)
        except AWSActionError as error:
            if not api.is_stale_lock(error) or attempt >= LOCK_ATTEMPTS:
                raise
            # Someone else changed the web ACL since we read it: read it again and re-plan.
            attempt += 1
            state.acl, state.lock_token = api.web_acl(client, params["name"], state.acl["Id"])
            continue
        module.record(action)
        state.acl = dict(state.acl, **desired)
        return True
    return changed


def ensure_associations(module, client, state):
    """Associate the web ACL with every resource of ``resource_arns``; True when any was (re)associated."""
    changed = False
    for resource_arn, protector in sorted(state.protection.items()):
        if protector == state.arn and state.arn != PENDING_ARN:
            continue
        module.record(f"associate web ACL with {resource_arn}")
        if not module.check_mode:
            api.associate(client, state.arn, resource_arn)
        state.protection[resource_arn] = state.arn
        changed = True
    return changed


def ensure_logging(module, client, state):
    """Point the web ACL's logs at ``logging_destination_arn`` (or stop logging); True when changed."""
    destination = module.params["logging_destination_arn"]
    desired = waf.desired_logging(state.arn, destination) if destination else None
    if waf.logging_view(state.logging) == waf.logging_view(desired):
        return False
    if desired:
        module.record(f"send web ACL logs to {destination}")
        if not module.check_mode:
            api.put_logging_configuration(client, desired)
    else:
        module.record("stop logging the web ACL")
        if not module.check_mode:
            api.delete_logging_configuration(client, state.arn)
    state.logging = desired
    return True


def remove_stale_ip_set(module, client, state):
    """Delete the block list IP set once the web ACL no longer references it; True when deleted."""
    if module.params["ip_block_list"] or state.ip_set is None:
        return False
    module.record(f"delete IP set {state.ip_set['Name']}")
    if not module.check_mode:
        api.delete_ip_set(client, state.ip_set["Name"], state.ip_set["Id"], state.ip_set_lock_token)
    state.ip_set = None
    return True


def _scrub(value):
    """``value`` with the check-mode stand-in ARNs replaced by None."""
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return None if value in (PENDING_ARN, PENDING_IP_SET_ARN) else value


def describe(state):
    """The web ACL as the module returns it (stand-in ARNs of check mode shown as null)."""
    if state.acl is None:
        return {}
    acl = state.acl
    described = {
        "arn": acl.get("ARN"),
        "id": acl.get("Id"),
        "name": acl["Name"],
        "description": acl.get("Description") or "",
        "default_action": next(iter(acl.get("DefaultAction") or {"Allow": {}})).lower(),
        "rules": sorted(acl.get("Rules") or [], key=lambda rule: rule.get("Priority", 0)),
        "tags": dict(state.tags),
        "ip_set": {},
        "associated_resources": state.associated,
        "logging_destination_arn": ((state.logging or {}).get("LogDestinationConfigs") or [None])[0],
    }
    if acl.get("Capacity") is not None:
        described["capacity"] = acl["Capacity"]
    if state.ip_set:
        described["ip_set"] = {"arn": state.ip_set.get("ARN"), "addresses": sorted(state.ip_set.get("Addresses") or [])}
    return _scrub(described)


def view(state):
    """The normalised web ACL for diffs."""
    if state.acl is None:
        return {}
    return _scrub(
        dict(
            waf.acl_view(state.acl),
            tags=dict(state.tags),
            ip_block_list=sorted((state.ip_set or {}).get("Addresses") or []),
            associated_resources=state.associated,
            logging=waf.logging_view(state.logging),
        )
    )


def ensure_absent(module, client, state):
    params = module.params
    if state.acl is None and state.ip_set is None:
        return module.result(False, "web_acl", {})
    before = view(state)
    if state.acl is not None:
        # AWS refuses to delete a web ACL that still protects a resource or still logs.
        for resource_arn in state.associated:
            module.record(f"disassociate web ACL from {resource_arn}")
            if not module.check_mode:
                api.disassociate(client, resource_arn)
        if state.logging:
            module.record("delete the web ACL's logging configuration")
            if not module.check_mode:
                api.delete_logging_configuration(client, state.arn)
        module.record(f"delete web ACL {params['name']}")
        if not module.check_mode:
            api.delete_web_acl(client, params["name"], state.acl["Id"], state.lock_token)
    if state.ip_set is not None:
        module.record(f"delete IP set {state.ip_set['Name']}")
        if not module.check_mode:
            api.delete_ip_set(client, state.ip_set["Name"], state.ip_set["Id"], state.ip_set_lock_token)
    return module.result(True, "web_acl", {}, before=before, after={})


def ensure(module):
    params = module.params
    waf.validate(params, module.check_mode)
    validate_tags(params["tags"])
    client = module.client("wafv2")
    state = read(module, client)
    if params["state"] == "absent":
        return ensure_absent(module, client, state)

    before = view(state)
    changed = ensure_ip_set(module, client, state)
    changed |= ensure_web_acl(module, client, state)
    changed |= ensure_associations(module, client, state)
    changed |= ensure_logging(module, client, state)
    changed |= remove_stale_ip_set(module, client, state)
    return module.result(changed, "web_acl", describe(state), before=before, after=view(state))


def main():
    managed_rule_group = dict(
        name=dict(type="str", required=True),
        vendor=dict(type="str", default="AWS"),
        version=dict(type="str"),
        override_action=dict(type="str", choices=["none", "count"], default="none"),
        count_rules=dict(type="list", elements="str", default=[]),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str", default=""),
        default_action=dict(type="str", choices=["allow", "block"], default="allow"),
        managed_rule_groups=dict(
            type="list",
            elements="dict",
            options=managed_rule_group,
            default=[
                dict(name="AWSManagedRulesCommonRuleSet"),
                dict(name="AWSManagedRulesKnownBadInputsRuleSet"),
                dict(name="AWSManagedRulesAmazonIpReputationList"),
            ],
        ),
        rate_limit=dict(type="int", default=2000),
        rate_limit_window=dict(type="int", choices=[60, 120, 300, 600], default=300),
        ip_block_list=dict(type="list", elements="str", default=[]),
        resource_arns=dict(type="list", elements="str", default=[]),
        logging_destination_arn=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()

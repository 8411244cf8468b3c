#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: security_group
version_added: 0.1.0
short_description: Manage a VPC security group and its ingress and egress rules
description:
  - Creates, updates or deletes one security group in a VPC, identified by O(name) and O(vpc_id).
  - Rules name their peer by IPv4 or IPv6 CIDR, managed prefix list, or another security group of
    the same VPC (by name or id). Rules that are not listed are revoked when O(purge_rules) or
    O(purge_rules_egress) is true.
  - Every value AWS would reject (inverted port ranges, CIDRs with host bits, unknown groups,
    characters outside the EC2 set) is rejected before any change is made, with a message that
    names the offending option.
  - A no-op run makes one read call (all groups of the VPC, rules and tags inline) and no write.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the security group, unique within O(vpc_id).
    type: str
    required: true
  vpc_id:
    description:
      - The VPC the group belongs to.
    type: str
    required: true
  description:
    description:
      - Description of the group, used when it is created.
      - AWS cannot change the description of an existing group; a different value only raises a warning.
    type: str
    default: Managed by faith.ops
  rules:
    description:
      - Ingress rules. Each rule names exactly one of O(rules[].cidr_ip), O(rules[].cidr_ipv6),
        O(rules[].prefix_list_id), O(rules[].group_id) or O(rules[].group_name).
      - When omitted, ingress rules are left as they are.
    type: list
    elements: dict
    suboptions:
      protocol:
        description:
          - IP protocol. V(all) covers every protocol and port and takes no ports.
        type: str
        choices: [tcp, udp, icmp, icmpv6, all]
        default: tcp
      from_port:
        description:
          - First port of the range (for ICMP, the ICMP type; V(-1) for any).
          - Required for V(tcp) and V(udp).
        type: int
      to_port:
        description:
          - Last port of the range (for ICMP, the ICMP code). Defaults to O(rules[].from_port).
        type: int
      cidr_ip:
        description:
          - IPv4 CIDR block of the peer, without host bits (V(10.0.0.0/16), not V(10.0.0.1/16)).
        type: str
      cidr_ipv6:
        description:
          - IPv6 CIDR block of the peer.
        type: str
      prefix_list_id:
        description:
          - Managed prefix list of the peer (V(pl-...)).
        type: str
      group_id:
        description:
          - Id of a peer security group in the same VPC.
        type: str
      group_name:
        description:
          - Name of a peer security group in the same VPC; the group's own name refers to itself.
        type: str
      description:
        description:
          - Description of the rule.
        type: str
  rules_egress:
    description:
      - Egress rules, in the same format as O(rules).
      - When omitted, egress rules are left as they are (AWS gives a new group one rule allowing all egress).
    type: list
    elements: dict
    suboptions:
      protocol:
        description:
          - IP protocol. V(all) covers every protocol and port and takes no ports.
        type: str
        choices: [tcp, udp, icmp, icmpv6, all]
        default: tcp
      from_port:
        description:
          - First port of the range (for ICMP, the ICMP type; V(-1) for any).
          - Required for V(tcp) and V(udp).
        type: int
      to_port:
        description:
          - Last port of the range (for ICMP, the ICMP code). Defaults to O(rules_egress[].from_port).
        type: int
      cidr_ip:
        description:
          - IPv4 CIDR block of the peer, without host bits.
        type: str
      cidr_ipv6:
        description:
          - IPv6 CIDR block of the peer.
        type: str
      prefix_list_id:
        description:
          - Managed prefix list of the peer (V(pl-...)).
        type: str
      group_id:
        description:
          - Id of a peer security group in the same VPC.
        type: str
      group_name:
        description:
          - Name of a peer security group in the same VPC; the group's own name refers to itself.
        type: str
      description:
        description:
          - Description of the rule.
        type: str
  purge_rules:
    description:
      - Revoke ingress rules that are not listed in O(rules). Ignored when O(rules) is omitted.
    type: bool
    default: true
  purge_rules_egress:
    description:
      - Revoke egress rules that are not listed in O(rules_egress). Ignored when O(rules_egress) is omitted.
    type: bool
    default: true
  state:
    description:
      - Whether the group should exist.
      - Deleting waits a few minutes at most for network interfaces that still use the group to go away.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Group references are resolved within O(vpc_id); groups of peered VPCs or other accounts are not supported.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the load balancer group admits HTTP and HTTPS from the internet
  faith.ops.security_group:
    name: faith-chatbot-production-alb
    vpc_id: vpc-0123456789abcdef0
    description: Faith chatbot load balancer
    rules:
      - from_port: 80
        cidr_ip: 0.0.0.0/0
        description: HTTP from the internet
      - from_port: 443
        cidr_ip: 0.0.0.0/0
        description: HTTPS from the internet
    rules_egress:
      - from_port: 8000
        cidr_ip: 10.0.0.0/16
        description: To the tasks in the VPC
    tags:
      Application: faith-chatbot

- name: Ensure the tasks accept the app port from the load balancer only
  faith.ops.security_group:
    name: faith-chatbot-production-tasks
    vpc_id: vpc-0123456789abcdef0
    rules:
      - from_port: 8000
        group_name: faith-chatbot-production-alb
        description: App port from the load balancer
    rules_egress:
      - from_port: 443
        cidr_ip: 0.0.0.0/0
        description: HTTPS to AWS APIs

- name: Remove a group
  faith.ops.security_group:
    name: faith-chatbot-production-tasks
    vpc_id: vpc-0123456789abcdef0
    state: absent
"""

RETURN = r"""
security_group:
  description: The group as it is (or, in check mode, would be) after the run; empty when absent.
  returned: always
  type: dict
  contains:
    group_id:
      description: Id of the group; null in check mode when the group would be created.
      returned: when present
      type: str
      sample: sg-0123456789abcdef0
    group_name:
      description: Name of the group.
      returned: when present
      type: str
      sample: faith-chatbot-production-alb
    vpc_id:
      description: VPC of the group.
      returned: when present
      type: str
      sample: vpc-0123456789abcdef0
    description:
      description: Description of the group.
      returned: when present
      type: str
      sample: Faith chatbot load balancer
    rules:
      description: Ingress rules in the option format, peer groups by id.
      returned: when present
      type: list
      elements: dict
      sample: [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ip": "0.0.0.0/0", "description": "HTTPS"}]
    rules_egress:
      description: Egress rules in the option format, peer groups by id.
      returned: when present
      type: list
      elements: dict
      sample: [{"protocol": "all", "cidr_ip": "0.0.0.0/0"}]
    tags:
      description: Tags of the group.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create security group faith-chatbot-production-alb", "authorize 2 ingress rule(s)"]
diff:
  description: Normalised group before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"group_name": "faith-chatbot-production-alb"}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.security_groups import api
from ansible_collections.faith.ops.plugins.module_utils.security_groups import transformations as sg
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

# AWS gives every new group this egress rule.
_DEFAULT_EGRESS = [{"protocol": "all", "from_port": None, "to_port": None, "peer": "cidr_ip", "target": "0.0.0.0/0", "description": ""}]


def _rule_options():
    return dict(
        protocol=dict(type="str", choices=list(sg.PROTOCOLS), default="tcp"),
        from_port=dict(type="int"),
        to_port=dict(type="int"),
        cidr_ip=dict(type="str"),
        cidr_ipv6=dict(type="str"),
        prefix_list_id=dict(type="str"),
        group_id=dict(type="str"),
        group_name=dict(type="str"),
        description=dict(type="str"),
    )


class GroupState:
    """The group as known during the run: id, rules and tags, updated as changes are made."""

    def __init__(self, group):
        self.load(group or {})

    def load(self, group):
        self.group_id = group.get("GroupId")
        self.description = group.get("Description")
        self.ingress = sg.current_rules(group.get("IpPermissions"))
        self.egress = sg.current_rules(group.get("IpPermissionsEgress"))
        self.tags = {tag["Key"]: tag["Value"] for tag in group.get("Tags", [])}


def ensure_group(module, client, state):
    """Create the group when it is missing; True when it was (or would be) created."""
    if state.group_id is not None:
        if module.params["description"] != state.description:
            module.warn(
                f"description: the group's description is {state.description!r}; AWS cannot change the description of an existing group"
            )
        return False
    params = module.params
    module.record(f"create security group {params['name']}")
    if module.check_mode:
        state.description = params["description"]
        state.egress = [dict(rule) for rule in _DEFAULT_EGRESS]
        state.tags = dict(params["tags"] or {})
        return True
    group_id = api.create_security_group(client, params["name"], params["description"], params["vpc_id"], params["tags"])
    state.load(api.security_group(client, group_id))
    return True


def ensure_rules(module, client, state, desired, purge, egress):
    """Make the group's rules in one direction match ``desired``; True when anything changed."""
    if desired is None:
        return False
    direction = "egress" if egress else "ingress"
    current = state.egress if egress else state.ingress
    to_add, to_remove, to_describe = sg.plan_rules(current, desired, purge)
    if not (to_add or to_remove or to_describe):
        return False
    after = sg.rules_after(current, to_add, to_remove, to_describe)
    if egress:
        state.egress = after
    else:
        state.ingress = after
    if to_add:
        module.record(f"authorize {len(to_add)} {direction} rule(s)")
    if to_describe:
        module.record(f"update the description of {len(to_describe)} {direction} rule(s)")
    if to_remove:
        module.record(f"revoke {len(to_remove)} {direction} rule(s)")
    if module.check_mode:
        return True
    revoke, authorize, describe = (
        (api.revoke_egress, api.authorize_egress, api.update_egress_descriptions)
        if egress
        else (api.revoke_ingress, api.authorize_ingress, api.update_ingress_descriptions)
    )
    # Authorise before revoking so a replaced rule never leaves a gap in what is allowed.
    if to_add:
        authorize(client, state.group_id, sg.ip_permissions(to_add))
    if to_describe:
        describe(client, state.group_id, sg.ip_permissions(to_describe))
    if to_remove:
        revoke(client, state.group_id, sg.ip_permissions(to_remove))
    return True


def ensure_tags(module, client, state):
    """Apply ``tags``/``purge_tags``; True when tags changed."""
    params = module.params
    to_set, to_remove = tag_changes(state.tags, params["tags"], params["purge_tags"])
    if not (to_set or to_remove):
        return False
    state.tags = merged_tags(state.tags, params["tags"], params["purge_tags"])
    if to_set:
        module.record(f"tag security group ({', '.join(sorted(to_set))})")
    if to_remove:
        module.record(f"untag security group ({', '.join(sorted(to_remove))})")
    if module.check_mode:
        return True
    if to_set:
        api.tag_group(client, state.group_id, to_set)
    if to_remove:
        api.untag_group(client, state.group_id, to_remove)
    return True


def describe(params, state):
    return sg.describe_group(
        state.group_id, params["name"], params["vpc_id"], state.description, state.ingress, state.egress, state.tags
    )


def ensure_absent(module, client, state):
    params = module.params
    if state.group_id is None:
        return module.result(False, "security_group", {})
    before = describe(params, state)
    module.record(f"delete security group {state.group_id}")
    if not module.check_mode:
        api.delete_security_group(client, state.group_id)
    return module.result(True, "security_group", {}, before=before, after={})


def ensure(module):
    params = module.params
    # In check mode the network role may hand over the placeholder of a VPC it would create.
    planned_vpc = check_placeholder(params["vpc_id"], "vpc_id", module.check_mode)
    check_placeholders(params, ("rules", "rules_egress"), module.check_mode)
    sg.validate_group(params["name"], params["description"], None if planned_vpc else params["vpc_id"])
    validate_tags(params["tags"])
    ingress = sg.validate_rules(params["rules"], "rules") if params["rules"] is not None else None
    egress = sg.validate_rules(params["rules_egress"], "rules_egress") if params["rules_egress"] is not None else None

    client = module.client("ec2")
    # A VPC that does not exist yet has no groups: nothing to read.
    groups = [] if planned_vpc else api.security_groups_in_vpc(client, params["vpc_id"])
    existing = next((group for group in groups if group["GroupName"] == params["name"]), None)
    state = GroupState(existing)
    if params["state"] == "absent":
        return ensure_absent(module, client, state)

    # EC2 filters by an unknown VPC without complaint; creating the group would then fail
    # (or, on the emulator, succeed). Check it before any write, in check mode too.
    if existing is None and not planned_vpc and not api.vpc_exists(client, params["vpc_id"]):
        raise OptionError("vpc_id", f"VPC {params['vpc_id']} does not exist in {module.region}; create the network first")
    # Unknown peers fail here, after the one read and before any write.
    ingress = sg.resolve_groups(ingress, groups, params["vpc_id"], params["name"], state.group_id) if ingress is not None else None
    egress = sg.resolve_groups(egress, groups, params["vpc_id"], params["name"], state.group_id) if egress is not None else None

    before = describe(params, state) if existing else {}
    changed = ensure_group(module, client, state)
    if changed and state.group_id:
        # Self references can only be resolved once the group exists.
        ingress = _resolve_self(ingress, state.group_id)
        egress = _resolve_self(egress, state.group_id)
    changed |= ensure_rules(module, client, state, ingress, params["purge_rules"], egress=False)
    changed |= ensure_rules(module, client, state, egress, params["purge_rules_egress"], egress=True)
    changed |= ensure_tags(module, client, state)
    after = describe(params, state)
    return module.result(changed, "security_group", after, before=before, after=after)


def _resolve_self(atoms, group_id):
    if atoms is None:
        return None
    return [dict(atom, target=group_id) if atom["target"] == sg.SELF_PLACEHOLDER else atom for atom in atoms]


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        vpc_id=dict(type="str", required=True),
        description=dict(type="str", default="Managed by faith.ops"),
        rules=dict(type="list", elements="dict", options=_rule_options()),
        rules_egress=dict(type="list", elements="dict", options=_rule_options()),
        purge_rules=dict(type="bool", default=True),
        purge_rules_egress=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: load_balancer
version_added: 0.1.0
short_description: Manage a blue/green application load balancer with its target groups and listeners
description:
  - Manages, in one call, an application load balancer (ALB), two target groups of type V(ip) (one per
    colour, V(blue) and V(green)), a production listener that forwards to both colours by weight, and a
    test listener on its own port that reaches one colour (by default the idle one).
  - With O(certificate_arn) the production listener is HTTPS on O(https_port) and the HTTP listener on
    O(listener_port) redirects to it; the test listener uses HTTPS too.
  - Weights and the test listener's colour belong to releases; when O(weights) or O(test_listener_colour)
    is omitted the current values are kept (a new load balancer starts with blue 100, green 0, and tests green).
  - Listeners on ports other than O(listener_port), O(https_port) (with a certificate) and O(test_listener_port)
    are deleted; listener rules other than the default actions are left alone.
  - With O(blocked_paths), the production listener answers those paths itself with a fixed response
    (a listener rule at priority 1), so internal endpoints such as C(/metrics) never reach the targets
    from the public side.
  - In check mode O(subnets) and O(security_groups) may hold C((known after apply)), the placeholder an
    earlier task returns for a resource it would create; the module then plans without reading them.
  - Supports check mode and diff mode. A no-op run makes eight read calls and no write.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the load balancer (at most 32 letters, digits or hyphens).
    type: str
    required: true
  state:
    description:
      - Whether the load balancer and its target groups should exist.
      - V(absent) refuses to delete a load balancer that has deletion protection enabled; apply
        O(deletion_protection=false) first.
    type: str
    choices: [present, absent]
    default: present
  subnets:
    description:
      - Subnet ids (at least two, in different Availability Zones of one VPC). Required when O(state=present).
    type: list
    elements: str
  security_groups:
    description:
      - Security group ids of the load balancer. Required when O(state=present).
    type: list
    elements: str
  scheme:
    description:
      - Whether the load balancer is reachable from the internet. Cannot be changed after creation.
    type: str
    choices: [internet-facing, internal]
    default: internet-facing
  deletion_protection:
    description:
      - Whether AWS refuses to delete the load balancer.
    type: bool
    default: false
  idle_timeout:
    description:
      - Seconds a connection may stay idle (1 to 4000).
    type: int
    default: 60
  access_logs:
    description:
      - Where to write access logs. When omitted, access logging is disabled.
      - The bucket policy must allow Elastic Load Balancing to write to it.
    type: dict
    suboptions:
      bucket:
        description:
          - S3 bucket name.
        type: str
        required: true
      prefix:
        description:
          - Key prefix inside the bucket.
        type: str
        default: ''
  target_group_prefix:
    description:
      - Target groups are named C(<target_group_prefix>-blue) and C(<target_group_prefix>-green), at most 32 characters.
      - Defaults to O(name).
    type: str
  target_port:
    description:
      - Port the target groups send traffic to, the port the application containers listen on.
      - AWS cannot change the port of an existing target group. Required when O(state=present).
    type: int
  container_port:
    description:
      - The container port declared by the compute side, checked against O(target_port) so a mismatch
        fails here instead of leaving tasks that never turn healthy.
    type: int
  target_protocol:
    description:
      - Protocol between the load balancer and the targets.
    type: str
    choices: [HTTP, HTTPS]
    default: HTTP
  health_check:
    description:
      - Health check of both target groups.
    type: dict
    default: {}
    suboptions:
      path:
        description:
          - Path the load balancer requests.
        type: str
        default: /health
      port:
        description:
          - V(traffic-port) or a port number equal to O(target_port).
        type: str
        default: traffic-port
      interval:
        description:
          - Seconds between checks (5 to 300).
        type: int
        default: 15
      timeout:
        description:
          - Seconds before a check fails (2 to 120, shorter than the interval).
        type: int
        default: 5
      healthy_threshold:
        description:
          - Consecutive successes before a target is healthy (2 to 10).
        type: int
        default: 2
      unhealthy_threshold:
        description:
          - Consecutive failures before a target is unhealthy (2 to 10).
        type: int
        default: 2
      matcher:
        description:
          - HTTP codes that count as healthy, e.g. V(200), V(200,204) or V(200-299).
        type: str
        default: '200'
  deregistration_delay:
    description:
      - Seconds a deregistered target keeps serving in-flight requests (0 to 3600).
    type: int
    default: 30
  listener_port:
    description:
      - Port of the HTTP listener (production, or the redirect to HTTPS when O(certificate_arn) is set).
    type: int
    default: 80
  certificate_arn:
    description:
      - ACM (or IAM server) certificate ARN. When set, production traffic is served over HTTPS on O(https_port).
    type: str
  https_port:
    description:
      - Port of the HTTPS production listener; used only with O(certificate_arn).
    type: int
    default: 443
  ssl_policy:
    description:
      - TLS security policy of the HTTPS listeners.
    type: str
    default: ELBSecurityPolicy-TLS13-1-2-2021-06
  test_listener_port:
    description:
      - Port of the test listener, which reaches one colour only (smoke tests of a release).
    type: int
    default: 8080
  weights:
    description:
      - Share of production traffic per colour, in percent; the two must sum to 100.
      - When omitted, the current weights are kept (blue 100, green 0 on a new load balancer).
    type: dict
    suboptions:
      blue:
        description:
          - Percentage of production traffic sent to the blue target group.
        type: int
        required: true
      green:
        description:
          - Percentage of production traffic sent to the green target group.
        type: int
        required: true
  test_listener_colour:
    description:
      - Colour the test listener reaches. When omitted, the current colour is kept; a new test listener
        reaches the colour with less production traffic.
    type: str
    choices: [blue, green]
  blocked_paths:
    description:
      - Path patterns (at most five, e.g. V(/metrics) and V(/metrics/*)) the production listener refuses with
        O(blocked_paths_status_code) instead of forwarding them. V([]) removes the rule.
    type: list
    elements: str
    default: []
  blocked_paths_status_code:
    description:
      - Status of the fixed response for O(blocked_paths).
    type: int
    choices: [403, 404]
    default: 404
  wait:
    description:
      - Wait for a new load balancer to become active. Deletion always waits, since the target groups
        can only be deleted once the load balancer is gone.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait.
    type: int
    default: 600
notes:
  - Tags apply to the load balancer and both target groups; each target group also carries a C(Colour) tag.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the chatbot load balancer exists, all traffic on blue
  faith.ops.load_balancer:
    name: faith-chatbot-production-alb
    subnets: "{{ faith_network_public_subnet_ids }}"
    security_groups: [sg-0123456789abcdef0]
    target_group_prefix: faith-chatbot-production
    target_port: 8000
    deletion_protection: true
    certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789
    tags:
      Application: faith-chatbot

- name: Shift 10 percent of production traffic to green (a canary step)
  faith.ops.load_balancer:
    name: faith-chatbot-production-alb
    subnets: "{{ faith_network_public_subnet_ids }}"
    security_groups: [sg-0123456789abcdef0]
    target_group_prefix: faith-chatbot-production
    target_port: 8000
    weights:
      blue: 90
      green: 10
    test_listener_colour: green

- name: Delete the load balancer and its target groups
  faith.ops.load_balancer:
    name: faith-chatbot-production-alb
    target_group_prefix: faith-chatbot-production
    state: absent
"""

RETURN = r"""
load_balancer:
  description: The load balancer; empty when absent. ARNs are null in check mode for resources that would be created.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the load balancer.
      returned: when present
      type: str
      sample: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/faith-chatbot-production-alb/50dc6c495c0c9188
    name:
      description: Name of the load balancer.
      returned: when present
      type: str
      sample: faith-chatbot-production-alb
    dns_name:
      description: Public DNS name.
      returned: when present
      type: str
      sample: faith-chatbot-production-alb-1234567890.us-east-1.elb.amazonaws.com
    canonical_hosted_zone_id:
      description: Route 53 hosted zone of the DNS name, for alias records.
      returned: when present
      type: str
      sample: Z35SXDOTRQ7X7K
    scheme:
      description: V(internet-facing) or V(internal).
      returned: when present
      type: str
      sample: internet-facing
    state:
      description: State code reported by AWS.
      returned: when present
      type: str
      sample: active
    vpc_id:
      description: VPC of the load balancer.
      returned: when present
      type: str
      sample: vpc-0123456789abcdef0
    security_groups:
      description: Security group ids.
      returned: when present
      type: list
      elements: str
      sample: [sg-0123456789abcdef0]
    subnets:
      description: Subnet ids.
      returned: when present
      type: list
      elements: str
      sample: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
    availability_zones:
      description: Availability Zones of the subnets.
      returned: when present
      type: list
      elements: str
      sample: [us-east-1a, us-east-1b]
    attributes:
      description: Deletion protection, idle timeout and access logs.
      returned: when present
      type: dict
      sample: {"deletion_protection": true, "idle_timeout": 60, "access_logs": {"enabled": false}}
    tags:
      description: Tags of the load balancer.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
target_groups:
  description: Target group ARN per colour.
  returned: always
  type: dict
  sample: {"blue": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/faith-chatbot-production-blue/73e2d6bc24d8a067",
           "green": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/faith-chatbot-production-green/2453ed029918f21f"}
target_group_settings:
  description: Port, protocol, target type, health check and deregistration delay shared by both target groups.
  returned: when present
  type: dict
  sample: {"port": 8000, "protocol": "HTTP", "target_type": "ip", "deregistration_delay": 30,
           "health_check": {"path": "/health", "port": "traffic-port", "interval": 15, "timeout": 5,
                            "healthy_threshold": 2, "unhealthy_threshold": 2, "matcher": "200"}}
blocked_paths:
  description: Path patterns the production listener refuses, and the status it answers with; null without a rule.
  returned: always
  type: dict
  sample: {"paths": ["/metrics", "/metrics/*"], "status_code": 404, "other_actions": []}
listeners:
  description: The V(production) and V(test) listeners (and V(http_redirect) with HTTPS) with ARN, port and protocol.
  returned: always
  type: dict
  sample: {"production": {"arn": "arn:aws:elasticloadbalancing:...:listener/app/faith-chatbot-production-alb/50dc6c495c0c9188/f2f7dc8efc522ab2",
                          "port": 443, "protocol": "HTTPS"},
           "test": {"arn": "arn:aws:elasticloadbalancing:...", "port": 8080, "protocol": "HTTPS", "colour": "green"}}
weights:
  description: Production traffic share per colour, in percent.
  returned: always
  type: dict
  sample: {"blue": 100, "green": 0}
test_listener_colour:
  description: Colour the test listener reaches.
  returned: always
  type: str
  sample: green
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create load balancer faith-chatbot-production-alb", "create target group faith-chatbot-production-blue"]
diff:
  description: Normalised stack (load balancer, target groups, listeners by port, weights) before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"weights": {"blue": 100, "green": 0}}, "after": {"weights": {"blue": 90, "green": 10}}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import api
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import stack as elb_stack
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import transformations as elb
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.waiting import wait_for

# Stand-in ARNs of resources that check mode would create; results show them as null.
PENDING = "pending:"


def _pending(what):
    return PENDING + what


def _scrub(value):
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, str) and value.startswith(PENDING):
        return None
    return value


def validate(params, check_mode=False):
    """Every value rule AWS enforces, checked before the first call."""
    elb.validate_names(params["name"], params["target_group_prefix"])
    if params["state"] == "absent":
        return
    elb.validate_unknowns(params, check_mode)
    elb.validate_blocked_paths(params["blocked_paths"], params["blocked_paths_status_code"])
    elb.validate_network(params["subnets"], params["security_groups"])
    elb.validate_attributes(params["idle_timeout"], params["access_logs"])
    elb.validate_target_group(params["target_port"], params["container_port"], params["health_check"], params["deregistration_delay"])
    elb.validate_listeners(params["listener_port"], params["https_port"], params["test_listener_port"], params["certificate_arn"])
    elb.validate_weights(params["weights"])
    validate_tags(params["tags"])


def preflight(module, stack):
    """Checks that need the current state, done before any write: immutable settings and subnets.

    Returns the VPC id the target groups belong in and, when the subnets were read, their zones.
    """
    params = module.params
    load_balancer = stack.load_balancer
    if load_balancer and load_balancer["Scheme"] != params["scheme"]:
        raise OptionError(
            "scheme", f"{params['name']} is {load_balancer['Scheme']}; AWS cannot change a scheme, so delete it (state=absent) to recreate it"
        )
    current_subnets = sorted(zone["SubnetId"] for zone in (load_balancer or {}).get("AvailabilityZones", []))
    vpc_id = (load_balancer or {}).get("VpcId")
    zones = {}
    if UNKNOWN in params["subnets"]:
        # Check mode before the subnets exist: nothing to read, the VPC is not known yet either.
        return vpc_id or UNKNOWN, zones
    if load_balancer is None or current_subnets != sorted(params["subnets"]):
        # Only a new or moved load balancer pays for the EC2 read that checks the subnets.
        vpc, zones = elb.validate_subnet_zones(params["subnets"], api.subnets(module.client("ec2"), params["subnets"]))
        if vpc_id and vpc != vpc_id:
            raise OptionError("subnets", f"{params['name']} is in {vpc_id}; AWS cannot move a load balancer to {vpc}")
        vpc_id = vpc
    for colour in elb.COLOURS:
        group = stack.target_groups[colour]
        if group:
            desired = _desired_target_group(params, colour, vpc_id)
            for option, message in elb.target_group_conflicts(group, desired):
                raise OptionError(option, f"{message}; delete the load balancer's target groups (state=absent) to recreate them")
    return vpc_id, zones


def _desired_target_group(params, colour, vpc_id):
    name = elb.target_group_names(params["target_group_prefix"])[colour]
    return elb.desired_target_group(name, vpc_id, params["target_port"], params["target_protocol"], params["health_check"])


def ensure_load_balancer(module, client, stack, zones):
    """Create the load balancer, or correct its subnets and security groups; True when changed.

    ``zones`` maps the desired subnets to their Availability Zones when they were read.
    """
    params = module.params
    load_balancer = stack.load_balancer
    if load_balancer is None:
        module.record(f"create load balancer {params['name']}")
        if module.check_mode:
            stack.load_balancer = {
                "LoadBalancerArn": _pending(params["name"]),
                "LoadBalancerName": params["name"],
                "Scheme": params["scheme"],
                "SecurityGroups": list(params["security_groups"]),
                "AvailabilityZones": [{"SubnetId": subnet, "ZoneName": zones.get(subnet)} for subnet in params["subnets"]],
            }
        else:
            stack.load_balancer = api.create_load_balancer(
                client, params["name"], params["subnets"], params["security_groups"], params["scheme"], params["tags"]
            )
            if params["wait"]:
                arn = stack.load_balancer["LoadBalancerArn"]
                wait_for(client, "load_balancer_available", f"load balancer {params['name']} to become active", params["wait_timeout"], LoadBalancerArns=[arn])
                stack.load_balancer["State"] = {"Code": "active"}
        stack.tags[stack.load_balancer["LoadBalancerArn"]] = dict(params["tags"] or {})
        return True

    changed = False
    arn = load_balancer["LoadBalancerArn"]
    current_subnets = sorted(zone["SubnetId"] for zone in load_balancer.get("AvailabilityZones", []))
    if current_subnets != sorted(params["subnets"]):
        module.record(f"set subnets of {params['name']} to {', '.join(sorted(params['subnets']))}")
        if not module.check_mode:
            api.set_subnets(client, arn, params["subnets"])
        load_balancer["AvailabilityZones"] = [{"SubnetId": subnet, "ZoneName": zones.get(subnet)} for subnet in params["subnets"]]
        changed = True
    if sorted(load_balancer.get("SecurityGroups") or []) != sorted(params["security_groups"]):
        module.record(f"set security groups of {params['name']} to {', '.join(sorted(params['security_groups']))}")
        if not module.check_mode:
            api.set_security_groups(client, arn, params["security_groups"])
        load_balancer["SecurityGroups"] = list(params["security_groups"])
        changed = True
    return changed


def ensure_attributes(module, client, stack):
    params = module.params
    desired = elb.desired_attributes(params["deletion_protection"], params["idle_timeout"], params["access_logs"])
    changes = elb.attribute_changes(stack.attributes, desired)
    if not changes:
        return False
    module.record(f"set load balancer attributes {', '.join(sorted(changes))}")
    stack.attributes.update(changes)
    if not module.check_mode:
        api.modify_load_balancer_attributes(client, stack.load_balancer["LoadBalancerArn"], changes)
    return True


def ensure_tags(module, client, stack, arn, desired, purge, what):
    """Apply tags to one resource; True when they changed."""
    current = stack.tags_of(arn)
    to_set, to_remove = tag_changes(current, desired, purge)
    if not (to_set or to_remove):
        return False
    stack.tags[arn] = merged_tags(current, desired, purge)
    if to_set:
        module.record(f"tag {what} ({', '.join(sorted(to_set))})")
    if to_remove:
        module.record(f"untag {what} ({', '.join(sorted(to_remove))})")
    if module.check_mode:
        return True
    if to_set:
        api.add_tags(client, arn, to_set)
    if to_remove:
        api.remove_tags(client, arn, to_remove)
    return True


def ensure_target_group(module, client, stack, colour, vpc_id):
    """Create or correct one colour's target group (health check, deregistration delay, tags)."""
    params = module.params
    desired = _desired_target_group(params, colour, vpc_id)
    name = desired["Name"]
    if params["tags"] is None:
        tags, purge = {"Colour": colour}, False
    else:
        tags, purge = dict(params["tags"], Colour=colour), params["purge_tags"]
    changed = False
    group = stack.target_groups[colour]
    if group is None:
        module.record(f"create target group {name}")
        if module.check_mode:
            group = dict(desired, TargetGroupArn=_pending(name), TargetGroupName=name)
        else:
            group = api.create_target_group(client, desired, tags)
        stack.target_groups[colour] = group
        stack.target_group_attributes[colour] = {}
        stack.tags[group["TargetGroupArn"]] = dict(tags)
        changed = True
    else:
        changes = elb.health_check_changes(group, desired)
        if changes:
            module.record(f"modify health check of {name} ({', '.join(sorted(changes))})")
            if not module.check_mode:
                api.modify_target_group(client, group["TargetGroupArn"], changes)
            group.update(changes)
            changed = True
        changed |= ensure_tags(module, client, stack, group["TargetGroupArn"], tags, purge, f"target group {name}")

    delay = {elb.DEREGISTRATION_DELAY: str(params["deregistration_delay"])}
    attribute_changes = elb.attribute_changes(stack.target_group_attributes[colour], delay, {elb.DEREGISTRATION_DELAY: elb.DEREGISTRATION_DELAY_DEFAULT})
    if attribute_changes:
        module.record(f"set deregistration delay of {name} to {params['deregistration_delay']}s")
        if not module.check_mode:
            api.modify_target_group_attributes(client, group["TargetGroupArn"], attribute_changes)
        stack.target_group_attributes[colour].update(attribute_changes)
        changed = True
    return changed


def ensure_listeners(module, client, stack, weights, test_colour):
    """Create, correct and remove listeners so they match the desired set; True when changed."""
    params = module.params
    arns = stack.arns
    colour_of = {arn: colour for colour, arn in arns.items()}
    desired = elb.desired_listeners(
        params["listener_port"],
        params["https_port"],
        params["test_listener_port"],
        params["certificate_arn"],
        params["ssl_policy"],
        arns,
        weights,
        test_colour,
    )
    create, modify, delete = elb.plan_listeners(stack.listeners, desired, colour_of)
    if not (create or modify or delete):
        return False
    load_balancer_arn = stack.load_balancer["LoadBalancerArn"]
    by_arn = {listener["ListenerArn"]: listener for listener in stack.listeners}
    # New and corrected listeners first, removals last: traffic keeps a path while the shape changes.
    for listener in create:
        module.record(f"create {listener['Protocol']} listener on port {listener['Port']}")
        created = dict(listener, ListenerArn=_pending(f"listener {listener['Port']}"))
        if not module.check_mode:
            created = api.create_listener(client, load_balancer_arn, listener)
        by_arn[created["ListenerArn"]] = created
    for arn, listener in modify:
        module.record(f"modify {listener['Protocol']} listener on port {listener['Port']}")
        modified = dict(listener, ListenerArn=arn)
        if not module.check_mode:
            modified = api.modify_listener(client, arn, listener)
        by_arn[arn] = modified
    for listener in delete:
        module.record(f"delete {listener['Protocol']} listener on port {listener['Port']}")
        if not module.check_mode:
            api.delete_listener(client, listener["ListenerArn"])
        by_arn.pop(listener["ListenerArn"], None)
    stack.listeners = list(by_arn.values())
    return True


def ensure_blocked_paths(module, client, stack):
    """Keep the production listener's fixed-response rule for the blocked paths; True when changed."""
    params = module.params
    desired = elb.desired_block_rule(params["blocked_paths"], params["blocked_paths_status_code"])
    current = stack.block_rule
    if elb.rule_view(current) == elb.rule_view(desired):
        return False
    production = elb.production_listener(stack.listeners, stack.arns)
    if current is not None and desired is None:
        module.record("delete the blocked paths rule")
        if not module.check_mode:
            api.delete_rule(client, current["RuleArn"])
    elif current is not None:
        module.record(f"modify the blocked paths rule ({', '.join(params['blocked_paths'])})")
        if not module.check_mode:
            api.modify_rule(client, current["RuleArn"], desired)
    else:
        module.record(f"create the blocked paths rule ({', '.join(params['blocked_paths'])})")
        if not module.check_mode:
            api.create_rule(client, production["ListenerArn"], desired, params["tags"])
    stack.block_rule = desired
    return True


def read_block_rule(client, stack):
    """The blocked paths rule of the production listener (one read), or None."""
    production = elb.production_listener(stack.listeners, stack.arns)
    if production is None or str(production.get("ListenerArn", "")).startswith(PENDING):
        return None
    return elb.block_rule_of(api.rules(client, production["ListenerArn"]))


def view(stack):
    """The normalised stack for diffs: colours instead of target group ARNs, listeners by port."""
    if not stack.exists:
        return {}
    arns = stack.arns
    colour_of = {arn: colour for colour, arn in arns.items() if arn}
    summary = elb_stack.summary(stack)
    load_balancer = dict(summary["load_balancer"])
    for key in ("arn", "dns_name", "canonical_hosted_zone_id", "state", "availability_zones", "vpc_id"):
        load_balancer.pop(key, None)
    return {
        "load_balancer": load_balancer,
        "target_groups": {
            colour: {"name": group["TargetGroupName"], "tags": stack.tags_of(group["TargetGroupArn"])}
            for colour, group in stack.target_groups.items()
            if group
        },
        "target_group_settings": summary["target_group_settings"],
        "listeners": {str(listener["Port"]): elb.listener_view(listener, colour_of) for listener in stack.listeners},
        "weights": summary["weights"],
        "test_listener_colour": summary["test_listener_colour"],
        "blocked_paths": elb.rule_view(getattr(stack, "block_rule", None)),
    }


def ensure_absent(module, client, stack):
    params = module.params
    if not stack.exists:
        return _result(module, False, stack)
    load_balancer = stack.load_balancer
    if load_balancer and stack.attributes.get("deletion_protection.enabled") == "true":
        raise OptionError(
            "deletion_protection", f"is enabled on {params['name']}; apply it with deletion_protection=false before deleting it"
        )
    before = view(stack)
    if load_balancer:
        module.record(f"delete load balancer {params['name']}")
        if not module.check_mode:
            arn = load_balancer["LoadBalancerArn"]
            api.delete_load_balancer(client, arn)
            wait_for(client, "load_balancers_deleted", f"load balancer {params['name']} to be deleted", params["wait_timeout"], LoadBalancerArns=[arn])
    for colour in elb.COLOURS:
        group = stack.target_groups[colour]
        if group:
            module.record(f"delete target group {group['TargetGroupName']}")
            if not module.check_mode:
                api.delete_target_group(client, group["TargetGroupArn"])
    gone = elb_stack.Stack(None, {}, {colour: None for colour in elb.COLOURS}, {}, [], {})
    return _result(module, True, gone, before=before, after={})


def _result(module, changed, stack, before=None, after=None):
    summary = _scrub(elb_stack.summary(stack))
    result = module.result(changed, "load_balancer", summary.pop("load_balancer"), before=_scrub(before), after=_scrub(after))
    result.update(summary)
    result["blocked_paths"] = elb.rule_view(getattr(stack, "block_rule", None))
    return result


def ensure(module):
    params = module.params
    if not params["target_group_prefix"]:
        params["target_group_prefix"] = params["name"]
    validate(params, module.check_mode)
    client = module.client("elbv2")
    stack = elb_stack.read(client, params["name"], params["target_group_prefix"])
    stack.block_rule = read_block_rule(client, stack) if params["state"] == "present" else None
    if params["state"] == "absent":
        return ensure_absent(module, client, stack)

    vpc_id, zones = preflight(module, stack)
    current_weights = elb.weights_of(elb.production_listener(stack.listeners, stack.arns), stack.arns)
    current_test_colour = elb.colour_of_listener(elb.test_listener(stack.listeners, stack.arns), stack.arns)
    weights = params["weights"] or current_weights or dict(elb.DEFAULT_WEIGHTS)
    test_colour = params["test_listener_colour"] or current_test_colour or elb.idle_colour(weights)

    before = view(stack)
    changed = ensure_load_balancer(module, client, stack, zones)
    changed |= ensure_attributes(module, client, stack)
    changed |= ensure_tags(module, client, stack, stack.load_balancer["LoadBalancerArn"], params["tags"], params["purge_tags"], "load balancer")
    for colour in elb.COLOURS:
        changed |= ensure_target_group(module, client, stack, colour, vpc_id)
    changed |= ensure_listeners(module, client, stack, weights, test_colour)
    changed |= ensure_blocked_paths(module, client, stack)
    return _result(module, changed, stack, before=before, after=view(stack))


def main():
    health_check = dict(
        path=dict(type="str", default="/health"),
        port=dict(type="str", default="traffic-port"),
        interval=dict(type="int", default=15),
        timeout=dict(type="int", default=5),
        healthy_threshold=dict(type="int", default=2),
        unhealthy_threshold=dict(type="int", default=2),
        matcher=dict(type="str", default="200"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str"),
        scheme=dict(type="str", choices=["internet-facing", "internal"], default="internet-facing"),
        deletion_protection=dict(type="bool", default=False),
        idle_timeout=dict(type="int", default=60),
        access_logs=dict(type="dict", options=dict(bucket=dict(type="str", required=True), prefix=dict(type="str", default=""))),
        target_group_prefix=dict(type="str"),
        target_port=dict(type="int"),
        container_port=dict(type="int"),
        target_protocol=dict(type="str", choices=["HTTP", "HTTPS"], default="HTTP"),
        health_check=dict(type="dict", default={}, options=health_check),
        deregistration_delay=dict(type="int", default=30),
        listener_port=dict(type="int", default=80),
        certificate_arn=dict(type="str"),
        https_port=dict(type="int", default=443),
        ssl_policy=dict(type="str", default="ELBSecurityPolicy-TLS13-1-2-2021-06"),
        test_listener_port=dict(type="int", default=8080),
        weights=dict(type="dict", options=dict(blue=dict(type="int", required=True), green=dict(type="int", required=True))),
        test_listener_colour=dict(type="str", choices=["blue", "green"]),
        blocked_paths=dict(type="list", elements="str", default=[]),
        blocked_paths_status_code=dict(type="int", choices=[403, 404], default=404),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ["subnets", "security_groups", "target_port"])],
    )
    module.run(ensure)


if __name__ == "__main__":
    main()

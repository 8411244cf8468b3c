# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading a blue/green load balancer stack, shared by ``load_balancer`` and ``load_balancer_info``.

A no-op read costs seven calls: the load balancer, its attributes, both target groups in
one call, the attributes of each target group, the listeners, and the tags of the load
balancer and both target groups in one call.
"""

from __future__ import annotations

from . import api
from . import transformations as elb


class Stack:
    """The current load balancer, target groups (by colour), listeners and tags."""

    def __init__(self, load_balancer, attributes, target_groups, target_group_attributes, listeners, tags):
        self.load_balancer = load_balancer
        self.attributes = attributes
        self.target_groups = target_groups
        self.target_group_attributes = target_group_attributes
        self.listeners = listeners
        self.tags = tags

    @property
    def arns(self):
        """``{colour: target group ARN or None}``."""
        return {colour: (group or {}).get("TargetGroupArn") for colour, group in self.target_groups.items()}

    def tags_of(self, arn):
        return dict(self.tags.get(arn) or {})

    @property
    def exists(self):
        return self.load_balancer is not None or any(self.target_groups.values())


def read(client, name, target_group_prefix):
    """Describe the stack of the load balancer ``name`` and the target groups of ``target_group_prefix``."""
    load_balancer = api.load_balancer(client, name)
    names = elb.target_group_names(target_group_prefix)
    found = api.target_groups(client, [names[colour] for colour in elb.COLOURS])
    if found is None:
        # One of the two is missing: AWS fails the whole call, so ask for each separately.
        found = [group for group in (api.target_group(client, names[colour]) for colour in elb.COLOURS) if group]
    target_groups = {colour: next((group for group in found if group["TargetGroupName"] == names[colour]), None) for colour in elb.COLOURS}

    attributes = api.load_balancer_attributes(client, load_balancer["LoadBalancerArn"]) if load_balancer else {}
    target_group_attributes = {
        colour: api.target_group_attributes(client, group["TargetGroupArn"]) if group else {} for colour, group in target_groups.items()
    }
    listeners = api.listeners(client, load_balancer["LoadBalancerArn"]) if load_balancer else []
    tagged = ([load_balancer["LoadBalancerArn"]] if load_balancer else []) + [group["TargetGroupArn"] for group in found]
    tags = api.tags(client, tagged)
    return Stack(load_balancer, attributes, target_groups, target_group_attributes, listeners, tags)


def summary(stack):
    """The result keys both modules return for a stack."""
    arns = stack.arns
    load_balancer = stack.load_balancer
    production = elb.production_listener(stack.listeners, arns)
    test = elb.test_listener(stack.listeners, arns)
    some_group = next((colour for colour in elb.COLOURS if stack.target_groups[colour]), None)
    return {
        "load_balancer": elb.describe_load_balancer(
            load_balancer, stack.attributes, stack.tags_of(load_balancer["LoadBalancerArn"]) if load_balancer else {}
        ),
        "target_groups": {colour: arn for colour, arn in arns.items() if arn},
        "target_group_settings": elb.describe_target_group_settings(
            stack.target_groups.get(some_group), stack.target_group_attributes.get(some_group, {})
        )
        if some_group
        else {},
        "listeners": elb.describe_listeners(stack.listeners, arns),
        "weights": elb.weights_of(production, arns) or {},
        "test_listener_colour": elb.colour_of_listener(test, arns),
    }

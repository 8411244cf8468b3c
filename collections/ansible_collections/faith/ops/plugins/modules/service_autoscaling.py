#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: service_autoscaling
short_description: Target tracking autoscaling of an ECS service's task count
version_added: 0.1.0
description:
  - Registers an ECS service with Application Auto Scaling (minimum and maximum task count,
    suspended state) and manages its target tracking policies - average CPU or memory
    utilisation of the service, or ALB requests per target of one target group.
  - Registering a minimum above the current task count makes AWS scale the service up to it
    at once. O(create_only) applies the capacity at registration only, so releases that
    scale colours up and down own it afterwards.
  - Policies are compared field by field (target value, cooldowns, scale-in switch, metric and
    its resource label) and put again only when they differ; with O(purge_policies),
    policies of the service that are not declared are deleted.
  - Two reads (scalable target, policies) on a run that changes nothing.
author:
  - faith.ops maintainers (@faith-ops)
options:
  cluster:
    description: Name of the ECS cluster.
    type: str
    required: true
  service:
    description: Name of the ECS service.
    type: str
    required: true
  state:
    description: Whether the service is registered for autoscaling. C(absent) deletes its policies and deregisters it.
    type: str
    choices: [present, absent]
    default: present
  min_capacity:
    description: Fewest tasks autoscaling keeps (0 to 5000). Required to register the service.
    type: int
  max_capacity:
    description: Most tasks autoscaling starts (0 to 5000). Required to register the service.
    type: int
  create_only:
    description: Capacity options applied at registration only and left to releases afterwards.
    type: list
    elements: str
    choices: [min_capacity, max_capacity]
    default: []
  suspended_state:
    description: Suspend parts of autoscaling, for example scale-in during a deployment. Left as it is when not given.
    type: dict
    suboptions:
      dynamic_scaling_in:
        description: Suspend scale-in by policies.
        type: bool
        default: false
      dynamic_scaling_out:
        description: Suspend scale-out by policies.
        type: bool
        default: false
      scheduled_scaling:
        description: Suspend scheduled actions.
        type: bool
        default: false
  policies:
    description: Target tracking policies of the service.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name of the policy, unique for the service.
        type: str
        required: true
      metric:
        description:
          - C(cpu) and C(memory) - average utilisation of the service in percent.
          - C(request_count) - ALB requests per target of O(policies[].target_group_arn).
        type: str
        choices: [cpu, memory, request_count]
        required: true
      target_value:
        description: Value of the metric to keep the service at (a percentage up to 100 for cpu and memory).
        type: float
        required: true
      load_balancer_arn:
        description: ARN of the application load balancer; with O(policies[].metric=request_count) only.
        type: str
      target_group_arn:
        description: ARN of the service's target group on that load balancer; with O(policies[].metric=request_count) only.
        type: str
      scale_in_cooldown:
        description: Seconds after a scale-in before the next one.
        type: int
        default: 300
      scale_out_cooldown:
        description: Seconds after a scale-out before the next one.
        type: int
        default: 60
      disable_scale_in:
        description: Only scale out; never remove tasks because of this policy.
        type: bool
        default: false
  purge_policies:
    description: Delete policies of the service that O(policies) does not declare.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - Application Auto Scaling creates and deletes the CloudWatch alarms of target tracking
    policies itself; they are returned, not managed.
"""

EXAMPLES = r"""
- name: Ensure the blue service scales on CPU and on requests per target
  faith.ops.service_autoscaling:
    cluster: faith-chatbot-production
    service: faith-chatbot-production-blue
    min_capacity: 2
    max_capacity: 10
    create_only: [min_capacity, max_capacity]
    policies:
      - name: cpu-60
        metric: cpu
        target_value: 60
      - name: requests-500
        metric: request_count
        target_value: 500
        load_balancer_arn: "{{ alb_arn }}"
        target_group_arn: "{{ target_group_arns.blue }}"

- name: Suspend scale-in while a release runs
  faith.ops.service_autoscaling:
    cluster: faith-chatbot-production
    service: faith-chatbot-production-green
    suspended_state:
      dynamic_scaling_in: true
    purge_policies: false
"""

RETURN = r"""
autoscaling:
  description:
    - The scalable target and its policies after the run (in check mode, as they would be);
      empty when the service is not registered.
  returned: always
  type: dict
  contains:
    min_capacity:
      description: Fewest tasks.
      type: int
      sample: 2
    max_capacity:
      description: Most tasks.
      type: int
      sample: 10
    suspended_state:
      description: Which parts of autoscaling are suspended.
      type: dict
      sample: {"dynamic_scaling_in_suspended": false, "dynamic_scaling_out_suspended": false, "scheduled_scaling_suspended": false}
    policies:
      description: Target tracking policies, by name.
      type: list
      elements: dict
      sample: [{"policy_name": "cpu-60", "policy_type": "TargetTrackingScaling"}]
resource_id:
  description: Application Auto Scaling's id of the service.
  returned: always
  type: str
  sample: service/faith-chatbot-production/faith-chatbot-production-blue
actions:
  description: What was changed, or would be changed in check mode, in order.
  returned: always
  type: list
  elements: str
  sample: ["register service/faith-chatbot-production/faith-chatbot-production-blue (2 to 10 tasks)", "put policy cpu-60"]
"""

from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling import api
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import CREATE_ONLY_CHOICES
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import NOT_SUSPENDED
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import autoscaling_view
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import comparable_policy
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import current_target
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import desired_policy
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import desired_target
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import policy_plan
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import resource_id
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import target_changes
from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling.transformations import validate
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


class Autoscaling:
    """The scalable target of one service and its policies; each ``ensure_*`` returns whether it changed something."""

    def __init__(self, module, client, resource):
        self.module = module
        self.client = client
        self.resource = resource

    def act(self, description):
        """Record ``description``; True when the write itself must be skipped (check mode)."""
        self.module.record(description)
        return self.module.check_mode

    def ensure_target(self, target):
        params = self.module.params
        desired = desired_target(params, exists=target is not None)
        if target is None:
            for option in ("min_capacity", "max_capacity"):
                if params[option] is None:
                    raise OptionError(option, f"is required to register {self.resource} for autoscaling")
        changes = target_changes(desired, current_target(target) if target else None)
        if not changes:
            return False
        verb = "register" if target is None else "update"
        settings = ", ".join(f"{key}={value}" for key, value in sorted(changes.items()))
        if not self.act(f"{verb} scalable target {self.resource}: {settings}"):
            api.register_scalable_target(self.client, self.resource, changes)
        return True

    def ensure_policies(self, desired_policies, current_policies):
        to_put, to_delete = policy_plan(desired_policies, current_policies, self.module.params["purge_policies"])
        for name in to_delete:
            if not self.act(f"delete policy {name}"):
                api.delete_scaling_policy(self.client, self.resource, name)
        for policy in to_put:
            if not self.act(f"put policy {policy['PolicyName']}"):
                api.put_scaling_policy(self.client, self.resource, policy)
        return bool(to_put or to_delete)


def expected(target, desired, current_policies, desired_policies, purge):
    """Target and policies once the run is done, in the comparable shapes."""
    after_target = current_target(target) if target else {"SuspendedState": dict(NOT_SUSPENDED)}
    after_target.update(desired)
    policies = {policy["PolicyName"]: comparable_policy(policy) for policy in current_policies}
    if purge:
        policies = {name: policy for name, policy in policies.items() if name in {p["PolicyName"] for p in desired_policies}}
    policies.update({policy["PolicyName"]: policy for policy in desired_policies})
    return after_target, list(policies.values())


def ensure_present(module, client, resource):
    params = module.params
    desired_policies = [desired_policy(policy, f"policies[{index}]") for index, policy in enumerate(params["policies"])]
    target = api.scalable_target(client, resource)
    current_policies = api.scaling_policies(client, resource) if target else []
    before = autoscaling_view(current_target(target), [comparable_policy(policy) for policy in current_policies]) if target else {}

    autoscaling = Autoscaling(module, client, resource)
    changed = autoscaling.ensure_target(target)
    changed |= autoscaling.ensure_policies(desired_policies, current_policies)

    after_target, after_policies = expected(target, desired_target(params, target is not None), current_policies, desired_policies, params["purge_policies"])
    after = autoscaling_view(after_target, after_policies)
    result = module.result(changed, "autoscaling", after, before, after)
    result["resource_id"] = resource
    return result


def ensure_absent(module, client, resource):
    target = api.scalable_target(client, resource)
    if target is None:
        result = module.result(False, "autoscaling", {}, {}, {})
        result["resource_id"] = resource
        return result
    current_policies = api.scaling_policies(client, resource)
    before = autoscaling_view(current_target(target), [comparable_policy(policy) for policy in current_policies])
    autoscaling = Autoscaling(module, client, resource)
    for policy in current_policies:
        if not autoscaling.act(f"delete policy {policy['PolicyName']}"):
            api.delete_scaling_policy(client, resource, policy["PolicyName"])
    if not autoscaling.act(f"deregister scalable target {resource}"):
        api.deregister_scalable_target(client, resource)
    result = module.result(True, "autoscaling", {}, before, {})
    result["resource_id"] = resource
    return result


def run(module):
    params = module.params
    # In check mode the edge role hands over placeholders of a load balancer it would create.
    check_placeholders(params, ("policies",), module.check_mode)
    validate(params)
    client = module.client("application-autoscaling")
    resource = resource_id(params["cluster"], params["service"])
    if params["state"] == "absent":
        return ensure_absent(module, client, resource)
    return ensure_present(module, client, resource)


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        service=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        min_capacity=dict(type="int"),
        max_capacity=dict(type="int"),
        create_only=dict(type="list", elements="str", choices=list(CREATE_ONLY_CHOICES), default=[]),
        suspended_state=dict(
            type="dict",
            options=dict(
                dynamic_scaling_in=dict(type="bool", default=False),
                dynamic_scaling_out=dict(type="bool", default=False),
                scheduled_scaling=dict(type="bool", default=False),
            ),
        ),
        policies=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                name=dict(type="str", required=True),
                metric=dict(type="str", choices=["cpu", "memory", "request_count"], required=True),
                target_value=dict(type="float", required=True),
                load_balancer_arn=dict(type="str"),
                target_group_arn=dict(type="str"),
                scale_in_cooldown=dict(type="int", default=300),
                scale_out_cooldown=dict(type="int", default=60),
                disable_scale_in=dict(type="bool", default=False),
            ),
        ),
        purge_policies=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

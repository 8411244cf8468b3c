# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions behind ``service_autoscaling``: validation and desired-vs-current."""

from __future__ import annotations

import math
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ..planning import UNKNOWN
from ..planning import is_unknown
from ..validation import OptionError

METRICS = {
    "cpu": "ECSServiceAverageCPUUtilization",
    "memory": "ECSServiceAverageMemoryUtilization",
    "request_count": "ALBRequestCountPerTarget",
}
UTILISATION_METRICS = ("cpu", "memory")
# ECS caps a service at 5000 tasks; a larger maximum could never be reached.
MAX_TASKS = 5000
SUSPENDED_FLAGS = (
    ("dynamic_scaling_in", "DynamicScalingInSuspended"),
    ("dynamic_scaling_out", "DynamicScalingOutSuspended"),
    ("scheduled_scaling", "ScheduledScalingSuspended"),
)
NOT_SUSPENDED = {field: False for _option, field in SUSPENDED_FLAGS}
CREATE_ONLY_CHOICES = ("min_capacity", "max_capacity")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
LOAD_BALANCER_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/(app/[^/]+/[0-9a-f]+)$")
TARGET_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(targetgroup/[^/]+/[0-9a-f]+)$")


def resource_id(cluster, service):
    """Application Auto Scaling's id of an ECS service."""
    return f"service/{cluster}/{service}"


def resource_label(option, load_balancer_arn, target_group_arn):
    """The ``ResourceLabel`` of ALBRequestCountPerTarget: ``app/<lb>/<id>/targetgroup/<tg>/<id>``.

    Unknown while either ARN is the check-mode placeholder of a resource not created yet.
    """
    if is_unknown(load_balancer_arn) or is_unknown(target_group_arn):
        return UNKNOWN
    balancer = LOAD_BALANCER_ARN.match(load_balancer_arn or "")
    if not balancer:
        raise OptionError(f"{option}.load_balancer_arn", f"{load_balancer_arn!r} is not the ARN of an application load balancer")
    group = TARGET_GROUP_ARN.match(target_group_arn or "")
    if not group:
        raise OptionError(f"{option}.target_group_arn", f"{target_group_arn!r} is not the ARN of a target group")
    return f"{balancer.group(1)}/{group.group(1)}"


def validate(params):
    """Value rules AWS applies, checked before any call."""
    for option in ("cluster", "service"):
        if not NAME_PATTERN.match(params[option] or ""):
            raise OptionError(option, f"{params[option]!r} is not a valid ECS name: use 1 to 255 letters, digits, '-' or '_'")
    low, high = params.get("min_capacity"), params.get("max_capacity")
    for option, value in (("min_capacity", low), ("max_capacity", high)):
        if value is not None and not 0 <= value <= MAX_TASKS:
            raise OptionError(option, f"{value} is out of range; use 0 to {MAX_TASKS}")
    if low is not None and high is not None and low > high:
        raise OptionError("min_capacity", f"{low} is greater than max_capacity ({high})")
    names = set()
    for index, policy in enumerate(params.get("policies") or []):
        where = f"policies[{index}]"
        name = policy["name"]
        if not 1 <= len(name) <= 256 or not name.isprintable():
            raise OptionError(f"{where}.name", f"{name!r} must be 1 to 256 printable characters")
        if name in names:
            raise OptionError(f"{where}.name", f"policy name {name!r} is used twice")
        names.add(name)
        value = policy["target_value"]
        if not math.isfinite(value):
            raise OptionError(f"{where}.target_value", f"{value!r} is not a finite number; give the metric value to keep the service at")
        if value <= 0:
            raise OptionError(f"{where}.target_value", f"{value} must be greater than 0")
        if policy["metric"] in UTILISATION_METRICS and value > 100:
            raise OptionError(f"{where}.target_value", f"{value} is a percentage of {policy['metric']} utilisation; use a value up to 100")
        for key in ("scale_in_cooldown", "scale_out_cooldown"):
            if policy.get(key) is not None and not 0 <= policy[key] <= 86400:
                raise OptionError(f"{where}.{key}", f"{policy[key]} is out of range; use 0 to 86400 seconds")
        given = [key for key in ("load_balancer_arn", "target_group_arn") if policy.get(key)]
        if policy["metric"] == "request_count":
            resource_label(where, policy.get("load_balancer_arn"), policy.get("target_group_arn"))
        elif given:
            raise OptionError(f"{where}.{given[0]}", f"only applies to metric request_count, not {policy['metric']}")


def desired_policy(policy, option):
    """A module policy as the PutScalingPolicy request (and comparable description) it becomes."""
    metric = {"PredefinedMetricType": METRICS[policy["metric"]]}
    if policy["metric"] == "request_count":
        metric["ResourceLabel"] = resource_label(option, policy["load_balancer_arn"], policy["target_group_arn"])
    return {
        "PolicyName": policy["name"],
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": float(policy["target_value"]),
            "PredefinedMetricSpecification": metric,
            "ScaleInCooldown": policy["scale_in_cooldown"],
            "ScaleOutCooldown": policy["scale_out_cooldown"],
            "DisableScaleIn": policy["disable_scale_in"],
        },
    }


def comparable_policy(policy):
    """A described policy reduced to the fields :func:`desired_policy` sets, defaults filled in."""
    comparable = {"PolicyName": policy["PolicyName"], "PolicyType": policy["PolicyType"]}
    config = policy.get("TargetTrackingScalingPolicyConfiguration")
    if config is not None:
        comparable["TargetTrackingScalingPolicyConfiguration"] = {
            key: value for key, value in {
                "TargetValue": float(config["TargetValue"]),
                "PredefinedMetricSpecification": config.get("PredefinedMetricSpecification"),
                "CustomizedMetricSpecification": config.get("CustomizedMetricSpecification"),
                # AWS applies 300 s to ECS services when a cooldown is not given.
                "ScaleInCooldown": config.get("ScaleInCooldown", 300),
                "ScaleOutCooldown": config.get("ScaleOutCooldown", 300),
                "DisableScaleIn": config.get("DisableScaleIn", False),
            }.items() if value is not None
        }
    if policy.get("StepScalingPolicyConfiguration") is not None:
        comparable["StepScalingPolicyConfiguration"] = policy["StepScalingPolicyConfiguration"]
    return comparable


def desired_target(params, exists):
    """Scalable target settings the options pin down; ``create_only`` capacity is left to others once registered."""
    create_only = set(params.get("create_only") or []) if exists else set()
    desired = {}
    for option, field in (("min_capacity", "MinCapacity"), ("max_capacity", "MaxCapacity")):
        if params.get(option) is not None and option not in create_only:
            desired[field] = params[option]
    suspended = params.get("suspended_state")
    if suspended is not None:
        desired["SuspendedState"] = {field: bool(suspended.get(option)) for option, field in SUSPENDED_FLAGS}
    return desired


def current_target(target):
    """The settings of a described scalable target, in the shape of :func:`desired_target`."""
    suspended = target.get("SuspendedState") or {}
    return {
        "MinCapacity": target["MinCapacity"],
        "MaxCapacity": target["MaxCapacity"],
        "SuspendedState": {field: bool(suspended.get(field, False)) for _option, field in SUSPENDED_FLAGS},
    }


def target_changes(desired, current):
    """Fields of ``desired`` that differ from ``current`` (None: not registered yet)."""
    if current is None:
        return dict(desired)
    return {key: value for key, value in desired.items() if current.get(key) != value}


def policy_plan(desired_policies, current_policies, purge):
    """``(to_put, to_delete)``: desired policies missing or different, and undeclared ones to remove."""
    current = {policy["PolicyName"]: comparable_policy(policy) for policy in current_policies}
    to_put = [policy for policy in desired_policies if current.get(policy["PolicyName"]) != policy]
    declared = {policy["PolicyName"] for policy in desired_policies}
    to_delete = sorted(name for name in current if name not in declared) if purge else []
    return to_put, to_delete


def autoscaling_view(target, policies):
    """Scalable target and policies as results and diffs show them (snake_case)."""
    if target is None:
        return {}
    view = camel_dict_to_snake_dict(target)
    view["policies"] = sorted((camel_dict_to_snake_dict(policy) for policy in policies), key=lambda policy: policy["policy_name"])
    return view

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling import transformations as scaling
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/faith-alb/50dc6c495c0c9188"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/faith-blue/73e2d6bc24d8a067"


def policy(**overrides):
    base = dict(
        name="cpu",
        metric="cpu",
        target_value=60.0,
        load_balancer_arn=None,
        target_group_arn=None,
        scale_in_cooldown=300,
        scale_out_cooldown=60,
        disable_scale_in=False,
    )
    base.update(overrides)
    return base


def requests_policy(**overrides):
    return policy(name="requests", metric="request_count", target_value=500.0, load_balancer_arn=ALB, target_group_arn=TARGET_GROUP, **overrides)


def requests_policy_with(target_value):
    return dict(requests_policy(), target_value=target_value)


def params(**overrides):
    base = dict(
        cluster="faith-chatbot-test",
        service="faith-chatbot-test-blue",
        min_capacity=2,
        max_capacity=6,
        create_only=[],
        suspended_state=None,
        policies=[policy(), requests_policy()],
        purge_policies=True,
    )
    base.update(overrides)
    return base


def test_resource_label_joins_the_arn_suffixes():
    assert scaling.resource_label("policies[1]", ALB, TARGET_GROUP) == "app/faith-alb/50dc6c495c0c9188/targetgroup/faith-blue/73e2d6bc24d8a067"


def test_resource_label_rejects_a_network_load_balancer():
    nlb = ALB.replace("loadbalancer/app/", "loadbalancer/net/")
    with pytest.raises(OptionError) as error:
        scaling.resource_label("policies[1]", nlb, TARGET_GROUP)
    assert error.value.option == "policies[1].load_balancer_arn"


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"min_capacity": 5, "max_capacity": 2}, "min_capacity"),
        ({"max_capacity": 6000}, "max_capacity"),
        ({"policies": [policy(target_value=120)]}, "policies[0].target_value"),
        ({"policies": [policy(target_value=0)]}, "policies[0].target_value"),
        ({"policies": [policy(target_value=float("nan"))]}, "policies[0].target_value"),
        ({"policies": [policy(target_value=float("inf"))]}, "policies[0].target_value"),
        ({"policies": [requests_policy_with(target_value=float("inf"))]}, "policies[0].target_value"),
        ({"policies": [policy(), policy()]}, "policies[1].name"),
        ({"policies": [policy(target_group_arn=TARGET_GROUP)]}, "policies[0].target_group_arn"),
        ({"policies": [policy(name="requests", metric="request_count", target_value=500)]}, "policies[0].load_balancer_arn"),
        ({"policies": [policy(scale_in_cooldown=-1)]}, "policies[0].scale_in_cooldown"),
        ({"service": "faith/blue"}, "service"),
    ],
)
def test_values_aws_rejects_are_rejected_first(overrides, option):
    with pytest.raises(OptionError) as error:
        scaling.validate(params(**overrides))
    assert error.value.option == option


def described_policy(desired, **config_overrides):
    """DescribeScalingPolicies' entry as AWS answers it: ARN, alarms, creation time."""
    config = dict(desired["TargetTrackingScalingPolicyConfiguration"])
    config.update(config_overrides)
    return {
        "PolicyARN": f"arn:aws:autoscaling:us-east-1:{ACCOUNT}:scalingPolicy:1:resource/ecs/service/c/s:policyName/{desired['PolicyName']}",
        "PolicyName": desired["PolicyName"],
        "ServiceNamespace": "ecs",
        "ResourceId": "service/c/s",
        "ScalableDimension": "ecs:service:DesiredCount",
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": config,
        "Alarms": [{"AlarmName": "TargetTracking-service/c/s-AlarmHigh-1", "AlarmARN": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:x"}],
    }


def test_matching_policies_need_no_put():
    desired = [scaling.desired_policy(p, f"policies[{i}]") for i, p in enumerate(params()["policies"])]
    current = [described_policy(p) for p in desired]
    assert scaling.policy_plan(desired, current, purge=True) == ([], [])


def test_aws_default_for_disable_scale_in_is_not_a_difference():
    desired = [scaling.desired_policy(policy(), "policies[0]")]
    current = described_policy(desired[0])
    del current["TargetTrackingScalingPolicyConfiguration"]["DisableScaleIn"]
    assert scaling.policy_plan(desired, [current], purge=True) == ([], [])


def test_changed_target_value_is_put_again_and_undeclared_policy_purged():
    desired = [scaling.desired_policy(policy(target_value=50), "policies[0]")]
    current = [
        described_policy(scaling.desired_policy(policy(), "policies[0]")),
        described_policy(scaling.desired_policy(requests_policy(), "policies[1]")),
    ]
    to_put, to_delete = scaling.policy_plan(desired, current, purge=True)
    assert [p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] for p in to_put] == [50.0]
    assert to_delete == ["requests"]
    assert scaling.policy_plan(desired, current, purge=False)[1] == []


def test_create_only_capacity_is_left_alone_once_registered():
    desired = scaling.desired_target(params(create_only=["min_capacity", "max_capacity"]), exists=True)
    assert desired == {}
    assert scaling.desired_target(params(create_only=["min_capacity", "max_capacity"]), exists=False) == {"MinCapacity": 2, "MaxCapacity": 6}


def test_suspended_state_compares_with_aws_defaults():
    target = {"MinCapacity": 2, "MaxCapacity": 6, "SuspendedState": {"DynamicScalingInSuspended": True}}
    desired = scaling.desired_target(
        params(suspended_state={"dynamic_scaling_in": True, "dynamic_scaling_out": False, "scheduled_scaling": False}), exists=True
    )
    assert scaling.target_changes(desired, scaling.current_target(target)) == {}
    desired["SuspendedState"]["DynamicScalingInSuspended"] = False
    assert scaling.target_changes(desired, scaling.current_target(target)) == {
        "SuspendedState": {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}
    }


def test_unregistered_target_needs_everything():
    desired = scaling.desired_target(params(), exists=False)
    assert scaling.target_changes(desired, None) == {"MinCapacity": 2, "MaxCapacity": 6}

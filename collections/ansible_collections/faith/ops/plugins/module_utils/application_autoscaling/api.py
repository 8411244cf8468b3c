# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling calls for ECS services: one API call per function, retried, named."""

from __future__ import annotations

from ..base import aws_action

NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"


@aws_action("describe scalable target")
def scalable_target(client, resource_id):
    """The service's scalable target, or None when it is not registered."""
    paginator = client.get_paginator("describe_scalable_targets")
    pages = paginator.paginate(ServiceNamespace=NAMESPACE, ResourceIds=[resource_id], ScalableDimension=DIMENSION)
    targets = pages.build_full_result().get("ScalableTargets", [])
    return targets[0] if targets else None


@aws_action("describe scaling policies")
def scaling_policies(client, resource_id):
    paginator = client.get_paginator("describe_scaling_policies")
    pages = paginator.paginate(ServiceNamespace=NAMESPACE, ResourceId=resource_id, ScalableDimension=DIMENSION)
    return pages.build_full_result().get("ScalingPolicies", [])


@aws_action("register scalable target")
def register_scalable_target(client, resource_id, settings):
    client.register_scalable_target(ServiceNamespace=NAMESPACE, ResourceId=resource_id, ScalableDimension=DIMENSION, **settings)


@aws_action("deregister scalable target")
def deregister_scalable_target(client, resource_id):
    client.deregister_scalable_target(ServiceNamespace=NAMESPACE, ResourceId=resource_id, ScalableDimension=DIMENSION)


@aws_action("put scaling policy")
def put_scaling_policy(client, resource_id, policy):
    return client.put_scaling_policy(ServiceNamespace=NAMESPACE, ResourceId=resource_id, ScalableDimension=DIMENSION, **policy)


@aws_action("delete scaling policy")
def delete_scaling_policy(client, resource_id, name):
    client.delete_scaling_policy(PolicyName=name, ServiceNamespace=NAMESPACE, ResourceId=resource_id, ScalableDimension=DIMENSION)

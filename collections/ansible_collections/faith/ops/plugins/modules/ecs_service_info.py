#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_service_info
short_description: Read ECS services, their deployments and rollout state
version_added: 0.1.0
description:
  - Describes services of a cluster - by name, or all of them - with their tags, deployments
    and the PRIMARY deployment's rollout state on top, for releases, drift reports and tests.
  - Services that do not exist (or only as INACTIVE records) are listed under RV(missing).
author:
  - faith.ops maintainers (@faith-ops)
options:
  cluster:
    description: Name of the cluster.
    type: str
    required: true
  names:
    description: Names of the services to read; all services of the cluster when not given or empty.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the blue and green services
  faith.ops.ecs_service_info:
    cluster: faith-chatbot-production
    names:
      - faith-chatbot-production-blue
      - faith-chatbot-production-green
  register: services

- name: Show the rollout state of each colour
  ansible.builtin.debug:
    msg: "{{ services.services | items2dict(key_name='service_name', value_name='rollout_state') }}"
"""

RETURN = r"""
services:
  description: The services found, as ECS describes them (snake_case keys, tags as a dict, events left out).
  returned: always
  type: list
  elements: dict
  contains:
    service_name:
      description: Name of the service.
      type: str
      sample: faith-chatbot-production-blue
    service_arn:
      description: ARN of the service.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:service/faith-chatbot-production/faith-chatbot-production-blue
    task_definition:
      description: Task definition the service runs.
      type: str
      sample: arn:aws:ecs:us-east-1:123456789012:task-definition/faith-chatbot-production:7
    desired_count:
      description: Desired number of tasks.
      type: int
      sample: 2
    running_count:
      description: Running tasks.
      type: int
      sample: 2
    deployments:
      description: The deployments of the service.
      type: list
      elements: dict
      sample: [{"id": "ecs-svc/123", "status": "PRIMARY", "rollout_state": "COMPLETED"}]
    rollout_state:
      description: Rollout state of the PRIMARY deployment, or null.
      type: str
      sample: COMPLETED
    rollout_state_reason:
      description: Why the PRIMARY deployment is in that state, or null.
      type: str
      sample: ECS deployment ecs-svc/123 completed.
    tags:
      description: Tags of the service.
      type: dict
      sample: {"Colour": "blue"}
missing:
  description: Requested names with no ACTIVE or DRAINING service (all of them when the cluster does not exist).
  returned: always
  type: list
  elements: str
  sample: [faith-chatbot-production-green]
cluster_exists:
  description: Whether the cluster exists.
  returned: always
  type: bool
  sample: true
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs import api
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import service_summary


def run(module):
    client = module.client("ecs")
    cluster, names = module.params["cluster"], module.params["names"]
    services = None
    if not names:
        arns = api.list_services(client, cluster)
        if arns is not None:
            names = [arn.rsplit("/", 1)[-1] for arn in arns]
            services = api.describe_services(client, cluster, names)
    else:
        services = api.describe_services(client, cluster, names)
    if services is None:
        return {"changed": False, "services": [], "missing": list(names or []), "cluster_exists": False}
    found = sorted((service_summary(service) for service in services), key=lambda service: service["service_name"])
    present = {service["service_name"] for service in found}
    return {
        "changed": False,
        "services": found,
        "missing": [name for name in names if name not in present],
        "cluster_exists": True,
    }


def main():
    argument_spec = dict(
        cluster=dict(type="str", required=True),
        names=dict(type="list", elements="str"),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

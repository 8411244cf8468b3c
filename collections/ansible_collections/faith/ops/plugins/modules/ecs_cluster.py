#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_cluster
short_description: Manage an ECS cluster with Container Insights and Fargate capacity providers
version_added: 0.1.0
description:
  - Creates, updates and deletes an Amazon ECS cluster - its Container Insights setting, its
    capacity providers and default capacity provider strategy, and its tags.
  - Only what the options state is compared and changed; an option left out leaves that part
    of the cluster as it is. One read (the cluster with its settings and tags) on a run that
    changes nothing.
  - Strategy rules AWS enforces (providers belong to the cluster, one base at most, a weight
    above zero, no mix of Fargate and Auto Scaling group providers) are checked before any call.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the cluster.
    type: str
    required: true
  state:
    description:
      - Whether the cluster should exist. AWS refuses to delete a cluster that still has
        services or tasks; the module reports that error.
    type: str
    choices: [present, absent]
    default: present
  container_insights:
    description:
      - CloudWatch Container Insights for the cluster. C(enhanced) adds task and container
        level metrics. Left as it is when not given.
    type: str
    choices: [enabled, disabled, enhanced]
  capacity_providers:
    description:
      - Capacity providers the cluster may use, for example C(FARGATE) and C(FARGATE_SPOT).
        Left as they are when not given; an empty list removes them all.
    type: list
    elements: str
  default_capacity_provider_strategy:
    description:
      - How services that name neither a launch type nor a strategy spread their tasks. Set
        together with O(capacity_providers).
    type: list
    elements: dict
    default: []
    suboptions:
      capacity_provider:
        description: One of O(capacity_providers).
        type: str
        required: true
      weight:
        description: Relative share of tasks (0 to 1000).
        type: int
        default: 0
      base:
        description: Tasks placed on this provider before weights apply (0 to 100000); at most one provider may have one.
        type: int
        default: 0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the chatbot cluster exists with Container Insights and Fargate Spot
  faith.ops.ecs_cluster:
    name: faith-chatbot-production
    container_insights: enabled
    capacity_providers: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      - capacity_provider: FARGATE
        base: 1
        weight: 1
      - capacity_provider: FARGATE_SPOT
        weight: 3
    tags:
      Application: faith-chatbot
      Environment: production

- name: Remove the cluster
  faith.ops.ecs_cluster:
    name: faith-chatbot-staging
    state: absent
"""

RETURN = r"""
cluster:
  description:
    - The managed parts of the cluster, as they are after the run (in check mode, as they
      would be). Empty when the cluster does not exist.
  returned: always
  type: dict
  contains:
    container_insights:
      description: The Container Insights setting.
      type: str
      sample: enabled
    capacity_providers:
      description: Capacity providers of the cluster, sorted.
      type: list
      elements: str
      sample: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      description: The default strategy, sorted by provider, with base and weight filled in.
      type: list
      elements: dict
      sample: [{"capacity_provider": "FARGATE", "base": 1, "weight": 1}]
    tags:
      description: Tags of the cluster.
      type: dict
      sample: {"Application": "faith-chatbot"}
cluster_arn:
  description: ARN of the cluster (null in check mode before it exists, or once deleted).
  returned: always
  type: str
  sample: arn:aws:ecs:us-east-1:123456789012:cluster/faith-chatbot-production
cluster_name:
  description: Name of the cluster.
  returned: always
  type: str
  sample: faith-chatbot-production
actions:
  description: What was changed, or would be changed in check mode, in order.
  returned: always
  type: list
  elements: str
  sample: ["create cluster faith-chatbot-production", "set Container Insights to enabled"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs import api
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import CONTAINER_INSIGHTS
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import cluster_changes
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import cluster_view
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import create_cluster_request
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import current_cluster
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import desired_cluster
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import tags_dict
from ansible_collections.faith.ops.plugins.module_utils.ecs.transformations import validate_cluster
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


class Cluster:
    """Brings an existing cluster to the desired state; each ``ensure_*`` returns whether it changed something."""

    def __init__(self, module, client, cluster, desired):
        self.module = module
        self.client = client
        self.cluster = cluster
        self.name = cluster["clusterName"]
        self.desired = desired
        self.current = current_cluster(cluster)

    def act(self, description):
        """Record ``description``; True when the write itself must be skipped (check mode)."""
        self.module.record(description)
        return self.module.check_mode

    def ensure_container_insights(self):
        wanted = self.desired.get("containerInsights")
        if wanted is None or wanted == self.current["containerInsights"]:
            return False
        if not self.act(f"set Container Insights to {wanted}"):
            api.update_cluster_settings(self.client, self.name, [{"name": CONTAINER_INSIGHTS, "value": wanted}])
        return True

    def ensure_capacity_providers(self):
        changed = [key for key in ("capacityProviders", "defaultCapacityProviderStrategy") if key in cluster_changes(self.desired, self.current)]
        if not changed:
            return False
        providers, strategy = self.desired["capacityProviders"], self.desired["defaultCapacityProviderStrategy"]
        if not self.act(f"set capacity providers to {providers or 'none'} with strategy {strategy or 'none'}"):
            api.put_cluster_capacity_providers(self.client, self.name, providers, strategy)
        return True

    def ensure_tags(self):
        to_set, to_remove = tag_changes(tags_dict(self.cluster.get("tags")), self.module.params["tags"], self.module.params["purge_tags"])
        if not (to_set or to_remove):
            return False
        if self.act(f"update tags: set {sorted(to_set)}, remove {sorted(to_remove)}"):
            return True
        if to_remove:
            api.untag_resource(self.client, self.cluster["clusterArn"], to_remove)
        if to_set:
            api.tag_resource(self.client, self.cluster["clusterArn"], to_set)
        return True


def expected_state(current, desired):
    """The managed parts of the cluster once the desired ones are applied."""
    state = dict(current)
    state.update(desired)
    return state


def ensure_present(module, client):
    params = module.params
    desired = desired_cluster(params)
    cluster = api.describe_cluster(client, params["name"])
    if cluster is None:
        after_state = expected_state(current_cluster({}), desired)
        tags = params["tags"] or {}
        after = cluster_view(after_state, tags)
        module.record(f"create cluster {params['name']}")
        arn = None
        if not module.check_mode:
            arn = api.create_cluster(client, create_cluster_request(params["name"], desired, tags))["clusterArn"]
        result = module.result(True, "cluster", after, {}, after)
        result.update(cluster_arn=arn, cluster_name=params["name"])
        return result

    current_tags = tags_dict(cluster.get("tags"))
    before = cluster_view(current_cluster(cluster), current_tags)
    manager = Cluster(module, client, cluster, desired)
    changed = manager.ensure_container_insights()
    changed |= manager.ensure_capacity_providers()
    changed |= manager.ensure_tags()
    after = cluster_view(
        expected_state(current_cluster(cluster), desired), merged_tags(current_tags, params["tags"], params["purge_tags"])
    )
    result = module.result(changed, "cluster", after, before, after)
    result.update(cluster_arn=cluster["clusterArn"], cluster_name=cluster["clusterName"])
    return result


def ensure_absent(module, client):
    name = module.params["name"]
    cluster = api.describe_cluster(client, name)
    if cluster is None:
        result = module.result(False, "cluster", {}, {}, {})
        result.update(cluster_arn=None, cluster_name=name)
        return result
    before = cluster_view(current_cluster(cluster), tags_dict(cluster.get("tags")))
    module.record(f"delete cluster {name}")
    if not module.check_mode:
        api.delete_cluster(client, name)
    result = module.result(True, "cluster", {}, before, {})
    result.update(cluster_arn=None, cluster_name=name)
    return result


def run(module):
    params = module.params
    validate_cluster(params)
    validate_tags(params["tags"])
    client = module.client("ecs")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        container_insights=dict(type="str", choices=["enabled", "disabled", "enhanced"]),
        capacity_providers=dict(type="list", elements="str"),
        default_capacity_provider_strategy=dict(
            type="list",
            elements="dict",
            default=[],
            options=dict(
                capacity_provider=dict(type="str", required=True),
                weight=dict(type="int", default=0),
                base=dict(type="int", default=0),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action
from ..base import error_code


def ecs_tags(tags):
    """ECS spells tag keys in lower case (``key``/``value``)."""
    return ansible_dict_to_boto3_tag_list(tags or {}, tag_name_key_name="key", tag_value_key_name="value")


# --- clusters ----------------------------------------------------------------------------


@aws_action("describe cluster")
def describe_cluster(client, name):
    """The cluster (settings and tags inline), or None when it does not exist or is INACTIVE."""
    response = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"])
    for cluster in response.get("clusters", []):
        if cluster.get("status") != "INACTIVE":
            return cluster
    return None


@aws_action("create cluster")
def create_cluster(client, params):
    return client.create_cluster(**params)["cluster"]


@aws_action("update cluster settings")
def update_cluster_settings(client, name, settings):
    # UpdateCluster takes the settings as well as UpdateClusterSettings does; the emulator
    # implements only the former.
    return client.update_cluster(cluster=name, settings=settings)["cluster"]


@aws_action("set cluster capacity providers")
def put_cluster_capacity_providers(client, name, providers, strategy):
    return client.put_cluster_capacity_providers(
        cluster=name, capacityProviders=providers, defaultCapacityProviderStrategy=strategy
    )["cluster"]


@aws_action("delete cluster")
def delete_cluster(client, name):
    return client.delete_cluster(cluster=name)["cluster"]


# --- task definitions --------------------------------------------------------------------


@aws_action("describe task definition")
def describe_task_definition(client, task_definition):
    """The task definition (tags inline) for a family, ``family:revision`` or ARN; None if unknown.

    A bare family resolves to its latest ACTIVE revision.
    """
    try:
        response = client.describe_task_definition(taskDefinition=task_definition, include=["TAGS"])
    except ClientError as error:
        # ECS answers an unknown family or revision with ClientException, like many other errors.
        if error_code(error) == "ClientException" and "Unable to describe task definition" in str(error):
            return None
        raise
    definition = response["taskDefinition"]
    definition["tags"] = response.get("tags", [])
    return definition


@aws_action("list task definitions")
def active_revisions(client, family):
    """ARNs of the family's ACTIVE revisions, newest first."""
    paginator = client.get_paginator("list_task_definitions")
    pages = paginator.paginate(familyPrefix=family, status="ACTIVE", sort="DESC")
    arns = pages.build_full_result().get("taskDefinitionArns", [])
    # familyPrefix matches families that merely start with the name; keep the family itself.
    # The emulator ignores ``sort``, so order by revision here rather than trust it.
    own = [arn for arn in arns if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family]
    return sorted(own, key=lambda arn: int(arn.rsplit(":", 1)[-1]), reverse=True)


@aws_action("register task definition")
def register_task_definition(client, params):
    response = client.register_task_definition(**params)
    definition = response["taskDefinition"]
    # AWS echoes the tags it stored; the emulator stores them but leaves them out of the answer.
    definition["tags"] = response.get("tags", params.get("tags", []))
    return definition


@aws_action("deregister task definition")
def deregister_task_definition(client, arn):
    return client.deregister_task_definition(taskDefinition=arn)["taskDefinition"]


# --- services ----------------------------------------------------------------------------


@aws_action("describe services")
def describe_services(client, cluster, names):
    """Services by name (tags inline), in chunks of ten as the API requires; INACTIVE ones left out.

    None when the cluster itself does not exist.
    """
    found = []
    for start in range(0, len(names), 10):
        try:
            response = client.describe_services(cluster=cluster, services=names[start:start + 10], include=["TAGS"])
        except ClientError as error:
            if error_code(error) == "ClusterNotFoundException":
                return None
            raise
        found.extend(service for service in response.get("services", []) if service.get("status") != "INACTIVE")
    return found


@aws_action("list services")
def list_services(client, cluster):
    """ARNs of the cluster's services; None when the cluster does not exist."""
    paginator = client.get_paginator("list_services")
    try:
        return paginator.paginate(cluster=cluster).build_full_result().get("serviceArns", [])
    except ClientError as error:
        if error_code(error) == "ClusterNotFoundException":
            return None
        raise


@aws_action("create service")
def create_service(client, params):
    return client.create_service(**params)["service"]


@aws_action("update service")
def update_service(client, params):
    return client.update_service(**params)["service"]


@aws_action("delete service")
def delete_service(client, cluster, name):
    # force: AWS otherwise refuses while desiredCount > 0; the tasks are stopped by the deletion.
    return client.delete_service(cluster=cluster, service=name, force=True)["service"]


# --- tags --------------------------------------------------------------------------------


@aws_action("tag ECS resource")
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=ecs_tags(tags))


@aws_action("untag ECS resource")
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


# --- load balancing (read only: validating what a service attaches to) ------------------


@aws_action("describe target groups")
def describe_target_groups(client, arns):
    """Target groups by ARN; an unknown ARN gives an empty list rather than an error."""
    try:
        return client.describe_target_groups(TargetGroupArns=list(arns))["TargetGroups"]
    except ClientError as error:
        if error_code(error) == "TargetGroupNotFound":
            return []
        raise

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..base import aws_action
from ..base import error_code


@aws_action("describe cache subnet group")
def subnet_group(client, name):
    try:
        return client.describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"][0]
    except ClientError as error:
        if error_code(error) == "CacheSubnetGroupNotFoundFault":
            return None
        raise


@aws_action("describe replication group")
def replication_group(client, name):
    try:
        return client.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]
    except ClientError as error:
        if error_code(error) == "ReplicationGroupNotFoundFault":
            return None
        raise


@aws_action("describe cache cluster")
def cache_cluster(client, cluster_id):
    """A member cluster (it carries the security groups), or None when it cannot be found."""
    try:
        return client.describe_cache_clusters(CacheClusterId=cluster_id)["CacheClusters"][0]
    except ClientError as error:
        if error_code(error) == "CacheClusterNotFound":
            return None
        raise


@aws_action("read cache tags")
def tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn).get("TagList", []))


@aws_action("create cache subnet group")
def create_subnet_group(client, name, description, subnet_ids, tags):
    kwargs = dict(CacheSubnetGroupName=name, CacheSubnetGroupDescription=description, SubnetIds=subnet_ids)
    if tags:
        kwargs["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_cache_subnet_group(**kwargs)["CacheSubnetGroup"]


@aws_action("modify cache subnet group")
def modify_subnet_group(client, name, subnet_ids):
    return client.modify_cache_subnet_group(CacheSubnetGroupName=name, SubnetIds=subnet_ids)["CacheSubnetGroup"]


@aws_action("delete cache subnet group")
def delete_subnet_group(client, name):
    client.delete_cache_subnet_group(CacheSubnetGroupName=name)


@aws_action("create replication group")
def create_replication_group(client, request):
    return client.create_replication_group(**request)["ReplicationGroup"]


@aws_action("modify replication group")
def modify_replication_group(client, name, changes):
    return client.modify_replication_group(ReplicationGroupId=name, **changes)["ReplicationGroup"]


@aws_action("delete replication group")
def delete_replication_group(client, name):
    client.delete_replication_group(ReplicationGroupId=name)


@aws_action("tag cache resource")
def add_tags(client, arn, tags):
    client.add_tags_to_resource(ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag cache resource")
def remove_tags(client, arn, keys):
    client.remove_tags_from_resource(ResourceName=arn, TagKeys=list(keys))

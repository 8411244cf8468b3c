# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""EC2 security group calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ..base import aws_action

# A group is briefly unknown to EC2 right after it is created (eventual consistency).
_NEW_GROUP = AWSRetry.jittered_backoff(retries=6, delay=1, max_delay=10, catch_extra_error_codes=["InvalidGroup.NotFound"])
# Network interfaces of a deleted load balancer or task hold a group for a few minutes.
_IN_USE = AWSRetry.jittered_backoff(retries=8, delay=5, max_delay=30, catch_extra_error_codes=["DependencyViolation"])


@aws_action("describe security groups")
def security_groups_in_vpc(client, vpc_id):
    """Every security group of the VPC, tags and rules inline: one read resolves names and ids."""
    paginator = client.get_paginator("describe_security_groups")
    pages = paginator.paginate(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return pages.build_full_result().get("SecurityGroups", [])


@aws_action("describe VPC")
def vpc_exists(client, vpc_id):
    """Whether the VPC exists: EC2 answers NotFound for an unknown id."""
    try:
        return bool(client.describe_vpcs(VpcIds=[vpc_id])["Vpcs"])
    except is_boto3_error_code(["InvalidVpcID.NotFound", "InvalidVpcID.Malformed"]):
        return False


@aws_action("describe security group")
@_NEW_GROUP
def security_group(client, group_id):
    return client.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]


@aws_action("create security group")
def create_security_group(client, name, description, vpc_id, tags):
    params = {"GroupName": name, "Description": description, "VpcId": vpc_id}
    if tags:
        params["TagSpecifications"] = boto3_tag_specifications(tags, ["security-group"])
    return client.create_security_group(**params)["GroupId"]


@aws_action("authorize ingress rules")
@_NEW_GROUP
def authorize_ingress(client, group_id, permissions):
    client.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)


@aws_action("authorize egress rules")
@_NEW_GROUP
def authorize_egress(client, group_id, permissions):
    client.authorize_security_group_egress(GroupId=group_id, IpPermissions=permissions)


@aws_action("revoke ingress rules")
def revoke_ingress(client, group_id, permissions):
    client.revoke_security_group_ingress(GroupId=group_id, IpPermissions=permissions)


@aws_action("revoke egress rules")
@_NEW_GROUP
def revoke_egress(client, group_id, permissions):
    client.revoke_security_group_egress(GroupId=group_id, IpPermissions=permissions)


@aws_action("update ingress rule descriptions")
def update_ingress_descriptions(client, group_id, permissions):
    client.update_security_group_rule_descriptions_ingress(GroupId=group_id, IpPermissions=permissions)


@aws_action("update egress rule descriptions")
def update_egress_descriptions(client, group_id, permissions):
    client.update_security_group_rule_descriptions_egress(GroupId=group_id, IpPermissions=permissions)


@aws_action("tag security group")
def tag_group(client, group_id, tags):
    client.create_tags(Resources=[group_id], Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag security group")
def untag_group(client, group_id, keys):
    client.delete_tags(Resources=[group_id], Tags=[{"Key": key} for key in keys])


@aws_action("delete security group")
@_IN_USE
def delete_security_group(client, group_id):
    client.delete_security_group(GroupId=group_id)

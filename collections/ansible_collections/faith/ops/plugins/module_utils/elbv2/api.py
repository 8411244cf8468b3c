# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Elastic Load Balancing v2 calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action

# Deleting a target group right after its load balancer can still find it referenced.
_TARGET_GROUP_IN_USE = AWSRetry.jittered_backoff(retries=6, delay=2, max_delay=15, catch_extra_error_codes=["ResourceInUse"])


def _missing(error, *codes):
    return isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in codes


# --- reads -------------------------------------------------------------------------------


@aws_action("describe load balancer")
def load_balancer(client, name):
    """The load balancer called ``name``, or None."""
    try:
        return client.describe_load_balancers(Names=[name])["LoadBalancers"][0]
    except ClientError as error:
        if _missing(error, "LoadBalancerNotFound"):
            return None
        raise


@aws_action("describe load balancer attributes")
def load_balancer_attributes(client, arn):
    attributes = client.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    return {item["Key"]: item["Value"] for item in attributes}


@aws_action("describe target groups")
def target_groups(client, names):
    """The target groups called ``names`` in one call, or None when any of them is missing."""
    try:
        return client.describe_target_groups(Names=names)["TargetGroups"]
    except ClientError as error:
        if _missing(error, "TargetGroupNotFound"):
            return None
        raise


@aws_action("describe target group")
def target_group(client, name):
    """The target group called ``name``, or None."""
    try:
        return client.describe_target_groups(Names=[name])["TargetGroups"][0]
    except ClientError as error:
        if _missing(error, "TargetGroupNotFound"):
            return None
        raise


@aws_action("describe target group attributes")
def target_group_attributes(client, arn):
    attributes = client.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]
    return {item["Key"]: item["Value"] for item in attributes}


@aws_action("describe listeners")
def listeners(client, load_balancer_arn):
    paginator = client.get_paginator("describe_listeners")
    return paginator.paginate(LoadBalancerArn=load_balancer_arn).build_full_result().get("Listeners", [])


@aws_action("describe tags")
def tags(client, arns):
    """Tags of up to 20 resources in one call, as ``{arn: {key: value}}``."""
    if not arns:
        return {}
    descriptions = client.describe_tags(ResourceArns=arns)["TagDescriptions"]
    return {item["ResourceArn"]: {tag["Key"]: tag["Value"] for tag in item.get("Tags", [])} for item in descriptions}


@aws_action("describe subnets")
def subnets(ec2_client, subnet_ids):
    """The subnets ``subnet_ids`` (EC2), or None when one of them does not exist."""
    try:
        return ec2_client.describe_subnets(SubnetIds=subnet_ids)["Subnets"]
    except ClientError as error:
        if _missing(error, "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed"):
            return None
        raise


# --- writes ------------------------------------------------------------------------------


@aws_action("create load balancer")
def create_load_balancer(client, name, subnet_ids, security_group_ids, scheme, tags):
    params = {
        "Name": name,
        "Subnets": subnet_ids,
        "SecurityGroups": security_group_ids,
        "Scheme": scheme,
        "Type": "application",
        "IpAddressType": "ipv4",
    }
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_load_balancer(**params)["LoadBalancers"][0]


@aws_action("set load balancer subnets")
def set_subnets(client, arn, subnet_ids):
    client.set_subnets(LoadBalancerArn=arn, Subnets=subnet_ids)


@aws_action("set load balancer security groups")
def set_security_groups(client, arn, security_group_ids):
    client.set_security_groups(LoadBalancerArn=arn, SecurityGroups=security_group_ids)


@aws_action("modify load balancer attributes")
def modify_load_balancer_attributes(client, arn, attributes):
    client.modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": key, "Value": value} for key, value in sorted(attributes.items())]
    )


@aws_action("create target group")
def create_target_group(client, settings, tags):
    params = dict(settings)
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_target_group(**params)["TargetGroups"][0]


@aws_action("modify target group health check")
def modify_target_group(client, arn, changes):
    client.modify_target_group(TargetGroupArn=arn, **changes)


@aws_action("modify target group attributes")
def modify_target_group_attributes(client, arn, attributes):
    client.modify_target_group_attributes(
        TargetGroupArn=arn, Attributes=[{"Key": key, "Value": value} for key, value in sorted(attributes.items())]
    )


@aws_action("create listener")
def create_listener(client, load_balancer_arn, listener):
    return client.create_listener(LoadBalancerArn=load_balancer_arn, **listener)["Listeners"][0]


@aws_action("modify listener")
def modify_listener(client, arn, listener):
    return client.modify_listener(ListenerArn=arn, **listener)["Listeners"][0]


@aws_action("delete listener")
def delete_listener(client, arn):
    client.delete_listener(ListenerArn=arn)


@aws_action("tag load balancing resource")
def add_tags(client, arn, tags):
    client.add_tags(ResourceArns=[arn], Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag load balancing resource")
def remove_tags(client, arn, keys):
    client.remove_tags(ResourceArns=[arn], TagKeys=keys)


@aws_action("delete load balancer")
def delete_load_balancer(client, arn):
    client.delete_load_balancer(LoadBalancerArn=arn)


@aws_action("delete target group")
@_TARGET_GROUP_IN_USE
def delete_target_group(client, arn):
    client.delete_target_group(TargetGroupArn=arn)


# --- listener rules ------------------------------------------------------------------------


@aws_action("describe listener rules")
def rules(client, listener_arn):
    paginator = client.get_paginator("describe_rules")
    return paginator.paginate(ListenerArn=listener_arn).build_full_result().get("Rules", [])


@aws_action("create listener rule")
def create_rule(client, listener_arn, rule, tags):
    params = dict(rule, ListenerArn=listener_arn)
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_rule(**params)["Rules"][0]


@aws_action("modify listener rule")
def modify_rule(client, rule_arn, rule):
    return client.modify_rule(RuleArn=rule_arn, Conditions=rule["Conditions"], Actions=rule["Actions"])["Rules"][0]


@aws_action("delete listener rule")
def delete_rule(client, rule_arn):
    client.delete_rule(RuleArn=rule_arn)

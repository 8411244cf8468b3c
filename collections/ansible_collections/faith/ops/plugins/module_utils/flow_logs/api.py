# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VPC flow log calls (EC2 API): one API call per function, retried, named for error messages."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action


@aws_action("describe flow logs")
def flow_logs(client, resource_id):
    """Every flow log of ``resource_id``."""
    paginator = client.get_paginator("describe_flow_logs")
    pages = paginator.paginate(Filters=[{"Name": "resource-id", "Values": [resource_id]}])
    return pages.build_full_result().get("FlowLogs", [])


@aws_action("create flow log")
def create_flow_log(client, request, tags):
    """``(flow log id, None)``, or ``(None, reason)`` when EC2 refused it."""
    kwargs = dict(request)
    kwargs["TagSpecifications"] = [{"ResourceType": "vpc-flow-log", "Tags": ansible_dict_to_boto3_tag_list(tags)}]
    response = client.create_flow_logs(**kwargs)
    # EC2 reports a refused destination in the body of a successful response.
    failures = [item.get("Error", {}) for item in response.get("Unsuccessful", [])]
    if failures:
        return None, f"{failures[0].get('Code')}: {failures[0].get('Message')}"
    return response["FlowLogIds"][0], None


@aws_action("delete flow log")
def delete_flow_log(client, flow_log_id):
    client.delete_flow_logs(FlowLogIds=[flow_log_id])


@aws_action("tag flow log")
def tag_flow_log(client, flow_log_id, tags):
    client.create_tags(Resources=[flow_log_id], Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag flow log")
def untag_flow_log(client, flow_log_id, keys):
    client.delete_tags(Resources=[flow_log_id], Tags=[{"Key": key} for key in keys])

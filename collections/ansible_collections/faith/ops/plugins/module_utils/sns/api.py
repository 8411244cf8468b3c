# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SNS topic calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..base import aws_action


@aws_action("list topics")
def find_topic(client, name):
    """The ARN of the topic of this name in the client's region, or None (SNS has no get-by-name)."""
    for page in client.get_paginator("list_topics").paginate():
        for topic in page.get("Topics", []):
            if topic["TopicArn"].split(":")[-1] == name:
                return topic["TopicArn"]
    return None


@aws_action("get topic attributes")
def topic_attributes(client, arn):
    return client.get_topic_attributes(TopicArn=arn).get("Attributes", {})


@aws_action("create topic")
def create_topic(client, name, attributes, tags):
    params = {"Name": name, "Attributes": attributes}
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_topic(**params)["TopicArn"]


@aws_action("set a topic attribute")
def set_topic_attribute(client, arn, name, value):
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)


@aws_action("list subscriptions")
def subscriptions(client, arn):
    pages = client.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
    return pages.build_full_result().get("Subscriptions", [])


@aws_action("subscribe")
def subscribe(client, arn, protocol, endpoint):
    # ReturnSubscriptionArn gives the ARN even while an e-mail or https endpoint has not confirmed.
    return client.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True)["SubscriptionArn"]


@aws_action("unsubscribe")
def unsubscribe(client, subscription_arn):
    client.unsubscribe(SubscriptionArn=subscription_arn)


@aws_action("list topic tags")
def topic_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceArn=arn).get("Tags", []))


@aws_action("tag topic")
def tag_topic(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag topic")
def untag_topic(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(keys))


@aws_action("delete topic")
def delete_topic(client, arn):
    client.delete_topic(TopicArn=arn)

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SQS queue calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ..base import aws_action
from ..base import error_code

MISSING = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")
# SQS refuses to create a queue of a name deleted less than 60 seconds ago.
_RECENTLY_DELETED = AWSRetry.jittered_backoff(
    retries=8, delay=10, max_delay=20, catch_extra_error_codes=["AWS.SimpleQueueService.QueueDeletedRecently", "QueueDeletedRecently"]
)


@aws_action("get queue URL")
def queue_url(client, name):
    """The queue's URL, or None when there is no queue of that name."""
    try:
        return client.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as error:
        if error_code(error) in MISSING:
            return None
        raise


@aws_action("get queue attributes")
def queue_attributes(client, url):
    return client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes", {})


@aws_action("create queue")
@_RECENTLY_DELETED
def create_queue(client, name, attributes, tags):
    params = {"QueueName": name, "Attributes": attributes}
    if tags:
        params["tags"] = tags
    return client.create_queue(**params)["QueueUrl"]


@aws_action("set queue attributes")
def set_queue_attributes(client, url, attributes):
    client.set_queue_attributes(QueueUrl=url, Attributes=attributes)


@aws_action("list queue tags")
def queue_tags(client, url):
    return client.list_queue_tags(QueueUrl=url).get("Tags", {})


@aws_action("tag queue")
def tag_queue(client, url, tags):
    client.tag_queue(QueueUrl=url, Tags=tags)


@aws_action("untag queue")
def untag_queue(client, url, keys):
    client.untag_queue(QueueUrl=url, TagKeys=list(keys))


@aws_action("delete queue")
def delete_queue(client, url):
    client.delete_queue(QueueUrl=url)

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECR calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

import json

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..base import aws_action
from ..base import error_code


@aws_action("describe repository")
def repository(client, name):
    """The repository called ``name``, or None."""
    try:
        return client.describe_repositories(repositoryNames=[name])["repositories"][0]
    except ClientError as error:
        if error_code(error) == "RepositoryNotFoundException":
            return None
        raise


@aws_action("read repository tags")
def tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(resourceArn=arn).get("tags", []), "Key", "Value")


@aws_action("read lifecycle policy")
def lifecycle_policy(client, name):
    """The repository's lifecycle policy as a dict, or None when it has none."""
    try:
        text = client.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]
    except ClientError as error:
        if error_code(error) == "LifecyclePolicyNotFoundException":
            return None
        raise
    return json.loads(text)


@aws_action("create repository")
def create_repository(client, name, mutability, scan_on_push, encryption, tags):
    kwargs = dict(
        repositoryName=name,
        imageTagMutability=mutability,
        imageScanningConfiguration={"scanOnPush": scan_on_push},
        encryptionConfiguration=encryption,
    )
    if tags:
        kwargs["tags"] = ansible_dict_to_boto3_tag_list(tags, "Key", "Value")
    return client.create_repository(**kwargs)["repository"]


@aws_action("set image tag mutability")
def put_image_tag_mutability(client, name, mutability):
    client.put_image_tag_mutability(repositoryName=name, imageTagMutability=mutability)


@aws_action("set image scanning configuration")
def put_image_scanning_configuration(client, name, scan_on_push):
    client.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": scan_on_push})


@aws_action("put lifecycle policy")
def put_lifecycle_policy(client, name, policy):
    client.put_lifecycle_policy(repositoryName=name, lifecyclePolicyText=json.dumps(policy, sort_keys=True))


@aws_action("delete lifecycle policy")
def delete_lifecycle_policy(client, name):
    client.delete_lifecycle_policy(repositoryName=name)


@aws_action("tag repository")
def tag_repository(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(tags, "Key", "Value"))


@aws_action("untag repository")
def untag_repository(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


@aws_action("delete repository")
def delete_repository(client, name, force):
    client.delete_repository(repositoryName=name, force=force)

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon S3 bucket calls: one API call per function, retried, named for error messages.

Each read of an optional bucket setting returns None when the bucket has none, whatever
error code S3 uses to say so.
"""

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


def _unless_missing(call, *codes):
    try:
        return call()
    except ClientError as error:
        if error_code(error) in codes:
            return None
        raise


@aws_action("read bucket encryption")
def encryption(client, name):
    response = _unless_missing(lambda: client.get_bucket_encryption(Bucket=name), "ServerSideEncryptionConfigurationNotFoundError")
    return (response or {}).get("ServerSideEncryptionConfiguration")


@aws_action("read public access block")
def public_access_block(client, name):
    response = _unless_missing(lambda: client.get_public_access_block(Bucket=name), "NoSuchPublicAccessBlockConfiguration")
    return (response or {}).get("PublicAccessBlockConfiguration")


@aws_action("read object ownership")
def ownership(client, name):
    response = _unless_missing(lambda: client.get_bucket_ownership_controls(Bucket=name), "OwnershipControlsNotFoundError")
    rules = ((response or {}).get("OwnershipControls") or {}).get("Rules") or []
    return rules[0]["ObjectOwnership"] if rules else None


@aws_action("read bucket versioning")
def versioning(client, name):
    return client.get_bucket_versioning(Bucket=name).get("Status")


@aws_action("read lifecycle configuration")
def lifecycle(client, name):
    response = _unless_missing(lambda: client.get_bucket_lifecycle_configuration(Bucket=name), "NoSuchLifecycleConfiguration")
    return (response or {}).get("Rules")


@aws_action("read bucket policy")
def policy(client, name):
    response = _unless_missing(lambda: client.get_bucket_policy(Bucket=name), "NoSuchBucketPolicy")
    return json.loads(response["Policy"]) if response else None


@aws_action("read bucket tags")
def tags(client, name):
    response = _unless_missing(lambda: client.get_bucket_tagging(Bucket=name), "NoSuchTagSet")
    return boto3_tag_list_to_ansible_dict((response or {}).get("TagSet", []))


@aws_action("create bucket")
def create_bucket(client, name, region, object_ownership):
    kwargs = dict(Bucket=name, ObjectOwnership=object_ownership)
    # us-east-1 is the default location and AWS rejects it as an explicit constraint.
    if region and region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    client.create_bucket(**kwargs)


@aws_action("set bucket encryption")
def put_encryption(client, name, configuration):
    client.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=configuration)


@aws_action("set public access block")
def put_public_access_block(client, name, configuration):
    client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=configuration)


@aws_action("set object ownership")
def put_ownership(client, name, object_ownership):
    client.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": object_ownership}]})


@aws_action("set bucket versioning")
def put_versioning(client, name, status):
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})


@aws_action("set lifecycle configuration")
def put_lifecycle(client, name, rules):
    client.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})


@aws_action("delete lifecycle configuration")
def delete_lifecycle(client, name):
    client.delete_bucket_lifecycle(Bucket=name)


@aws_action("set bucket policy")
def put_policy(client, name, document):
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(document, sort_keys=True))


@aws_action("delete bucket policy")
def delete_policy(client, name):
    client.delete_bucket_policy(Bucket=name)


@aws_action("set bucket tags")
def put_tags(client, name, tags):
    client.put_bucket_tagging(Bucket=name, Tagging={"TagSet": ansible_dict_to_boto3_tag_list(tags)})


@aws_action("delete bucket tags")
def delete_tags(client, name):
    client.delete_bucket_tagging(Bucket=name)


@aws_action("list object versions")
def object_versions(client, name):
    """Every object version and delete marker of the bucket, as DeleteObjects takes them."""
    paginator = client.get_paginator("list_object_versions")
    keys = []
    for page in paginator.paginate(Bucket=name):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            keys.append({"Key": item["Key"], "VersionId": item["VersionId"]})
    return keys


@aws_action("delete objects")
def delete_objects(client, name, keys):
    # DeleteObjects takes at most 1000 keys per call.
    for start in range(0, len(keys), 1000):
        client.delete_objects(Bucket=name, Delete={"Objects": keys[start:start + 1000], "Quiet": True})


@aws_action("delete bucket")
def delete_bucket(client, name):
    client.delete_bucket(Bucket=name)

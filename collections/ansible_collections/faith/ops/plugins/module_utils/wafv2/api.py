# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""WAFv2 calls (regional scope): one API call per function, retried, named for error messages."""

from __future__ import annotations

try:
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..base import aws_action

SCOPE = "REGIONAL"
# A load balancer created a moment ago is not yet known to WAF ("unavailable entity").
_NEW_RESOURCE = AWSRetry.jittered_backoff(retries=8, delay=3, max_delay=20, catch_extra_error_codes=["WAFUnavailableEntityException"])
# WAF needs a moment after an IP set or association change before the web ACL can follow.
_SETTLING = AWSRetry.jittered_backoff(retries=6, delay=2, max_delay=15, catch_extra_error_codes=["WAFUnavailableEntityException"])


def _code(error):
    return error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None


def _list(client, operation, key, **params):
    # WAFv2 has no botocore paginators; its list calls page with NextMarker.
    items, marker = [], None
    while True:
        page = getattr(client, operation)(Scope=SCOPE, Limit=100, **({"NextMarker": marker} if marker else {}), **params)
        items += page.get(key, [])
        marker = page.get("NextMarker")
        if not marker or not page.get(key):
            return items


# --- reads -------------------------------------------------------------------------------


@aws_action("list web ACLs")
def web_acls(client):
    return _list(client, "list_web_acls", "WebACLs")


@aws_action("get web ACL")
def web_acl(client, name, acl_id):
    """``(web ACL, lock token)``."""
    response = client.get_web_acl(Name=name, Scope=SCOPE, Id=acl_id)
    return response["WebACL"], response["LockToken"]


@aws_action("list IP sets")
def ip_sets(client):
    return _list(client, "list_ip_sets", "IPSets")


@aws_action("get IP set")
def ip_set(client, name, ip_set_id):
    """``(IP set, lock token)``, or ``(None, None)`` when it does not exist."""
    try:
        response = client.get_ip_set(Name=name, Scope=SCOPE, Id=ip_set_id)
    except ClientError as error:
        if _code(error) == "WAFNonexistentItemException":
            return None, None
        raise
    return response["IPSet"], response["LockToken"]


@aws_action("list tags")
def tags(client, arn):
    response = client.list_tags_for_resource(ResourceARN=arn)
    return {tag["Key"]: tag["Value"] for tag in (response.get("TagInfoForResource") or {}).get("TagList", [])}


@aws_action("get the web ACL of a resource")
@_NEW_RESOURCE
def web_acl_for_resource(client, resource_arn):
    """ARN of the web ACL protecting ``resource_arn``, or None."""
    response = client.get_web_acl_for_resource(ResourceArn=resource_arn)
    return (response.get("WebACL") or {}).get("ARN")


@aws_action("get logging configuration")
def logging_configuration(client, acl_arn):
    try:
        return client.get_logging_configuration(ResourceArn=acl_arn)["LoggingConfiguration"]
    except ClientError as error:
        if _code(error) == "WAFNonexistentItemException":
            return None
        raise


# --- writes ------------------------------------------------------------------------------


@aws_action("create IP set")
def create_ip_set(client, name, addresses, tags):
    params = {"Name": name, "Scope": SCOPE, "IPAddressVersion": "IPV4", "Addresses": addresses}
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_ip_set(**params)["Summary"]


@aws_action("update IP set")
def update_ip_set(client, name, ip_set_id, addresses, lock_token):
    client.update_ip_set(Name=name, Scope=SCOPE, Id=ip_set_id, Addresses=addresses, LockToken=lock_token)


@aws_action("delete IP set")
@_SETTLING
def delete_ip_set(client, name, ip_set_id, lock_token):
    client.delete_ip_set(Name=name, Scope=SCOPE, Id=ip_set_id, LockToken=lock_token)


@aws_action("create web ACL")
@_SETTLING
def create_web_acl(client, name, config, tags):
    params = dict(config, Name=name, Scope=SCOPE)
    if tags:
        params["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_web_acl(**params)["Summary"]


@aws_action("update web ACL")
@_SETTLING
def update_web_acl(client, name, acl_id, config, lock_token):
    """Replace the web ACL's configuration; raises on a stale ``lock_token`` (WAFOptimisticLockException)."""
    return client.update_web_acl(Name=name, Scope=SCOPE, Id=acl_id, LockToken=lock_token, **config)["NextLockToken"]


@aws_action("delete web ACL")
def delete_web_acl(client, name, acl_id, lock_token):
    client.delete_web_acl(Name=name, Scope=SCOPE, Id=acl_id, LockToken=lock_token)


@aws_action("tag WAF resource")
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag WAF resource")
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=keys)


@aws_action("associate web ACL")
@_NEW_RESOURCE
def associate(client, acl_arn, resource_arn):
    client.associate_web_acl(WebACLArn=acl_arn, ResourceArn=resource_arn)


@aws_action("disassociate web ACL")
def disassociate(client, resource_arn):
    client.disassociate_web_acl(ResourceArn=resource_arn)


@aws_action("put logging configuration")
def put_logging_configuration(client, config):
    client.put_logging_configuration(LoggingConfiguration=config)


@aws_action("delete logging configuration")
def delete_logging_configuration(client, acl_arn):
    client.delete_logging_configuration(ResourceArn=acl_arn)


def is_stale_lock(error):
    """Whether an ``AWSActionError`` says someone else changed the web ACL since it was read."""
    return _code(getattr(error, "error", None)) == "WAFOptimisticLockException"

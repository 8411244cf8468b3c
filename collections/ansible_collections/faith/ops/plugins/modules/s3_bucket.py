#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: s3_bucket
version_added: 0.2.0
short_description: Manage a private, encrypted S3 bucket with lifecycle rules and a bucket policy
description:
  - Creates, updates or deletes one S3 bucket, identified by O(name), in the module's region.
  - The bucket is always private. Public access is blocked and object ownership is enforced for the
    bucket owner (ACLs disabled) unless O(object_ownership) says otherwise. Default encryption is always
    set (S3-managed keys, or KMS).
  - Made for log archives (load balancer access logs, WAF logs, VPC flow logs). O(policy) grants the
    delivery services, O(lifecycle_rules) expire what is no longer needed.
  - Supports check mode and diff mode. A no-op run makes eight read calls and no write.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Bucket name (3 to 63 lowercase letters, digits, dots and hyphens), unique across all of AWS.
    type: str
    required: true
  state:
    description:
      - Whether the bucket should exist.
    type: str
    choices: [present, absent]
    default: present
  encryption:
    description:
      - Default encryption of new objects. Load balancer access logs need V(AES256).
    type: str
    choices: [AES256, aws:kms]
    default: AES256
  kms_key_id:
    description:
      - KMS key ARN or id with O(encryption=aws:kms); the AWS managed key C(aws/s3) when omitted.
    type: str
  object_ownership:
    description:
      - Object ownership; V(BucketOwnerEnforced) disables ACLs.
    type: str
    choices: [BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter]
    default: BucketOwnerEnforced
  versioning:
    description:
      - Keep every version of an object. Turning it off suspends versioning (S3 cannot disable it).
    type: bool
    default: false
  lifecycle_rules:
    description:
      - Lifecycle rules; the bucket ends up with exactly these. V([]) removes all rules; when omitted,
        the rules are left as they are.
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - Unique id of the rule.
        type: str
        required: true
      prefix:
        description:
          - Key prefix the rule applies to; every object when empty.
        type: str
        default: ''
      expiration_days:
        description:
          - Days after creation when objects expire.
        type: int
      noncurrent_version_expiration_days:
        description:
          - Days after which noncurrent versions are deleted.
        type: int
      abort_incomplete_multipart_upload_days:
        description:
          - Days after which incomplete multipart uploads are aborted.
        type: int
  policy:
    description:
      - The bucket policy document. When omitted, the policy is left as it is.
    type: dict
  force:
    description:
      - With O(state=absent), delete every object version first; without it a bucket that holds objects
        is not deleted.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the log archive bucket exists, encrypted, expiring logs after 90 days
  faith.ops.s3_bucket:
    name: aws-waf-logs-faith-chatbot-production-123456789012-us-east-1
    encryption: AES256
    lifecycle_rules:
      - id: expire-logs
        expiration_days: 90
        abort_incomplete_multipart_upload_days: 7
    policy: "{{ lookup('ansible.builtin.file', 'log-bucket-policy.json') | from_json }}"
    tags:
      Application: faith-chatbot

- name: Remove the bucket and the logs in it
  faith.ops.s3_bucket:
    name: aws-waf-logs-faith-chatbot-production-123456789012-us-east-1
    state: absent
    force: true
"""

RETURN = r"""
bucket:
  description: The bucket as it is (or, in check mode, would be) after the run; empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Bucket name.
      returned: when present
      type: str
      sample: aws-waf-logs-faith-chatbot-production-123456789012-us-east-1
    arn:
      description: Bucket ARN.
      returned: when present
      type: str
      sample: arn:aws:s3:::aws-waf-logs-faith-chatbot-production-123456789012-us-east-1
    encryption:
      description: Default encryption algorithm.
      returned: when present
      type: str
      sample: AES256
    kms_key_id:
      description: KMS key of the default encryption, or null.
      returned: when present
      type: str
      sample: null
    public_access_block:
      description: The public access block settings.
      returned: when present
      type: dict
      sample: {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}
    object_ownership:
      description: Object ownership setting.
      returned: when present
      type: str
      sample: BucketOwnerEnforced
    versioning:
      description: Whether versioning is enabled.
      returned: when present
      type: bool
      sample: false
    lifecycle_rules:
      description: Lifecycle rules in the option format, with C(enabled).
      returned: when present
      type: list
      elements: dict
      sample: [{"id": "expire-logs", "prefix": "", "enabled": true, "expiration_days": 90}]
    policy:
      description: The bucket policy in canonical form, or null.
      returned: when present
      type: dict
      sample: {"Version": "2012-10-17", "Statement": []}
    tags:
      description: Tags of the bucket.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create bucket aws-waf-logs-faith-chatbot-local-123456789012-us-east-1", "set bucket encryption"]
diff:
  description: Normalised bucket before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"lifecycle_rules": []}, "after": {"lifecycle_rules": [{"id": "expire-logs", "expiration_days": 90}]}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import AWSActionError
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.base import error_code
from ansible_collections.faith.ops.plugins.module_utils.s3 import api
from ansible_collections.faith.ops.plugins.module_utils.s3 import transformations as s3
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


def read(client, name):
    """The bucket's settings, or None when it does not exist.

    The first sub-resource read doubles as the existence check (NoSuchBucket), which saves a
    HeadBucket per run.
    """
    try:
        versioning = api.versioning(client, name)
    except AWSActionError as error:
        if error_code(error) in ("404", "NoSuchBucket", "NotFound"):
            return None
        raise
    return {
        "encryption": api.encryption(client, name),
        "public_access_block": api.public_access_block(client, name),
        "ownership": api.ownership(client, name),
        "versioning": versioning,
        "lifecycle": api.lifecycle(client, name),
        "policy": api.policy(client, name),
        "tags": api.tags(client, name),
    }


def ensure_bucket(module, client, settings):
    if settings is not None:
        return settings, False
    params = module.params
    module.record(f"create bucket {params['name']}")
    if not module.check_mode:
        api.create_bucket(client, params["name"], module.region, params["object_ownership"])
    # A new bucket has no settings of its own yet; each ensure_* below fills one in.
    return {"ownership": params["object_ownership"], "versioning": None, "tags": {}}, True


def ensure_encryption(module, client, settings):
    params = module.params
    current = s3.describe_encryption(settings.get("encryption"))
    if current == (params["encryption"], params["kms_key_id"] or None):
        return False
    module.record(f"set bucket encryption to {params['encryption']}")
    desired = s3.encryption_configuration(params["encryption"], params["kms_key_id"])
    if not module.check_mode:
        api.put_encryption(client, params["name"], desired)
    settings["encryption"] = desired
    return True


def ensure_public_access_block(module, client, settings):
    if settings.get("public_access_block") == s3.BLOCK_ALL_PUBLIC_ACCESS:
        return False
    module.record("block all public access")
    if not module.check_mode:
        api.put_public_access_block(client, module.params["name"], s3.BLOCK_ALL_PUBLIC_ACCESS)
    settings["public_access_block"] = dict(s3.BLOCK_ALL_PUBLIC_ACCESS)
    return True


def ensure_ownership(module, client, settings):
    desired = module.params["object_ownership"]
    if settings.get("ownership") == desired:
        return False
    module.record(f"set object ownership to {desired}")
    if not module.check_mode:
        api.put_ownership(client, module.params["name"], desired)
    settings["ownership"] = desired
    return True


def ensure_versioning(module, client, settings):
    current = settings.get("versioning")
    if module.params["versioning"]:
        desired = "Enabled"
    elif current == "Enabled":
        desired = "Suspended"
    else:
        return False
    if current == desired:
        return False
    module.record(f"set versioning to {desired}")
    if not module.check_mode:
        api.put_versioning(client, module.params["name"], desired)
    settings["versioning"] = desired
    return True


def ensure_lifecycle(module, client, settings):
    rules = module.params["lifecycle_rules"]
    if rules is None:
        return False
    desired = s3.lifecycle_rules(rules)
    if s3.describe_lifecycle(settings.get("lifecycle")) == s3.describe_lifecycle(desired):
        return False
    name = module.params["name"]
    if desired:
        module.record(f"set {len(desired)} lifecycle rule(s)")
        if not module.check_mode:
            api.put_lifecycle(client, name, desired)
    else:
        module.record("delete lifecycle rules")
        if not module.check_mode:
            api.delete_lifecycle(client, name)
    settings["lifecycle"] = desired
    return True


def ensure_policy(module, client, settings):
    desired = module.params["policy"]
    if desired is None:
        return False
    current = settings.get("policy")
    if current is not None and s3.normalise_policy(current) == s3.normalise_policy(desired):
        return False
    module.record("set bucket policy")
    if not module.check_mode:
        api.put_policy(client, module.params["name"], desired)
    settings["policy"] = desired
    return True


def ensure_tags(module, client, settings):
    params = module.params
    current = settings.get("tags") or {}
    to_set, to_remove = tag_changes(current, params["tags"], params["purge_tags"])
    if not (to_set or to_remove):
        return False
    tags = merged_tags(current, params["tags"], params["purge_tags"])
    module.record("set bucket tags" if tags else "delete bucket tags")
    # S3 replaces the whole tag set in one call.
    if not module.check_mode:
        if tags:
            api.put_tags(client, params["name"], tags)
        else:
            api.delete_tags(client, params["name"])
    settings["tags"] = tags
    return True


def result(module, changed, settings, before=None, after=None):
    view = s3.describe(module.params["name"], settings)
    if view:
        view = dict(view, arn=f"arn:{_partition(module.region)}:s3:::{module.params['name']}")
    return module.result(changed, "bucket", view, before=before, after=after)


def _partition(region):
    if (region or "").startswith("cn-"):
        return "aws-cn"
    if (region or "").startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def ensure_absent(module, client, settings):
    name = module.params["name"]
    if settings is None:
        return result(module, False, None)
    before = s3.describe(name, settings)
    if module.params["force"]:
        keys = api.object_versions(client, name)
        if keys:
            module.record(f"delete {len(keys)} object version(s)")
            if not module.check_mode:
                api.delete_objects(client, name, keys)
    module.record(f"delete bucket {name}")
    if not module.check_mode:
        api.delete_bucket(client, name)
    return result(module, True, None, before=before, after={})


def ensure(module):
    params = module.params
    s3.validate(params)
    validate_tags(params["tags"])
    client = module.client("s3")
    settings = read(client, params["name"])
    if params["state"] == "absent":
        return ensure_absent(module, client, settings)
    before = s3.describe(params["name"], settings)
    settings, changed = ensure_bucket(module, client, settings)
    changed |= ensure_encryption(module, client, settings)
    changed |= ensure_public_access_block(module, client, settings)
    changed |= ensure_ownership(module, client, settings)
    changed |= ensure_versioning(module, client, settings)
    changed |= ensure_lifecycle(module, client, settings)
    changed |= ensure_policy(module, client, settings)
    changed |= ensure_tags(module, client, settings)
    return result(module, changed, settings, before=before, after=s3.describe(params["name"], settings))


def main():
    lifecycle_rule = dict(
        id=dict(type="str", required=True),
        prefix=dict(type="str", default=""),
        expiration_days=dict(type="int"),
        noncurrent_version_expiration_days=dict(type="int"),
        abort_incomplete_multipart_upload_days=dict(type="int"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        encryption=dict(type="str", choices=list(s3.ENCRYPTIONS), default="AES256"),
        kms_key_id=dict(type="str", no_log=False),
        object_ownership=dict(type="str", choices=list(s3.OWNERSHIPS), default="BucketOwnerEnforced"),
        versioning=dict(type="bool", default=False),
        lifecycle_rules=dict(type="list", elements="dict", options=lifecycle_rule),
        policy=dict(type="dict"),
        force=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()

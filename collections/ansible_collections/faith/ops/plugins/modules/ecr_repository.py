#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ecr_repository
version_added: 0.2.0
short_description: Manage an ECR repository with image scanning, tag immutability and a lifecycle policy
description:
  - Creates, updates or deletes one Amazon ECR private repository, identified by O(name).
  - Tag mutability, scan on push, the lifecycle policy and tags are corrected in place; the encryption
    of an existing repository cannot be changed by ECR, so a different O(encryption_type) or O(kms_key)
    fails before any write.
  - The lifecycle policy is either stated whole (O(lifecycle_policy)) or derived from O(keep_images) and
    O(expire_untagged_after_days).
  - Supports check mode and diff mode. A no-op run makes three read calls and no write.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Repository name, lowercase, optionally with C(/)-separated namespaces (V(faith/motivator)).
    type: str
    required: true
  state:
    description:
      - Whether the repository should exist.
    type: str
    choices: [present, absent]
    default: present
  image_tag_mutability:
    description:
      - V(IMMUTABLE) refuses to overwrite a pushed tag, so a version always names the same image.
    type: str
    choices: [MUTABLE, IMMUTABLE]
    default: IMMUTABLE
  scan_on_push:
    description:
      - Scan every pushed image for known vulnerabilities (basic scanning).
    type: bool
    default: true
  encryption_type:
    description:
      - Encryption at rest, set when the repository is created.
    type: str
    choices: [AES256, KMS]
    default: AES256
  kms_key:
    description:
      - KMS key ARN or id with O(encryption_type=KMS); the AWS managed key C(aws/ecr) when omitted.
    type: str
  keep_images:
    description:
      - Expire all but the newest O(keep_images) images (1 to 1000).
      - Ignored when O(lifecycle_policy) is given.
    type: int
  expire_untagged_after_days:
    description:
      - Expire untagged images this many days after they were pushed (1 to 3650).
    type: int
  lifecycle_policy:
    description:
      - The whole lifecycle policy document (a dict with C(rules)). Mutually exclusive with
        O(keep_images) and O(expire_untagged_after_days).
      - When no lifecycle option is given, an existing policy is removed.
    type: dict
  force_delete:
    description:
      - With O(state=absent), delete the repository even when it still holds images.
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
- name: Ensure the app's image repository exists
  faith.ops.ecr_repository:
    name: faith-motivator
    image_tag_mutability: IMMUTABLE
    scan_on_push: true
    keep_images: 30
    expire_untagged_after_days: 7
    tags:
      Application: faith-chatbot

- name: Remove the repository and every image in it
  faith.ops.ecr_repository:
    name: faith-motivator
    state: absent
    force_delete: true
"""

RETURN = r"""
repository:
  description: The repository as it is (or, in check mode, would be) after the run; empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Repository name.
      returned: when present
      type: str
      sample: faith-motivator
    arn:
      description: Repository ARN; C((known after apply)) in check mode when it would be created.
      returned: when present
      type: str
      sample: arn:aws:ecr:us-east-1:123456789012:repository/faith-motivator
    repository_uri:
      description: URI to push to and pull from; C((known after apply)) in check mode when it would be created.
      returned: when present
      type: str
      sample: 123456789012.dkr.ecr.us-east-1.amazonaws.com/faith-motivator
    image_tag_mutability:
      description: V(MUTABLE) or V(IMMUTABLE).
      returned: when present
      type: str
      sample: IMMUTABLE
    scan_on_push:
      description: Whether pushed images are scanned.
      returned: when present
      type: bool
      sample: true
    encryption_type:
      description: V(AES256) or V(KMS).
      returned: when present
      type: str
      sample: AES256
    lifecycle_policy:
      description: The lifecycle policy document, or null.
      returned: when present
      type: dict
      sample: {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
               "action": {"type": "expire"}}]}
    tags:
      description: Tags of the repository.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: What was done, or in check mode what would be done.
  returned: always
  type: list
  elements: str
  sample: ["create repository faith-motivator", "put lifecycle policy"]
diff:
  description: Normalised repository before and after, in diff mode.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"scan_on_push": false}, "after": {"scan_on_push": true}}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecr import api
from ansible_collections.faith.ops.plugins.module_utils.ecr import transformations as ecr
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def desired_policy(params):
    if params["lifecycle_policy"] is not None:
        return params["lifecycle_policy"]
    return ecr.lifecycle_policy(params["keep_images"], params["expire_untagged_after_days"])


def ensure_repository(module, client, state):
    """Create the repository when it is missing; True when it was (or would be) created."""
    params = module.params
    if state["repository"] is not None:
        return False
    module.record(f"create repository {params['name']}")
    if module.check_mode:
        state["repository"] = {
            "repositoryName": params["name"],
            "repositoryArn": UNKNOWN,
            "repositoryUri": UNKNOWN,
            "imageTagMutability": params["image_tag_mutability"],
            "imageScanningConfiguration": {"scanOnPush": params["scan_on_push"]},
            "encryptionConfiguration": ecr.encryption(params["encryption_type"], params["kms_key"]),
        }
    else:
        state["repository"] = api.create_repository(
            client,
            params["name"],
            params["image_tag_mutability"],
            params["scan_on_push"],
            ecr.encryption(params["encryption_type"], params["kms_key"]),
            params["tags"],
        )
    state["tags"] = dict(params["tags"] or {})
    return True


def ensure_settings(module, client, state):
    """Tag mutability and scan on push; True when either changed."""
    params = module.params
    repository = state["repository"]
    changed = False
    if repository.get("imageTagMutability") != params["image_tag_mutability"]:
        module.record(f"set image tag mutability to {params['image_tag_mutability']}")
        if not module.check_mode:
            api.put_image_tag_mutability(client, params["name"], params["image_tag_mutability"])
        repository["imageTagMutability"] = params["image_tag_mutability"]
        changed = True
    if bool(repository.get("imageScanningConfiguration", {}).get("scanOnPush")) != params["scan_on_push"]:
        module.record(f"set scan on push to {params['scan_on_push']}")
        if not module.check_mode:
            api.put_image_scanning_configuration(client, params["name"], params["scan_on_push"])
        repository["imageScanningConfiguration"] = {"scanOnPush": params["scan_on_push"]}
        changed = True
    return changed


def ensure_lifecycle(module, client, state, desired):
    if state["lifecycle"] == desired:
        return False
    name = module.params["name"]
    if desired is None:
        module.record("delete lifecycle policy")
        if not module.check_mode:
            api.delete_lifecycle_policy(client, name)
    else:
        module.record("put lifecycle policy")
        if not module.check_mode:
            api.put_lifecycle_policy(client, name, desired)
    state["lifecycle"] = desired
    return True


def ensure_tags(module, client, state):
    params = module.params
    to_set, to_remove = tag_changes(state["tags"], params["tags"], params["purge_tags"])
    if not (to_set or to_remove):
        return False
    state["tags"] = merged_tags(state["tags"], params["tags"], params["purge_tags"])
    arn = state["repository"]["repositoryArn"]
    if to_set:
        module.record(f"tag repository ({', '.join(sorted(to_set))})")
        if not module.check_mode:
            api.tag_repository(client, arn, to_set)
    if to_remove:
        module.record(f"untag repository ({', '.join(sorted(to_remove))})")
        if not module.check_mode:
            api.untag_repository(client, arn, to_remove)
    return True


def view(state):
    return ecr.describe(state["repository"], state["lifecycle"], state["tags"])


def ensure(module):
    params = module.params
    ecr.validate(params)
    validate_tags(params["tags"])
    client = module.client("ecr")
    repository = api.repository(client, params["name"])
    state = {"repository": repository, "lifecycle": None, "tags": {}}
    if repository is not None:
        state["lifecycle"] = api.lifecycle_policy(client, params["name"])
        state["tags"] = api.tags(client, repository["repositoryArn"])
    before = view(state)

    if params["state"] == "absent":
        if repository is None:
            return module.result(False, "repository", {})
        module.record(f"delete repository {params['name']}")
        if not module.check_mode:
            api.delete_repository(client, params["name"], params["force_delete"])
        return module.result(True, "repository", {}, before=ecr.comparable(before), after={})

    desired_encryption = ecr.encryption(params["encryption_type"], params["kms_key"])
    if repository is not None:
        conflict = ecr.encryption_conflict(repository.get("encryptionConfiguration"), desired_encryption)
        if conflict:
            raise OptionError("encryption_type", f"{conflict}; delete the repository (state=absent) to recreate it")

    changed = ensure_repository(module, client, state)
    changed |= ensure_settings(module, client, state)
    changed |= ensure_lifecycle(module, client, state, desired_policy(params))
    if repository is not None:
        changed |= ensure_tags(module, client, state)
    after = view(state)
    return module.result(changed, "repository", after, before=ecr.comparable(before), after=ecr.comparable(after))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        image_tag_mutability=dict(type="str", choices=["MUTABLE", "IMMUTABLE"], default="IMMUTABLE"),
        scan_on_push=dict(type="bool", default=True),
        encryption_type=dict(type="str", choices=["AES256", "KMS"], default="AES256"),
        kms_key=dict(type="str", no_log=False),
        keep_images=dict(type="int"),
        expire_untagged_after_days=dict(type="int"),
        lifecycle_policy=dict(type="dict"),
        force_delete=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(ensure)


if __name__ == "__main__":
    main()

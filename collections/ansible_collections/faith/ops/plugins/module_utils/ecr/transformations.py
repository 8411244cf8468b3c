# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECR repositories: validation, the lifecycle policy and the module's view (pure functions)."""

from __future__ import annotations

import re

from ..validation import OptionError

# ECR repository names: lowercase path segments, 2 to 256 characters.
_NAME = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
MAX_NAME = 256
MAX_RULES_IMAGES = 1000


def validate(params):
    """Reject values ECR would refuse, before the first call."""
    name = params["name"]
    if not 2 <= len(name) <= MAX_NAME or not _NAME.fullmatch(name):
        raise OptionError(
            "name", f"{name!r} is not an ECR repository name: 2 to {MAX_NAME} lowercase letters, digits and ._- in /-separated segments"
        )
    if params["state"] == "absent":
        return
    if params["encryption_type"] == "AES256" and params["kms_key"]:
        raise OptionError("kms_key", "needs encryption_type=KMS; AES256 encryption takes no key")
    keep = params["keep_images"]
    if keep is not None and not 1 <= keep <= MAX_RULES_IMAGES:
        raise OptionError("keep_images", f"{keep} is outside 1 to {MAX_RULES_IMAGES}")
    untagged = params["expire_untagged_after_days"]
    if untagged is not None and not 1 <= untagged <= 3650:
        raise OptionError("expire_untagged_after_days", f"{untagged} is outside 1 to 3650 days")
    if params["lifecycle_policy"] is not None and (keep is not None or untagged is not None):
        raise OptionError("lifecycle_policy", "states the whole policy; leave keep_images and expire_untagged_after_days unset with it")


def lifecycle_policy(keep_images, expire_untagged_after_days):
    """The lifecycle policy for the simple options, or None when neither rule is asked for.

    Untagged images (layers of superseded builds) expire first; then only the newest
    ``keep_images`` images are kept, so every release a rollback may need is still there.
    """
    rules = []
    if expire_untagged_after_days is not None:
        rules.append(
            {
                "rulePriority": len(rules) + 1,
                "description": f"Expire untagged images after {expire_untagged_after_days} days",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": expire_untagged_after_days,
                },
                "action": {"type": "expire"},
            }
        )
    if keep_images is not None:
        # ECR allows tagStatus "any" only in the rule evaluated last, which this one is.
        rules.append(
            {
                "rulePriority": len(rules) + 1,
                "description": f"Keep the newest {keep_images} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_images},
                "action": {"type": "expire"},
            }
        )
    return {"rules": rules} if rules else None


def encryption(encryption_type, kms_key):
    config = {"encryptionType": encryption_type}
    if encryption_type == "KMS" and kms_key:
        config["kmsKey"] = kms_key
    return config


def encryption_conflict(current, desired):
    """A message when the repository's encryption differs from ``desired`` (ECR cannot change it), else None."""
    have = (current or {}).get("encryptionType", "AES256")
    if have != desired["encryptionType"]:
        return f"the repository is encrypted with {have}; ECR cannot change the encryption of an existing repository"
    if desired.get("kmsKey") and (current or {}).get("kmsKey") not in (desired["kmsKey"], None):
        return f"the repository uses KMS key {current.get('kmsKey')}; ECR cannot change it"
    return None


def describe(repository, lifecycle, tags):
    """The module's view of a repository: what ``ecr_repository`` returns and diffs."""
    if not repository:
        return {}
    return {
        "name": repository["repositoryName"],
        "arn": repository.get("repositoryArn"),
        "repository_uri": repository.get("repositoryUri"),
        "image_tag_mutability": repository.get("imageTagMutability", "MUTABLE"),
        "scan_on_push": bool(repository.get("imageScanningConfiguration", {}).get("scanOnPush", False)),
        "encryption_type": repository.get("encryptionConfiguration", {}).get("encryptionType", "AES256"),
        "lifecycle_policy": lifecycle,
        "tags": dict(tags or {}),
    }


def comparable(view):
    """The view without what AWS assigns (ARN, URI), for the diff."""
    return {key: value for key, value in view.items() if key not in ("arn", "repository_uri")}

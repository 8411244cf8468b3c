# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.ecr import transformations as ecr
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def params(**overrides):
    base = dict(
        name="faith-motivator", state="present", encryption_type="AES256", kms_key=None,
        keep_images=30, expire_untagged_after_days=7, lifecycle_policy=None,
    )
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, option",
    [
        (dict(name="Faith"), "name"),
        (dict(name="a"), "name"),
        (dict(name="faith//motivator"), "name"),
        (dict(kms_key="alias/aws/ecr"), "kms_key"),
        (dict(keep_images=0), "keep_images"),
        (dict(keep_images=1001), "keep_images"),
        (dict(expire_untagged_after_days=0), "expire_untagged_after_days"),
        (dict(lifecycle_policy={"rules": []}), "lifecycle_policy"),
    ],
)
def test_values_ecr_refuses_are_rejected_with_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        ecr.validate(params(**overrides))
    assert raised.value.option == option


def test_namespaced_names_are_accepted():
    ecr.validate(params(name="faith/motivator-app_1.0"))


def test_absent_only_checks_the_name():
    ecr.validate(params(state="absent", keep_images=0))


def test_the_lifecycle_policy_expires_untagged_images_first_and_keeps_the_newest():
    policy = ecr.lifecycle_policy(30, 7)
    assert [rule["rulePriority"] for rule in policy["rules"]] == [1, 2]
    assert policy["rules"][0]["selection"] == {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7}
    # "any" must be the rule evaluated last, which ECR requires.
    assert policy["rules"][1]["selection"] == {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30}
    assert all(rule["action"] == {"type": "expire"} for rule in policy["rules"])


def test_no_lifecycle_option_means_no_policy():
    assert ecr.lifecycle_policy(None, None) is None
    assert ecr.lifecycle_policy(5, None)["rules"][0]["rulePriority"] == 1


def test_encryption_cannot_change_on_an_existing_repository():
    assert ecr.encryption_conflict({"encryptionType": "AES256"}, ecr.encryption("AES256", None)) is None
    assert "cannot change" in ecr.encryption_conflict({"encryptionType": "AES256"}, ecr.encryption("KMS", None))
    assert "KMS key" in ecr.encryption_conflict({"encryptionType": "KMS", "kmsKey": "arn:a"}, ecr.encryption("KMS", "arn:b"))


def test_the_view_leaves_aws_assigned_fields_out_of_the_diff():
    repository = {
        "repositoryName": "faith-motivator",
        "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/faith-motivator",
        "repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/faith-motivator",
        "imageTagMutability": "IMMUTABLE",
        "imageScanningConfiguration": {"scanOnPush": True},
        "encryptionConfiguration": {"encryptionType": "AES256"},
    }
    view = ecr.describe(repository, None, {"Application": "faith-chatbot"})
    assert view["repository_uri"].endswith("/faith-motivator")
    assert ecr.comparable(view) == {
        "name": "faith-motivator",
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_type": "AES256",
        "lifecycle_policy": None,
        "tags": {"Application": "faith-chatbot"},
    }
    assert ecr.describe(None, None, None) == {}

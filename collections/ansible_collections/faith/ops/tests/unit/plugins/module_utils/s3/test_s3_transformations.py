# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.s3 import transformations as s3
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

RULES = [{"id": "expire-logs", "prefix": "", "expiration_days": 90, "noncurrent_version_expiration_days": None, "abort_incomplete_multipart_upload_days": 7}]


def params(**overrides):
    base = dict(name="aws-waf-logs-faith-chatbot-production", state="present", encryption="AES256", kms_key_id=None, lifecycle_rules=RULES, policy=None)
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "name",
    ["ab", "Faith-logs", "-faith", "faith..logs", "faith.-logs", "192.168.1.1", "xn--faith", "faith-s3alias", "a" * 64],
)
def test_bucket_names_s3_refuses_are_rejected(name):
    with pytest.raises(OptionError) as raised:
        s3.validate_name(name)
    assert raised.value.option == "name"


@pytest.mark.parametrize(
    "overrides, option",
    [
        (dict(kms_key_id="alias/aws/s3"), "kms_key_id"),
        (dict(lifecycle_rules=[{"id": "nothing"}]), "lifecycle_rules[0]"),
        (dict(lifecycle_rules=[dict(RULES[0], expiration_days=0)]), "lifecycle_rules[0].expiration_days"),
        (dict(lifecycle_rules=RULES + RULES), "lifecycle_rules[1].id"),
        (dict(policy={"Version": "2012-10-17"}), "policy"),
    ],
)
def test_settings_s3_refuses_are_rejected_with_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        s3.validate(params(**overrides))
    assert raised.value.option == option


def test_lifecycle_rules_have_the_shape_s3_takes_and_read_back_the_same():
    rules = s3.lifecycle_rules(RULES)
    model = get_session().get_service_model("s3").operation_model("PutBucketLifecycleConfiguration").input_shape
    report = ParamValidator().validate({"Bucket": "b", "LifecycleConfiguration": {"Rules": rules}}, model)
    assert not report.has_errors(), report.generate_report()
    assert s3.describe_lifecycle(rules) == [
        {"id": "expire-logs", "prefix": "", "enabled": True, "expiration_days": 90, "abort_incomplete_multipart_upload_days": 7}
    ]


def test_policies_compare_whatever_form_aws_returns_them_in():
    declared = {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::b/*"],
                                                        "Principal": {"Service": "delivery.logs.amazonaws.com"}}]}
    returned = {"Statement": [{"Resource": "arn:aws:s3:::b/*", "Action": "s3:PutObject", "Effect": "Allow", "Sid": "A",
                               "Principal": {"Service": ["delivery.logs.amazonaws.com"]}}], "Version": "2012-10-17"}
    assert s3.normalise_policy(declared) == s3.normalise_policy(returned)
    returned["Statement"][0]["Action"] = "s3:GetObject"
    assert s3.normalise_policy(declared) != s3.normalise_policy(returned)


def test_encryption_is_read_as_algorithm_and_key():
    assert s3.describe_encryption(s3.encryption_configuration("AES256", None)) == ("AES256", None)
    assert s3.describe_encryption(s3.encryption_configuration("aws:kms", "arn:aws:kms:us-east-1:1:key/k")) == ("aws:kms", "arn:aws:kms:us-east-1:1:key/k")
    assert s3.describe_encryption(None) == (None, None)


def test_a_missing_bucket_has_an_empty_view():
    assert s3.describe("b", None) == {}
    view = s3.describe("b", {"versioning": "Suspended", "tags": {"A": "b"}})
    assert view["versioning"] is False
    assert view["lifecycle_rules"] == []

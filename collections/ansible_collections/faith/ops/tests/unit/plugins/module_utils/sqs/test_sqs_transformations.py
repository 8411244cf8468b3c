# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import applied_attributes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import attribute_changes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import desired_attributes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import queue_view
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import validate_queue
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:q-dlq"
# What GetQueueAttributes(All) returns for a queue created with the role's settings.
CURRENT = {
    "QueueArn": "arn:aws:sqs:us-east-1:123456789012:q",
    "ApproximateNumberOfMessages": "0",
    "CreatedTimestamp": "1700000000",
    "VisibilityTimeout": "60",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "20",
    "DelaySeconds": "0",
    "MaximumMessageSize": "262144",
    "SqsManagedSseEnabled": "true",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": 5}),
}


def params(**overrides):
    base = dict(name="q", state="present", visibility_timeout=60, message_retention_seconds=345600, receive_wait_seconds=20,
                delay_seconds=None, max_message_size=None, kms_master_key_id=None, kms_data_key_reuse_seconds=None,
                dead_letter_queue={"name": "q-dlq", "max_receive_count": 5, "message_retention_seconds": 1209600, "visibility_timeout": None})
    base.update(overrides)
    return base


def desired(**overrides):
    values = params(**overrides)
    return desired_attributes(values, values["kms_master_key_id"], values["kms_data_key_reuse_seconds"], DLQ_ARN, 5)


def test_converged_queue_has_no_changes():
    assert attribute_changes(CURRENT, desired()) == {}


def test_redrive_policy_compared_parsed():
    current = dict(CURRENT, RedrivePolicy=json.dumps({"maxReceiveCount": "5", "deadLetterTargetArn": DLQ_ARN}))
    assert attribute_changes(current, desired()) == {}


def test_drift_is_found_and_removals_are_empty_strings():
    current = dict(CURRENT, MessageRetentionPeriod="3600")
    assert attribute_changes(current, desired()) == {"MessageRetentionPeriod": "345600"}
    no_dlq = desired_attributes(params(), None, None)
    assert attribute_changes(CURRENT, no_dlq) == {"RedrivePolicy": ""}
    with_key = dict(CURRENT, KmsMasterKeyId="alias/aws/sqs")
    assert attribute_changes(with_key, desired())["KmsMasterKeyId"] == ""


def test_left_out_settings_mean_the_sqs_default():
    attributes = desired_attributes(params(visibility_timeout=None), None, None)
    assert attributes["VisibilityTimeout"] == "30"
    assert attributes["SqsManagedSseEnabled"] == "true"
    keyed = desired_attributes(params(), "alias/app", None)
    assert keyed["KmsMasterKeyId"] == "alias/app"
    assert keyed["KmsDataKeyReusePeriodSeconds"] == "300"
    assert "SqsManagedSseEnabled" not in keyed


def test_view_and_applied_attributes():
    view = queue_view("q", CURRENT, {"a": "b"})
    assert view["message_retention_seconds"] == 345600
    assert view["redrive_policy"] == {"dead_letter_queue": "q-dlq", "max_receive_count": 5}
    assert view["sqs_managed_sse"] is True
    applied = applied_attributes(CURRENT, desired_attributes(params(), None, None))
    assert "RedrivePolicy" not in applied
    planned = queue_view("q", desired_attributes(params(), None, None, "(known after apply)", 5), {})
    assert planned["redrive_policy"]["dead_letter_queue"] == "(known after apply)"
    assert queue_view("q", None, {}) == {}


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": "q.fifo"}, "name"),
        ({"message_retention_seconds": 30}, "message_retention_seconds"),
        ({"visibility_timeout": 43201}, "visibility_timeout"),
        ({"receive_wait_seconds": 21}, "receive_wait_seconds"),
        ({"kms_data_key_reuse_seconds": 10}, "kms_data_key_reuse_seconds"),
        ({"dead_letter_queue": {"name": "q", "max_receive_count": 5}}, "dead_letter_queue.name"),
        ({"dead_letter_queue": {"name": "q-dlq", "max_receive_count": None}}, "dead_letter_queue.max_receive_count"),
        ({"dead_letter_queue": {"name": "q-dlq", "max_receive_count": 1001}}, "dead_letter_queue.max_receive_count"),
        ({"dead_letter_queue": {"name": "q-dlq", "max_receive_count": 5, "message_retention_seconds": 3600}}, "dead_letter_queue.message_retention_seconds"),
    ],
)
def test_invalid_queues_name_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        validate_queue(params(**overrides))
    assert raised.value.option == option


def test_absent_checks_only_the_name():
    validate_queue(params(state="absent", message_retention_seconds=1))

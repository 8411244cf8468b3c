# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""log_group against botocore's Stubber: changing the KMS key of an existing group.

The emulator stores a key given at creation but implements neither AssociateKmsKey nor
DisassociateKmsKey, so those paths are proven here against the API's shapes.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.modules import log_group

NAME = "/ecs/faith-chatbot-test"
ARN = f"arn:aws:logs:us-east-1:123456789012:log-group:{NAME}:*"
OLD_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111"
NEW_KEY = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222"
TAGS = {"Application": "faith-chatbot"}


class FakeModule:
    """What log_group uses of FaithAWSModule, with a Stubber-backed client."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, client, check_mode=False, **overrides):
        self.params = dict(name=NAME, state="present", retention_days=30, kms_key_id=NEW_KEY, tags=TAGS, purge_tags=True)
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.client_ = client

    def client(self, service):
        assert service == "logs"
        return self.client_


@pytest.fixture
def logs():
    client = boto3.client("logs", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def expect_reads(stubber, kms_key_id):
    group = {"logGroupName": NAME, "arn": ARN, "retentionInDays": 30, "creationTime": 1700000000000, "storedBytes": 0}
    if kms_key_id:
        group["kmsKeyId"] = kms_key_id
    stubber.add_response("describe_log_groups", {"logGroups": [group]}, {"logGroupNamePrefix": NAME})
    stubber.add_response("list_tags_log_group", {"tags": TAGS}, {"logGroupName": NAME})


def test_a_new_key_is_associated(logs):
    client, stubber = logs
    expect_reads(stubber, OLD_KEY)
    stubber.add_response("associate_kms_key", {}, {"logGroupName": NAME, "kmsKeyId": NEW_KEY})
    result = log_group.run(FakeModule(client))
    assert result["changed"] is True
    assert result["diff"]["before"]["kms_key_id"] == OLD_KEY
    assert result["diff"]["after"]["kms_key_id"] == NEW_KEY


def test_no_key_declared_disassociates_the_current_one(logs):
    client, stubber = logs
    expect_reads(stubber, OLD_KEY)
    stubber.add_response("disassociate_kms_key", {}, {"logGroupName": NAME})
    module = FakeModule(client, kms_key_id=None)
    result = log_group.run(module)
    assert result["changed"] is True
    assert module.actions == [f"disassociate KMS key of {NAME}"]


def test_check_mode_reports_the_key_change_and_calls_nothing_else(logs):
    client, stubber = logs
    expect_reads(stubber, OLD_KEY)
    module = FakeModule(client, check_mode=True)
    result = log_group.run(module)
    assert result["changed"] is True
    assert module.actions == [f"associate KMS key {NEW_KEY} with {NAME}"]


def test_the_same_key_changes_nothing(logs):
    client, stubber = logs
    expect_reads(stubber, NEW_KEY)
    result = log_group.run(FakeModule(client))
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]

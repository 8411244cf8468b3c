# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""secret against botocore's Stubber: a secret scheduled for deletion, and values never shown."""

from __future__ import annotations

import datetime
import json

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.modules import secret

NAME = "faith-chatbot-test/config"
ARN = f"arn:aws:secretsmanager:us-east-1:123456789012:secret:{NAME}-AbCdEf"
VALUE = {"session_secret": "a-value-that-must-never-be-returned-0001"}
DESCRIPTION = "Secret settings of faith-chatbot (test)"


class FakeModule:
    """What secret uses of FaithAWSModule, with a Stubber-backed client."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, client, check_mode=False, **overrides):
        self.params = dict(name=NAME, state="present", description=DESCRIPTION, kms_key_id=None, secret=None, json_secret=VALUE,
                           recovery_window_days=30, tags=None, purge_tags=True)
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.client_ = client

    def client(self, service):
        assert service == "secretsmanager"
        return self.client_


@pytest.fixture
def secrets():
    client = boto3.client("secretsmanager", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def described(**fields):
    base = {"ARN": ARN, "Name": NAME, "Description": DESCRIPTION}
    base.update(fields)
    return base


def test_a_secret_pending_deletion_is_restored_and_its_value_stored_again(secrets):
    client, stubber = secrets
    stubber.add_response("describe_secret", described(DeletedDate=datetime.datetime(2026, 1, 1)), {"SecretId": NAME})
    stubber.add_response("restore_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN})
    stubber.add_response("put_secret_value", {"ARN": ARN, "Name": NAME, "VersionId": "2c6b7e1a-4f4d-4b0e-9d35-0f3f3e0c7a11"},
                         {"SecretId": ARN, "SecretString": json.dumps(VALUE, sort_keys=True, separators=(",", ":")), "ClientRequestToken": ANY})
    module = FakeModule(client)
    result = secret.run(module)
    assert result["changed"] is True
    assert module.actions == [f"restore secret {NAME}, which was scheduled for deletion", f"store a new value of secret {NAME}"]
    assert VALUE["session_secret"] not in json.dumps(result)


def test_an_unchanged_value_is_compared_without_being_returned(secrets):
    client, stubber = secrets
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    # Stored with other spacing and key order: the same document.
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "SecretString": json.dumps(VALUE, indent=2)}, {"SecretId": ARN})
    result = secret.run(FakeModule(client))
    assert result["changed"] is False
    assert result["diff"]["before"]["value"] == "(hidden; matches)"
    assert VALUE["session_secret"] not in json.dumps(result)


def test_check_mode_on_a_changed_value_writes_nothing_and_shows_markers(secrets):
    client, stubber = secrets
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("get_secret_value", {"ARN": ARN, "Name": NAME, "SecretString": '{"session_secret": "old-value"}'}, {"SecretId": ARN})
    module = FakeModule(client, check_mode=True)
    result = secret.run(module)
    assert result["changed"] is True
    assert (result["diff"]["before"]["value"], result["diff"]["after"]["value"]) == ("(hidden; stored value)", "(hidden; declared value)")
    assert "old-value" not in json.dumps(result)
    assert VALUE["session_secret"] not in json.dumps(result)


def test_absent_keeps_a_secret_already_scheduled_for_deletion(secrets):
    client, stubber = secrets
    stubber.add_response("describe_secret", described(DeletedDate=datetime.datetime(2026, 1, 1)), {"SecretId": NAME})
    result = secret.run(FakeModule(client, state="absent"))
    assert result["changed"] is False


def test_absent_without_recovery_forces_the_deletion(secrets):
    client, stubber = secrets
    stubber.add_response("describe_secret", described(), {"SecretId": NAME})
    stubber.add_response("delete_secret", {"ARN": ARN, "Name": NAME}, {"SecretId": ARN, "ForceDeleteWithoutRecovery": True})
    module = FakeModule(client, state="absent", recovery_window_days=0)
    assert secret.run(module)["changed"] is True
    assert module.actions == [f"delete secret {NAME} without recovery"]

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""account_info against botocore's Stubber: one read, partition taken from the caller's ARN."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import AWSActionError
from ansible_collections.faith.ops.plugins.modules import account_info


class FakeModule:
    def __init__(self, client, region="cn-north-1"):
        self.region = region
        self._client = client

    def client(self, service):
        assert service == "sts"
        return self._client


def test_the_account_and_partition_come_from_one_identity_read():
    client = boto3.client("sts", region_name="cn-north-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        stubber.add_response(
            "get_caller_identity",
            {"UserId": "AIDAEXAMPLE", "Account": "123456789012", "Arn": "arn:aws-cn:iam::123456789012:user/deployer"},
            {},
        )
        result = account_info.read(FakeModule(client))
        stubber.assert_no_pending_responses()
    assert result == {
        "changed": False,
        "account_id": "123456789012",
        "partition": "aws-cn",
        "region": "cn-north-1",
        "caller_arn": "arn:aws-cn:iam::123456789012:user/deployer",
    }


def test_a_refused_identity_read_names_what_failed():
    client = boto3.client("sts", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        stubber.add_client_error("get_caller_identity", "ExpiredToken", "The security token included in the request is expired")
        with pytest.raises(AWSActionError) as raised:
            account_info.read(FakeModule(client, "us-east-1"))
    assert raised.value.action == "read the caller's identity"

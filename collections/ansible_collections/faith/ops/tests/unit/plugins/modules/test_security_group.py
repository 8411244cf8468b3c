# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""security_group against botocore's Stubber: the real EC2 request and response shapes.

The emulator drops the descriptions of prefix-list rules and ignores description updates of
rules that reference another group; these paths are proven here against AWS's shapes.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import security_group

VPC = "vpc-0123456789abcdef0"
ALB_GROUP = "sg-0aaaaaaaaaaaaaaaa"
TASK_GROUP = "sg-0bbbbbbbbbbbbbbbb"
PREFIX_LIST = "pl-0123456789abcdef0"
TAGS = {"Application": "faith-chatbot"}
VPC_FILTER = {"Filters": [{"Name": "vpc-id", "Values": [VPC]}]}


class FakeModule:
    """What security_group uses of FaithAWSModule, with a Stubber-backed EC2 client."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, client, check_mode=False, **overrides):
        self.params = dict(
            name="tasks",
            vpc_id=VPC,
            description="Faith chatbot tasks",
            rules=[{"protocol": "tcp", "from_port": 8000, "to_port": None, "group_name": "alb", "description": "App port from the ALB"}],
            rules_egress=[{"protocol": "tcp", "from_port": 443, "to_port": None, "prefix_list_id": PREFIX_LIST, "description": "S3"}],
            purge_rules=True,
            purge_rules_egress=True,
            tags=TAGS,
            purge_tags=True,
            state="present",
        )
        for key in ("rules", "rules_egress"):
            self.params[key] = [dict(dict.fromkeys(security_group._rule_options()), **item) for item in self.params[key]]
        self.params.update(overrides)
        self.check_mode = check_mode
        self.region = "us-east-1"
        self._diff = True
        self.actions = []
        self.warnings = []
        self._client = client

    def client(self, service):
        assert service == "ec2"
        return self._client

    def warn(self, message):
        self.warnings.append(message)


@pytest.fixture
def ec2():
    client = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def alb_group():
    return {
        "GroupId": ALB_GROUP,
        "GroupName": "alb",
        "Description": "ALB",
        "VpcId": VPC,
        "OwnerId": "123456789012",
        "IpPermissions": [],
        "IpPermissionsEgress": [],
    }


def task_group(ingress_description="App port from the ALB", tags=None):
    """DescribeSecurityGroups as AWS answers it for the managed group, descriptions included."""
    return {
        "GroupId": TASK_GROUP,
        "GroupName": "tasks",
        "Description": "Faith chatbot tasks",
        "VpcId": VPC,
        "OwnerId": "123456789012",
        "IpPermissions": [
            {
                "IpProtocol": "tcp",
                "FromPort": 8000,
                "ToPort": 8000,
                "UserIdGroupPairs": [{"GroupId": ALB_GROUP, "UserId": "123456789012", "Description": ingress_description}],
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
            }
        ],
        "IpPermissionsEgress": [
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "UserIdGroupPairs": [],
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [{"PrefixListId": PREFIX_LIST, "Description": "S3"}],
            }
        ],
        "Tags": [{"Key": key, "Value": value} for key, value in (tags or TAGS).items()],
    }


def test_an_unchanged_group_costs_one_read_and_no_write(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group(), task_group()]}, VPC_FILTER)
    module = FakeModule(client)
    result = security_group.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["security_group"]["rules"] == [
        {"protocol": "tcp", "from_port": 8000, "to_port": 8000, "group_id": ALB_GROUP, "description": "App port from the ALB"}
    ]
    assert result["security_group"]["rules_egress"] == [
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "prefix_list_id": PREFIX_LIST, "description": "S3"}
    ]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_a_group_reference_description_is_updated_in_place(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group(), task_group(ingress_description="old")]}, VPC_FILTER)
    stubber.add_response(
        "update_security_group_rule_descriptions_ingress",
        {"Return": True},
        {
            "GroupId": TASK_GROUP,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": ALB_GROUP, "Description": "App port from the ALB"}]}
            ],
        },
    )
    module = FakeModule(client)
    result = security_group.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["update the description of 1 ingress rule(s)"]


def test_a_new_group_replaces_the_default_egress_and_authorises_before_revoking(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group()]}, VPC_FILTER)
    stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": VPC, "CidrBlock": "10.0.0.0/16"}]}, {"VpcIds": [VPC]})
    stubber.add_response(
        "create_security_group",
        {"GroupId": TASK_GROUP},
        {
            "GroupName": "tasks",
            "Description": "Faith chatbot tasks",
            "VpcId": VPC,
            "TagSpecifications": [{"ResourceType": "security-group", "Tags": [{"Key": "Application", "Value": "faith-chatbot"}]}],
        },
    )
    created = dict(
        task_group(),
        IpPermissions=[],
        IpPermissionsEgress=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
    )
    stubber.add_response("describe_security_groups", {"SecurityGroups": [created]}, {"GroupIds": [TASK_GROUP]})
    stubber.add_response(
        "authorize_security_group_ingress",
        {"Return": True},
        {
            "GroupId": TASK_GROUP,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "UserIdGroupPairs": [{"GroupId": ALB_GROUP, "Description": "App port from the ALB"}]}
            ],
        },
    )
    stubber.add_response(
        "authorize_security_group_egress",
        {"Return": True},
        {
            "GroupId": TASK_GROUP,
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": PREFIX_LIST, "Description": "S3"}]}],
        },
    )
    stubber.add_response(
        "revoke_security_group_egress",
        {"Return": True},
        {"GroupId": TASK_GROUP, "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
    )
    module = FakeModule(client)
    result = security_group.ensure(module)
    assert result["changed"] is True
    assert result["security_group"]["group_id"] == TASK_GROUP
    assert module.actions == [
        "create security group tasks",
        "authorize 1 ingress rule(s)",
        "authorize 1 egress rule(s)",
        "revoke 1 egress rule(s)",
    ]


def test_check_mode_reads_and_writes_nothing(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group()]}, VPC_FILTER)
    stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": VPC, "CidrBlock": "10.0.0.0/16"}]}, {"VpcIds": [VPC]})
    module = FakeModule(client, check_mode=True)
    result = security_group.ensure(module)
    assert result["changed"] is True
    assert result["security_group"]["group_id"] is None
    assert result["security_group"]["rules_egress"] == [
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "prefix_list_id": PREFIX_LIST, "description": "S3"}
    ]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_group_in_a_vpc_that_does_not_exist_fails_before_any_write(ec2, check_mode):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": []}, VPC_FILTER)
    stubber.add_client_error(
        "describe_vpcs", service_error_code="InvalidVpcID.NotFound", service_message=f"The vpc ID '{VPC}' does not exist", expected_params={"VpcIds": [VPC]}
    )
    module = FakeModule(client, check_mode=check_mode, rules=[], rules_egress=None)
    with pytest.raises(OptionError) as raised:
        security_group.ensure(module)
    assert raised.value.option == "vpc_id"
    assert f"VPC {VPC} does not exist in us-east-1" in str(raised.value)
    assert module.actions == []


def test_a_malformed_vpc_id_fails_before_any_call(ec2):
    with pytest.raises(OptionError) as raised:
        security_group.ensure(FakeModule(ec2[0], vpc_id="vpc-nothex"))
    assert raised.value.option == "vpc_id"
    assert "is not a VPC id" in str(raised.value)


def test_an_unknown_peer_fails_after_the_read_and_before_any_write(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [task_group()]}, VPC_FILTER)
    with pytest.raises(OptionError) as raised:
        security_group.ensure(FakeModule(client))
    assert raised.value.option == "rules[0].group_name"


def test_an_inverted_range_fails_before_any_call(ec2):
    client = ec2[0]
    rules = [dict(dict.fromkeys(security_group._rule_options()), protocol="tcp", from_port=8080, to_port=8000, cidr_ip="10.0.0.0/16")]
    with pytest.raises(OptionError) as raised:
        security_group.ensure(FakeModule(client, rules=rules))
    assert raised.value.option == "rules[0].to_port"


def test_tags_are_purged_and_a_changed_description_only_warns(ec2):
    client, stubber = ec2
    group = dict(task_group(tags={"Application": "faith-chatbot", "Owner": "someone"}), Description="Old words")
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group(), group]}, VPC_FILTER)
    stubber.add_response("delete_tags", {}, {"Resources": [TASK_GROUP], "Tags": [{"Key": "Owner"}]})
    module = FakeModule(client)
    result = security_group.ensure(module)
    assert result["changed"] is True
    assert result["security_group"]["tags"] == TAGS
    assert module.warnings and "cannot change the description" in module.warnings[0]


def test_absent_deletes_the_group_and_is_idempotent(ec2):
    client, stubber = ec2
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group(), task_group()]}, VPC_FILTER)
    stubber.add_response("delete_security_group", {}, {"GroupId": TASK_GROUP})
    stubber.add_response("describe_security_groups", {"SecurityGroups": [alb_group()]}, VPC_FILTER)
    first = security_group.ensure(FakeModule(client, state="absent"))
    second = security_group.ensure(FakeModule(client, state="absent"))
    assert (first["changed"], second["changed"]) == (True, False)
    assert first["diff"]["after"] == {}

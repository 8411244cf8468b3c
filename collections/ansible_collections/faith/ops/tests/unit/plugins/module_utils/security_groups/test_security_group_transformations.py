# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.security_groups import transformations as sg
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

VPC = "vpc-0123456789abcdef0"
ALB_GROUP = "sg-0aaaaaaaaaaaaaaaa"
TASK_GROUP = "sg-0bbbbbbbbbbbbbbbb"
GROUPS = [{"GroupName": "alb", "GroupId": ALB_GROUP}, {"GroupName": "default", "GroupId": "sg-0cccccccccccccccc"}]


def rule(**fields):
    base = dict(
        protocol="tcp", from_port=None, to_port=None, cidr_ip=None, cidr_ipv6=None, prefix_list_id=None, group_id=None, group_name=None, description=None
    )
    base.update(fields)
    return base


def atoms(*rules, option="rules"):
    return sg.validate_rules(list(rules), option)


@pytest.mark.parametrize(
    "fields, option, fragment",
    [
        (dict(from_port=9000, to_port=8000, cidr_ip="10.0.0.0/16"), "rules[0].to_port", "9000-8000 is inverted"),
        (dict(from_port=70000, cidr_ip="10.0.0.0/16"), "rules[0].from_port", "outside 0 to 65535"),
        (dict(cidr_ip="10.0.0.0/16"), "rules[0].from_port", "required for protocol 'tcp'"),
        (dict(protocol="all", from_port=80, cidr_ip="10.0.0.0/16"), "rules[0].from_port", "covers every port"),
        (dict(protocol="icmp", to_port=3, cidr_ip="10.0.0.0/16"), "rules[0].to_port", "needs a specific ICMP type"),
        (dict(protocol="icmp", from_port=300, cidr_ip="10.0.0.0/16"), "rules[0].from_port", "-1 (any) or 0 to 255"),
        (dict(from_port=80, cidr_ip="10.0.0.1/16"), "rules[0].cidr_ip", "host bits set; the network is 10.0.0.0/16"),
        (dict(from_port=80, cidr_ip="10.0.0.0"), "rules[0].cidr_ip", "needs a prefix length"),
        (dict(from_port=80, cidr_ip="2001:db8::/32"), "rules[0].cidr_ip", "use cidr_ipv6"),
        (dict(from_port=80, cidr_ipv6="10.0.0.0/8"), "rules[0].cidr_ipv6", "use cidr_ip"),
        (dict(from_port=80, cidr_ip="ten/8"), "rules[0].cidr_ip", "not an IPv4 CIDR block"),
        (dict(from_port=80), "rules[0]", "exactly one of"),
        (dict(from_port=80, cidr_ip="10.0.0.0/16", group_name="alb"), "rules[0]", "got cidr_ip, group_name"),
        (dict(from_port=80, group_id="sg-12"), "rules[0].group_id", "not a security group id"),
        (dict(from_port=80, prefix_list_id="prefix"), "rules[0].prefix_list_id", "not a prefix list id"),
        (dict(from_port=80, cidr_ip="10.0.0.0/16", description="tab\there"), "rules[0].description", "may contain only"),
        (dict(from_port=80, cidr_ip="10.0.0.0/16", description="x" * 256), "rules[0].description", "AWS allows 255"),
        (dict(protocol="gre", cidr_ip="10.0.0.0/16"), "rules[0].protocol", "not one of"),
    ],
)
def test_rules_aws_would_refuse_are_rejected_naming_the_option(fields, option, fragment):
    with pytest.raises(OptionError) as raised:
        atoms(rule(**fields))
    assert raised.value.option == option
    assert fragment in str(raised.value)


def test_a_repeated_rule_names_both_places():
    with pytest.raises(OptionError) as raised:
        atoms(rule(from_port=80, cidr_ip="0.0.0.0/0"), rule(from_port=80, to_port=80, cidr_ip="0.0.0.0/0", description="again"))
    assert raised.value.option == "rules[1]"
    assert "duplicates rules[0]" in str(raised.value)


def test_rules_default_to_tcp_and_a_single_port():
    (atom,) = atoms(rule(from_port=443, cidr_ip="0.0.0.0/0"), option="rules_egress")
    assert atom == dict(protocol="tcp", from_port=443, to_port=443, peer="cidr_ip", target="0.0.0.0/0", description="", option="rules_egress[0]")


def test_icmp_defaults_to_any_type_and_code_and_all_takes_no_ports():
    icmp, everything = atoms(rule(protocol="icmp", cidr_ip="10.0.0.0/8"), rule(protocol="all", cidr_ip="10.0.0.0/8"))
    assert (icmp["from_port"], icmp["to_port"]) == (-1, -1)
    assert (everything["from_port"], everything["to_port"]) == (None, None)


@pytest.mark.parametrize(
    "name, description, option, fragment",
    [
        ("sg-web", "d", "name", "must not start with 'sg-'"),
        ("", "d", "name", "1 to 255"),
        ("web\n", "d", "name", "may contain only"),
        ("web", "", "description", "1 to 255"),
        ("web", "caf\u00e9", "description", "may contain only"),
    ],
)
def test_group_names_and_descriptions_follow_the_vpc_rules(name, description, option, fragment):
    with pytest.raises(OptionError) as raised:
        sg.validate_group(name, description)
    assert raised.value.option == option
    assert fragment in str(raised.value)


def test_group_names_resolve_within_the_vpc_and_to_the_group_itself():
    rules = atoms(rule(from_port=8000, group_name="alb"), rule(protocol="all", group_name="tasks"))
    resolved = sg.resolve_groups(rules, GROUPS, VPC, "tasks", TASK_GROUP)
    assert [(atom["peer"], atom["target"]) for atom in resolved] == [("group_id", ALB_GROUP), ("group_id", TASK_GROUP)]


def test_a_self_reference_before_creation_is_a_placeholder():
    (atom,) = sg.resolve_groups(atoms(rule(protocol="all", group_name="tasks")), GROUPS, VPC, "tasks", None)
    assert atom["target"] == sg.SELF_PLACEHOLDER


def test_an_unknown_group_name_is_rejected_naming_the_rule_and_the_groups_there():
    with pytest.raises(OptionError) as raised:
        sg.resolve_groups(atoms(rule(from_port=8000, cidr_ip="10.0.0.0/16"), rule(from_port=8000, group_name="lb")), GROUPS, VPC, "tasks", None)
    assert raised.value.option == "rules[1].group_name"
    assert "no security group named 'lb' in vpc-0123456789abcdef0 (groups there: alb, default)" in str(raised.value)


def test_an_unknown_group_id_is_rejected():
    with pytest.raises(OptionError) as raised:
        sg.resolve_groups(atoms(rule(from_port=8000, group_id="sg-0dddddddddddddddd")), GROUPS, VPC, "tasks", None)
    assert raised.value.option == "rules[0].group_id"
    assert "does not exist in vpc-0123456789abcdef0" in str(raised.value)


def test_aws_permissions_flatten_into_one_atom_per_peer():
    permissions = [
        {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "vpc"}],
            "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            "PrefixListIds": [{"PrefixListId": "pl-0123abcd", "Description": "s3"}],
            "UserIdGroupPairs": [{"GroupId": ALB_GROUP, "UserId": "123456789012"}],
        },
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []},
        {"IpProtocol": "6", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.0.2.0/24"}]},
    ]
    flat = sg.current_rules(permissions)
    assert [(atom["protocol"], atom["from_port"], atom["peer"], atom["target"], atom["description"]) for atom in flat] == [
        ("tcp", 443, "cidr_ip", "10.0.0.0/16", "vpc"),
        ("tcp", 443, "cidr_ipv6", "::/0", ""),
        ("tcp", 443, "prefix_list_id", "pl-0123abcd", "s3"),
        ("tcp", 443, "group_id", ALB_GROUP, ""),
        ("all", None, "cidr_ip", "0.0.0.0/0", ""),
        ("tcp", 22, "cidr_ip", "192.0.2.0/24", ""),
    ]


def test_plan_adds_removes_and_redescribes():
    current = sg.current_rules(
        [
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "old"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ]
    )
    desired = atoms(rule(from_port=80, cidr_ip="0.0.0.0/0", description="HTTP"), rule(from_port=443, cidr_ip="0.0.0.0/0"))
    to_add, to_remove, to_describe = sg.plan_rules(current, desired, purge=True)
    assert [atom["from_port"] for atom in to_add] == [443]
    assert [atom["from_port"] for atom in to_remove] == [22]
    assert [(atom["from_port"], atom["description"]) for atom in to_describe] == [(80, "HTTP")]
    after = sg.rules_after(current, to_add, to_remove, to_describe)
    assert sg.describe_rules(after) == [
        {"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_ip": "0.0.0.0/0", "description": "HTTP"},
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ip": "0.0.0.0/0"},
    ]


def test_without_purge_unlisted_rules_stay():
    current = sg.current_rules([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    to_add, to_remove, to_describe = sg.plan_rules(current, atoms(rule(from_port=443, cidr_ip="0.0.0.0/0")), purge=False)
    assert [atom["from_port"] for atom in to_add] == [443]
    assert (to_remove, to_describe) == ([], [])


def test_identical_rules_plan_nothing():
    desired = atoms(rule(from_port=80, cidr_ip="0.0.0.0/0", description="HTTP"), rule(protocol="all", cidr_ip="10.0.0.0/8"))
    current = sg.current_rules(sg.ip_permissions(desired))
    assert sg.plan_rules(current, desired, purge=True) == ([], [], [])


def test_permissions_match_the_ec2_request_model():
    desired = atoms(
        rule(from_port=80, cidr_ip="0.0.0.0/0", description="HTTP"),
        rule(protocol="all", cidr_ipv6="::/0"),
        rule(protocol="icmp", from_port=8, to_port=0, prefix_list_id="pl-0123abcd"),
        rule(from_port=8000, to_port=8001, group_id=ALB_GROUP, description="from the ALB"),
    )
    permissions = sg.ip_permissions(desired)
    model = get_session().get_service_model("ec2").operation_model("AuthorizeSecurityGroupIngress").input_shape
    report = ParamValidator().validate({"GroupId": TASK_GROUP, "IpPermissions": permissions}, model)
    assert not report.has_errors(), report.generate_report()
    assert permissions[1] == {"IpProtocol": "-1", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}
    assert permissions[3]["UserIdGroupPairs"] == [{"GroupId": ALB_GROUP, "Description": "from the ALB"}]

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import choose_zones
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import comparable
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import describe_view
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import nat_zones
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import plan_network
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import plan_subnet_cidrs
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import precheck
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"]


def params(**overrides):
    base = dict(
        name="net", cidr_block="10.0.0.0/16", az_count=2, availability_zones=None, subnet_prefix_length=24,
        public_subnets=None, private_subnets=None, nat_mode="single", gateway_endpoints=["s3", "dynamodb"],
        dns_support=True, dns_hostnames=True, tags={"Environment": "test"},
    )
    base.update(overrides)
    return base


def test_subnets_are_carved_public_first():
    public, private = plan_subnet_cidrs("10.0.0.0/16", 2, 24)
    assert public == ["10.0.0.0/24", "10.0.1.0/24"]
    assert private == ["10.0.2.0/24", "10.0.3.0/24"]


def test_carving_skips_blocks_taken_by_explicit_subnets():
    public, private = plan_subnet_cidrs("10.0.0.0/16", 2, 24, private_subnets=["10.0.0.0/24", "10.0.1.0/24"])
    assert private == ["10.0.0.0/24", "10.0.1.0/24"]
    assert public == ["10.0.2.0/24", "10.0.3.0/24"]


@pytest.mark.parametrize(
    "kwargs, option, fragment",
    [
        (dict(public_subnets=["10.1.0.0/24", "10.0.1.0/24"]), "public_subnets[0]", "outside the VPC CIDR"),
        (dict(public_subnets=["10.0.0.0/24", "10.0.0.0/25"]), "public_subnets[1]", "overlaps 10.0.0.0/24"),
        (dict(public_subnets=["10.0.0.0/24"]), "public_subnets", "one per zone"),
        (dict(public_subnets=["10.0.0.0/24", "10.0.1.1/24"]), "public_subnets[1]", "not an IPv4 network"),
        (dict(public_subnets=["10.0.0.0/24", "10.0.1.0/29"]), "public_subnets[1]", "/16 to /28"),
    ],
)
def test_explicit_subnets_are_validated(kwargs, option, fragment):
    with pytest.raises(OptionError) as raised:
        plan_subnet_cidrs("10.0.0.0/16", 2, 24, **kwargs)
    assert raised.value.option == option
    assert fragment in str(raised.value)


def test_vpc_netmask_is_bounded():
    with pytest.raises(OptionError) as raised:
        plan_subnet_cidrs("10.0.0.0/8", 2, 24)
    assert raised.value.option == "cidr_block"


def test_carving_reports_when_the_vpc_is_too_small():
    with pytest.raises(OptionError) as raised:
        plan_subnet_cidrs("10.0.0.0/24", 3, 26)
    assert raised.value.option == "subnet_prefix_length"
    assert "no room" in str(raised.value)


def test_zone_choice():
    assert choose_zones(ZONES, az_count=2) == ["us-east-1a", "us-east-1b"]
    assert choose_zones(ZONES, availability_zones=["us-east-1c", "us-east-1a"]) == ["us-east-1c", "us-east-1a"]
    with pytest.raises(OptionError) as raised:
        choose_zones(ZONES, az_count=4)
    assert raised.value.option == "az_count" and "region has 3" in str(raised.value)
    with pytest.raises(OptionError) as raised:
        choose_zones(ZONES, availability_zones=["us-east-1a", "us-east-1a"])
    assert "more than once" in str(raised.value)


def test_nat_zones():
    assert nat_zones("none", ZONES, ["x"]) == []
    assert nat_zones("single", ZONES, ["x"]) == ["us-east-1a"]
    assert nat_zones("per_az", ZONES, ["x"]) == ZONES
    with pytest.raises(OptionError) as raised:
        nat_zones("per_az", ZONES, [])
    assert raised.value.option == "nat_mode"


def test_precheck_needs_no_zone_list():
    with pytest.raises(OptionError) as raised:
        precheck(params(public_subnets=[], nat_mode="single"))
    assert raised.value.option == "nat_mode"
    precheck(params())


def test_a_name_longer_than_a_tag_value_is_refused_before_any_call():
    with pytest.raises(OptionError) as raised:
        precheck(params(name="n" * 300))
    assert raised.value.option == "name"
    assert "300 characters" in str(raised.value) and "256" in str(raised.value)
    with pytest.raises(OptionError) as raised:
        precheck(params(name=""))
    assert raised.value.option == "name"


def test_derived_name_tags_must_fit_too():
    name = "n" * 240
    precheck(params(name=name))
    with pytest.raises(OptionError) as raised:
        plan_network(name, params(name=name), ZONES, "us-east-1")
    assert raised.value.option == "name"
    # '<name>-private-us-east-1a' adds 19 characters: the name may have 256 - 19.
    assert "at most 237 characters" in str(raised.value)
    plan = plan_network("n" * 237, params(name="n" * 237), ZONES, "us-east-1")
    assert max(len(tags["Name"]) for tags in plan["tags"].values()) == 256


def test_plan_routes_private_zones_to_their_own_nat_when_per_az():
    plan = plan_network("net", params(nat_mode="per_az"), ZONES, "us-east-1")
    routes = {table["name"]: table["routes"] for table in plan["route_tables"]}
    assert routes["net-public"] == {"0.0.0.0/0": "internet_gateway"}
    assert routes["net-private-us-east-1b"] == {"0.0.0.0/0": "nat_gateway:us-east-1b"}
    assert plan["tags"]["subnet:10.0.2.0/24"] == {"Environment": "test", "Name": "net-private-us-east-1a", "Tier": "private"}


def test_plan_of_private_only_network_has_no_gateways():
    plan = plan_network("net", params(public_subnets=[], nat_mode="none"), ZONES, "us-east-1")
    assert plan["internet_gateway"] is False
    assert plan["nat_gateways"] == []
    assert all(table["routes"] == {} for table in plan["route_tables"])


def _described(plan):
    """A minimal AWS description of a network built exactly as ``plan`` says."""
    def tags(key):
        return [{"Key": k, "Value": v} for k, v in plan["tags"][key].items()]

    subnets = [
        {"SubnetId": f"subnet-{i}", "CidrBlock": s["cidr"], "AvailabilityZone": s["zone"],
         "MapPublicIpOnLaunch": s["map_public_ip_on_launch"], "Tags": tags(f"subnet:{s['cidr']}")}
        for i, s in enumerate(plan["subnets"])
    ]
    by_cidr = {s["CidrBlock"]: s["SubnetId"] for s in subnets}
    nat = {"NatGatewayId": "nat-1", "SubnetId": by_cidr["10.0.0.0/24"], "State": "available", "Tags": tags("nat_gateway:us-east-1a")}
    tables = []
    for table in plan["route_tables"]:
        routes = [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}]
        target = table["routes"].get("0.0.0.0/0")
        if target == "internet_gateway":
            routes.append({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "State": "active"})
        elif target:
            routes.append({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "State": "active"})
        tables.append({
            "RouteTableId": f"rtb-{table['name']}", "Routes": routes, "Tags": tags(f"route_table:{table['name']}"),
            "Associations": [{"SubnetId": by_cidr[c], "RouteTableAssociationId": f"a-{c}"} for c in table["subnets"]],
        })
    tables.append({"RouteTableId": "rtb-main", "Routes": [], "Tags": [], "Associations": [{"Main": True}]})
    return {
        "vpc": {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": tags("vpc")},
        "dns_support": True, "dns_hostnames": True, "subnets": subnets,
        "internet_gateways": [{"InternetGatewayId": "igw-1", "Tags": tags("internet_gateway")}],
        "nat_gateways": [nat], "route_tables": tables,
        "endpoints": [
            {"VpcEndpointId": f"vpce-{s}", "ServiceName": f"com.amazonaws.us-east-1.{s}", "Tags": tags(f"gateway_endpoint:{s}")}
            for s in plan["gateway_endpoints"]
        ],
    }


def test_a_network_built_as_planned_describes_as_the_plan():
    plan = plan_network("net", params(), ZONES, "us-east-1")
    assert comparable(describe_view(_described(plan), "us-east-1")) == comparable(plan)


def test_a_deleted_default_route_shows_in_the_view():
    plan = plan_network("net", params(), ZONES, "us-east-1")
    state = _described(plan)
    public = next(t for t in state["route_tables"] if t["RouteTableId"] == "rtb-net-public")
    public["Routes"] = [r for r in public["Routes"] if r["DestinationCidrBlock"] != "0.0.0.0/0"]
    view = describe_view(state, "us-east-1")
    assert next(t for t in view["route_tables"] if t["name"] == "net-public")["routes"] == {}
    assert comparable(view) != comparable(plan)

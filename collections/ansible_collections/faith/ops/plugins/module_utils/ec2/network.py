# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading a whole network (shared by vpc_network and vpc_network_info)."""

from __future__ import annotations

from ..validation import OptionError
from . import api
from .transformations import endpoint_service_name
from .transformations import tags_of


def read_state(client, name):
    """Everything that makes up the network, as AWS describes it (empty dict if no VPC)."""
    vpcs = api.find_vpcs(client, name)
    if len(vpcs) > 1:
        raise OptionError("name", f"{len(vpcs)} VPCs are tagged Name={name}; rename or delete the extra ones first")
    if not vpcs:
        return {}
    vpc_id = vpcs[0]["VpcId"]
    return {
        "vpc": vpcs[0],
        "dns_support": api.vpc_attribute(client, vpc_id, "enableDnsSupport"),
        "dns_hostnames": api.vpc_attribute(client, vpc_id, "enableDnsHostnames"),
        "subnets": api.subnets(client, vpc_id),
        "internet_gateways": api.internet_gateways(client, vpc_id),
        "nat_gateways": api.nat_gateways(client, vpc_id),
        "route_tables": api.route_tables(client, vpc_id),
        "endpoints": api.vpc_endpoints(client, vpc_id),
    }


def nat_by_zone(state):
    zone_of = {subnet["SubnetId"]: subnet["AvailabilityZone"] for subnet in state["subnets"]}
    return {zone_of.get(gateway["SubnetId"]): gateway for gateway in state["nat_gateways"]}


def tables_by_name(state):
    return {tags_of(table).get("Name"): table for table in state["route_tables"] if tags_of(table).get("Name")}


def network_ids(state, view):
    """The AWS ids of the network's resources, as vpc_network and vpc_network_info return them."""
    by_zone = {}
    for subnet in state["subnets"]:
        by_zone.setdefault(tags_of(subnet).get("Tier"), []).append(subnet)
    zone_order = {zone: index for index, zone in enumerate(view["zones"])}

    def ids(tier):
        subnets = sorted(by_zone.get(tier, []), key=lambda subnet: zone_order.get(subnet["AvailabilityZone"], 99))
        return [subnet["SubnetId"] for subnet in subnets]

    prefix = endpoint_service_name(view["region"], "")
    return {
        "vpc": {"id": state["vpc"]["VpcId"], "cidr_block": state["vpc"]["CidrBlock"], "tags": tags_of(state["vpc"])},
        "public_subnet_ids": ids("public"),
        "private_subnet_ids": ids("private"),
        "internet_gateway_id": state["internet_gateways"][0]["InternetGatewayId"] if state["internet_gateways"] else None,
        "nat_gateway_ids": {zone: gateway["NatGatewayId"] for zone, gateway in nat_by_zone(state).items()},
        "route_table_ids": {name: table["RouteTableId"] for name, table in tables_by_name(state).items()},
        "gateway_endpoint_ids": {
            endpoint["ServiceName"][len(prefix):]: endpoint["VpcEndpointId"] for endpoint in state["endpoints"]
        },
    }

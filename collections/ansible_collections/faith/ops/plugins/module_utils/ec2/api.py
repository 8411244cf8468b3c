# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""EC2 networking calls: one API call per function, retried, named for error messages."""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_specifications

from ..base import aws_action


def _paginate(client, operation, key, **params):
    return client.get_paginator(operation).paginate(**params).build_full_result().get(key, [])


# --- reads -------------------------------------------------------------------------------


@aws_action("describe availability zones")
def availability_zones(client):
    zones = client.describe_availability_zones(Filters=[{"Name": "state", "Values": ["available"]}])
    return sorted(zone["ZoneName"] for zone in zones["AvailabilityZones"] if zone.get("ZoneType", "availability-zone") == "availability-zone")


@aws_action("describe VPCs")
def find_vpcs(client, name):
    return _paginate(client, "describe_vpcs", "Vpcs", Filters=[{"Name": "tag:Name", "Values": [name]}])


@aws_action("describe VPC attribute")
def vpc_attribute(client, vpc_id, attribute):
    response = client.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)
    key = attribute[0].upper() + attribute[1:]
    return response[key]["Value"]


@aws_action("describe subnets")
def subnets(client, vpc_id):
    return _paginate(client, "describe_subnets", "Subnets", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])


@aws_action("describe internet gateways")
def internet_gateways(client, vpc_id):
    return _paginate(
        client, "describe_internet_gateways", "InternetGateways", Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
    )


@aws_action("describe NAT gateways")
def nat_gateways(client, vpc_id):
    gateways = _paginate(client, "describe_nat_gateways", "NatGateways", Filter=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return [gateway for gateway in gateways if gateway["State"] in ("pending", "available")]


@aws_action("describe route tables")
def route_tables(client, vpc_id):
    return _paginate(client, "describe_route_tables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])


@aws_action("describe VPC endpoints")
def vpc_endpoints(client, vpc_id):
    endpoints = _paginate(client, "describe_vpc_endpoints", "VpcEndpoints", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    return [endpoint for endpoint in endpoints if endpoint.get("State", "").lower() not in ("deleted", "deleting")]


@aws_action("describe Elastic IP addresses")
def addresses(client, allocation_ids):
    return client.describe_addresses(AllocationIds=allocation_ids)["Addresses"]


# --- writes ------------------------------------------------------------------------------


@aws_action("create VPC")
def create_vpc(client, cidr_block, tags):
    return client.create_vpc(CidrBlock=cidr_block, TagSpecifications=boto3_tag_specifications(tags, ["vpc"]))["Vpc"]


@aws_action("modify VPC attribute")
def set_vpc_attribute(client, vpc_id, attribute, value):
    key = attribute[0].upper() + attribute[1:]
    client.modify_vpc_attribute(VpcId=vpc_id, **{key: {"Value": value}})


@aws_action("create subnet")
def create_subnet(client, vpc_id, cidr_block, zone, tags):
    return client.create_subnet(
        VpcId=vpc_id, CidrBlock=cidr_block, AvailabilityZone=zone, TagSpecifications=boto3_tag_specifications(tags, ["subnet"])
    )["Subnet"]


@aws_action("modify subnet attribute")
def set_map_public_ip(client, subnet_id, value):
    client.modify_subnet_attribute(SubnetId=subnet_id, MapPublicIpOnLaunch={"Value": value})


@aws_action("create internet gateway")
def create_internet_gateway(client, tags):
    return client.create_internet_gateway(TagSpecifications=boto3_tag_specifications(tags, ["internet-gateway"]))["InternetGateway"]


@aws_action("attach internet gateway")
def attach_internet_gateway(client, gateway_id, vpc_id):
    client.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)


@aws_action("allocate Elastic IP address")
def allocate_address(client, tags):
    return client.allocate_address(Domain="vpc", TagSpecifications=boto3_tag_specifications(tags, ["elastic-ip"]))


@aws_action("create NAT gateway")
def create_nat_gateway(client, subnet_id, allocation_id, tags):
    return client.create_nat_gateway(
        SubnetId=subnet_id, AllocationId=allocation_id, TagSpecifications=boto3_tag_specifications(tags, ["natgateway"])
    )["NatGateway"]


@aws_action("create route table")
def create_route_table(client, vpc_id, tags):
    return client.create_route_table(VpcId=vpc_id, TagSpecifications=boto3_tag_specifications(tags, ["route-table"]))["RouteTable"]


@aws_action("associate route table")
def associate_route_table(client, route_table_id, subnet_id):
    return client.associate_route_table(RouteTableId=route_table_id, SubnetId=subnet_id)["AssociationId"]


@aws_action("replace route table association")
def replace_route_table_association(client, association_id, route_table_id):
    client.replace_route_table_association(AssociationId=association_id, RouteTableId=route_table_id)


@aws_action("create route")
def create_route(client, route_table_id, destination, target):
    client.create_route(RouteTableId=route_table_id, DestinationCidrBlock=destination, **target)


@aws_action("replace route")
def replace_route(client, route_table_id, destination, target):
    client.replace_route(RouteTableId=route_table_id, DestinationCidrBlock=destination, **target)


@aws_action("delete route")
def delete_route(client, route_table_id, destination):
    client.delete_route(RouteTableId=route_table_id, DestinationCidrBlock=destination)


@aws_action("create VPC endpoint")
def create_gateway_endpoint(client, vpc_id, service_name, route_table_ids, tags):
    return client.create_vpc_endpoint(
        VpcEndpointType="Gateway",
        VpcId=vpc_id,
        ServiceName=service_name,
        RouteTableIds=route_table_ids,
        TagSpecifications=boto3_tag_specifications(tags, ["vpc-endpoint"]),
    )["VpcEndpoint"]


@aws_action("modify VPC endpoint")
def set_endpoint_route_tables(client, endpoint_id, add, remove):
    params = {"VpcEndpointId": endpoint_id}
    if add:
        params["AddRouteTableIds"] = add
    if remove:
        params["RemoveRouteTableIds"] = remove
    client.modify_vpc_endpoint(**params)


@aws_action("tag resource")
def tag_resource(client, resource_id, tags):
    client.create_tags(Resources=[resource_id], Tags=ansible_dict_to_boto3_tag_list(tags))


@aws_action("untag resource")
def untag_resource(client, resource_id, keys):
    client.delete_tags(Resources=[resource_id], Tags=[{"Key": key} for key in keys])


@aws_action("delete VPC endpoints")
def delete_vpc_endpoints(client, endpoint_ids):
    client.delete_vpc_endpoints(VpcEndpointIds=endpoint_ids)


@aws_action("delete NAT gateway")
def delete_nat_gateway(client, gateway_id):
    client.delete_nat_gateway(NatGatewayId=gateway_id)


@aws_action("release Elastic IP address")
def release_address(client, allocation_id):
    client.release_address(AllocationId=allocation_id)


@aws_action("disassociate route table")
def disassociate_route_table(client, association_id):
    client.disassociate_route_table(AssociationId=association_id)


@aws_action("delete route table")
def delete_route_table(client, route_table_id):
    client.delete_route_table(RouteTableId=route_table_id)


@aws_action("detach internet gateway")
def detach_internet_gateway(client, gateway_id, vpc_id):
    client.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)


@aws_action("delete internet gateway")
def delete_internet_gateway(client, gateway_id):
    client.delete_internet_gateway(InternetGatewayId=gateway_id)


@aws_action("delete subnet")
def delete_subnet(client, subnet_id):
    client.delete_subnet(SubnetId=subnet_id)


@aws_action("delete VPC")
def delete_vpc(client, vpc_id):
    client.delete_vpc(VpcId=vpc_id)

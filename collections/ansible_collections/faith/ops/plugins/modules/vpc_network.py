#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vpc_network
short_description: Manage a VPC with public and private subnets, gateways, routes and endpoints
version_added: 0.1.0
description:
  - Creates, updates and deletes a complete network for one application environment as a
    single resource - a VPC with DNS settings; one public and one private subnet in each of
    N availability zones; an internet gateway; NAT gateways (none, one, or one per zone);
    public and per-zone private route tables with their associations; gateway endpoints for
    S3 and DynamoDB.
  - The network is found by the C(Name) tag of the VPC (O(name)); subnets are matched by
    CIDR and route tables by name, so a run repairs what was changed or deleted behind its
    back.
  - Every value AWS would reject (CIDRs outside the VPC or overlapping, netmasks out of
    range, more zones than the region has, NAT gateways without public subnets) is
    rejected before anything is written. Checking the number of zones needs one read of the
    region's availability zones.
  - With O(state=absent) everything is deleted in dependency order - endpoints, NAT
    gateways (and their Elastic IPs), route tables, internet gateway, subnets, VPC.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the network; the VPC's C(Name) tag, and the prefix of every other resource's name.
    type: str
    required: true
  state:
    description: Whether the network should exist.
    type: str
    choices: [present, absent]
    default: present
  cidr_block:
    description:
      - IPv4 CIDR of the VPC, netmask /16 to /28. Required with O(state=present).
      - The CIDR of an existing VPC cannot be changed; a different value fails.
    type: str
  dns_support:
    description: Whether the Amazon DNS server resolves names in the VPC.
    type: bool
    default: true
  dns_hostnames:
    description: Whether instances get public DNS hostnames. Requires O(dns_support=true).
    type: bool
    default: true
  az_count:
    description:
      - Number of availability zones to spread subnets over, taken in order from the region's
        available zones. Ignored when O(availability_zones) is given.
    type: int
    default: 2
  availability_zones:
    description: Explicit availability zones, in the order subnets are assigned to them.
    type: list
    elements: str
  subnet_prefix_length:
    description:
      - Netmask of subnets carved automatically from O(cidr_block) when O(public_subnets) or
        O(private_subnets) is not given. Public subnets take the first blocks, private the next.
    type: int
    default: 24
  public_subnets:
    description:
      - Explicit CIDRs of the public subnets, one per zone in zone order.
      - An empty list creates a private-only network (no internet gateway; O(nat_mode=none)).
    type: list
    elements: str
  private_subnets:
    description: Explicit CIDRs of the private subnets, one per zone in zone order.
    type: list
    elements: str
  nat_mode:
    description:
      - C(single) - one NAT gateway in the first zone for all private subnets.
      - C(per_az) - one NAT gateway per zone; each private subnet uses the one in its zone.
      - C(none) - no NAT gateway; private subnets reach AWS only through gateway endpoints.
    type: str
    choices: [none, single, per_az]
    default: single
  gateway_endpoints:
    description: Services that get a gateway endpoint attached to every route table of the network.
    type: list
    elements: str
    choices: [s3, dynamodb]
    default: [s3, dynamodb]
  wait:
    description: Wait for NAT gateways and endpoints to become available (or deleted).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each asynchronous change.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - O(tags) apply to every resource of the network, each of which also gets its own C(Name)
    (and subnets a C(Tier) of C(public) or C(private)). O(purge_tags) applies to all of them.
  - Subnets of the network that are no longer declared are deleted; AWS refuses while
    network interfaces remain in them, and the module reports that error.
"""

EXAMPLES = r"""
- name: Ensure the chatbot network exists (two zones, one NAT gateway)
  faith.ops.vpc_network:
    name: faith-chatbot-production
    cidr_block: 10.10.0.0/16
    az_count: 2
    nat_mode: single
    tags:
      Application: faith-chatbot
      Environment: production

- name: Ensure a three-zone network with explicit subnets and a NAT gateway per zone
  faith.ops.vpc_network:
    name: faith-chatbot-dr
    cidr_block: 10.30.0.0/16
    availability_zones: [us-west-2a, us-west-2b, us-west-2c]
    public_subnets: [10.30.0.0/24, 10.30.1.0/24, 10.30.2.0/24]
    private_subnets: [10.30.16.0/20, 10.30.32.0/20, 10.30.48.0/20]
    nat_mode: per_az

- name: Remove the network
  faith.ops.vpc_network:
    name: faith-chatbot-staging
    state: absent
"""

RETURN = r"""
vpc:
  description: The VPC.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: VPC id.
      type: str
      sample: vpc-0a1b2c3d4e5f67890
    cidr_block:
      description: IPv4 CIDR of the VPC.
      type: str
      sample: 10.10.0.0/16
    tags:
      description: Tags of the VPC.
      type: dict
      sample: {"Name": "faith-chatbot-production", "Environment": "production"}
public_subnet_ids:
  description: Ids of the public subnets, in zone order (in check mode, of those that exist).
  returned: when O(state=present) and the VPC exists (or was created)
  type: list
  elements: str
  sample: [subnet-0aa, subnet-0bb]
private_subnet_ids:
  description: Ids of the private subnets, in zone order.
  returned: when O(state=present)
  type: list
  elements: str
  sample: [subnet-0cc, subnet-0dd]
internet_gateway_id:
  description: Id of the internet gateway, or null for a private-only network.
  returned: when O(state=present)
  type: str
  sample: igw-0123456789abcdef0
nat_gateway_ids:
  description: Ids of the NAT gateways, by zone.
  returned: when O(state=present)
  type: dict
  sample: {"us-east-1a": "nat-0123456789abcdef0"}
route_table_ids:
  description: Ids of the network's route tables, by name.
  returned: when O(state=present)
  type: dict
  sample: {"faith-chatbot-production-public": "rtb-0aa", "faith-chatbot-production-private-us-east-1a": "rtb-0bb"}
gateway_endpoint_ids:
  description: Ids of the gateway endpoints, by service.
  returned: when O(state=present)
  type: dict
  sample: {"s3": "vpce-0aa", "dynamodb": "vpce-0bb"}
network:
  description:
    - The network as the module compares it - CIDRs, zones, route targets by kind and tags,
      without AWS ids. In check mode, the network as it would be.
  returned: always
  type: dict
  sample:
    cidr_block: 10.10.0.0/16
    zones: [us-east-1a, us-east-1b]
    nat_gateways: [us-east-1a]
    gateway_endpoints: [dynamodb, s3]
actions:
  description: What was changed, or would be changed in check mode, in the order it was done.
  returned: always
  type: list
  elements: str
  sample: ["create VPC 10.10.0.0/16", "create subnet 10.10.0.0/24 in us-east-1a"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ec2 import api
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import nat_by_zone
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import network_ids
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import read_state
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import tables_by_name
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import DEFAULT_ROUTE
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import comparable
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import describe_view
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import endpoint_service_name
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import plan_network
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import precheck
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import resource_key
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import tags_of
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.waiting import wait_for
from ansible_collections.faith.ops.plugins.module_utils.waiting import waiter_model

# botocore ships no waiter for endpoint deletion; AWS reports "Deleted", the emulator "deleted".
ENDPOINTS_GONE = waiter_model(
    "VpcEndpointsDeleted",
    "DescribeVpcEndpoints",
    [
        {"state": "success", "matcher": "path", "argument": "length(VpcEndpoints[?State!='Deleted' && State!='deleted']) == `0`", "expected": True},
        {"state": "success", "matcher": "error", "expected": "InvalidVpcEndpointId.NotFound"},
    ],
)


class Network:
    """Brings an existing network to the desired view, one concern per ``ensure_*`` method.

    Each method returns whether it changed (or, in check mode, would change) something; in
    check mode it returns before the first write.
    """

    def __init__(self, module, client, state, desired):
        self.module = module
        self.client = client
        self.state = state
        self.desired = desired
        self.vpc_id = state["vpc"]["VpcId"]
        self.purge_tags = module.params["purge_tags"]
        self.timeout = module.params["wait_timeout"]
        self.wait = module.params["wait"]

    @property
    def check_mode(self):
        return self.module.check_mode

    def act(self, description):
        """Record ``description``; True when the write itself must be skipped (check mode)."""
        self.module.record(description)
        return self.check_mode

    def subnet_ids(self):
        return {subnet["CidrBlock"]: subnet["SubnetId"] for subnet in self.state["subnets"]}

    # --- VPC -------------------------------------------------------------------------------

    def ensure_vpc(self):
        if self.state["vpc"]["CidrBlock"] != self.desired["cidr_block"]:
            raise OptionError(
                "cidr_block",
                f"the VPC {self.vpc_id} has CIDR {self.state['vpc']['CidrBlock']}, which cannot be changed; "
                f"use {self.state['vpc']['CidrBlock']} or delete the network first",
            )
        changed = False
        # DNS hostnames need DNS support: switch support on first and off last.
        order = ("dns_support", "dns_hostnames") if self.desired["dns_support"] else ("dns_hostnames", "dns_support")
        for key in order:
            if self.state[key] != self.desired[key]:
                changed = True
                if not self.act(f"set {key} to {self.desired[key]}"):
                    attribute = "enableDnsSupport" if key == "dns_support" else "enableDnsHostnames"
                    api.set_vpc_attribute(self.client, self.vpc_id, attribute, self.desired[key])
        return changed

    # --- subnets ---------------------------------------------------------------------------

    def ensure_subnets(self):
        changed = False
        existing = {subnet["CidrBlock"]: subnet for subnet in self.state["subnets"]}
        for subnet in self.desired["subnets"]:
            current = existing.get(subnet["cidr"])
            if current and current["AvailabilityZone"] != subnet["zone"]:
                raise OptionError(
                    f"{subnet['tier']}_subnets",
                    f"subnet {subnet['cidr']} exists in {current['AvailabilityZone']}, not {subnet['zone']}; "
                    "a subnet cannot move between zones: delete it or list the zones in that order",
                )
            if not current:
                changed = True
                if self.act(f"create subnet {subnet['cidr']} in {subnet['zone']}"):
                    continue
                tags = self.desired["tags"][resource_key("subnet", subnet["cidr"])]
                current = api.create_subnet(self.client, self.vpc_id, subnet["cidr"], subnet["zone"], tags)
                self.state["subnets"].append(current)
            if bool(current.get("MapPublicIpOnLaunch")) != subnet["map_public_ip_on_launch"]:
                changed = True
                if not self.act(f"set map_public_ip_on_launch of {subnet['cidr']} to {subnet['map_public_ip_on_launch']}"):
                    api.set_map_public_ip(self.client, current["SubnetId"], subnet["map_public_ip_on_launch"])
        return changed

    def remove_undeclared_subnets(self):
        declared = {subnet["cidr"] for subnet in self.desired["subnets"]}
        changed = False
        for subnet in list(self.state["subnets"]):
            # Only subnets this module created (they carry a Tier tag) are ever deleted.
            if subnet["CidrBlock"] in declared or "Tier" not in tags_of(subnet):
                continue
            changed = True
            if not self.act(f"delete subnet {subnet['CidrBlock']}"):
                api.delete_subnet(self.client, subnet["SubnetId"])
                self.state["subnets"].remove(subnet)
        return changed

    # --- internet gateway ------------------------------------------------------------------

    def ensure_internet_gateway(self):
        gateways = self.state["internet_gateways"]
        if self.desired["internet_gateway"] and not gateways:
            if self.act("create and attach internet gateway"):
                return True
            gateway = api.create_internet_gateway(self.client, self.desired["tags"][resource_key("internet_gateway")])
            api.attach_internet_gateway(self.client, gateway["InternetGatewayId"], self.vpc_id)
            self.state["internet_gateways"] = [gateway]
            return True
        if not self.desired["internet_gateway"] and gateways:
            for gateway in gateways:
                if not self.act(f"detach and delete internet gateway {gateway['InternetGatewayId']}"):
                    api.detach_internet_gateway(self.client, gateway["InternetGatewayId"], self.vpc_id)
                    api.delete_internet_gateway(self.client, gateway["InternetGatewayId"])
            self.state["internet_gateways"] = [] if not self.check_mode else gateways
            return True
        return False

    # --- NAT gateways ----------------------------------------------------------------------

    def nat_by_zone(self):
        return nat_by_zone(self.state)

    def ensure_nat_gateways(self):
        changed = False
        existing = self.nat_by_zone()
        public_in_zone = {
            subnet["zone"]: subnet["cidr"] for subnet in self.desired["subnets"] if subnet["tier"] == "public"
        }
        created = []
        for zone in self.desired["nat_gateways"]:
            if zone in existing:
                continue
            changed = True
            if self.act(f"create NAT gateway in {zone}"):
                continue
            subnet_id = self.subnet_ids()[public_in_zone[zone]]
            tags = self.desired["tags"][resource_key("nat_gateway", zone)]
            allocation = api.allocate_address(self.client, tags)
            gateway = api.create_nat_gateway(self.client, subnet_id, allocation["AllocationId"], tags)
            self.state["nat_gateways"].append(gateway)
            created.append(gateway["NatGatewayId"])
        if created and self.wait:
            wait_for(self.client, "nat_gateway_available", "NAT gateways to become available", self.timeout, NatGatewayIds=created)
        return changed

    def remove_undeclared_nat_gateways(self):
        doomed = [gateway for zone, gateway in self.nat_by_zone().items() if zone not in self.desired["nat_gateways"]]
        return self._delete_nat_gateways(doomed)

    def _delete_nat_gateways(self, gateways):
        if not gateways:
            return False
        ids = [gateway["NatGatewayId"] for gateway in gateways]
        if self.act(f"delete NAT gateways {', '.join(ids)} and release their Elastic IPs"):
            return True
        for gateway_id in ids:
            api.delete_nat_gateway(self.client, gateway_id)
        # The Elastic IP stays associated until the gateway is gone, so release comes after.
        wait_for(self.client, "nat_gateway_deleted", "NAT gateways to be deleted", self.timeout, NatGatewayIds=ids)
        for gateway in gateways:
            for address in gateway.get("NatGatewayAddresses", []):
                if address.get("AllocationId"):
                    api.release_address(self.client, address["AllocationId"])
        self.state["nat_gateways"] = [gateway for gateway in self.state["nat_gateways"] if gateway["NatGatewayId"] not in ids]
        return True

    # --- route tables ----------------------------------------------------------------------

    def tables_by_name(self):
        return tables_by_name(self.state)

    def route_target(self, target):
        if target == "internet_gateway":
            return {"GatewayId": self.state["internet_gateways"][0]["InternetGatewayId"]}
        zone = target.split(":", 1)[1]
        return {"NatGatewayId": self.nat_by_zone()[zone]["NatGatewayId"]}

    def ensure_route_tables(self):
        changed = False
        tables = self.tables_by_name()
        association_of = {
            association["SubnetId"]: (association["RouteTableAssociationId"], table["RouteTableId"])
            for table in self.state["route_tables"]
            for association in table.get("Associations", [])
            if association.get("SubnetId")
        }
        current_view = {table["name"]: table for table in describe_view(self.state, self.desired["region"])["route_tables"]}
        for declared in self.desired["route_tables"]:
            name = declared["name"]
            table = tables.get(name)
            if not table:
                changed = True
                if self.act(f"create route table {name}"):
                    continue
                table = api.create_route_table(self.client, self.vpc_id, self.desired["tags"][resource_key("route_table", name)])
                self.state["route_tables"].append(table)
            current = current_view.get(name, {"routes": {}, "subnets": []})
            changed |= self._ensure_default_route(table, name, current["routes"].get(DEFAULT_ROUTE), declared["routes"].get(DEFAULT_ROUTE))
            for cidr in declared["subnets"]:
                subnet_id = self.subnet_ids().get(cidr)
                association = association_of.get(subnet_id)
                if association and association[1] == table["RouteTableId"]:
                    continue
                changed = True
                if self.act(f"associate subnet {cidr} with route table {name}"):
                    continue
                if association:
                    api.replace_route_table_association(self.client, association[0], table["RouteTableId"])
                else:
                    api.associate_route_table(self.client, table["RouteTableId"], subnet_id)
        return changed

    def _ensure_default_route(self, table, name, current_target, desired_target):
        if current_target == desired_target:
            return False
        if desired_target is None:
            if not self.act(f"delete default route of {name}"):
                api.delete_route(self.client, table["RouteTableId"], DEFAULT_ROUTE)
            return True
        if self.act(f"route {DEFAULT_ROUTE} of {name} to {desired_target}"):
            return True
        # A route to a deleted NAT gateway stays as a blackhole entry; replace it rather than add.
        has_route = any(route.get("DestinationCidrBlock") == DEFAULT_ROUTE for route in table.get("Routes", []))
        if has_route:
            api.replace_route(self.client, table["RouteTableId"], DEFAULT_ROUTE, self.route_target(desired_target))
        else:
            api.create_route(self.client, table["RouteTableId"], DEFAULT_ROUTE, self.route_target(desired_target))
        return True

    def remove_undeclared_route_tables(self):
        declared = {table["name"] for table in self.desired["route_tables"]}
        prefix = f"{self.desired['name']}-"
        doomed = [table for name, table in self.tables_by_name().items() if name.startswith(prefix) and name not in declared]
        return self._delete_route_tables(doomed)

    def _delete_route_tables(self, tables):
        changed = False
        for table in tables:
            if any(association.get("Main") for association in table.get("Associations", [])):
                continue
            changed = True
            if self.act(f"delete route table {tags_of(table).get('Name', table['RouteTableId'])}"):
                continue
            for association in table.get("Associations", []):
                api.disassociate_route_table(self.client, association["RouteTableAssociationId"])
            api.delete_route_table(self.client, table["RouteTableId"])
            self.state["route_tables"].remove(table)
        return changed

    # --- gateway endpoints -----------------------------------------------------------------

    def ensure_gateway_endpoints(self):
        changed = False
        region = self.desired["region"]
        by_service = {endpoint["ServiceName"]: endpoint for endpoint in self.state["endpoints"]}
        wanted_tables = sorted(
            table["RouteTableId"] for name, table in self.tables_by_name().items()
            if name in {declared["name"] for declared in self.desired["route_tables"]}
        )
        for service in self.desired["gateway_endpoints"]:
            endpoint = by_service.get(endpoint_service_name(region, service))
            if not endpoint:
                changed = True
                if not self.act(f"create {service} gateway endpoint"):
                    tags = self.desired["tags"][resource_key("gateway_endpoint", service)]
                    endpoint = api.create_gateway_endpoint(self.client, self.vpc_id, endpoint_service_name(region, service), wanted_tables, tags)
                    self.state["endpoints"].append(endpoint)
                continue
            current_tables = set(endpoint.get("RouteTableIds", []))
            add = sorted(set(wanted_tables) - current_tables)
            remove = sorted(current_tables - set(wanted_tables))
            if add or remove:
                changed = True
                if not self.act(f"attach the {service} endpoint to route tables +{add} -{remove}"):
                    api.set_endpoint_route_tables(self.client, endpoint["VpcEndpointId"], add, remove)
        undeclared = [
            endpoint for endpoint in self.state["endpoints"]
            if endpoint["ServiceName"] not in {endpoint_service_name(region, s) for s in self.desired["gateway_endpoints"]}
            and tags_of(endpoint).get("Name", "").startswith(f"{self.desired['name']}-")
        ]
        return self._delete_endpoints(undeclared) or changed

    def _delete_endpoints(self, endpoints):
        if not endpoints:
            return False
        ids = [endpoint["VpcEndpointId"] for endpoint in endpoints]
        if self.act(f"delete gateway endpoints {', '.join(ids)}"):
            return True
        api.delete_vpc_endpoints(self.client, ids)
        if self.wait:
            wait_for(self.client, "VpcEndpointsDeleted", "gateway endpoints to be deleted", self.timeout, model=ENDPOINTS_GONE, VpcEndpointIds=ids)
        self.state["endpoints"] = [endpoint for endpoint in self.state["endpoints"] if endpoint["VpcEndpointId"] not in ids]
        return True

    # --- tags ------------------------------------------------------------------------------

    def resource_ids(self):
        """AWS id of every resource of the network, by its view key."""
        ids = {resource_key("vpc"): self.vpc_id}
        for gateway in self.state["internet_gateways"]:
            ids[resource_key("internet_gateway")] = gateway["InternetGatewayId"]
        for subnet in self.state["subnets"]:
            ids[resource_key("subnet", subnet["CidrBlock"])] = subnet["SubnetId"]
        for name, table in self.tables_by_name().items():
            ids[resource_key("route_table", name)] = table["RouteTableId"]
        for zone, gateway in self.nat_by_zone().items():
            ids[resource_key("nat_gateway", zone)] = gateway["NatGatewayId"]
        prefix = endpoint_service_name(self.desired["region"], "")
        for endpoint in self.state["endpoints"]:
            ids[resource_key("gateway_endpoint", endpoint["ServiceName"][len(prefix):])] = endpoint["VpcEndpointId"]
        return ids

    def ensure_tags(self, current_tags):
        changed = False
        ids = self.resource_ids()
        for key, desired in self.desired["tags"].items():
            if key not in current_tags:
                continue  # created in this run with its tags, or would be in check mode
            to_set, to_remove = tag_changes(current_tags[key], desired, self.purge_tags)
            if not (to_set or to_remove):
                continue
            changed = True
            if self.act(f"update tags of {key}: set {sorted(to_set)}, remove {sorted(to_remove)}"):
                continue
            if to_remove:
                api.untag_resource(self.client, ids[key], to_remove)
            if to_set:
                api.tag_resource(self.client, ids[key], to_set)
        return changed


def create_vpc(module, client, desired):
    """Create the VPC itself; the rest of the network is then built by :class:`Network`."""
    module.record(f"create VPC {desired['cidr_block']}")
    vpc = api.create_vpc(client, desired["cidr_block"], desired["tags"][resource_key("vpc")])
    if module.params["wait"]:
        wait_for(client, "vpc_available", "the VPC to become available", module.params["wait_timeout"], VpcIds=[vpc["VpcId"]])
    # A new VPC has DNS support on and hostnames off.
    return {
        "vpc": vpc, "dns_support": True, "dns_hostnames": False, "subnets": [], "internet_gateways": [],
        "nat_gateways": [], "route_tables": api.route_tables(client, vpc["VpcId"]), "endpoints": [],
    }


def planned_actions(desired):
    """What creating the whole network would do, for check mode when there is no VPC yet."""
    actions = [f"create VPC {desired['cidr_block']}"]
    actions += [f"create subnet {subnet['cidr']} in {subnet['zone']}" for subnet in desired["subnets"]]
    if desired["internet_gateway"]:
        actions.append("create and attach internet gateway")
    actions += [f"create NAT gateway in {zone}" for zone in desired["nat_gateways"]]
    actions += [f"create route table {table['name']}" for table in desired["route_tables"]]
    actions += [f"create {service} gateway endpoint" for service in desired["gateway_endpoints"]]
    return actions


def expected_view(desired, before, purge_tags):
    """The view once the run is done: the plan, with tags as merged onto the current ones."""
    after = dict(desired)
    current_tags = (before or {}).get("tags", {})
    after["tags"] = {key: merged_tags(current_tags.get(key), tags, purge_tags) for key, tags in desired["tags"].items()}
    return comparable(after)


def ensure_present(module, client):
    params = module.params
    validate_tags(params["tags"])
    if not params["dns_support"] and params["dns_hostnames"]:
        raise OptionError("dns_hostnames", "DNS hostnames need dns_support: true; set dns_hostnames: false or enable dns_support")
    precheck(params)
    region = module.region
    desired = plan_network(params["name"], params, api.availability_zones(client), region)
    state = read_state(client, params["name"])
    before = comparable(describe_view(state, region))
    after = expected_view(desired, before, params["purge_tags"])

    if not state:
        if module.check_mode:
            for action in planned_actions(desired):
                module.record(action)
            return module.result(True, "network", after, before, after)
        state = create_vpc(module, client, desired)
        current_tags = {}
    else:
        current_tags = before["tags"]

    network = Network(module, client, state, desired)
    # Order matters: gateways before the routes that use them; undeclared NAT gateways
    # only once no route points at them any more.
    changed = not before
    changed |= network.ensure_vpc()
    changed |= network.ensure_subnets()
    changed |= network.ensure_internet_gateway()
    changed |= network.ensure_nat_gateways()
    changed |= network.ensure_route_tables()
    changed |= network.remove_undeclared_route_tables()
    changed |= network.remove_undeclared_nat_gateways()
    changed |= network.ensure_gateway_endpoints()
    changed |= network.remove_undeclared_subnets()
    changed |= network.ensure_tags(current_tags)

    result = module.result(changed, "network", after if changed else before, before, after if changed else before)
    if changed and not module.check_mode:
        state = read_state(client, params["name"])
    # In check mode these are the ids of what exists now, so later roles can still be checked.
    result.update(network_ids(state, after))
    return result


def ensure_absent(module, client):
    state = read_state(client, module.params["name"])
    if not state:
        return module.result(False, "network", {}, {}, {})
    region = module.region
    before = comparable(describe_view(state, region))
    nothing = {"name": module.params["name"], "region": region, "nat_gateways": [], "route_tables": [], "gateway_endpoints": [], "subnets": []}
    network = Network(module, client, state, nothing)
    network._delete_endpoints(list(state["endpoints"]))
    network._delete_nat_gateways(list(state["nat_gateways"]))
    network._delete_route_tables(list(network.tables_by_name().values()))
    for gateway in list(state["internet_gateways"]):
        if not network.act(f"detach and delete internet gateway {gateway['InternetGatewayId']}"):
            api.detach_internet_gateway(client, gateway["InternetGatewayId"], network.vpc_id)
            api.delete_internet_gateway(client, gateway["InternetGatewayId"])
    for subnet in list(state["subnets"]):
        if not network.act(f"delete subnet {subnet['CidrBlock']}"):
            api.delete_subnet(client, subnet["SubnetId"])
    if not network.act(f"delete VPC {network.vpc_id}"):
        api.delete_vpc(client, network.vpc_id)
    return module.result(True, "network", {}, before, {})


def run(module):
    if module.params["state"] == "absent":
        return ensure_absent(module, module.client("ec2"))
    return ensure_present(module, module.client("ec2"))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        cidr_block=dict(type="str"),
        dns_support=dict(type="bool", default=True),
        dns_hostnames=dict(type="bool", default=True),
        az_count=dict(type="int", default=2),
        availability_zones=dict(type="list", elements="str"),
        subnet_prefix_length=dict(type="int", default=24),
        public_subnets=dict(type="list", elements="str"),
        private_subnets=dict(type="list", elements="str"),
        nat_mode=dict(type="str", choices=["none", "single", "per_az"], default="single"),
        gateway_endpoints=dict(type="list", elements="str", choices=["s3", "dynamodb"], default=["s3", "dynamodb"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = FaithAWSModule(argument_spec=argument_spec, required_if=[("state", "present", ["cidr_block"])])
    module.run(run)


if __name__ == "__main__":
    main()

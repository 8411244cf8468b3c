# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for vpc_network: validate the request, plan the network, describe what exists.

A network is compared in one shape, the *view*: a dict of plain values (CIDRs, zones,
route targets by kind) with no AWS ids, so the desired plan and the described state can be
compared directly and shown as a diff.
"""

from __future__ import annotations

import ipaddress
import itertools

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ..tagging import MAX_VALUE_LENGTH
from ..validation import OptionError

# AWS accepts VPC and subnet netmasks between /16 and /28.
MIN_PREFIX = 16
MAX_PREFIX = 28
NAT_MODES = ("none", "single", "per_az")
DEFAULT_ROUTE = "0.0.0.0/0"


def _network(value, option):
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        raise OptionError(option, f"{value!r} is not an IPv4 network in CIDR notation ({error})") from None
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise OptionError(option, f"{value} has netmask /{network.prefixlen}; AWS allows /{MIN_PREFIX} to /{MAX_PREFIX}")
    return network


def choose_zones(region_zones, availability_zones=None, az_count=None):
    """The zones to spread subnets over: the explicit list, or the first ``az_count`` of the region."""
    if availability_zones:
        unknown = [zone for zone in availability_zones if zone not in region_zones]
        if unknown:
            raise OptionError(
                "availability_zones", f"{', '.join(unknown)} not available in this region; choose from {', '.join(region_zones)}"
            )
        if len(set(availability_zones)) != len(availability_zones):
            raise OptionError("availability_zones", "lists a zone more than once")
        return list(availability_zones)
    if az_count < 1:
        raise OptionError("az_count", f"must be at least 1, got {az_count}")
    if az_count > len(region_zones):
        raise OptionError(
            "az_count",
            f"{az_count} availability zones requested but the region has {len(region_zones)} ({', '.join(region_zones)})",
        )
    return list(region_zones[:az_count])


def plan_subnet_cidrs(vpc_cidr, zone_count, prefix_length, public_subnets=None, private_subnets=None):
    """Return ``(public, private)`` CIDR lists, one per zone, validated against the VPC CIDR.

    Explicit lists are used as given (an empty ``public_subnets`` means a private-only
    network); otherwise consecutive blocks of ``prefix_length`` are carved from the VPC CIDR,
    public first.
    """
    vpc = _network(vpc_cidr, "cidr_block")
    planned = {}
    for tier, explicit in (("public", public_subnets), ("private", private_subnets)):
        if explicit is None:
            continue
        option = f"{tier}_subnets"
        if explicit and len(explicit) != zone_count:
            raise OptionError(option, f"gives {len(explicit)} CIDRs for {zone_count} availability zones; give one per zone")
        planned[tier] = [str(_network(cidr, f"{option}[{index}]")) for index, cidr in enumerate(explicit)]

    missing = [tier for tier in ("public", "private") if tier not in planned]
    if missing:
        if not MIN_PREFIX <= prefix_length <= MAX_PREFIX or prefix_length <= vpc.prefixlen:
            raise OptionError(
                "subnet_prefix_length",
                f"/{prefix_length} must be longer than the VPC's /{vpc.prefixlen} and at most /{MAX_PREFIX}",
            )
        taken = [ipaddress.IPv4Network(cidr) for cidrs in planned.values() for cidr in cidrs]
        free = (block for block in vpc.subnets(new_prefix=prefix_length) if not any(block.overlaps(t) for t in taken))
        for tier in missing:
            blocks = list(itertools.islice(free, zone_count))
            if len(blocks) < zone_count:
                raise OptionError(
                    "subnet_prefix_length",
                    f"{vpc} has no room for {zone_count} more /{prefix_length} {tier} subnets; use a larger VPC or a longer prefix",
                )
            planned[tier] = [str(block) for block in blocks]

    _check_containment(vpc, planned)
    return planned["public"], planned["private"]


def _check_containment(vpc, planned):
    seen = []
    for tier in ("public", "private"):
        for index, cidr in enumerate(planned[tier]):
            option = f"{tier}_subnets[{index}]"
            network = ipaddress.IPv4Network(cidr)
            if not network.subnet_of(vpc):
                raise OptionError(option, f"{cidr} is outside the VPC CIDR {vpc}")
            for other_option, other in seen:
                if network.overlaps(other):
                    raise OptionError(option, f"{cidr} overlaps {other} ({other_option})")
            seen.append((option, network))


def nat_zones(nat_mode, zones, public_cidrs):
    """Zones that get a NAT gateway; NAT needs a public subnet in its zone."""
    if nat_mode not in NAT_MODES:
        raise OptionError("nat_mode", f"{nat_mode!r} is not one of {', '.join(NAT_MODES)}")
    if nat_mode == "none":
        return []
    if not public_cidrs:
        raise OptionError("nat_mode", f"'{nat_mode}' needs public subnets for the NAT gateways; set nat_mode: none or give public_subnets")
    return list(zones) if nat_mode == "per_az" else [zones[0]]


def check_name(name):
    """The network's name is the VPC's ``Name`` tag, which AWS limits to 256 characters."""
    if not name or not name.strip():
        raise OptionError("name", "must not be empty; it is the VPC's Name tag")
    if len(name) > MAX_VALUE_LENGTH:
        raise OptionError("name", f"is {len(name)} characters long; it becomes the VPC's Name tag, which AWS limits to {MAX_VALUE_LENGTH}")


def check_name_tags(name, tags):
    """Every derived ``Name`` tag (``<name>-private-<zone>``...) stays within AWS's limit."""
    longest = max((resource_tags["Name"] for resource_tags in tags.values()), key=len)
    if len(longest) > MAX_VALUE_LENGTH:
        spare = MAX_VALUE_LENGTH - (len(longest) - len(name))
        raise OptionError(
            "name",
            f"makes the Name tag {longest[-40:]!r} (and others) {len(longest)} characters long; AWS allows {MAX_VALUE_LENGTH}, "
            f"so the name may have at most {spare} characters",
        )


def precheck(params):
    """Validate everything that needs no AWS call: the name, CIDRs, subnet layout, NAT mode.

    Only the zone names and count need the region's zone list, which :func:`plan_network`
    checks after one read.
    """
    check_name(params["name"])
    zone_count = len(params.get("availability_zones") or []) or params.get("az_count")
    if zone_count < 1:
        raise OptionError("az_count", f"must be at least 1, got {zone_count}")
    public = plan_subnet_cidrs(
        params["cidr_block"], zone_count, params["subnet_prefix_length"], params.get("public_subnets"), params.get("private_subnets")
    )[0]
    nat_zones(params["nat_mode"], [f"zone-{index}" for index in range(zone_count)], public)


def plan_network(name, params, region_zones, region):
    """The desired view of the network from module parameters (validated).

    ``tags`` in the view maps each resource (by :func:`resource_key`) to the tags it should
    carry: the module's ``tags`` plus its ``Name`` (and ``Tier`` for subnets).
    """
    zones = choose_zones(region_zones, params.get("availability_zones"), params.get("az_count"))
    public, private = plan_subnet_cidrs(
        params["cidr_block"], len(zones), params["subnet_prefix_length"], params.get("public_subnets"), params.get("private_subnets")
    )
    nats = nat_zones(params["nat_mode"], zones, public)
    subnets = [
        {"name": f"{name}-{tier}-{zone}", "tier": tier, "zone": zone, "cidr": cidr, "map_public_ip_on_launch": tier == "public"}
        for tier, cidrs in (("public", public), ("private", private))
        for zone, cidr in zip(zones, cidrs)
    ]
    route_tables = []
    if public:
        route_tables.append({"name": f"{name}-public", "routes": {DEFAULT_ROUTE: "internet_gateway"}, "subnets": sorted(public)})
    for zone, cidr in zip(zones, private):
        # Each private subnet routes through the NAT in its own zone when there is one, so
        # losing a zone does not cut egress for the others; otherwise through the single NAT.
        nat_zone = zone if zone in nats else (nats[0] if nats else None)
        routes = {DEFAULT_ROUTE: f"nat_gateway:{nat_zone}"} if nat_zone else {}
        route_tables.append({"name": f"{name}-private-{zone}", "routes": routes, "subnets": [cidr]})
    endpoints = sorted(set(params.get("gateway_endpoints") or []))
    base = dict(params.get("tags") or {})
    tags = {resource_key("vpc"): dict(base, Name=name)}
    if public:
        tags[resource_key("internet_gateway")] = dict(base, Name=f"{name}-igw")
    for subnet in subnets:
        tags[resource_key("subnet", subnet["cidr"])] = dict(base, Name=subnet["name"], Tier=subnet["tier"])
    for table in route_tables:
        tags[resource_key("route_table", table["name"])] = dict(base, Name=table["name"])
    for zone in nats:
        tags[resource_key("nat_gateway", zone)] = dict(base, Name=f"{name}-nat-{zone}")
    for service in endpoints:
        tags[resource_key("gateway_endpoint", service)] = dict(base, Name=f"{name}-{service}")
    check_name_tags(name, tags)
    return {
        "name": name,
        "region": region,
        "cidr_block": str(ipaddress.IPv4Network(params["cidr_block"])),
        "dns_support": params["dns_support"],
        "dns_hostnames": params["dns_hostnames"],
        "zones": zones,
        "subnets": subnets,
        "internet_gateway": bool(public),
        "nat_gateways": nats,
        "route_tables": route_tables,
        "gateway_endpoints": endpoints,
        "tags": tags,
    }


def resource_key(kind, identity=None):
    """How a resource of the network is named in the view's ``tags`` (stable, id-free)."""
    return kind if identity is None else f"{kind}:{identity}"


def endpoint_service_name(region, service):
    return f"com.amazonaws.{region}.{service}"


def tags_of(resource):
    return boto3_tag_list_to_ansible_dict(resource.get("Tags", []))


def route_target(route, gateway_zones):
    """The kind of target of a described route, in view terms (None for local/other routes)."""
    if route.get("GatewayId", "").startswith("igw-"):
        return "internet_gateway"
    if route.get("NatGatewayId"):
        return f"nat_gateway:{gateway_zones.get(route['NatGatewayId'], 'unknown')}"
    return None


def describe_view(state, region):
    """The view of the network that exists, from the raw descriptions in ``state``."""
    if not state.get("vpc"):
        return {}
    subnet_by_id = {subnet["SubnetId"]: subnet for subnet in state["subnets"]}
    nat_zone = {
        gateway["NatGatewayId"]: subnet_by_id.get(gateway["SubnetId"], {}).get("AvailabilityZone", "unknown")
        for gateway in state["nat_gateways"]
    }
    route_tables = []
    for table in state["route_tables"]:
        name = tags_of(table).get("Name")
        if not name or any(association.get("Main") for association in table.get("Associations", [])):
            continue
        routes = {}
        for route in table.get("Routes", []):
            target = route_target(route, nat_zone)
            if target and route.get("DestinationCidrBlock") and route.get("State", "active") == "active":
                routes[route["DestinationCidrBlock"]] = target
        subnets = sorted(
            subnet_by_id[association["SubnetId"]]["CidrBlock"]
            for association in table.get("Associations", [])
            if association.get("SubnetId") in subnet_by_id
        )
        route_tables.append({"name": name, "routes": routes, "subnets": subnets})
    prefix = endpoint_service_name(region, "")
    tags = {resource_key("vpc"): tags_of(state["vpc"])}
    for gateway in state["internet_gateways"]:
        tags[resource_key("internet_gateway")] = tags_of(gateway)
    for subnet in state["subnets"]:
        tags[resource_key("subnet", subnet["CidrBlock"])] = tags_of(subnet)
    for table in state["route_tables"]:
        if tags_of(table).get("Name"):
            tags[resource_key("route_table", tags_of(table)["Name"])] = tags_of(table)
    for gateway in state["nat_gateways"]:
        tags[resource_key("nat_gateway", nat_zone[gateway["NatGatewayId"]])] = tags_of(gateway)
    for endpoint in state["endpoints"]:
        if endpoint["ServiceName"].startswith(prefix):
            tags[resource_key("gateway_endpoint", endpoint["ServiceName"][len(prefix):])] = tags_of(endpoint)
    return {
        "name": tags_of(state["vpc"]).get("Name"),
        "region": region,
        "cidr_block": state["vpc"]["CidrBlock"],
        "dns_support": state["dns_support"],
        "dns_hostnames": state["dns_hostnames"],
        "zones": sorted({subnet["AvailabilityZone"] for subnet in state["subnets"]}),
        "subnets": sorted(
            (
                {
                    "name": tags_of(subnet).get("Name"),
                    "tier": tags_of(subnet).get("Tier"),
                    "zone": subnet["AvailabilityZone"],
                    "cidr": subnet["CidrBlock"],
                    "map_public_ip_on_launch": subnet.get("MapPublicIpOnLaunch", False),
                }
                for subnet in state["subnets"]
            ),
            key=lambda subnet: subnet["cidr"],
        ),
        "internet_gateway": bool(state["internet_gateways"]),
        "nat_gateways": sorted(nat_zone.values()),
        "route_tables": sorted(route_tables, key=lambda table: table["name"]),
        "gateway_endpoints": sorted(
            endpoint["ServiceName"][len(prefix):] for endpoint in state["endpoints"] if endpoint["ServiceName"].startswith(prefix)
        ),
        "tags": tags,
    }


def comparable(view):
    """The view with lists in a canonical order, so a plan and a description compare equal."""
    if not view:
        return {}
    result = dict(view)
    result["zones"] = sorted(view["zones"])
    result["subnets"] = sorted(view["subnets"], key=lambda subnet: subnet["cidr"])
    result["nat_gateways"] = sorted(view["nat_gateways"])
    result["route_tables"] = sorted(view["route_tables"], key=lambda table: table["name"])
    return result

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Security group rules: validation, canonical form and the change plan (pure functions).

A rule is handled as one *atom*: a protocol, a port range and exactly one peer (an IPv4
or IPv6 CIDR, a prefix list or another security group). AWS groups atoms that share a
protocol and port range into one ``IpPermission``; flattening both sides into atoms makes
desired and current rules comparable one by one, whatever grouping AWS chose.
"""

from __future__ import annotations

import ipaddress
import re

from ..planning import is_unknown
from ..validation import OptionError

# Option value -> the protocol name AWS returns in descriptions.
PROTOCOLS = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "icmpv6": "icmpv6", "all": "-1"}
# What AWS (or a hand-made rule) may report -> our option value.
_API_PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp", "icmpv6": "icmpv6", "58": "icmpv6", "-1": "all"}
PEERS = ("cidr_ip", "cidr_ipv6", "prefix_list_id", "group_id", "group_name")
# The placeholder for "this group" while it does not exist yet (check mode of a create).
SELF_PLACEHOLDER = "(this security group)"

# EC2-VPC character set for group names, group descriptions and rule descriptions.
_TEXT = re.compile(r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$")
_TEXT_CHARS = "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
_GROUP_ID = re.compile(r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$")
_PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]+$")
MAX_TEXT = 255

_VPC_ID = re.compile(r"vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})")


def validate_group(name, description, vpc_id=None):
    """Reject a group name, description or VPC id AWS would refuse."""
    if vpc_id is not None and not _VPC_ID.fullmatch(vpc_id):
        raise OptionError("vpc_id", f"{vpc_id!r} is not a VPC id (vpc- followed by 8 or 17 hexadecimal digits)")
    if not name or len(name) > MAX_TEXT:
        raise OptionError("name", f"must be 1 to {MAX_TEXT} characters long")
    if name.lower().startswith("sg-"):
        raise OptionError("name", "must not start with 'sg-', which AWS reserves for group ids")
    if not _TEXT.fullmatch(name):
        raise OptionError("name", f"{name!r} may contain only {_TEXT_CHARS}")
    if description is not None:
        if not description or len(description) > MAX_TEXT:
            raise OptionError("description", f"must be 1 to {MAX_TEXT} characters long")
        if not _TEXT.fullmatch(description):
            raise OptionError("description", f"{description!r} may contain only {_TEXT_CHARS}")


def validate_rules(rules, option):
    """Turn the ``rules``/``rules_egress`` option into validated rule atoms.

    Each atom is a dict ``protocol, from_port, to_port, peer, target, description, option``;
    ``peer`` is one of :data:`PEERS` (``group_name`` is resolved later, it needs a read).
    """
    atoms = []
    seen = {}
    for index, rule in enumerate(rules or []):
        where = f"{option}[{index}]"
        atom = _validate_rule(rule, where)
        key = (atom["protocol"], atom["from_port"], atom["to_port"], atom["peer"], atom["target"])
        if key in seen:
            raise OptionError(where, f"duplicates {seen[key]}; AWS rejects the same rule twice")
        seen[key] = where
        atoms.append(atom)
    return atoms


def _validate_rule(rule, where):
    protocol = rule.get("protocol") or "tcp"
    if protocol not in PROTOCOLS:
        raise OptionError(f"{where}.protocol", f"{protocol!r} is not one of {', '.join(PROTOCOLS)}")
    from_port, to_port = _validate_ports(protocol, rule.get("from_port"), rule.get("to_port"), where)
    peers = [peer for peer in PEERS if rule.get(peer) not in (None, "")]
    if len(peers) != 1:
        raise OptionError(where, f"needs exactly one of {', '.join(PEERS)} (got {', '.join(peers) or 'none'})")
    peer = peers[0]
    target = _validate_peer(peer, str(rule[peer]), f"{where}.{peer}")
    description = rule.get("description") or ""
    if len(description) > MAX_TEXT:
        raise OptionError(f"{where}.description", f"is {len(description)} characters long; AWS allows {MAX_TEXT}")
    if not _TEXT.fullmatch(description):
        raise OptionError(f"{where}.description", f"{description!r} may contain only {_TEXT_CHARS}")
    return {
        "protocol": protocol,
        "from_port": from_port,
        "to_port": to_port,
        "peer": peer,
        "target": target,
        "description": description,
        "option": where,
    }


def _validate_ports(protocol, from_port, to_port, where):
    if protocol == "all":
        if from_port is not None or to_port is not None:
            raise OptionError(f"{where}.from_port", "protocol 'all' covers every port; remove from_port and to_port")
        return None, None
    if protocol in ("icmp", "icmpv6"):
        # For ICMP the "ports" are the ICMP type and code; -1 means any.
        icmp_type = -1 if from_port is None else from_port
        icmp_code = -1 if to_port is None else to_port
        for label, value in (("from_port", icmp_type), ("to_port", icmp_code)):
            if not -1 <= value <= 255:
                raise OptionError(f"{where}.{label}", f"ICMP type and code must be -1 (any) or 0 to 255, got {value}")
        if icmp_type == -1 and icmp_code != -1:
            raise OptionError(f"{where}.to_port", "an ICMP code needs a specific ICMP type in from_port")
        return icmp_type, icmp_code
    if from_port is None:
        raise OptionError(f"{where}.from_port", f"is required for protocol {protocol!r}")
    to_port = from_port if to_port is None else to_port
    for label, value in (("from_port", from_port), ("to_port", to_port)):
        if not 0 <= value <= 65535:
            raise OptionError(f"{where}.{label}", f"port {value} is outside 0 to 65535")
    if from_port > to_port:
        raise OptionError(f"{where}.to_port", f"the port range {from_port}-{to_port} is inverted; to_port must be >= from_port ({from_port})")
    return from_port, to_port


def _validate_peer(peer, value, where):
    if peer in ("cidr_ip", "cidr_ipv6"):
        version = 4 if peer == "cidr_ip" else 6
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise OptionError(where, f"{value!r} is not an IPv{version} CIDR block") from None
        if network.version != version:
            other = "cidr_ipv6" if version == 4 else "cidr_ip"
            raise OptionError(where, f"{value!r} is an IPv{network.version} block; use {other} for it")
        if "/" not in value:
            raise OptionError(where, f"{value!r} needs a prefix length, e.g. {network}")
        if str(network) != value.lower():
            raise OptionError(where, f"{value!r} has host bits set; the network is {network}")
        return str(network)
    if peer == "prefix_list_id":
        if not _PREFIX_LIST_ID.fullmatch(value):
            raise OptionError(where, f"{value!r} is not a prefix list id (pl-...)")
        return value
    if peer == "group_id":
        # The module accepts the check-mode placeholder of a group an earlier task would create.
        if not _GROUP_ID.fullmatch(value) and not is_unknown(value):
            raise OptionError(where, f"{value!r} is not a security group id (sg- followed by 8 or 17 hex digits)")
        return value
    if not value or len(value) > MAX_TEXT:
        raise OptionError(where, f"must be 1 to {MAX_TEXT} characters long")
    return value


def resolve_groups(atoms, groups, vpc_id, own_name, own_id):
    """Replace ``group_name`` peers by ``group_id`` and check ``group_id`` peers exist in the VPC.

    ``groups`` are the security groups of ``vpc_id`` as described by AWS. A reference to
    the managed group itself resolves to ``own_id`` (or a placeholder before it exists).
    Unknown references raise :class:`OptionError` naming the rule, before any write.
    """
    by_name = {group["GroupName"]: group["GroupId"] for group in groups}
    ids = set(by_name.values())
    resolved = []
    for atom in atoms:
        atom = dict(atom)
        if atom["peer"] == "group_name":
            name = atom["target"]
            if name == own_name:
                group_id = own_id or SELF_PLACEHOLDER
            elif name in by_name:
                group_id = by_name[name]
            else:
                known = ", ".join(sorted(by_name)) or "none"
                raise OptionError(f"{atom['option']}.group_name", f"no security group named {name!r} in {vpc_id} (groups there: {known})")
            atom.update(peer="group_id", target=group_id)
        elif atom["peer"] == "group_id" and atom["target"] not in ids and atom["target"] != own_id and not is_unknown(atom["target"]):
            raise OptionError(f"{atom['option']}.group_id", f"security group {atom['target']} does not exist in {vpc_id}")
        resolved.append(atom)
    return resolved


def current_rules(permissions):
    """Flatten AWS ``IpPermissions`` (or ``IpPermissionsEgress``) into rule atoms."""
    atoms = []
    for permission in permissions or []:
        protocol = _API_PROTOCOLS.get(str(permission.get("IpProtocol")).lower(), str(permission.get("IpProtocol")))
        if protocol == "all":
            from_port = to_port = None
        else:
            from_port, to_port = permission.get("FromPort"), permission.get("ToPort")
        peers = []
        peers += [("cidr_ip", item["CidrIp"], item) for item in permission.get("IpRanges", [])]
        peers += [("cidr_ipv6", item["CidrIpv6"], item) for item in permission.get("Ipv6Ranges", [])]
        peers += [("prefix_list_id", item["PrefixListId"], item) for item in permission.get("PrefixListIds", [])]
        peers += [("group_id", item["GroupId"], item) for item in permission.get("UserIdGroupPairs", [])]
        for peer, target, item in peers:
            atoms.append(
                {
                    "protocol": protocol,
                    "from_port": from_port,
                    "to_port": to_port,
                    "peer": peer,
                    "target": target,
                    "description": item.get("Description") or "",
                }
            )
    return atoms


def rule_key(atom):
    """What identifies a rule to AWS: everything but its description."""
    return (atom["protocol"], atom["from_port"], atom["to_port"], atom["peer"], atom["target"])


def plan_rules(current, desired, purge):
    """Return ``(to_add, to_remove, to_describe)`` turning ``current`` atoms into ``desired``.

    ``to_describe`` holds desired atoms that exist with another description; AWS updates
    those in place rather than by revoke and re-authorise.
    """
    current_by_key = {rule_key(atom): atom for atom in current}
    desired_keys = set()
    to_add, to_describe = [], []
    for atom in desired:
        key = rule_key(atom)
        desired_keys.add(key)
        existing = current_by_key.get(key)
        if existing is None:
            to_add.append(atom)
        elif existing["description"] != atom["description"]:
            to_describe.append(atom)
    to_remove = [atom for key, atom in current_by_key.items() if key not in desired_keys] if purge else []
    return to_add, to_remove, to_describe


def rules_after(current, to_add, to_remove, to_describe):
    """The rule atoms a group holds once a plan has been applied."""
    removed = {rule_key(atom) for atom in to_remove}
    described = {rule_key(atom): atom["description"] for atom in to_describe}
    result = []
    for atom in current:
        key = rule_key(atom)
        if key in removed:
            continue
        result.append(dict(atom, description=described.get(key, atom["description"])))
    return result + [dict(atom) for atom in to_add]


def ip_permissions(atoms):
    """AWS ``IpPermissions`` for rule atoms, one permission per atom.

    Descriptions go along even when revoking: AWS ignores them there, and the emulator only
    matches a rule that references a group when its description is given too.
    """
    permissions = []
    for atom in atoms:
        permission = {"IpProtocol": PROTOCOLS[atom["protocol"]]}
        if atom["protocol"] != "all":
            permission["FromPort"] = atom["from_port"]
            permission["ToPort"] = atom["to_port"]
        value_key, list_key = {
            "cidr_ip": ("CidrIp", "IpRanges"),
            "cidr_ipv6": ("CidrIpv6", "Ipv6Ranges"),
            "prefix_list_id": ("PrefixListId", "PrefixListIds"),
            "group_id": ("GroupId", "UserIdGroupPairs"),
        }[atom["peer"]]
        peer = {value_key: atom["target"]}
        if atom["description"]:
            peer["Description"] = atom["description"]
        permission[list_key] = [peer]
        permissions.append(permission)
    return permissions


def describe_rules(atoms):
    """Rule atoms in the module's option format, sorted, for results and diffs."""
    described = []
    for atom in atoms:
        rule = {"protocol": atom["protocol"], atom["peer"]: atom["target"]}
        if atom["from_port"] is not None:
            rule["from_port"] = atom["from_port"]
            rule["to_port"] = atom["to_port"]
        if atom["description"]:
            rule["description"] = atom["description"]
        described.append(rule)
    return sorted(described, key=_rule_sort_key)


def _rule_sort_key(rule):
    peer = next(key for key in PEERS if key in rule)
    return (rule["protocol"], rule.get("from_port") or 0, rule.get("to_port") or 0, peer, rule[peer])


def describe_group(group_id, name, vpc_id, description, ingress, egress, tags):
    """The module's view of a security group: what ``security_group`` returns and diffs."""
    return {
        "group_id": group_id,
        "group_name": name,
        "vpc_id": vpc_id,
        "description": description,
        "rules": describe_rules(ingress),
        "rules_egress": describe_rules(egress),
        "tags": dict(tags or {}),
    }

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache replication groups: validation, requests, the change plan and the view (pure functions).

The group runs with cluster mode disabled (one shard: a primary and its replicas), which is
what a Redis client given one URL expects. Encryption in transit and at rest are always on,
and the auth token (which needs encryption in transit) always comes from Secrets Manager.
"""

from __future__ import annotations

import re

from ..planning import UNKNOWN
from ..validation import OptionError

ENGINES = ("valkey", "redis")
_GROUP_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_NODE_TYPE = re.compile(r"^cache\.[a-z0-9]+\.[a-z0-9]+$")
_SUBNET = re.compile(r"^subnet-[0-9a-f]{8,17}$")
_GROUP = re.compile(r"^sg-[0-9a-f]{8,17}$")
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
_SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
MAX_CLUSTERS = 6
TOKEN_LENGTH = 64


def validate(params, check_mode):
    """Reject values ElastiCache would refuse; ids not known before apply pass only in check mode."""
    name = params["name"]
    if not _GROUP_ID.fullmatch(name) or "--" in name or name.endswith("-"):
        raise OptionError(
            "name", f"{name!r} is not a replication group id: 1 to 40 lowercase letters, digits and hyphens, starting with a letter, no '--', no trailing '-'"
        )
    if params["state"] == "absent":
        return
    if not _SECRET_NAME.fullmatch(params["auth_token_secret_name"] or ""):
        raise OptionError("auth_token_secret_name", "must be 1 to 512 letters, digits and /_+=.@- (a Secrets Manager secret name)")
    if not _NODE_TYPE.fullmatch(params["node_type"]):
        raise OptionError("node_type", f"{params['node_type']!r} is not a cache node type such as cache.t4g.micro")
    if params["engine_version"] and not _VERSION.fullmatch(params["engine_version"]):
        raise OptionError("engine_version", f"{params['engine_version']!r} is not a version such as 7.2")
    clusters = params["num_cache_clusters"]
    if not 1 <= clusters <= MAX_CLUSTERS:
        raise OptionError("num_cache_clusters", f"{clusters} is outside 1 to {MAX_CLUSTERS} (a primary and up to 5 replicas)")
    if params["automatic_failover"] and clusters < 2:
        raise OptionError("automatic_failover", "needs num_cache_clusters of 2 or more (a replica to fail over to)")
    if params["multi_az"] and not params["automatic_failover"]:
        raise OptionError("multi_az", "needs automatic_failover=true")
    if not 1 <= params["port"] <= 65535:
        raise OptionError("port", f"{params['port']} is outside 1 to 65535")
    if not 0 <= params["snapshot_retention_days"] <= 35:
        raise OptionError("snapshot_retention_days", f"{params['snapshot_retention_days']} is outside 0 to 35")
    _validate_ids("subnet_ids", params["subnet_ids"], _SUBNET, "subnet", check_mode)
    _validate_ids("security_group_ids", params["security_group_ids"], _GROUP, "security group", check_mode)
    if not params["subnet_ids"]:
        raise OptionError("subnet_ids", "needs at least one subnet (the private subnets, one per zone)")
    if not params["security_group_ids"]:
        raise OptionError("security_group_ids", "needs at least one security group")


def _validate_ids(option, values, pattern, what, check_mode):
    for index, value in enumerate(values or []):
        if value == UNKNOWN:
            if not check_mode:
                raise OptionError(f"{option}[{index}]", f"is {UNKNOWN!r}: it comes from a resource not created yet; only check mode accepts it")
        elif not pattern.fullmatch(value):
            raise OptionError(f"{option}[{index}]", f"{value!r} is not a {what} id")


def has_unknown(params):
    return any(value == UNKNOWN for value in (params["subnet_ids"] or []) + (params["security_group_ids"] or []))


def create_request(params, subnet_group_name, token):
    request = {
        "ReplicationGroupId": params["name"],
        "ReplicationGroupDescription": params["description"],
        "Engine": params["engine"],
        "CacheNodeType": params["node_type"],
        "NumCacheClusters": params["num_cache_clusters"],
        "AutomaticFailoverEnabled": params["automatic_failover"],
        "MultiAZEnabled": params["multi_az"],
        "CacheSubnetGroupName": subnet_group_name,
        "SecurityGroupIds": list(params["security_group_ids"]),
        "Port": params["port"],
        "TransitEncryptionEnabled": True,
        "AtRestEncryptionEnabled": True,
        "AuthToken": token,
        "SnapshotRetentionLimit": params["snapshot_retention_days"],
    }
    if params["engine_version"]:
        request["EngineVersion"] = params["engine_version"]
    if params["kms_key_id"]:
        request["KmsKeyId"] = params["kms_key_id"]
    return request


def endpoint(group):
    """``(address, port)`` of the primary endpoint, or ``(None, None)`` while it has none."""
    for node_group in (group or {}).get("NodeGroups") or []:
        primary = node_group.get("PrimaryEndpoint") or {}
        if primary.get("Address"):
            return primary["Address"], primary.get("Port")
    configuration = (group or {}).get("ConfigurationEndpoint") or {}
    return configuration.get("Address"), configuration.get("Port")


def url(address, port, token=None):
    """The client URL: TLS (rediss), with the token as password when given."""
    credentials = f":{token}@" if token else ""
    return f"rediss://{credentials}{address}:{port}/0"


def immutable_conflicts(group, params, subnet_group_name):
    """``(option, message)`` for each setting ElastiCache cannot change on an existing group."""
    conflicts = []
    engine = group.get("Engine")
    if engine and engine != params["engine"]:
        conflicts.append(("engine", f"the group runs {engine}"))
    address, port = endpoint(group)
    if port and port != params["port"]:
        conflicts.append(("port", f"the group listens on {port}"))
    if group.get("TransitEncryptionEnabled") is False:
        conflicts.append(("name", "the group was created without encryption in transit"))
    if group.get("AtRestEncryptionEnabled") is False:
        conflicts.append(("name", "the group was created without encryption at rest"))
    if params["kms_key_id"] and group.get("KmsKeyId") not in (None, params["kms_key_id"]):
        conflicts.append(("kms_key_id", f"the group is encrypted with {group.get('KmsKeyId')}"))
    return conflicts


def describe(group, security_group_ids, tags, subnet_group, engine_version=None):
    """The module's view of a replication group and its subnet group; empty when absent.

    Security groups and the engine version live on the member clusters (a replication group's
    description has neither); None means they could not be read.
    """
    if not group:
        return {}
    address, port = endpoint(group)
    return {
        "name": group.get("ReplicationGroupId"),
        "arn": group.get("ARN"),
        "description": group.get("Description"),
        "status": group.get("Status"),
        "engine": group.get("Engine"),
        "engine_version": engine_version,
        "node_type": group.get("CacheNodeType"),
        "automatic_failover": group.get("AutomaticFailover") in ("enabled", "enabling"),
        "multi_az": group.get("MultiAZ") == "enabled",
        "transit_encryption": bool(group.get("TransitEncryptionEnabled")),
        "at_rest_encryption": bool(group.get("AtRestEncryptionEnabled")),
        "auth_token_enabled": bool(group.get("AuthTokenEnabled")),
        "snapshot_retention_days": group.get("SnapshotRetentionLimit", 0),
        "security_group_ids": sorted(security_group_ids) if security_group_ids is not None else None,
        "subnet_ids": sorted(subnet["SubnetIdentifier"] for subnet in (subnet_group or {}).get("Subnets", [])),
        "endpoint": address,
        "port": port,
        "tags": dict(tags or {}),
    }


def comparable(view):
    """The view without what AWS assigns or reports as progress, for the diff."""
    return {key: value for key, value in view.items() if key not in ("arn", "status", "endpoint")}


def modifications(view, params):
    """The ModifyReplicationGroup arguments that bring ``view`` to ``params`` (empty when nothing differs)."""
    changes = {}
    if view["description"] != params["description"]:
        changes["ReplicationGroupDescription"] = params["description"]
    if view["node_type"] != params["node_type"]:
        changes["CacheNodeType"] = params["node_type"]
    # The version comes from a member cluster; without one (the emulator has none) there is nothing to compare.
    if params["engine_version"] and view.get("engine_version") and not _same_version(view["engine_version"], params["engine_version"]):
        changes["EngineVersion"] = params["engine_version"]
    if view["automatic_failover"] != params["automatic_failover"]:
        changes["AutomaticFailoverEnabled"] = params["automatic_failover"]
    if view["multi_az"] != params["multi_az"]:
        changes["MultiAZEnabled"] = params["multi_az"]
    if view["snapshot_retention_days"] != params["snapshot_retention_days"]:
        changes["SnapshotRetentionLimit"] = params["snapshot_retention_days"]
    # Security groups live on the member clusters; None means they could not be read.
    if view["security_group_ids"] is not None and view["security_group_ids"] != sorted(params["security_group_ids"]):
        changes["SecurityGroupIds"] = list(params["security_group_ids"])
    return changes


def _same_version(current, desired):
    """``7.2`` asks for the 7.2 line; ``7.2.4`` (what AWS reports) satisfies it."""
    return current == desired or current.startswith(desired + ".")


def apply_modifications(view, changes):
    """The view once ``changes`` (ModifyReplicationGroup arguments) have been applied."""
    view = dict(view)
    mapping = {
        "ReplicationGroupDescription": "description",
        "CacheNodeType": "node_type",
        "EngineVersion": "engine_version",
        "AutomaticFailoverEnabled": "automatic_failover",
        "MultiAZEnabled": "multi_az",
        "SnapshotRetentionLimit": "snapshot_retention_days",
    }
    for key, value in changes.items():
        if key in mapping:
            view[mapping[key]] = value
    if "SecurityGroupIds" in changes:
        view["security_group_ids"] = sorted(changes["SecurityGroupIds"])
    return view

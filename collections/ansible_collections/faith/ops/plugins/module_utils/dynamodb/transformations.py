# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for dynamodb_table: validate the request, describe tables, plan the changes.

A table is compared and reported in one shape, the *view*: the module's own option names
(``hash_key``, ``global_indexes``, ``ttl``...) filled from what AWS describes, plus the
read-only ``arn``, ``status`` and ``latest_stream_arn``. Each ``*_request`` function
compares one aspect of the desired table with the described one and returns the AWS
request that would converge it, or ``None`` when the aspect already matches.
"""

from __future__ import annotations

import re

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ..tagging import merged_tags
from ..tagging import validate_tags
from ..validation import OptionError

# Options that describe one table; at the top level they also give the defaults for the
# items of ``tables``.
TABLE_OPTIONS = (
    "name",
    "state",
    "attributes",
    "hash_key",
    "range_key",
    "billing_mode",
    "read_capacity",
    "write_capacity",
    "global_indexes",
    "ttl",
    "point_in_time_recovery",
    "recovery_period_days",
    "encryption",
    "deletion_protection",
    "stream",
    "replicas",
    "tags",
    "purge_tags",
)

# AWS naming rules for tables and indexes (botocore checks lengths, not the pattern).
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
MAX_ATTRIBUTE_NAME = 255
MAX_GLOBAL_INDEXES = 20
MAX_PROJECTED_ATTRIBUTES = 100
MAX_RECOVERY_PERIOD_DAYS = 35
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):\d{12}:key/[A-Za-z0-9-]+$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$")
AWS_MANAGED_KEY_ALIAS = "alias/aws/dynamodb"
REPLICA_STREAM_VIEW = "NEW_AND_OLD_IMAGES"
ON_DEMAND = "PAY_PER_REQUEST"
PROVISIONED = "PROVISIONED"
# States in which the described setting is (or is becoming) the one AWS reports.
SSE_ACTIVE = ("ENABLED", "ENABLING", "UPDATING")
TTL_ACTIVE = ("ENABLED", "ENABLING")
# Read-only or AWS-reported keys left out of the diff.
DIFF_IGNORED_KEYS = ("arn", "status", "latest_stream_arn")


class TableSpec:
    """The desired state of one table, and the option path of each of its values.

    For an item of ``tables``, a value the item sets is named ``tables[N].key`` in error
    messages; a value it inherits from the top level is named by its top-level option.
    """

    def __init__(self, values, item_keys=(), index=None):
        self.values = values
        self.item_keys = frozenset(item_keys)
        self.index = index

    def __getitem__(self, key):
        return self.values.get(key)

    @property
    def name(self):
        return self.values["name"]

    def option(self, key, suffix=""):
        if self.index is not None and key in self.item_keys:
            return f"tables[{self.index}].{key}{suffix}"
        return f"{key}{suffix}"


def table_specs(params):
    """The tables a module call manages: one from the top-level options, or one per ``tables`` item."""
    shared = {key: params.get(key) for key in TABLE_OPTIONS}
    if params.get("tables") is None:
        return [TableSpec(shared)]
    specs = []
    for index, item in enumerate(params["tables"]):
        given = {key: value for key, value in item.items() if value is not None}
        specs.append(TableSpec({**shared, **given}, item_keys=given, index=index))
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise OptionError("tables", f"lists table {', '.join(duplicates)} more than once; give each table once")
    return specs


# --- validation (before any API call) ------------------------------------------------------


def _check_name(value, option, what):
    if not NAME_PATTERN.match(value or ""):
        raise OptionError(option, f"{what} {value!r} must be 3 to 255 characters of letters, digits, '_', '-' and '.'")


def _attribute_types(spec):
    return {attribute["name"]: attribute["type"] for attribute in spec["attributes"] or []}


def _check_key(option, name, types):
    if name not in types:
        defined = ", ".join(sorted(types)) or "none"
        raise OptionError(option, f"{name!r} is not defined in attributes (defined: {defined}); add it there with its type (S, N or B)")


def _check_capacity(option, item, billing_mode):
    """``option(key)`` names the capacity option of ``item`` (the table or one of its indexes)."""
    read, write = item.get("read_capacity"), item.get("write_capacity")
    if billing_mode == PROVISIONED:
        for key, value in (("read_capacity", read), ("write_capacity", write)):
            if value is None or value < 1:
                raise OptionError(option(key), "billing_mode PROVISIONED needs a capacity of at least 1")
    elif read is not None or write is not None:
        key = "read_capacity" if read is not None else "write_capacity"
        raise OptionError(option(key), "capacities apply only with billing_mode PROVISIONED; remove it for PAY_PER_REQUEST")


def validate_table_spec(spec, region=None):
    """Raise ``OptionError`` for any value AWS would reject for this table (the emulator accepts most)."""
    _check_name(spec.name, spec.option("name"), "table name")
    if spec["state"] == "absent":
        return
    if not spec["attributes"]:
        raise OptionError(spec.option("attributes"), "is required with state=present: list every key attribute with its type")
    types = {}
    for position, attribute in enumerate(spec["attributes"]):
        option = spec.option("attributes", f"[{position}].name")
        if not attribute["name"] or len(attribute["name"]) > MAX_ATTRIBUTE_NAME:
            raise OptionError(option, f"attribute names must be 1 to {MAX_ATTRIBUTE_NAME} characters long")
        if attribute["name"] in types:
            raise OptionError(option, f"{attribute['name']!r} is defined twice")
        types[attribute["name"]] = attribute["type"]

    if not spec["hash_key"]:
        raise OptionError(spec.option("hash_key"), "is required with state=present")
    _check_key(spec.option("hash_key"), spec["hash_key"], types)
    if spec["range_key"] is not None:
        _check_key(spec.option("range_key"), spec["range_key"], types)
        if spec["range_key"] == spec["hash_key"]:
            raise OptionError(spec.option("range_key"), "must differ from hash_key")

    billing_mode = spec["billing_mode"] or ON_DEMAND
    _check_capacity(spec.option, spec.values, billing_mode)
    _validate_global_indexes(spec, types, billing_mode)
    _validate_ttl(spec, types)
    _validate_point_in_time_recovery(spec)
    _validate_encryption(spec)
    _validate_stream(spec)
    _validate_replicas(spec, region, billing_mode)
    validate_tags(spec["tags"], spec.option("tags"))


def _validate_global_indexes(spec, types, billing_mode):
    indexes = spec["global_indexes"]
    if indexes is None:
        return
    if len(indexes) > MAX_GLOBAL_INDEXES:
        raise OptionError(spec.option("global_indexes"), f"{len(indexes)} indexes given; AWS allows at most {MAX_GLOBAL_INDEXES} per table")
    seen = set()
    projected = 0
    for position, index in enumerate(indexes):
        prefix = spec.option("global_indexes", f"[{position}].")
        _check_name(index["name"], f"{prefix}name", "index name")
        if index["name"] in seen:
            raise OptionError(f"{prefix}name", f"index {index['name']!r} is given twice")
        seen.add(index["name"])
        _check_key(f"{prefix}hash_key", index["hash_key"], types)
        if index.get("range_key") is not None:
            _check_key(f"{prefix}range_key", index["range_key"], types)
            if index["range_key"] == index["hash_key"]:
                raise OptionError(f"{prefix}range_key", "must differ from the index's hash_key")
        projection = index.get("projection") or "ALL"
        non_key = index.get("non_key_attributes") or []
        if projection == "INCLUDE" and not non_key:
            raise OptionError(f"{prefix}non_key_attributes", "projection INCLUDE needs the attributes to project")
        if projection != "INCLUDE" and non_key:
            raise OptionError(f"{prefix}non_key_attributes", f"applies only to projection INCLUDE, not {projection}")
        projected += len(set(non_key))
        _check_capacity(lambda key, prefix=prefix: f"{prefix}{key}", index, billing_mode)
    if projected > MAX_PROJECTED_ATTRIBUTES:
        raise OptionError(spec.option("global_indexes"), f"project {projected} non-key attributes in all; AWS allows {MAX_PROJECTED_ATTRIBUTES} per table")
    _check_unused_attributes(spec, indexes)


def _check_unused_attributes(spec, indexes):
    key_names = {spec["hash_key"], spec["range_key"]}
    for index in indexes:
        key_names.update((index["hash_key"], index.get("range_key")))
    for position, attribute in enumerate(spec["attributes"]):
        if attribute["name"] not in key_names:
            raise OptionError(
                spec.option("attributes", f"[{position}].name"),
                f"{attribute['name']!r} is not a key of the table or of any global index; "
                "AWS rejects attribute definitions that no key uses (non-key attributes need no definition)",
            )


def _validate_ttl(spec, types):
    ttl = spec["ttl"]
    if ttl is None or not ttl.get("enabled", True):
        return
    option = spec.option("ttl", ".attribute_name")
    name = ttl.get("attribute_name")
    if name is None or not name.strip():
        raise OptionError(option, "is required when TTL is enabled: name the Number attribute holding the expiry time (epoch seconds)")
    if name != name.strip() or len(name) > MAX_ATTRIBUTE_NAME:
        raise OptionError(option, f"{name!r} must be 1 to {MAX_ATTRIBUTE_NAME} characters without surrounding spaces")
    # TTL needs no attribute definition, but a key attribute of another type can never
    # hold an epoch number, so items would silently never expire.
    if types.get(name, "N") != "N":
        raise OptionError(option, f"{name!r} is a key attribute of type {types[name]}; TTL reads a Number (epoch seconds) attribute")


def _validate_point_in_time_recovery(spec):
    days = spec["recovery_period_days"]
    if days is None:
        return
    option = spec.option("recovery_period_days")
    if not 1 <= days <= MAX_RECOVERY_PERIOD_DAYS:
        raise OptionError(option, f"{days} is out of range; AWS allows 1 to {MAX_RECOVERY_PERIOD_DAYS} days")
    if spec["point_in_time_recovery"] is not True:
        raise OptionError(option, "applies only with point_in_time_recovery: true")


def _validate_encryption(spec):
    encryption = spec["encryption"]
    if encryption is None:
        return
    option = spec.option("encryption", ".kms_key_arn")
    key = encryption.get("kms_key_arn")
    if encryption["type"] == "customer_managed":
        if not key or not KMS_KEY_ARN.match(key):
            raise OptionError(option, "type customer_managed needs the key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), as DynamoDB reports it")
    elif key:
        raise OptionError(option, f"applies only to type customer_managed, not {encryption['type']}")


def _validate_stream(spec):
    stream = spec["stream"]
    if stream is None:
        return
    if stream.get("enabled", True) and not stream.get("view_type"):
        raise OptionError(spec.option("stream", ".view_type"), "is required when the stream is enabled")


def _validate_replicas(spec, region, billing_mode):
    replicas = spec["replicas"]
    if not replicas:
        return
    stream = spec["stream"] or {}
    if not stream.get("enabled", True) or stream.get("view_type") != REPLICA_STREAM_VIEW:
        raise OptionError(spec.option("stream"), f"replicas need the stream enabled with view_type {REPLICA_STREAM_VIEW} (global tables replicate through it)")
    if billing_mode != ON_DEMAND:
        raise OptionError(
            spec.option("billing_mode"), "replicas need PAY_PER_REQUEST: provisioned global tables need write auto scaling, which this module does not manage"
        )
    customer_managed = (spec["encryption"] or {}).get("type") == "customer_managed"
    seen = set()
    for position, replica in enumerate(replicas):
        prefix = spec.option("replicas", f"[{position}].")
        name = replica["region"]
        if not REGION_PATTERN.match(name or ""):
            raise OptionError(f"{prefix}region", f"{name!r} is not an AWS region name such as us-west-2")
        if name == region:
            raise OptionError(f"{prefix}region", f"{name} is the table's own region; list only the other regions")
        if name in seen:
            raise OptionError(f"{prefix}region", f"{name} is listed twice")
        seen.add(name)
        key = replica.get("kms_key_arn")
        if customer_managed:
            match = KMS_KEY_ARN.match(key or "")
            if not match or match.group("region") != name:
                raise OptionError(f"{prefix}kms_key_arn", f"customer_managed encryption needs a key ARN in the replica's region {name}")
        elif key:
            raise OptionError(f"{prefix}kms_key_arn", "applies only with encryption type customer_managed")


def validate_against_current(spec, table, ttl=None):
    """Raise ``OptionError`` for what AWS would refuse given the described ``table`` (``None``: to be created).

    Called for every table before the first write, so one bad table changes nothing.
    """
    if table is None:
        if spec["global_indexes"] is None:
            # A new table gets no indexes then, so every definition must be a table key.
            _check_unused_attributes(spec, [])
        return
    current = key_schema_view(table)
    types = attribute_types(table)
    desired_types = _attribute_types(spec)
    for role, option in (("hash_key", "hash_key"), ("range_key", "range_key")):
        name = current.get(role)
        wanted = spec[role]
        known_type = types.get(name)
        if name != wanted or (known_type and wanted and desired_types.get(wanted) != known_type):
            described = ", ".join(f"{current[key]} ({types.get(current[key], '?')})" for key in ("hash_key", "range_key") if current.get(key))
            raise OptionError(
                spec.option(option),
                f"table {spec.name} has the key schema {described}; DynamoDB cannot change a table's keys: create a new table and copy the items",
            )
    if spec["ttl"] and spec["ttl"].get("enabled", True) and ttl:
        active = ttl.get("TimeToLiveStatus") in TTL_ACTIVE
        if active and ttl.get("AttributeName") != spec["ttl"]["attribute_name"]:
            raise OptionError(
                spec.option("ttl", ".attribute_name"),
                f"TTL of table {spec.name} is enabled on {ttl.get('AttributeName')!r}; AWS cannot move it in one step: "
                "disable TTL (ttl.enabled: false), wait for AWS to finish (up to an hour), then enable it on the new attribute",
            )


# --- reading AWS descriptions --------------------------------------------------------------


def attribute_types(table):
    return {item["AttributeName"]: item["AttributeType"] for item in table.get("AttributeDefinitions") or []}


def _key_names(key_schema):
    keys = {item["KeyType"]: item["AttributeName"] for item in key_schema or []}
    return keys.get("HASH"), keys.get("RANGE")


def key_schema_view(table):
    hash_key, range_key = _key_names(table.get("KeySchema"))
    return {"hash_key": hash_key, "range_key": range_key}


def billing_mode(table):
    # Tables that were never switched to on-demand report no BillingModeSummary.
    return (table.get("BillingModeSummary") or {}).get("BillingMode") or PROVISIONED


def live_indexes(table):
    """Global indexes that exist or are being built (not those being deleted)."""
    return [index for index in table.get("GlobalSecondaryIndexes") or [] if index.get("IndexStatus") != "DELETING"]


def is_settled(table):
    """Whether AWS would accept an UpdateTable now: the table, its indexes and replicas are ACTIVE."""
    statuses = [table.get("TableStatus")]
    statuses += [index.get("IndexStatus") for index in table.get("GlobalSecondaryIndexes") or []]
    statuses += [replica.get("ReplicaStatus") for replica in table.get("Replicas") or []]
    return all(status == "ACTIVE" for status in statuses)


def _index_view(index, provisioned):
    hash_key, range_key = _key_names(index.get("KeySchema"))
    projection = index.get("Projection") or {}
    view = {
        "name": index["IndexName"],
        "hash_key": hash_key,
        "range_key": range_key,
        "projection": projection.get("ProjectionType", "ALL"),
        "non_key_attributes": sorted(projection.get("NonKeyAttributes") or []),
        "status": index.get("IndexStatus"),
    }
    if provisioned:
        throughput = index.get("ProvisionedThroughput") or {}
        view["read_capacity"] = throughput.get("ReadCapacityUnits")
        view["write_capacity"] = throughput.get("WriteCapacityUnits")
    return view


def stream_view(table):
    stream = table.get("StreamSpecification") or {}
    enabled = bool(stream.get("StreamEnabled"))
    return {"enabled": enabled, "view_type": stream.get("StreamViewType") if enabled else None}


def table_kms_key(table):
    """The KMS key ARN encrypting ``table``, or ``None`` when an AWS-owned key does."""
    sse = table.get("SSEDescription") or {}
    if sse.get("SSEType") == "KMS" and sse.get("Status") in SSE_ACTIVE:
        return sse.get("KMSMasterKeyArn")
    return None


def needs_aws_managed_key(table, spec=None):
    """Whether telling AWS-managed from customer-managed encryption needs the AWS-managed key's ARN."""
    key = table_kms_key(table)
    if key is None:
        return False
    encryption = (spec["encryption"] if spec is not None else None) or {}
    return not (encryption.get("type") == "customer_managed" and encryption.get("kms_key_arn") == key)


def encryption_view(table, aws_managed_key_arn=None):
    key = table_kms_key(table)
    if key is None:
        return {"type": "aws_owned"}
    kind = "aws_managed" if aws_managed_key_arn and key == aws_managed_key_arn else "customer_managed"
    return {"type": kind, "kms_key_arn": key}


def table_view(table, encryption=None, pitr=None, ttl=None, tags=None):
    """The table in the module's own terms; ``pitr``/``ttl``/``tags`` are included when they were read."""
    provisioned = billing_mode(table) == PROVISIONED
    stream = stream_view(table)
    view = {
        "name": table["TableName"],
        "arn": table.get("TableArn"),
        "status": table.get("TableStatus"),
        "attributes": sorted(({"name": name, "type": kind} for name, kind in attribute_types(table).items()), key=lambda item: item["name"]),
        **key_schema_view(table),
        "billing_mode": billing_mode(table),
        "global_indexes": sorted((_index_view(index, provisioned) for index in live_indexes(table)), key=lambda item: item["name"]),
        "deletion_protection": bool(table.get("DeletionProtectionEnabled")),
        "stream": stream,
        "latest_stream_arn": table.get("LatestStreamArn") if stream["enabled"] else None,
        "replicas": sorted(
            (
                {"region": replica["RegionName"], "status": replica.get("ReplicaStatus"), "kms_key_arn": replica.get("KMSMasterKeyId")}
                for replica in table.get("Replicas") or []
            ),
            key=lambda item: item["region"],
        ),
    }
    if provisioned:
        throughput = table.get("ProvisionedThroughput") or {}
        view["read_capacity"] = throughput.get("ReadCapacityUnits")
        view["write_capacity"] = throughput.get("WriteCapacityUnits")
    if encryption is not None:
        view["encryption"] = encryption
    if pitr is not None:
        view["point_in_time_recovery"] = pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
        view["recovery_period_days"] = pitr.get("RecoveryPeriodInDays")
    if ttl is not None:
        view["ttl"] = {"enabled": ttl.get("TimeToLiveStatus") in TTL_ACTIVE, "attribute_name": ttl.get("AttributeName")}
    if tags is not None:
        view["tags"] = tags
    return view


def desired_index_view(index, provisioned):
    view = {
        "name": index["name"],
        "hash_key": index["hash_key"],
        "range_key": index.get("range_key"),
        "projection": index.get("projection") or "ALL",
        "non_key_attributes": sorted(set(index.get("non_key_attributes") or [])),
    }
    if provisioned:
        view["read_capacity"] = index.get("read_capacity")
        view["write_capacity"] = index.get("write_capacity")
    return view


def expected_view(spec, current=None):
    """The view the table will have once ``spec`` is applied to ``current`` (``None`` for a new table)."""
    if current is None:
        current = {
            "name": spec.name,
            "deletion_protection": False,
            "stream": {"enabled": False, "view_type": None},
            "encryption": {"type": "aws_owned"},
            "replicas": [],
            "global_indexes": [],
            "point_in_time_recovery": False,
            "ttl": {"enabled": False, "attribute_name": None},
            "tags": {},
        }
    view = dict(current)
    provisioned = (spec["billing_mode"] or ON_DEMAND) == PROVISIONED
    view["attributes"] = sorted(({"name": name, "type": kind} for name, kind in _attribute_types(spec).items()), key=lambda item: item["name"])
    view["hash_key"] = spec["hash_key"]
    view["range_key"] = spec["range_key"]
    view["billing_mode"] = spec["billing_mode"] or ON_DEMAND
    view.pop("read_capacity", None)
    view.pop("write_capacity", None)
    if provisioned:
        view["read_capacity"] = spec["read_capacity"]
        view["write_capacity"] = spec["write_capacity"]
    if spec["global_indexes"] is not None:
        view["global_indexes"] = sorted((desired_index_view(index, provisioned) for index in spec["global_indexes"]), key=lambda item: item["name"])
    if spec["deletion_protection"] is not None:
        view["deletion_protection"] = spec["deletion_protection"]
    if spec["stream"] is not None:
        enabled = spec["stream"].get("enabled", True)
        view["stream"] = {"enabled": enabled, "view_type": spec["stream"].get("view_type") if enabled else None}
    if spec["encryption"] is not None:
        encryption = {key: value for key, value in spec["encryption"].items() if value is not None}
        # The AWS-managed key is AWS's to name: keep the ARN already in use rather than
        # showing it as about to disappear.
        held = current.get("encryption") or {}
        if "kms_key_arn" not in encryption and held.get("type") == encryption.get("type") and held.get("kms_key_arn"):
            encryption["kms_key_arn"] = held["kms_key_arn"]
        view["encryption"] = encryption
    if spec["replicas"] is not None:
        view["replicas"] = sorted(
            ({key: value for key, value in replica.items() if value is not None} for replica in spec["replicas"]), key=lambda item: item["region"]
        )
    if spec["point_in_time_recovery"] is not None:
        view["point_in_time_recovery"] = spec["point_in_time_recovery"]
        if spec["recovery_period_days"] is not None:
            view["recovery_period_days"] = spec["recovery_period_days"]
    if spec["ttl"] is not None:
        enabled = spec["ttl"].get("enabled", True)
        view["ttl"] = {"enabled": enabled, "attribute_name": spec["ttl"].get("attribute_name") if enabled else None}
    if spec["tags"] is not None:
        view["tags"] = merged_tags(current.get("tags"), spec["tags"], spec["purge_tags"])
    return view


# --- planning requests ---------------------------------------------------------------------


def _key_schema(hash_key, range_key=None):
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def _throughput(item):
    return {"ReadCapacityUnits": item["read_capacity"], "WriteCapacityUnits": item["write_capacity"]}


def _index_request(index, provisioned):
    projection = {"ProjectionType": index.get("projection") or "ALL"}
    if projection["ProjectionType"] == "INCLUDE":
        projection["NonKeyAttributes"] = sorted(set(index["non_key_attributes"]))
    request = {"IndexName": index["name"], "KeySchema": _key_schema(index["hash_key"], index.get("range_key")), "Projection": projection}
    if provisioned:
        request["ProvisionedThroughput"] = _throughput(index)
    return request


def _definitions(types, key_schemas):
    names = []
    for schema in key_schemas:
        for key in schema:
            if key["AttributeName"] not in names:
                names.append(key["AttributeName"])
    return [{"AttributeName": name, "AttributeType": types[name]} for name in names]


def _update_definitions(spec, table, index_key_schemas):
    """The full AttributeDefinitions for an update: the table's keys and those of every index kept.

    The emulator replaces the stored definitions with whatever an update sends, and AWS needs
    the new index's keys defined, so every update that touches indexes sends the whole list.
    """
    types = {**attribute_types(table), **_attribute_types(spec)}
    return _definitions(types, [table["KeySchema"], *index_key_schemas])


def create_request(spec):
    """The CreateTable request for ``spec`` (settings CreateTable cannot take are applied afterwards)."""
    provisioned = (spec["billing_mode"] or ON_DEMAND) == PROVISIONED
    indexes = spec["global_indexes"] or []
    types = _attribute_types(spec)
    key_schema = _key_schema(spec["hash_key"], spec["range_key"])
    index_requests = [_index_request(index, provisioned) for index in indexes]
    request = {
        "TableName": spec.name,
        "AttributeDefinitions": _definitions(types, [key_schema, *(index["KeySchema"] for index in index_requests)]),
        "KeySchema": key_schema,
        "BillingMode": spec["billing_mode"] or ON_DEMAND,
    }
    if provisioned:
        request["ProvisionedThroughput"] = _throughput(spec.values)
    if index_requests:
        request["GlobalSecondaryIndexes"] = index_requests
    sse = _sse_specification(spec["encryption"])
    if sse is not None and sse["Enabled"]:
        request["SSESpecification"] = sse
    if spec["stream"] and spec["stream"].get("enabled", True):
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": spec["stream"]["view_type"]}
    if spec["deletion_protection"] is not None:
        request["DeletionProtectionEnabled"] = spec["deletion_protection"]
    if spec["tags"]:
        request["Tags"] = ansible_dict_to_boto3_tag_list(spec["tags"])
    return request


def deletion_protection_request(spec, table):
    desired = spec["deletion_protection"]
    if desired is None or desired == bool(table.get("DeletionProtectionEnabled")):
        return None
    return {"DeletionProtectionEnabled": desired}


def _index_shape(view, types):
    return (
        view["hash_key"],
        types.get(view["hash_key"]),
        view["range_key"],
        types.get(view["range_key"]) if view["range_key"] else None,
        view["projection"],
        tuple(view["non_key_attributes"]),
    )


def _same_shape(desired, desired_types, current, current_types):
    wanted = _index_shape(desired, desired_types)
    actual = _index_shape(current, current_types)
    # A type the table no longer describes (the emulator drops definitions) is not evidence of change.
    return all(have is None and position in (1, 3) or have == want for position, (want, have) in enumerate(zip(wanted, actual)))


def index_removals(spec, table):
    """Names of global indexes to delete: unwanted ones, and wanted ones whose keys or projection differ."""
    if spec["global_indexes"] is None:
        return []
    provisioned = billing_mode(table) == PROVISIONED
    desired = {index["name"]: desired_index_view(index, provisioned) for index in spec["global_indexes"]}
    desired_types, current_types = _attribute_types(spec), attribute_types(table)
    removals = []
    for index in live_indexes(table):
        current = _index_view(index, provisioned)
        wanted = desired.get(current["name"])
        if wanted is None or not _same_shape(wanted, desired_types, current, current_types):
            removals.append(current["name"])
    return sorted(removals)


def index_removal_request(spec, table, name):
    kept = [index["KeySchema"] for index in live_indexes(table) if index["IndexName"] != name]
    return {
        "AttributeDefinitions": _update_definitions(spec, table, kept),
        "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": name}}],
    }


def index_additions(spec, table):
    """The wanted global indexes the table does not have (in the order given)."""
    if spec["global_indexes"] is None:
        return []
    present = {index["IndexName"] for index in live_indexes(table)}
    return [index for index in spec["global_indexes"] if index["name"] not in present]


def index_addition_request(spec, table, index):
    provisioned = (spec["billing_mode"] or ON_DEMAND) == PROVISIONED
    created = _index_request(index, provisioned)
    kept = [existing["KeySchema"] for existing in live_indexes(table)]
    return {
        "AttributeDefinitions": _update_definitions(spec, table, [*kept, created["KeySchema"]]),
        "GlobalSecondaryIndexUpdates": [{"Create": created}],
    }


def index_throughput_requests(spec, table):
    """``(name, request)`` for each kept provisioned index whose capacity differs."""
    if spec["global_indexes"] is None or (spec["billing_mode"] or ON_DEMAND) != PROVISIONED or billing_mode(table) != PROVISIONED:
        return []
    current = {index["IndexName"]: _index_view(index, True) for index in live_indexes(table)}
    requests = []
    for index in spec["global_indexes"]:
        have = current.get(index["name"])
        if have and (have["read_capacity"], have["write_capacity"]) != (index["read_capacity"], index["write_capacity"]):
            update = {"IndexName": index["name"], "ProvisionedThroughput": _throughput(index)}
            requests.append((index["name"], {"GlobalSecondaryIndexUpdates": [{"Update": update}]}))
    return requests


def billing_request(spec, table):
    desired = spec["billing_mode"] or ON_DEMAND
    current = billing_mode(table)
    if desired == ON_DEMAND:
        return {"BillingMode": ON_DEMAND} if current != ON_DEMAND else None
    throughput = table.get("ProvisionedThroughput") or {}
    if current == PROVISIONED:
        if (throughput.get("ReadCapacityUnits"), throughput.get("WriteCapacityUnits")) == (spec["read_capacity"], spec["write_capacity"]):
            return None
        return {"ProvisionedThroughput": _throughput(spec.values)}
    # Leaving on-demand, AWS needs a capacity for every index too, in the same request.
    wanted = {index["name"]: index for index in spec["global_indexes"] or []}
    updates = [
        {"Update": {"IndexName": index["IndexName"], "ProvisionedThroughput": _throughput(wanted[index["IndexName"]])}}
        for index in live_indexes(table)
        if index["IndexName"] in wanted
    ]
    request = {"BillingMode": PROVISIONED, "ProvisionedThroughput": _throughput(spec.values)}
    if updates:
        request["GlobalSecondaryIndexUpdates"] = updates
    return request


def _sse_specification(encryption):
    if encryption is None:
        return None
    if encryption["type"] == "aws_owned":
        return {"Enabled": False}
    sse = {"Enabled": True, "SSEType": "KMS"}
    if encryption["type"] == "customer_managed":
        sse["KMSMasterKeyId"] = encryption["kms_key_arn"]
    return sse


def encryption_request(spec, table, aws_managed_key_arn=None):
    """The SSESpecification converging the table's encryption, or ``None``."""
    encryption = spec["encryption"]
    if encryption is None:
        return None
    current = encryption_view(table, aws_managed_key_arn)
    if current["type"] == encryption["type"] and (encryption["type"] != "customer_managed" or current["kms_key_arn"] == encryption["kms_key_arn"]):
        return None
    return _sse_specification(encryption)


def stream_requests(spec, table):
    """The StreamSpecifications to send in turn: AWS changes a stream's view type only by disabling it first."""
    stream = spec["stream"]
    if stream is None:
        return []
    current = stream_view(table)
    if not stream.get("enabled", True):
        return [{"StreamEnabled": False}] if current["enabled"] else []
    if current["enabled"] and current["view_type"] == stream["view_type"]:
        return []
    enable = {"StreamEnabled": True, "StreamViewType": stream["view_type"]}
    return [{"StreamEnabled": False}, enable] if current["enabled"] else [enable]


def replica_regions(table):
    """Regions of the table's replicas, except those already being deleted."""
    return sorted(_current_replicas(table))


def _current_replicas(table):
    return {replica["RegionName"]: replica for replica in table.get("Replicas") or [] if replica.get("ReplicaStatus") != "DELETING"}


def replica_removals(spec, table):
    """Regions whose replica must go (each one is its own UpdateTable call)."""
    if spec["replicas"] is None:
        return []
    wanted = {replica["region"] for replica in spec["replicas"]}
    return sorted(region for region in _current_replicas(table) if region not in wanted)


def replica_additions(spec, table):
    """``ReplicaUpdates`` entries creating missing replicas or changing a replica's key, one per call."""
    if spec["replicas"] is None:
        return []
    current = _current_replicas(table)
    updates = []
    for replica in spec["replicas"]:
        action = {"RegionName": replica["region"]}
        if replica.get("kms_key_arn"):
            action["KMSMasterKeyId"] = replica["kms_key_arn"]
        have = current.get(replica["region"])
        if have is None:
            updates.append({"Create": action})
        elif replica.get("kms_key_arn") and have.get("KMSMasterKeyId") != replica["kms_key_arn"]:
            updates.append({"Update": action})
    return updates


def point_in_time_recovery_request(spec, pitr):
    """The PointInTimeRecoverySpecification converging PITR, or ``None``."""
    desired = spec["point_in_time_recovery"]
    if desired is None:
        return None
    enabled = (pitr or {}).get("PointInTimeRecoveryStatus") == "ENABLED"
    if not desired:
        return {"PointInTimeRecoveryEnabled": False} if enabled else None
    days = spec["recovery_period_days"]
    if enabled and (days is None or (pitr or {}).get("RecoveryPeriodInDays") == days):
        return None
    request = {"PointInTimeRecoveryEnabled": True}
    if days is not None:
        request["RecoveryPeriodInDays"] = days
    return request


def ttl_request(spec, ttl):
    """The TimeToLiveSpecification converging TTL, or ``None`` (moves are refused by ``validate_against_current``)."""
    desired = spec["ttl"]
    if desired is None:
        return None
    active = (ttl or {}).get("TimeToLiveStatus") in TTL_ACTIVE
    if desired.get("enabled", True):
        if active:
            return None
        return {"Enabled": True, "AttributeName": desired["attribute_name"]}
    # Disabling names the attribute TTL is currently on, whatever the option says.
    return {"Enabled": False, "AttributeName": ttl["AttributeName"]} if active else None

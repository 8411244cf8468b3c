# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""S3 buckets: validation, the settings in AWS's shapes, and the module's view (pure functions)."""

from __future__ import annotations

import ipaddress
import json
import re

from ..validation import OptionError

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ENCRYPTIONS = ("AES256", "aws:kms")
OWNERSHIPS = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")
BLOCK_ALL_PUBLIC_ACCESS = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def validate_name(name):
    """Reject a bucket name S3 would refuse (the emulator accepts most of them)."""
    rule = "3 to 63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit"
    if not _NAME.fullmatch(name or ""):
        raise OptionError("name", f"{name!r} is not a bucket name: {rule}")
    if ".." in name or ".-" in name or "-." in name:
        raise OptionError("name", f"{name!r} has adjacent dots or a dot next to a hyphen, which S3 rejects")
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        raise OptionError("name", f"{name!r} looks like an IP address, which S3 rejects as a bucket name")
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            raise OptionError("name", f"{name!r} starts with {prefix!r}, which S3 reserves")
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3"):
        if name.endswith(suffix):
            raise OptionError("name", f"{name!r} ends with {suffix!r}, which S3 reserves")


def validate(params):
    validate_name(params["name"])
    if params["state"] == "absent":
        return
    if params["encryption"] == "AES256" and params["kms_key_id"]:
        raise OptionError("kms_key_id", "needs encryption=aws:kms; AES256 (S3-managed keys) takes no key")
    ids = set()
    for index, rule in enumerate(params["lifecycle_rules"] or []):
        where = f"lifecycle_rules[{index}]"
        if not rule.get("id") or len(rule["id"]) > 255:
            raise OptionError(f"{where}.id", "must be 1 to 255 characters long")
        if rule["id"] in ids:
            raise OptionError(f"{where}.id", f"{rule['id']!r} is used by another rule; rule ids must be unique")
        ids.add(rule["id"])
        actions = ("expiration_days", "noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days")
        if all(rule.get(action) is None for action in actions):
            raise OptionError(where, f"needs at least one of {', '.join(actions)}")
        for action in actions:
            value = rule.get(action)
            if value is not None and value < 1:
                raise OptionError(f"{where}.{action}", f"{value} is not a number of days (1 or more)")
    if params["policy"] is not None and not isinstance(params["policy"].get("Statement"), list):
        raise OptionError("policy", "must be a policy document with a Statement list")


def encryption_configuration(algorithm, kms_key_id):
    default = {"SSEAlgorithm": algorithm}
    if kms_key_id:
        default["KMSMasterKeyID"] = kms_key_id
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": algorithm == "aws:kms"}]}


def describe_encryption(configuration):
    """``(algorithm, kms key)`` of a bucket's default encryption, or ``(None, None)``."""
    rules = (configuration or {}).get("Rules") or []
    if not rules:
        return None, None
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    return default.get("SSEAlgorithm"), default.get("KMSMasterKeyID")


def lifecycle_rules(rules):
    """The ``lifecycle_rules`` option in the shape PutBucketLifecycleConfiguration takes."""
    result = []
    for rule in rules or []:
        aws = {"ID": rule["id"], "Status": "Enabled", "Filter": {"Prefix": rule.get("prefix") or ""}}
        if rule.get("expiration_days") is not None:
            aws["Expiration"] = {"Days": rule["expiration_days"]}
        if rule.get("noncurrent_version_expiration_days") is not None:
            aws["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule["noncurrent_version_expiration_days"]}
        if rule.get("abort_incomplete_multipart_upload_days") is not None:
            aws["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule["abort_incomplete_multipart_upload_days"]}
        result.append(aws)
    return result


def describe_lifecycle(rules):
    """AWS lifecycle rules in the option format, sorted by id, for comparison and results."""
    described = []
    for rule in rules or []:
        prefix = (rule.get("Filter") or {}).get("Prefix", rule.get("Prefix", "")) or ""
        item = {"id": rule.get("ID"), "prefix": prefix, "enabled": rule.get("Status") == "Enabled"}
        if "Expiration" in rule and rule["Expiration"].get("Days") is not None:
            item["expiration_days"] = rule["Expiration"]["Days"]
        if "NoncurrentVersionExpiration" in rule:
            item["noncurrent_version_expiration_days"] = rule["NoncurrentVersionExpiration"].get("NoncurrentDays")
        if "AbortIncompleteMultipartUpload" in rule:
            item["abort_incomplete_multipart_upload_days"] = rule["AbortIncompleteMultipartUpload"].get("DaysAfterInitiation")
        described.append(item)
    return sorted(described, key=lambda item: item["id"] or "")


def normalise_policy(value):
    """A policy document in a canonical form: AWS may return ``["x"]`` as ``"x"`` and reorder lists."""
    if isinstance(value, dict):
        return {key: normalise_policy(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [normalise_policy(item) for item in value]
        if len(items) == 1 and not isinstance(items[0], dict):
            return items[0]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def describe(name, settings):
    """The module's view of a bucket (``settings`` as read or planned); empty when it does not exist."""
    if settings is None:
        return {}
    algorithm, kms_key = describe_encryption(settings.get("encryption"))
    return {
        "name": name,
        "encryption": algorithm,
        "kms_key_id": kms_key,
        "public_access_block": dict(settings.get("public_access_block") or {}),
        "object_ownership": settings.get("ownership"),
        "versioning": settings.get("versioning") == "Enabled",
        "lifecycle_rules": describe_lifecycle(settings.get("lifecycle")),
        "policy": normalise_policy(settings["policy"]) if settings.get("policy") else None,
        "tags": dict(settings.get("tags") or {}),
    }

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch Logs log groups: validate the declared group, describe it for the diff."""

from __future__ import annotations

import re

from ..planning import is_unknown
from ..validation import OptionError

LOG_GROUP_NAME = re.compile(r"^[\w\-/.#]{1,512}$")
# The only retention periods CloudWatch Logs accepts.
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[\w-]+$")


def validate_log_group(params):
    name = params["name"]
    if not LOG_GROUP_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 512 letters, digits or _ - / . #")
    days = params.get("retention_days")
    if days is not None and days not in RETENTION_DAYS:
        raise OptionError("retention_days", f"{days} is not a retention CloudWatch Logs offers; choose one of {', '.join(map(str, RETENTION_DAYS))}")
    key = params.get("kms_key_id")
    if key and not is_unknown(key) and not KMS_KEY_ARN.match(key):
        # AssociateKmsKey and CreateLogGroup take only a key ARN (no alias, no bare id).
        raise OptionError("kms_key_id", f"{key!r} is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)")


def log_group_view(group, tags):
    """The managed parts of a log group as the diff and the result show them."""
    if not group:
        return {}
    return {
        "name": group["logGroupName"],
        "retention_days": group.get("retentionInDays"),
        "kms_key_id": group.get("kmsKeyId"),
        "tags": dict(tags or {}),
    }


def desired_view(params, tags):
    return {"name": params["name"], "retention_days": params["retention_days"], "kms_key_id": params["kms_key_id"], "tags": tags}

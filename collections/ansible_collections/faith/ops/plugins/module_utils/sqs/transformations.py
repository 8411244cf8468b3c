# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SQS queues: validate the declared queue and its dead-letter queue, build and compare attributes.

SQS reports every attribute as a string and fills in defaults; the view compares only the
attributes the module manages, as integers, with the redrive policy parsed.
"""

from __future__ import annotations

import json
import re

from ..planning import is_unknown
from ..validation import OptionError

QUEUE_NAME = re.compile(r"^[\w-]{1,80}$")
# Option => (SQS attribute, lowest, highest, SQS's default).
SETTINGS = {
    "visibility_timeout": ("VisibilityTimeout", 0, 43200, 30),
    "message_retention_seconds": ("MessageRetentionPeriod", 60, 1209600, 345600),
    "receive_wait_seconds": ("ReceiveMessageWaitTimeSeconds", 0, 20, 0),
    "delay_seconds": ("DelaySeconds", 0, 900, 0),
    "max_message_size": ("MaximumMessageSize", 1024, 262144, 262144),
}
MAX_RECEIVE_COUNT = (1, 1000)
# Attributes that are unset by setting them to an empty string.
REMOVABLE = ("RedrivePolicy", "KmsMasterKeyId")
DATA_KEY_REUSE = (60, 86400, 300)


def validate_queue(params):
    """Validate the queue and its dead-letter queue; everything that needs no AWS answer."""
    if not QUEUE_NAME.match(params["name"] or ""):
        raise OptionError("name", f"{params['name']!r} must be 1 to 80 letters, digits, '-' or '_'")
    if params["state"] == "absent":
        return
    _validate_settings(params, "")
    reuse = params.get("kms_data_key_reuse_seconds")
    if reuse is not None and not DATA_KEY_REUSE[0] <= reuse <= DATA_KEY_REUSE[1]:
        raise OptionError("kms_data_key_reuse_seconds", f"{reuse} is outside {DATA_KEY_REUSE[0]} to {DATA_KEY_REUSE[1]} seconds")
    dlq = params.get("dead_letter_queue")
    if dlq:
        if not QUEUE_NAME.match(dlq.get("name") or ""):
            raise OptionError("dead_letter_queue.name", f"{dlq.get('name')!r} must be 1 to 80 letters, digits, '-' or '_'")
        if dlq["name"] == params["name"]:
            raise OptionError("dead_letter_queue.name", "names the queue itself; a dead-letter queue must be another queue")
        count = dlq.get("max_receive_count")
        if count is None:
            raise OptionError("dead_letter_queue.max_receive_count", "is required: receives (1 to 1000) after which a message moves to the dead-letter queue")
        if not MAX_RECEIVE_COUNT[0] <= count <= MAX_RECEIVE_COUNT[1]:
            raise OptionError("dead_letter_queue.max_receive_count", f"{count} must be {MAX_RECEIVE_COUNT[0]} to {MAX_RECEIVE_COUNT[1]}")
        _validate_settings(dlq, "dead_letter_queue.")
        retention = params.get("message_retention_seconds") or SETTINGS["message_retention_seconds"][3]
        dlq_retention = dlq.get("message_retention_seconds") or SETTINGS["message_retention_seconds"][3]
        if dlq_retention < retention:
            # SQS keeps a message's original enqueue time in the dead-letter queue, so a shorter
            # retention there drops failed messages before anyone can look at them.
            raise OptionError(
                "dead_letter_queue.message_retention_seconds",
                f"{dlq_retention} is shorter than the queue's retention ({retention}); failed messages would expire on arrival",
            )


def _validate_settings(values, prefix):
    for option, (_attribute, low, high, _default) in SETTINGS.items():
        value = values.get(option)
        if value is not None and not low <= value <= high:
            raise OptionError(f"{prefix}{option}", f"{value} is outside {low} to {high}")


def desired_attributes(values, kms_key_id, data_key_reuse, dead_letter_arn=None, max_receive_count=None):
    """The SQS attributes (strings, as SQS takes them) for the declared settings.

    A setting left out is SQS's default, so a queue drifted away from it is brought back.
    """
    attributes = {}
    for option, (attribute, _low, _high, default) in SETTINGS.items():
        value = values.get(option)
        attributes[attribute] = str(default if value is None else value)
    if kms_key_id:
        attributes["KmsMasterKeyId"] = kms_key_id
        attributes["KmsDataKeyReusePeriodSeconds"] = str(data_key_reuse or DATA_KEY_REUSE[2])
    else:
        # Without a customer key, queues are encrypted with SQS-managed keys (SSE-SQS).
        attributes["SqsManagedSseEnabled"] = "true"
    if dead_letter_arn:
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": max_receive_count}, sort_keys=True)
    return attributes


def queue_view(name, attributes, tags):
    """The managed parts of a queue as the diff and the result show them."""
    if attributes is None:
        return {}
    view = {"name": name}
    for option, (attribute, _low, _high, default) in SETTINGS.items():
        view[option] = int(attributes.get(attribute, default))
    view["kms_master_key_id"] = attributes.get("KmsMasterKeyId") or None
    if view["kms_master_key_id"]:
        view["kms_data_key_reuse_seconds"] = int(attributes.get("KmsDataKeyReusePeriodSeconds", DATA_KEY_REUSE[2]))
    view["sqs_managed_sse"] = str(attributes.get("SqsManagedSseEnabled", "false")).lower() == "true"
    redrive = attributes.get("RedrivePolicy")
    if redrive:
        policy = json.loads(redrive) if isinstance(redrive, str) else redrive
        arn = policy.get("deadLetterTargetArn") or ""
        view["redrive_policy"] = {
            "dead_letter_queue": arn if is_unknown(arn) else arn.split(":")[-1],
            "max_receive_count": int(policy.get("maxReceiveCount")),
        }
    else:
        view["redrive_policy"] = None
    view["tags"] = dict(tags or {})
    return view


def attribute_changes(current, desired):
    """The desired attributes whose value differs from the current one (redrive compared parsed)."""
    changes = {}
    for key, value in desired.items():
        now = current.get(key)
        if key == "RedrivePolicy":
            parsed_now = json.loads(now) if now else {}
            parsed = json.loads(value)
            same_target = str(parsed_now.get("deadLetterTargetArn")) == str(parsed["deadLetterTargetArn"])
            if not same_target or int(parsed_now.get("maxReceiveCount") or 0) != int(parsed["maxReceiveCount"]):
                changes[key] = value
        elif key == "SqsManagedSseEnabled":
            if str(now or "false").lower() != value:
                changes[key] = value
        elif str(now) != value:
            changes[key] = value
    for key in REMOVABLE:
        if key not in desired and current.get(key):
            # An empty value removes the attribute (no redrive, no customer managed key).
            changes[key] = ""
    return changes


def applied_attributes(current, desired):
    """The attributes a queue has once ``desired`` is applied to ``current``."""
    attributes = dict(current, **desired)
    for key in REMOVABLE:
        if key not in desired:
            attributes.pop(key, None)
    return attributes

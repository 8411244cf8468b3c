# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SNS topics: validate the declared topic and subscriptions, compare them with what exists.

A subscription is identified by its protocol and endpoint. E-mail and https endpoints stay
"PendingConfirmation" until their owner confirms; such a subscription exists as far as the
declaration goes, but SNS cannot remove it (it expires on its own after three days).
"""

from __future__ import annotations

import re

from ..planning import is_unknown
from ..validation import OptionError

TOPIC_NAME = re.compile(r"^[\w-]{1,256}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PENDING = "PendingConfirmation"
PROTOCOLS = ("email", "email-json", "https", "sqs", "lambda")
# Endpoints that must confirm a subscription before it delivers.
CONFIRMED_BY_OWNER = ("email", "email-json", "https")
MAX_DISPLAY_NAME = 100


def validate_topic(params):
    name = params["name"]
    if not TOPIC_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 256 letters, digits, '-' or '_' (FIFO topics are not managed here)")
    display = params.get("display_name") or ""
    if len(display) > MAX_DISPLAY_NAME:
        raise OptionError("display_name", f"is {len(display)} characters; SNS allows {MAX_DISPLAY_NAME}")
    seen = set()
    for index, subscription in enumerate(params.get("subscriptions") or []):
        option = f"subscriptions[{index}]"
        protocol, endpoint = subscription["protocol"], subscription["endpoint"] or ""
        if protocol.startswith("email") and not EMAIL.match(endpoint):
            raise OptionError(f"{option}.endpoint", f"{endpoint!r} is not an e-mail address")
        if protocol == "https" and not re.match(r"^https://[^\s/]+", endpoint):
            # Alarm notifications carry service details; plain http would send them in clear.
            raise OptionError(f"{option}.endpoint", f"{endpoint!r} is not an https:// URL (http endpoints are refused)")
        if protocol in ("sqs", "lambda") and not is_unknown(endpoint) and not endpoint.startswith("arn:aws"):
            raise OptionError(f"{option}.endpoint", f"{endpoint!r} is not an ARN; {protocol} subscriptions take the {protocol} resource's ARN")
        key = (protocol, endpoint)
        if key in seen:
            raise OptionError(option, f"{protocol} {endpoint} is listed twice")
        seen.add(key)


def subscription_key(subscription):
    return (subscription.get("Protocol") or subscription.get("protocol"), subscription.get("Endpoint") or subscription.get("endpoint"))


def subscription_changes(current, desired, purge):
    """``(to_add, to_remove)``: keys to subscribe, and current subscriptions to unsubscribe.

    ``desired=None`` leaves subscriptions alone. Pending subscriptions are never in ``to_remove``
    (SNS refuses to unsubscribe them).
    """
    if desired is None:
        return [], []
    wanted = [(item["protocol"], item["endpoint"]) for item in desired]
    existing = {subscription_key(item) for item in current}
    to_add = [key for key in wanted if key not in existing]
    to_remove = []
    if purge:
        to_remove = [item for item in current if subscription_key(item) not in set(wanted) and item.get("SubscriptionArn") != PENDING]
    return to_add, to_remove


def subscriptions_view(current):
    """Subscriptions as the diff shows them: sorted, pending ones marked."""
    return sorted(
        ({"protocol": item["Protocol"], "endpoint": item["Endpoint"], "pending": item.get("SubscriptionArn") == PENDING} for item in current),
        key=lambda item: (item["protocol"], item["endpoint"]),
    )


def planned_subscriptions(current, desired, purge):
    """The subscriptions once ``subscription_changes`` has been applied (new ones pending confirmation for e-mail/https)."""
    to_add, to_remove = subscription_changes(current, desired, purge)
    removed = {subscription_key(item) for item in to_remove}
    kept = [item for item in current if subscription_key(item) not in removed]
    added = [
        {"Protocol": protocol, "Endpoint": endpoint, "SubscriptionArn": PENDING if protocol in CONFIRMED_BY_OWNER else "new"}
        for protocol, endpoint in to_add
    ]
    return subscriptions_view(kept + added)


def topic_view(name, attributes, subscriptions, tags):
    """The managed parts of a topic as the diff and the result show them."""
    if attributes is None:
        return {}
    return {
        "name": name,
        "display_name": attributes.get("DisplayName") or "",
        "kms_master_key_id": attributes.get("KmsMasterKeyId") or None,
        "subscriptions": subscriptions,
        "tags": dict(tags or {}),
    }

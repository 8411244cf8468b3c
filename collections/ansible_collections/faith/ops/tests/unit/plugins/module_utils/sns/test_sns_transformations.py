# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import planned_subscriptions
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import subscription_changes
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import topic_view
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import validate_topic
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"
EMAIL = {"SubscriptionArn": TOPIC + ":1", "Protocol": "email", "Endpoint": "ops@example.org", "TopicArn": TOPIC}
PENDING = {"SubscriptionArn": "PendingConfirmation", "Protocol": "https", "Endpoint": "https://chat.example.org/h", "TopicArn": TOPIC}
ROGUE = {"SubscriptionArn": TOPIC + ":2", "Protocol": "https", "Endpoint": "https://listener.example.net/", "TopicArn": TOPIC}
DECLARED = [{"protocol": "email", "endpoint": "ops@example.org"}, {"protocol": "https", "endpoint": "https://chat.example.org/h"}]


def params(**overrides):
    base = dict(name="alarms", display_name="", subscriptions=DECLARED)
    base.update(overrides)
    return base


def test_converged_subscriptions_need_nothing():
    assert subscription_changes([EMAIL, PENDING], DECLARED, purge=True) == ([], [])


def test_missing_added_and_unknown_removed():
    to_add, to_remove = subscription_changes([ROGUE], DECLARED, purge=True)
    assert to_add == [("email", "ops@example.org"), ("https", "https://chat.example.org/h")]
    assert to_remove == [ROGUE]
    assert subscription_changes([ROGUE], DECLARED, purge=False)[1] == []
    assert subscription_changes([ROGUE], None, purge=True) == ([], [])


def test_pending_subscriptions_are_never_removed():
    # SNS refuses to unsubscribe a subscription that has not been confirmed.
    assert subscription_changes([PENDING], [], purge=True) == ([], [])


def test_planned_subscriptions_show_new_endpoints_pending():
    planned = planned_subscriptions([ROGUE], DECLARED, purge=True)
    assert planned == [
        {"protocol": "email", "endpoint": "ops@example.org", "pending": True},
        {"protocol": "https", "endpoint": "https://chat.example.org/h", "pending": True},
    ]


def test_topic_view():
    view = topic_view("alarms", {"DisplayName": "d", "TopicArn": TOPIC, "SubscriptionsConfirmed": "1"}, [], {"k": "v"})
    assert view == {"name": "alarms", "display_name": "d", "kms_master_key_id": None, "subscriptions": [], "tags": {"k": "v"}}
    assert topic_view("alarms", None, [], {}) == {}


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"name": "alarms.fifo"}, "name"),
        ({"display_name": "d" * 101}, "display_name"),
        ({"subscriptions": [{"protocol": "email", "endpoint": "ops"}]}, "subscriptions[0].endpoint"),
        ({"subscriptions": [{"protocol": "https", "endpoint": "http://chat.example.org/h"}]}, "subscriptions[0].endpoint"),
        ({"subscriptions": [{"protocol": "sqs", "endpoint": "queue-name"}]}, "subscriptions[0].endpoint"),
        ({"subscriptions": DECLARED + [DECLARED[0]]}, "subscriptions[2]"),
    ],
)
def test_invalid_topics_name_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        validate_topic(params(**overrides))
    assert raised.value.option == option


def test_placeholder_endpoint_passes_validation():
    validate_topic(params(subscriptions=[{"protocol": "sqs", "endpoint": "(known after apply)"}]))

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sns_topic
short_description: Manage an SNS topic with its subscriptions (e-mail, https webhooks, queues, functions)
version_added: 0.2.0
description:
  - Creates, updates or deletes one standard SNS topic, its display name, KMS key, subscriptions and tags.
  - Subscriptions are identified by protocol and endpoint. With O(purge_subscriptions=true) (the default)
    a subscription not declared is removed, so nobody can quietly add a listener to the alarm topic.
  - E-mail and https endpoints stay pending until their owner confirms the message SNS sends them;
    a pending subscription counts as present and cannot be removed (SNS drops it after three days).
  - Check mode reads only; in diff mode the diff shows the topic and its subscriptions before and after.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the topic (letters, digits, C(-) or C(_)).
    type: str
    required: true
  state:
    description: V(present) creates or updates the topic; V(absent) deletes it with its subscriptions.
    type: str
    choices: [present, absent]
    default: present
  display_name:
    description: Display name (at most 100 characters), shown as the sender of e-mail notifications.
    type: str
    default: ""
  kms_master_key_id:
    description: KMS key id, ARN or alias encrypting messages at rest; omit for none.
    type: str
  subscriptions:
    description: The topic's subscriptions. Omit to leave subscriptions alone.
    type: list
    elements: dict
    suboptions:
      protocol:
        description: V(email), V(email-json), V(https) (a webhook; plain http is refused), V(sqs) or V(lambda).
        type: str
        required: true
        choices: [email, email-json, https, sqs, lambda]
      endpoint:
        description: The address, https URL or ARN notifications go to.
        type: str
        required: true
  purge_subscriptions:
    description: Remove (confirmed) subscriptions that are not in O(subscriptions).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - In check mode an endpoint or O(kms_master_key_id) may be the placeholder C((known after apply)); outside check mode it is refused.
"""

EXAMPLES = r"""
- name: Ensure the alarm topic notifies the on-call address and the chat webhook
  faith.ops.sns_topic:
    name: faith-chatbot-production-alarms
    display_name: faith-chatbot production alarms
    subscriptions:
      - protocol: email
        endpoint: ops@example.org
      - protocol: https
        endpoint: https://chat.example.org/hooks/alarms
    tags:
      Application: faith-chatbot
  register: topic
"""

RETURN = r"""
topic:
  description: The topic after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the topic; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: arn:aws:sns:us-east-1:123456789012:faith-chatbot-production-alarms
    name:
      description: Name of the topic.
      returned: when present
      type: str
      sample: faith-chatbot-production-alarms
    display_name:
      description: Display name.
      returned: when present
      type: str
      sample: faith-chatbot production alarms
    kms_master_key_id:
      description: KMS key; null when none.
      returned: when present
      type: str
      sample: null
    subscriptions:
      description: Subscriptions, sorted; C(pending) is true until the endpoint confirms.
      returned: when present
      type: list
      elements: dict
      sample: [{"protocol": "email", "endpoint": "ops@example.org", "pending": true}]
    tags:
      description: Tags of the topic.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["subscribe email ops@example.org"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.sns import api
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import planned_subscriptions
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import subscription_changes
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import subscriptions_view
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import topic_view
from ansible_collections.faith.ops.plugins.module_utils.sns.transformations import validate_topic
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import sync_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


class Topic:
    """An existing topic and the ``ensure_*`` steps that bring it to the declared state."""

    def __init__(self, module, client, arn):
        self.module = module
        self.client = client
        self.arn = arn
        self.name = arn.split(":")[-1]
        self.attributes = api.topic_attributes(client, arn)
        self.subscriptions = api.subscriptions(client, arn)
        self.tags = api.topic_tags(client, arn)

    def act(self, description):
        self.module.record(description)
        return self.module.check_mode

    def views(self):
        params = self.module.params
        before = topic_view(self.name, self.attributes, subscriptions_view(self.subscriptions), self.tags)
        after = dict(
            before,
            display_name=params["display_name"],
            kms_master_key_id=params["kms_master_key_id"],
            subscriptions=planned_subscriptions(self.subscriptions, params["subscriptions"], params["purge_subscriptions"]),
            tags=merged_tags(self.tags, params["tags"], params["purge_tags"]),
        )
        return before, after

    def ensure_attributes(self):
        params = self.module.params
        changed = False
        for attribute, value in (("DisplayName", params["display_name"]), ("KmsMasterKeyId", params["kms_master_key_id"] or "")):
            if (self.attributes.get(attribute) or "") == value:
                continue
            changed = True
            if not self.act(f"set {attribute} of topic {self.name}"):
                api.set_topic_attribute(self.client, self.arn, attribute, value)
        return changed

    def ensure_subscriptions(self):
        params = self.module.params
        to_add, to_remove = subscription_changes(self.subscriptions, params["subscriptions"], params["purge_subscriptions"])
        for protocol, endpoint in to_add:
            if not self.act(f"subscribe {protocol} {endpoint}"):
                api.subscribe(self.client, self.arn, protocol, endpoint)
        for subscription in to_remove:
            if not self.act(f"unsubscribe {subscription['Protocol']} {subscription['Endpoint']}"):
                api.unsubscribe(self.client, subscription["SubscriptionArn"])
        return bool(to_add or to_remove)

    def ensure_tags(self):
        return sync_tags(self.module, f"topic {self.name}", self.tags,
                         lambda tags: api.tag_topic(self.client, self.arn, tags),
                         lambda keys: api.untag_topic(self.client, self.arn, keys))


def ensure_present(module, client):
    params = module.params
    name = params["name"]
    arn = api.find_topic(client, name)
    if arn is None:
        tags = params["tags"] or {}
        planned = {"DisplayName": params["display_name"], "KmsMasterKeyId": params["kms_master_key_id"]}
        after = topic_view(name, planned, planned_subscriptions([], params["subscriptions"] or [], True), tags)
        module.record(f"create topic {name}")
        for item in params["subscriptions"] or []:
            module.record(f"subscribe {item['protocol']} {item['endpoint']}")
        arn = UNKNOWN
        if not module.check_mode:
            attributes = {"DisplayName": params["display_name"]}
            if params["kms_master_key_id"]:
                attributes["KmsMasterKeyId"] = params["kms_master_key_id"]
            arn = api.create_topic(client, name, attributes, tags)
            for item in params["subscriptions"] or []:
                api.subscribe(client, arn, item["protocol"], item["endpoint"])
        return module.result(True, "topic", dict(after, arn=arn), {}, after)

    manager = Topic(module, client, arn)
    before, after = manager.views()
    changed = manager.ensure_attributes()
    changed |= manager.ensure_subscriptions()
    changed |= manager.ensure_tags()
    return module.result(changed, "topic", dict(after, arn=arn), before, after)


def ensure_absent(module, client):
    name = module.params["name"]
    arn = api.find_topic(client, name)
    if arn is None:
        return module.result(False, "topic", {}, {}, {})
    manager = Topic(module, client, arn)
    before, _after = manager.views()
    # Deleting a topic deletes its subscriptions with it.
    module.record(f"delete topic {name}")
    if not module.check_mode:
        api.delete_topic(client, arn)
    return module.result(True, "topic", {}, before, {})


def run(module):
    params = module.params
    validate_topic(params)
    validate_tags(params["tags"])
    check_placeholder(params["kms_master_key_id"], "kms_master_key_id", module.check_mode)
    for index, item in enumerate(params["subscriptions"] or []):
        check_placeholder(item["endpoint"], f"subscriptions[{index}].endpoint", module.check_mode)
    client = module.client("sns")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        display_name=dict(type="str", default=""),
        kms_master_key_id=dict(type="str"),
        subscriptions=dict(
            type="list",
            elements="dict",
            options=dict(
                protocol=dict(type="str", required=True, choices=["email", "email-json", "https", "sqs", "lambda"]),
                endpoint=dict(type="str", required=True),
            ),
        ),
        purge_subscriptions=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

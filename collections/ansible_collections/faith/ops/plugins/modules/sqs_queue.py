#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: sqs_queue
short_description: Manage an SQS queue together with its dead-letter queue and redrive policy
version_added: 0.2.0
description:
  - Creates, updates or deletes a standard SQS queue and, with O(dead_letter_queue), the dead-letter
    queue its failed messages move to; the dead-letter queue is ensured first, so the redrive policy
    always names a queue that exists.
  - Attributes are compared as numbers, the redrive policy parsed; a setting left out means SQS's
    default, so drift away from it is repaired. Check mode reads only; in diff mode the diff shows
    both queues before and after.
  - Queues are encrypted with SQS-managed keys (SSE-SQS) unless O(kms_master_key_id) names a KMS key.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the queue (1 to 80 letters, digits, C(-) or C(_)); FIFO queues are not managed by this module.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the dead-letter queue, then the queue.
      - V(absent) deletes the queue, then the dead-letter queue named in O(dead_letter_queue).
    type: str
    choices: [present, absent]
    default: present
  visibility_timeout:
    description: Seconds a received message stays invisible to other consumers (0 to 43200; SQS's default 30).
    type: int
  message_retention_seconds:
    description: Seconds a message is kept (60 to 1209600; SQS's default 345600, 4 days).
    type: int
  receive_wait_seconds:
    description: Long polling, seconds a receive waits for a message (0 to 20; default 0).
    type: int
  delay_seconds:
    description: Seconds a new message stays invisible (0 to 900; default 0).
    type: int
  max_message_size:
    description: Largest message, bytes (1024 to 262144; default 262144).
    type: int
  kms_master_key_id:
    description: KMS key id, ARN or alias encrypting both queues; omit for SQS-managed encryption.
    type: str
  kms_data_key_reuse_seconds:
    description: Seconds SQS reuses a data key before calling KMS again (60 to 86400; default 300). With O(kms_master_key_id) only.
    type: int
  dead_letter_queue:
    description: The dead-letter queue; it takes the queue's KMS key and tags.
    type: dict
    suboptions:
      name:
        description: Name of the dead-letter queue.
        type: str
        required: true
      max_receive_count:
        description: Receives after which a message moves to the dead-letter queue (1 to 1000). Required when O(state=present).
        type: int
      message_retention_seconds:
        description:
          - Seconds a failed message is kept (60 to 1209600); at least the queue's retention, since a
            message keeps its original enqueue time when it moves.
        type: int
      visibility_timeout:
        description: Visibility timeout of the dead-letter queue, seconds.
        type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the prayer request queue and its dead-letter queue exist
  faith.ops.sqs_queue:
    name: faith-chatbot-production-prayer-requests
    visibility_timeout: 60
    message_retention_seconds: 345600
    receive_wait_seconds: 20
    dead_letter_queue:
      name: faith-chatbot-production-prayer-requests-dlq
      max_receive_count: 5
      message_retention_seconds: 1209600
    tags:
      Application: faith-chatbot
  register: queue

- name: Ensure both queues are absent
  faith.ops.sqs_queue:
    name: faith-chatbot-staging-prayer-requests
    state: absent
    dead_letter_queue:
      name: faith-chatbot-staging-prayer-requests-dlq
"""

RETURN = r"""
queue:
  description: The queue after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the queue.
      returned: when present
      type: str
      sample: faith-chatbot-production-prayer-requests
    url:
      description: URL of the queue; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: https://sqs.us-east-1.amazonaws.com/123456789012/faith-chatbot-production-prayer-requests
    arn:
      description: ARN of the queue; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: arn:aws:sqs:us-east-1:123456789012:faith-chatbot-production-prayer-requests
    message_retention_seconds:
      description: Seconds a message is kept (likewise C(visibility_timeout), C(receive_wait_seconds), C(delay_seconds), C(max_message_size)).
      returned: when present
      type: int
      sample: 345600
    redrive_policy:
      description: Name of the dead-letter queue and the receive count that moves a message there.
      returned: when present
      type: dict
      sample: {"dead_letter_queue": "faith-chatbot-production-prayer-requests-dlq", "max_receive_count": 5}
    tags:
      description: Tags of the queue.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
dead_letter_queue:
  description: The dead-letter queue (same keys as RV(queue)); empty when none is managed or absent.
  returned: always
  type: dict
  sample: {"name": "faith-chatbot-production-prayer-requests-dlq", "arn": "arn:aws:sqs:us-east-1:123456789012:faith-chatbot-production-prayer-requests-dlq"}
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["create queue faith-chatbot-local-prayer-requests-dlq", "create queue faith-chatbot-local-prayer-requests"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.planning import is_unknown
from ansible_collections.faith.ops.plugins.module_utils.sqs import api
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import applied_attributes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import attribute_changes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import desired_attributes
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import queue_view
from ansible_collections.faith.ops.plugins.module_utils.sqs.transformations import validate_queue
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


def ensure_queue(module, client, name, desired):
    """Create or update one queue. Returns ``(changed, before, after, url, arn)``."""
    params = module.params
    url = api.queue_url(client, name)
    if url is None:
        tags = params["tags"] or {}
        after = queue_view(name, desired, tags)
        module.record(f"create queue {name}")
        if module.check_mode:
            return True, {}, after, UNKNOWN, UNKNOWN
        url = api.create_queue(client, name, desired, tags)
        return True, {}, after, url, api.queue_attributes(client, url)["QueueArn"]

    current = api.queue_attributes(client, url)
    current_tags = api.queue_tags(client, url)
    before = queue_view(name, current, current_tags)
    changes = attribute_changes(current, desired)
    to_set, to_remove = tag_changes(current_tags, params["tags"], params["purge_tags"])
    if changes:
        module.record(f"set attributes {', '.join(sorted(changes))} of queue {name}")
        if not module.check_mode:
            api.set_queue_attributes(client, url, changes)
    if to_set or to_remove:
        module.record(f"update tags of queue {name}: set {sorted(to_set)}, remove {sorted(to_remove)}")
        if not module.check_mode:
            if to_remove:
                api.untag_queue(client, url, to_remove)
            if to_set:
                api.tag_queue(client, url, to_set)
    after = queue_view(name, applied_attributes(current, desired), merged_tags(current_tags, params["tags"], params["purge_tags"]))
    return bool(changes or to_set or to_remove), before, after, url, current["QueueArn"]


def described(view, url, arn):
    return dict(view, url=url, arn=arn) if view else {}


def ensure_present(module, client):
    params = module.params
    kms, reuse = params["kms_master_key_id"], params["kms_data_key_reuse_seconds"]
    dlq = params["dead_letter_queue"]
    changed = False
    dlq_before, dlq_after, dlq_result = {}, {}, {}
    dlq_arn = None
    if dlq:
        dlq_changed, dlq_before, dlq_after, dlq_url, dlq_arn = ensure_queue(module, client, dlq["name"], desired_attributes(dlq, kms, reuse))
        changed |= dlq_changed
        dlq_result = described(dlq_after, dlq_url, dlq_arn)
    desired = desired_attributes(params, kms, reuse, dlq_arn, dlq["max_receive_count"] if dlq else None)
    queue_changed, queue_before, queue_after, url, arn = ensure_queue(module, client, params["name"], desired)
    changed |= queue_changed
    if is_unknown(dlq_arn) and queue_after.get("redrive_policy"):
        # In the plan the dead-letter queue is still to be created; show it by name.
        queue_after["redrive_policy"]["dead_letter_queue"] = dlq["name"]
    before = dict(queue_before)
    if dlq and (queue_before or dlq_before):
        before["dead_letter_queue"] = dlq_before
    after = dict(queue_after, dead_letter_queue=dlq_after) if dlq else dict(queue_after)
    result = module.result(changed, "queue", described(queue_after, url, arn), before, after)
    result["dead_letter_queue"] = dlq_result
    return result


def ensure_absent(module, client):
    params = module.params
    names = [params["name"]] + ([params["dead_letter_queue"]["name"]] if params["dead_letter_queue"] else [])
    changed = False
    before = {}
    for index, name in enumerate(names):
        url = api.queue_url(client, name)
        if url is None:
            continue
        view = queue_view(name, api.queue_attributes(client, url), api.queue_tags(client, url))
        if index == 0:
            before.update(view)
        else:
            before["dead_letter_queue"] = view
        module.record(f"delete queue {name}")
        changed = True
        if not module.check_mode:
            api.delete_queue(client, url)
    result = module.result(changed, "queue", {}, before, {})
    result["dead_letter_queue"] = {}
    return result


def run(module):
    params = module.params
    validate_queue(params)
    validate_tags(params["tags"])
    check_placeholder(params["kms_master_key_id"], "kms_master_key_id", module.check_mode)
    client = module.client("sqs")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        visibility_timeout=dict(type="int"),
        message_retention_seconds=dict(type="int"),
        receive_wait_seconds=dict(type="int"),
        delay_seconds=dict(type="int"),
        max_message_size=dict(type="int"),
        kms_master_key_id=dict(type="str"),
        # A number of seconds, not a key: the name only contains "key".
        kms_data_key_reuse_seconds=dict(type="int", no_log=False),
        dead_letter_queue=dict(
            type="dict",
            options=dict(
                name=dict(type="str", required=True),
                max_receive_count=dict(type="int"),
                message_retention_seconds=dict(type="int"),
                visibility_timeout=dict(type="int"),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: log_group
short_description: Manage a CloudWatch Logs log group with its retention, KMS key and tags
version_added: 0.2.0
description:
  - Creates, updates or deletes one CloudWatch Logs log group.
  - Check mode reads only. amazon.aws.cloudwatchlogs_log_group sets the retention even in check
    mode and returns no diff; this module never writes in check mode and, in diff mode, shows the
    group before and after.
  - The declared state is the whole state; O(retention_days) and O(kms_key_id) left out mean
    "keep the logs forever" and "no customer managed key", and a group that differs is changed.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the log group (1 to 512 letters, digits or C(_-/.#)).
    type: str
    required: true
    aliases: [log_group_name]
  state:
    description: V(present) creates or updates the group; V(absent) deletes it with every log stream in it.
    type: str
    choices: [present, absent]
    default: present
  retention_days:
    description:
      - Days CloudWatch Logs keeps events; one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
        731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. Omit to keep events forever.
    type: int
  kms_key_id:
    description:
      - ARN of the KMS key that encrypts the group's events; omit for CloudWatch Logs' own encryption.
      - The key policy must allow the C(logs.<region>.amazonaws.com) principal.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - The local emulator (moto 5.2.5) stores a key given at creation but does not implement
    C(AssociateKmsKey)/C(DisassociateKmsKey); changing the key of an existing group is covered by
    unit tests against recorded API shapes.
  - In check mode O(kms_key_id) may be the placeholder C((known after apply)); outside check mode it is refused.
"""

EXAMPLES = r"""
- name: Ensure the application log group keeps 30 days of events
  faith.ops.log_group:
    name: /ecs/faith-chatbot-production
    retention_days: 30
    tags:
      Application: faith-chatbot
      Environment: production

- name: Ensure the log group is absent
  faith.ops.log_group:
    name: /ecs/faith-chatbot-staging
    state: absent
"""

RETURN = r"""
log_group:
  description: The log group after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the group.
      returned: when present
      type: str
      sample: /ecs/faith-chatbot-production
    arn:
      description: ARN of the group; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/faith-chatbot-production:*
    retention_days:
      description: Days events are kept; null when kept forever.
      returned: when present
      type: int
      sample: 30
    kms_key_id:
      description: ARN of the KMS key; null when none.
      returned: when present
      type: str
      sample: null
    tags:
      description: Tags of the group.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["set retention of /ecs/faith-chatbot-local to 30 days"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.logs import api
from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import desired_view
from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import log_group_view
from ansible_collections.faith.ops.plugins.module_utils.logs.transformations import validate_log_group
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import sync_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


class LogGroup:
    """An existing log group and the ``ensure_*`` steps that bring it to the declared state."""

    def __init__(self, module, client, group, tags):
        self.module = module
        self.client = client
        self.name = group["logGroupName"]
        self.current = log_group_view(group, tags)

    def act(self, description):
        self.module.record(description)
        return self.module.check_mode

    def ensure_retention(self):
        days = self.module.params["retention_days"]
        if days == self.current["retention_days"]:
            return False
        if days is None:
            if not self.act(f"remove retention of {self.name} (keep events forever)"):
                api.delete_retention(self.client, self.name)
        elif not self.act(f"set retention of {self.name} to {days} days"):
            api.put_retention(self.client, self.name, days)
        return True

    def ensure_kms_key(self):
        key = self.module.params["kms_key_id"]
        if key == self.current["kms_key_id"]:
            return False
        if key is None:
            if not self.act(f"disassociate KMS key of {self.name}"):
                api.disassociate_kms_key(self.client, self.name)
        elif not self.act(f"associate KMS key {key} with {self.name}"):
            api.associate_kms_key(self.client, self.name, key)
        return True

    def ensure_tags(self):
        return sync_tags(self.module, self.name, self.current["tags"],
                         lambda tags: api.tag_log_group(self.client, self.name, tags),
                         lambda keys: api.untag_log_group(self.client, self.name, keys))


def ensure_present(module, client):
    params = module.params
    group = api.describe_log_group(client, params["name"])
    if group is None:
        tags = params["tags"] or {}
        after = desired_view(params, tags)
        module.record(f"create log group {params['name']}")
        if params["retention_days"]:
            module.record(f"set retention of {params['name']} to {params['retention_days']} days")
        arn = UNKNOWN
        if not module.check_mode:
            api.create_log_group(client, params["name"], params["kms_key_id"], tags)
            if params["retention_days"]:
                api.put_retention(client, params["name"], params["retention_days"])
            arn = api.describe_log_group(client, params["name"])["arn"]
        return module.result(True, "log_group", dict(after, arn=arn), {}, after)

    current_tags = api.log_group_tags(client, params["name"])
    manager = LogGroup(module, client, group, current_tags)
    before = manager.current
    after = desired_view(params, merged_tags(current_tags, params["tags"], params["purge_tags"]))
    changed = manager.ensure_retention()
    changed |= manager.ensure_kms_key()
    changed |= manager.ensure_tags()
    return module.result(changed, "log_group", dict(after, arn=group.get("arn")), before, after)


def ensure_absent(module, client):
    name = module.params["name"]
    group = api.describe_log_group(client, name)
    if group is None:
        return module.result(False, "log_group", {}, {}, {})
    before = log_group_view(group, api.log_group_tags(client, name))
    module.record(f"delete log group {name}")
    if not module.check_mode:
        api.delete_log_group(client, name)
    return module.result(True, "log_group", {}, before, {})


def run(module):
    params = module.params
    validate_log_group(params)
    validate_tags(params["tags"])
    check_placeholder(params["kms_key_id"], "kms_key_id", module.check_mode)
    client = module.client("logs")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["log_group_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        retention_days=dict(type="int"),
        kms_key_id=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

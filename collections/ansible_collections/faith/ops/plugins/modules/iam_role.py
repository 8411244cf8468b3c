#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: iam_role
short_description: Manage an IAM role with its trust policy, managed and inline policies and tags
version_added: 0.2.0
description:
  - Creates, updates or deletes one IAM role, with its trust policy, the managed policies attached
    to it and its inline policies, in one task.
  - Policy documents are compared in canonical form (a string and a one-item list are the same,
    actions, resources and principals in any order), so a run with nothing to change makes no write.
  - Check mode reads only; in diff mode the diff shows the role before and after, policies included.
    amazon.aws.iam_role and amazon.aws.iam_policy gave no diff, and iam_policy could not plan a policy
    for a role still to be created.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the role (1 to 64 letters, digits or C(+=,.@_-)).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the role.
      - V(absent) deletes it, after detaching its managed policies, deleting its inline policies and
        removing it from instance profiles, as IAM requires.
    type: str
    choices: [present, absent]
    default: present
  path:
    description: Path of the role; set at creation only (IAM cannot move a role).
    type: str
    default: /
  description:
    description: Description of the role (at most 1000 characters).
    type: str
    default: ""
  assume_role_policy:
    description: The trust policy (who may assume the role), as a dict or JSON text. Required when O(state=present).
    type: raw
  managed_policies:
    description:
      - ARNs of the managed policies attached to the role; any other attached policy is detached.
      - Omit to leave the attachments alone.
    type: list
    elements: str
  inline_policies:
    description:
      - The role's inline policies, policy name => policy document (dict or JSON text); any other
        inline policy is deleted. Omit to leave inline policies alone; V({}) deletes them all.
    type: dict
  max_session_duration:
    description: Seconds a session of the role lasts at most (3600 to 43200); IAM's default is 3600.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - In check mode a managed policy ARN, or a value in a policy document, may be the placeholder
    C((known after apply)) handed on by a module that would create that resource; the change is then
    reported and nothing is sent. Outside check mode the placeholder is refused.
"""

EXAMPLES = r"""
- name: Ensure the task role exists with only the permissions the app needs
  faith.ops.iam_role:
    name: faith-chatbot-production-task
    description: The faith-chatbot production app runs with this role
    assume_role_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: {Service: ecs-tasks.amazonaws.com}
          Action: sts:AssumeRole
    managed_policies: []
    inline_policies:
      faith-chatbot-production-task:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [sqs:SendMessage]
            Resource: arn:aws:sqs:us-east-1:123456789012:faith-chatbot-production-prayer-requests
    tags:
      Application: faith-chatbot
      Environment: production

- name: Ensure the role is absent
  faith.ops.iam_role:
    name: faith-chatbot-staging-task
    state: absent
"""

RETURN = r"""
iam_role:
  description: The role after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the role; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: arn:aws:iam::123456789012:role/faith-chatbot-production-task
    name:
      description: Name of the role.
      returned: when present
      type: str
      sample: faith-chatbot-production-task
    path:
      description: Path of the role.
      returned: when present
      type: str
      sample: /
    description:
      description: Description of the role.
      returned: when present
      type: str
      sample: The faith-chatbot production app runs with this role
    max_session_duration:
      description: Maximum session duration, seconds.
      returned: when present
      type: int
      sample: 3600
    assume_role_policy:
      description: The trust policy, canonical form.
      returned: when present
      type: dict
      sample: {"Statement": [{"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["ecs-tasks.amazonaws.com"]}}]}
    managed_policies:
      description: ARNs of the attached managed policies, sorted.
      returned: when present
      type: list
      elements: str
      sample: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"]
    inline_policies:
      description: Inline policies, name => canonical document.
      returned: when present
      type: dict
      sample: {"faith-chatbot-production-task": {"Statement": [{"Action": ["sqs:SendMessage"], "Effect": "Allow", "Resource": ["*"]}]}}
    tags:
      description: Tags of the role.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["create role faith-chatbot-local-task", "put inline policy faith-chatbot-local-task"]
"""

import json

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.iam import api
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import inline_policy_changes
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import managed_policy_changes
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import role_view
from ansible_collections.faith.ops.plugins.module_utils.iam.transformations import validate_role
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import sync_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


class Role:
    """An existing role and the ``ensure_*`` steps that bring it to the declared state."""

    def __init__(self, module, client, role, trust, inline):
        self.module = module
        self.client = client
        self.name = role["RoleName"]
        self.role = role
        self.trust = trust
        self.inline = inline
        self.managed_now = api.attached_policy_arns(client, self.name)
        self.inline_now = {name: api.get_inline_policy(client, self.name, name) for name in api.inline_policy_names(client, self.name)}
        self.tags_now = api.role_tags(client, self.name)

    def act(self, description):
        """Record ``description``; True when the write itself must be skipped (check mode)."""
        self.module.record(description)
        return self.module.check_mode

    def before(self):
        return role_view(self.role, self.managed_now, self.inline_now, self.tags_now)

    def after(self):
        params = self.module.params
        view = self.before()
        view["description"] = params["description"]
        if params["max_session_duration"] is not None:
            view["max_session_duration"] = params["max_session_duration"]
        view["assume_role_policy"] = self.trust
        if params["managed_policies"] is not None:
            view["managed_policies"] = sorted(params["managed_policies"])
        if self.inline is not None:
            view["inline_policies"] = dict(self.inline)
        view["tags"] = merged_tags(self.tags_now, params["tags"], params["purge_tags"])
        return view

    def ensure_settings(self):
        params = self.module.params
        before = self.before()
        duration = params["max_session_duration"]
        if before["description"] == params["description"] and duration in (None, before["max_session_duration"]):
            return False
        if not self.act(f"update description and session duration of role {self.name}"):
            api.update_role(self.client, self.name, params["description"], duration)
        return True

    def ensure_trust_policy(self):
        if role_view(self.role, [], {}, {})["assume_role_policy"] == self.trust:
            return False
        if not self.act(f"update trust policy of role {self.name}"):
            api.update_trust_policy(self.client, self.name, self.trust)
        return True

    def ensure_managed_policies(self):
        to_attach, to_detach = managed_policy_changes(self.managed_now, self.module.params["managed_policies"])
        for arn in to_attach:
            if not self.act(f"attach managed policy {arn}"):
                api.attach_policy(self.client, self.name, arn)
        for arn in to_detach:
            if not self.act(f"detach managed policy {arn}"):
                api.detach_policy(self.client, self.name, arn)
        return bool(to_attach or to_detach)

    def ensure_inline_policies(self):
        to_put, to_delete = inline_policy_changes(self.inline_now, self.inline)
        for policy_name, document in sorted(to_put.items()):
            if not self.act(f"put inline policy {policy_name}"):
                api.put_inline_policy(self.client, self.name, policy_name, document)
        for policy_name in to_delete:
            if not self.act(f"delete inline policy {policy_name}"):
                api.delete_inline_policy(self.client, self.name, policy_name)
        return bool(to_put or to_delete)

    def ensure_tags(self):
        return sync_tags(self.module, f"role {self.name}", self.tags_now,
                         lambda tags: api.tag_role(self.client, self.name, tags),
                         lambda keys: api.untag_role(self.client, self.name, keys))


def refuse_placeholders(module, trust, inline):
    """Placeholders from a plan are fine in check mode only (they are never sent to AWS)."""
    check_mode = module.check_mode
    check_placeholder(json.dumps(trust), "assume_role_policy", check_mode)
    for index, arn in enumerate(module.params["managed_policies"] or []):
        check_placeholder(arn, f"managed_policies[{index}]", check_mode)
    for policy_name, document in (inline or {}).items():
        check_placeholder(json.dumps(document), f"inline_policies.{policy_name}", check_mode)


def ensure_present(module, client, trust, inline):
    params = module.params
    name = params["name"]
    role = api.get_role(client, name)
    if role is None:
        tags = params["tags"] or {}
        planned = {"RoleName": name, "Path": params["path"], "Description": params["description"], "AssumeRolePolicyDocument": trust}
        if params["max_session_duration"]:
            planned["MaxSessionDuration"] = params["max_session_duration"]
        after = role_view(planned, params["managed_policies"], inline, tags)
        module.record(f"create role {name}")
        for arn in sorted(params["managed_policies"] or []):
            module.record(f"attach managed policy {arn}")
        for policy_name in sorted(inline or {}):
            module.record(f"put inline policy {policy_name}")
        arn = UNKNOWN
        if not module.check_mode:
            created = api.create_role(client, name, params["path"], trust, params["description"], params["max_session_duration"], tags)
            arn = created["Arn"]
            for policy_arn in sorted(params["managed_policies"] or []):
                api.attach_policy(client, name, policy_arn)
            for policy_name, document in sorted((inline or {}).items()):
                api.put_inline_policy(client, name, policy_name, document)
        return module.result(True, "iam_role", dict(after, arn=arn), {}, after)

    if role.get("Path", "/") != params["path"]:
        module.warn(f"role {name} has path {role.get('Path')}; IAM cannot change a role's path, so path={params['path']} is ignored")
    manager = Role(module, client, role, trust, inline)
    before = manager.before()
    after = manager.after()
    changed = manager.ensure_settings()
    changed |= manager.ensure_trust_policy()
    changed |= manager.ensure_managed_policies()
    changed |= manager.ensure_inline_policies()
    changed |= manager.ensure_tags()
    return module.result(changed, "iam_role", dict(after, arn=role["Arn"]), before, after)


def ensure_absent(module, client):
    name = module.params["name"]
    role = api.get_role(client, name)
    if role is None:
        return module.result(False, "iam_role", {}, {}, {})
    manager = Role(module, client, role, None, None)
    before = manager.before()
    profiles = api.instance_profile_names(client, name)
    for profile in profiles:
        module.record(f"remove role {name} from instance profile {profile}")
    for arn in manager.managed_now:
        module.record(f"detach managed policy {arn}")
    for policy_name in sorted(manager.inline_now):
        module.record(f"delete inline policy {policy_name}")
    module.record(f"delete role {name}")
    if not module.check_mode:
        for profile in profiles:
            api.remove_from_instance_profile(client, name, profile)
        for arn in manager.managed_now:
            api.detach_policy(client, name, arn)
        for policy_name in sorted(manager.inline_now):
            api.delete_inline_policy(client, name, policy_name)
        api.delete_role(client, name)
    return module.result(True, "iam_role", {}, before, {})


def run(module):
    params = module.params
    trust, inline = validate_role(params)
    validate_tags(params["tags"])
    if params["state"] == "present":
        refuse_placeholders(module, trust, inline)
    client = module.client("iam")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client, trust, inline)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        path=dict(type="str", default="/"),
        description=dict(type="str", default=""),
        assume_role_policy=dict(type="raw"),
        managed_policies=dict(type="list", elements="str"),
        inline_policies=dict(type="dict"),
        max_session_duration=dict(type="int"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(run)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secret
short_description: Manage a Secrets Manager secret without ever returning or logging its value
version_added: 0.2.0
description:
  - Creates, updates or deletes one Secrets Manager secret; its value, description, KMS key and tags.
  - The stored value is compared with the declared one by digest (JSON values as documents), so a new
    version is stored only when the value really differs. community.aws.secretsmanager_secret has
    open reports of reporting a change on every run.
  - The value never appears in a result, a diff or an error. The diff shows the field C(value) as
    C((hidden; matches)), or as C((hidden; stored value)) before and C((hidden; declared value)) after
    when the value would change; no digest is shown either, since a short secret's digest can be
    brute-forced.
  - A secret scheduled for deletion is restored when declared present.
  - Check mode reads only.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the secret (letters, digits, C(/_+=.@-)).
    type: str
    required: true
  state:
    description: V(present) creates or updates the secret; V(absent) deletes it (see O(recovery_window_days)).
    type: str
    choices: [present, absent]
    default: present
  description:
    description: Description of the secret (at most 2048 characters).
    type: str
    default: ""
  kms_key_id:
    description:
      - ARN of the KMS key that encrypts the secret; omit for the AWS-managed key C(aws/secretsmanager).
      - Give the key ARN, which is what Secrets Manager reports back, so the comparison is exact.
    type: str
  secret:
    description: The value, as a string. Mutually exclusive with O(json_secret). Omit both to leave the value alone.
    type: str
  json_secret:
    description: The value, as a JSON document (dict or JSON text), stored serialised with sorted keys.
    type: raw
  recovery_window_days:
    description:
      - With O(state=absent), days the deleted secret stays restorable (7 to 30), or V(0) to delete it at
        once without recovery.
    type: int
    default: 30
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - In check mode O(kms_key_id) may be the placeholder C((known after apply)); outside check mode it is refused.
"""

EXAMPLES = r"""
- name: Ensure the configuration secret holds the app's secret settings
  faith.ops.secret:
    name: faith-chatbot-production/config
    description: Secret settings of faith-chatbot (production)
    json_secret:
      bedrock_guardrail_id: "{{ guardrail_id }}"
    tags:
      Application: faith-chatbot
      Environment: production

- name: Delete the secret, restorable for 7 days
  faith.ops.secret:
    name: faith-chatbot-staging/config
    state: absent
    recovery_window_days: 7
"""

RETURN = r"""
secret:
  description: The secret's metadata after the run (in check mode, as it would be); never its value. Empty when absent.
  returned: always
  type: dict
  contains:
    arn:
      description: ARN of the secret; C((known after apply)) in check mode before creation.
      returned: when present
      type: str
      sample: arn:aws:secretsmanager:us-east-1:123456789012:secret:faith-chatbot-production/config-AbCdEf
    name:
      description: Name of the secret.
      returned: when present
      type: str
      sample: faith-chatbot-production/config
    description:
      description: Description of the secret.
      returned: when present
      type: str
      sample: Secret settings of faith-chatbot (production)
    kms_key_id:
      description: KMS key of the secret; null for the AWS-managed key.
      returned: when present
      type: str
      sample: null
    tags:
      description: Tags of the secret.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
    value:
      description: A marker saying whether the value matches the declared one; never the value.
      returned: when present
      type: str
      sample: (hidden; matches)
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["store a new value of secret faith-chatbot-local/config"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholder
from ansible_collections.faith.ops.plugins.module_utils.secrets import api
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import VALUE_DECLARED
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import VALUE_MATCHES
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import VALUE_STORED
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import VALUE_UNMANAGED
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import declared_value
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import secret_view
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import validate_secret
from ansible_collections.faith.ops.plugins.module_utils.secrets.transformations import value_matches
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import sync_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags


def tags_of(secret):
    return {tag["Key"]: tag["Value"] for tag in secret.get("Tags") or []}


class Secret:
    """An existing secret and the ``ensure_*`` steps that bring it to the declared state."""

    def __init__(self, module, client, secret, value):
        self.module = module
        self.client = client
        self.secret = secret
        self.arn = secret["ARN"]
        self.name = secret["Name"]
        self.value = value
        self.tags = tags_of(secret)
        if value is None:
            self.value_same = True
        elif secret.get("DeletedDate"):
            # A secret pending deletion cannot be read; its value is stored again once restored.
            self.value_same = False
        else:
            stored, _binary = api.current_value(client, self.arn)
            self.value_same = value_matches(stored, value)

    def act(self, description):
        self.module.record(description)
        return self.module.check_mode

    def views(self):
        params = self.module.params
        if self.value is None:
            before_marker = after_marker = VALUE_UNMANAGED
        elif self.value_same:
            before_marker = after_marker = VALUE_MATCHES
        else:
            before_marker, after_marker = VALUE_STORED, VALUE_DECLARED
        before = secret_view(self.secret, self.tags, before_marker)
        after = dict(
            before,
            description=params["description"],
            kms_key_id=params["kms_key_id"],
            tags=merged_tags(self.tags, params["tags"], params["purge_tags"]),
            value=after_marker,
        )
        return before, after

    def ensure_not_deleted(self):
        if not self.secret.get("DeletedDate"):
            return False
        if not self.act(f"restore secret {self.name}, which was scheduled for deletion"):
            api.restore_secret(self.client, self.arn)
        return True

    def ensure_settings(self):
        params = self.module.params
        if (self.secret.get("Description") or "") == params["description"] and self.secret.get("KmsKeyId") == params["kms_key_id"]:
            return False
        if not self.act(f"update description and KMS key of secret {self.name}"):
            api.update_secret(self.client, self.arn, params["description"], params["kms_key_id"])
        return True

    def ensure_value(self):
        if self.value_same:
            return False
        if not self.act(f"store a new value of secret {self.name}"):
            api.put_value(self.client, self.arn, self.value)
        return True

    def ensure_tags(self):
        return sync_tags(self.module, f"secret {self.name}", self.tags,
                         lambda tags: api.tag_secret(self.client, self.arn, tags),
                         lambda keys: api.untag_secret(self.client, self.arn, keys))


def ensure_present(module, client, value):
    params = module.params
    secret = api.describe_secret(client, params["name"])
    if secret is None:
        tags = params["tags"] or {}
        planned = {"Name": params["name"], "Description": params["description"], "KmsKeyId": params["kms_key_id"]}
        after = secret_view(planned, tags, VALUE_DECLARED if value is not None else VALUE_UNMANAGED)
        module.record(f"create secret {params['name']}")
        arn = UNKNOWN
        if not module.check_mode:
            arn = api.create_secret(client, params["name"], params["description"], params["kms_key_id"], value, tags)["ARN"]
        return module.result(True, "secret", dict(after, arn=arn), {}, after)

    manager = Secret(module, client, secret, value)
    before, after = manager.views()
    changed = manager.ensure_not_deleted()
    changed |= manager.ensure_settings()
    changed |= manager.ensure_value()
    changed |= manager.ensure_tags()
    return module.result(changed, "secret", dict(after, arn=manager.arn), before, after)


def ensure_absent(module, client):
    params = module.params
    secret = api.describe_secret(client, params["name"])
    # A secret already scheduled for deletion is as absent as it can be made without forcing.
    if secret is None or (secret.get("DeletedDate") and params["recovery_window_days"]):
        return module.result(False, "secret", {}, {}, {})
    before = secret_view(secret, tags_of(secret), VALUE_UNMANAGED)
    window = params["recovery_window_days"]
    module.record(f"delete secret {secret['Name']}" + (f" (restorable for {window} days)" if window else " without recovery"))
    if not module.check_mode:
        api.delete_secret(client, secret["ARN"], window)
    return module.result(True, "secret", {}, before, {})


def run(module):
    params = module.params
    value = declared_value(params)
    validate_secret(params, value)
    validate_tags(params["tags"])
    check_placeholder(params["kms_key_id"], "kms_key_id", module.check_mode)
    client = module.client("secretsmanager")
    if params["state"] == "absent":
        return ensure_absent(module, client)
    return ensure_present(module, client, value)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str", default=""),
        kms_key_id=dict(type="str"),
        secret=dict(type="str", no_log=True),
        json_secret=dict(type="raw", no_log=True),
        recovery_window_days=dict(type="int", default=30),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(argument_spec=argument_spec, mutually_exclusive=[("secret", "json_secret")])
    module.run(run)


if __name__ == "__main__":
    main()

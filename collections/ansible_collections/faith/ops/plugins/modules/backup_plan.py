#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: backup_plan
short_description: Manage an AWS Backup plan with its vaults, cross-region copies and selection
version_added: 0.1.0
description:
  - Manages, in one call, everything a scheduled backup needs; the backup vault in the module's region,
    the vaults that copy rules send recovery points to in other regions, the backup plan with its rules,
    and the plan's resource selection.
  - The plan is compared with its document stripped of the values AWS fills in (rule ids, the default
    C(ScheduleExpressionTimezone), start and completion windows, C(EnableContinuousBackup=false)), so a run
    with nothing to change makes no write. amazon.aws's backup_plan lost this when AWS began returning the
    time zone (U(https://github.com/ansible-collections/amazon.aws/issues/1952)).
  - A vault that does not exist is recognised whether AWS answers C(AccessDeniedException) (as it does)
    or C(ResourceNotFoundException) (as its API model and emulators do).
  - Selections cannot be changed in place on AWS; a selection that differs is deleted and created again.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the backup plan (1 to 50 letters, digits, C(-), C(_), C(.)); plans are found by this name.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the vaults, the plan and the selection.
      - V(absent) deletes the plan (and, with O(manage_selection=true), its selections first, as AWS requires), then
        the vaults unless O(keep_vaults=true).
    type: str
    choices: [present, absent]
    default: present
  vault_name:
    description: Name of the backup vault in the module's region the plan's rules store recovery points in. Required when O(state=present).
    type: str
  vault_kms_key_arn:
    description:
      - KMS key that encrypts the vault; the AWS-managed backup key when omitted.
      - AWS cannot change the key of an existing vault; a different key fails with a message naming this option.
    type: str
  rules:
    description: The rules of the plan. Required when O(state=present).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the rule, unique in the plan.
        type: str
        required: true
      schedule:
        description:
          - When backups start, as an AWS cron expression C(cron(minutes hours day-of-month month day-of-week year)),
            for example C(cron(0 5 ? * * *)) (daily at 05:00) or C(cron(0 3 ? * SUN *)) (weekly on Sunday).
          - AWS Backup runs a rule at most hourly, so the minutes field is a single minute.
        type: str
        required: true
      timezone:
        description: Time zone of O(rules[].schedule), for example C(Europe/London); UTC when omitted.
        type: str
      start_window_minutes:
        description: Minutes a backup may wait to start before it is cancelled (at least 60; AWS's default is 480).
        type: int
      completion_window_minutes:
        description: Minutes a started backup may run (at least 60 more than the start window; AWS's default is 10080).
        type: int
      delete_after_days:
        description: Days a recovery point is kept; kept forever when omitted.
        type: int
      move_to_cold_storage_after_days:
        description: Days after which a recovery point moves to cold storage; O(rules[].delete_after_days) must then be at least 90 more.
        type: int
      enable_continuous_backup:
        description: Whether the rule makes continuous backups (point-in-time restore, kept 1 to 35 days).
        type: bool
        default: false
      recovery_point_tags:
        description: Tags given to the recovery points the rule creates.
        type: dict
      copy_to:
        description:
          - Copies of each recovery point to vaults in other regions.
          - A copy to the plan's own region is refused; it would not survive the loss of the region.
        type: list
        elements: dict
        suboptions:
          destination_vault_arn:
            description: ARN of the destination vault. Mutually exclusive with O(rules[].copy_to[].region) and O(rules[].copy_to[].vault_name).
            type: str
          region:
            description: Region of the destination vault in this account, used with O(rules[].copy_to[].vault_name).
            type: str
          vault_name:
            description: Name of the destination vault, used with O(rules[].copy_to[].region).
            type: str
          delete_after_days:
            description:
              - Days the copy is kept.
              - When neither this nor O(rules[].copy_to[].move_to_cold_storage_after_days) is set, the copy follows the rule's lifecycle.
            type: int
          move_to_cold_storage_after_days:
            description: Days after which the copy moves to cold storage.
            type: int
  manage_destination_vaults:
    description:
      - Create (and with O(state=absent) delete) the destination vaults given by O(rules[].copy_to[].region) and
        O(rules[].copy_to[].vault_name), in their regions, with the same O(tags) as the plan.
      - Vaults given by ARN are never managed.
    type: bool
    default: true
  selection:
    description: The resources the plan backs up.
    type: dict
    suboptions:
      name:
        description: Name of the selection.
        type: str
        required: true
      iam_role_arn:
        description: IAM role AWS Backup assumes to back up and restore the resources.
        type: str
        required: true
      resources:
        description: ARNs of the resources (for example DynamoDB tables), or C(*).
        type: list
        elements: str
      resource_tags:
        description: Resources carrying any of these tags (key and value) are selected too.
        type: dict
  manage_selection:
    description:
      - Whether this module reads and writes backup selections at all.
      - V(false) leaves selections untouched, for platforms without the selection API (the local emulator);
        with O(state=absent) the plan then must have no selection, or AWS refuses to delete it.
    type: bool
    default: true
  keep_vaults:
    description: With O(state=absent), keep the vaults (and every recovery point in them).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - O(tags) apply to the plan and to every vault this module creates; the selection takes no tags.
  - AWS refuses to delete a vault that still holds recovery points; this module never deletes recovery points.
"""

EXAMPLES = r"""
- name: Ensure the tables are backed up daily and weekly, with copies in the DR region
  faith.ops.backup_plan:
    name: faith-chatbot-production-backup
    region: us-east-1
    vault_name: faith-chatbot-production-vault
    rules:
      - name: daily
        schedule: cron(0 5 ? * * *)
        delete_after_days: 35
        copy_to:
          - region: us-west-2
            vault_name: faith-chatbot-production-dr-vault
      - name: weekly
        schedule: cron(0 3 ? * SUN *)
        move_to_cold_storage_after_days: 30
        delete_after_days: 365
        copy_to:
          - region: us-west-2
            vault_name: faith-chatbot-production-dr-vault
            delete_after_days: 90
    selection:
      name: tables
      iam_role_arn: arn:aws:iam::123456789012:role/faith-chatbot-production-backup
      resources:
        - arn:aws:dynamodb:us-east-1:123456789012:table/faith-chatbot-production-UserProfiles
      resource_tags:
        Backup: daily
    tags:
      Application: faith-chatbot
      Environment: production
  register: backup

- name: Delete the plan but keep the vaults and their recovery points
  faith.ops.backup_plan:
    name: faith-chatbot-staging-backup
    state: absent
    keep_vaults: true
"""

RETURN = r"""
plan:
  description: The backup plan after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    backup_plan_id:
      description: Id of the plan (unknown in check mode before creation).
      returned: when the plan exists
      type: str
      sample: 8a8f6c2e-2b6e-4a57-9f0e-1d2c3b4a5f60
    backup_plan_arn:
      description: ARN of the plan.
      returned: when the plan exists
      type: str
      sample: arn:aws:backup:us-east-1:123456789012:backup-plan:8a8f6c2e-2b6e-4a57-9f0e-1d2c3b4a5f60
    version_id:
      description: Version of the plan document.
      returned: when the plan exists
      type: str
      sample: ZDVjNDIzMjItYjgxNy00
    backup_plan:
      description: The plan document, normalised (AWS defaults removed).
      returned: when present
      type: dict
      sample: {"backup_plan_name": "faith-chatbot-local-backup", "rules": [{"rule_name": "daily", "schedule_expression": "cron(0 5 ? * * *)"}]}
    tags:
      description: Tags of the plan.
      returned: when present
      type: dict
      sample: {"Application": "faith-chatbot"}
vault:
  description: The vault in the module's region.
  returned: when O(state=present)
  type: dict
  sample: {"name": "faith-chatbot-local-vault", "region": "us-east-1", "arn": "arn:aws:backup:us-east-1:123456789012:backup-vault:faith-chatbot-local-vault"}
destination_vaults:
  description: The destination vaults this module manages (O(manage_destination_vaults=true)).
  returned: always
  type: list
  elements: dict
  sample:
    - name: faith-chatbot-local-dr-vault
      region: us-west-2
      arn: arn:aws:backup:us-west-2:123456789012:backup-vault:faith-chatbot-local-dr-vault
selection:
  description: The selection (empty when none is managed).
  returned: always
  type: dict
  sample: {"selection_id": "0f5e1c9a-5f1f-4d5e-b1c7-2e8f0a6d9b21", "selection_name": "tables", "iam_role_arn": "arn:aws:iam::123456789012:role/backup"}
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["create backup vault faith-chatbot-local-vault in us-east-1", "create backup plan faith-chatbot-local-backup"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.faith.ops.plugins.module_utils.backup import api
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import canonical_plan
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import canonical_selection
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import copy_destinations
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import parse_vault_arn
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import plan_document
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import selection_document
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import validate_names
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import validate_rules
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import vault_arn
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.tagging import validate_tags
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


class Backup:
    """The plan's resources as AWS holds them, and the calls that change them."""

    def __init__(self, module):
        self.module = module
        self.region = module.region
        self.clients = {}

    def client(self, region):
        if region not in self.clients:
            extra = {} if region == self.region else {"region": region}
            self.clients[region] = self.module.client("backup", **extra)
        return self.clients[region]

    # --- tags ---------------------------------------------------------------------------

    def ensure_tags(self, client, arn, what):
        """Bring the tags of ``arn`` to the declared ones. True when they were (or would be) changed."""
        desired = self.module.params["tags"]
        if desired is None or arn is None:
            return False
        to_set, to_remove = tag_changes(api.tags_of(client, arn), desired, self.module.params["purge_tags"])
        if not (to_set or to_remove):
            return False
        self.module.record(f"retag {what}")
        if self.module.check_mode:
            return True
        if to_remove:
            api.untag(client, arn, to_remove)
        if to_set:
            api.tag(client, arn, to_set)
        return True

    # --- vaults -------------------------------------------------------------------------

    def ensure_vault(self, region, name, kms_key_arn=None, kms_option=None):
        """Create the vault when missing, then its tags. Returns ``(changed, vault)``."""
        client = self.client(region)
        current = api.describe_vault(client, name)
        if current is None:
            self.module.record(f"create backup vault {name} in {region}")
            if self.module.check_mode:
                return True, {"name": name, "region": region, "arn": None}
            created = api.create_vault(client, name, kms_key_arn, self.module.params["tags"])
            return True, {"name": name, "region": region, "arn": created["BackupVaultArn"]}
        if kms_key_arn and current.get("EncryptionKeyArn") and current["EncryptionKeyArn"] != kms_key_arn:
            raise OptionError(
                kms_option,
                f"vault {name} is encrypted with {current['EncryptionKeyArn']}; AWS cannot change a vault's key, "
                "so use that key or a new vault name",
            )
        vault = {"name": name, "region": region, "arn": current["BackupVaultArn"]}
        return self.ensure_tags(client, vault["arn"], f"backup vault {name} in {region}"), vault

    def ensure_vault_absent(self, region, name):
        client = self.client(region)
        if api.describe_vault(client, name) is None:
            return False
        self.module.record(f"delete backup vault {name} in {region}")
        if not self.module.check_mode:
            api.delete_vault(client, name)
        return True

    # --- plan ---------------------------------------------------------------------------

    def find_plan(self):
        """The plan named ``name`` (its GetBackupPlan response), or None."""
        name = self.module.params["name"]
        found = api.plans_named(self.client(self.region), name)
        if len(found) > 1:
            ids = ", ".join(plan["BackupPlanId"] for plan in found)
            raise OptionError("name", f"{len(found)} backup plans are named {name!r} ({ids}); rename or delete all but one")
        return api.get_plan(self.client(self.region), found[0]["BackupPlanId"]) if found else None

    def ensure_plan(self, current, document):
        """Create the plan, or update it when its document differs. Returns ``(changed, plan)``."""
        client = self.client(self.region)
        if current is None:
            self.module.record(f"create backup plan {document['BackupPlanName']}")
            if self.module.check_mode:
                return True, {}
            return True, plan_identity(api.create_plan(client, document, self.module.params["tags"]))
        plan = plan_identity(current)
        changed = False
        if canonical_plan(current["BackupPlan"]) != document:
            self.module.record(f"update backup plan {document['BackupPlanName']}")
            changed = True
            if not self.module.check_mode:
                plan.update(plan_identity(api.update_plan(client, current["BackupPlanId"], document)))
        tagged = self.ensure_tags(client, current["BackupPlanArn"], f"backup plan {document['BackupPlanName']}")
        return changed or tagged, plan

    def ensure_plan_absent(self, current):
        if current is None:
            return False
        self.module.record(f"delete backup plan {self.module.params['name']}")
        if not self.module.check_mode:
            api.delete_plan(self.client(self.region), current["BackupPlanId"])
        return True

    # --- selection ----------------------------------------------------------------------

    def ensure_selection(self, plan_id, desired, new_plan):
        """Create the selection, or replace it when it differs. Returns ``(changed, selection)``."""
        client = self.client(self.region)
        name = desired["SelectionName"]
        current_id, current = None, None
        # A plan created in this run has no selection yet: nothing to read.
        if plan_id and not new_plan:
            for summary in api.selections(client, plan_id):
                if summary["SelectionName"] == name:
                    current_id = summary["SelectionId"]
                    current = canonical_selection(api.get_selection(client, plan_id, current_id))
        if current == desired:
            return False, dict(desired, SelectionId=current_id)
        if current is not None:
            self.module.record(f"replace backup selection {name}")
            if not self.module.check_mode:
                # AWS has no UpdateBackupSelection; a changed selection is a new one.
                api.delete_selection(client, plan_id, current_id)
        else:
            self.module.record(f"create backup selection {name}")
        if self.module.check_mode:
            return True, dict(desired, SelectionId=None)
        return True, dict(desired, SelectionId=api.create_selection(client, plan_id, desired))

    def ensure_selections_absent(self, plan_id):
        """Delete every selection of the plan, which AWS requires before deleting the plan."""
        client = self.client(self.region)
        changed = False
        for summary in api.selections(client, plan_id):
            self.module.record(f"delete backup selection {summary['SelectionName']}")
            changed = True
            if not self.module.check_mode:
                api.delete_selection(client, plan_id, summary["SelectionId"])
        return changed


def plan_identity(response):
    """The identifying fields of a plan from any of the plan calls' responses."""
    return {key: response[key] for key in ("BackupPlanId", "BackupPlanArn", "VersionId") if response.get(key)}


def managed_destinations(params, region):
    """``{(region, vault name)}`` of the destination vaults this module creates and deletes."""
    if not params["manage_destination_vaults"] or not params["rules"]:
        return []
    destinations = copy_destinations(params["rules"], region)
    return sorted({(target["region"], target["vault_name"]) for _rule, _copy, target in destinations if "region" in target})


def destination_arns(params, region, known_arns):
    """``{(rule index, copy index): vault ARN}``; ``known_arns`` are the vaults described or created."""
    reference = next((arn for arn in known_arns.values() if arn), None)
    # Only check mode before any vault exists leaves the account unknown.
    parsed = parse_vault_arn(reference)
    arns = {}
    for rule_index, copy_index, target in copy_destinations(params["rules"], region):
        if "arn" in target:
            arns[(rule_index, copy_index)] = target["arn"]
        else:
            key = (target["region"], target["vault_name"])
            planned = vault_arn(parsed["partition"], target["region"], parsed["account"], target["vault_name"]) if parsed else UNKNOWN
            arns[(rule_index, copy_index)] = known_arns.get(key) or planned
    return arns


def snake(document):
    return camel_dict_to_snake_dict(document or {}, ignore_list=["RecoveryPointTags"])


def ensure_present(module, backup):
    params = module.params
    region = backup.region
    validate_rules(params["rules"], region)
    selection = selection_document(params["selection"]) if params["manage_selection"] and params["selection"] else None

    changed, vault = backup.ensure_vault(region, params["vault_name"], params["vault_kms_key_arn"], "vault_kms_key_arn")
    known = {(region, params["vault_name"]): vault["arn"]}
    destinations = []
    for target_region, target_name in managed_destinations(params, region):
        vault_changed, destination = backup.ensure_vault(target_region, target_name)
        changed = vault_changed or changed
        destinations.append(destination)
        known[(target_region, target_name)] = destination["arn"]

    document = plan_document(params["name"], params["vault_name"], params["rules"], destination_arns(params, region, known))
    current = backup.find_plan()
    plan_changed, plan = backup.ensure_plan(current, document)
    changed = plan_changed or changed

    selection_result = {}
    if selection is not None:
        selection_changed, selection_result = backup.ensure_selection(plan.get("BackupPlanId"), selection, current is None)
        changed = selection_changed or changed

    before = {"plan": canonical_plan(current["BackupPlan"]) if current else {}}
    after = {"plan": document}
    result_plan = snake(plan)
    result_plan["backup_plan"] = snake(document)
    if params["tags"] is not None:
        result_plan["tags"] = params["tags"]
    result = module.result(changed, "plan", result_plan, before=before, after=after)
    result.update(vault=vault, destination_vaults=destinations, selection=snake(selection_result))
    return result


def ensure_absent(module, backup):
    params = module.params
    current = backup.find_plan()
    changed = False
    if current is not None and params["manage_selection"]:
        changed = backup.ensure_selections_absent(current["BackupPlanId"])
    changed = backup.ensure_plan_absent(current) or changed
    destinations = []
    if not params["keep_vaults"]:
        if params["vault_name"]:
            changed = backup.ensure_vault_absent(backup.region, params["vault_name"]) or changed
        for target_region, target_name in managed_destinations(params, backup.region):
            changed = backup.ensure_vault_absent(target_region, target_name) or changed
            destinations.append({"name": target_name, "region": target_region, "arn": None})
    before = {"plan": canonical_plan(current["BackupPlan"]) if current else {}}
    result = module.result(changed, "plan", {}, before=before, after={"plan": {}})
    result.update(destination_vaults=destinations, selection={})
    return result


def ensure(module):
    params = module.params
    validate_names(params["name"], params["vault_name"])
    # In check mode earlier roles hand over placeholders of the role and the tables they would
    # create; outside it they are refused.
    check_placeholders(params, ("selection",), module.check_mode)
    validate_tags(params["tags"])
    backup = Backup(module)
    if params["state"] == "present":
        return ensure_present(module, backup)
    return ensure_absent(module, backup)


def main():
    copy_target = dict(
        destination_vault_arn=dict(type="str"),
        region=dict(type="str"),
        vault_name=dict(type="str"),
        delete_after_days=dict(type="int"),
        move_to_cold_storage_after_days=dict(type="int"),
    )
    rule = dict(
        name=dict(type="str", required=True),
        schedule=dict(type="str", required=True),
        timezone=dict(type="str"),
        start_window_minutes=dict(type="int"),
        completion_window_minutes=dict(type="int"),
        delete_after_days=dict(type="int"),
        move_to_cold_storage_after_days=dict(type="int"),
        enable_continuous_backup=dict(type="bool", default=False),
        recovery_point_tags=dict(type="dict"),
        copy_to=dict(type="list", elements="dict", options=copy_target),
    )
    selection = dict(
        name=dict(type="str", required=True),
        iam_role_arn=dict(type="str", required=True),
        resources=dict(type="list", elements="str"),
        resource_tags=dict(type="dict"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        vault_name=dict(type="str"),
        vault_kms_key_arn=dict(type="str", no_log=False),
        rules=dict(type="list", elements="dict", options=rule),
        manage_destination_vaults=dict(type="bool", default=True),
        selection=dict(type="dict", options=selection),
        manage_selection=dict(type="bool", default=True),
        keep_vaults=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec,
        required_if=[("state", "present", ("vault_name", "rules"))],
    )
    module.run(ensure)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: release_record
short_description: Read and move an environment's release record, by compare-and-set
version_added: 0.2.0
description:
  - The release record says which colour serves, what each colour runs (version, app settings,
    task definition, task count), the release in progress (strategy, step, weights, phase, start)
    and the history of releases with their outcome and reason.
  - Every change is one transition (O(operation)) written with a conditional write on the
    record's revision, so two controllers can never both move one release forward; a transition
    that lost the race fails and names what changed.
  - The record lives in the environment's operations table (see M(faith.ops.environment_lock)).
  - In check mode the transition is computed and returned but not written.
author:
  - faith.ops maintainers (@faith-ops)
options:
  table:
    description: Name of the environment's operations table.
    type: str
    required: true
  environment:
    description: The environment the record belongs to.
    type: str
    required: true
  operation:
    description:
      - C(read) returns the record (an empty one when none exists).
      - C(initialise) creates the record of a new environment from O(active_colour) and O(colours); an existing record is left alone.
      - C(begin) starts O(release); refused while another release is in progress.
      - C(progress) moves the release O(release_id) to O(step), O(weights), O(phase) and records O(colours).
      - C(promote) asks the release in progress to skip its remaining bake.
      - C(finish) ends the release O(release_id) with O(outcome) and O(reason).
      - C(rollback) records a rollback to the previous good release outside any release.
      - C(colours) records what the colours run, outside a release.
      - C(retire) records that the environment was torn down (nothing serves; the history is kept).
    type: str
    choices: [read, initialise, begin, progress, promote, finish, rollback, colours, retire]
    default: read
  release:
    description:
      - The release to begin - C(id), C(version), C(strategy), C(target_colour), C(stable_colour) and optionally C(steps),
        C(app_environment), C(environment) (the new revision's whole app environment), C(started_by), C(weights),
        C(bake_seconds), C(stable) (what the stable colour ran) and
        C(previous_latest_app_environment).
    type: dict
  release_id:
    description: The release a C(progress), C(promote) or C(finish) applies to (a C(rollback)'s own id).
    type: str
  step:
    description: Index of the step reached.
    type: int
  weights:
    description: Production weights now in force, C(blue) and C(green).
    type: dict
  phase:
    description: Phase of the release in progress.
    type: str
    choices: [progressing, baking, paused, promoting, rolling_back]
  note:
    description: A short note on the release in progress (for example why it paused).
    type: str
  revision:
    description: The task definition revision the release in progress registered.
    type: str
  active_colour:
    description: The colour that serves production after the transition.
    type: str
    choices: [blue, green]
  colours:
    description: What each colour runs, by colour; fields C(version), C(app_environment), C(task_definition), C(desired_count), C(state), C(warm_until).
    type: dict
  outcome:
    description: How the release ended.
    type: str
    choices: [succeeded, failed, aborted, rolled_back]
  reason:
    description: Why it ended that way (shown in the history and in messages).
    type: str
  started_by:
    description: Who runs a C(rollback).
    type: str
    default: unknown
  settings:
    description:
      - Record-wide settings written with any transition except C(read) - C(declared_app_environment) (the app
        settings the stack declares), C(latest_app_environment) (the settings of the task definition family's
        latest revision) and C(image_repository).
    type: dict
  expected_revision:
    description:
      - Fail unless the record is still at this revision (read earlier with C(read)). Without it the
        transition applies to the record as read by this module, still written by compare-and-set.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the release record
  faith.ops.release_record:
    table: faith-ops.faith-chatbot.production
    environment: production
  register: record

- name: Start a canary release of 1.5.0 on the idle colour
  faith.ops.release_record:
    table: faith-ops.faith-chatbot.production
    environment: production
    operation: begin
    release:
      id: "{{ release_id }}"
      version: 1.5.0
      strategy: canary
      target_colour: green
      stable_colour: blue
      steps: [10, 50, 100]
      started_by: ops@bastion

- name: Record that the canary failed its analysis
  faith.ops.release_record:
    table: faith-ops.faith-chatbot.production
    environment: production
    operation: finish
    release_id: "{{ release_id }}"
    outcome: failed
    reason: "5xx rate 0.31 above 0.05 at 10 %"
    active_colour: blue
"""

RETURN = r"""
record:
  description: The record after the transition (in check mode, as it would be).
  returned: always
  type: dict
  sample: {"environment": "production", "active_colour": "blue", "colours": {"blue": {"version": "1.4.0"}}, "release": null, "history": []}
revision:
  description: Revision of the record after the transition (0 when there is none).
  returned: always
  type: int
  sample: 12
in_progress:
  description: One line naming the release in progress, or null.
  returned: always
  type: str
  sample: release r-1765 of version 1.5.0 (canary, baking, step 1/3, weights blue 90/green 10) started 2026-12-06T21:00:00Z by ops@bastion
actions:
  description: The transition applied, or that would be applied in check mode.
  returned: always
  type: list
  elements: str
  sample: ["begin release r-1765 of 1.5.0"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.operations import api
from ansible_collections.faith.ops.plugins.module_utils.operations import record as records
from ansible_collections.faith.ops.plugins.module_utils.operations.table import TABLE_OPTIONS
from ansible_collections.faith.ops.plugins.module_utils.operations.table import validate_table_name
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

REQUIRED = {
    "begin": ["release"],
    "progress": ["release_id"],
    "finish": ["release_id", "outcome", "reason"],
    "rollback": ["release_id", "active_colour", "reason"],
    "initialise": ["active_colour", "colours"],
}
RELEASE_FIELDS = {"id", "version", "strategy", "target_colour", "stable_colour", "steps", "started_by", "app_environment",
                  "weights", "bake_seconds", "stable", "previous_latest_app_environment", "environment"}


def validate(params):
    validate_table_name(params["table"])
    for option in REQUIRED.get(params["operation"], []):
        if params[option] in (None, "", {}):
            raise OptionError(option, f"operation={params['operation']} needs {option}")
    release = params["release"]
    if release is not None:
        missing = {"id", "version", "strategy", "target_colour", "stable_colour"} - set(release)
        if missing:
            raise OptionError("release", f"missing field(s) {sorted(missing)}")
        unknown = set(release) - RELEASE_FIELDS
        if unknown:
            raise OptionError("release", f"unknown field(s) {sorted(unknown)}; valid: {sorted(RELEASE_FIELDS)}")
    weights = params["weights"]
    if weights is not None:
        if sorted(weights) != ["blue", "green"] or sum(int(v) for v in weights.values()) != 100 \
                or any(not 0 <= int(v) <= 100 for v in weights.values()):
            raise OptionError("weights", f"give blue and green, each 0-100, summing to 100; got {weights}")


def transition(params, body):
    operation = params["operation"]
    if operation == "initialise":
        return records.initialise(body, params["environment"], params["active_colour"], params["colours"])
    if operation == "begin":
        return records.begin(body, params["release"])
    if operation == "progress":
        weights = {colour: int(value) for colour, value in params["weights"].items()} if params["weights"] else None
        return records.progress(body, params["release_id"], step=params["step"], weights=weights,
                                phase=params["phase"], colours=params["colours"], note=params["note"],
                                revision=params["revision"])
    if operation == "promote":
        return records.request_promote(body, params["release_id"])
    if operation == "finish":
        return records.finish(body, params["release_id"], params["outcome"], params["reason"],
                              active_colour=params["active_colour"], colours=params["colours"])
    if operation == "rollback":
        return records.rolled_back(body, params["release_id"], params["active_colour"], params["colours"],
                                   params["reason"], params["started_by"])
    if operation == "retire":
        return records.retire(body, params["reason"] or "teardown.yml")
    if body is None:
        raise records.RecordError("the environment has no release record yet: run deploy.yml first, which creates it")
    return records.update_colours(body, params["colours"])


def summary(body, revision, changed):
    release = (body or {}).get("release")
    return {"changed": changed, "record": body, "revision": revision,
            "in_progress": records.describe_release(release) if release else None}


def run(module):
    params = module.params
    validate(params)
    client = module.client("dynamodb")
    item = api.get_item(client, params["table"], records.RECORD_KEY)
    body, revision = (item["body"], item["revision"]) if item else (None, 0)
    if params["operation"] == "read":
        return summary(body or records.empty_record(params["environment"]), revision, False)
    if params["expected_revision"] is not None and params["expected_revision"] != revision:
        module.fail_json(msg=f"the release record moved from revision {params['expected_revision']} to {revision} "
                             f"since it was read; {summary(body, revision, False)['in_progress'] or 'no release in progress'}",
                         record=body, revision=revision)
    try:
        new_body = transition(params, body)
        if params["settings"]:
            new_body = records.update_settings(new_body, params["settings"])
    except records.RecordError as error:
        module.fail_json(msg=str(error), record=body, revision=revision)
    if new_body == body:
        return summary(body, revision, False)
    module.record(f"{params['operation']} release record of {params['environment']}")
    if module.check_mode:
        return summary(new_body, revision, True)
    try:
        revision = api.put_item_if_revision(client, params["table"], records.RECORD_KEY, new_body, revision)
    except api.ConditionFailed:
        latest = api.get_item(client, params["table"], records.RECORD_KEY)
        now_running = summary(latest["body"], latest["revision"], False)["in_progress"] or "no release in progress now"
        module.fail_json(msg="the release record changed while this transition was written (another controller acts "
                             f"on {params['environment']}): {now_running}",
                         record=latest["body"], revision=latest["revision"])
    return summary(new_body, revision, True)


def main():
    argument_spec = dict(
        TABLE_OPTIONS,
        operation=dict(type="str", default="read",
                       choices=["read", "initialise", "begin", "progress", "promote", "finish", "rollback", "colours", "retire"]),
        release=dict(type="dict"),
        release_id=dict(type="str"),
        step=dict(type="int"),
        weights=dict(type="dict"),
        phase=dict(type="str", choices=list(records.PHASES)),
        note=dict(type="str"),
        revision=dict(type="str"),
        active_colour=dict(type="str", choices=["blue", "green"]),
        colours=dict(type="dict"),
        outcome=dict(type="str", choices=list(records.OUTCOMES)),
        reason=dict(type="str"),
        started_by=dict(type="str", default="unknown"),
        expected_revision=dict(type="int"),
        settings=dict(type="dict"),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()

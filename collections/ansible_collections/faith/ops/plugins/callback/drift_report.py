# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: drift_report
type: aggregate
short_description: Write what a check-mode run would change as a machine-readable drift report
version_added: 0.1.0
description:
  - Active only in a play that sets the fact C(faith_drift_report_path) (with
    C(ansible.builtin.set_fact), as C(playbooks/drift.yml) does); elsewhere it does nothing.
  - For every task that reports C(changed) in such a play, records each field whose value
    differs between the diff's C(before) (what exists) and C(after) (what the code
    declares), as C({resource, region, task, field, expected, actual}), and rewrites the JSON
    report at the path after each task, so the play's last task can read it.
requirements:
  - enable in C(ansible.cfg) with C(callbacks_enabled = faith.ops.drift_report)
author:
  - faith.ops maintainers (@faith-ops)
"""

import json
import os

from ansible.plugins.callback import CallbackBase

from ansible_collections.faith.ops.plugins.module_utils.drift import findings_from_result


class CallbackModule(CallbackBase):
    """Collects findings from changed task results of drift plays."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "faith.ops.drift_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.report_path = None
        self.findings = []

    def v2_playbook_on_play_start(self, play):
        self.report_path = None

    def v2_runner_on_ok(self, result):
        # The fact carries the templated path, which the play's raw variables would not.
        path = (result._result.get("ansible_facts") or {}).get("faith_drift_report_path")
        if path:
            self.report_path = os.path.abspath(str(path))
            self.findings = []
            self._write()
            return
        if not self.report_path or not result._result.get("changed"):
            return
        self.findings.extend(findings_from_result(result._task.get_name(), result._task.action, result._task.args, result._result))
        self._write()

    def _write(self):
        directory = os.path.dirname(self.report_path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(self.report_path, "w", encoding="utf-8") as report:
            json.dump({"drift": bool(self.findings), "findings": self.findings}, report, indent=2, sort_keys=True, default=str)

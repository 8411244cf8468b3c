# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turning a check-mode task result into drift findings (used by the drift_report callback)."""

from __future__ import annotations

# Option names that identify the resource a task manages, in order of preference.
IDENTITY_OPTIONS = ("name", "set_name", "names", "service", "cluster", "family", "resource", "table_name")


def resource_of(action, args):
    """A readable identity for the resource a task manages: ``faith.ops.vpc_network faith-chatbot-local``."""
    for option in IDENTITY_OPTIONS:
        value = args.get(option)
        if value:
            return f"{action} {value}"
    return action


def leaf_differences(before, after, path=""):
    """Yield ``(field, expected, actual)`` for every leaf where ``after`` (declared) differs from ``before`` (existing)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after), key=str):
            child = f"{path}.{key}" if path else str(key)
            yield from leaf_differences(before.get(key), after.get(key), child)
    elif before != after:
        yield path or "(resource)", after, before


def findings_from_result(task_name, action, args, result):
    """Findings for one changed task result; a result without a diff still yields one finding.

    A looped task's result holds one result per item: each item that changed is reported on
    its own, named by the options it ran with (the task's arguments are not templated per item).
    """
    if isinstance(result.get("results"), list):
        findings = []
        for item in result["results"]:
            if isinstance(item, dict) and item.get("changed"):
                item_args = (item.get("invocation") or {}).get("module_args") or args
                findings.extend(findings_from_result(task_name, action, item_args, item))
        return findings
    resource = resource_of(action, args or {})
    # The region the module ran in (the same names exist in the primary and the DR region): from
    # the options the module received, module_defaults included.
    region = ((result.get("invocation") or {}).get("module_args") or {}).get("region") or (args or {}).get("region")
    diffs = result.get("diff") or []
    if isinstance(diffs, dict):
        diffs = [diffs]
    findings = []
    for diff in diffs:
        before, after = diff.get("before"), diff.get("after")
        if isinstance(before, dict) or isinstance(after, dict):
            for field, expected, actual in leaf_differences(before or {}, after or {}):
                findings.append({"resource": resource, "region": region, "task": task_name, "field": field, "expected": expected, "actual": actual})
    if not findings:
        findings.append({
            "resource": resource, "region": region, "task": task_name, "field": "(resource)",
            "expected": "as declared", "actual": "; ".join(result.get("actions") or []) or "differs (no diff available)",
        })
    return findings

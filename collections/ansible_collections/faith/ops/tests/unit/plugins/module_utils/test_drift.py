# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.faith.ops.plugins.module_utils.drift import findings_from_result
from ansible_collections.faith.ops.plugins.module_utils.drift import leaf_differences


def test_leaf_differences_name_each_changed_field():
    before = {"table": {"pitr": False, "tags": {"a": "1"}}, "same": 1}
    after = {"table": {"pitr": True, "tags": {"a": "1", "b": "2"}}, "same": 1}
    assert list(leaf_differences(before, after)) == [("table.pitr", True, False), ("table.tags.b", "2", None)]


def test_findings_come_from_the_diff_and_name_the_resource():
    result = {"changed": True, "diff": {"before": {"rules": ["a"]}, "after": {"rules": ["a", "b"]}}}
    findings = findings_from_result("Ensure the ALB group", "faith.ops.security_group", {"name": "alb"}, result)
    assert findings == [{
        "resource": "faith.ops.security_group alb", "region": None, "task": "Ensure the ALB group",
        "field": "rules", "expected": ["a", "b"], "actual": ["a"],
    }]


def test_findings_name_the_region_the_module_ran_in():
    result = {"changed": True, "invocation": {"module_args": {"name": "app-blue", "region": "us-west-2"}},
              "diff": {"before": {"desired_count": 1}, "after": {"desired_count": 0}}}
    findings = findings_from_result("Ensure the services", "faith.ops.ecs_service", {"name": "app-blue"}, result)
    assert [(finding["resource"], finding["region"], finding["field"]) for finding in findings] == [
        ("faith.ops.ecs_service app-blue", "us-west-2", "desired_count"),
    ]


def test_a_change_without_a_diff_is_still_reported():
    findings = findings_from_result("Ensure the topic", "community.aws.sns_topic", {"name": "alarms"}, {"changed": True})
    assert len(findings) == 1
    assert findings[0]["field"] == "(resource)"
    assert findings[0]["resource"] == "community.aws.sns_topic alarms"


def test_a_looped_task_reports_each_changed_item_by_its_own_options():
    result = {"changed": True, "results": [
        {"changed": True, "invocation": {"module_args": {"name": "app-blue"}},
         "diff": {"before": {}, "after": {"desired_count": 2}}},
        {"changed": False, "invocation": {"module_args": {"name": "app-green"}}, "diff": {"before": {}, "after": {}}},
        {"changed": True, "invocation": {"module_args": {"name": "app-canary"}}},
    ]}
    findings = findings_from_result("Ensure the services", "faith.ops.ecs_service", {"name": "{{ names[item] }}"}, result)
    assert [(finding["resource"], finding["field"], finding["expected"]) for finding in findings] == [
        ("faith.ops.ecs_service app-blue", "desired_count", 2),
        ("faith.ops.ecs_service app-canary", "(resource)", "as declared"),
    ]

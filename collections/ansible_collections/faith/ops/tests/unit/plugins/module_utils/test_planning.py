# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The check-mode placeholder: found wherever it is nested, refused outside check mode, and
accepted by the value rules of the modules that take ids an earlier step would create."""

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.application_autoscaling import transformations as scaling
from ansible_collections.faith.ops.plugins.module_utils.backup.transformations import selection_document
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import alarm_definition
from ansible_collections.faith.ops.plugins.module_utils.ecs import transformations as ecs
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders
from ansible_collections.faith.ops.plugins.module_utils.planning import placeholder_paths
from ansible_collections.faith.ops.plugins.module_utils.security_groups import transformations as sg
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

ACCOUNT = "123456789012"
LOAD_BALANCER = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/faith-alb/0123456789abcdef"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/faith-blue/0123456789abcdef"


def test_placeholder_paths_name_every_nested_option():
    params = {
        "alarms": [{"name": "5xx", "dimensions": {"LoadBalancer": UNKNOWN, "TargetGroup": "targetgroup/x/1"}}],
        "alarm_actions": [f"arn:aws:sns:us-east-1:{ACCOUNT}:alarms", UNKNOWN],
        "count": 3,
    }
    assert list(placeholder_paths(params["alarms"], "alarms")) == ["alarms[0].dimensions.LoadBalancer"]
    assert list(placeholder_paths(params["alarm_actions"], "alarm_actions")) == ["alarm_actions[1]"]
    assert list(placeholder_paths(params["count"], "count")) == []


def test_check_placeholders_accepts_them_in_check_mode_only():
    params = {"network_configuration": {"subnets": ["subnet-0a", UNKNOWN]}, "task_definition": "app:3"}
    assert check_placeholders(params, ("task_definition", "network_configuration"), check_mode=True) is True
    assert check_placeholders({"task_definition": "app:3"}, ("task_definition",), check_mode=False) is False
    with pytest.raises(OptionError) as refused:
        check_placeholders(params, ("task_definition", "network_configuration"), check_mode=False)
    assert refused.value.option == "network_configuration.subnets[1]"
    assert "placeholder" in str(refused.value)


def test_a_security_group_rule_may_admit_a_group_still_to_be_created():
    atoms = sg.validate_rules([{"protocol": "tcp", "from_port": 6379, "group_id": UNKNOWN}], "rules")
    resolved = sg.resolve_groups(atoms, [], UNKNOWN, "cache", None)
    assert resolved[0]["peer"] == "group_id"
    assert resolved[0]["target"] == UNKNOWN
    # A real id that is not in the VPC is still refused.
    with pytest.raises(OptionError, match="does not exist"):
        sg.resolve_groups(sg.validate_rules([{"from_port": 1, "group_id": "sg-0123456789abcdef0"}], "rules"), [], "vpc-1", "cache", None)
    with pytest.raises(OptionError, match="not a security group id"):
        sg.validate_rules([{"from_port": 1, "group_id": "known after apply"}], "rules")


def test_a_service_may_be_planned_on_ids_still_to_be_created():
    params = {
        "name": "faith-blue", "cluster": "faith", "task_definition": UNKNOWN, "desired_count": 1,
        "capacity_provider_strategy": None,
        "network_configuration": {"subnets": [UNKNOWN, UNKNOWN], "security_groups": [UNKNOWN]},
        "load_balancers": [{"target_group_arn": UNKNOWN, "container_name": "app", "container_port": 8000}],
        "deployment_configuration": None, "health_check_grace_period_seconds": 60,
    }
    ecs.validate_service(params)
    with pytest.raises(OptionError) as refused:
        ecs.validate_service(dict(params, network_configuration={"subnets": ["subnet-0a", "net-1"], "security_groups": []}))
    assert refused.value.option == "network_configuration.subnets[1]"


def test_the_request_count_label_is_unknown_until_the_load_balancer_exists():
    assert scaling.resource_label("policies[0]", UNKNOWN, TARGET_GROUP) == UNKNOWN
    assert scaling.resource_label("policies[0]", LOAD_BALANCER, UNKNOWN) == UNKNOWN
    assert scaling.resource_label("policies[0]", LOAD_BALANCER, TARGET_GROUP) == "app/faith-alb/0123456789abcdef/targetgroup/faith-blue/0123456789abcdef"
    with pytest.raises(OptionError, match="application load balancer"):
        scaling.resource_label("policies[0]", "app/faith-alb", TARGET_GROUP)


def test_an_alarm_may_notify_a_topic_still_to_be_created():
    alarm = {
        "name": "5xx", "namespace": "AWS/ApplicationELB", "metric_name": "HTTPCode_Target_5XX_Count",
        "dimensions": {"LoadBalancer": UNKNOWN}, "statistic": "Sum", "period": 60, "threshold": 5,
        "comparison_operator": "GreaterThanThreshold",
    }
    definition = alarm_definition("faith", alarm, 0, {"alarm_actions": [UNKNOWN], "ok_actions": None, "insufficient_data_actions": None})
    assert definition["AlarmActions"] == [UNKNOWN]
    assert definition["Dimensions"] == [{"Name": "LoadBalancer", "Value": UNKNOWN}]
    with pytest.raises(OptionError, match="not an action ARN"):
        alarm_definition("faith", alarm, 0, {"alarm_actions": ["alarms-topic"]})


def test_a_backup_selection_may_name_a_role_and_tables_still_to_be_created():
    document = selection_document({"name": "tables", "iam_role_arn": UNKNOWN, "resources": [UNKNOWN, UNKNOWN], "resource_tags": {}})
    assert document["IamRoleArn"] == UNKNOWN
    assert document["Resources"] == [UNKNOWN, UNKNOWN]
    with pytest.raises(OptionError) as refused:
        selection_document({"name": "tables", "iam_role_arn": "backup-role", "resources": ["*"], "resource_tags": {}})
    assert refused.value.option == "selection.iam_role_arn"

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import copy

import pytest

from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import SET_TAG_KEY
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import canonical
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import desired_alarms
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import desired_tags
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import set_members
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"
DEFAULTS = {"alarm_actions": [TOPIC], "ok_actions": [TOPIC], "insufficient_data_actions": []}


def static_alarm(**overrides):
    alarm = dict(
        name="latency", description="p95 latency", namespace="AWS/ApplicationELB", metric_name="TargetResponseTime",
        dimensions={"TargetGroup": "targetgroup/blue/1", "LoadBalancer": "app/alb/2"}, statistic=None, extended_statistic="p95",
        period=60, unit=None, metrics=None, evaluation_periods=3, datapoints_to_alarm=None, threshold=3, threshold_metric_id=None,
        comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching", actions_enabled=True,
        alarm_actions=None, ok_actions=None, insufficient_data_actions=None,
    )
    alarm.update(overrides)
    return alarm


def query(**fields):
    base = dict(id=None, expression=None, label=None, return_data=None, namespace=None, metric_name=None, dimensions=None, stat=None, period=None, unit=None)
    base.update(fields)
    return base


def math_alarm(**overrides):
    alarm = static_alarm(
        name="rate", namespace=None, metric_name=None, dimensions=None, extended_statistic=None, period=None, threshold=5,
        metrics=[
            query(id="rate", expression="100 * FILL(errors, 0) / requests", label="5xx rate"),
            query(id="errors", namespace="AWS/ApplicationELB", metric_name="HTTPCode_Target_5XX_Count",
                  dimensions={"LoadBalancer": "app/alb/2"}, stat="Sum", period=60),
            query(id="requests", namespace="AWS/ApplicationELB", metric_name="RequestCount", dimensions={"LoadBalancer": "app/alb/2"}, stat="Sum", period=60),
        ],
    )
    alarm.update(overrides)
    return alarm


def described(definition, **extra):
    """A DescribeAlarms entry for ``definition`` as AWS returns it: defaults filled, state fields added."""
    alarm = copy.deepcopy(definition)
    alarm.setdefault("DatapointsToAlarm", alarm["EvaluationPeriods"])
    alarm.setdefault("TreatMissingData", "missing")
    alarm.setdefault("Dimensions", [])
    alarm.setdefault("InsufficientDataActions", [])
    alarm.setdefault("OKActions", [])
    alarm["Dimensions"] = list(reversed(alarm["Dimensions"]))
    for query_ in alarm.get("Metrics", []):
        if query_.get("ReturnData"):
            query_.pop("ReturnData")
    alarm.update(
        AlarmArn=f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm['AlarmName']}",
        StateValue="INSUFFICIENT_DATA", StateReason="Unchecked", StateReasonData="{}",
        AlarmConfigurationUpdatedTimestamp="2026-01-01T00:00:00Z", StateUpdatedTimestamp="2026-01-01T00:00:00Z",
    )
    alarm.update(extra)
    return alarm


def test_static_alarm_definition_is_the_put_request():
    definition = desired_alarms("app", [static_alarm()], DEFAULTS)["app-latency"]
    assert definition == {
        "AlarmName": "app-latency",
        "AlarmDescription": "p95 latency",
        "ActionsEnabled": True,
        "AlarmActions": [TOPIC],
        "OKActions": [TOPIC],
        "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 3,
        "Threshold": 3.0,
        "TreatMissingData": "notBreaching",
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "TargetResponseTime",
        "Dimensions": [{"Name": "LoadBalancer", "Value": "app/alb/2"}, {"Name": "TargetGroup", "Value": "targetgroup/blue/1"}],
        "ExtendedStatistic": "p95",
        "Period": 60,
    }


@pytest.mark.parametrize("alarm", [static_alarm(), math_alarm(), static_alarm(datapoints_to_alarm=3, treat_missing_data="missing")])
def test_described_alarm_with_aws_defaults_compares_equal(alarm):
    definition = desired_alarms("app", [alarm], DEFAULTS)[f"app-{alarm['name']}"]
    assert canonical(described(definition)) == definition


def test_changed_threshold_is_a_difference():
    definition = desired_alarms("app", [static_alarm()], DEFAULTS)["app-latency"]
    assert canonical(described(definition, Threshold=4.0)) != definition


def test_math_alarm_defaults_return_data_to_the_expression():
    definition = desired_alarms("app", [math_alarm()], DEFAULTS)["app-rate"]
    returning = {query_["Id"]: query_["ReturnData"] for query_ in definition["Metrics"]}
    assert returning == {"rate": True, "errors": False, "requests": False}
    assert "Namespace" not in definition and "Period" not in definition


def test_anomaly_alarm_needs_no_threshold_and_returns_the_band():
    alarm = math_alarm(
        name="blocked", threshold=None, threshold_metric_id="band", comparison_operator="GreaterThanUpperThreshold",
        metrics=[
            query(id="blocked", namespace="AWS/WAFV2", metric_name="BlockedRequests", dimensions={"WebACL": "w", "Rule": "ALL"},
                  stat="Sum", period=300, return_data=True),
            query(id="band", expression="ANOMALY_DETECTION_BAND(blocked, 3)"),
        ],
    )
    definition = desired_alarms("app", [alarm], DEFAULTS)["app-blocked"]
    assert definition["ThresholdMetricId"] == "band"
    assert "Threshold" not in definition
    assert all(query_["ReturnData"] for query_ in definition["Metrics"])


@pytest.mark.parametrize(
    "overrides, option, words",
    [
        ({"comparison_operator": "GreaterThanOrEqual"}, "alarms[0].comparison_operator", "GreaterThanOrEqualToThreshold"),
        ({"statistic": "Avg", "extended_statistic": None}, "alarms[0].statistic", "Average"),
        ({"extended_statistic": "q95"}, "alarms[0].extended_statistic", "p95"),
        ({"statistic": "Sum"}, "alarms[0]", "exactly one of statistic and extended_statistic"),
        ({"period": 45}, "alarms[0].period", "multiple of 60"),
        ({"treat_missing_data": "zero"}, "alarms[0].treat_missing_data", "notBreaching"),
        ({"datapoints_to_alarm": 4}, "alarms[0].datapoints_to_alarm", "between 1 and evaluation_periods"),
        ({"threshold": None}, "alarms[0].threshold", "needs a threshold"),
        ({"threshold": float("nan")}, "alarms[0].threshold", "not a finite number"),
        ({"threshold": float("inf")}, "alarms[0].threshold", "not a finite number"),
        ({"threshold": float("-inf")}, "alarms[0].threshold", "not a finite number"),
        # 0 is refused, not read as "unset" and turned into 1.
        ({"evaluation_periods": 0, "datapoints_to_alarm": None}, "alarms[0].evaluation_periods", "at least 1, got 0"),
        ({"evaluation_periods": -2, "datapoints_to_alarm": None}, "alarms[0].evaluation_periods", "at least 1, got -2"),
        ({"unit": "Secs"}, "alarms[0].unit", "Seconds"),
        ({"evaluation_periods": 1441}, "alarms[0].evaluation_periods", "86400"),
        ({"alarm_actions": ["my-topic"]}, "alarms[0].alarm_actions", "ARN"),
        ({"comparison_operator": "GreaterThanUpperThreshold"}, "alarms[0].comparison_operator", "threshold_metric_id"),
        ({"dimensions": {"LoadBalancer": ""}}, "alarms[0].dimensions", "non-empty"),
        ({"name": "x" * 260}, "alarms[0].name", "255"),
    ],
)
def test_invalid_static_alarm_names_the_option(overrides, option, words):
    with pytest.raises(OptionError) as raised:
        desired_alarms("app", [static_alarm(**overrides)], DEFAULTS)
    assert raised.value.option == option
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "metrics, option, words",
    [
        ([query(id="Rate", expression="1")], "alarms[0].metrics[0].id", "lowercase"),
        ([query(id="a", expression="1"), query(id="a", expression="2")], "alarms[0].metrics[1].id", "another metric query"),
        ([query(id="a", namespace="N", metric_name="M", stat="Sum", period=60)], "alarms[0].metrics", "found 0"),
        ([query(id="a", expression="1"), query(id="b", expression="2")], "alarms[0].metrics", "found 2"),
        ([query(id="a", namespace="N", metric_name="M", stat="Median", period=60, return_data=True)], "alarms[0].metrics[0].stat", "Average"),
        ([query(id="a", namespace="N", metric_name="M", period=60, return_data=True)], "alarms[0].metrics[0]", "stat"),
        ([query(id="a", expression="1", namespace="N")], "alarms[0].metrics[0]", "either expression"),
        ([query(id=f"m{index}", expression="1") for index in range(11)], "alarms[0].metrics", "at most 10"),
    ],
)
def test_invalid_metric_queries_name_the_option(metrics, option, words):
    with pytest.raises(OptionError) as raised:
        desired_alarms("app", [math_alarm(metrics=metrics)], DEFAULTS)
    assert raised.value.option == option
    assert words in str(raised.value)


def test_math_alarm_rejects_static_fields():
    with pytest.raises(OptionError) as raised:
        desired_alarms("app", [math_alarm(namespace="AWS/ApplicationELB")], DEFAULTS)
    assert raised.value.option == "alarms[0]"
    assert "namespace" in str(raised.value)


def test_duplicate_alarm_names_are_rejected():
    with pytest.raises(OptionError) as raised:
        desired_alarms("app", [static_alarm(), static_alarm()], DEFAULTS)
    assert raised.value.option == "alarms[1].name"


def test_alarm_actions_override_the_set_defaults():
    definition = desired_alarms("app", [static_alarm(ok_actions=[])], DEFAULTS)["app-latency"]
    assert definition["AlarmActions"] == [TOPIC]
    assert "OKActions" not in definition


def test_set_tag_is_added_and_reserved():
    assert desired_tags("app", {"Application": "faith"}) == {"Application": "faith", SET_TAG_KEY: "app"}
    with pytest.raises(OptionError) as raised:
        desired_tags("app", {SET_TAG_KEY: "other"})
    assert raised.value.option == "tags"


def test_members_are_declared_names_or_tagged_alarms_only():
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
    alarms = [
        {"AlarmName": "app-latency", "AlarmArn": arn + "app-latency"},
        {"AlarmName": "app-old", "AlarmArn": arn + "app-old"},
        {"AlarmName": "app-blue-latency", "AlarmArn": arn + "app-blue-latency"},
    ]
    tags = {arn + "app-old": {SET_TAG_KEY: "app"}, arn + "app-blue-latency": {SET_TAG_KEY: "app-blue"}}
    assert sorted(set_members(alarms, tags, "app", {"app-latency"})) == ["app-latency", "app-old"]

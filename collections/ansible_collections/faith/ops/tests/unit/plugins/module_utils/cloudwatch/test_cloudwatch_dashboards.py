# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest

from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import dashboard_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import parse_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import same_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import serialise
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import validate_name
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def metric(**fields):
    base = dict(namespace="AWS/ECS", metric_name="CPUUtilization", dimensions={"ServiceName": "blue", "ClusterName": "c"},
                expression=None, id=None, label=None, stat=None, period=None, y_axis=None, color=None, visible=None)
    base.update(fields)
    return base


def widget(**fields):
    base = dict(type="metric", title=None, markdown=None, alarms=None, metrics=[metric()], stat=None, period=None, region=None,
                view=None, stacked=None, x=None, y=None, width=None, height=None, properties=None)
    base.update(fields)
    return base


def test_metric_widget_renders_cloudwatch_arrays():
    metrics = [metric(label="blue", y_axis="right"), metric(expression="m1 * 2", namespace=None, metric_name=None, id="e1")]
    body = dashboard_body([widget(title="CPU", stat="p95", metrics=metrics)], "us-east-1", 300)
    properties = body["widgets"][0]["properties"]
    assert properties["metrics"] == [
        ["AWS/ECS", "CPUUtilization", "ClusterName", "c", "ServiceName", "blue", {"label": "blue", "yAxis": "right"}],
        [{"expression": "m1 * 2", "id": "e1"}],
    ]
    assert properties == dict(properties, title="CPU", region="us-east-1", period=300, stat="p95", view="timeSeries")


def test_widgets_flow_into_rows_of_24_columns():
    body = dashboard_body(
        [widget(type="text", markdown="# Faith", metrics=None), widget(), widget(width=8), widget(height=3), widget(x=0, y=40, width=6)],
        "us-east-1",
        300,
    )
    positions = [(item["x"], item["y"], item["width"], item["height"]) for item in body["widgets"]]
    assert positions == [(0, 0, 24, 2), (0, 2, 12, 6), (12, 2, 8, 6), (0, 8, 12, 3), (0, 40, 6, 6)]


def test_raw_properties_are_merged_last():
    body = dashboard_body([widget(properties={"view": "singleValue", "sparkline": True})], "us-east-1", 300)
    assert body["widgets"][0]["properties"]["view"] == "singleValue"
    assert body["widgets"][0]["properties"]["sparkline"] is True


@pytest.mark.parametrize(
    "item, option, words",
    [
        (widget(width=25), "widgets[0].width", "between 1 and 24"),
        (widget(height=0), "widgets[0].height", "between 1 and 1000"),
        (widget(x=20, y=0, width=8), "widgets[0].x", "does not fit"),
        (widget(x=0), "widgets[0]", "both x and y"),
        (widget(metrics=[]), "widgets[0].metrics", "at least one metric"),
        (widget(metrics=[metric(namespace=None)]), "widgets[0].metrics[0]", "namespace and metric_name"),
        (widget(metrics=[metric(stat="Mean")]), "widgets[0].metrics[0].stat", "Average"),
        (widget(metrics=[metric(y_axis="top")]), "widgets[0].metrics[0].y_axis", "left or right"),
        (widget(metrics=[metric(color="red")]), "widgets[0].metrics[0].color", "#rrggbb"),
        (widget(period=90), "widgets[0].period", "multiple of 60"),
        (widget(view="table"), "widgets[0].view", "timeSeries"),
        (widget(region="mars"), "widgets[0].region", "region"),
        (widget(type="text", metrics=None), "widgets[0].markdown", "markdown"),
        (widget(type="alarm", metrics=None, alarms=["app-latency"]), "widgets[0].alarms", "not alarm ARNs"),
        (widget(type="graph"), "widgets[0].type", "metric, text, alarm"),
    ],
)
def test_invalid_widgets_name_the_option(item, option, words):
    with pytest.raises(OptionError) as raised:
        dashboard_body([item], "us-east-1", 300)
    assert raised.value.option == option
    assert words in str(raised.value)


def test_stored_body_compares_as_json():
    body = dashboard_body([widget()], "us-east-1", 300)
    assert same_body(json.dumps(body, indent=2), body)
    assert same_body(serialise(body), body)
    changed = json.loads(serialise(body))
    changed["widgets"][0]["properties"]["period"] = 60
    assert not same_body(json.dumps(changed), body)
    assert not same_body("not json", body)


def test_raw_body_is_parsed_and_checked():
    assert parse_body('{"widgets": []}') == {"widgets": []}
    with pytest.raises(OptionError) as raised:
        parse_body("{widgets")
    assert raised.value.option == "body"
    with pytest.raises(OptionError):
        parse_body({"widget": []})


@pytest.mark.parametrize("name", ["", "has space", "x" * 256, "slash/name"])
def test_invalid_dashboard_names(name):
    with pytest.raises(OptionError) as raised:
        validate_name(name)
    assert raised.value.option == "name"

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dashboard
short_description: Manage a CloudWatch dashboard from a structured description
version_added: 0.1.0
description:
  - Creates, updates or deletes one CloudWatch dashboard.
  - The dashboard is described either as a list of O(widgets) (metric, text and alarm widgets, laid out
    automatically in CloudWatch's 24-column grid when positions are omitted) or as a raw O(body).
  - The stored body is read with one C(GetDashboard) call and compared with the desired one as parsed JSON;
    C(PutDashboard) is called only when they differ.
  - CloudWatch dashboards take no tags, so this module has no tag options.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the dashboard (letters, digits, C(-) and C(_), at most 255 characters).
    type: str
    required: true
  state:
    description: Whether the dashboard should exist.
    type: str
    choices: [present, absent]
    default: present
  widgets:
    description:
      - The widgets, in display order. Mutually exclusive with O(body).
      - Widgets without O(widgets[].x) and O(widgets[].y) flow left to right and start a new row when the next
        one does not fit the 24 columns; widgets with both are placed where they say.
    type: list
    elements: dict
    suboptions:
      type:
        description: Kind of widget.
        type: str
        choices: [metric, text, alarm]
        default: metric
      title:
        description: Title shown above the widget.
        type: str
      markdown:
        description: Markdown text of a V(text) widget.
        type: str
      alarms:
        description: Alarm ARNs shown by an V(alarm) widget.
        type: list
        elements: str
      metrics:
        description: Metrics (or metric math expressions) of a V(metric) widget, in display order.
        type: list
        elements: dict
        suboptions:
          namespace:
            description: Namespace of the metric, for example C(AWS/ECS).
            type: str
          metric_name:
            description: Name of the metric.
            type: str
          dimensions:
            description: Dimensions of the metric as a name-to-value dictionary.
            type: dict
          expression:
            description: A metric math expression instead of a metric, for example C(100 * m1 / m2).
            type: str
          id:
            description: Identifier of the metric, used by expressions.
            type: str
          label:
            description: Label in the legend.
            type: str
          stat:
            description: Statistic of this metric, overriding the widget's.
            type: str
          period:
            description: Period of this metric in seconds, overriding the widget's.
            type: int
          y_axis:
            description: Axis the metric is drawn against, C(left) or C(right).
            type: str
          color:
            description: Colour of the line as C(#rrggbb).
            type: str
          visible:
            description: Whether the metric is drawn (hidden metrics can still feed expressions).
            type: bool
      stat:
        description: Statistic of a V(metric) widget, for example C(Sum), C(Average) or C(p95); defaults to C(Average).
        type: str
      period:
        description: Period of a V(metric) widget in seconds; defaults to O(period).
        type: int
      region:
        description: Region of a V(metric) widget's metrics; defaults to the module's region.
        type: str
      view:
        description: How a V(metric) widget draws, one of C(timeSeries) (default), C(singleValue), C(gauge), C(bar), C(pie).
        type: str
      stacked:
        description: Whether a time series widget stacks its lines.
        type: bool
      x:
        description: Column of the widget's left edge (0 to 23).
        type: int
      y:
        description: Row of the widget's top edge.
        type: int
      width:
        description: Width in grid columns (1 to 24); defaults to 12, or 24 for text widgets.
        type: int
      height:
        description: Height in grid rows (1 to 1000); defaults to 6, or 2 for text widgets.
        type: int
      properties:
        description: Further widget properties in CloudWatch's own format, merged over the generated ones.
        type: dict
  body:
    description:
      - The dashboard body in CloudWatch's format, as a dictionary or JSON text. Mutually exclusive with O(widgets).
    type: raw
  period:
    description: Default period of metric widgets, in seconds.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Ensure the operations dashboard exists
  faith.ops.dashboard:
    name: faith-chatbot-production-operations
    widgets:
      - type: text
        markdown: "# Faith Motivator, production"
      - title: Requests and 5xx
        stat: Sum
        metrics:
          - namespace: AWS/ApplicationELB
            metric_name: RequestCount
            dimensions: {LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef}
          - namespace: AWS/ApplicationELB
            metric_name: HTTPCode_Target_5XX_Count
            dimensions: {LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef}
            y_axis: right
      - title: Target latency p95
        stat: p95
        metrics:
          - namespace: AWS/ApplicationELB
            metric_name: TargetResponseTime
            dimensions: {LoadBalancer: app/faith-chatbot-production-alb/0123456789abcdef}

- name: Ensure a dashboard from a body kept in a file
  faith.ops.dashboard:
    name: faith-chatbot-production-business
    body: "{{ lookup('ansible.builtin.file', 'business-dashboard.json') }}"

- name: Delete the dashboard
  faith.ops.dashboard:
    name: faith-chatbot-staging-operations
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard after the run (in check mode, as it would be); empty when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Name of the dashboard.
      returned: when present
      type: str
      sample: faith-chatbot-local-operations
    arn:
      description: ARN of the dashboard (unknown in check mode before creation).
      returned: when present
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/faith-chatbot-local-operations
    body:
      description: The dashboard body.
      returned: when present
      type: dict
      sample: {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# Faith"}}]}
validation_messages:
  description: Warnings CloudWatch attached to the stored body (also reported as module warnings).
  returned: always
  type: list
  elements: dict
  sample: []
actions:
  description: The API actions taken, or that would be taken in check mode.
  returned: always
  type: list
  elements: str
  sample: ["update dashboard faith-chatbot-local-operations"]
"""

import json

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch import api
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import dashboard_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import parse_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import same_body
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import serialise
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.dashboards import validate_name
from ansible_collections.faith.ops.plugins.module_utils.planning import check_placeholders


def ensure_dashboard(module, client, current, body):
    """Store ``body`` unless it is already stored. Returns ``(changed, validation messages)``."""
    name = module.params["name"]
    if current is not None and same_body(current.get("DashboardBody"), body):
        return False, []
    module.record(f"{'create' if current is None else 'update'} dashboard {name}")
    if module.check_mode:
        return True, []
    messages = api.put_dashboard(client, name, serialise(body))
    for message in messages:
        module.warn(f"CloudWatch on dashboard {name}: {message.get('DataPath', '')} {message.get('Message', '')}".strip())
    return True, messages


def ensure_absent(module, client, current):
    if current is None:
        return False
    module.record(f"delete dashboard {module.params['name']}")
    if not module.check_mode:
        api.delete_dashboard(client, module.params["name"])
    return True


def stored_body(current):
    if current is None:
        return None
    try:
        return json.loads(current.get("DashboardBody") or "{}")
    except ValueError:
        # An unparsable stored body is shown as text; it always differs from the desired one.
        return {"unparsed": current.get("DashboardBody")}


def ensure(module):
    params = module.params
    name = params["name"]
    validate_name(name)
    # In check mode the edge role hands over placeholders of the load balancer and target
    # groups (metric dimensions) it would create; outside it they are refused.
    check_placeholders(params, ("widgets", "body"), module.check_mode)
    body = None
    if params["state"] == "present":
        if params["body"] is not None:
            body = parse_body(params["body"])
        else:
            body = dashboard_body(params["widgets"] or [], module.region, params["period"])

    client = module.client("cloudwatch")
    current = api.get_dashboard(client, name)
    before = stored_body(current)
    messages = []
    if body is None:
        changed = ensure_absent(module, client, current)
        dashboard = {}
    else:
        changed, messages = ensure_dashboard(module, client, current, body)
        if current is None and changed and not module.check_mode:
            # The ARN holds the account id, which only AWS knows; one read after creation gets it.
            current = api.get_dashboard(client, name)
        arn = current.get("DashboardArn") if current else None
        dashboard = {"name": name, "body": body}
        if arn:
            dashboard["arn"] = arn
    result = module.result(changed, "dashboard", dashboard, before=before, after=body)
    result["validation_messages"] = messages
    return result


def main():
    metric = dict(
        namespace=dict(type="str"),
        metric_name=dict(type="str"),
        dimensions=dict(type="dict"),
        expression=dict(type="str"),
        id=dict(type="str"),
        label=dict(type="str"),
        stat=dict(type="str"),
        period=dict(type="int"),
        y_axis=dict(type="str"),
        color=dict(type="str"),
        visible=dict(type="bool"),
    )
    widget = dict(
        type=dict(type="str", choices=["metric", "text", "alarm"], default="metric"),
        title=dict(type="str"),
        markdown=dict(type="str"),
        alarms=dict(type="list", elements="str"),
        metrics=dict(type="list", elements="dict", options=metric),
        stat=dict(type="str"),
        period=dict(type="int"),
        region=dict(type="str"),
        view=dict(type="str"),
        stacked=dict(type="bool"),
        x=dict(type="int"),
        y=dict(type="int"),
        width=dict(type="int"),
        height=dict(type="int"),
        properties=dict(type="dict"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        widgets=dict(type="list", elements="dict", options=widget),
        body=dict(type="raw"),
        period=dict(type="int", default=300),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("widgets", "body")],
        required_if=[("state", "present", ("widgets", "body"), True)],
    )
    module.run(ensure)


if __name__ == "__main__":
    main()

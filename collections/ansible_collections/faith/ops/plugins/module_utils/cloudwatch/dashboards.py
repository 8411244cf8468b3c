# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for dashboard: turn a structured description into a CloudWatch dashboard body.

The body is compared as parsed JSON: two bodies that differ only in key order or
whitespace are the same dashboard. Widget order and the order inside a metric array are
meaningful to CloudWatch and are kept.
"""

from __future__ import annotations

import json
import re

from ..validation import OptionError
from .transformations import EXTENDED_STATISTIC
from .transformations import STATISTICS

DASHBOARD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
GRID_COLUMNS = 24
MAX_HEIGHT = 1000
MAX_WIDGETS = 500
MAX_METRICS_PER_WIDGET = 500
WIDGET_TYPES = ("metric", "text", "alarm")
VIEWS = ("timeSeries", "singleValue", "gauge", "bar", "pie")
Y_AXES = ("left", "right")
DEFAULT_SIZE = {"metric": (12, 6), "alarm": (12, 6), "text": (24, 2)}


def _period(value, option):
    if value is None:
        return
    if value not in (1, 5, 10, 30) and (value < 60 or value % 60):
        raise OptionError(option, f"{value} is not a valid period; use 1, 5, 10, 30 or a multiple of 60 seconds")


def _stat(value, option):
    if value is None or value in STATISTICS or EXTENDED_STATISTIC.match(value):
        return
    raise OptionError(option, f"{value!r} is not a statistic; use one of {', '.join(STATISTICS)} or a percentile such as p95")


def _metric_array(metric, option):
    """One entry of a metric widget's ``metrics`` list in CloudWatch's array form."""
    rendering = {
        "id": metric.get("id"),
        "label": metric.get("label"),
        "stat": metric.get("stat"),
        "period": metric.get("period"),
        "yAxis": metric.get("y_axis"),
        "color": metric.get("color"),
        "visible": metric.get("visible"),
    }
    _stat(metric.get("stat"), f"{option}.stat")
    _period(metric.get("period"), f"{option}.period")
    if metric.get("y_axis") is not None and metric["y_axis"] not in Y_AXES:
        raise OptionError(f"{option}.y_axis", f"{metric['y_axis']!r} is not valid; use left or right")
    if metric.get("color") is not None and not re.match(r"^#[0-9a-fA-F]{6}$", metric["color"]):
        raise OptionError(f"{option}.color", f"{metric['color']!r} is not a colour; use #rrggbb")
    if metric.get("expression"):
        if metric.get("namespace") or metric.get("metric_name"):
            raise OptionError(option, "give either expression, or namespace and metric_name, not both")
        rendering["expression"] = metric["expression"]
        return [{key: value for key, value in rendering.items() if value is not None}]
    if not metric.get("namespace") or not metric.get("metric_name"):
        raise OptionError(option, "a metric needs namespace and metric_name (or an expression)")
    entry = [metric["namespace"], metric["metric_name"]]
    for name, value in sorted((metric.get("dimensions") or {}).items()):
        entry.extend([str(name), str(value)])
    options = {key: value for key, value in rendering.items() if value is not None}
    if options:
        entry.append(options)
    return entry


def _size(widget, option):
    default_width, default_height = DEFAULT_SIZE[widget["type"]]
    width = default_width if widget.get("width") is None else widget["width"]
    height = default_height if widget.get("height") is None else widget["height"]
    if not 1 <= width <= GRID_COLUMNS:
        raise OptionError(f"{option}.width", f"must be between 1 and {GRID_COLUMNS}, got {width}")
    if not 1 <= height <= MAX_HEIGHT:
        raise OptionError(f"{option}.height", f"must be between 1 and {MAX_HEIGHT}, got {height}")
    return width, height


def _properties(widget, option, region, period):
    kind = widget["type"]
    properties = {}
    if widget.get("title"):
        properties["title"] = widget["title"]
    if kind == "text":
        if not widget.get("markdown"):
            raise OptionError(f"{option}.markdown", "a text widget needs markdown")
        properties["markdown"] = widget["markdown"]
    elif kind == "alarm":
        alarms = widget.get("alarms") or []
        if not alarms:
            raise OptionError(f"{option}.alarms", "an alarm widget needs at least one alarm ARN")
        bad = [arn for arn in alarms if not str(arn).startswith("arn:") or ":alarm:" not in str(arn)]
        if bad:
            raise OptionError(f"{option}.alarms", f"{', '.join(map(str, bad))} are not alarm ARNs")
        properties["alarms"] = list(alarms)
    else:
        metrics = widget.get("metrics") or []
        if not metrics:
            raise OptionError(f"{option}.metrics", "a metric widget needs at least one metric")
        if len(metrics) > MAX_METRICS_PER_WIDGET:
            raise OptionError(f"{option}.metrics", f"{len(metrics)} metrics given; a widget shows at most {MAX_METRICS_PER_WIDGET}")
        properties["metrics"] = [_metric_array(metric, f"{option}.metrics[{index}]") for index, metric in enumerate(metrics)]
        widget_region = widget.get("region") or region
        if not REGION.match(widget_region or ""):
            raise OptionError(f"{option}.region", f"{widget_region!r} is not an AWS region name")
        _stat(widget.get("stat"), f"{option}.stat")
        widget_period = widget.get("period") or period
        _period(widget_period, f"{option}.period")
        view = widget.get("view") or "timeSeries"
        if view not in VIEWS:
            raise OptionError(f"{option}.view", f"{view!r} is not a view; use one of {', '.join(VIEWS)}")
        properties.update(region=widget_region, period=widget_period, view=view, stat=widget.get("stat") or "Average")
        if widget.get("stacked") is not None:
            properties["stacked"] = widget["stacked"]
    # Raw properties let a caller use any CloudWatch widget setting this description does not name.
    properties.update(widget.get("properties") or {})
    return properties


def dashboard_body(widgets, region, period):
    """Validate ``widgets`` and lay them out; the dashboard body as a dict.

    Widgets without ``x``/``y`` flow left to right in the 24-column grid, starting a new row
    when the next one does not fit; widgets with both are placed where they say.
    """
    if len(widgets) > MAX_WIDGETS:
        raise OptionError("widgets", f"{len(widgets)} widgets given; a dashboard holds at most {MAX_WIDGETS}")
    rendered = []
    cursor_x, cursor_y, row_height = 0, 0, 0
    for index, widget in enumerate(widgets):
        option = f"widgets[{index}]"
        if widget["type"] not in WIDGET_TYPES:
            raise OptionError(f"{option}.type", f"{widget['type']!r} is not a widget type; use one of {', '.join(WIDGET_TYPES)}")
        width, height = _size(widget, option)
        x, y = widget.get("x"), widget.get("y")
        if (x is None) != (y is None):
            raise OptionError(option, "give both x and y, or neither to place the widget automatically")
        if x is None:
            if cursor_x + width > GRID_COLUMNS:
                cursor_x, cursor_y, row_height = 0, cursor_y + row_height, 0
            x, y = cursor_x, cursor_y
            cursor_x += width
            row_height = max(row_height, height)
        elif not 0 <= x <= GRID_COLUMNS - width or y < 0:
            raise OptionError(f"{option}.x", f"x={x}, y={y} with width {width} does not fit the {GRID_COLUMNS}-column grid")
        rendered.append(
            {
                "type": widget["type"],
                "x": x,
                "y": y,
                "width": width,
                "height": height,
                "properties": _properties(widget, option, region, period),
            }
        )
    return {"widgets": rendered}


def parse_body(body, option="body"):
    """A raw body (a dict, or JSON text) as a dict with a ``widgets`` list."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as error:
            raise OptionError(option, f"is not valid JSON ({error})") from None
    if not isinstance(body, dict) or not isinstance(body.get("widgets"), list):
        raise OptionError(option, "must be a JSON object with a 'widgets' list")
    return body


def validate_name(name):
    if not DASHBOARD_NAME.match(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 255 characters of letters, digits, '-' and '_'")


def serialise(body):
    """The body as CloudWatch stores it: compact JSON with sorted keys, so equal bodies are equal text."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def same_body(current_text, desired):
    """True when the stored body text describes ``desired``."""
    try:
        return json.loads(current_text or "{}") == json.loads(serialise(desired))
    except ValueError:
        return False

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions for metric_alarms: validate a declared alarm set and compare it with AWS.

An alarm is compared in one shape, its *definition*: the ``PutMetricAlarm`` parameters
it was (or would be) created with, with AWS's defaults and read-only fields removed and
unordered lists sorted. A declared alarm turns into a definition, a described alarm is cut
down to one, and two equal definitions mean nothing to do. The definition is also exactly
what ``PutMetricAlarm`` is called with.
"""

from __future__ import annotations

import math
import re

from ..diffing import normalise
from ..planning import is_unknown
from ..validation import OptionError

# The tag marking an alarm as a member of a set; purge only ever touches alarms carrying it.
SET_TAG_KEY = "faith.ops:alarm-set"

STATIC_OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
# These compare against an anomaly detection band and need threshold_metric_id.
BAND_OPERATORS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
TREAT_MISSING_DATA = ("missing", "ignore", "breaching", "notBreaching")
UNITS = (
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
    "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
    "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
    "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
)
# Percentiles (p99, p99.9) and the trimmed/windowed statistics (tm90, wm(10%:90%), TC(:0.5)...).
EXTENDED_STATISTIC = re.compile(
    r"^(p(\d{1,2}(\.\d{1,10})?|100)"
    r"|(tm|wm|tc|ts)(\d{1,2}(\.\d{1,10})?|100)"
    r"|(TM|WM|TC|TS|PR)\((\d+(\.\d+)?%?)?:(\d+(\.\d+)?%?)?\))$",
    re.IGNORECASE,
)
METRIC_ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
MAX_ALARM_NAME = 255
MAX_DESCRIPTION = 1024
MAX_DIMENSIONS = 30
MAX_ACTIONS = 5
MAX_METRICS = 10
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
# An alarm may look back at most one day when its period is under an hour, else seven days.
MAX_LOOKBACK_SHORT = 86400
MAX_LOOKBACK_LONG = 604800

# Fields of a described alarm that AWS maintains (state, timestamps, identity) rather than us.
READ_ONLY_FIELDS = (
    "AlarmArn",
    "AlarmConfigurationUpdatedTimestamp",
    "StateValue",
    "StateReason",
    "StateReasonData",
    "StateUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "EvaluationState",
    "ResponseMetadata",
)


def alarm_name(set_name, name):
    """The AWS name of alarm ``name`` of set ``set_name``."""
    return f"{set_name}-{name}"


def _period(value, option):
    if value is None:
        return
    if value not in HIGH_RESOLUTION_PERIODS and (value < 60 or value % 60):
        raise OptionError(option, f"{value} is not a valid period; use 10, 20, 30 or a multiple of 60 seconds")


def _dimensions(dimensions, option):
    if not dimensions:
        return []
    if len(dimensions) > MAX_DIMENSIONS:
        raise OptionError(option, f"{len(dimensions)} dimensions given; AWS allows at most {MAX_DIMENSIONS}")
    for key, value in dimensions.items():
        if not key or value in (None, ""):
            raise OptionError(option, f"dimension {key!r} needs a non-empty name and value")
    return [{"Name": str(key), "Value": str(value)} for key, value in sorted(dimensions.items())]


def _statistic(statistic, extended_statistic, option):
    if statistic is not None and statistic not in STATISTICS:
        raise OptionError(f"{option}.statistic", f"{statistic!r} is not a statistic; use one of {', '.join(STATISTICS)}")
    if extended_statistic is not None and not EXTENDED_STATISTIC.match(extended_statistic):
        raise OptionError(
            f"{option}.extended_statistic",
            f"{extended_statistic!r} is not an extended statistic; use a percentile such as p95 or p99.9, or tm90, wm(10%:90%)",
        )


def _stat_for_query(stat, option):
    """A metric query's ``stat`` accepts both the plain statistics and the extended ones."""
    if stat in STATISTICS or EXTENDED_STATISTIC.match(stat):
        return
    raise OptionError(option, f"{stat!r} is not a statistic; use one of {', '.join(STATISTICS)} or a percentile such as p95")


def _unit(unit, option):
    if unit is not None and unit not in UNITS:
        raise OptionError(option, f"{unit!r} is not a CloudWatch unit; use one of {', '.join(UNITS)}")


def _actions(actions, option):
    actions = list(actions or [])
    if len(actions) > MAX_ACTIONS:
        raise OptionError(option, f"{len(actions)} actions given; AWS allows at most {MAX_ACTIONS} per state")
    for action in actions:
        # The module accepts the check-mode placeholder of a topic an earlier task would create.
        if not isinstance(action, str) or not (action.startswith("arn:") or is_unknown(action)):
            raise OptionError(option, f"{action!r} is not an action ARN (SNS topic, Auto Scaling policy, EC2 or SSM action)")
    return sorted(actions)


def _metric_queries(metrics, alarm_option, threshold_metric_id):
    option = f"{alarm_option}.metrics"
    if len(metrics) > MAX_METRICS:
        raise OptionError(option, f"{len(metrics)} metric queries given; AWS allows at most {MAX_METRICS} in an alarm")
    queries = []
    seen = set()
    for index, metric in enumerate(metrics):
        where = f"{option}[{index}]"
        query_id = metric["id"]
        if not METRIC_ID.match(query_id or ""):
            raise OptionError(f"{where}.id", f"{query_id!r} must start with a lowercase letter and hold only letters, digits and '_'")
        if query_id in seen:
            raise OptionError(f"{where}.id", f"{query_id!r} is used by another metric query of this alarm")
        seen.add(query_id)
        query = {"Id": query_id, "Label": metric.get("label")}
        if metric.get("expression"):
            if metric.get("metric_name") or metric.get("namespace") or metric.get("stat"):
                raise OptionError(where, "give either expression, or namespace, metric_name and stat, not both")
            query["Expression"] = metric["expression"]
            _period(metric.get("period"), f"{where}.period")
            query["Period"] = metric.get("period")
            default_return = True
        else:
            missing = [key for key in ("namespace", "metric_name", "stat", "period") if metric.get(key) in (None, "")]
            if missing:
                raise OptionError(where, f"a metric query without expression needs {', '.join(missing)}")
            _stat_for_query(metric["stat"], f"{where}.stat")
            _period(metric["period"], f"{where}.period")
            _unit(metric.get("unit"), f"{where}.unit")
            query["MetricStat"] = {
                "Metric": {
                    "Namespace": metric["namespace"],
                    "MetricName": metric["metric_name"],
                    "Dimensions": _dimensions(metric.get("dimensions"), f"{where}.dimensions"),
                },
                "Period": metric["period"],
                "Stat": metric["stat"],
                "Unit": metric.get("unit"),
            }
            default_return = False
        return_data = metric.get("return_data")
        query["ReturnData"] = (default_return or query_id == threshold_metric_id) if return_data is None else return_data
        queries.append(query)
    returning = [query["Id"] for query in queries if query["ReturnData"] and query["Id"] != threshold_metric_id]
    if len(returning) != 1:
        raise OptionError(
            option,
            f"exactly one metric query (besides threshold_metric_id) must return data, found {len(returning)} "
            f"({', '.join(returning) or 'none'}); set return_data on the one the alarm watches",
        )
    if threshold_metric_id is not None and threshold_metric_id not in seen:
        raise OptionError(f"{alarm_option}.threshold_metric_id", f"{threshold_metric_id!r} is not the id of one of the metric queries")
    return queries


def alarm_definition(set_name, alarm, index, defaults):
    """Validate declared alarm number ``index`` and return its definition.

    ``defaults`` holds the module-level ``alarm_actions``, ``ok_actions`` and
    ``insufficient_data_actions`` an alarm inherits when it names none of its own.
    """
    option = f"alarms[{index}]"
    name = alarm_name(set_name, alarm["name"])
    if not alarm["name"] or len(name) > MAX_ALARM_NAME or any(ord(char) < 32 for char in name):
        raise OptionError(
            f"{option}.name",
            f"{name!r} must be 1 to {MAX_ALARM_NAME} printable characters including the set name prefix",
        )
    if alarm.get("description") and len(alarm["description"]) > MAX_DESCRIPTION:
        raise OptionError(f"{option}.description", f"is longer than {MAX_DESCRIPTION} characters")

    operator = alarm["comparison_operator"]
    threshold_metric_id = alarm.get("threshold_metric_id")
    if operator not in STATIC_OPERATORS + BAND_OPERATORS:
        raise OptionError(
            f"{option}.comparison_operator",
            f"{operator!r} is not a comparison operator; use one of {', '.join(STATIC_OPERATORS + BAND_OPERATORS)}",
        )
    if operator in BAND_OPERATORS:
        if not threshold_metric_id:
            raise OptionError(f"{option}.comparison_operator", f"{operator} compares with an anomaly band: set threshold_metric_id")
        if alarm.get("threshold") is not None:
            raise OptionError(f"{option}.threshold", "an anomaly detection alarm takes its threshold from threshold_metric_id; remove threshold")
    else:
        if threshold_metric_id:
            raise OptionError(f"{option}.threshold_metric_id", f"only the anomaly band operators ({', '.join(BAND_OPERATORS)}) use it")
        if alarm.get("threshold") is None:
            raise OptionError(f"{option}.threshold", f"{operator} needs a threshold")
        if not math.isfinite(float(alarm["threshold"])):
            # CloudWatch stores no NaN or infinity: the alarm would never match what was sent.
            raise OptionError(f"{option}.threshold", f"{alarm['threshold']!r} is not a finite number")

    treat_missing = alarm.get("treat_missing_data")
    if treat_missing is not None and treat_missing not in TREAT_MISSING_DATA:
        raise OptionError(f"{option}.treat_missing_data", f"{treat_missing!r} is not valid; use one of {', '.join(TREAT_MISSING_DATA)}")

    evaluation_periods = alarm.get("evaluation_periods")
    if evaluation_periods is None:
        evaluation_periods = 1
    if evaluation_periods < 1:
        raise OptionError(f"{option}.evaluation_periods", f"must be at least 1, got {evaluation_periods}")
    datapoints = alarm.get("datapoints_to_alarm")
    if datapoints is not None and not 1 <= datapoints <= evaluation_periods:
        raise OptionError(f"{option}.datapoints_to_alarm", f"must be between 1 and evaluation_periods ({evaluation_periods}), got {datapoints}")

    definition = {
        "AlarmName": name,
        "AlarmDescription": alarm.get("description"),
        "ActionsEnabled": alarm.get("actions_enabled", True) is not False,
        "ComparisonOperator": operator,
        "EvaluationPeriods": evaluation_periods,
        "DatapointsToAlarm": datapoints,
        "Threshold": float(alarm["threshold"]) if alarm.get("threshold") is not None else None,
        "ThresholdMetricId": threshold_metric_id,
        "TreatMissingData": treat_missing,
    }
    for key, option_name in (("AlarmActions", "alarm_actions"), ("OKActions", "ok_actions"), ("InsufficientDataActions", "insufficient_data_actions")):
        actions = alarm.get(option_name)
        definition[key] = _actions(defaults.get(option_name) if actions is None else actions, f"{option}.{option_name}")

    static_keys = ("namespace", "metric_name", "statistic", "extended_statistic", "period", "dimensions", "unit")
    if alarm.get("metrics"):
        given = [key for key in static_keys if alarm.get(key) not in (None, {}, "")]
        if given:
            raise OptionError(option, f"a metric math alarm (metrics) cannot also set {', '.join(given)}; put them in its metric queries")
        definition["Metrics"] = _metric_queries(alarm["metrics"], option, threshold_metric_id)
        period = max(query.get("Period") or query.get("MetricStat", {}).get("Period") or 0 for query in definition["Metrics"])
    else:
        if threshold_metric_id:
            raise OptionError(f"{option}.threshold_metric_id", "an anomaly detection alarm needs metrics (the metric and its ANOMALY_DETECTION_BAND)")
        missing = [key for key in ("namespace", "metric_name", "period") if alarm.get(key) in (None, "")]
        if missing:
            raise OptionError(option, f"a static alarm needs {', '.join(missing)} (or use metrics for metric math)")
        if (alarm.get("statistic") is None) == (alarm.get("extended_statistic") is None):
            raise OptionError(option, "set exactly one of statistic and extended_statistic")
        _statistic(alarm.get("statistic"), alarm.get("extended_statistic"), option)
        _period(alarm["period"], f"{option}.period")
        _unit(alarm.get("unit"), f"{option}.unit")
        definition.update(
            {
                "Namespace": alarm["namespace"],
                "MetricName": alarm["metric_name"],
                "Dimensions": _dimensions(alarm.get("dimensions"), f"{option}.dimensions"),
                "Statistic": alarm.get("statistic"),
                "ExtendedStatistic": alarm.get("extended_statistic"),
                "Period": alarm["period"],
                "Unit": alarm.get("unit"),
            }
        )
        period = alarm["period"]

    lookback = period * evaluation_periods
    limit = MAX_LOOKBACK_SHORT if period < 3600 else MAX_LOOKBACK_LONG
    if lookback > limit:
        raise OptionError(
            f"{option}.evaluation_periods",
            f"{evaluation_periods} periods of {period}s look back {lookback}s; AWS allows at most {limit}s for this period",
        )
    return canonical(definition)


def desired_alarms(set_name, alarms, defaults):
    """Validate every declared alarm; ``{alarm name: definition}`` in declaration order."""
    if not set_name or len(set_name) > MAX_ALARM_NAME - 2:
        raise OptionError("set_name", f"must be 1 to {MAX_ALARM_NAME - 2} characters")
    definitions = {}
    for index, alarm in enumerate(alarms or []):
        definition = alarm_definition(set_name, alarm, index, defaults)
        if definition["AlarmName"] in definitions:
            raise OptionError(f"alarms[{index}].name", f"{alarm['name']!r} is declared twice in this set")
        definitions[definition["AlarmName"]] = definition
    return definitions


def canonical(definition):
    """Strip AWS defaults from a definition (declared or described) so equal alarms compare equal."""
    cleaned = {key: value for key, value in definition.items() if key not in READ_ONLY_FIELDS}
    if cleaned.get("DatapointsToAlarm") == cleaned.get("EvaluationPeriods"):
        cleaned.pop("DatapointsToAlarm", None)
    if cleaned.get("TreatMissingData") == "missing":
        cleaned.pop("TreatMissingData")
    if cleaned.get("Threshold") is not None:
        cleaned["Threshold"] = float(cleaned["Threshold"])
    metrics = []
    for query in cleaned.get("Metrics") or []:
        query = dict(query)
        # AWS reports ReturnData only when it was sent; absent means true.
        query.setdefault("ReturnData", True)
        metrics.append(query)
    cleaned["Metrics"] = metrics
    # A described alarm carries both kinds of keys; only the kind in use is kept.
    if metrics:
        for key in ("Namespace", "MetricName", "Dimensions", "Statistic", "ExtendedStatistic", "Period", "Unit"):
            cleaned.pop(key, None)
    return normalise(cleaned)


def desired_tags(set_name, tags):
    """The tags every alarm of the set carries: the caller's plus the set marker."""
    if tags and SET_TAG_KEY in tags:
        raise OptionError("tags", f"{SET_TAG_KEY} is reserved: it marks the alarms of a set and always holds set_name")
    return dict(tags or {}, **{SET_TAG_KEY: set_name})


def set_members(described, tags_by_arn, set_name, declared_names):
    """The described alarms that belong to the set: declared by name, or carrying the set's tag.

    An undeclared alarm that merely shares the name prefix (another set such as
    ``app-blue`` next to ``app``) is not a member and is never purged.
    """
    members = {}
    for alarm in described:
        tags = tags_by_arn.get(alarm.get("AlarmArn"), {})
        if alarm["AlarmName"] in declared_names or tags.get(SET_TAG_KEY) == set_name:
            members[alarm["AlarmName"]] = alarm
    return members

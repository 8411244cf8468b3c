# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The signals seam: per-colour traffic windows for analysis, on AWS or on the local platform.

Both give, for each colour and each measurement window: requests, 5xx responses, p95 latency
and whether the colour is healthy at the load balancer.
- ``AwsSignals``: CloudWatch ALB metrics by target group (RequestCount, HTTPCode_Target_5XX_Count,
  TargetResponseTime p95, UnHealthyHostCount/HealthyHostCount).
- ``LocalSignals``: HAProxy's per-server counters and health (``platformctl edge status``) and
  the colour's own latency histogram, scraped from its internal port.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import time
import urllib.error

from ansible.module_utils.urls import open_url

from . import analysis

LATENCY_HISTOGRAM = "faith_http_request_duration_seconds"


class SignalError(Exception):
    """A metric could not be read."""


class LocalSignals:
    def __init__(self, platformctl_argv, colours, timeout=5.0):
        self.argv = list(platformctl_argv) + ["edge", "status"]
        self.colours = colours
        self.timeout = timeout
        self.previous = None

    def _sample(self):
        try:
            completed = subprocess.run(self.argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SignalError(f"edge status: {error}") from error
        if completed.returncode:
            raise SignalError(f"edge status: {completed.stderr.strip() or completed.stdout.strip()}")
        status = json.loads(completed.stdout)
        sample = {}
        for colour in self.colours:
            production = status["colours"].get(colour, {}).get("production", {})
            try:
                with open_url(status["live"][colour]["metrics_url"], timeout=self.timeout, use_proxy=False) as response:
                    latency = analysis.parse_histogram(response.read().decode(), LATENCY_HISTOGRAM)
            except OSError as error:
                raise SignalError(f"{colour} metrics at {status['live'][colour]['metrics_url']}: {error}") from error
            # The ALB checks /ready on AWS; HAProxy checks liveness only (so a Redis outage does
            # not take every colour out at once), so readiness is read here, from the colour itself.
            ready_url = status["live"][colour]["metrics_url"].rsplit("/", 1)[0] + "/ready"
            edge_status = str(production.get("status", ""))
            ready = self._ready(ready_url)
            sample[colour] = {
                "requests": production.get("requests", 0),
                "http_5xx": production.get("http_5xx", 0),
                "healthy": edge_status.startswith("UP") and ready is None,
                "health": f"edge {edge_status or 'unknown'}, /ready {ready or 'ok'}",
                "latency": latency,
            }
        return sample

    def _ready(self, url, attempts=2, pause=0.5):
        """None when the colour answers /ready with 200; otherwise what it answered.

        A second probe after a pause keeps one slow answer on a busy host from failing a release;
        a colour that is really not ready fails both.
        """
        problem = None
        for attempt in range(attempts):
            try:
                with open_url(url, timeout=self.timeout, use_proxy=False) as response:
                    if response.status == 200:
                        return None
                    problem = f"HTTP {response.status}"
            except urllib.error.HTTPError as error:
                problem = f"HTTP {error.code}"
            except OSError as error:
                problem = type(error).__name__
            if attempt + 1 < attempts:
                time.sleep(pause)
        return problem

    def start(self):
        self.previous = self.first = self._sample()

    def windows(self):
        now = self._sample()
        result = {colour: analysis.window(now[colour], self.previous[colour], self.first[colour]) for colour in self.colours}
        self.previous = now
        return result

    def restart_latency_window(self):
        """Latency from now on is taken from the last sample (the end of the latency delay)."""
        self.first = self.previous


class AwsSignals:
    """ALB metrics per target group; ``dimensions`` maps colour to its TargetGroup dimension value."""

    def __init__(self, cloudwatch, load_balancer_dimension, dimensions, window_seconds, clock=None):
        self.cloudwatch = cloudwatch
        self.load_balancer = load_balancer_dimension
        self.dimensions = dimensions
        # CloudWatch publishes ALB metrics per minute: a shorter window would read nothing.
        self.period = max(60, int(window_seconds) // 60 * 60)
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def _query(self, colour, metric, stat):
        return {
            "Id": f"{colour}_{metric.lower()}_{stat.lower()}".replace(".", "_"),
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/ApplicationELB",
                    "MetricName": metric,
                    "Dimensions": [
                        {"Name": "TargetGroup", "Value": self.dimensions[colour]},
                        {"Name": "LoadBalancer", "Value": self.load_balancer},
                    ],
                },
                "Period": self.period,
                "Stat": stat,
            },
            "ReturnData": True,
        }

    def start(self):
        return None

    def restart_latency_window(self):
        """Each CloudWatch query is its own window: nothing to restart."""
        return None

    def windows(self):
        end = self.clock()
        queries = []
        for colour in self.dimensions:
            queries += [
                self._query(colour, "RequestCount", "Sum"),
                self._query(colour, "HTTPCode_Target_5XX_Count", "Sum"),
                self._query(colour, "TargetResponseTime", "p95"),
                self._query(colour, "UnHealthyHostCount", "Maximum"),
                self._query(colour, "HealthyHostCount", "Minimum"),
            ]
        try:
            response = self.cloudwatch.get_metric_data(
                MetricDataQueries=queries, StartTime=end - datetime.timedelta(seconds=self.period), EndTime=end
            )
        except Exception as error:  # any failure to read is an analysis error, never a pass
            raise SignalError(f"CloudWatch get_metric_data: {error}") from error
        # A metric CloudWatch could not return would otherwise read as "no datapoint" (a latency
        # left unchecked): an unreadable metric is an analysis error, never a pass.
        unreadable = [
            f"{result['Id']} ({result['StatusCode']}: {'; '.join(message.get('Value', '') for message in result.get('Messages') or [])})"
            for result in response.get("MetricDataResults", []) if result.get("StatusCode") in ("InternalError", "Forbidden")
        ]
        if unreadable:
            raise SignalError(f"CloudWatch could not return {', '.join(unreadable)}")
        values = {result["Id"]: (result.get("Values") or [None])[0] for result in response.get("MetricDataResults", [])}
        result = {}
        for colour in self.dimensions:
            def value(metric, stat, colour=colour):
                return values.get(self._query(colour, metric, stat)["Id"])

            requests = int(value("RequestCount", "Sum") or 0)
            errors = int(value("HTTPCode_Target_5XX_Count", "Sum") or 0)
            latency = value("TargetResponseTime", "p95")
            unhealthy = value("UnHealthyHostCount", "Maximum")
            healthy_hosts = value("HealthyHostCount", "Minimum")
            result[colour] = {
                "requests": requests,
                "http_5xx": errors,
                "error_rate": round(errors / requests, 4) if requests else None,
                "p95_ms": None if latency is None else round(latency * 1000.0, 1),
                "latency_samples": requests,
                # No datapoint for host health means CloudWatch has not heard from the target group yet.
                "healthy": bool(healthy_hosts) and not unhealthy,
            }
        return result


def alarms_in_alarm(cloudwatch, names):
    """Names of the given alarms that are in ALARM (a missing alarm is an error: it cannot vouch)."""
    if not names:
        return []
    try:
        found = cloudwatch.describe_alarms(AlarmNames=list(names)).get("MetricAlarms", [])
    except Exception as error:
        raise SignalError(f"CloudWatch describe_alarms: {error}") from error
    missing = set(names) - {alarm["AlarmName"] for alarm in found}
    if missing:
        raise SignalError(f"alarm(s) not found: {', '.join(sorted(missing))}")
    return [alarm["AlarmName"] for alarm in found if alarm["StateValue"] == "ALARM"]

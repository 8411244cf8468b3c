# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Canary analysis, modelled on Argo Rollouts' AnalysisRun: pure functions, unit-tested.

A bake takes a measurement every interval. Each measurement compares the canary's window
(requests, 5xx, p95 latency, health, alarms) with absolute limits and with the stable colour,
and is successful, failed, inconclusive (too little traffic to judge) or an error (a metric
could not be read). The bake fails as soon as failed measurements exceed ``failure_limit`` or
errors in a row exceed ``consecutive_error_limit`` (an unreadable metric counts against the
release, never for it); it is inconclusive when inconclusive measurements exceed
``inconclusive_limit``; otherwise it succeeds when its time is up.
"""

from __future__ import annotations

import math
import re

SUCCESSFUL = "Successful"
FAILED = "Failed"
INCONCLUSIVE = "Inconclusive"
ERROR = "Error"

# Requests that say nothing about the release: health checks and scrapes.
OPERATIONAL_ROUTES = frozenset({"/health", "/ready", "/metrics"})
# Label values are quoted and may hold '}' (a route template such as /v1/items/{item_id}).
_SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>(?:[^}"]|"(?:[^"\\]|\\.)*")*)\})?\s+(?P<value>\S+)')
_LABEL = re.compile(r'(?P<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?P<value>(?:[^"\\]|\\.)*)"')


def parse_histogram(text, name, excluded_routes=OPERATIONAL_ROUTES):
    """``{upper bound: cumulative count}`` of a Prometheus histogram, summed over its label sets."""
    buckets = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if not match or match.group("name") != f"{name}_bucket":
            continue
        labels = dict((label.group("key"), label.group("value")) for label in _LABEL.finditer(match.group("labels") or ""))
        if labels.get("route") in excluded_routes:
            continue
        bound = math.inf if labels["le"] in ("+Inf", "Inf") else float(labels["le"])
        buckets[bound] = buckets.get(bound, 0.0) + float(match.group("value"))
    return buckets


def histogram_delta(now, before):
    """Counts observed between two cumulative histograms (a restart resets counters: start over)."""
    if not before or any(now.get(bound, 0.0) < count for bound, count in before.items()):
        return dict(now)
    return {bound: now.get(bound, 0.0) - before.get(bound, 0.0) for bound in now}


def quantile(buckets, q):
    """The ``q`` quantile of a cumulative histogram, interpolated inside its bucket (None when empty)."""
    bounds = sorted(buckets)
    total = buckets[bounds[-1]] if bounds else 0.0
    if total <= 0:
        return None
    rank = q * total
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if math.isinf(bound):
                return lower  # beyond the last finite bucket: its bound is the best lower estimate
            share = (rank - below) / (count - below) if count > below else 1.0
            return lower + (bound - lower) * share
        lower, below = bound, count
    return lower


def window(now, before, since=None):
    """One colour's window between two samples: requests, 5xx, error rate, p95 in ms, health.

    Errors are counted in the window itself, so a bad version is caught within one interval.
    Latency is taken over everything since ``since`` (the start of the bake) when given: a p95 of
    the few requests a small canary step gets in one interval is noise.
    """
    requests = now["requests"] - before["requests"]
    errors = now["http_5xx"] - before["http_5xx"]
    if requests < 0 or errors < 0:  # counters reset (a restart of the edge): judge this window from zero
        requests, errors = now["requests"], now["http_5xx"]
    p95, samples = None, 0
    if now.get("latency") is not None:
        observed = histogram_delta(now["latency"], (since or before).get("latency"))
        samples = int(max(observed.values())) if observed else 0
        seconds = quantile(observed, 0.95)
        p95 = None if seconds is None else round(seconds * 1000.0, 1)
    return {"requests": requests, "http_5xx": errors, "error_rate": round(errors / requests, 4) if requests else None,
            "p95_ms": p95, "latency_samples": samples, "healthy": now.get("healthy", True), "health": now.get("health")}


def judge(canary, stable, alarms_in_alarm, limits):
    """Judge one measurement: ``(status, reasons)``."""
    failures = []
    if alarms_in_alarm:
        failures.append(f"alarm(s) in ALARM: {', '.join(sorted(alarms_in_alarm))}")
    if not canary["healthy"]:
        detail = f" ({canary['health']})" if canary.get("health") else ""
        if stable is not None and not stable.get("healthy", True):
            # Both colours failing their health checks at once is a shared dependency (a slow
            # database, Redis gone), not the new version: nothing to judge the release by. The
            # 5xx checks below still fail a canary whose requests fail.
            stable_detail = f" ({stable['health']})" if stable.get("health") else ""
            shared = f"the canary{detail} and the stable colour{stable_detail} are both unhealthy: a shared problem, not the release"
            if not failures and not _rate_failures(canary, stable, limits):
                return INCONCLUSIVE, [shared]
        else:
            failures.append(f"the canary is not healthy at the load balancer{detail}")
    # A window without a single request has no rate to judge, even with min_requests 0.
    needed = max(1, limits["min_requests"])
    if canary["requests"] < needed:
        if failures:
            return FAILED, failures
        return INCONCLUSIVE, [f"{canary['requests']} canary request(s) in the window, fewer than {needed} to judge"]
    failures += _rate_failures(canary, stable, limits)
    p95 = canary["p95_ms"]
    # Still inside the latency delay after a change of weights: latency is not judged yet.
    if not limits.get("judge_latency", True):
        p95 = None
    # Too few timings for a percentile to mean anything: latency is not judged in this measurement.
    if canary.get("latency_samples") is not None and canary["latency_samples"] < limits.get("min_latency_samples", 0):
        p95 = None
    if p95 is not None and p95 > limits["max_latency_p95_ms"]:
        failures.append(f"p95 latency {p95} ms above {limits['max_latency_p95_ms']} ms")
    stable_p95 = stable["p95_ms"] if stable else None
    # Ratios of tiny latencies are noise: compare only above a floor.
    if p95 is not None and stable_p95 and stable_p95 >= limits["latency_floor_ms"] and p95 / stable_p95 > limits["max_latency_ratio"]:
        failures.append(f"p95 latency {p95} ms is {p95 / stable_p95:.1f}x stable's {stable_p95} ms (limit {limits['max_latency_ratio']}x)")
    return (FAILED, failures) if failures else (SUCCESSFUL, [])


def _rate_failures(canary, stable, limits):
    """What is wrong with the canary's 5xx rate, absolute and against stable (none without requests)."""
    rate = canary["error_rate"]
    if rate is None or canary["requests"] < max(1, limits["min_requests"]):
        return []
    failures = []
    if rate > limits["max_error_rate"]:
        failures.append(f"5xx rate {rate:.3f} above {limits['max_error_rate']}")
    stable_rate = stable["error_rate"] if stable and stable["error_rate"] is not None else None
    if stable_rate is not None and rate - stable_rate > limits["max_error_rate_increase"]:
        failures.append(f"5xx rate {rate:.3f} exceeds stable's {stable_rate:.3f} by more than {limits['max_error_rate_increase']}")
    return failures


class Tally:
    """The running verdict of a bake, measurement by measurement."""

    def __init__(self, failure_limit, consecutive_error_limit, inconclusive_limit):
        self.limits = (failure_limit, consecutive_error_limit, inconclusive_limit)
        self.counts = {SUCCESSFUL: 0, FAILED: 0, INCONCLUSIVE: 0, ERROR: 0}
        self.consecutive_errors = 0
        self.last_reasons = []

    def add(self, status, reasons):
        """Count one measurement; return the bake's final phase if this one decides it, else None."""
        failure_limit, consecutive_error_limit, inconclusive_limit = self.limits
        self.counts[status] += 1
        self.consecutive_errors = self.consecutive_errors + 1 if status == ERROR else 0
        if status != SUCCESSFUL:
            self.last_reasons = reasons
        if self.counts[FAILED] > failure_limit:
            return FAILED
        if self.consecutive_errors > consecutive_error_limit:
            return FAILED
        if self.counts[INCONCLUSIVE] > inconclusive_limit:
            return INCONCLUSIVE
        return None

    def at_end(self):
        """The phase when the bake's time is up without a decision."""
        return SUCCESSFUL

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Canary analysis: reading the latency histogram, windows between samples, judging a
measurement and the running verdict of a bake."""

from __future__ import annotations

import math

import pytest

from ansible_collections.faith.ops.plugins.module_utils.release import analysis
from ansible_collections.faith.ops.plugins.module_utils.release.analysis import ERROR
from ansible_collections.faith.ops.plugins.module_utils.release.analysis import FAILED
from ansible_collections.faith.ops.plugins.module_utils.release.analysis import INCONCLUSIVE
from ansible_collections.faith.ops.plugins.module_utils.release.analysis import SUCCESSFUL
from ansible_collections.faith.ops.plugins.module_utils.release.analysis import Tally

HISTOGRAM = "faith_http_request_duration_seconds"

# As prometheus_client renders it: HELP/TYPE lines, labels then ``le``, ``_count``/``_sum`` beside the buckets.
EXPOSITION = """\
# HELP faith_http_request_duration_seconds Time to produce a response, by method and route template.
# TYPE faith_http_request_duration_seconds histogram
faith_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/api/v1/chat"} 6.0
faith_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/api/v1/chat"} 9.0
faith_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/chat"} 10.0
faith_http_request_duration_seconds_count{method="POST",route="/api/v1/chat"} 10.0
faith_http_request_duration_seconds_sum{method="POST",route="/api/v1/chat"} 1.7
faith_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/api/v1/scripture/{reference}"} 4.0
faith_http_request_duration_seconds_bucket{le="0.5",method="GET",route="/api/v1/scripture/{reference}"} 4.0
faith_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/scripture/{reference}"} 5.0
faith_http_request_duration_seconds_bucket{le="0.1",method="GET",route="/health"} 500.0
faith_http_request_duration_seconds_bucket{le="0.5",method="GET",route="/health"} 500.0
faith_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health"} 500.0
faith_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/ready"} 70.0
faith_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/metrics"} 30.0
faith_responder_duration_seconds_bucket{le="0.1",outcome="ok",responder="local"} 99.0
"""

LIMITS = {"max_error_rate": 0.05, "max_error_rate_increase": 0.02, "max_latency_p95_ms": 500.0,
          "max_latency_ratio": 2.0, "latency_floor_ms": 10.0, "min_requests": 5}


def colour_window(requests=100, http_5xx=0, p95_ms=50.0, healthy=True):
    return {"requests": requests, "http_5xx": http_5xx, "error_rate": round(http_5xx / requests, 4) if requests else None,
            "p95_ms": p95_ms, "healthy": healthy}


# --- histograms ---------------------------------------------------------------------------------


def test_parse_histogram_sums_routes_and_leaves_out_operational_ones():
    assert analysis.parse_histogram(EXPOSITION, HISTOGRAM) == {0.1: 10.0, 0.5: 13.0, math.inf: 15.0}


def test_parse_histogram_keeps_operational_routes_when_asked():
    buckets = analysis.parse_histogram(EXPOSITION, HISTOGRAM, excluded_routes=frozenset())
    assert buckets == {0.1: 510.0, 0.5: 513.0, math.inf: 615.0}


def test_parse_histogram_of_a_metric_not_exposed_is_empty():
    assert analysis.parse_histogram(EXPOSITION, "faith_missing_seconds") == {}


def test_histogram_delta_is_what_was_observed_in_between():
    before = {0.1: 10.0, 0.5: 12.0, math.inf: 12.0}
    now = {0.1: 15.0, 0.5: 19.0, math.inf: 20.0}
    assert analysis.histogram_delta(now, before) == {0.1: 5.0, 0.5: 7.0, math.inf: 8.0}


def test_histogram_delta_after_a_counter_reset_starts_over():
    before = {0.1: 10.0, 0.5: 12.0, math.inf: 12.0}
    now = {0.1: 3.0, 0.5: 4.0, math.inf: 4.0}
    assert analysis.histogram_delta(now, before) == now


@pytest.mark.parametrize("before", [None, {}], ids=["none", "empty"])
def test_histogram_delta_without_a_previous_sample_is_the_sample(before):
    now = {0.1: 3.0, math.inf: 4.0}
    delta = analysis.histogram_delta(now, before)
    assert delta == now
    assert delta is not now


BUCKETS = {0.1: 50.0, 0.2: 90.0, 0.5: 100.0, math.inf: 100.0}


@pytest.mark.parametrize(
    "q, expected",
    [(0.25, 0.05), (0.5, 0.1), (0.7, 0.15), (0.95, 0.35), (1.0, 0.5)],
)
def test_quantile_interpolates_inside_its_bucket(q, expected):
    assert analysis.quantile(BUCKETS, q) == pytest.approx(expected)


@pytest.mark.parametrize("buckets", [{}, {0.1: 0.0, math.inf: 0.0}], ids=["no-buckets", "no-observations"])
def test_quantile_of_an_empty_histogram_is_none(buckets):
    assert analysis.quantile(buckets, 0.95) is None


def test_quantile_beyond_the_last_finite_bucket_is_that_bucket_bound():
    assert analysis.quantile({0.1: 10.0, 0.5: 80.0, math.inf: 100.0}, 0.95) == 0.5


# --- windows ------------------------------------------------------------------------------------


def test_window_gives_rates_and_p95_between_two_samples():
    before = {"requests": 100, "http_5xx": 1, "latency": {0.1: 10.0, 0.2: 10.0, 0.5: 10.0, math.inf: 10.0}}
    now = {"requests": 150, "http_5xx": 6, "healthy": True,
           "latency": {0.1: 60.0, 0.2: 100.0, 0.5: 110.0, math.inf: 110.0}}
    assert analysis.window(now, before) == {"requests": 50, "http_5xx": 5, "error_rate": 0.1, "p95_ms": 350.0,
                                            "latency_samples": 100, "healthy": True, "health": None}


def test_window_takes_latency_since_the_bake_began_and_errors_in_the_window():
    start = {"requests": 0, "http_5xx": 0, "latency": {0.1: 0.0, 0.5: 0.0, math.inf: 0.0}}
    before = {"requests": 1000, "http_5xx": 0, "latency": {0.1: 1000.0, 0.5: 1000.0, math.inf: 1000.0}}
    now = {"requests": 1010, "http_5xx": 2, "latency": {0.1: 1000.0, 0.5: 1010.0, math.inf: 1010.0}}
    window = analysis.window(now, before, start)
    # The last ten requests were all slow, but over the whole bake 95 % were still fast.
    assert (window["requests"], window["http_5xx"], window["latency_samples"]) == (10, 2, 1010)
    assert window["p95_ms"] < 100.0
    assert analysis.window(now, before)["p95_ms"] > 100.0


def test_window_after_an_edge_restart_judges_from_zero():
    before = {"requests": 1000, "http_5xx": 40, "latency": {0.1: 900.0, math.inf: 1000.0}}
    now = {"requests": 20, "http_5xx": 1, "healthy": False, "health": "/ready answered 503 twice",
           "latency": {0.1: 20.0, math.inf: 20.0}}
    assert analysis.window(now, before) == {"requests": 20, "http_5xx": 1, "error_rate": 0.05, "p95_ms": 95.0,
                                            "latency_samples": 20, "healthy": False, "health": "/ready answered 503 twice"}


def test_window_without_traffic_or_latency_has_no_rate_and_no_p95():
    sample = {"requests": 7, "http_5xx": 0}
    assert analysis.window(sample, dict(sample)) == {"requests": 0, "http_5xx": 0, "error_rate": None, "p95_ms": None,
                                                     "latency_samples": 0, "healthy": True, "health": None}


# --- judging one measurement ----------------------------------------------------------------------


def test_a_canary_within_every_limit_is_successful():
    assert analysis.judge(colour_window(http_5xx=1, p95_ms=60.0), colour_window(p95_ms=40.0), [], LIMITS) == (SUCCESSFUL, [])


def test_a_5xx_rate_above_the_limit_fails():
    assert analysis.judge(colour_window(http_5xx=10), None, [], LIMITS) == (FAILED, ["5xx rate 0.100 above 0.05"])


def test_a_5xx_rate_too_far_above_stable_fails():
    status, reasons = analysis.judge(colour_window(http_5xx=4), colour_window(http_5xx=1), [], LIMITS)
    assert (status, reasons) == (FAILED, ["5xx rate 0.040 exceeds stable's 0.010 by more than 0.02"])


def test_a_stable_colour_without_traffic_is_not_compared():
    assert analysis.judge(colour_window(http_5xx=4), colour_window(requests=0), [], LIMITS) == (SUCCESSFUL, [])


def test_a_p95_above_the_limit_fails():
    status, reasons = analysis.judge(colour_window(p95_ms=600.0), colour_window(p95_ms=400.0), [], LIMITS)
    assert (status, reasons) == (FAILED, ["p95 latency 600.0 ms above 500.0 ms"])


def test_a_p95_too_many_times_stable_fails():
    status, reasons = analysis.judge(colour_window(p95_ms=90.0), colour_window(p95_ms=30.0), [], LIMITS)
    assert (status, reasons) == (FAILED, ["p95 latency 90.0 ms is 3.0x stable's 30.0 ms (limit 2.0x)"])


def test_latency_is_not_judged_on_too_few_timings():
    limits = dict(LIMITS, min_latency_samples=50)
    slow = {"requests": 20, "http_5xx": 0, "error_rate": 0.0, "p95_ms": 5000.0, "latency_samples": 20, "healthy": True}
    assert analysis.judge(slow, None, [], limits) == (analysis.SUCCESSFUL, [])
    status, reasons = analysis.judge(dict(slow, latency_samples=50), None, [], limits)
    assert status == analysis.FAILED and "p95 latency 5000.0 ms" in reasons[0]


def test_latency_is_not_judged_inside_the_latency_delay_but_errors_are():
    waiting = dict(LIMITS, judge_latency=False)
    assert analysis.judge(colour_window(p95_ms=900.0), colour_window(p95_ms=30.0), [], waiting) == (SUCCESSFUL, [])
    status, reasons = analysis.judge(colour_window(http_5xx=10, p95_ms=900.0), colour_window(p95_ms=30.0), [], waiting)
    assert status == FAILED and reasons[0] == "5xx rate 0.100 above 0.05"
    status, reasons = analysis.judge(colour_window(healthy=False), colour_window(), [], waiting)
    assert status == FAILED


def test_latency_ratios_below_the_floor_are_noise():
    assert analysis.judge(colour_window(p95_ms=9.0), colour_window(p95_ms=3.0), [], LIMITS) == (SUCCESSFUL, [])


def test_an_unhealthy_canary_fails():
    status, reasons = analysis.judge(colour_window(healthy=False), colour_window(), [], LIMITS)
    assert (status, reasons) == (FAILED, ["the canary is not healthy at the load balancer"])


def test_an_unhealthy_canary_says_what_failed_when_the_signals_know():
    canary = dict(colour_window(healthy=False), health="HAProxy has it DOWN")
    status, reasons = analysis.judge(canary, colour_window(), [], LIMITS)
    assert (status, reasons) == (FAILED, ["the canary is not healthy at the load balancer (HAProxy has it DOWN)"])


def test_both_colours_unhealthy_is_a_shared_problem_not_the_release():
    canary = dict(colour_window(healthy=False), health="edge UP, /ready HTTP 503")
    stable = dict(colour_window(healthy=False), health="edge UP, /ready HTTP 503")
    status, reasons = analysis.judge(canary, stable, [], LIMITS)
    assert status == INCONCLUSIVE
    assert reasons == ["the canary (edge UP, /ready HTTP 503) and the stable colour (edge UP, /ready HTTP 503) are both unhealthy: "
                       "a shared problem, not the release"]


def test_both_colours_unhealthy_still_fails_a_canary_whose_requests_fail():
    status, reasons = analysis.judge(colour_window(http_5xx=30, healthy=False), colour_window(healthy=False), [], LIMITS)
    assert status == FAILED and reasons[0] == "5xx rate 0.300 above 0.05"


def test_alarms_in_alarm_fail_and_are_named():
    status, reasons = analysis.judge(colour_window(), colour_window(), ["faith-latency", "faith-5xx"], LIMITS)
    assert (status, reasons) == (FAILED, ["alarm(s) in ALARM: faith-5xx, faith-latency"])


def test_too_few_requests_is_inconclusive():
    status, reasons = analysis.judge(colour_window(requests=3, http_5xx=3), colour_window(), [], LIMITS)
    assert (status, reasons) == (INCONCLUSIVE, ["3 canary request(s) in the window, fewer than 5 to judge"])


def test_a_window_without_requests_is_inconclusive_even_with_min_requests_zero():
    status, reasons = analysis.judge(colour_window(requests=0), colour_window(), [], dict(LIMITS, min_requests=0))
    assert (status, reasons) == (INCONCLUSIVE, ["0 canary request(s) in the window, fewer than 1 to judge"])


def test_min_requests_zero_judges_a_single_request():
    status, reasons = analysis.judge(colour_window(requests=1, http_5xx=1), None, [], dict(LIMITS, min_requests=0))
    assert (status, reasons) == (FAILED, ["5xx rate 1.000 above 0.05"])


def test_an_alarm_fails_even_with_too_few_requests():
    status, reasons = analysis.judge(colour_window(requests=0), colour_window(), ["faith-5xx"], LIMITS)
    assert (status, reasons) == (FAILED, ["alarm(s) in ALARM: faith-5xx"])


def test_every_failing_check_is_reported():
    _status, reasons = analysis.judge(colour_window(http_5xx=50, p95_ms=900.0, healthy=False),
                                      colour_window(http_5xx=0, p95_ms=100.0), ["faith-5xx"], LIMITS)
    assert len(reasons) == 6


# --- the bake's verdict -------------------------------------------------------------------------


def test_failures_beyond_failure_limit_fail_the_bake_even_apart():
    tally = Tally(failure_limit=1, consecutive_error_limit=5, inconclusive_limit=5)
    assert tally.add(FAILED, ["5xx rate 0.100 above 0.05"]) is None
    assert tally.add(SUCCESSFUL, []) is None
    assert tally.add(FAILED, ["p95 latency 600.0 ms above 500.0 ms"]) == FAILED
    assert tally.counts == {SUCCESSFUL: 1, FAILED: 2, INCONCLUSIVE: 0, ERROR: 0}
    assert tally.last_reasons == ["p95 latency 600.0 ms above 500.0 ms"]


def test_failure_limit_zero_fails_at_the_first_failure():
    assert Tally(0, 5, 5).add(FAILED, ["x"]) == FAILED


def test_errors_in_a_row_beyond_the_limit_fail_the_bake():
    tally = Tally(failure_limit=0, consecutive_error_limit=2, inconclusive_limit=5)
    assert tally.add(ERROR, ["CloudWatch get_metric_data: throttled"]) is None
    assert tally.add(ERROR, ["CloudWatch get_metric_data: throttled"]) is None
    assert tally.add(ERROR, ["CloudWatch get_metric_data: timed out"]) == FAILED
    assert tally.last_reasons == ["CloudWatch get_metric_data: timed out"]


def test_a_success_breaks_an_error_streak():
    tally = Tally(failure_limit=0, consecutive_error_limit=2, inconclusive_limit=5)
    for status in (ERROR, ERROR, SUCCESSFUL, ERROR, ERROR):
        assert tally.add(status, ["e"] if status == ERROR else []) is None
    assert tally.consecutive_errors == 2
    assert tally.counts[ERROR] == 4
    assert tally.add(ERROR, ["e"]) == FAILED


def test_inconclusive_measurements_beyond_the_limit_make_the_bake_inconclusive():
    tally = Tally(failure_limit=0, consecutive_error_limit=2, inconclusive_limit=1)
    assert tally.add(INCONCLUSIVE, ["2 canary request(s)"]) is None
    assert tally.add(SUCCESSFUL, []) is None
    assert tally.add(INCONCLUSIVE, ["1 canary request(s)"]) == INCONCLUSIVE
    assert tally.last_reasons == ["1 canary request(s)"]


def test_a_bake_that_decided_nothing_succeeds_at_the_end():
    tally = Tally(failure_limit=1, consecutive_error_limit=2, inconclusive_limit=3)
    for status in (SUCCESSFUL, FAILED, INCONCLUSIVE, ERROR, SUCCESSFUL):
        assert tally.add(status, ["r"]) is None
    assert tally.at_end() == SUCCESSFUL

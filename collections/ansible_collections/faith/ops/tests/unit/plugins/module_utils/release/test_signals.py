# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS signals against botocore's Stubber with the answers CloudWatch really gives.

The emulator returns no percentile (p95 reads as a fixed value), no per-metric status and
evaluates no alarm from data, so the paths that depend on those are proven here: requests
are checked against the API's shapes by the Stubber, answers are shaped as AWS sends them.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.release.signals import AwsSignals
from ansible_collections.faith.ops.plugins.module_utils.release.signals import LocalSignals
from ansible_collections.faith.ops.plugins.module_utils.release.signals import SignalError
from ansible_collections.faith.ops.plugins.module_utils.release.signals import alarms_in_alarm

LOAD_BALANCER = "app/faith-chatbot-production/50dc6c495c0c9188"
DIMENSIONS = {
    "blue": "targetgroup/faith-chatbot-production-blue/73e2d6bc24d8a067",
    "green": "targetgroup/faith-chatbot-production-green/943f017f100becff",
}
NOW = datetime.datetime(2026, 12, 6, 21, 0, tzinfo=datetime.timezone.utc)
METRICS = (("RequestCount", "Sum"), ("HTTPCode_Target_5XX_Count", "Sum"), ("TargetResponseTime", "p95"),
           ("UnHealthyHostCount", "Maximum"), ("HealthyHostCount", "Minimum"))


@pytest.fixture
def cloudwatch():
    client = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def signals(client, window_seconds=60):
    return AwsSignals(client, LOAD_BALANCER, DIMENSIONS, window_seconds, clock=lambda: NOW)


def expected_request(period=60):
    queries = []
    for colour, dimension in DIMENSIONS.items():
        for metric, stat in METRICS:
            queries.append({
                "Id": f"{colour}_{metric.lower()}_{stat.lower()}",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/ApplicationELB",
                        "MetricName": metric,
                        "Dimensions": [{"Name": "TargetGroup", "Value": dimension}, {"Name": "LoadBalancer", "Value": LOAD_BALANCER}],
                    },
                    "Period": period,
                    "Stat": stat,
                },
                "ReturnData": True,
            })
    return {"MetricDataQueries": queries, "StartTime": NOW - datetime.timedelta(seconds=period), "EndTime": NOW}


def metric_result(query_id, *values, status="Complete"):
    """One MetricDataResult as GetMetricData answers it (newest datapoint first)."""
    stamps = [NOW - datetime.timedelta(minutes=index + 1) for index in range(len(values))]
    return {"Id": query_id, "Label": query_id, "Timestamps": stamps, "Values": list(values), "StatusCode": status}


def answer(blue, green):
    """``blue``/``green``: {query id suffix: [values]}; a suffix left out has no datapoint."""
    results = []
    for colour, values in (("blue", blue), ("green", green)):
        for metric, stat in METRICS:
            suffix = f"{metric.lower()}_{stat.lower()}"
            results.append(metric_result(f"{colour}_{suffix}", *values.get(suffix, [])))
    return {"MetricDataResults": results, "Messages": []}


SERVING = {"requestcount_sum": [1200.0, 900.0], "httpcode_target_5xx_count_sum": [6.0], "targetresponsetime_p95": [0.0423],
           "unhealthyhostcount_maximum": [0.0], "healthyhostcount_minimum": [2.0]}


def test_windows_read_every_colour_metric_in_one_call(cloudwatch):
    client, stubber = cloudwatch
    canary = {"requestcount_sum": [130.0], "targetresponsetime_p95": [0.0876], "unhealthyhostcount_maximum": [0.0],
              "healthyhostcount_minimum": [1.0]}
    stubber.add_response("get_metric_data", answer(SERVING, canary), expected_request())
    windows = signals(client).windows()
    assert windows == {
        "blue": {"requests": 1200, "http_5xx": 6, "error_rate": 0.005, "p95_ms": 42.3, "latency_samples": 1200, "healthy": True},
        "green": {"requests": 130, "http_5xx": 0, "error_rate": 0.0, "p95_ms": 87.6, "latency_samples": 130, "healthy": True},
    }


def test_a_longer_window_reads_whole_minutes(cloudwatch):
    client, stubber = cloudwatch
    stubber.add_response("get_metric_data", answer(SERVING, SERVING), expected_request(period=120))
    assert signals(client, window_seconds=150).windows()["blue"]["requests"] == 1200


def test_a_window_shorter_than_a_minute_still_reads_a_minute(cloudwatch):
    client, stubber = cloudwatch
    stubber.add_response("get_metric_data", answer(SERVING, SERVING), expected_request(period=60))
    assert signals(client, window_seconds=5).windows()["green"]["p95_ms"] == 42.3


def test_no_traffic_means_no_rate_and_no_p95(cloudwatch):
    client, stubber = cloudwatch
    idle = {"unhealthyhostcount_maximum": [0.0], "healthyhostcount_minimum": [1.0]}
    stubber.add_response("get_metric_data", answer(SERVING, idle), expected_request())
    assert signals(client).windows()["green"] == {"requests": 0, "http_5xx": 0, "error_rate": None, "p95_ms": None,
                                                  "latency_samples": 0, "healthy": True}


def test_no_healthy_host_datapoint_is_unhealthy(cloudwatch):
    client, stubber = cloudwatch
    silent = {"requestcount_sum": [50.0], "targetresponsetime_p95": [0.02]}
    stubber.add_response("get_metric_data", answer(SERVING, silent), expected_request())
    assert signals(client).windows()["green"]["healthy"] is False


def test_an_unhealthy_host_is_unhealthy(cloudwatch):
    client, stubber = cloudwatch
    flapping = dict(SERVING, unhealthyhostcount_maximum=[1.0], healthyhostcount_minimum=[1.0])
    stubber.add_response("get_metric_data", answer(SERVING, flapping), expected_request())
    assert signals(client).windows()["green"]["healthy"] is False


def test_zero_healthy_hosts_is_unhealthy(cloudwatch):
    client, stubber = cloudwatch
    drained = dict(SERVING, healthyhostcount_minimum=[0.0])
    stubber.add_response("get_metric_data", answer(SERVING, drained), expected_request())
    assert signals(client).windows()["green"]["healthy"] is False


def test_metrics_that_cannot_be_read_are_a_signal_error(cloudwatch):
    client, stubber = cloudwatch
    stubber.add_client_error("get_metric_data", service_error_code="Throttling", service_message="Rate exceeded",
                             http_status_code=400, expected_params=expected_request())
    with pytest.raises(SignalError, match=r"^CloudWatch get_metric_data: .*Throttling.*Rate exceeded"):
        signals(client).windows()


@pytest.mark.parametrize("status", ["InternalError", "Forbidden"])
def test_one_metric_cloudwatch_could_not_return_is_a_signal_error(cloudwatch, status):
    client, stubber = cloudwatch
    response = answer(SERVING, SERVING)
    latency = next(result for result in response["MetricDataResults"] if result["Id"] == "green_targetresponsetime_p95")
    latency.update(Timestamps=[], Values=[], StatusCode=status,
                   Messages=[{"Code": status, "Value": "the metric could not be read"}])
    stubber.add_response("get_metric_data", response, expected_request())
    with pytest.raises(SignalError, match=f"green_targetresponsetime_p95 \\({status}"):
        signals(client).windows()


def test_start_reads_nothing(cloudwatch):
    client, _stubber = cloudwatch
    assert signals(client).start() is None


# --- alarms -------------------------------------------------------------------------------------


def described_alarm(name, state):
    """A DescribeAlarms MetricAlarm entry as AWS returns it."""
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}",
        "AlarmConfigurationUpdatedTimestamp": NOW,
        "ActionsEnabled": True,
        "OKActions": [],
        "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:faith-alarms"],
        "InsufficientDataActions": [],
        "StateValue": state,
        "StateReason": "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).",
        "StateUpdatedTimestamp": NOW,
        "MetricName": "HTTPCode_Target_5XX_Count",
        "Namespace": "AWS/ApplicationELB",
        "Statistic": "Sum",
        "Dimensions": [{"Name": "LoadBalancer", "Value": LOAD_BALANCER}],
        "Period": 60,
        "EvaluationPeriods": 1,
        "DatapointsToAlarm": 1,
        "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def test_alarms_in_alarm_names_those_in_alarm(cloudwatch):
    client, stubber = cloudwatch
    names = ["faith-5xx", "faith-latency", "faith-unhealthy"]
    stubber.add_response("describe_alarms", {"MetricAlarms": [
        described_alarm("faith-5xx", "ALARM"), described_alarm("faith-latency", "OK"),
        described_alarm("faith-unhealthy", "INSUFFICIENT_DATA"),
    ], "CompositeAlarms": []}, {"AlarmNames": names})
    assert alarms_in_alarm(client, names) == ["faith-5xx"]


def test_no_alarms_reads_nothing(cloudwatch):
    client, _stubber = cloudwatch
    assert alarms_in_alarm(client, []) == []


def test_a_missing_alarm_is_a_signal_error(cloudwatch):
    client, stubber = cloudwatch
    stubber.add_response("describe_alarms", {"MetricAlarms": [described_alarm("faith-5xx", "OK")], "CompositeAlarms": []},
                         {"AlarmNames": ["faith-5xx", "faith-gone"]})
    with pytest.raises(SignalError, match=r"^alarm\(s\) not found: faith-gone$"):
        alarms_in_alarm(client, ["faith-5xx", "faith-gone"])


def test_alarms_that_cannot_be_read_are_a_signal_error(cloudwatch):
    client, stubber = cloudwatch
    stubber.add_client_error("describe_alarms", service_error_code="AccessDenied", service_message="not authorized",
                             http_status_code=403, expected_params={"AlarmNames": ["faith-5xx"]})
    with pytest.raises(SignalError, match=r"^CloudWatch describe_alarms: .*AccessDenied"):
        alarms_in_alarm(client, ["faith-5xx"])


# --- the local platform: windows between HAProxy/histogram samples ------------------------------

class ScriptedLocalSignals(LocalSignals):
    """LocalSignals whose samples come from a list instead of HAProxy and the colours' metrics."""

    def __init__(self, samples):
        super().__init__(["platformctl"], ["green", "blue"])
        self.samples = iter(samples)

    def _sample(self):
        return next(self.samples)


def local_sample(requests, fast, slow):
    """Both colours with ``requests`` so far, ``fast`` timings under 0.1 s and ``slow`` ones up to 1 s."""
    colour = {"requests": requests, "http_5xx": 0, "healthy": True, "health": "edge UP, /ready ok",
              "latency": {0.1: float(fast), 1.0: float(fast + slow), float("inf"): float(fast + slow)}}
    return {"green": colour, "blue": colour}


def test_local_latency_is_taken_since_the_bake_began_until_the_window_is_restarted():
    # A slow start (the first 100 timings all slow), then only fast answers.
    source = ScriptedLocalSignals([local_sample(0, 0, 0), local_sample(100, 0, 100), local_sample(300, 200, 100),
                                   local_sample(500, 400, 100)])
    source.start()
    assert source.windows()["green"]["p95_ms"] > 900
    second = source.windows()["green"]
    assert second["requests"] == 200 and second["latency_samples"] == 300 and second["p95_ms"] > 500
    source.restart_latency_window()
    third = source.windows()["green"]
    # Only the 200 timings after the restart count: all under 100 ms.
    assert third["latency_samples"] == 200 and third["p95_ms"] < 100

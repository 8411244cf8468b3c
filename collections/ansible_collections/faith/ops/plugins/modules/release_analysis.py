#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: release_analysis
short_description: Bake a release step while analysing the new colour against limits and the stable colour
version_added: 0.2.0
description:
  - Runs one bake of O(duration) seconds and takes a measurement every O(interval) seconds, in the
    manner of an Argo Rollouts AnalysisRun. Each measurement judges the canary colour's window -
    its 5xx rate (absolute, and against the stable colour), its p95 latency (absolute, and as a
    ratio to the stable colour), its health at the load balancer, and the listed alarms.
  - A canary that is unhealthy while the stable colour is unhealthy too is a shared problem (a slow
    database, a cache gone), not the release's - that measurement is C(Inconclusive) unless the canary's
    requests fail as well.
  - The bake ends as soon as it is decided - C(Failed) when failed measurements exceed
    O(failure_limit) or unreadable metrics in a row exceed O(consecutive_error_limit) (a metric that
    cannot be read counts against the release, never for it), C(Inconclusive) when measurements
    without enough traffic exceed O(inconclusive_limit) - and otherwise succeeds when its time is up.
  - With O(table) and O(release_id), the release record is read at every interval, so
    C(release_promote.yml) ends the bake early (C(Promoted)) and C(release_abort.yml) stops it (C(Aborted)).
  - O(provider=aws) reads CloudWatch ALB metrics by target group; O(provider=local) reads the local
    platform's HAProxy counters and the colours' latency histograms. Alarms are read from
    CloudWatch in both cases.
  - The module never changes anything; it runs the same in check mode.
author:
  - faith.ops maintainers (@faith-ops)
options:
  provider:
    description: Where the signals come from.
    type: str
    choices: [aws, local]
    required: true
  canary_colour:
    description: The colour under analysis.
    type: str
    choices: [blue, green]
    required: true
  stable_colour:
    description: The colour it is compared with.
    type: str
    choices: [blue, green]
    required: true
  duration:
    description: Seconds the bake lasts (1-86400).
    type: int
    required: true
  interval:
    description: Seconds between measurements (1-3600; AWS metrics are per minute, so use 60 or more there).
    type: int
    default: 5
  max_error_rate:
    description: Highest canary 5xx rate (0-1) a measurement tolerates.
    type: float
    default: 0.05
  max_error_rate_increase:
    description: Highest amount by which the canary's 5xx rate may exceed the stable colour's.
    type: float
    default: 0.02
  max_latency_p95_ms:
    description: Highest canary p95 latency, in milliseconds.
    type: float
    default: 500
  max_latency_ratio:
    description: Highest ratio of the canary's p95 latency to the stable colour's.
    type: float
    default: 2.0
  latency_floor_ms:
    description: Stable p95 latencies below this are too small for a meaningful ratio; the ratio check is skipped.
    type: float
    default: 10
  min_requests:
    description: Fewest canary requests in a window for a measurement to be judged; fewer make it inconclusive.
    type: int
    default: 5
  min_latency_samples:
    description:
      - Fewest timed canary requests (locally, since the bake began) for its p95 latency to be judged; with fewer,
        the latency checks wait while the other checks go on.
    type: int
    default: 50
  latency_delay:
    description:
      - Seconds after the bake begins (a change of weights) before latency is judged, like the C(initialDelay) of an
        Argo Rollouts metric; the 5xx, health and alarm checks are judged from the first measurement.
      - A colour that has just been given more traffic opens connections and fills its caches; its first seconds
        at the new weight say little about the version's latency. Locally the latency window starts at the first
        measurement after the delay; on AWS latency is judged from then on (CloudWatch gives per-minute figures).
      - 0 judges latency from the first measurement. At most O(duration).
    type: int
    default: 0
  failure_limit:
    description: Failed measurements tolerated; one more fails the bake.
    type: int
    default: 0
  consecutive_error_limit:
    description: Unreadable measurements in a row tolerated; one more fails the bake.
    type: int
    default: 2
  inconclusive_limit:
    description: Inconclusive measurements tolerated; one more ends the bake as C(Inconclusive) (the release pauses).
    type: int
    default: 3
  alarm_names:
    description: CloudWatch alarms that fail a measurement when in ALARM (an alarm that does not exist is an error).
    type: list
    elements: str
    default: []
  platformctl:
    description: Command that runs the local platform's control script (O(provider=local)), for example C([python, local_platform/platformctl.py]).
    type: list
    elements: str
  load_balancer_dimension:
    description: The C(LoadBalancer) dimension of the ALB metrics (C(app/<name>/<id>)), for O(provider=aws).
    type: str
  target_group_dimensions:
    description: The C(TargetGroup) dimension by colour (C(targetgroup/<name>/<id>)), for O(provider=aws).
    type: dict
  table:
    description: The operations table holding the release record, to follow promote and abort requests.
    type: str
  environment:
    description: The environment of the release record.
    type: str
  release_id:
    description: The release being baked.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Bake the 10 % step for five minutes, measuring every minute
  faith.ops.release_analysis:
    provider: aws
    canary_colour: green
    stable_colour: blue
    duration: 300
    interval: 60
    alarm_names: [faith-chatbot-production-alb-5xx]
    load_balancer_dimension: app/faith-chatbot-production/50dc6c495c0c9188
    target_group_dimensions:
      blue: targetgroup/faith-chatbot-production-blue/73e2d6bc24d8a067
      green: targetgroup/faith-chatbot-production-green/0b1a2d3c4e5f6a7b
  register: bake
"""

RETURN = r"""
phase:
  description: How the bake ended - C(Successful), C(Failed), C(Inconclusive), C(Promoted) or C(Aborted).
  returned: always
  type: str
  sample: Failed
reason:
  description: Why the bake ended that way (the failing checks, or null on success).
  returned: always
  type: str
  sample: "5xx rate 0.412 above 0.05"
decided_at:
  description: When the bake was decided (seconds since the epoch).
  returned: always
  type: float
  sample: 1765058400.25
counts:
  description: Measurements by status.
  returned: always
  type: dict
  sample: {"Successful": 3, "Failed": 1, "Inconclusive": 0, "Error": 0}
measurements:
  description: Every measurement, in order, with the windows of both colours.
  returned: always
  type: list
  elements: dict
  sample: [{"at": 1765058400.25, "status": "Failed", "reasons": ["5xx rate 0.412 above 0.05"],
            "canary": {"requests": 34, "http_5xx": 14, "error_rate": 0.412, "p95_ms": 12.5, "healthy": true}}]
"""

import math
import time

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.operations import api as operations_api
from ansible_collections.faith.ops.plugins.module_utils.operations import record as records
from ansible_collections.faith.ops.plugins.module_utils.release import analysis
from ansible_collections.faith.ops.plugins.module_utils.release import signals
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

BOUNDS = {
    "duration": (1, 86400), "interval": (1, 3600), "max_error_rate": (0, 1), "max_error_rate_increase": (0, 1),
    "max_latency_p95_ms": (1, 600000), "max_latency_ratio": (1, 1000), "latency_floor_ms": (0, 600000),
    "min_requests": (0, 10 ** 9), "min_latency_samples": (0, 10 ** 9), "latency_delay": (0, 86400),
    "failure_limit": (0, 1000), "consecutive_error_limit": (0, 1000), "inconclusive_limit": (0, 1000),
}


def validate(params):
    for option, (low, high) in BOUNDS.items():
        value = params[option]
        if math.isnan(value) or not low <= value <= high:
            raise OptionError(option, f"{value} is outside {low}-{high}")
    if params["latency_delay"] > params["duration"]:
        raise OptionError("latency_delay", f"{params['latency_delay']} s is longer than the bake ({params['duration']} s): latency would never be judged")
    if params["canary_colour"] == params["stable_colour"]:
        raise OptionError("stable_colour", "must differ from canary_colour")
    if params["provider"] == "local" and not params["platformctl"]:
        raise OptionError("platformctl", "provider=local needs the platform control command")
    if params["provider"] == "aws":
        dimensions = params["target_group_dimensions"] or {}
        if not params["load_balancer_dimension"] or set(dimensions) != {"blue", "green"}:
            raise OptionError("target_group_dimensions", "provider=aws needs load_balancer_dimension and a TargetGroup dimension for blue and green")
    if params["release_id"] and not (params["table"] and params["environment"]):
        raise OptionError("table", "following a release needs table and environment with release_id")


def release_state(module, client):
    """``Promoted``/``Aborted`` when the record asks the bake to end, else None."""
    params = module.params
    item = operations_api.get_item(client, params["table"], records.RECORD_KEY)
    release = (item or {}).get("body", {}).get("release")
    if not release or release["id"] != params["release_id"]:
        return "Aborted", "the release is no longer in progress in the record (aborted or ended elsewhere)"
    if release.get("promote_requested"):
        return "Promoted", "promotion requested: the remaining bake is skipped"
    return None


def run(module):
    params = module.params
    validate(params)
    colours = [params["canary_colour"], params["stable_colour"]]
    cloudwatch = module.client("cloudwatch")
    dynamodb = module.client("dynamodb") if params["release_id"] else None
    if params["provider"] == "local":
        source = signals.LocalSignals(params["platformctl"], colours)
    else:
        source = signals.AwsSignals(cloudwatch, params["load_balancer_dimension"], params["target_group_dimensions"], params["interval"])
    limits = {key: params[key] for key in ("max_error_rate", "max_error_rate_increase", "max_latency_p95_ms",
                                           "max_latency_ratio", "latency_floor_ms", "min_requests", "min_latency_samples")}
    tally = analysis.Tally(params["failure_limit"], params["consecutive_error_limit"], params["inconclusive_limit"])
    measurements = []
    started = time.time()
    phase, reason = None, None
    try:
        source.start()
    except signals.SignalError as error:
        tally.add(analysis.ERROR, [str(error)])
    began = time.monotonic()
    deadline = began + params["duration"]
    # Latency is judged once the delay has passed and the window has been restarted after it.
    latency_judged = params["latency_delay"] == 0
    while phase is None:
        time.sleep(max(0.0, min(params["interval"], deadline - time.monotonic())))
        try:
            windows = source.windows()
            in_alarm = signals.alarms_in_alarm(cloudwatch, params["alarm_names"])
            status, reasons = analysis.judge(windows[params["canary_colour"]], windows[params["stable_colour"]], in_alarm,
                                             dict(limits, judge_latency=latency_judged))
            if not latency_judged and time.monotonic() - began >= params["latency_delay"]:
                source.restart_latency_window()
                latency_judged = True
            measurement = {"at": round(time.time(), 3), "status": status, "reasons": reasons,
                           "canary": windows[params["canary_colour"]], "stable": windows[params["stable_colour"]]}
        except signals.SignalError as error:
            status, reasons = analysis.ERROR, [str(error)]
            measurement = {"at": round(time.time(), 3), "status": status, "reasons": reasons}
        measurements.append(measurement)
        decided = tally.add(status, reasons)
        if decided:
            phase, reason = decided, "; ".join(tally.last_reasons)
        elif dynamodb is not None and release_state(module, dynamodb):
            phase, reason = release_state(module, dynamodb)
        elif time.monotonic() >= deadline:
            phase = tally.at_end()
    return {"changed": False, "phase": phase, "reason": reason, "decided_at": round(time.time(), 3),
            "started_at": round(started, 3), "counts": tally.counts, "measurements": measurements}


def main():
    argument_spec = dict(
        provider=dict(type="str", required=True, choices=["aws", "local"]),
        canary_colour=dict(type="str", required=True, choices=["blue", "green"]),
        stable_colour=dict(type="str", required=True, choices=["blue", "green"]),
        duration=dict(type="int", required=True),
        interval=dict(type="int", default=5),
        max_error_rate=dict(type="float", default=0.05),
        max_error_rate_increase=dict(type="float", default=0.02),
        max_latency_p95_ms=dict(type="float", default=500),
        max_latency_ratio=dict(type="float", default=2.0),
        latency_floor_ms=dict(type="float", default=10),
        min_requests=dict(type="int", default=5),
        min_latency_samples=dict(type="int", default=50),
        latency_delay=dict(type="int", default=0),
        failure_limit=dict(type="int", default=0),
        consecutive_error_limit=dict(type="int", default=2),
        inconclusive_limit=dict(type="int", default=3),
        alarm_names=dict(type="list", elements="str", default=[]),
        platformctl=dict(type="list", elements="str"),
        load_balancer_dimension=dict(type="str"),
        target_group_dimensions=dict(type="dict"),
        table=dict(type="str"),
        environment=dict(type="str"),
        release_id=dict(type="str"),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting on ECS deployments by reading the deployment record.

botocore's ``services_stable`` only compares running and desired counts, which holds while
the old tasks still serve traffic, so it returns before a rolling deployment has finished
or failed. The waiter here reads the PRIMARY deployment's ``rolloutState`` instead:
COMPLETED is success, FAILED (circuit breaker or alarms) is a terminal failure whose
``rolloutStateReason`` is reported.
"""

from __future__ import annotations

from ..waiting import WaitTimeout
from ..waiting import wait_for
from ..waiting import waiter_model

PRIMARY_ROLLOUT = "services[0].deployments[?status=='PRIMARY'] | [0].rolloutState"

DEPLOYMENT_COMPLETED = waiter_model(
    "DeploymentCompleted",
    "DescribeServices",
    [
        {"state": "success", "matcher": "path", "argument": PRIMARY_ROLLOUT, "expected": "COMPLETED"},
        {"state": "failure", "matcher": "path", "argument": PRIMARY_ROLLOUT, "expected": "FAILED"},
        {"state": "failure", "matcher": "pathAny", "argument": "failures[].reason", "expected": "MISSING"},
        {"state": "failure", "matcher": "path", "argument": "services[0].status", "expected": "INACTIVE"},
    ],
    delay=15,
)


class DeploymentFailed(WaitTimeout):
    """The deployment reached FAILED (or the service vanished) before COMPLETED."""

    def __init__(self, what, reason):
        super().__init__(what, 0, reason)
        # Not a timeout: the message says what failed and why.
        self.args = (f"{what[0].upper()}{what[1:]} failed: {reason}",)


def _last_response(error):
    """The last DescribeServices response a failed wait saw."""
    return getattr(error.__cause__, "last_response", None) or {}


def _rollout(service):
    for deployment in (service or {}).get("deployments", []):
        if deployment.get("status") == "PRIMARY":
            return deployment.get("rolloutState"), deployment.get("rolloutStateReason")
    return None, None


def wait_for_deployment(client, cluster, service, timeout, delay=None):
    """Block until the service's PRIMARY deployment is COMPLETED, at most ``timeout`` seconds.

    Raises :class:`DeploymentFailed` with ECS's reason when the rollout FAILED, and
    ``WaitTimeout`` with the last rollout state and reason when time ran out.
    """
    what = f"the deployment of service {service} in cluster {cluster}"
    try:
        wait_for(
            client, "DeploymentCompleted", what, timeout, model=DEPLOYMENT_COMPLETED, delay=delay,
            cluster=cluster, services=[service],
        )
    except WaitTimeout as error:
        response = _last_response(error)
        if "Error" in response:
            raise  # an API error (no such cluster, access denied): its message is the reason
        last = (response.get("services") or [None])[0]
        state, reason = _rollout(last)
        if state == "FAILED":
            raise DeploymentFailed(what, reason or "ECS reported the rollout FAILED without a reason") from error
        if last is None or last.get("status") == "INACTIVE":
            raise DeploymentFailed(what, "the service does not exist any more") from error
        raise WaitTimeout(what, timeout, f"rollout {state or 'unknown'}: {reason or 'no reason reported'}") from error

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The deployment waiter against botocore's Stubber with DescribeServices' real shapes.

The emulator never progresses a deployment past IN_PROGRESS, so COMPLETED and FAILED are
proven here.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.ecs.waiters import DeploymentFailed
from ansible_collections.faith.ops.plugins.module_utils.ecs.waiters import wait_for_deployment
from ansible_collections.faith.ops.plugins.module_utils.waiting import WaitTimeout

ACCOUNT = "123456789012"
CLUSTER = "faith-chatbot-test"
SERVICE = "faith-chatbot-test-blue"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
REQUEST = {"cluster": CLUSTER, "services": [SERVICE]}
# Tiny delays keep the test fast; the attempts follow from timeout / delay as in real use.
DELAY = 0.001


def deployment(deployment_id, status, rollout, reason, revision):
    return {
        "id": deployment_id,
        "status": status,
        "taskDefinition": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot-test:{revision}",
        "desiredCount": 2,
        "pendingCount": 0,
        "runningCount": 2 if rollout == "COMPLETED" else 1,
        "failedTasks": 3 if rollout == "FAILED" else 0,
        "createdAt": NOW,
        "updatedAt": NOW,
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "rolloutState": rollout,
        "rolloutStateReason": reason,
    }


def described(*deployments, status="ACTIVE"):
    return {
        "services": [
            {
                "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/{CLUSTER}/{SERVICE}",
                "serviceName": SERVICE,
                "clusterArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{CLUSTER}",
                "status": status,
                "desiredCount": 2,
                "runningCount": 2,
                "pendingCount": 0,
                "launchType": "FARGATE",
                "deployments": list(deployments),
            }
        ],
        "failures": [],
    }


IN_PROGRESS = deployment("ecs-svc/2", "PRIMARY", "IN_PROGRESS", "ECS deployment ecs-svc/2 in progress.", 5)
OLD = deployment("ecs-svc/1", "ACTIVE", "COMPLETED", "ECS deployment ecs-svc/1 completed.", 4)


@pytest.fixture
def ecs():
    client = boto3.client("ecs", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_returns_once_the_primary_deployment_completes(ecs):
    client, stubber = ecs
    stubber.add_response("describe_services", described(IN_PROGRESS, OLD), REQUEST)
    done = deployment("ecs-svc/2", "PRIMARY", "COMPLETED", "ECS deployment ecs-svc/2 completed.", 5)
    stubber.add_response("describe_services", described(done), REQUEST)
    wait_for_deployment(client, CLUSTER, SERVICE, timeout=1, delay=DELAY)


def test_an_old_completed_deployment_does_not_count(ecs):
    client, stubber = ecs
    for _attempt in range(3):
        stubber.add_response("describe_services", described(IN_PROGRESS, OLD), REQUEST)
    with pytest.raises(WaitTimeout) as error:
        wait_for_deployment(client, CLUSTER, SERVICE, timeout=3 * DELAY, delay=DELAY)
    assert not isinstance(error.value, DeploymentFailed)
    assert error.value.reason == "rollout IN_PROGRESS: ECS deployment ecs-svc/2 in progress."
    assert str(error.value).startswith("Timed out after")


def test_a_failed_rollout_fails_at_once_with_ecs_reason(ecs):
    client, stubber = ecs
    reason = "ECS deployment circuit breaker: tasks failed to start."
    failed = deployment("ecs-svc/2", "PRIMARY", "FAILED", reason, 5)
    stubber.add_response("describe_services", described(failed, OLD), REQUEST)
    with pytest.raises(DeploymentFailed) as error:
        wait_for_deployment(client, CLUSTER, SERVICE, timeout=60, delay=DELAY)
    assert error.value.reason == reason
    assert str(error.value) == f"The deployment of service {SERVICE} in cluster {CLUSTER} failed: {reason}"


def test_a_deleted_service_ends_the_wait(ecs):
    client, stubber = ecs
    missing = {"services": [], "failures": [{"arn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/{CLUSTER}/{SERVICE}", "reason": "MISSING"}]}
    stubber.add_response("describe_services", missing, REQUEST)
    with pytest.raises(DeploymentFailed) as error:
        wait_for_deployment(client, CLUSTER, SERVICE, timeout=60, delay=DELAY)
    assert "does not exist" in error.value.reason


def test_an_api_error_is_reported_as_such(ecs):
    client, stubber = ecs
    stubber.add_client_error("describe_services", "ClusterNotFoundException", "Cluster not found.", expected_params=REQUEST)
    with pytest.raises(WaitTimeout) as error:
        wait_for_deployment(client, CLUSTER, SERVICE, timeout=60, delay=DELAY)
    assert error.value.reason == "Cluster not found."

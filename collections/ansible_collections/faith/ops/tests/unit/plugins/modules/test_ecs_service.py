# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ecs_service against botocore's Stubber: the requests it makes and the real response shapes.

AWS describes a service with fields the emulator leaves out (deployment strategy, bake
time, managed tags) and progresses deployments, which the emulator never does; the update
and wait paths are proven here against those shapes.
"""

from __future__ import annotations

import copy
import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ecs.waiters import DeploymentFailed
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import ecs_service

ACCOUNT = "123456789012"
CLUSTER = "faith-chatbot-test"
NAME = "faith-chatbot-test-blue"
TASK_DEFINITION = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot-test:4"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/faith-blue/73e2d6bc24d8a067"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
DESCRIBE = {"cluster": CLUSTER, "services": [NAME], "include": ["TAGS"]}
WAIT_DESCRIBE = {"cluster": CLUSTER, "services": [NAME]}


class FakeModule:
    """What ecs_service uses of FaithAWSModule, with Stubber-backed clients."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = dict(
            name=NAME,
            cluster=CLUSTER,
            state="present",
            task_definition=TASK_DEFINITION,
            desired_count=2,
            create_only=["desired_count", "task_definition"],
            launch_type="FARGATE",
            capacity_provider_strategy=None,
            platform_version=None,
            network_configuration={"subnets": ["subnet-0a", "subnet-0b"], "security_groups": ["sg-01"], "assign_public_ip": "DISABLED"},
            load_balancers=[{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 8000}],
            deployment_configuration={
                "maximum_percent": 200,
                "minimum_healthy_percent": 100,
                "deployment_circuit_breaker": {"enable": True, "rollback": True},
                "alarms": None,
            },
            health_check_grace_period_seconds=60,
            propagate_tags="SERVICE",
            enable_execute_command=False,
            enable_ecs_managed_tags=None,
            tags={"Colour": "blue"},
            purge_tags=True,
            wait=False,
            wait_timeout=60,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.warnings = []
        self.clients = clients

    def client(self, service):
        return self.clients[service]

    def warn(self, message):
        self.warnings.append(message)


def deployment(deployment_id, rollout, revision=4):
    return {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": TASK_DEFINITION.replace(":4", f":{revision}"),
        "desiredCount": 2,
        "pendingCount": 0,
        "runningCount": 2,
        "failedTasks": 0,
        "createdAt": NOW,
        "updatedAt": NOW,
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "rolloutState": rollout,
        "rolloutStateReason": f"ECS deployment {deployment_id} {rollout.lower().replace('_', ' ')}.",
    }


def aws_service(**overrides):
    """A service as AWS describes it, including what the module does not manage."""
    service = {
        "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/{CLUSTER}/{NAME}",
        "serviceName": NAME,
        "clusterArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{CLUSTER}",
        "loadBalancers": [{"targetGroupArn": TARGET_GROUP, "containerName": "app", "containerPort": 8000}],
        "serviceRegistries": [],
        "status": "ACTIVE",
        "desiredCount": 3,
        "runningCount": 3,
        "pendingCount": 0,
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        "platformFamily": "Linux",
        "taskDefinition": TASK_DEFINITION,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "alarms": {"alarmNames": [], "rollback": False, "enable": False},
            "strategy": "ROLLING",
            "bakeTimeInMinutes": 0,
        },
        "deployments": [deployment("ecs-svc/1", "COMPLETED")],
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        "events": [],
        "createdAt": NOW,
        "placementConstraints": [],
        "placementStrategy": [],
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["subnet-0b", "subnet-0a"], "securityGroups": ["sg-01"], "assignPublicIp": "DISABLED"}
        },
        "healthCheckGracePeriodSeconds": 60,
        "schedulingStrategy": "REPLICA",
        "deploymentController": {"type": "ECS"},
        "tags": [{"key": "Colour", "value": "blue"}],
        "createdBy": f"arn:aws:iam::{ACCOUNT}:role/deployer",
        "enableECSManagedTags": False,
        "propagateTags": "SERVICE",
        "enableExecuteCommand": False,
        "availabilityZoneRebalancing": "ENABLED",
    }
    service.update(overrides)
    return service


@pytest.fixture
def clients():
    made = {
        name: boto3.client(name, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing") for name in ("ecs", "elbv2")
    }
    stubbers = {name: Stubber(client) for name, client in made.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield made, stubbers
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def run(module):
    return ecs_service.run(module)


def test_matching_service_makes_one_read_and_no_write(clients):
    made, stubbers = clients
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service()], "failures": []}, DESCRIBE)
    result = run(FakeModule(made))
    assert result["changed"] is False
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["deployment"]["rollout_state"] == "COMPLETED"


def test_deployment_and_network_changes_are_applied_and_shown(clients):
    made, stubbers = clients
    module = FakeModule(
        made,
        network_configuration={"subnets": ["subnet-0a", "subnet-0c"], "security_groups": ["sg-01"], "assign_public_ip": "DISABLED"},
        deployment_configuration={"maximum_percent": 150, "minimum_healthy_percent": 50, "deployment_circuit_breaker": None, "alarms": None},
    )
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service()], "failures": []}, DESCRIBE)
    expected_update = {
        "cluster": CLUSTER,
        "service": NAME,
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["subnet-0a", "subnet-0c"], "securityGroups": ["sg-01"], "assignPublicIp": "DISABLED"}
        },
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 150,
            "minimumHealthyPercent": 50,
            "alarms": {"alarmNames": [], "rollback": False, "enable": False},
        },
    }
    stubbers["ecs"].add_response("update_service", {"service": aws_service(deployments=[deployment("ecs-svc/2", "IN_PROGRESS")])}, expected_update)
    result = run(module)
    assert result["changed"] is True
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["network_configuration"]["subnets"] == ["subnet-0a", "subnet-0b"]
    assert after["network_configuration"]["subnets"] == ["subnet-0a", "subnet-0c"]
    assert (before["deployment_configuration"]["maximum_percent"], after["deployment_configuration"]["maximum_percent"]) == (200, 150)
    assert module.actions == ["update service faith-chatbot-test-blue: deployment_configuration, network_configuration"]


def test_release_owned_fields_are_left_alone(clients):
    made, stubbers = clients
    released = TASK_DEFINITION.replace(":4", ":9")
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service(taskDefinition=released, desiredCount=5)], "failures": []}, DESCRIBE)
    result = run(FakeModule(made))
    assert result["changed"] is False
    assert result["service"]["task_definition"] == released
    assert result["service"]["desired_count"] == 5


def test_check_mode_reports_the_change_without_writing(clients):
    made, stubbers = clients
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service(healthCheckGracePeriodSeconds=0)], "failures": []}, DESCRIBE)
    module = FakeModule(made, check_mode=True)
    result = run(module)
    assert result["changed"] is True
    assert module.actions == ["update service faith-chatbot-test-blue: health_check_grace_period_seconds"]


def test_new_task_definition_is_checked_against_target_groups_then_deployed_and_awaited(clients):
    made, stubbers = clients
    new_revision = TASK_DEFINITION.replace(":4", ":5")
    module = FakeModule(made, create_only=["desired_count"], task_definition=new_revision, wait=True)
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service()], "failures": []}, DESCRIBE)
    definition = {
        "taskDefinitionArn": new_revision,
        "family": "faith-chatbot-test",
        "revision": 5,
        "networkMode": "awsvpc",
        "status": "ACTIVE",
        "containerDefinitions": [
            {"name": "app", "image": "faith-motivator:1.1.0", "portMappings": [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}]}
        ],
    }
    stubbers["ecs"].add_response(
        "describe_task_definition", {"taskDefinition": definition, "tags": []}, {"taskDefinition": new_revision, "include": ["TAGS"]}
    )
    group = {"TargetGroupArn": TARGET_GROUP, "TargetGroupName": "faith-blue", "Protocol": "HTTP", "Port": 8000, "VpcId": "vpc-01", "TargetType": "ip"}
    stubbers["elbv2"].add_response("describe_target_groups", {"TargetGroups": [group]}, {"TargetGroupArns": [TARGET_GROUP]})
    rolling = aws_service(
        taskDefinition=new_revision,
        deployments=[deployment("ecs-svc/2", "IN_PROGRESS", 5), dict(deployment("ecs-svc/1", "COMPLETED"), status="ACTIVE")],
    )
    stubbers["ecs"].add_response("update_service", {"service": rolling}, {"cluster": CLUSTER, "service": NAME, "taskDefinition": new_revision})
    done = aws_service(taskDefinition=new_revision, deployments=[deployment("ecs-svc/2", "COMPLETED", 5)])
    stubbers["ecs"].add_response("describe_services", {"services": [done], "failures": []}, WAIT_DESCRIBE)
    stubbers["ecs"].add_response("describe_services", {"services": [done], "failures": []}, DESCRIBE)
    result = run(module)
    assert result["changed"] is True
    assert result["deployment"] == {
        "id": "ecs-svc/2",
        "task_definition": new_revision,
        "rollout_state": "COMPLETED",
        "rollout_state_reason": "ECS deployment ecs-svc/2 completed.",
        "desired_count": 2,
        "running_count": 2,
    }


def test_failed_rollout_fails_the_module_with_the_reason(clients):
    made, stubbers = clients
    module = FakeModule(made, create_only=[], desired_count=3, enable_execute_command=True, wait=True)
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service()], "failures": []}, DESCRIBE)
    stubbers["ecs"].add_response(
        "update_service",
        {"service": aws_service(enableExecuteCommand=True)},
        {"cluster": CLUSTER, "service": NAME, "enableExecuteCommand": True},
    )
    failed = copy.deepcopy(deployment("ecs-svc/2", "FAILED"))
    failed["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service(deployments=[failed])], "failures": []}, WAIT_DESCRIBE)
    with pytest.raises(DeploymentFailed) as error:
        run(module)
    assert error.value.reason == "ECS deployment circuit breaker: tasks failed to start."


def test_attachment_to_a_port_the_container_does_not_map_fails_before_any_write(clients):
    made, stubbers = clients
    module = FakeModule(made, create_only=[], load_balancers=[{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 9000}])
    stubbers["ecs"].add_response("describe_services", {"services": [aws_service()], "failures": []}, DESCRIBE)
    definition = {
        "taskDefinitionArn": TASK_DEFINITION,
        "family": "faith-chatbot-test",
        "revision": 4,
        "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": "faith-motivator:1.0.0", "portMappings": [{"containerPort": 8000}]}],
    }
    stubbers["ecs"].add_response("describe_task_definition", {"taskDefinition": definition}, {"taskDefinition": TASK_DEFINITION, "include": ["TAGS"]})
    group = {"TargetGroupArn": TARGET_GROUP, "TargetGroupName": "faith-blue", "Port": 8000, "TargetType": "ip"}
    stubbers["elbv2"].add_response("describe_target_groups", {"TargetGroups": [group]}, {"TargetGroupArns": [TARGET_GROUP]})
    with pytest.raises(OptionError) as error:
        run(module)
    assert error.value.option == "load_balancers[0].container_port"

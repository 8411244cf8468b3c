# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ecs_task_definition against botocore's Stubber with the description AWS really returns.

AWS fills in more defaults than the emulator does (host ports, protocols, health check
timings, required attributes, registration metadata); identical input must still register
nothing, which is proven here against those shapes.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.modules import ecs_task_definition

ACCOUNT = "123456789012"
FAMILY = "faith-chatbot-test"
EXECUTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/faith-execution"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def app_container(image="faith-motivator:1.0.0"):
    return {
        "name": "app",
        "image": image,
        "memoryReservation": 256,
        "portMappings": [{"containerPort": 8000}],
        "environment": [{"name": "FAITH_ENV", "value": "test"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -fs http://localhost:8000/health || exit 1"]},
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/faith", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}},
    }


class FakeModule:
    record = FaithAWSModule.record

    def __init__(self, client, check_mode=False, **overrides):
        self.params = dict(
            family=FAMILY, state="present", containers=[app_container()], cpu="256", memory="512", network_mode="awsvpc",
            requires_compatibilities=["FARGATE"], execution_role_arn=EXECUTION_ROLE, task_role_arn=None, volumes=None,
            runtime_platform=None, ephemeral_storage_gib=None, keep_images=False, keep_revisions=None, tags={"Application": "faith"}, purge_tags=True,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self._client = client

    def client(self, service):
        return self._client


def arn(revision):
    return f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{FAMILY}:{revision}"


def aws_description(revision, image="faith-motivator:1.0.0"):
    """DescribeTaskDefinition as AWS answers it for what :func:`app_container` declares."""
    container = app_container(image)
    container.update(
        cpu=0, essential=True, mountPoints=[], volumesFrom=[], systemControls=[],
        portMappings=[{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
        healthCheck=dict(container["healthCheck"], interval=30, timeout=5, retries=3),
    )
    return {
        "taskDefinition": {
            "taskDefinitionArn": arn(revision), "containerDefinitions": [container], "family": FAMILY,
            "executionRoleArn": EXECUTION_ROLE, "networkMode": "awsvpc", "revision": revision, "volumes": [], "status": "ACTIVE",
            "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}, {"name": "ecs.capability.execution-role-awslogs"}],
            "placementConstraints": [], "compatibilities": ["EC2", "FARGATE"], "requiresCompatibilities": ["FARGATE"],
            "cpu": "256", "memory": "512", "registeredAt": NOW, "registeredBy": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/x",
            "enableFaultInjection": False,
        },
        "tags": [{"key": "Application", "value": "faith"}],
    }


@pytest.fixture
def ecs():
    client = boto3.client("ecs", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_identical_declaration_registers_nothing_against_aws_shapes(ecs):
    client, stubber = ecs
    stubber.add_response("describe_task_definition", aws_description(3), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    result = ecs_task_definition.run(FakeModule(client))
    assert result["changed"] is False
    assert result["task_definition_arn"] == arn(3)
    assert result["diff"] == {"before": {}, "after": {}}


def test_new_image_registers_exactly_one_revision_and_the_diff_shows_only_the_image(ecs):
    client, stubber = ecs
    stubber.add_response("describe_task_definition", aws_description(3), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    expected = {
        "family": FAMILY, "containerDefinitions": [app_container("faith-motivator:1.1.0")], "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512", "executionRoleArn": EXECUTION_ROLE,
        "tags": [{"key": "Application", "value": "faith"}],
    }
    stubber.add_response("register_task_definition", aws_description(4, "faith-motivator:1.1.0"), expected)
    result = ecs_task_definition.run(FakeModule(client, containers=[app_container("faith-motivator:1.1.0")]))
    assert result["changed"] is True
    assert result["task_definition_arn"] == arn(4)
    assert result["diff"] == {
        "before": {"containerDefinitions": [{"name": "app", "image": "faith-motivator:1.0.0"}]},
        "after": {"containerDefinitions": [{"name": "app", "image": "faith-motivator:1.1.0"}]},
    }


def test_check_mode_predicts_the_next_arn_without_registering(ecs):
    client, stubber = ecs
    stubber.add_response("describe_task_definition", aws_description(3), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    module = FakeModule(client, check_mode=True, containers=[app_container("faith-motivator:1.1.0")])
    result = ecs_task_definition.run(module)
    assert result["changed"] is True
    assert result["task_definition_arn"] == arn(4)
    assert module.actions == [f"register revision 4 of {FAMILY}"]


def test_revisions_beyond_the_keep_count_are_deregistered_newest_kept(ecs):
    client, stubber = ecs
    stubber.add_response(
        "list_task_definitions", {"taskDefinitionArns": [arn(3), arn(2), arn(1)]},
        {"familyPrefix": FAMILY, "status": "ACTIVE", "sort": "DESC"},
    )
    stubber.add_response("describe_task_definition", aws_description(3), {"taskDefinition": arn(3), "include": ["TAGS"]})
    stubber.add_response("deregister_task_definition", {"taskDefinition": aws_description(1)["taskDefinition"]}, {"taskDefinition": arn(1)})
    result = ecs_task_definition.run(FakeModule(client, keep_revisions=2))
    assert result["changed"] is True
    assert result["deregistered"] == [arn(1)]
    assert result["task_definition_arn"] == arn(3)


def test_tag_change_alone_tags_the_revision_in_place(ecs):
    client, stubber = ecs
    stubber.add_response("describe_task_definition", aws_description(3), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    stubber.add_response("untag_resource", {}, {"resourceArn": arn(3), "tagKeys": ["Application"]})
    stubber.add_response("tag_resource", {}, {"resourceArn": arn(3), "tags": [{"key": "Owner", "value": "ops"}]})
    result = ecs_task_definition.run(FakeModule(client, tags={"Owner": "ops"}))
    assert result["changed"] is True
    assert result["task_definition_arn"] == arn(3)
    assert result["diff"] == {"before": {"tags": {"Application": "faith"}}, "after": {"tags": {"Owner": "ops"}}}


def test_released_image_is_kept_while_other_changes_register_a_revision(ecs):
    client, stubber = ecs
    stubber.add_response("describe_task_definition", aws_description(3, "faith-motivator:1.2.0"), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    unchanged = FakeModule(client, keep_images=True)
    assert ecs_task_definition.run(unchanged)["changed"] is False

    stubber.add_response("describe_task_definition", aws_description(3, "faith-motivator:1.2.0"), {"taskDefinition": FAMILY, "include": ["TAGS"]})
    container = app_container("faith-motivator:1.2.0")
    container["environment"] = [{"name": "FAITH_ENV", "value": "staging"}]
    expected = {
        "family": FAMILY, "containerDefinitions": [container], "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512", "executionRoleArn": EXECUTION_ROLE,
        "tags": [{"key": "Application", "value": "faith"}],
    }
    registered = aws_description(4, "faith-motivator:1.2.0")
    registered["taskDefinition"]["containerDefinitions"][0]["environment"] = container["environment"]
    stubber.add_response("register_task_definition", registered, expected)
    declared = app_container("faith-motivator:1.0.0")
    declared["environment"] = [{"name": "FAITH_ENV", "value": "staging"}]
    result = ecs_task_definition.run(FakeModule(client, keep_images=True, containers=[declared]))
    assert result["changed"] is True
    assert result["diff"]["after"] == {"containerDefinitions": [{"name": "app", "environment": [{"name": "FAITH_ENV", "value": "staging"}]}]}

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""release_task_definition: the revision a release registers, derived from the one it replaces."""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules.release_task_definition import comparable
from ansible_collections.faith.ops.plugins.modules.release_task_definition import desired_request
from ansible_collections.faith.ops.plugins.modules.release_task_definition import image_and_environment

ACCOUNT = "123456789012"
FAMILY = "faith-chatbot-production"
EXECUTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/faith-execution"
TASK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/faith-task"


def described(revision=41, image="faith-motivator:1.4.0", environment=None):
    """DescribeTaskDefinition's taskDefinition as AWS answers it (tags inline, as api.py puts them)."""
    if environment is None:
        environment = [{"name": "FAITH_RESPONDER", "value": "local"}, {"name": "FAITH_ENVIRONMENT", "value": "production"}]
    return {
        "taskDefinitionArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{FAMILY}:{revision}",
        "containerDefinitions": [
            {"name": "app", "image": image, "cpu": 0, "memoryReservation": 256, "essential": True,
             "portMappings": [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
             "environment": environment, "mountPoints": [], "volumesFrom": [], "systemControls": [],
             "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/faith"}}},
            {"name": "otel", "image": "otel/collector:0.1", "cpu": 0, "essential": False, "environment": [],
             "mountPoints": [], "volumesFrom": [], "systemControls": []},
        ],
        "family": FAMILY, "taskRoleArn": TASK_ROLE, "executionRoleArn": EXECUTION_ROLE, "networkMode": "awsvpc",
        "revision": revision, "volumes": [], "status": "ACTIVE",
        "requiresAttributes": [{"name": "ecs.capability.execution-role-awslogs"}],
        "placementConstraints": [], "compatibilities": ["EC2", "FARGATE"], "requiresCompatibilities": ["FARGATE"],
        "cpu": "256", "memory": "512", "registeredAt": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc),
        "registeredBy": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci",
        "tags": [{"key": "Application", "value": "faith"}],
    }


def test_desired_request_replaces_only_the_app_image_and_environment():
    base = described()
    request = desired_request(base, "app", "faith-motivator:1.5.0", {"FAITH_RESPONDER": "bedrock", "FAITH_WORKERS": 2})
    app = dict(base["containerDefinitions"][0], image="faith-motivator:1.5.0",
               environment=[{"name": "FAITH_RESPONDER", "value": "bedrock"}, {"name": "FAITH_WORKERS", "value": "2"}])
    assert request == {
        "family": FAMILY, "taskRoleArn": TASK_ROLE, "executionRoleArn": EXECUTION_ROLE, "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
        "containerDefinitions": [app, base["containerDefinitions"][1]],
        "tags": [{"key": "Application", "value": "faith"}],
    }


def test_desired_request_leaves_the_base_untouched():
    base = described()
    snapshot = copy.deepcopy(base)
    desired_request(base, "app", "faith-motivator:1.5.0", {"A": "1"})
    assert base == snapshot


def test_desired_request_drops_what_register_does_not_take():
    request = desired_request(described(), "app", "faith-motivator:1.5.0", {})
    for read_only in ("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt",
                      "registeredBy", "volumes", "placementConstraints"):
        assert read_only not in request


def test_desired_request_without_tags_sends_none():
    base = dict(described(), tags=[])
    assert "tags" not in desired_request(base, "app", "faith-motivator:1.5.0", {})


def test_desired_request_for_a_container_the_revision_lacks_names_the_option():
    with pytest.raises(OptionError) as raised:
        desired_request(described(), "web", "faith-motivator:1.5.0", {})
    assert raised.value.option == "container"
    assert str(raised.value).endswith(f"task-definition/{FAMILY}:41 has no container 'web'")


def test_the_registered_revision_compares_equal_to_its_request():
    request = desired_request(described(), "app", "faith-motivator:1.5.0", {"FAITH_RESPONDER": "local"})
    registered = dict(copy.deepcopy(request), taskDefinitionArn=f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{FAMILY}:42",
                      revision=42, status="ACTIVE", volumes=[], placementConstraints=[], compatibilities=["EC2", "FARGATE"])
    assert comparable(registered) == comparable(request)


def test_comparable_ignores_environment_order_and_container_order():
    one = described(environment=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    other = described(environment=[{"name": "B", "value": "2"}, {"name": "A", "value": "1"}])
    other["containerDefinitions"].reverse()
    assert comparable(one) == comparable(other)


@pytest.mark.parametrize(
    "change",
    [
        lambda definition: definition["containerDefinitions"][0].update(image="faith-motivator:1.5.0"),
        lambda definition: definition["containerDefinitions"][0]["environment"].append({"name": "NEW", "value": "x"}),
        lambda definition: definition.update(memory="1024"),
        lambda definition: definition.update(taskRoleArn=f"arn:aws:iam::{ACCOUNT}:role/other"),
    ],
    ids=["image", "environment", "memory", "task-role"],
)
def test_comparable_sees_what_a_task_runs(change):
    changed = described()
    change(changed)
    assert comparable(changed) != comparable(described())


def _params(**given):
    params = {"container": "app", "image": None, "version": None, "environment": None,
              "environment_update": None, "environment_remove": None}
    params.update(given)
    return params


def test_a_version_replaces_only_the_tag_of_the_base_image_in_its_own_registry():
    base = described(image="123456789012.dkr.ecr.us-west-2.amazonaws.com/faith-motivator:1.4.0")
    image, environment = image_and_environment(base, _params(version="1.5.0"))
    assert image == "123456789012.dkr.ecr.us-west-2.amazonaws.com/faith-motivator:1.5.0"
    assert environment == {"FAITH_RESPONDER": "local", "FAITH_ENVIRONMENT": "production"}


def test_environment_changes_apply_to_the_base_environment():
    base = described(environment=[{"name": "FAITH_RESPONDER", "value": "bedrock"}, {"name": "FAITH_ENVIRONMENT", "value": "production"},
                                  {"name": "FAITH_WORKERS", "value": "4"}])
    image, environment = image_and_environment(
        base, _params(version="1.5.0", environment_update={"FAITH_RESPONDER": "local", "FAITH_TIMEOUT": "5"}, environment_remove=["FAITH_WORKERS"]))
    assert environment == {"FAITH_RESPONDER": "local", "FAITH_ENVIRONMENT": "production", "FAITH_TIMEOUT": "5"}
    assert image == "faith-motivator:1.5.0"


def test_a_complete_environment_replaces_the_base_one():
    image, environment = image_and_environment(described(), _params(image="faith-motivator:2.0.0", environment={"FAITH_A": "1"}))
    assert (image, environment) == ("faith-motivator:2.0.0", {"FAITH_A": "1"})


def test_a_missing_app_container_is_named():
    with pytest.raises(OptionError, match="no container 'web'"):
        image_and_environment(described(), _params(container="web", version="1.5.0"))

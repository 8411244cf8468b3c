# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.faith.ops.plugins.module_utils.ecs import transformations as ecs
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

ACCOUNT = "123456789012"
EXECUTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/faith-execution"
TASK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/faith-task"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/faith-blue/0123456789abcdef"


def container(**overrides):
    base = {
        "name": "app",
        "image": "faith-motivator:1.0.0",
        "memoryReservation": 256,
        "portMappings": [{"containerPort": 8000}],
        "environment": [{"name": "FAITH_ENV", "value": "test"}, {"name": "AWS_REGION", "value": "us-east-1"}],
        "secrets": [{"name": "CONFIG", "valueFrom": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:faith-config-AbCdEf"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -fs http://localhost:8000/health || exit 1"], "startPeriod": 10},
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": "/ecs/faith", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"},
        },
        "command": ["gunicorn", "faith_motivator.main:app", "--workers", "2"],
    }
    base.update(overrides)
    return base


def task_params(**overrides):
    base = dict(
        family="faith-chatbot-test",
        containers=[container()],
        cpu="256",
        memory="512",
        network_mode="awsvpc",
        requires_compatibilities=["FARGATE"],
        execution_role_arn=EXECUTION_ROLE,
        task_role_arn=TASK_ROLE,
        volumes=None,
        runtime_platform=None,
        ephemeral_storage_gib=None,
    )
    base.update(overrides)
    return base


def described(request, **container_changes):
    """DescribeTaskDefinition as AWS answers it for ``request``: every default AWS fills in."""
    filled = []
    for declared in request["containerDefinitions"]:
        item = dict(declared)
        item.update(
            cpu=0,
            essential=True,
            mountPoints=[],
            volumesFrom=[],
            systemControls=[],
            environmentFiles=[],
            portMappings=[dict(mapping, hostPort=mapping["containerPort"], protocol="tcp") for mapping in declared["portMappings"]],
            environment=list(reversed(declared["environment"])),
            healthCheck=dict(declared["healthCheck"], interval=30, timeout=5, retries=3),
            logConfiguration=dict(declared["logConfiguration"], secretOptions=[]),
        )
        item.update(container_changes)
        filled.append(item)
    return dict(
        request,
        containerDefinitions=filled,
        taskDefinitionArn=f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{request['family']}:4",
        revision=4,
        status="ACTIVE",
        volumes=[],
        placementConstraints=[],
        compatibilities=["EC2", "FARGATE"],
        requiresCompatibilities=["FARGATE"],
        requiresAttributes=[
            {"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
            {"name": "ecs.capability.secrets.asm.environment-variables"},
        ],
        registeredAt=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
        registeredBy=f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/session",
        enableFaultInjection=False,
    )


# --- Fargate sizes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cpu, memory", [("256", "512"), ("256", "2048"), ("512", "4096"), ("1024", "8192"), ("4096", "30720"), ("8192", "20480"), ("16384", "122880")]
)
def test_valid_fargate_sizes_pass(cpu, memory):
    ecs.check_fargate_size(cpu, memory)


@pytest.mark.parametrize(
    "cpu, memory, option, hint",
    [
        ("256", "4096", "memory", "512, 1024, 2048"),
        ("256", "1536", "memory", "512, 1024, 2048"),
        ("512", "512", "memory", "1024 to 4096 in steps of 1024"),
        ("1024", "2500", "memory", "2048 to 8192"),
        ("8192", "18432", "memory", "16384 to 61440 in steps of 4096"),
        ("300", "1024", "cpu", "256, 512, 1024"),
    ],
)
def test_invalid_fargate_sizes_name_option_and_valid_values(cpu, memory, option, hint):
    with pytest.raises(OptionError) as error:
        ecs.check_fargate_size(cpu, memory)
    assert error.value.option == option
    assert hint in str(error.value)


@pytest.mark.parametrize("value, expected", [(1024, "1024"), ("1024", "1024"), ("1 vCPU", "1024"), ("0.25 vcpu", "256")])
def test_cpu_units_accept_ecs_notations(value, expected):
    assert ecs.task_size("cpu", value, "vcpu", 1024) == expected


def test_memory_in_gb_becomes_mib():
    assert ecs.task_size("memory", "2 GB", "gb", 1024) == "2048"


def test_size_with_the_wrong_unit_is_rejected():
    with pytest.raises(OptionError) as error:
        ecs.task_size("memory", "2 vCPU", "gb", 1024)
    assert error.value.option == "memory"


# --- task definition validation --------------------------------------------------------


def test_fargate_task_with_invalid_size_is_rejected_before_anything_else():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(cpu="256", memory="4096"))
    assert error.value.option == "memory"
    assert "256 CPU units" in str(error.value)


def test_fargate_needs_awsvpc():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(network_mode="bridge"))
    assert error.value.option == "network_mode"


def test_host_port_other_than_container_port_is_rejected_under_awsvpc():
    bad = container(portMappings=[{"containerPort": 8000, "hostPort": 80}])
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[bad]))
    assert error.value.option == "containers[0].portMappings[0].hostPort"


def test_container_memory_above_task_memory_is_rejected():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[container(memoryReservation=1024)]))
    assert error.value.option == "containers[0].memoryReservation"
    assert "512" in str(error.value)


def test_secrets_need_an_execution_role():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(execution_role_arn=None))
    assert error.value.option == "execution_role_arn"


def test_duplicate_container_names_are_rejected():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[container(), container()]))
    assert error.value.option == "containers[1].name"


def test_fargate_rejects_log_drivers_it_does_not_have():
    bad = container(logConfiguration={"logDriver": "syslog"})
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[bad]))
    assert error.value.option == "containers[0].logConfiguration.logDriver"


def test_health_check_command_must_start_with_cmd():
    bad = container(healthCheck={"command": ["curl", "-f", "http://localhost/health"]})
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[bad]))
    assert error.value.option == "containers[0].healthCheck.command"


def test_templated_numbers_are_coerced_to_integers():
    templated = container(memoryReservation="256", portMappings=[{"containerPort": "8000"}])
    request = ecs.validate_task_definition(task_params(containers=[templated]))
    assert request["containerDefinitions"][0]["memoryReservation"] == 256
    assert request["containerDefinitions"][0]["portMappings"] == [{"containerPort": 8000}]


def test_a_non_numeric_port_is_rejected_naming_it():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(containers=[container(portMappings=[{"containerPort": "http"}])]))
    assert error.value.option == "containers[0].portMappings[0].containerPort"


def test_role_must_be_given_as_an_arn():
    with pytest.raises(OptionError) as error:
        ecs.validate_task_definition(task_params(task_role_arn="faith-task"))
    assert error.value.option == "task_role_arn"


# --- normalisation ---------------------------------------------------------------------


def test_aws_filled_defaults_do_not_count_as_a_difference():
    request = ecs.validate_task_definition(task_params())
    assert ecs.comparable_task_definition(described(request)) == ecs.comparable_task_definition(request)


def test_command_order_is_significant():
    request = ecs.validate_task_definition(task_params())
    reordered = described(request, command=["gunicorn", "--workers", "2", "faith_motivator.main:app"])
    assert ecs.comparable_task_definition(reordered) != ecs.comparable_task_definition(request)


def test_an_explicit_non_default_value_is_a_difference():
    request = ecs.validate_task_definition(task_params())
    assert ecs.comparable_task_definition(described(request, essential=False)) != ecs.comparable_task_definition(request)


def test_new_image_diff_shows_only_the_image():
    request = ecs.validate_task_definition(task_params())
    current = described(request)
    newer = ecs.validate_task_definition(task_params(containers=[container(image="faith-motivator:1.1.0")]))
    before, after = ecs.reduced_diff(ecs.comparable_task_definition(current), ecs.comparable_task_definition(newer))
    assert before == {"containerDefinitions": [{"name": "app", "image": "faith-motivator:1.0.0"}]}
    assert after == {"containerDefinitions": [{"name": "app", "image": "faith-motivator:1.1.0"}]}


def test_reduced_diff_of_an_environment_change_names_the_variable():
    request = ecs.validate_task_definition(task_params())
    changed_env = [{"name": "FAITH_ENV", "value": "staging"}, {"name": "AWS_REGION", "value": "us-east-1"}]
    newer = ecs.validate_task_definition(task_params(containers=[container(environment=changed_env)]))
    before, after = ecs.reduced_diff(ecs.comparable_task_definition(described(request)), ecs.comparable_task_definition(newer))
    assert after == {"containerDefinitions": [{"name": "app", "environment": [{"name": "FAITH_ENV", "value": "staging"}]}]}
    assert before == {"containerDefinitions": [{"name": "app", "environment": [{"name": "FAITH_ENV", "value": "test"}]}]}


def test_task_definition_view_keeps_container_definitions_in_api_form():
    request = ecs.validate_task_definition(task_params())
    view = ecs.task_definition_view(dict(described(request), tags=[{"key": "Application", "value": "faith"}]))
    assert view["container_definitions"][0]["memoryReservation"] == 256
    assert view["execution_role_arn"] == EXECUTION_ROLE
    assert view["tags"] == {"Application": "faith"}


def test_family_and_revision_of_an_arn():
    arn = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot:12"
    assert ecs.family_of(arn) == "faith-chatbot"
    assert ecs.revision_of(arn) == 12


# --- clusters --------------------------------------------------------------------------


def cluster_params(**overrides):
    base = dict(
        name="faith-chatbot-test",
        container_insights="enabled",
        capacity_providers=["FARGATE", "FARGATE_SPOT"],
        default_capacity_provider_strategy=[
            {"capacity_provider": "FARGATE", "weight": 1, "base": 1},
            {"capacity_provider": "FARGATE_SPOT", "weight": 3, "base": 0},
        ],
    )
    base.update(overrides)
    return base


def test_cluster_matching_aws_description_has_no_changes():
    described_cluster = {
        "clusterName": "faith-chatbot-test",
        "settings": [{"name": "containerInsights", "value": "enabled"}],
        "capacityProviders": ["FARGATE_SPOT", "FARGATE"],
        "defaultCapacityProviderStrategy": [
            {"capacityProvider": "FARGATE_SPOT", "weight": 3},
            {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        ],
    }
    desired = ecs.desired_cluster(cluster_params())
    assert ecs.cluster_changes(desired, ecs.current_cluster(described_cluster)) == []


def test_cluster_without_the_setting_counts_as_insights_disabled():
    desired = ecs.desired_cluster(cluster_params(capacity_providers=None, default_capacity_provider_strategy=[]))
    assert ecs.cluster_changes(desired, ecs.current_cluster({"clusterName": "x"})) == ["containerInsights"]


@pytest.mark.parametrize(
    "strategy, option, words",
    [
        (
            [{"capacity_provider": "FARGATE", "weight": 1, "base": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 1, "base": 2}],
            "default_capacity_provider_strategy",
            "only one",
        ),
        ([{"capacity_provider": "FARGATE", "weight": 0, "base": 1}], "default_capacity_provider_strategy", "weight greater than 0"),
        ([{"capacity_provider": "FARGATE", "weight": 1001, "base": 0}], "default_capacity_provider_strategy[0].weight", "0 to 1000"),
        ([{"capacity_provider": "EXTERNAL_ASG", "weight": 1, "base": 0}], "default_capacity_provider_strategy", "not in capacity_providers"),
    ],
)
def test_cluster_strategy_rules(strategy, option, words):
    with pytest.raises(OptionError) as error:
        ecs.validate_cluster(cluster_params(default_capacity_provider_strategy=strategy))
    assert error.value.option == option
    assert words in str(error.value)


def test_fargate_and_auto_scaling_group_providers_do_not_mix():
    strategy = [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}, {"capacity_provider": "asg-provider", "weight": 1, "base": 0}]
    with pytest.raises(OptionError) as error:
        ecs.validate_cluster(cluster_params(capacity_providers=["FARGATE", "asg-provider"], default_capacity_provider_strategy=strategy))
    assert "cannot be mixed" in str(error.value)


def test_cluster_name_rules():
    with pytest.raises(OptionError) as error:
        ecs.validate_cluster(cluster_params(name="faith chatbot"))
    assert error.value.option == "name"


# --- services --------------------------------------------------------------------------


def service_params(**overrides):
    base = dict(
        name="faith-chatbot-test-blue",
        cluster="faith-chatbot-test",
        task_definition=f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot-test:4",
        desired_count=2,
        launch_type="FARGATE",
        capacity_provider_strategy=None,
        platform_version=None,
        network_configuration={"subnets": ["subnet-0b", "subnet-0a"], "security_groups": ["sg-01"], "assign_public_ip": "DISABLED"},
        load_balancers=[{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 8000}],
        deployment_configuration={
            "maximum_percent": 200,
            "minimum_healthy_percent": 100,
            "deployment_circuit_breaker": {"enable": True, "rollback": True},
            "alarms": {"alarm_names": ["faith-5xx"], "enable": True, "rollback": True},
        },
        health_check_grace_period_seconds=60,
        propagate_tags="SERVICE",
        enable_execute_command=False,
        enable_ecs_managed_tags=None,
    )
    base.update(overrides)
    return base


def described_service(**overrides):
    """DescribeServices' service as AWS answers it, with fields the module does not manage."""
    service = {
        "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/faith-chatbot-test/faith-chatbot-test-blue",
        "serviceName": "faith-chatbot-test-blue",
        "status": "ACTIVE",
        "taskDefinition": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot-test:4",
        "desiredCount": 2,
        "runningCount": 2,
        "launchType": "FARGATE",
        "platformVersion": "LATEST",
        "platformFamily": "Linux",
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["subnet-0a", "subnet-0b"], "securityGroups": ["sg-01"], "assignPublicIp": "DISABLED"}
        },
        "loadBalancers": [{"targetGroupArn": TARGET_GROUP, "containerName": "app", "containerPort": 8000}],
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100,
            "alarms": {"alarmNames": ["faith-5xx"], "enable": True, "rollback": True},
            "strategy": "ROLLING",
            "bakeTimeInMinutes": 0,
        },
        "healthCheckGracePeriodSeconds": 60,
        "propagateTags": "SERVICE",
        "enableExecuteCommand": False,
        "enableECSManagedTags": False,
        "schedulingStrategy": "REPLICA",
    }
    service.update(overrides)
    return service


def test_service_matching_aws_description_has_no_changes():
    desired = ecs.desired_service(service_params())
    assert ecs.service_changes(desired, ecs.current_service(described_service())) == {}


def test_deployment_configuration_change_keeps_what_the_option_does_not_mention():
    params = service_params(
        deployment_configuration={"minimum_healthy_percent": 50, "maximum_percent": None, "deployment_circuit_breaker": None, "alarms": None}
    )
    changes = ecs.service_changes(ecs.desired_service(params), ecs.current_service(described_service()))
    assert changes == {
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "maximumPercent": 200,
            "minimumHealthyPercent": 50,
            "alarms": {"alarmNames": ["faith-5xx"], "enable": True, "rollback": True},
        }
    }


def test_network_change_is_detected_and_sent_whole():
    params = service_params(
        network_configuration={"subnets": ["subnet-0a", "subnet-0c"], "security_groups": ["sg-01"], "assign_public_ip": "DISABLED"}
    )
    changes = ecs.service_changes(ecs.desired_service(params), ecs.current_service(described_service()))
    assert changes == {
        "networkConfiguration": {
            "awsvpcConfiguration": {"subnets": ["subnet-0a", "subnet-0c"], "securityGroups": ["sg-01"], "assignPublicIp": "DISABLED"}
        }
    }


def test_options_left_out_are_not_compared():
    params = service_params(desired_count=None, deployment_configuration=None, propagate_tags=None)
    changes = ecs.service_changes(ecs.desired_service(params), ecs.current_service(described_service(desiredCount=7, propagateTags="NONE")))
    assert changes == {}


def test_emulator_description_without_deployment_configuration_needs_it_sent():
    emulated = described_service()
    for key in ("deploymentConfiguration", "healthCheckGracePeriodSeconds", "enableExecuteCommand"):
        del emulated[key]
    changes = ecs.service_changes(ecs.desired_service(service_params()), ecs.current_service(emulated))
    assert sorted(changes) == ["deploymentConfiguration", "enableExecuteCommand", "healthCheckGracePeriodSeconds"]


def test_service_view_uses_option_names():
    view = ecs.service_view(ecs.current_service(described_service()), {"Colour": "blue"})
    assert view["network_configuration"] == {"subnets": ["subnet-0a", "subnet-0b"], "security_groups": ["sg-01"], "assign_public_ip": "DISABLED"}
    assert view["deployment_configuration"]["deployment_circuit_breaker"] == {"enable": True, "rollback": True}
    assert view["enable_ecs_managed_tags"] is False
    assert view["tags"] == {"Colour": "blue"}


def test_switching_to_a_capacity_provider_strategy_forces_a_new_deployment():
    current = ecs.current_service(described_service())
    request = ecs.update_service_request(
        "c", "s", {"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]}, current
    )
    assert request["forceNewDeployment"] is True


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"deployment_configuration": {"maximum_percent": 100, "minimum_healthy_percent": 100}}, "deployment_configuration.maximum_percent"),
        ({"deployment_configuration": {"maximum_percent": 90, "minimum_healthy_percent": 50}}, "deployment_configuration.maximum_percent"),
        ({"deployment_configuration": {"minimum_healthy_percent": 120}}, "deployment_configuration.minimum_healthy_percent"),
        (
            {"deployment_configuration": {"alarms": {"alarm_names": [], "enable": True, "rollback": False}}},
            "deployment_configuration.alarms.alarm_names",
        ),
        ({"network_configuration": {"subnets": [], "security_groups": [], "assign_public_ip": "DISABLED"}}, "network_configuration.subnets"),
        (
            {"network_configuration": {"subnets": ["vpc-01"], "security_groups": [], "assign_public_ip": "DISABLED"}},
            "network_configuration.subnets[0]",
        ),
        (
            {"load_balancers": [{"target_group_arn": "faith-blue", "container_name": "app", "container_port": 8000}]},
            "load_balancers[0].target_group_arn",
        ),
        (
            {"load_balancers": [{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 70000}]},
            "load_balancers[0].container_port",
        ),
        ({"load_balancers": [], "health_check_grace_period_seconds": 60}, "health_check_grace_period_seconds"),
        ({"desired_count": -1}, "desired_count"),
        ({"task_definition": "faith chatbot"}, "task_definition"),
    ],
)
def test_service_values_aws_rejects_are_rejected_first(overrides, option):
    with pytest.raises(OptionError) as error:
        ecs.validate_service(service_params(**overrides))
    assert error.value.option == option


def definition_with_ports(*ports):
    return {
        "taskDefinitionArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/faith-chatbot-test:4",
        "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "portMappings": [{"containerPort": port} for port in ports]}],
    }


def target_group(port=8000, target_type="ip"):
    return {"TargetGroupArn": TARGET_GROUP, "TargetGroupName": "faith-blue", "Port": port, "TargetType": target_type}


def test_container_port_not_mapped_by_the_container_is_rejected():
    entries = [{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 9000}]
    with pytest.raises(OptionError) as error:
        ecs.check_load_balancer_targets(entries, definition_with_ports(8000), [target_group()], "awsvpc")
    assert error.value.option == "load_balancers[0].container_port"
    assert "maps 8000" in str(error.value)


def test_container_port_other_than_the_target_group_port_is_rejected():
    entries = [{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 9000}]
    with pytest.raises(OptionError) as error:
        ecs.check_load_balancer_targets(entries, definition_with_ports(8000, 9000), [target_group(8000)], "awsvpc")
    assert error.value.option == "load_balancers[0].container_port"
    assert "use 8000" in str(error.value)


def test_awsvpc_tasks_need_an_ip_target_group():
    entries = [{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 8000}]
    with pytest.raises(OptionError) as error:
        ecs.check_load_balancer_targets(entries, definition_with_ports(8000), [target_group(target_type="instance")], "awsvpc")
    assert error.value.option == "load_balancers[0].target_group_arn"


def test_unknown_container_and_missing_target_group_are_named():
    entries = [{"target_group_arn": TARGET_GROUP, "container_name": "web", "container_port": 8000}]
    with pytest.raises(OptionError) as error:
        ecs.check_load_balancer_targets(entries, definition_with_ports(8000), [target_group()], "awsvpc")
    assert error.value.option == "load_balancers[0].container_name"
    entries[0]["container_name"] = "app"
    with pytest.raises(OptionError) as error:
        ecs.check_load_balancer_targets(entries, definition_with_ports(8000), [], "awsvpc")
    assert error.value.option == "load_balancers[0].target_group_arn"


def test_matching_attachment_passes():
    entries = [{"target_group_arn": TARGET_GROUP, "container_name": "app", "container_port": 8000}]
    ecs.check_load_balancer_targets(entries, definition_with_ports(8000), [target_group()], "awsvpc")


def test_service_summary_puts_the_primary_rollout_on_top():
    service = described_service(
        deployments=[
            {"id": "ecs-svc/2", "status": "PRIMARY", "rolloutState": "IN_PROGRESS", "rolloutStateReason": "ECS deployment ecs-svc/2 in progress."},
            {"id": "ecs-svc/1", "status": "ACTIVE", "rolloutState": "COMPLETED"},
        ],
        tags=[{"key": "Colour", "value": "blue"}],
        events=[{"id": "e1", "message": "has reached a steady state."}],
    )
    summary = ecs.service_summary(service)
    assert summary["rollout_state"] == "IN_PROGRESS"
    assert summary["tags"] == {"Colour": "blue"}
    assert "events" not in summary

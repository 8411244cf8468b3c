# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions behind the ECS modules: validation, normalisation, desired-vs-current.

Nothing here calls AWS. Desired state is built from module options in the shape the ECS
API takes; current state is reduced to the same shape with what AWS fills in on its own
(defaults, ids, timestamps) stripped, so the two compare truthfully against AWS as well as
against the emulator.
"""

from __future__ import annotations

import copy
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ..diffing import normalise
from ..planning import is_unknown
from ..validation import OptionError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$")
SUBNET_PATTERN = re.compile(r"^subnet-[0-9a-f]+$")
SECURITY_GROUP_PATTERN = re.compile(r"^sg-[0-9a-f]+$")


def tags_dict(tag_list):
    """ECS ``[{key, value}]`` tags as a dict."""
    return {tag["key"]: tag["value"] for tag in tag_list or []}


def check_name(option, value, what):
    """ECS names: up to 255 letters, digits, hyphens and underscores."""
    if not NAME_PATTERN.match(value or ""):
        raise OptionError(option, f"{value!r} is not a valid {what} name: use 1 to 255 letters, digits, '-' or '_'")


def check_arn(option, value, service=None, resource=None):
    """An ARN of ``service`` whose resource part starts with ``resource``."""
    if not ARN_PATTERN.match(value or ""):
        raise OptionError(option, f"{value!r} is not an ARN (arn:aws:<service>:<region>:<account>:<resource>)")
    parts = value.split(":", 5)
    if service and parts[2] != service:
        raise OptionError(option, f"{value!r} is not an ARN of {service}")
    if resource and not parts[5].startswith(resource):
        raise OptionError(option, f"{value!r} is not an ARN of a {resource.rstrip('/')}")


def check_range(option, value, low, high):
    if value is not None and not low <= value <= high:
        raise OptionError(option, f"{value} is out of range; use {low} to {high}")


# --- capacity provider strategies (clusters and services) --------------------------------

FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def strategy_request(strategy):
    """Module ``capacity_provider_strategy`` entries in the API's shape (base and weight explicit)."""
    return [
        {"capacityProvider": item["capacity_provider"], "weight": item.get("weight") or 0, "base": item.get("base") or 0}
        for item in strategy or []
    ]


def check_strategy(option, strategy, providers=None):
    """The rules AWS applies to a capacity provider strategy."""
    if not strategy:
        return
    if len(strategy) > 20:
        raise OptionError(option, "a strategy holds at most 20 capacity providers")
    names = [item["capacity_provider"] for item in strategy]
    if len(set(names)) != len(names):
        raise OptionError(option, "each capacity provider may appear only once")
    with_base = [item["capacity_provider"] for item in strategy if item.get("base")]
    if len(with_base) > 1:
        raise OptionError(option, f"only one capacity provider may have a base; {', '.join(with_base)} all do")
    for index, item in enumerate(strategy):
        check_range(f"{option}[{index}].weight", item.get("weight"), 0, 1000)
        check_range(f"{option}[{index}].base", item.get("base"), 0, 100000)
    if not any(item.get("weight") for item in strategy):
        raise OptionError(option, "at least one capacity provider needs a weight greater than 0")
    fargate = [name for name in names if name in FARGATE_PROVIDERS]
    if fargate and len(fargate) != len(names):
        raise OptionError(option, "Fargate and Auto Scaling group capacity providers cannot be mixed in one strategy")
    if providers is not None:
        unknown = sorted(set(names) - set(providers))
        if unknown:
            raise OptionError(
                option, f"{', '.join(unknown)} not in capacity_providers ({', '.join(providers) or 'none'}); a strategy may only use the cluster's providers"
            )


def comparable_strategy(strategy):
    """A strategy as AWS reports it, with base/weight defaults filled in and a stable order."""
    items = [
        {"capacityProvider": item["capacityProvider"], "weight": item.get("weight", 0), "base": item.get("base", 0)}
        for item in strategy or []
    ]
    return sorted(items, key=lambda item: item["capacityProvider"])


# --- clusters ----------------------------------------------------------------------------

CONTAINER_INSIGHTS = "containerInsights"


def validate_cluster(params):
    """Value rules for ``ecs_cluster`` options, checked before any call."""
    check_name("name", params["name"], "cluster")
    providers = params.get("capacity_providers")
    if providers is not None:
        if len(set(providers)) != len(providers):
            raise OptionError("capacity_providers", "each capacity provider may be listed only once")
    strategy = params.get("default_capacity_provider_strategy")
    if strategy and providers is None:
        raise OptionError(
            "default_capacity_provider_strategy", "give capacity_providers too; a strategy may only use providers the cluster has"
        )
    check_strategy("default_capacity_provider_strategy", strategy, providers)


def desired_cluster(params):
    """The parts of the cluster the options pin down; None means "leave as it is"."""
    desired = {}
    if params.get("container_insights") is not None:
        desired["containerInsights"] = params["container_insights"]
    if params.get("capacity_providers") is not None:
        desired["capacityProviders"] = sorted(params["capacity_providers"])
        desired["defaultCapacityProviderStrategy"] = comparable_strategy(
            strategy_request(params.get("default_capacity_provider_strategy"))
        )
    return desired


def current_cluster(cluster):
    """The managed parts of a described cluster, in the shape of :func:`desired_cluster`."""
    settings = {setting["name"]: setting["value"] for setting in cluster.get("settings", [])}
    return {
        # A cluster created without the setting reports "disabled"; the emulator may report nothing.
        "containerInsights": settings.get(CONTAINER_INSIGHTS, "disabled"),
        "capacityProviders": sorted(cluster.get("capacityProviders", [])),
        "defaultCapacityProviderStrategy": comparable_strategy(cluster.get("defaultCapacityProviderStrategy")),
    }


def cluster_changes(desired, current):
    """Keys of ``desired`` whose value differs from ``current``."""
    return sorted(key for key, value in desired.items() if current.get(key) != value)


def cluster_view(cluster_state, tags):
    """The cluster as results and diffs show it (snake_case, tags as a dict)."""
    view = camel_dict_to_snake_dict(cluster_state)
    view["tags"] = dict(tags or {})
    return view


def create_cluster_request(name, desired, tags):
    request = {"clusterName": name}
    if "containerInsights" in desired:
        request["settings"] = [{"name": CONTAINER_INSIGHTS, "value": desired["containerInsights"]}]
    if "capacityProviders" in desired:
        request["capacityProviders"] = desired["capacityProviders"]
        if desired["defaultCapacityProviderStrategy"]:
            request["defaultCapacityProviderStrategy"] = desired["defaultCapacityProviderStrategy"]
    if tags:
        request["tags"] = [{"key": key, "value": str(value)} for key, value in sorted(tags.items())]
    return request


# --- task definitions --------------------------------------------------------------------

# Fargate's valid task sizes: CPU units -> (lowest MiB, highest MiB, step MiB).
FARGATE_SIZES = {
    256: (512, 2048, None),
    512: (1024, 4096, 1024),
    1024: (2048, 8192, 1024),
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}
FARGATE_256_MEMORY = (512, 1024, 2048)
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")

# Task definition fields AWS adds or sets on its own; never part of what a caller declares.
TASK_DEFINITION_READ_ONLY = (
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt",
    "registeredBy", "deregisteredAt", "deleteRequestedAt", "tags",
)
# Container fields whose value AWS reports when it was not given: (field, default).
CONTAINER_DEFAULTS = (
    ("essential", True), ("cpu", 0), ("versionConsistency", "enabled"), ("disableNetworking", False),
    ("privileged", False), ("readonlyRootFilesystem", False), ("interactive", False), ("pseudoTerminal", False),
)
HEALTH_CHECK_DEFAULTS = (("interval", 30), ("timeout", 5), ("retries", 3), ("startPeriod", 0))
CONTAINER_INTEGERS = ("cpu", "memory", "memoryReservation", "startTimeout", "stopTimeout")
PORT_INTEGERS = ("containerPort", "hostPort")
UNIT_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$", re.IGNORECASE)


def task_size(option, value, unit_name, per_unit):
    """CPU units or MiB as the string ECS returns, from ``1024``, ``"1024"``, ``"1 vCPU"`` or ``"2 GB"``."""
    if value is None:
        return None
    match = UNIT_PATTERN.match(str(value))
    if not match or (match.group(2) and match.group(2).lower() != unit_name):
        raise OptionError(option, f"{value!r} is not a size; give a number ({'CPU units' if unit_name == 'vcpu' else 'MiB'}) or '<n> {unit_name}'")
    number = float(match.group(1)) * (per_unit if match.group(2) else 1)
    if number != int(number) or number <= 0:
        raise OptionError(option, f"{value!r} does not give a whole, positive number")
    return str(int(number))


def check_fargate_size(cpu, memory):
    """Fargate accepts only certain CPU/memory pairs; say which ones fit."""
    if cpu is None or memory is None:
        raise OptionError("cpu" if cpu is None else "memory", "Fargate task definitions need both cpu and memory at task level")
    cpu_units, mib = int(cpu), int(memory)
    if cpu_units not in FARGATE_SIZES:
        raise OptionError("cpu", f"{cpu_units} CPU units is not a Fargate size; use one of {', '.join(str(size) for size in FARGATE_SIZES)}")
    low, high, step = FARGATE_SIZES[cpu_units]
    if cpu_units == 256:
        allowed = mib in FARGATE_256_MEMORY
        choices = ", ".join(str(size) for size in FARGATE_256_MEMORY)
    else:
        allowed = low <= mib <= high and (mib - low) % step == 0
        choices = f"{low} to {high} in steps of {step}"
    if not allowed:
        raise OptionError("memory", f"{mib} MiB is not valid with {cpu_units} CPU units on Fargate; use {choices} MiB")


def _as_int(option, value):
    if isinstance(value, bool):
        raise OptionError(option, f"{value!r} is not an integer")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise OptionError(option, f"{value!r} is not an integer") from None
    return number


def prepare_containers(containers, network_mode, fargate, task_memory):
    """Check container definitions (ECS API form) and coerce their numbers; return a copy.

    Templated values arrive as strings; botocore would reject them, and a string would
    never compare equal to the integer AWS reports.
    """
    if not containers:
        raise OptionError("containers", "a task definition needs at least one container")
    prepared = copy.deepcopy(containers)
    names = set()
    for index, container in enumerate(prepared):
        where = f"containers[{index}]"
        if not isinstance(container, dict):
            raise OptionError(where, "each container must be a dict in the ECS API form (name, image, portMappings...)")
        for key in ("name", "image"):
            if not container.get(key):
                raise OptionError(f"{where}.{key}", "is required")
        if not re.match(r"^[A-Za-z0-9_-]{1,255}$", container["name"]):
            raise OptionError(f"{where}.name", f"{container['name']!r} is not valid: use 1 to 255 letters, digits, '-' or '_'")
        if container["name"] in names:
            raise OptionError(f"{where}.name", f"container name {container['name']!r} is used twice")
        names.add(container["name"])
        for key in CONTAINER_INTEGERS:
            if container.get(key) is not None:
                container[key] = _as_int(f"{where}.{key}", container[key])
        _check_container_memory(where, container, task_memory)
        _prepare_ports(where, container, network_mode)
        _prepare_health_check(where, container)
        log = container.get("logConfiguration")
        if fargate and log and log.get("logDriver") not in FARGATE_LOG_DRIVERS:
            raise OptionError(
                f"{where}.logConfiguration.logDriver", f"{log.get('logDriver')!r} is not available on Fargate; use one of {', '.join(FARGATE_LOG_DRIVERS)}"
            )
    if not any(container.get("essential", True) for container in prepared):
        raise OptionError("containers", "at least one container must be essential")
    return prepared


def _check_container_memory(where, container, task_memory):
    memory, reservation = container.get("memory"), container.get("memoryReservation")
    if memory is not None and reservation is not None and reservation > memory:
        raise OptionError(f"{where}.memoryReservation", f"{reservation} MiB is more than the container's hard limit memory={memory}")
    if task_memory is not None:
        for key, value in (("memory", memory), ("memoryReservation", reservation)):
            if value is not None and value > int(task_memory):
                raise OptionError(f"{where}.{key}", f"{value} MiB is more than the task's memory ({task_memory} MiB)")
    elif memory is None and reservation is None:
        raise OptionError(where, "without task-level memory, every container needs memory or memoryReservation")


def _prepare_ports(where, container, network_mode):
    seen = set()
    for index, mapping in enumerate(container.get("portMappings") or []):
        path = f"{where}.portMappings[{index}]"
        if "containerPort" not in mapping:
            raise OptionError(f"{path}.containerPort", "is required")
        for key in PORT_INTEGERS:
            if mapping.get(key) is not None:
                mapping[key] = _as_int(f"{path}.{key}", mapping[key])
                check_range(f"{path}.{key}", mapping[key], 0 if key == "hostPort" else 1, 65535)
        if network_mode in ("awsvpc", "host") and mapping.get("hostPort") not in (None, mapping["containerPort"]):
            raise OptionError(
                f"{path}.hostPort", f"must equal containerPort ({mapping['containerPort']}) or be left out with network_mode {network_mode}"
            )
        protocol = mapping.get("protocol", "tcp")
        if protocol not in ("tcp", "udp"):
            raise OptionError(f"{path}.protocol", f"{protocol!r} is not valid; use tcp or udp")
        key = (mapping["containerPort"], protocol)
        if key in seen:
            raise OptionError(f"{path}.containerPort", f"{mapping['containerPort']}/{protocol} is mapped twice")
        seen.add(key)


def _prepare_health_check(where, container):
    check = container.get("healthCheck")
    if not check:
        return
    command = check.get("command")
    if not command or command[0] not in ("CMD", "CMD-SHELL"):
        raise OptionError(f"{where}.healthCheck.command", "must be a list starting with CMD or CMD-SHELL")
    limits = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "startPeriod": (0, 300)}
    for key, (low, high) in limits.items():
        if check.get(key) is not None:
            check[key] = _as_int(f"{where}.healthCheck.{key}", check[key])
            check_range(f"{where}.healthCheck.{key}", check[key], low, high)


def container_ports(definition):
    """``{container name: set of container ports}`` of a described task definition."""
    return {
        container["name"]: {mapping["containerPort"] for mapping in container.get("portMappings", [])}
        for container in definition.get("containerDefinitions", [])
    }


def validate_task_definition(params):
    """Value rules for ``ecs_task_definition`` options; returns the request the module registers.

    Run before any call, so a definition AWS would refuse never reaches it.
    """
    family = params["family"]
    if not re.match(r"^[A-Za-z0-9_-]{1,255}$", family or ""):
        raise OptionError("family", f"{family!r} is not valid: use 1 to 255 letters, digits, '-' or '_'")
    compatibilities = sorted(set(params["requires_compatibilities"] or []))
    fargate = "FARGATE" in compatibilities
    cpu = task_size("cpu", params.get("cpu"), "vcpu", 1024)
    memory = task_size("memory", params.get("memory"), "gb", 1024)
    network_mode = params["network_mode"]
    if fargate:
        if network_mode != "awsvpc":
            raise OptionError("network_mode", f"Fargate tasks need awsvpc, not {network_mode}")
        check_fargate_size(cpu, memory)
    for key in ("execution_role_arn", "task_role_arn"):
        if params.get(key):
            check_arn(key, params[key], "iam", "role/")
    containers = prepare_containers(params["containers"], network_mode, fargate, memory)
    uses_secrets = any(container.get("secrets") for container in containers) or any(
        (container.get("logConfiguration") or {}).get("secretOptions") for container in containers
    )
    uses_awslogs = any((container.get("logConfiguration") or {}).get("logDriver") == "awslogs" for container in containers)
    if (uses_secrets or (fargate and uses_awslogs)) and not params.get("execution_role_arn"):
        raise OptionError("execution_role_arn", "is required: ECS needs it to fetch secrets and to send awslogs for the task")
    storage = params.get("ephemeral_storage_gib")
    if storage is not None:
        if not fargate:
            raise OptionError("ephemeral_storage_gib", "only Fargate tasks take ephemeral storage")
        check_range("ephemeral_storage_gib", storage, 21, 200)

    request = {
        "family": family,
        "containerDefinitions": containers,
        "networkMode": network_mode,
        "requiresCompatibilities": compatibilities,
        "cpu": cpu,
        "memory": memory,
        "taskRoleArn": params.get("task_role_arn"),
        "executionRoleArn": params.get("execution_role_arn"),
        "volumes": copy.deepcopy(params.get("volumes")),
        "ephemeralStorage": {"sizeInGiB": storage} if storage is not None else None,
    }
    platform = params.get("runtime_platform")
    if platform:
        request["runtimePlatform"] = {
            key: value for key, value in (
                ("cpuArchitecture", platform.get("cpu_architecture")), ("operatingSystemFamily", platform.get("operating_system_family"))
            ) if value
        }
    return {key: value for key, value in request.items() if value not in (None, [], {})}


def comparable_task_definition(definition):
    """A task definition (request or description) without what AWS fills in, for comparison."""
    definition = {key: value for key, value in definition.items() if key not in TASK_DEFINITION_READ_ONLY}
    network_mode = definition.get("networkMode", "bridge")
    if definition.get("enableFaultInjection") is False:
        del definition["enableFaultInjection"]
    containers = [_comparable_container(container, network_mode) for container in definition.pop("containerDefinitions", [])]
    comparable = normalise(definition)
    # Containers are normalised on their own: sorting their lists wholesale would lose the
    # order of commands and entry points.
    comparable["containerDefinitions"] = sorted(containers, key=lambda container: container.get("name", ""))
    return comparable


def _comparable_container(container, network_mode):
    container = copy.deepcopy(container)
    for key, default in CONTAINER_DEFAULTS:
        if container.get(key) == default:
            del container[key]
    mappings = []
    for mapping in container.get("portMappings") or []:
        mapping = dict(mapping)
        if mapping.get("protocol") == "tcp":
            del mapping["protocol"]
        if network_mode in ("awsvpc", "host") and mapping.get("hostPort") == mapping.get("containerPort"):
            mapping.pop("hostPort", None)
        mappings.append(mapping)
    container["portMappings"] = mappings
    check = container.get("healthCheck")
    if check:
        for key, default in HEALTH_CHECK_DEFAULTS:
            if check.get(key) == default:
                del check[key]
    restart = container.get("restartPolicy")
    if restart is not None and not restart.get("enabled"):
        del container["restartPolicy"]
    # Command and entry point order is meaningful: keep it while everything else is sorted.
    ordered = {key: list(container[key]) for key in ("command", "entryPoint") if container.get(key)}
    if check and check.get("command"):
        ordered["healthCheck.command"] = list(check["command"])
    result = normalise(container)
    for key, value in ordered.items():
        if key == "healthCheck.command":
            result["healthCheck"]["command"] = value
        else:
            result[key] = value
    return result


def reduced_diff(before, after):
    """Only the parts of two comparable descriptions that differ.

    Lists of named items (containers, environment variables, volumes) are matched by name
    and keep the name, so a changed image shows as ``{containerDefinitions: [{name, image}]}``.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        reduced_before, reduced_after = {}, {}
        for key in sorted(set(before) | set(after)):
            if before.get(key) == after.get(key):
                continue
            if key in before and key in after:
                part_before, part_after = reduced_diff(before[key], after[key])
            else:
                part_before, part_after = before.get(key), after.get(key)
            if part_before is not None:
                reduced_before[key] = part_before
            if part_after is not None:
                reduced_after[key] = part_after
        return reduced_before, reduced_after
    if _named_list(before) and _named_list(after):
        by_name_before = {item["name"]: item for item in before}
        by_name_after = {item["name"]: item for item in after}
        list_before, list_after = [], []
        for name in sorted(set(by_name_before) | set(by_name_after)):
            old, new = by_name_before.get(name), by_name_after.get(name)
            if old == new:
                continue
            if old is not None and new is not None:
                part_before, part_after = reduced_diff(old, new)
                list_before.append(dict(part_before, name=name))
                list_after.append(dict(part_after, name=name))
            elif old is not None:
                list_before.append(old)
            else:
                list_after.append(new)
        return list_before, list_after
    return before, after


def _named_list(value):
    return isinstance(value, list) and all(isinstance(item, dict) and "name" in item for item in value)


def task_definition_view(definition):
    """A described task definition as the module returns it.

    Top-level keys are snake_case like every amazon.aws result; container definitions stay
    in the ECS API form they are declared in, and tags become a dict.
    """
    view = camel_dict_to_snake_dict(definition, ignore_list=["containerDefinitions", "volumes", "tags"])
    view["tags"] = tags_dict(definition.get("tags"))
    return view


def family_of(arn_or_name):
    """``family`` of ``family``, ``family:3`` or a task definition ARN."""
    return arn_or_name.rsplit("/", 1)[-1].split(":", 1)[0]


def revision_of(arn):
    return int(arn.rsplit(":", 1)[-1])


# --- services ----------------------------------------------------------------------------

# Options applied at creation only when named in ``create_only``; releases and autoscaling
# own them afterwards.
CREATE_ONLY_CHOICES = ("desired_count", "task_definition")
CREATE_ONLY_FIELDS = {"desired_count": "desiredCount", "task_definition": "taskDefinition"}
# Service fields the module manages, in the API's spelling, with the option that sets each.
SERVICE_FIELDS = (
    ("taskDefinition", "task_definition"),
    ("desiredCount", "desired_count"),
    ("launchType", "launch_type"),
    ("capacityProviderStrategy", "capacity_provider_strategy"),
    ("platformVersion", "platform_version"),
    ("networkConfiguration", "network_configuration"),
    ("loadBalancers", "load_balancers"),
    ("deploymentConfiguration", "deployment_configuration"),
    ("healthCheckGracePeriodSeconds", "health_check_grace_period_seconds"),
    ("propagateTags", "propagate_tags"),
    ("enableExecuteCommand", "enable_execute_command"),
    ("enableECSManagedTags", "enable_ecs_managed_tags"),
)
# AWS cannot change the launch type of an existing service (only switch to a capacity provider strategy).
CREATE_ONLY_BY_AWS = ("launchType",)
DEPLOYMENT_KEYS = ("maximumPercent", "minimumHealthyPercent", "deploymentCircuitBreaker", "alarms")


def validate_service(params):
    """Value rules for ``ecs_service`` options that need no AWS call."""
    check_name("name", params["name"], "service")
    check_name("cluster", params["cluster"], "cluster")
    if params.get("desired_count") is not None:
        check_range("desired_count", params["desired_count"], 0, 5000)
    # Check-mode placeholders of ids an earlier task would create are accepted (the module
    # refuses them outside check mode) and checked no further.
    if params.get("task_definition") and not is_unknown(params["task_definition"]):
        definition = params["task_definition"]
        if definition.startswith("arn:"):
            check_arn("task_definition", definition, "ecs", "task-definition/")
        elif not re.match(r"^[A-Za-z0-9_-]{1,255}(:\d+)?$", definition):
            raise OptionError("task_definition", f"{definition!r} is neither an ARN, family:revision nor a family name")
    check_strategy("capacity_provider_strategy", params.get("capacity_provider_strategy"))
    network = params.get("network_configuration")
    if network is not None:
        subnets = network.get("subnets") or []
        if not 1 <= len(subnets) <= 16:
            raise OptionError("network_configuration.subnets", "give 1 to 16 subnet ids")
        for index, subnet in enumerate(subnets):
            if not SUBNET_PATTERN.match(subnet) and not is_unknown(subnet):
                raise OptionError(f"network_configuration.subnets[{index}]", f"{subnet!r} is not a subnet id (subnet-...)")
        groups = network.get("security_groups") or []
        if len(groups) > 5:
            raise OptionError("network_configuration.security_groups", "a service takes at most 5 security groups")
        for index, group in enumerate(groups):
            if not SECURITY_GROUP_PATTERN.match(group) and not is_unknown(group):
                raise OptionError(f"network_configuration.security_groups[{index}]", f"{group!r} is not a security group id (sg-...)")
    _validate_load_balancers(params.get("load_balancers"), params.get("health_check_grace_period_seconds"))
    _validate_deployment(params.get("deployment_configuration"))
    if params.get("health_check_grace_period_seconds") is not None:
        check_range("health_check_grace_period_seconds", params["health_check_grace_period_seconds"], 0, 2147483647)


def _validate_load_balancers(load_balancers, grace):
    if load_balancers is None:
        return
    if len(load_balancers) > 5:
        raise OptionError("load_balancers", "a service attaches to at most 5 target groups")
    seen = set()
    for index, entry in enumerate(load_balancers):
        if not is_unknown(entry["target_group_arn"]):
            check_arn(f"load_balancers[{index}].target_group_arn", entry["target_group_arn"], "elasticloadbalancing", "targetgroup/")
        check_range(f"load_balancers[{index}].container_port", entry["container_port"], 1, 65535)
        if entry["target_group_arn"] in seen:
            raise OptionError(f"load_balancers[{index}].target_group_arn", "each target group may be attached only once")
        seen.add(entry["target_group_arn"])
    if grace and not load_balancers:
        raise OptionError("health_check_grace_period_seconds", "only applies to services behind a load balancer; give load_balancers or leave it out")


def _validate_deployment(deployment):
    if not deployment:
        return
    low, high = deployment.get("minimum_healthy_percent"), deployment.get("maximum_percent")
    check_range("deployment_configuration.minimum_healthy_percent", low, 0, 100)
    if high is not None and high < 100:
        raise OptionError("deployment_configuration.maximum_percent", f"{high} is too low; a rolling deployment needs at least 100")
    if low is not None and high is not None and high <= low:
        raise OptionError(
            "deployment_configuration.maximum_percent",
            f"{high} must be greater than minimum_healthy_percent ({low}), or a deployment can neither stop an old task nor start a new one",
        )
    alarms = deployment.get("alarms")
    if alarms and alarms.get("enable") and not alarms.get("alarm_names"):
        raise OptionError("deployment_configuration.alarms.alarm_names", "name at least one alarm, or set enable: false")


def _deployment_request(deployment):
    request = {}
    if deployment.get("maximum_percent") is not None:
        request["maximumPercent"] = deployment["maximum_percent"]
    if deployment.get("minimum_healthy_percent") is not None:
        request["minimumHealthyPercent"] = deployment["minimum_healthy_percent"]
    breaker = deployment.get("deployment_circuit_breaker")
    if breaker is not None:
        request["deploymentCircuitBreaker"] = {"enable": breaker["enable"], "rollback": breaker["rollback"]}
    alarms = deployment.get("alarms")
    if alarms is not None:
        request["alarms"] = {"alarmNames": sorted(alarms.get("alarm_names") or []), "enable": alarms["enable"], "rollback": alarms["rollback"]}
    return request


def desired_service(params):
    """Service fields the options pin down, in the API's shape; options left out are absent."""
    desired = {}
    if params.get("task_definition"):
        desired["taskDefinition"] = params["task_definition"]
    for field, option in (
        ("desiredCount", "desired_count"), ("launchType", "launch_type"), ("platformVersion", "platform_version"),
        ("healthCheckGracePeriodSeconds", "health_check_grace_period_seconds"), ("propagateTags", "propagate_tags"),
        ("enableExecuteCommand", "enable_execute_command"), ("enableECSManagedTags", "enable_ecs_managed_tags"),
    ):
        if params.get(option) is not None:
            desired[field] = params[option]
    if params.get("capacity_provider_strategy") is not None:
        desired["capacityProviderStrategy"] = comparable_strategy(strategy_request(params["capacity_provider_strategy"]))
    network = params.get("network_configuration")
    if network is not None:
        desired["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": sorted(network["subnets"]),
                "securityGroups": sorted(network.get("security_groups") or []),
                "assignPublicIp": network["assign_public_ip"],
            }
        }
    if params.get("load_balancers") is not None:
        desired["loadBalancers"] = _comparable_load_balancers(
            [
                {"targetGroupArn": entry["target_group_arn"], "containerName": entry["container_name"], "containerPort": entry["container_port"]}
                for entry in params["load_balancers"]
            ]
        )
    if params.get("deployment_configuration") is not None:
        desired["deploymentConfiguration"] = _deployment_request(params["deployment_configuration"])
    return desired


def _comparable_load_balancers(entries):
    fields = ("targetGroupArn", "containerName", "containerPort")
    return sorted(
        ({key: entry.get(key) for key in fields if entry.get(key) is not None} for entry in entries or []),
        key=lambda entry: (entry.get("targetGroupArn", ""), entry.get("containerName", ""), entry.get("containerPort", 0)),
    )


def current_service(service):
    """The managed fields of a described service, in the shape of :func:`desired_service`."""
    current = {field: service.get(field) for field, _option in SERVICE_FIELDS if service.get(field) is not None}
    if "capacityProviderStrategy" in current:
        current["capacityProviderStrategy"] = comparable_strategy(current["capacityProviderStrategy"])
    network = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration")
    if network:
        current["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": sorted(network.get("subnets", [])),
                "securityGroups": sorted(network.get("securityGroups", [])),
                "assignPublicIp": network.get("assignPublicIp", "DISABLED"),
            }
        }
    else:
        current.pop("networkConfiguration", None)
    current["loadBalancers"] = _comparable_load_balancers(service.get("loadBalancers"))
    deployment = service.get("deploymentConfiguration")
    if deployment:
        # Only the keys this module manages; newer ones (strategy, bake time...) are AWS's to keep.
        current["deploymentConfiguration"] = {key: copy.deepcopy(deployment[key]) for key in DEPLOYMENT_KEYS if key in deployment}
        alarms = current["deploymentConfiguration"].get("alarms")
        if alarms is not None:
            alarms["alarmNames"] = sorted(alarms.get("alarmNames") or [])
    return current


def contains(current, desired):
    """Whether ``current`` already holds everything ``desired`` states (extra keys in ``current`` are fine)."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return False
        return all(contains(current.get(key), value) for key, value in desired.items())
    return current == desired


def service_changes(desired, current):
    """``{field: value to send}`` for every desired field ``current`` does not already hold.

    A deployment configuration is sent whole (current values overlaid with the desired ones),
    so a partial option never resets what it does not mention.
    """
    changes = {}
    for field, value in desired.items():
        if contains(current.get(field), value):
            continue
        if field == "deploymentConfiguration":
            merged = copy.deepcopy(current.get(field) or {})
            for key, part in value.items():
                if isinstance(part, dict):
                    merged[key] = dict(merged.get(key) or {}, **part)
                else:
                    merged[key] = part
            changes[field] = merged
        else:
            changes[field] = value
    return changes


def service_after(current, changes):
    """The managed fields once ``changes`` are applied."""
    after = copy.deepcopy(current)
    after.update(copy.deepcopy(changes))
    return after


def service_view(fields, tags):
    """Managed fields as results and diffs show them: snake_case, tags as a dict."""
    view = camel_dict_to_snake_dict(fields)
    network = view.pop("network_configuration", None)
    if network:
        view["network_configuration"] = network["awsvpc_configuration"]
    view["tags"] = dict(tags or {})
    return view


def create_service_request(cluster, name, desired, tags):
    request = {"cluster": cluster, "serviceName": name, "schedulingStrategy": "REPLICA"}
    request.update(copy.deepcopy(desired))
    if tags:
        request["tags"] = [{"key": key, "value": str(value)} for key, value in sorted(tags.items())]
    return request


def update_service_request(cluster, name, changes, current):
    """An UpdateService request carrying ``changes``.

    Moving from a launch type to a capacity provider strategy needs a new deployment, which
    AWS only starts when asked to.
    """
    request = {"cluster": cluster, "service": name}
    request.update(copy.deepcopy(changes))
    if "capacityProviderStrategy" in changes and current.get("launchType"):
        request["forceNewDeployment"] = True
    return request


def check_load_balancer_targets(load_balancers, definition, target_groups, network_mode):
    """Each attachment must name a container and port the task definition maps, on a fitting target group.

    AWS refuses a container or port the task definition does not map, and an awsvpc
    service on a target group of type instance; the emulator accepts both. A container port
    other than the target group's own port is refused too: the target group's health check
    and the listener rules are built around that port.
    """
    ports = container_ports(definition)
    groups = {group["TargetGroupArn"]: group for group in target_groups}
    for index, entry in enumerate(load_balancers):
        where = f"load_balancers[{index}]"
        name, port = entry["container_name"], entry["container_port"]
        if name not in ports:
            raise OptionError(
                f"{where}.container_name", f"{name!r} is not a container of {definition.get('taskDefinitionArn')} (it has {', '.join(sorted(ports))})"
            )
        if port not in ports[name]:
            mapped = ", ".join(str(value) for value in sorted(ports[name])) or "none"
            raise OptionError(f"{where}.container_port", f"container {name!r} does not map port {port} (it maps {mapped})")
        group = groups.get(entry["target_group_arn"])
        if group is None:
            raise OptionError(f"{where}.target_group_arn", f"target group {entry['target_group_arn']} does not exist")
        if network_mode == "awsvpc" and group.get("TargetType") != "ip":
            raise OptionError(
                f"{where}.target_group_arn", f"target group {group.get('TargetGroupName')} has target type {group.get('TargetType')}; awsvpc tasks need type ip"
            )
        if group.get("Port") is not None and group["Port"] != port:
            raise OptionError(
                f"{where}.container_port", f"{port} is not the port of target group {group.get('TargetGroupName')} ({group['Port']}); use {group['Port']}"
            )


def primary_deployment(service):
    """The PRIMARY deployment of a described service, or None."""
    for deployment in (service or {}).get("deployments", []):
        if deployment.get("status") == "PRIMARY":
            return deployment
    return None


def service_summary(service):
    """A described service as results show it: snake_case, tags as a dict, the rollout state on top."""
    view = camel_dict_to_snake_dict({key: value for key, value in service.items() if key not in ("tags", "events")})
    view["tags"] = tags_dict(service.get("tags"))
    primary = primary_deployment(service)
    view["rollout_state"] = primary.get("rolloutState") if primary else None
    view["rollout_state_reason"] = primary.get("rolloutStateReason") if primary else None
    return view

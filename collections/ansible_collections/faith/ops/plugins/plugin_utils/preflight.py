# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The value rules of the whole stack, checked together before a playbook writes anything.

Each role validates its own inputs when it runs, but by then the roles before it have
already written: a load balancer name that is too long would fail only after the network
exists. These checks see every role's variables at once (defaults, inventory, extra vars)
and the names derived from them, and report every problem in one go. Every finding names
the variable the user sets, never a module option.

Pure functions: the action plugin ``faith.ops.preflight`` gathers the values.
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass

try:
    import zoneinfo
except ImportError:  # pragma: no cover - Python < 3.9 controllers are not supported
    zoneinfo = None

PORT_RANGE = (1, 65535)
# What faith.ops.resource_name accepts for faith_app_name and faith_env.
NAME_PART = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$")
ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|):(?P<resource>.+)$")
# CPU units => memory (MiB) Fargate accepts with them: (low, high, step), or an explicit list.
FARGATE_SIZES = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
# ECS caps a service at 5000 tasks.
MAX_TASKS = 5000


@dataclass(frozen=True)
class Finding:
    """One problem: the variable to change and what would be valid."""

    variable: str
    message: str

    def __str__(self):
        if self.message.startswith(f"{self.variable}="):
            return self.message
        return f"{self.variable}: {self.message}"


@dataclass(frozen=True)
class NameRule:
    """A resource name derived from faith_app_name and faith_env, and AWS's rule for it."""

    variable: str
    resource: str
    max_length: int
    pattern: str = r"^[A-Za-z0-9-]+$"
    min_length: int = 1
    allowed: str = "letters, digits and '-'"


# The names the stack derives (role vars/main.yml), with AWS's limits. Target group names are
# the prefix plus '-<colour>', checked separately.
NAME_RULES = (
    NameRule("edge_alb_name", "load balancer", 32, r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$"),
    NameRule("edge_alb_security_group_name", "load balancer security group", 255, r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$"),
    NameRule("edge_task_security_group_name", "task security group", 255, r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$"),
    NameRule("edge_web_acl_name", "web ACL", 128, r"^[\w-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("backup_plan_name", "backup plan", 50, r"^[A-Za-z0-9._-]+$", allowed="letters, digits, '-', '_' and '.'"),
    NameRule("backup_vault_name", "backup vault", 50, r"^[A-Za-z0-9_-]+$", 2, "letters, digits, '-' and '_'"),
    NameRule("backup_dr_vault_name", "DR backup vault", 50, r"^[A-Za-z0-9_-]+$", 2, "letters, digits, '-' and '_'"),
    NameRule("backup_role_name", "backup IAM role", 64, r"^[\w+=,.@-]+$", allowed="letters, digits and +=,.@_-"),
    NameRule("compute_cluster_name", "ECS cluster", 255, r"^[A-Za-z0-9_-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("compute_family", "task definition family", 255, r"^[A-Za-z0-9_-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("compute_log_group_name", "log group", 512, r"^[\w#/.-]+$", allowed="letters, digits and _-/.#"),
    NameRule("compute_secret_name", "configuration secret", 512, r"^[\w/+=.@-]+$", allowed="letters, digits and /_+=.@-"),
    NameRule("compute_execution_role_name", "task execution IAM role", 64, r"^[\w+=,.@-]+$", allowed="letters, digits and +=,.@_-"),
    NameRule("compute_task_role_name", "task IAM role", 64, r"^[\w+=,.@-]+$", allowed="letters, digits and +=,.@_-"),
    NameRule("data_prayer_queue_name", "prayer request queue", 80, r"^[\w-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("data_prayer_dlq_name", "prayer request dead-letter queue", 80, r"^[\w-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("observability_topic_name", "alarm topic", 256, r"^[\w-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule("observability_dashboard_name", "dashboard", 255, r"^[\w-]+$", allowed="letters, digits, '-' and '_'"),
    NameRule(
        "cache_name", "cache replication group", 40, r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
        allowed="lowercase letters, digits and single '-', starting with a letter",
    ),
    NameRule("cache_security_group_name", "cache security group", 255, r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$"),
    NameRule("cache_secret_name", "cache secret", 512, r"^[\w/+=.@-]+$", allowed="letters, digits and /_+=.@-"),
    NameRule(
        "network_log_bucket", "log archive bucket (account id shown as 000000000000)", 63, r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$", 3,
        "lowercase letters, digits, '.' and '-'",
    ),
)
# The longest alarm name the default set appends to the set prefix ('<set>-green-unhealthy-hosts').
LONGEST_ALARM_SUFFIX = "-green-dynamodb-system-errors"
TABLE_NAME = NameRule("data_table_names", "DynamoDB table", 255, r"^[A-Za-z0-9_.-]+$", 3, "letters, digits, '_', '-' and '.'")
TARGET_GROUP = NameRule("edge_target_group_prefix", "target group", 32, r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
SERVICE_NAME = NameRule("compute_colours", "ECS service", 255, r"^[A-Za-z0-9_-]+$", allowed="letters, digits, '-' and '_'")


class Checker:
    """Collects findings; ``values`` holds every variable, typed by the roles' argument specs."""

    def __init__(self, values, user_set=()):
        self.values = values
        self.user_set = set(user_set)
        self.findings = []

    def add(self, variable, message):
        finding = Finding(variable, message)
        if finding not in self.findings:
            self.findings.append(finding)

    def has(self, variable):
        return self.values.get(variable) is not None

    # --- generic rules -------------------------------------------------------------------

    def number(self, variable, low=None, high=None, unit="", allow=(), integer=True):
        """A finite number within [low, high] (or one of ``allow``); False when it is not."""
        if not self.has(variable):
            return False
        value = self.values[variable]
        shown = f"{variable}={value!r}"
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.add(variable, f"{shown} is not a number")
            return False
        if not math.isfinite(number):
            self.add(variable, f"{shown} is not a finite number")
            return False
        if integer and number != int(number):
            self.add(variable, f"{shown} is not a whole number")
            return False
        if number in allow:
            return True
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = _range_text(low, high, unit)
            also = f" (or {' or '.join(str(item) for item in allow)})" if allow else ""
            self.add(variable, f"{shown} is out of range; use {bounds}{also}")
            return False
        return True

    def port(self, variable):
        return self.number(variable, *PORT_RANGE)

    def cidrs(self, variable, version=None):
        """Each element of a CIDR list (or a single CIDR) is a network address; returns the networks."""
        value = self.values.get(variable)
        if value in (None, "", []):
            return []
        items = value if isinstance(value, list) else [value]
        networks = []
        for index, item in enumerate(items):
            where = f"{variable}[{index}]" if isinstance(value, list) else variable
            network = self._network(where, item, version)
            if network is not None:
                networks.append(network)
        return networks

    def _network(self, where, item, version):
        text = str(item)
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            self.add(where, f"{item!r} is not a CIDR block such as 10.0.0.0/16")
            return None
        if "/" not in text:
            self.add(where, f"{item!r} has no prefix length; write it as {network}")
            return None
        try:
            ipaddress.ip_network(text)
        except ValueError:
            self.add(where, f"{item!r} has host bits set; the network is {network}")
            return None
        if version and network.version != version:
            self.add(where, f"{item!r} is not an IPv{version} CIDR block")
            return None
        return network

    def positive(self, variable, high=None, unit=""):
        """A finite number above 0 (and at most ``high``)."""
        if not self.number(variable, None, high, unit, integer=False):
            return False
        if float(self.values[variable]) <= 0:
            limit = f" and at most {_fmt(high)}{' ' + unit if unit else ''}" if high is not None else ""
            self.add(variable, f"{self.values[variable]!r} must be greater than 0{limit}")
            return False
        return True

    def arn(self, variable, service, resource_prefix=""):
        values = self.values.get(variable)
        if values in (None, "", []):
            return
        items = values if isinstance(values, list) else [values]
        for index, item in enumerate(items):
            where = f"{variable}[{index}]" if isinstance(values, list) else variable
            match = ARN.match(str(item))
            services = service if isinstance(service, tuple) else (service,)
            if not match or match.group("service") not in services or not match.group("resource").startswith(resource_prefix):
                example = f"arn:aws:{services[0]}:<region>:<account>:{resource_prefix}..."
                kind = f"{' or '.join(services)} {resource_prefix.rstrip(':/') or 'resource'}"
                article = "an" if kind[0] in "aeiou" else "a"
                self.add(where, f"{item!r} is not the ARN of {article} {kind} ({example})")

    def region(self, variable):
        value = self.values.get(variable)
        if value is None:
            return
        if not REGION.match(str(value)):
            self.add(variable, f"{value!r} is not an AWS region name such as us-east-1")

    # --- names -----------------------------------------------------------------------------

    def name(self, rule, name, suffix=""):
        """A derived name within AWS's rule; the finding names what the user set to make it."""
        full = f"{name}{suffix}"
        if rule.min_length <= len(full) <= rule.max_length and re.match(rule.pattern, full):
            return
        variable, advice = self._name_source(rule.variable, full, rule.max_length)
        if len(full) > rule.max_length:
            self.add(variable, f"makes the {rule.resource} name {full!r} {len(full)} characters long; AWS allows {rule.max_length}{advice}")
        elif len(full) < rule.min_length:
            self.add(variable, f"makes the {rule.resource} name {full!r} too short; AWS needs at least {rule.min_length} characters")
        else:
            self.add(variable, f"makes the {rule.resource} name {full!r}, which AWS rejects; use {rule.allowed}")

    def _name_source(self, derived_variable, full, max_length):
        """The variable behind a derived name: the override if the user set one, else faith_env."""
        if derived_variable in self.user_set:
            return derived_variable, ""
        env = str(self.values.get("faith_env") or "")
        app = str(self.values.get("faith_app_name") or "")
        spare = max_length - (len(full) - len(env))
        # The environment is what differs between inventories; the message shows both parts.
        shown = f"faith_env={env!r} with faith_app_name={app!r}"
        if spare > 0:
            return "faith_env", f" ({shown}: faith_env may have at most {spare} characters with this faith_app_name)"
        return "faith_env", f" ({shown}: shorten faith_app_name)"


def _range_text(low, high, unit):
    unit = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{_fmt(low)} to {_fmt(high)}{unit}"
    if low is not None:
        return f"at least {_fmt(low)}{unit}"
    return f"at most {_fmt(high)}{unit}"


def _fmt(number):
    return str(int(number)) if float(number).is_integer() else str(number)


# --- per concern ---------------------------------------------------------------------------


def check_environment(checker):
    values = checker.values
    for variable in ("faith_env", "faith_app_name"):
        value = values.get(variable)
        if value is None:
            continue
        if not NAME_PART.match(str(value)):
            checker.add(variable, f"{value!r} is not usable in resource names; use lowercase letters, digits and '-', starting with a letter or digit")
    checker.region("faith_primary_region")
    checker.region("faith_dr_region")
    endpoint = values.get("faith_aws_endpoint_url")
    if endpoint and not re.match(r"^https?://[^\s/]+(/\S*)?$", str(endpoint)):
        checker.add("faith_aws_endpoint_url", f"{endpoint!r} is not an http(s) URL")


def check_names(checker):
    values = checker.values
    if any(finding.variable in ("faith_env", "faith_app_name") for finding in checker.findings):
        # The derived names are meaningless until the parts themselves are valid.
        return
    for rule in NAME_RULES:
        if isinstance(values.get(rule.variable), str):
            checker.name(rule, values[rule.variable])
    prefix = values.get("edge_target_group_prefix")
    if isinstance(prefix, str):
        for colour in values.get("compute_colours") or ["blue", "green"]:
            checker.name(TARGET_GROUP, prefix, f"-{colour}")
    services = values.get("compute_service_names")
    if isinstance(services, dict):
        for name in services.values():
            checker.name(SERVICE_NAME, str(name))
    tables = values.get("data_table_names")
    if isinstance(tables, dict):
        for name in tables.values():
            checker.name(TABLE_NAME, str(name))
    alarm_set = values.get("observability_alarm_set")
    if isinstance(alarm_set, str):
        checker.name(NameRule("observability_alarm_set", "alarm", 255, r"^.+$"), alarm_set, LONGEST_ALARM_SUFFIX)


def check_network(checker):
    values = checker.values
    checker.number("network_log_retention_days", 1, None, "days")
    prefix = values.get("network_access_log_prefix")
    if prefix and (str(prefix).startswith("/") or str(prefix).endswith("/") or "AWSLogs" in str(prefix)):
        checker.add("network_access_log_prefix", f"{prefix!r} must not start or end with '/' nor contain 'AWSLogs'")
    vpcs = checker.cidrs("network_vpc_cidr", version=4)
    vpc = vpcs[0] if vpcs else None
    if vpc is not None and not 16 <= vpc.prefixlen <= 28:
        checker.add("network_vpc_cidr", f"{values['network_vpc_cidr']} is a /{vpc.prefixlen}; a VPC's CIDR must be /16 to /28")
        vpc = None
    az_ok = checker.number("network_az_count", 1, 6)
    prefix_ok = checker.number("network_subnet_prefix_length", 16, 28)
    if vpc is not None and prefix_ok and az_ok and not values.get("network_public_subnets"):
        length = int(values["network_subnet_prefix_length"])
        needed = 2 * int(values["network_az_count"])
        if length < vpc.prefixlen:
            checker.add("network_subnet_prefix_length", f"/{length} is larger than the VPC ({vpc}); use /{vpc.prefixlen} to /28")
        elif 2 ** (length - vpc.prefixlen) < needed:
            checker.add(
                "network_subnet_prefix_length",
                f"{vpc} holds {2 ** (length - vpc.prefixlen)} subnets of /{length}; {needed} are needed (public and private in "
                f"{values['network_az_count']} zones): use a longer prefix or a larger network_vpc_cidr",
            )
    explicit = []
    for variable in ("network_public_subnets", "network_private_subnets"):
        subnets = checker.cidrs(variable, version=4)
        given = values.get(variable) or []
        if given and az_ok and len(given) != int(values["network_az_count"]):
            checker.add(variable, f"{len(given)} subnets given; give one per zone (network_az_count={values['network_az_count']})")
        for index, subnet in enumerate(subnets):
            where = f"{variable}[{index}]"
            if not 16 <= subnet.prefixlen <= 28:
                checker.add(where, f"{subnet} is a /{subnet.prefixlen}; a subnet must be /16 to /28")
            if vpc is not None and not subnet.subnet_of(vpc):
                checker.add(where, f"{subnet} is not inside network_vpc_cidr {vpc}")
            explicit.append((where, subnet))
    for position, (where, subnet) in enumerate(explicit):
        for other_where, other in explicit[:position]:
            if subnet.overlaps(other):
                checker.add(where, f"{subnet} overlaps {other_where} ({other}); subnets may not overlap")
    zones = values.get("network_availability_zones") or []
    region = values.get("faith_primary_region")
    for index, zone in enumerate(zones):
        # Zone names are the region's name and a letter; whether the zone exists, the network
        # role's module reads from the region.
        if region and not re.match(rf"^{re.escape(str(region))}[a-z]$", str(zone)):
            checker.add(f"network_availability_zones[{index}]", f"{zone!r} is not a zone of faith_primary_region {region} ({region}a, {region}b, ...)")


def check_edge(checker):
    values = checker.values
    ports = {}
    for variable in ("edge_listener_port", "edge_test_listener_port") + (("edge_https_port",) if values.get("edge_certificate_arn") else ()):
        if checker.port(variable):
            port = int(values[variable])
            if port in ports:
                checker.add(variable, f"{port} is also {ports[port]}; each listener needs its own port")
            ports.setdefault(port, variable)
    if not values.get("edge_certificate_arn"):
        checker.port("edge_https_port")
    app_ok = checker.port("edge_app_port")
    container_ok = checker.port("compute_container_port")
    if app_ok and container_ok and int(values["edge_app_port"]) != int(values["compute_container_port"]):
        checker.add(
            "edge_app_port",
            f"{values['edge_app_port']} differs from compute_container_port={values['compute_container_port']}; the target groups "
            "and the task security group must send traffic to the port the container listens on",
        )
    for variable in ("edge_ingress_cidrs", "edge_test_listener_cidrs"):
        checker.cidrs(variable)
    checker.cidrs("edge_waf_ip_block_list", version=4)
    checker.number("edge_health_check_interval", 5, 300, "seconds")
    checker.number("edge_health_check_healthy_threshold", 2, 10)
    checker.number("edge_health_check_unhealthy_threshold", 2, 10)
    checker.number("edge_deregistration_delay", 0, 3600, "seconds")
    checker.number("edge_idle_timeout", 1, 4000, "seconds")
    checker.number("edge_wait_timeout", 1, None, "seconds")
    checker.number("edge_waf_rate_limit", 10, 2000000000, allow=(0,))
    path = values.get("edge_health_check_path")
    if path is not None and (not str(path).startswith("/") or len(str(path)) > 1024):
        checker.add("edge_health_check_path", f"{path!r} must start with '/' and have at most 1024 characters")
    checker.arn("edge_certificate_arn", ("acm", "iam"), "")
    waf_log = values.get("edge_waf_log_destination_arn")
    if waf_log:
        checker.arn("edge_waf_log_destination_arn", ("logs", "firehose", "s3"))
        if "aws-waf-logs-" not in str(waf_log):
            checker.add("edge_waf_log_destination_arn", f"{waf_log!r} must name a destination starting with aws-waf-logs-")
    bucket = values.get("edge_access_logs_bucket")
    if bucket and not re.match(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", str(bucket)):
        checker.add("edge_access_logs_bucket", f"{bucket!r} is not an S3 bucket name (3 to 63 lowercase letters, digits, '.' and '-')")


def check_compute(checker):
    values = checker.values
    cpu_ok = checker.number("compute_cpu", 256, 16384)
    memory_ok = checker.number("compute_memory", 512, 122880, "MiB")
    if cpu_ok and memory_ok:
        cpu, memory = int(values["compute_cpu"]), int(values["compute_memory"])
        if cpu not in FARGATE_SIZES:
            checker.add("compute_cpu", f"{cpu} is not a Fargate size; use one of {', '.join(str(size) for size in FARGATE_SIZES)}")
        elif memory not in FARGATE_SIZES[cpu]:
            sizes = FARGATE_SIZES[cpu]
            choices = ", ".join(str(size) for size in sizes) if len(sizes) <= 4 else f"{sizes[0]} to {sizes[-1]} in steps of {sizes[1] - sizes[0]}"
            checker.add("compute_memory", f"{memory} MiB does not fit compute_cpu={cpu} on Fargate; use {choices} MiB")
        if checker.number("compute_container_memory_reservation", 6, None, "MiB") and int(values["compute_container_memory_reservation"]) > memory:
            checker.add(
                "compute_container_memory_reservation",
                f"{values['compute_container_memory_reservation']} MiB is more than compute_memory={memory} MiB",
            )
    low_ok = checker.number("compute_min_capacity", 0, MAX_TASKS)
    high_ok = checker.number("compute_max_capacity", 0, MAX_TASKS)
    if low_ok and high_ok and int(values["compute_min_capacity"]) > int(values["compute_max_capacity"]):
        checker.add("compute_min_capacity", f"{values['compute_min_capacity']} is greater than compute_max_capacity={values['compute_max_capacity']}")
    checker.number("compute_desired_count", 0, MAX_TASKS)
    checker.number("compute_idle_desired_count", 0, MAX_TASKS)
    checker.positive("compute_cpu_target", 100, "percent")
    checker.positive("compute_requests_per_target")
    for variable in ("compute_scale_in_cooldown", "compute_scale_out_cooldown"):
        checker.number(variable, 0, 86400, "seconds")
    checker.number("compute_deployment_maximum_percent", 100, 200, "percent")
    checker.number("compute_deployment_minimum_healthy_percent", 0, 100, "percent")
    checker.number("compute_health_check_grace_period", 0, 2147483647, "seconds")
    checker.number("compute_health_check_interval", 5, 300, "seconds")
    checker.number("compute_health_check_timeout", 2, 120, "seconds")
    checker.number("compute_health_check_retries", 1, 10)
    checker.number("compute_health_check_start_period", 0, 300, "seconds")
    if (
        values.get("compute_health_check_interval") is not None and values.get("compute_health_check_timeout") is not None
        and checker.number("compute_health_check_timeout", 2, 120) and checker.number("compute_health_check_interval", 5, 300)
        and int(values["compute_health_check_timeout"]) >= int(values["compute_health_check_interval"])
    ):
        checker.add("compute_health_check_timeout", f"{values['compute_health_check_timeout']} s must be shorter than compute_health_check_interval")
    checker.number("compute_task_definition_keep", 1, 1000)
    checker.number("compute_secret_recovery_days", 7, 30, "days", allow=(0,))
    checker.number("compute_wait_timeout", 1, None, "seconds")
    retention = values.get("compute_log_retention_days")
    if retention is not None and checker.number("compute_log_retention_days") and int(retention) not in LOG_RETENTION_DAYS:
        checker.add("compute_log_retention_days", f"{retention} is not a CloudWatch retention; use one of {', '.join(map(str, LOG_RETENTION_DAYS))}")
    colours = values.get("compute_colours")
    if colours is not None:
        if not colours or not set(colours) <= {"blue", "green"} or len(set(colours)) != len(colours):
            checker.add("compute_colours", f"{colours!r} must list blue and/or green, each once")
        elif values.get("compute_initial_active_colour") not in colours:
            checker.add("compute_initial_active_colour", f"{values.get('compute_initial_active_colour')!r} is not one of compute_colours {colours}")
    owned = values.get("compute_release_owned")
    allowed_owned = {"image", "task_definition", "desired_count", "capacity"}
    if owned is not None and not set(owned) <= allowed_owned:
        checker.add("compute_release_owned", f"{sorted(set(owned) - allowed_owned)} not understood; use any of {', '.join(sorted(allowed_owned))}")
    for variable in ("compute_container_name",):
        name = values.get(variable)
        if name is not None and not re.match(r"^[A-Za-z0-9_-]{1,255}$", str(name)):
            checker.add(variable, f"{name!r} must be 1 to 255 letters, digits, '-' or '_'")
    checker.arn("compute_bedrock_model_arns", "bedrock")
    providers = values.get("compute_capacity_providers") or []
    for index, item in enumerate(values.get("compute_capacity_provider_strategy") or []):
        where = f"compute_capacity_provider_strategy[{index}]"
        if not isinstance(item, dict):
            checker.add(where, "must be a mapping with capacity_provider, base and weight")
            continue
        if item.get("capacity_provider") not in providers:
            checker.add(f"{where}.capacity_provider", f"{item.get('capacity_provider')!r} is not in compute_capacity_providers {providers}")
        for key, high in (("weight", 1000), ("base", 100000)):
            checker.values.setdefault(f"{where}.{key}", item.get(key))
            checker.number(f"{where}.{key}", 0, high)


def check_cache(checker):
    values = checker.values
    checker.port("cache_port")
    checker.number("cache_num_cache_clusters", 1, 6)
    checker.number("cache_snapshot_retention_days", 0, 35, "days")
    checker.number("cache_secret_recovery_days", 7, 30, "days", allow=(0,))
    checker.number("cache_wait_timeout", 1, None, "seconds")
    clusters = values.get("cache_num_cache_clusters")
    if values.get("cache_automatic_failover") and clusters is not None and checker.number("cache_num_cache_clusters", 1, 6) and int(clusters) < 2:
        checker.add("cache_num_cache_clusters", f"{clusters} node(s): automatic failover (cache_automatic_failover) needs at least 2")
    node_type = values.get("cache_node_type")
    if node_type is not None and not re.match(r"^cache\.[a-z0-9]+\.[a-z0-9]+$", str(node_type)):
        checker.add("cache_node_type", f"{node_type!r} is not an ElastiCache node type such as cache.t4g.micro")


def check_data(checker):
    values = checker.values
    checker.number("data_prayer_queue_visibility_timeout", 0, 43200, "seconds")
    checker.number("data_prayer_queue_retention_seconds", 60, 1209600, "seconds")
    checker.number("data_prayer_dlq_retention_seconds", 60, 1209600, "seconds")
    checker.number("data_prayer_queue_max_receive_count", 1, 1000)
    checker.number("data_prayer_queue_receive_wait_seconds", 0, 20, "seconds")
    checker.number("data_wait_timeout", 1, None, "seconds")
    encryption = values.get("data_encryption")
    if encryption == "customer_managed" and not values.get("data_kms_key_arn"):
        checker.add("data_kms_key_arn", "data_encryption=customer_managed needs the ARN of a KMS key")
    elif values.get("data_kms_key_arn") and encryption != "customer_managed":
        checker.add("data_kms_key_arn", f"is only used with data_encryption=customer_managed (not {encryption})")
    checker.arn("data_kms_key_arn", "kms", "key/")
    for index, region in enumerate(values.get("data_replica_regions") or []):
        if not REGION.match(str(region)):
            checker.add(f"data_replica_regions[{index}]", f"{region!r} is not an AWS region name such as us-west-2")
        elif region == values.get("faith_primary_region"):
            checker.add(f"data_replica_regions[{index}]", f"{region} is faith_primary_region; a replica must be in another region")
    tables = values.get("data_tables")
    if tables is not None and (not isinstance(tables, dict) or not tables):
        checker.add("data_tables", "must map at least one logical table name to its options")


def check_observability(checker):
    values = checker.values
    period = values.get("observability_alarm_period")
    if checker.number("observability_alarm_period", 10, 86400, "seconds") and int(period) not in (10, 30) and int(period) % 60:
        checker.add("observability_alarm_period", f"{period} s is not an alarm period; use 10, 30 or a multiple of 60")
    periods_ok = checker.number("observability_alarm_evaluation_periods", 1, 100)
    datapoints_ok = checker.number("observability_alarm_datapoints", 1, 100)
    periods = int(values["observability_alarm_evaluation_periods"]) if periods_ok else None
    if periods and period is not None and checker.number("observability_alarm_period") and int(period) * periods > 86400:
        checker.add("observability_alarm_evaluation_periods", "times observability_alarm_period may cover at most one day (86400 s)")
    if periods and datapoints_ok and int(values["observability_alarm_datapoints"]) > periods:
        checker.add(
            "observability_alarm_datapoints",
            f"{values['observability_alarm_datapoints']} is more than observability_alarm_evaluation_periods={periods}",
        )
    checker.number("observability_5xx_rate_threshold", 0, 100, "percent", integer=False)
    for variable in (
        "observability_latency_p95_threshold", "observability_unhealthy_hosts_threshold", "observability_missing_tasks_threshold",
        "observability_dynamodb_throttle_threshold", "observability_dynamodb_system_error_threshold",
    ):
        checker.number(variable, 0, None, integer=False)
    checker.positive("observability_waf_band_width")
    waf_period = values.get("observability_waf_period")
    if checker.number("observability_waf_period", 60, 86400, "seconds") and int(waf_period) % 60:
        checker.add("observability_waf_period", f"{waf_period} s is not a multiple of 60")
    dashboard_period = values.get("observability_dashboard_period")
    if checker.number("observability_dashboard_period", 60, None, "seconds") and int(dashboard_period) % 60:
        checker.add("observability_dashboard_period", f"{dashboard_period} s is not a multiple of 60")
    operations = values.get("observability_dynamodb_operations")
    if operations is not None and not 1 <= len(operations) <= 9:
        checker.add("observability_dynamodb_operations", f"{len(operations)} operations given; use 1 to 9 (an alarm holds 10 queries)")
    for index, address in enumerate(values.get("observability_alarm_emails") or []):
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", str(address)):
            checker.add(f"observability_alarm_emails[{index}]", f"{address!r} is not an email address")


def check_backup(checker):
    values = checker.values
    zone = values.get("backup_schedule_timezone")
    if zone:
        reason = timezone_problem(zone)
        if reason:
            checker.add("backup_schedule_timezone", reason)
    for variable in ("backup_daily_schedule", "backup_weekly_schedule"):
        schedule = values.get(variable)
        if schedule is not None and not re.match(r"^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$", str(schedule)):
            checker.add(variable, f"{schedule!r} is not an AWS cron expression such as cron(0 5 ? * * *)")
    checker.number("backup_daily_retention_days", 1, 36500, "days")
    weekly_ok = checker.number("backup_weekly_retention_days", 1, 36500, "days")
    cold_ok = checker.number("backup_weekly_cold_storage_after_days", 0, 36500, "days")
    if weekly_ok and cold_ok:
        cold, keep = int(values["backup_weekly_cold_storage_after_days"]), int(values["backup_weekly_retention_days"])
        if cold and keep < cold + 90:
            checker.add(
                "backup_weekly_retention_days",
                f"{keep} days is less than 90 days after backup_weekly_cold_storage_after_days={cold}; keep at least {cold + 90} days",
            )
    checker.number("backup_dr_retention_days", 0, 36500, "days")
    checker.arn("backup_vault_kms_key_arn", "kms", "key/")
    if values.get("backup_copy_to_dr") and values.get("faith_dr_region") and values.get("faith_dr_region") == values.get("faith_primary_region"):
        checker.add("faith_dr_region", f"{values['faith_dr_region']} is also faith_primary_region; a DR copy needs another region (or backup_copy_to_dr=false)")


def timezone_problem(name):
    """Why ``name`` is not an IANA time zone AWS accepts, or None."""
    if zoneinfo is None:
        return None
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not an IANA time zone name such as Europe/London or America/New_York"
    return None


CHECKS = (check_environment, check_names, check_network, check_edge, check_cache, check_compute, check_data, check_observability, check_backup)


def check_stack(values, user_set=()):
    """Every finding for the stack's variables; an empty list when all is well."""
    checker = Checker(dict(values), user_set)
    for check in CHECKS:
        check(checker)
    return checker.findings

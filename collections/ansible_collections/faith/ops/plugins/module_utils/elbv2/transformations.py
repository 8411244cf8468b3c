# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The blue/green application load balancer: validation, desired state and comparison.

Pure functions only. The shape managed here: one ALB, one target group per colour, a
production listener forwarding to both colours by weight (HTTPS when a certificate is
given, with HTTP redirecting to it), and a test listener that reaches one colour.
"""

from __future__ import annotations

import re

from ..planning import UNKNOWN
from ..validation import OptionError

COLOURS = ("blue", "green")
DEFAULT_WEIGHTS = {"blue": 100, "green": 0}
MAX_SECURITY_GROUPS = 5

_ALB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
_SUBNET_ID = re.compile(r"^subnet-([0-9a-f]{8}|[0-9a-f]{17})$")
_GROUP_ID = re.compile(r"^sg-([0-9a-f]{8}|[0-9a-f]{17})$")
_CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate/.+|iam::\d{12}:server-certificate/.+)$")
_MATCHER = re.compile(r"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")

# Load balancer attributes we manage, with the value AWS assumes when it reports none.
ATTRIBUTE_DEFAULTS = {
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "access_logs.s3.enabled": "false",
}
# Target group attribute we manage, with AWS's default.
DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds"
DEREGISTRATION_DELAY_DEFAULT = "300"

# Health check option -> target group field.
HEALTH_CHECK_FIELDS = {
    "path": "HealthCheckPath",
    "port": "HealthCheckPort",
    "interval": "HealthCheckIntervalSeconds",
    "timeout": "HealthCheckTimeoutSeconds",
    "healthy_threshold": "HealthyThresholdCount",
    "unhealthy_threshold": "UnhealthyThresholdCount",
}
_REDIRECT_DEFAULTS = {"Host": "#{host}", "Path": "/#{path}", "Query": "#{query}"}


# --- validation ----------------------------------------------------------------------------


def target_group_names(prefix):
    """The target group name of each colour."""
    return {colour: f"{prefix}-{colour}" for colour in COLOURS}


def validate_names(name, target_group_prefix):
    """Load balancer and target group names as AWS accepts them (32 characters, letters, digits, '-')."""
    if not _ALB_NAME.fullmatch(name or ""):
        raise OptionError("name", f"{name!r} must be 1 to 32 letters, digits or '-', not starting or ending with '-'")
    if name.lower().startswith("internal-"):
        raise OptionError("name", "must not start with 'internal-', which AWS reserves")
    longest = max(target_group_names(target_group_prefix).values(), key=len)
    if not _ALB_NAME.fullmatch(longest):
        allowed = 32 - len("-green")
        raise OptionError(
            "target_group_prefix",
            f"gives the target group name {longest!r}; names must be at most 32 letters, digits or '-', "
            f"so the prefix may have at most {allowed} characters",
        )


def _validate_port(option, value):
    if value is not None and not 1 <= value <= 65535:
        raise OptionError(option, f"port {value} is outside 1 to 65535")


def known(values):
    """``values`` without the placeholders of ids that are not known before apply."""
    return [value for value in values or [] if value != UNKNOWN]


def validate_unknowns(params, check_mode):
    """Placeholder ids are for check mode only: outside it they mean an earlier task did not run."""
    if check_mode:
        return
    for option in ("subnets", "security_groups"):
        if UNKNOWN in (params.get(option) or []):
            raise OptionError(option, f"holds {UNKNOWN!r}: the resource it names was never created; only check mode accepts the placeholder")


def validate_network(subnets, security_groups):
    if UNKNOWN in subnets or UNKNOWN in security_groups:
        # Check mode before the network exists: only the ids that are known can be checked.
        subnets, security_groups = known(subnets), known(security_groups)
        for index, subnet in enumerate(subnets):
            if not _SUBNET_ID.fullmatch(subnet):
                raise OptionError(f"subnets[{index}]", f"{subnet!r} is not a subnet id (subnet-...)")
        for index, group in enumerate(security_groups):
            if not _GROUP_ID.fullmatch(group or ""):
                raise OptionError(f"security_groups[{index}]", f"{group!r} is not a security group id (sg-...)")
        return
    if len(set(subnets)) != len(subnets):
        raise OptionError("subnets", "lists a subnet more than once")
    if len(subnets) < 2:
        raise OptionError("subnets", "an application load balancer needs at least two subnets in different Availability Zones")
    for index, subnet in enumerate(subnets):
        if not _SUBNET_ID.fullmatch(subnet):
            raise OptionError(f"subnets[{index}]", f"{subnet!r} is not a subnet id (subnet-...)")
    if not security_groups:
        raise OptionError("security_groups", "needs at least one security group id")
    if len(security_groups) > MAX_SECURITY_GROUPS:
        raise OptionError("security_groups", f"{len(security_groups)} groups given; AWS allows {MAX_SECURITY_GROUPS}")
    for index, group in enumerate(security_groups):
        if not _GROUP_ID.fullmatch(group or ""):
            raise OptionError(f"security_groups[{index}]", f"{group!r} is not a security group id (sg-...)")


def validate_subnet_zones(subnet_ids, described):
    """The subnets exist, share one VPC and span at least two Availability Zones.

    Returns ``(vpc_id, {subnet id: Availability Zone})``.
    """
    if described is None or len(described) != len(subnet_ids):
        found = {subnet["SubnetId"] for subnet in described or []}
        missing = [subnet for subnet in subnet_ids if subnet not in found] or subnet_ids
        raise OptionError("subnets", f"subnet(s) {', '.join(missing)} do not exist")
    vpcs = sorted({subnet["VpcId"] for subnet in described})
    if len(vpcs) != 1:
        raise OptionError("subnets", f"the subnets belong to several VPCs ({', '.join(vpcs)}); use subnets of one VPC")
    zones = {subnet["AvailabilityZone"] for subnet in described}
    if len(zones) < 2:
        raise OptionError("subnets", f"all subnets are in {zones.pop()}; an application load balancer needs two Availability Zones")
    return vpcs[0], {subnet["SubnetId"]: subnet["AvailabilityZone"] for subnet in described}


def validate_attributes(idle_timeout, access_logs):
    if not 1 <= idle_timeout <= 4000:
        raise OptionError("idle_timeout", f"{idle_timeout} is outside 1 to 4000 seconds")
    if access_logs is not None:
        bucket = access_logs.get("bucket") or ""
        if not _BUCKET.fullmatch(bucket):
            raise OptionError("access_logs.bucket", f"{bucket!r} is not an S3 bucket name")
        prefix = access_logs.get("prefix") or ""
        if prefix.startswith("/") or prefix.endswith("/") or "AWSLogs" in prefix:
            raise OptionError("access_logs.prefix", f"{prefix!r} must not start or end with '/' nor contain 'AWSLogs'")


def validate_target_group(target_port, container_port, health_check, deregistration_delay):
    """Target group values AWS (or a container that must answer health checks) would refuse."""
    _validate_port("target_port", target_port)
    if container_port is not None and container_port != target_port:
        raise OptionError(
            "container_port",
            f"the container listens on {container_port} but the target groups send traffic to target_port {target_port}; "
            "tasks would never turn healthy. Use the same port for both",
        )
    port = str(health_check["port"])
    if port != "traffic-port":
        if not port.isdigit():
            raise OptionError("health_check.port", f"{port!r} must be 'traffic-port' or a port number")
        if int(port) != target_port:
            raise OptionError(
                "health_check.port",
                f"health checks on port {port} would probe a port the container does not serve (target_port is {target_port}); "
                "use 'traffic-port'",
            )
    path = health_check["path"]
    if not path.startswith("/") or len(path) > 1024:
        raise OptionError("health_check.path", f"{path!r} must start with '/' and be at most 1024 characters long")
    if not 5 <= health_check["interval"] <= 300:
        raise OptionError("health_check.interval", f"{health_check['interval']} is outside 5 to 300 seconds")
    if not 2 <= health_check["timeout"] <= 120:
        raise OptionError("health_check.timeout", f"{health_check['timeout']} is outside 2 to 120 seconds")
    if health_check["timeout"] >= health_check["interval"]:
        raise OptionError(
            "health_check.timeout", f"{health_check['timeout']}s must be shorter than health_check.interval ({health_check['interval']}s)"
        )
    for key in ("healthy_threshold", "unhealthy_threshold"):
        if not 2 <= health_check[key] <= 10:
            raise OptionError(f"health_check.{key}", f"{health_check[key]} is outside 2 to 10")
    matcher = str(health_check["matcher"])
    if not _MATCHER.fullmatch(matcher) or any(not 200 <= int(code) <= 499 for code in re.findall(r"\d{3}", matcher)):
        raise OptionError("health_check.matcher", f"{matcher!r} must be HTTP codes from 200 to 499, e.g. '200', '200,204' or '200-299'")
    if not 0 <= deregistration_delay <= 3600:
        raise OptionError("deregistration_delay", f"{deregistration_delay} is outside 0 to 3600 seconds")


def validate_listeners(listener_port, https_port, test_listener_port, certificate_arn):
    for option, port in (("listener_port", listener_port), ("https_port", https_port), ("test_listener_port", test_listener_port)):
        _validate_port(option, port)
    used = {listener_port: "listener_port"}
    if certificate_arn:
        if not _CERTIFICATE_ARN.fullmatch(certificate_arn):
            raise OptionError("certificate_arn", f"{certificate_arn!r} is not an ACM or IAM server certificate ARN")
        if https_port in used:
            raise OptionError("https_port", f"{https_port} is already the port of {used[https_port]}")
        used[https_port] = "https_port"
    if test_listener_port in used:
        raise OptionError("test_listener_port", f"{test_listener_port} is already the port of {used[test_listener_port]}; the test listener needs its own port")


def validate_weights(weights):
    """Weights are percentages of production traffic: 0 to 100 each, 100 together."""
    if weights is None:
        return
    for colour in COLOURS:
        if not 0 <= weights[colour] <= 100:
            raise OptionError(f"weights.{colour}", f"{weights[colour]} is outside 0 to 100")
    total = sum(weights[colour] for colour in COLOURS)
    if total != 100:
        raise OptionError(
            "weights",
            f"blue ({weights['blue']}) + green ({weights['green']}) = {total}; the weights are percentages of production traffic and must sum to 100",
        )


# --- desired state -------------------------------------------------------------------------


def desired_attributes(deletion_protection, idle_timeout, access_logs):
    """The load balancer attributes the options ask for (values as AWS reports them)."""
    attributes = {
        "deletion_protection.enabled": str(bool(deletion_protection)).lower(),
        "idle_timeout.timeout_seconds": str(idle_timeout),
        "access_logs.s3.enabled": "true" if access_logs else "false",
    }
    if access_logs:
        attributes["access_logs.s3.bucket"] = access_logs["bucket"]
        attributes["access_logs.s3.prefix"] = access_logs.get("prefix") or ""
    return attributes


def attribute_changes(current, desired, defaults=None):
    """The attributes to modify: desired values that differ from current ones (or AWS's defaults)."""
    defaults = ATTRIBUTE_DEFAULTS if defaults is None else defaults
    changes = {}
    for key, value in desired.items():
        if current.get(key, defaults.get(key, "")) != value:
            changes[key] = value
    return changes


def desired_target_group(name, vpc_id, port, protocol, health_check):
    """``create_target_group`` parameters of one colour (type ip, as Fargate awsvpc tasks need)."""
    settings = {
        "Name": name,
        "Protocol": protocol,
        "Port": port,
        "VpcId": vpc_id,
        "TargetType": "ip",
        "HealthCheckEnabled": True,
        "HealthCheckProtocol": protocol,
        "Matcher": {"HttpCode": str(health_check["matcher"])},
    }
    for option, field in HEALTH_CHECK_FIELDS.items():
        settings[field] = str(health_check[option]) if option == "port" else health_check[option]
    return settings


def target_group_conflicts(current, desired):
    """Settings AWS cannot change on an existing target group, as ``(option, message)`` pairs."""
    conflicts = []
    if current["Port"] != desired["Port"]:
        conflicts.append(
            ("target_port", f"target group {current['TargetGroupName']} has port {current['Port']}, and AWS cannot change a target group's port")
        )
    if current["Protocol"] != desired["Protocol"]:
        conflicts.append(
            ("target_protocol", f"target group {current['TargetGroupName']} uses {current['Protocol']}, and AWS cannot change a target group's protocol")
        )
    if current.get("TargetType") != "ip":
        conflicts.append(("target_group_prefix", f"target group {current['TargetGroupName']} has target type {current.get('TargetType')}, not ip"))
    if desired.get("VpcId") and current.get("VpcId") != desired["VpcId"]:
        conflicts.append(("subnets", f"target group {current['TargetGroupName']} is in {current.get('VpcId')}, not in the load balancer's VPC"))
    return conflicts


def health_check_changes(current, desired):
    """``modify_target_group`` parameters for health check settings that differ."""
    changes = {}
    for field in ["HealthCheckEnabled", "HealthCheckProtocol"] + list(HEALTH_CHECK_FIELDS.values()):
        if current.get(field) != desired[field]:
            changes[field] = desired[field]
    if (current.get("Matcher") or {}).get("HttpCode") != desired["Matcher"]["HttpCode"]:
        changes["Matcher"] = desired["Matcher"]
    return changes


def _forward(targets):
    return {
        "Type": "forward",
        "ForwardConfig": {
            "TargetGroups": [{"TargetGroupArn": arn, "Weight": weight} for arn, weight in targets],
            "TargetGroupStickinessConfig": {"Enabled": False},
        },
    }


def desired_listeners(listener_port, https_port, test_listener_port, certificate_arn, ssl_policy, arns, weights, test_colour):
    """The listeners by port, as ``create_listener`` parameters (without the load balancer ARN).

    ``arns`` maps colour to target group ARN. The production listener forwards to both
    colours by weight; the test listener forwards to ``test_colour`` only.
    """
    weighted = _forward([(arns[colour], weights[colour]) for colour in COLOURS])
    test = _forward([(arns[test_colour], 1)])
    if not certificate_arn:
        return {
            listener_port: {"Protocol": "HTTP", "Port": listener_port, "DefaultActions": [weighted]},
            test_listener_port: {"Protocol": "HTTP", "Port": test_listener_port, "DefaultActions": [test]},
        }
    tls = {"SslPolicy": ssl_policy, "Certificates": [{"CertificateArn": certificate_arn}]}
    redirect = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": str(https_port), "StatusCode": "HTTP_301"}}
    return {
        listener_port: {"Protocol": "HTTP", "Port": listener_port, "DefaultActions": [redirect]},
        https_port: dict(tls, Protocol="HTTPS", Port=https_port, DefaultActions=[weighted]),
        test_listener_port: dict(tls, Protocol="HTTPS", Port=test_listener_port, DefaultActions=[test]),
    }


# --- blocked paths ---------------------------------------------------------------------------

# The listener rule that refuses blocked paths holds this priority on the production listener.
BLOCKED_PATHS_PRIORITY = 1
# An ALB rule takes at most five condition values.
MAX_BLOCKED_PATHS = 5
_PATH_PATTERN = re.compile(r"^[A-Za-z0-9_\-.$/~\"'@:+*?&]{1,128}$")


def validate_blocked_paths(paths, status_code):
    if len(paths) > MAX_BLOCKED_PATHS:
        raise OptionError("blocked_paths", f"{len(paths)} patterns given; one ALB rule takes at most {MAX_BLOCKED_PATHS}")
    for index, path in enumerate(paths):
        if not path.startswith("/") or not _PATH_PATTERN.fullmatch(path):
            raise OptionError(f"blocked_paths[{index}]", f"{path!r} must start with '/' and be at most 128 characters of A-Z a-z 0-9 _-.$/~\"'@:+*?&")
    if status_code not in (403, 404):
        raise OptionError("blocked_paths_status_code", f"{status_code} is not 403 or 404")


def desired_block_rule(paths, status_code):
    """The listener rule refusing ``paths`` with a fixed response, or None when nothing is blocked."""
    if not paths:
        return None
    message = "Forbidden" if status_code == 403 else "Not Found"
    return {
        "Priority": BLOCKED_PATHS_PRIORITY,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": list(paths)}}],
        "Actions": [
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {"StatusCode": str(status_code), "ContentType": "text/plain", "MessageBody": message},
            }
        ],
    }


def rule_view(rule):
    """A listener rule reduced to its path patterns and fixed response, for comparison and diffs."""
    if not rule:
        return None
    paths = []
    for condition in rule.get("Conditions") or []:
        if condition.get("Field") == "path-pattern":
            paths += (condition.get("PathPatternConfig") or {}).get("Values") or condition.get("Values") or []
    responses = [action.get("FixedResponseConfig") or {} for action in rule.get("Actions") or [] if action.get("Type") == "fixed-response"]
    response = responses[0] if responses else {}
    return {
        "paths": sorted(paths),
        "status_code": int(response["StatusCode"]) if response.get("StatusCode") else None,
        "other_actions": sorted(action["Type"] for action in rule.get("Actions") or [] if action.get("Type") != "fixed-response"),
    }


def block_rule_of(rules):
    """The rule at the blocked-paths priority among a listener's rules, or None."""
    for rule in rules or []:
        if str(rule.get("Priority")) == str(BLOCKED_PATHS_PRIORITY):
            return rule
    return None


# --- reading current state -------------------------------------------------------------------


def forward_targets(action):
    """``{target group ARN: weight}`` of a forward action (a single target counts as weight 1)."""
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
    if groups:
        targets = {group["TargetGroupArn"]: group.get("Weight", 1) for group in groups}
    elif action.get("TargetGroupArn"):
        targets = {action["TargetGroupArn"]: 1}
    else:
        targets = {}
    if len(targets) == 1:
        targets = {arn: 1 for arn in targets}
    return targets


def listener_view(listener, colour_of=None):
    """A listener reduced to what this module controls, so desired and current compare.

    ``colour_of`` maps target group ARNs to colours, which makes views readable in diffs
    and comparable before the target groups exist (check mode).
    """
    colour_of = colour_of or {}
    view = {"protocol": listener["Protocol"], "port": listener["Port"]}
    if listener["Protocol"] in ("HTTPS", "TLS"):
        view["ssl_policy"] = listener.get("SslPolicy")
        certificates = listener.get("Certificates") or []
        view["certificate_arn"] = certificates[0]["CertificateArn"] if certificates else None
    actions = []
    for action in sorted(listener.get("DefaultActions") or [], key=lambda item: item.get("Order", 0)):
        if action["Type"] == "forward":
            targets = {colour_of.get(arn, arn): weight for arn, weight in forward_targets(action).items()}
            stickiness = ((action.get("ForwardConfig") or {}).get("TargetGroupStickinessConfig") or {}).get("Enabled", False)
            actions.append({"type": "forward", "targets": targets, "stickiness": stickiness})
        elif action["Type"] == "redirect":
            redirect = dict(_REDIRECT_DEFAULTS, **action.get("RedirectConfig", {}))
            actions.append({"type": "redirect", **{key.lower(): value for key, value in sorted(redirect.items())}})
        else:
            actions.append({"type": action["Type"]})
    view["actions"] = actions
    return view


def production_listener(listeners, arns):
    """The listener forwarding to both colours (HTTPS preferred), or None."""
    wanted = {arn for arn in arns.values() if arn}
    candidates = [listener for listener in listeners if _forwards_to(listener) == wanted and len(wanted) == len(COLOURS)]
    candidates.sort(key=lambda listener: (listener["Protocol"] != "HTTPS", listener["Port"]))
    return candidates[0] if candidates else None


def test_listener(listeners, arns):
    """The listener forwarding to exactly one colour, or None."""
    for listener in sorted(listeners, key=lambda item: item["Port"]):
        targets = _forwards_to(listener)
        if len(targets) == 1 and targets <= {arn for arn in arns.values() if arn}:
            return listener
    return None


def _forwards_to(listener):
    targets = set()
    for action in listener.get("DefaultActions") or []:
        if action["Type"] == "forward":
            targets |= {arn for arn, weight in forward_targets(action).items()}
    return targets


def weights_of(listener, arns):
    """``{colour: weight}`` of the production listener, or None without one."""
    if listener is None:
        return None
    for action in listener.get("DefaultActions") or []:
        if action["Type"] == "forward":
            targets = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
            by_arn = {group["TargetGroupArn"]: group.get("Weight", 1) for group in targets}
            return {colour: by_arn.get(arns[colour], 0) for colour in COLOURS}
    return None


def colour_of_listener(listener, arns):
    """The colour a test listener reaches, or None."""
    if listener is None:
        return None
    targets = _forwards_to(listener)
    for colour in COLOURS:
        if arns.get(colour) in targets:
            return colour
    return None


def idle_colour(weights):
    """The colour a new test listener should reach: the one with less traffic (green on a tie)."""
    return "blue" if weights["blue"] < weights["green"] else "green"


def plan_listeners(current, desired, colour_of):
    """Return ``(create, modify, delete)``: desired listeners by port against current ones.

    ``create`` is a list of desired listeners, ``modify`` of ``(arn, desired)`` pairs,
    ``delete`` of current listeners on ports the load balancer should not listen on.
    """
    current_by_port = {listener["Port"]: listener for listener in current}
    create, modify = [], []
    for port in sorted(desired):
        existing = current_by_port.get(port)
        if existing is None:
            create.append(desired[port])
        elif listener_view(existing, colour_of) != listener_view(desired[port], colour_of):
            modify.append((existing["ListenerArn"], desired[port]))
    delete = [current_by_port[port] for port in sorted(current_by_port) if port not in desired]
    return create, modify, delete


# --- results -----------------------------------------------------------------------------


def describe_attributes(attributes):
    """Load balancer attributes in the module's option format."""
    merged = dict(ATTRIBUTE_DEFAULTS, **{key: value for key, value in attributes.items() if value != "" or key not in ATTRIBUTE_DEFAULTS})
    described = {
        "deletion_protection": merged["deletion_protection.enabled"] == "true",
        "idle_timeout": int(merged["idle_timeout.timeout_seconds"]),
        "access_logs": {"enabled": merged["access_logs.s3.enabled"] == "true"},
    }
    if described["access_logs"]["enabled"]:
        described["access_logs"]["bucket"] = merged.get("access_logs.s3.bucket", "")
        described["access_logs"]["prefix"] = merged.get("access_logs.s3.prefix", "")
    return described


def describe_target_group_settings(target_group, attributes):
    """Settings shared by both colours, in the module's option format."""
    if not target_group:
        return {}
    health_check = {option: target_group.get(field) for option, field in HEALTH_CHECK_FIELDS.items()}
    health_check["matcher"] = (target_group.get("Matcher") or {}).get("HttpCode")
    return {
        "port": target_group["Port"],
        "protocol": target_group["Protocol"],
        "target_type": target_group.get("TargetType"),
        "health_check": health_check,
        "deregistration_delay": int(attributes.get(DEREGISTRATION_DELAY, DEREGISTRATION_DELAY_DEFAULT)),
    }


def describe_load_balancer(load_balancer, attributes, tags):
    if not load_balancer:
        return {}
    zones = load_balancer.get("AvailabilityZones") or []
    return {
        "arn": load_balancer.get("LoadBalancerArn"),
        "name": load_balancer["LoadBalancerName"],
        "dns_name": load_balancer.get("DNSName"),
        "canonical_hosted_zone_id": load_balancer.get("CanonicalHostedZoneId"),
        "scheme": load_balancer["Scheme"],
        "state": (load_balancer.get("State") or {}).get("Code"),
        "vpc_id": load_balancer.get("VpcId"),
        "security_groups": sorted(load_balancer.get("SecurityGroups") or []),
        "subnets": sorted(zone["SubnetId"] for zone in zones),
        "availability_zones": sorted(zone["ZoneName"] for zone in zones if zone.get("ZoneName")),
        "attributes": describe_attributes(attributes),
        "tags": dict(tags or {}),
    }


def describe_listeners(listeners, arns):
    """``production``, ``test`` and (with HTTPS) ``http_redirect`` listeners: ARN, port, protocol."""
    described = {}
    production = production_listener(listeners, arns)
    test = test_listener(listeners, arns)
    if production:
        described["production"] = {"arn": production.get("ListenerArn"), "port": production["Port"], "protocol": production["Protocol"]}
    if test:
        described["test"] = {
            "arn": test.get("ListenerArn"),
            "port": test["Port"],
            "protocol": test["Protocol"],
            "colour": colour_of_listener(test, arns),
        }
    for listener in listeners:
        if any(action["Type"] == "redirect" for action in listener.get("DefaultActions") or []):
            described["http_redirect"] = {"arn": listener.get("ListenerArn"), "port": listener["Port"], "protocol": listener["Protocol"]}
            break
    return described

# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""load_balancer against botocore's Stubber: the real ELBv2 request and response shapes.

The emulator neither enforces deletion protection nor accepts a certificate it did not
issue the way ACM does; these paths, and the exact calls of a no-op run, are proven here.
"""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import ANY
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import load_balancer

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}"
ALB_ARN = f"{PREFIX}:loadbalancer/app/faith-alb/50dc6c495c0c9188"
TG_ARNS = {"blue": f"{PREFIX}:targetgroup/faith-blue/73e2d6bc24d8a067", "green": f"{PREFIX}:targetgroup/faith-green/2453ed029918f21f"}
LISTENER_ARNS = {port: f"{PREFIX}:listener/app/faith-alb/50dc6c495c0c9188/{port:016d}" for port in (80, 443, 8080)}
CERT = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
VPC = "vpc-0123456789abcdef0"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
GROUP = "sg-0aaaaaaaaaaaaaaaa"
TAGS = {"Application": "faith-chatbot"}
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
HEALTH_CHECK = dict(path="/health", port="traffic-port", interval=15, timeout=5, healthy_threshold=2, unhealthy_threshold=2, matcher="200")


class FakeModule:
    """What load_balancer uses of FaithAWSModule, with Stubber-backed clients."""

    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = dict(
            name="faith-alb",
            state="present",
            subnets=list(SUBNETS),
            security_groups=[GROUP],
            scheme="internet-facing",
            deletion_protection=False,
            idle_timeout=60,
            access_logs=None,
            target_group_prefix="faith",
            target_port=8000,
            container_port=None,
            target_protocol="HTTP",
            health_check=dict(HEALTH_CHECK),
            deregistration_delay=30,
            listener_port=80,
            certificate_arn=None,
            https_port=443,
            ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
            test_listener_port=8080,
            weights=None,
            test_listener_colour=None,
            blocked_paths=[],
            blocked_paths_status_code=404,
            tags=TAGS,
            purge_tags=True,
            wait=False,
            wait_timeout=60,
        )
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = True
        self.actions = []
        self.clients = clients

    def client(self, service):
        return self.clients[service]


@pytest.fixture
def stubbed():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing") for service in ("elbv2", "ec2")
    }
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield clients, stubbers["elbv2"], stubbers["ec2"]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def described_alb():
    return {
        "LoadBalancerArn": ALB_ARN,
        "DNSName": "faith-alb-1234567890.us-east-1.elb.amazonaws.com",
        "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
        "CreatedTime": NOW,
        "LoadBalancerName": "faith-alb",
        "Scheme": "internet-facing",
        "VpcId": VPC,
        "State": {"Code": "active"},
        "Type": "application",
        "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": SUBNETS[0]}, {"ZoneName": "us-east-1b", "SubnetId": SUBNETS[1]}],
        "SecurityGroups": [GROUP],
        "IpAddressType": "ipv4",
    }


def described_target_group(colour, port=8000):
    return {
        "TargetGroupArn": TG_ARNS[colour],
        "TargetGroupName": f"faith-{colour}",
        "Protocol": "HTTP",
        "Port": port,
        "VpcId": VPC,
        "HealthCheckProtocol": "HTTP",
        "HealthCheckPort": "traffic-port",
        "HealthCheckEnabled": True,
        "HealthCheckIntervalSeconds": 15,
        "HealthCheckTimeoutSeconds": 5,
        "HealthyThresholdCount": 2,
        "UnhealthyThresholdCount": 2,
        "HealthCheckPath": "/health",
        "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [ALB_ARN],
        "TargetType": "ip",
        "ProtocolVersion": "HTTP1",
        "IpAddressType": "ipv4",
    }


def forward(weights):
    """A forward action as DescribeListeners returns it."""
    groups = [{"TargetGroupArn": TG_ARNS[colour], "Weight": weight} for colour, weight in weights.items()]
    action = {"Type": "forward", "Order": 1, "ForwardConfig": {"TargetGroups": groups, "TargetGroupStickinessConfig": {"Enabled": False}}}
    if len(groups) == 1:
        action["TargetGroupArn"] = groups[0]["TargetGroupArn"]
    return action


def http_listeners(weights=None, test_colour="green"):
    return [
        {
            "ListenerArn": LISTENER_ARNS[80],
            "LoadBalancerArn": ALB_ARN,
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [forward(weights or {"blue": 100, "green": 0})],
        },
        {"ListenerArn": LISTENER_ARNS[8080], "LoadBalancerArn": ALB_ARN, "Port": 8080, "Protocol": "HTTP", "DefaultActions": [forward({test_colour: 1})]},
    ]


def default_rule(listener_arn):
    return {"RuleArn": listener_arn.replace(":listener/", ":listener-rule/") + "/default", "Priority": "default", "IsDefault": True,
            "Conditions": [], "Actions": []}


def block_rule(listener_arn, paths, status="404"):
    return {
        "RuleArn": listener_arn.replace(":listener/", ":listener-rule/") + "/0000000000000001",
        "Priority": "1",
        "IsDefault": False,
        "Conditions": [{"Field": "path-pattern", "Values": list(paths), "PathPatternConfig": {"Values": list(paths)}}],
        "Actions": [{"Type": "fixed-response", "Order": 1,
                     "FixedResponseConfig": {"StatusCode": status, "ContentType": "text/plain", "MessageBody": "Not Found"}}],
    }


def stub_existing_stack(elbv2, attributes=None, port=8000, listeners=None, rules=None, present=True):
    """The eight reads of a run against an existing stack (seven for state=absent, which skips the rules)."""
    elbv2.add_response("describe_load_balancers", {"LoadBalancers": [described_alb()]}, {"Names": ["faith-alb"]})
    elbv2.add_response(
        "describe_target_groups",
        {"TargetGroups": [described_target_group("blue", port), described_target_group("green", port)]},
        {"Names": ["faith-blue", "faith-green"]},
    )
    alb_attributes = {
        "deletion_protection.enabled": "false",
        "idle_timeout.timeout_seconds": "60",
        "access_logs.s3.enabled": "false",
        "access_logs.s3.bucket": "",
        "access_logs.s3.prefix": "",
        "routing.http2.enabled": "true",
    }
    alb_attributes.update(attributes or {})
    elbv2.add_response(
        "describe_load_balancer_attributes",
        {"Attributes": [{"Key": key, "Value": value} for key, value in alb_attributes.items()]},
        {"LoadBalancerArn": ALB_ARN},
    )
    for colour in ("blue", "green"):
        elbv2.add_response(
            "describe_target_group_attributes",
            {"Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}, {"Key": "stickiness.enabled", "Value": "false"}]},
            {"TargetGroupArn": TG_ARNS[colour]},
        )
    elbv2.add_response("describe_listeners", {"Listeners": listeners if listeners is not None else http_listeners()}, {"LoadBalancerArn": ALB_ARN})
    elbv2.add_response(
        "describe_tags",
        {
            "TagDescriptions": [
                {"ResourceArn": ALB_ARN, "Tags": [{"Key": "Application", "Value": "faith-chatbot"}]},
                {"ResourceArn": TG_ARNS["blue"], "Tags": [{"Key": "Application", "Value": "faith-chatbot"}, {"Key": "Colour", "Value": "blue"}]},
                {"ResourceArn": TG_ARNS["green"], "Tags": [{"Key": "Application", "Value": "faith-chatbot"}, {"Key": "Colour", "Value": "green"}]},
            ]
        },
        {"ResourceArns": [ALB_ARN, TG_ARNS["blue"], TG_ARNS["green"]]},
    )
    production = load_balancer.elb.production_listener(listeners if listeners is not None else http_listeners(), TG_ARNS)
    if production is not None and present:
        listener_arn = production["ListenerArn"]
        elbv2.add_response("describe_rules", {"Rules": [default_rule(listener_arn)] + list(rules or [])}, {"ListenerArn": listener_arn})


def test_an_unchanged_stack_costs_eight_reads_and_no_write(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2)
    module = FakeModule(clients)
    result = load_balancer.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["weights"] == {"blue": 100, "green": 0}
    assert result["test_listener_colour"] == "green"
    assert result["target_groups"] == TG_ARNS
    assert result["listeners"]["production"] == {"arn": LISTENER_ARNS[80], "port": 80, "protocol": "HTTP"}
    assert result["load_balancer"]["attributes"] == {"deletion_protection": False, "idle_timeout": 60, "access_logs": {"enabled": False}}


def test_omitted_weights_keep_what_a_release_set(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2, listeners=http_listeners({"blue": 30, "green": 70}, test_colour="blue"))
    result = load_balancer.ensure(FakeModule(clients))
    assert result["changed"] is False
    assert (result["weights"], result["test_listener_colour"]) == ({"blue": 30, "green": 70}, "blue")


def test_weights_are_shifted_with_one_listener_modification(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2)
    modified = http_listeners({"blue": 90, "green": 10})[0]
    elbv2.add_response(
        "modify_listener",
        {"Listeners": [modified]},
        {
            "ListenerArn": LISTENER_ARNS[80],
            "Protocol": "HTTP",
            "Port": 80,
            "DefaultActions": [
                {
                    "Type": "forward",
                    "ForwardConfig": {
                        "TargetGroups": [{"TargetGroupArn": TG_ARNS["blue"], "Weight": 90}, {"TargetGroupArn": TG_ARNS["green"], "Weight": 10}],
                        "TargetGroupStickinessConfig": {"Enabled": False},
                    },
                }
            ],
        },
    )
    module = FakeModule(clients, weights={"blue": 90, "green": 10})
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert result["weights"] == {"blue": 90, "green": 10}
    assert module.actions == ["modify HTTP listener on port 80"]
    assert result["diff"]["before"]["weights"] == {"blue": 100, "green": 0}


def test_a_certificate_adds_https_and_turns_http_into_a_redirect(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2)
    weighted = {"blue": 100, "green": 0}
    https = {
        "ListenerArn": LISTENER_ARNS[443],
        "LoadBalancerArn": ALB_ARN,
        "Port": 443,
        "Protocol": "HTTPS",
        "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "Certificates": [{"CertificateArn": CERT}],
        "DefaultActions": [forward(weighted)],
    }
    elbv2.add_response(
        "create_listener",
        {"Listeners": [https]},
        {"LoadBalancerArn": ALB_ARN, "Protocol": "HTTPS", "Port": 443, "SslPolicy": ANY, "Certificates": [{"CertificateArn": CERT}], "DefaultActions": ANY},
    )
    redirect = {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
    elbv2.add_response(
        "modify_listener",
        {"Listeners": [{"ListenerArn": LISTENER_ARNS[80], "Port": 80, "Protocol": "HTTP", "DefaultActions": [redirect]}]},
        {"ListenerArn": LISTENER_ARNS[80], "Protocol": "HTTP", "Port": 80, "DefaultActions": [redirect]},
    )
    test = dict(https, ListenerArn=LISTENER_ARNS[8080], Port=8080, DefaultActions=[forward({"green": 1})])
    elbv2.add_response(
        "modify_listener",
        {"Listeners": [test]},
        {
            "ListenerArn": LISTENER_ARNS[8080],
            "Protocol": "HTTPS",
            "Port": 8080,
            "SslPolicy": ANY,
            "Certificates": [{"CertificateArn": CERT}],
            "DefaultActions": ANY,
        },
    )
    module = FakeModule(clients, certificate_arn=CERT)
    result = load_balancer.ensure(module)
    assert module.actions == ["create HTTPS listener on port 443", "modify HTTP listener on port 80", "modify HTTPS listener on port 8080"]
    assert result["listeners"]["production"] == {"arn": LISTENER_ARNS[443], "port": 443, "protocol": "HTTPS"}
    assert result["listeners"]["http_redirect"]["port"] == 80
    assert result["listeners"]["test"]["protocol"] == "HTTPS"


def test_a_changed_target_port_fails_before_any_write(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2, port=9000)
    with pytest.raises(OptionError) as raised:
        load_balancer.ensure(FakeModule(clients))
    assert raised.value.option == "target_port"
    assert "cannot change a target group's port" in str(raised.value)


def test_absent_refuses_a_protected_load_balancer(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2, attributes={"deletion_protection.enabled": "true"}, present=False)
    with pytest.raises(OptionError) as raised:
        load_balancer.ensure(FakeModule(clients, state="absent"))
    assert raised.value.option == "deletion_protection"


def test_absent_deletes_the_load_balancer_before_its_target_groups(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2, present=False)
    elbv2.add_response("delete_load_balancer", {}, {"LoadBalancerArn": ALB_ARN})
    elbv2.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"LoadBalancerArns": [ALB_ARN]})
    for colour in ("blue", "green"):
        elbv2.add_response("delete_target_group", {}, {"TargetGroupArn": TG_ARNS[colour]})
    module = FakeModule(clients, state="absent")
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["delete load balancer faith-alb", "delete target group faith-blue", "delete target group faith-green"]
    assert (result["load_balancer"], result["target_groups"], result["weights"]) == ({}, {}, {})


def test_a_new_stack_checks_the_subnets_then_creates_everything(stubbed):
    clients, elbv2, ec2 = stubbed
    elbv2.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"Names": ["faith-alb"]})
    elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": ["faith-blue", "faith-green"]})
    for colour in ("blue", "green"):
        elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": [f"faith-{colour}"]})
    ec2.add_response(
        "describe_subnets",
        {
            "Subnets": [
                {"SubnetId": SUBNETS[0], "VpcId": VPC, "AvailabilityZone": "us-east-1a"},
                {"SubnetId": SUBNETS[1], "VpcId": VPC, "AvailabilityZone": "us-east-1b"},
            ]
        },
        {"SubnetIds": SUBNETS},
    )
    elbv2.add_response(
        "create_load_balancer",
        {"LoadBalancers": [dict(described_alb(), State={"Code": "provisioning"})]},
        {
            "Name": "faith-alb",
            "Subnets": SUBNETS,
            "SecurityGroups": [GROUP],
            "Scheme": "internet-facing",
            "Type": "application",
            "IpAddressType": "ipv4",
            "Tags": [{"Key": "Application", "Value": "faith-chatbot"}],
        },
    )
    for colour in ("blue", "green"):
        elbv2.add_response(
            "create_target_group",
            {"TargetGroups": [described_target_group(colour)]},
            {
                "Name": f"faith-{colour}",
                "Protocol": "HTTP",
                "Port": 8000,
                "VpcId": VPC,
                "TargetType": "ip",
                "HealthCheckEnabled": True,
                "HealthCheckProtocol": "HTTP",
                "HealthCheckPath": "/health",
                "HealthCheckPort": "traffic-port",
                "HealthCheckIntervalSeconds": 15,
                "HealthCheckTimeoutSeconds": 5,
                "HealthyThresholdCount": 2,
                "UnhealthyThresholdCount": 2,
                "Matcher": {"HttpCode": "200"},
                "Tags": [{"Key": "Application", "Value": "faith-chatbot"}, {"Key": "Colour", "Value": colour}],
            },
        )
        elbv2.add_response(
            "modify_target_group_attributes",
            {"Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
            {"TargetGroupArn": TG_ARNS[colour], "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
        )
    for listener in http_listeners():
        elbv2.add_response(
            "create_listener", {"Listeners": [listener]}, {"LoadBalancerArn": ALB_ARN, "Protocol": "HTTP", "Port": listener["Port"], "DefaultActions": ANY}
        )
    module = FakeModule(clients)
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert module.actions == [
        "create load balancer faith-alb",
        "create target group faith-blue",
        "set deregistration delay of faith-blue to 30s",
        "create target group faith-green",
        "set deregistration delay of faith-green to 30s",
        "create HTTP listener on port 80",
        "create HTTP listener on port 8080",
    ]
    assert result["weights"] == {"blue": 100, "green": 0}
    assert result["test_listener_colour"] == "green"


def test_check_mode_on_a_new_stack_reports_everything_and_returns_no_arns(stubbed):
    clients, elbv2, ec2 = stubbed
    elbv2.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"Names": ["faith-alb"]})
    elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": ["faith-blue", "faith-green"]})
    for colour in ("blue", "green"):
        elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": [f"faith-{colour}"]})
    ec2.add_response(
        "describe_subnets",
        {
            "Subnets": [
                {"SubnetId": SUBNETS[0], "VpcId": VPC, "AvailabilityZone": "us-east-1a"},
                {"SubnetId": SUBNETS[1], "VpcId": VPC, "AvailabilityZone": "us-east-1b"},
            ]
        },
        {"SubnetIds": SUBNETS},
    )
    module = FakeModule(clients, check_mode=True)
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert result["load_balancer"]["arn"] is None
    assert result["load_balancer"]["availability_zones"] == ["us-east-1a", "us-east-1b"]
    assert result["target_groups"] == {"blue": None, "green": None}
    assert result["weights"] == {"blue": 100, "green": 0}
    assert result["listeners"]["test"] == {"arn": None, "port": 8080, "protocol": "HTTP", "colour": "green"}
    assert result["diff"]["before"] == {}


def test_blocked_paths_get_a_fixed_response_rule_on_the_production_listener(stubbed):
    clients, elbv2 = stubbed[:2]
    stub_existing_stack(elbv2)
    paths = ["/metrics", "/metrics/*"]
    expected_rule = load_balancer.elb.desired_block_rule(paths, 404)
    elbv2.add_response(
        "create_rule",
        {"Rules": [block_rule(LISTENER_ARNS[80], paths)]},
        dict(expected_rule, ListenerArn=LISTENER_ARNS[80], Tags=[{"Key": "Application", "Value": "faith-chatbot"}]),
    )
    module = FakeModule(clients, blocked_paths=paths)
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["create the blocked paths rule (/metrics, /metrics/*)"]
    assert result["blocked_paths"] == {"paths": paths, "status_code": 404, "other_actions": []}
    assert result["diff"]["before"]["blocked_paths"] is None
    assert result["diff"]["after"]["blocked_paths"]["paths"] == paths


def test_blocked_paths_already_refused_make_no_write(stubbed):
    clients, elbv2 = stubbed[:2]
    paths = ["/metrics", "/metrics/*"]
    stub_existing_stack(elbv2, rules=[block_rule(LISTENER_ARNS[80], paths)])
    module = FakeModule(clients, blocked_paths=list(reversed(paths)))
    result = load_balancer.ensure(module)
    assert result["changed"] is False
    assert module.actions == []


def test_a_changed_blocked_path_status_modifies_the_rule_in_check_mode_without_a_write(stubbed):
    clients, elbv2 = stubbed[:2]
    paths = ["/metrics"]
    stub_existing_stack(elbv2, rules=[block_rule(LISTENER_ARNS[80], paths)])
    module = FakeModule(clients, check_mode=True, blocked_paths=paths, blocked_paths_status_code=403)
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert module.actions == ["modify the blocked paths rule (/metrics)"]
    assert result["diff"]["before"]["blocked_paths"]["status_code"] == 404
    assert result["diff"]["after"]["blocked_paths"]["status_code"] == 403


def test_more_than_five_blocked_paths_are_refused_before_any_call(stubbed):
    clients = stubbed[0]
    with pytest.raises(OptionError) as error:
        load_balancer.ensure(FakeModule(clients, blocked_paths=[f"/p{index}" for index in range(6)]))
    assert error.value.option == "blocked_paths"


def test_placeholder_ids_plan_a_create_in_check_mode_without_reading_them(stubbed):
    clients, elbv2 = stubbed[:2]
    unknown = load_balancer.UNKNOWN
    elbv2.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"Names": ["faith-alb"]})
    elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": ["faith-blue", "faith-green"]})
    for colour in ("blue", "green"):
        elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": [f"faith-{colour}"]})
    # No describe_subnets: the placeholder subnets are not read.
    module = FakeModule(clients, check_mode=True, subnets=[unknown], security_groups=[unknown], blocked_paths=["/metrics"])
    result = load_balancer.ensure(module)
    assert result["changed"] is True
    assert "create load balancer faith-alb" in module.actions
    assert "create the blocked paths rule (/metrics)" in module.actions
    assert result["load_balancer"]["arn"] is None


def test_placeholder_ids_are_refused_outside_check_mode(stubbed):
    clients = stubbed[0]
    unknown = load_balancer.UNKNOWN
    with pytest.raises(OptionError) as error:
        load_balancer.ensure(FakeModule(clients, subnets=[unknown, SUBNETS[0]]))
    assert error.value.option == "subnets"

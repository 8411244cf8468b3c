# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.elbv2 import transformations as elb
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012"
ARNS = {"blue": f"{PREFIX}:targetgroup/faith-blue/1111111111111111", "green": f"{PREFIX}:targetgroup/faith-green/2222222222222222"}
COLOUR_OF = {arn: colour for colour, arn in ARNS.items()}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
HEALTH_CHECK = dict(path="/health", port="traffic-port", interval=15, timeout=5, healthy_threshold=2, unhealthy_threshold=2, matcher="200")
SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]


def expect_error(option, fragment, func, *args):
    with pytest.raises(OptionError) as raised:
        func(*args)
    assert raised.value.option == option
    assert fragment in str(raised.value)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, prefix, option, fragment",
    [
        ("a" * 33, "faith", "name", "1 to 32"),
        ("-alb", "faith", "name", "not starting or ending with '-'"),
        ("internal-alb", "faith", "name", "which AWS reserves"),
        ("alb", "faith-chatbot-production-tg", "target_group_prefix", "at most 26 characters"),
    ],
)
def test_names_follow_the_elb_rules(name, prefix, option, fragment):
    expect_error(option, fragment, elb.validate_names, name, prefix)


def test_the_longest_colour_name_fits():
    elb.validate_names("faith-chatbot-production-alb", "faith-chatbot-production")
    assert elb.target_group_names("faith-chatbot-production")["green"] == "faith-chatbot-production-green"


@pytest.mark.parametrize(
    "subnets, groups, option, fragment",
    [
        (SUBNETS[:1], ["sg-0aaaaaaaaaaaaaaaa"], "subnets", "at least two subnets"),
        ([SUBNETS[0], SUBNETS[0]], ["sg-0aaaaaaaaaaaaaaaa"], "subnets", "more than once"),
        ([SUBNETS[0], "subnet-x"], ["sg-0aaaaaaaaaaaaaaaa"], "subnets[1]", "not a subnet id"),
        (SUBNETS, [], "security_groups", "at least one"),
        (SUBNETS, ["sg-0aaaaaaaaaaaaaaaa"] * 6, "security_groups", "AWS allows 5"),
        (SUBNETS, ["default"], "security_groups[0]", "not a security group id"),
    ],
)
def test_network_placement_is_checked(subnets, groups, option, fragment):
    expect_error(option, fragment, elb.validate_network, subnets, groups)


def test_subnets_must_span_two_zones_of_one_vpc():
    same_zone = [{"SubnetId": subnet, "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a"} for subnet in SUBNETS]
    expect_error("subnets", "all subnets are in us-east-1a", elb.validate_subnet_zones, SUBNETS, same_zone)
    two_vpcs = [dict(same_zone[0]), dict(same_zone[1], VpcId="vpc-2", AvailabilityZone="us-east-1b")]
    expect_error("subnets", "several VPCs (vpc-1, vpc-2)", elb.validate_subnet_zones, SUBNETS, two_vpcs)
    expect_error("subnets", SUBNETS[1], elb.validate_subnet_zones, SUBNETS, same_zone[:1])
    expect_error("subnets", "do not exist", elb.validate_subnet_zones, SUBNETS, None)
    good = [dict(same_zone[0]), dict(same_zone[1], AvailabilityZone="us-east-1b")]
    assert elb.validate_subnet_zones(SUBNETS, good) == ("vpc-1", {SUBNETS[0]: "us-east-1a", SUBNETS[1]: "us-east-1b"})


@pytest.mark.parametrize(
    "container_port, overrides, delay, option, fragment",
    [
        (9000, {}, 30, "container_port", "container listens on 9000 but the target groups send traffic to target_port 8000"),
        (None, {"port": "8080"}, 30, "health_check.port", "a port the container does not serve"),
        (None, {"port": "http"}, 30, "health_check.port", "'traffic-port' or a port number"),
        (None, {"timeout": 15}, 30, "health_check.timeout", "shorter than health_check.interval"),
        (None, {"interval": 400}, 30, "health_check.interval", "5 to 300"),
        (None, {"healthy_threshold": 1}, 30, "health_check.healthy_threshold", "2 to 10"),
        (None, {"matcher": "600"}, 30, "health_check.matcher", "200 to 499"),
        (None, {"matcher": "ok"}, 30, "health_check.matcher", "HTTP codes"),
        (None, {"path": "health"}, 30, "health_check.path", "start with '/'"),
        (None, {}, 4000, "deregistration_delay", "0 to 3600"),
    ],
)
def test_target_group_settings_are_checked(container_port, overrides, delay, option, fragment):
    expect_error(option, fragment, elb.validate_target_group, 8000, container_port, dict(HEALTH_CHECK, **overrides), delay)


def test_matching_ports_pass():
    elb.validate_target_group(8000, 8000, dict(HEALTH_CHECK, port="8000", matcher="200-299"), 30)


@pytest.mark.parametrize(
    "ports, certificate, option, fragment",
    [
        ((80, 443, 80), None, "test_listener_port", "already the port of listener_port"),
        ((80, 443, 443), CERT, "test_listener_port", "already the port of https_port"),
        ((80, 80, 8080), CERT, "https_port", "already the port of listener_port"),
        ((80, 443, 70000), None, "test_listener_port", "outside 1 to 65535"),
        ((80, 443, 8080), "arn:aws:s3:::bucket", "certificate_arn", "not an ACM or IAM server certificate ARN"),
    ],
)
def test_listener_ports_and_certificates_are_checked(ports, certificate, option, fragment):
    expect_error(option, fragment, elb.validate_listeners, *ports, certificate)


@pytest.mark.parametrize(
    "weights, option, fragment",
    [
        ({"blue": 90, "green": 20}, "weights", "blue (90) + green (20) = 110"),
        ({"blue": 0, "green": 0}, "weights", "must sum to 100"),
        ({"blue": 150, "green": -50}, "weights.blue", "outside 0 to 100"),
    ],
)
def test_weights_are_percentages(weights, option, fragment):
    expect_error(option, fragment, elb.validate_weights, weights)


def test_access_log_settings_are_checked():
    expect_error("idle_timeout", "1 to 4000", elb.validate_attributes, 0, None)
    expect_error("access_logs.bucket", "not an S3 bucket name", elb.validate_attributes, 60, {"bucket": "My_Bucket", "prefix": ""})
    expect_error("access_logs.prefix", "AWSLogs", elb.validate_attributes, 60, {"bucket": "logs-bucket", "prefix": "x/AWSLogs"})


# --- attributes and target groups ----------------------------------------------------------


def test_attributes_compare_against_aws_defaults_when_unreported():
    desired = elb.desired_attributes(False, 60, None)
    assert elb.attribute_changes({"deletion_protection.enabled": "false"}, desired) == {}
    assert elb.attribute_changes({}, elb.desired_attributes(True, 120, {"bucket": "logs", "prefix": "alb"})) == {
        "deletion_protection.enabled": "true",
        "idle_timeout.timeout_seconds": "120",
        "access_logs.s3.enabled": "true",
        "access_logs.s3.bucket": "logs",
        "access_logs.s3.prefix": "alb",
    }


def test_described_attributes_read_back_in_option_form():
    described = elb.describe_attributes({"access_logs.s3.bucket": "", "deletion_protection.enabled": "true", "idle_timeout.timeout_seconds": "120"})
    assert described == {"deletion_protection": True, "idle_timeout": 120, "access_logs": {"enabled": False}}


def test_target_group_request_matches_the_elbv2_model_and_reads_back_unchanged():
    desired = elb.desired_target_group("faith-blue", "vpc-1", 8000, "HTTP", HEALTH_CHECK)
    model = get_session().get_service_model("elbv2").operation_model("CreateTargetGroup").input_shape
    report = ParamValidator().validate(desired, model)
    assert not report.has_errors(), report.generate_report()
    described = dict(desired, TargetGroupArn=ARNS["blue"], TargetGroupName="faith-blue", ProtocolVersion="HTTP1", IpAddressType="ipv4", LoadBalancerArns=[])
    assert elb.health_check_changes(described, desired) == {}
    assert elb.health_check_changes(dict(described, HealthCheckPath="/", Matcher={"HttpCode": "200-399"}), desired) == {
        "HealthCheckPath": "/health",
        "Matcher": {"HttpCode": "200"},
    }


def test_immutable_target_group_settings_are_reported_by_option():
    desired = elb.desired_target_group("faith-blue", "vpc-1", 8000, "HTTP", HEALTH_CHECK)
    current = dict(desired, TargetGroupName="faith-blue", Port=9000, Protocol="HTTPS", TargetType="instance", VpcId="vpc-2")
    assert [conflict[0] for conflict in elb.target_group_conflicts(current, desired)] == ["target_port", "target_protocol", "target_group_prefix", "subnets"]


# --- listeners -----------------------------------------------------------------------------


def described_listener(arn, listener):
    """A listener as DescribeListeners returns it: ARNs, defaults AWS fills in, single-target shortcut."""
    described = dict(listener, ListenerArn=arn, LoadBalancerArn=f"{PREFIX}:loadbalancer/app/faith/3333333333333333")
    actions = []
    for action in listener["DefaultActions"]:
        action = dict(action)
        if action["Type"] == "forward":
            groups = action["ForwardConfig"]["TargetGroups"]
            if len(groups) == 1:
                action["TargetGroupArn"] = groups[0]["TargetGroupArn"]
        if action["Type"] == "redirect":
            action["RedirectConfig"] = dict(action["RedirectConfig"], Host="#{host}", Path="/#{path}", Query="#{query}")
        actions.append(action)
    described["DefaultActions"] = actions
    return described


def http_listeners(weights=None, test_colour="green"):
    return elb.desired_listeners(80, 443, 8080, None, "policy", ARNS, weights or {"blue": 100, "green": 0}, test_colour)


def test_listeners_without_a_certificate_are_plain_http():
    listeners = http_listeners()
    assert sorted(listeners) == [80, 8080]
    assert listeners[80]["DefaultActions"][0]["ForwardConfig"]["TargetGroups"] == [
        {"TargetGroupArn": ARNS["blue"], "Weight": 100},
        {"TargetGroupArn": ARNS["green"], "Weight": 0},
    ]
    assert listeners[8080]["DefaultActions"][0]["ForwardConfig"]["TargetGroups"] == [{"TargetGroupArn": ARNS["green"], "Weight": 1}]


def test_listeners_with_a_certificate_redirect_http_to_https():
    listeners = elb.desired_listeners(80, 443, 8080, CERT, "ELBSecurityPolicy-TLS13-1-2-2021-06", ARNS, {"blue": 100, "green": 0}, "green")
    assert listeners[80]["DefaultActions"] == [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
    assert listeners[443]["Protocol"] == listeners[8080]["Protocol"] == "HTTPS"
    assert listeners[443]["Certificates"] == [{"CertificateArn": CERT}]
    model = get_session().get_service_model("elbv2").operation_model("CreateListener").input_shape
    for listener in listeners.values():
        report = ParamValidator().validate(dict(listener, LoadBalancerArn=f"{PREFIX}:loadbalancer/app/faith/3"), model)
        assert not report.has_errors(), report.generate_report()


def test_described_listeners_compare_equal_to_the_desired_ones():
    desired = elb.desired_listeners(80, 443, 8080, CERT, "ELBSecurityPolicy-TLS13-1-2-2021-06", ARNS, {"blue": 100, "green": 0}, "green")
    current = [described_listener(f"{PREFIX}:listener/{port}", listener) for port, listener in desired.items()]
    assert elb.plan_listeners(current, desired, COLOUR_OF) == ([], [], [])


def test_an_http_listener_reported_with_a_tls_policy_still_matches():
    desired = http_listeners()
    current = [dict(described_listener(f"{PREFIX}:listener/{port}", listener), SslPolicy="ELBSecurityPolicy-2016-08") for port, listener in desired.items()]
    assert elb.plan_listeners(current, desired, COLOUR_OF) == ([], [], [])


def test_adding_a_certificate_creates_https_then_turns_http_into_a_redirect():
    current = [described_listener(f"{PREFIX}:listener/{port}", listener) for port, listener in http_listeners().items()]
    desired = elb.desired_listeners(80, 443, 8080, CERT, "policy", ARNS, {"blue": 100, "green": 0}, "green")
    create, modify, delete = elb.plan_listeners(current, desired, COLOUR_OF)
    assert [listener["Port"] for listener in create] == [443]
    assert [(arn, listener["Port"]) for arn, listener in modify] == [(f"{PREFIX}:listener/80", 80), (f"{PREFIX}:listener/8080", 8080)]
    assert delete == []


def test_a_listener_on_an_undeclared_port_is_deleted():
    current = [described_listener(f"{PREFIX}:listener/{port}", listener) for port, listener in http_listeners().items()]
    desired = elb.desired_listeners(80, 443, 9090, None, "policy", ARNS, {"blue": 100, "green": 0}, "green")
    create, modify, delete = elb.plan_listeners(current, desired, COLOUR_OF)
    assert [listener["Port"] for listener in create] == [9090]
    assert modify == []
    assert [listener["Port"] for listener in delete] == [8080]


def test_weights_and_the_test_colour_read_back_from_the_listeners():
    listeners = [described_listener(f"{PREFIX}:listener/{port}", listener) for port, listener in http_listeners({"blue": 30, "green": 70}, "blue").items()]
    production = elb.production_listener(listeners, ARNS)
    test = elb.test_listener(listeners, ARNS)
    assert production["Port"] == 80
    assert elb.weights_of(production, ARNS) == {"blue": 30, "green": 70}
    assert elb.colour_of_listener(test, ARNS) == "blue"
    assert elb.describe_listeners(listeners, ARNS) == {
        "production": {"arn": f"{PREFIX}:listener/80", "port": 80, "protocol": "HTTP"},
        "test": {"arn": f"{PREFIX}:listener/8080", "port": 8080, "protocol": "HTTP", "colour": "blue"},
    }


def test_a_weight_change_is_a_listener_modification():
    current = [described_listener(f"{PREFIX}:listener/{port}", listener) for port, listener in http_listeners().items()]
    create, modify, delete = elb.plan_listeners(current, http_listeners({"blue": 90, "green": 10}), COLOUR_OF)
    assert (create, delete) == ([], [])
    assert [listener["Port"] for arn, listener in modify] == [80]


@pytest.mark.parametrize("weights, colour", [({"blue": 100, "green": 0}, "green"), ({"blue": 0, "green": 100}, "blue"), ({"blue": 50, "green": 50}, "green")])
def test_the_idle_colour_has_less_traffic(weights, colour):
    assert elb.idle_colour(weights) == colour


def test_listener_views_name_colours_and_fill_redirect_defaults():
    redirect = {
        "Protocol": "HTTP",
        "Port": 80,
        "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}],
    }
    assert elb.listener_view(redirect)["actions"] == [
        {"type": "redirect", "host": "#{host}", "path": "/#{path}", "port": "443", "protocol": "HTTPS", "query": "#{query}", "statuscode": "HTTP_301"}
    ]
    forward = http_listeners()[80]
    assert elb.listener_view(forward, COLOUR_OF)["actions"] == [{"type": "forward", "targets": {"blue": 100, "green": 0}, "stickiness": False}]

"""Bad input to the playbooks is refused before anything is written, naming what to fix.

Each case runs a playbook against the deployed local stack with one bad set of extra vars
and asserts: the run fails, the output names the variable the user set and what is valid,
the emulator saw no write (its request counter), and the resources read the same as before
(the last test). The checks run in
faith.ops.preflight, the first task of deploy.yml, teardown.yml and drift.yml.
"""

from __future__ import annotations

import json

import boto3
import pytest

LONG_ENV = "averyveryverylongenvironmentname"


def extra(**variables) -> list[str]:
    """Extra vars as one JSON document, so lists, numbers and strings keep their types."""
    return ["-e", json.dumps(variables)]


def raw(*pairs: str) -> list[str]:
    """Extra vars as an operator types them (key=value: every value a string)."""
    return [arg for pair in pairs for arg in ("-e", pair)]


# (id, extra-var arguments, texts the output must contain: the variable and the valid range)
DEPLOY_CASES = [
    # Names after derivation
    (
        "env-too-long",
        raw(f"faith_env={LONG_ENV}"),
        ["faith_env", "load balancer name", "AWS allows 32", "at most 14 characters", "backup plan name", "AWS allows 50",
         f"target group name 'faith-chatbot-{LONG_ENV}-green'"],
    ),
    ("env-uppercase", raw("faith_env=Prod"), ["faith_env", "'Prod' is not usable in resource names", "lowercase letters"]),
    ("app-name-underscore", raw("faith_app_name=faith_chatbot"), ["faith_app_name", "lowercase letters, digits and '-'"]),
    ("app-name-too-long", raw("faith_app_name=the-faith-motivator-chatbot-app"), ["faith_app_name='the-faith-motivator-chatbot-app'", "AWS allows 32"]),
    # Connection
    ("primary-region", raw("faith_primary_region=moon-base-1"), ["faith_primary_region", "not an AWS region name"]),
    ("dr-region", raw("faith_dr_region=us_west_2"), ["faith_dr_region", "not an AWS region name"]),
    ("endpoint-url", raw("faith_aws_endpoint_url=127.0.0.1:5610"), ["faith_aws_endpoint_url", "not an http(s) URL"]),
    # Network
    ("vpc-cidr-host-bits", raw("network_vpc_cidr=10.0.0.1/16"), ["network_vpc_cidr", "host bits set", "10.0.0.0/16"]),
    ("vpc-cidr-too-large", raw("network_vpc_cidr=10.0.0.0/8"), ["network_vpc_cidr", "/16 to /28"]),
    ("vpc-cidr-garbage", raw("network_vpc_cidr=ten-dot-zero"), ["network_vpc_cidr", "not a CIDR block"]),
    ("az-count-zero", raw("network_az_count=0"), ["network_az_count", "use 1 to 6"]),
    ("subnet-prefix-too-long", raw("network_subnet_prefix_length=30"), ["network_subnet_prefix_length", "use 16 to 28"]),
    ("nat-mode", raw("network_nat_mode=sometimes"), ["network_nat_mode", "none, single, per_az"]),
    ("subnets-outside-vpc", extra(network_public_subnets=["10.1.0.0/24", "10.1.1.0/24"]), ["network_public_subnets[0]", "not inside network_vpc_cidr"]),
    ("subnets-overlap", extra(network_private_subnets=["10.0.8.0/24", "10.0.8.0/25"]), ["network_private_subnets[1]", "overlaps"]),
    ("subnets-count", extra(network_private_subnets=["10.0.8.0/24"]), ["network_private_subnets", "one per zone"]),
    ("zone-of-another-region", extra(network_availability_zones=["us-east-1a", "eu-west-1a"]), ["network_availability_zones[1]", "us-east-1"]),
    ("gateway-endpoint", extra(network_gateway_endpoints=["s3", "sqs"]), ["network_gateway_endpoints", "s3, dynamodb"]),
    # Edge
    ("listener-port-high", raw("edge_listener_port=99999"), ["edge_listener_port=99999 is out of range", "1 to 65535"]),
    ("ports-zero", raw("compute_container_port=0", "edge_app_port=0"), ["edge_app_port=0 is out of range", "compute_container_port=0 is out of range"]),
    ("listener-port-text", raw("edge_listener_port=http"), ["edge_listener_port", "int"]),
    ("test-listener-same-port", raw("edge_test_listener_port=80"), ["edge_test_listener_port", "each listener needs its own port"]),
    ("https-port-high", raw("edge_https_port=70000"), ["edge_https_port=70000", "1 to 65535"]),
    ("app-port-mismatch", raw("edge_app_port=8001"), ["edge_app_port", "compute_container_port=8000"]),
    ("ingress-cidr", extra(edge_ingress_cidrs=["0.0.0.0/33"]), ["edge_ingress_cidrs[0]", "not a CIDR block"]),
    ("waf-block-list-ipv6", extra(edge_waf_ip_block_list=["2001:db8::/32"]), ["edge_waf_ip_block_list[0]", "IPv4"]),
    ("health-check-interval", raw("edge_health_check_interval=1"), ["edge_health_check_interval=1", "5 to 300 seconds"]),
    ("healthy-threshold", raw("edge_health_check_healthy_threshold=11"), ["edge_health_check_healthy_threshold=11", "2 to 10"]),
    ("deregistration-delay", raw("edge_deregistration_delay=4000"), ["edge_deregistration_delay=4000", "0 to 3600 seconds"]),
    ("idle-timeout", raw("edge_idle_timeout=0"), ["edge_idle_timeout=0", "1 to 4000 seconds"]),
    ("waf-rate-limit", raw("edge_waf_rate_limit=5"), ["edge_waf_rate_limit=5", "10 to 2000000000", "or 0"]),
    ("waf-window", raw("edge_waf_rate_limit_window=90"), ["edge_waf_rate_limit_window", "60, 120, 300, 600"]),
    ("certificate-arn", raw("edge_certificate_arn=my-certificate"), ["edge_certificate_arn", "not the ARN of an acm or iam"]),
    ("health-check-path", raw("edge_health_check_path=health"), ["edge_health_check_path", "must start with '/'"]),
    (
        "env-one-character-too-long",
        raw("faith_env=staging-eu-west"),
        ["faith_env", "log archive bucket", "AWS allows 63", "target group name 'faith-chatbot-staging-eu-west-green'"],
    ),
    # Cache
    ("cache-port", raw("cache_port=0"), ["cache_port=0 is out of range", "1 to 65535"]),
    ("cache-failover-one-node", raw("cache_num_cache_clusters=1"), ["cache_num_cache_clusters", "needs at least 2"]),
    ("cache-node-type", raw("cache_node_type=t4g.micro"), ["cache_node_type", "cache.t4g.micro"]),
    ("cache-snapshot-retention", raw("cache_snapshot_retention_days=40"), ["cache_snapshot_retention_days=40", "0 to 35 days"]),
    # Compute
    ("cpu-choice", raw("compute_cpu=300"), ["compute_cpu", "256, 512, 1024"]),
    ("memory-for-cpu", raw("compute_memory=4096"), ["compute_memory", "does not fit compute_cpu=256", "512, 1024, 2048"]),
    ("memory-reservation", raw("compute_container_memory_reservation=1024"), ["compute_container_memory_reservation", "more than compute_memory=512"]),
    ("capacity-inverted", raw("compute_min_capacity=5", "compute_max_capacity=2"), ["compute_min_capacity", "greater than compute_max_capacity=2"]),
    ("capacity-too-high", raw("compute_max_capacity=6000"), ["compute_max_capacity=6000", "0 to 5000"]),
    ("cpu-target-nan", raw("compute_cpu_target=nan"), ["compute_cpu_target", "not a finite number"]),
    ("cpu-target-over-100", raw("compute_cpu_target=150"), ["compute_cpu_target=150", "100 percent"]),
    ("requests-target-zero", raw("compute_requests_per_target=0"), ["compute_requests_per_target", "greater than 0"]),
    ("log-retention", raw("compute_log_retention_days=10"), ["compute_log_retention_days", "1, 3, 5, 7, 14"]),
    ("colour", extra(compute_colours=["red"]), ["compute_colours", "blue and/or green"]),
    ("initial-colour", raw("compute_initial_active_colour=purple"), ["compute_initial_active_colour", "blue, green"]),
    ("deployment-maximum", raw("compute_deployment_maximum_percent=50"), ["compute_deployment_maximum_percent=50", "100 to 200 percent"]),
    ("secret-recovery", raw("compute_secret_recovery_days=3"), ["compute_secret_recovery_days=3", "7 to 30 days", "or 0"]),
    ("container-port-text", raw("compute_container_port=eighty"), ["compute_container_port", "int"]),
    # Data
    ("billing-mode", raw("data_billing_mode=FREE"), ["data_billing_mode", "PAY_PER_REQUEST, PROVISIONED"]),
    ("queue-retention", raw("data_prayer_queue_retention_seconds=30"), ["data_prayer_queue_retention_seconds=30", "60 to 1209600 seconds"]),
    ("receive-wait", raw("data_prayer_queue_receive_wait_seconds=21"), ["data_prayer_queue_receive_wait_seconds=21", "0 to 20 seconds"]),
    ("kms-missing", raw("data_encryption=customer_managed"), ["data_kms_key_arn", "needs the ARN of a KMS key"]),
    ("replica-in-primary", extra(data_replica_regions=["us-east-1"]), ["data_replica_regions[0]", "faith_primary_region"]),
    # Observability
    ("alarm-period", raw("observability_alarm_period=45"), ["observability_alarm_period", "10, 30 or a multiple of 60"]),
    ("evaluation-periods-zero", raw("observability_alarm_evaluation_periods=0"), ["observability_alarm_evaluation_periods=0", "1 to 100"]),
    ("datapoints-over-periods", raw("observability_alarm_datapoints=9"), ["observability_alarm_datapoints", "observability_alarm_evaluation_periods=5"]),
    ("threshold-inf", raw("observability_5xx_rate_threshold=inf"), ["observability_5xx_rate_threshold", "not a finite number"]),
    ("threshold-nan", raw("observability_latency_p95_threshold=nan"), ["observability_latency_p95_threshold", "not a finite number"]),
    ("alarm-email", extra(observability_alarm_emails=["ops-team"]), ["observability_alarm_emails[0]", "not an email address"]),
    ("dynamodb-operations", extra(observability_dynamodb_operations=["GetItem"] * 10), ["observability_dynamodb_operations", "1 to 9"]),
    # Backup
    ("timezone", raw("backup_schedule_timezone=Mars/Olympus"), ["backup_schedule_timezone", "IANA time zone"]),
    ("schedule", raw("backup_daily_schedule=0 5 * * *"), ["backup_daily_schedule", "cron(0 5 ? * * *)"]),
    ("daily-retention", raw("backup_daily_retention_days=0"), ["backup_daily_retention_days=0", "1 to 36500 days"]),
    ("cold-storage-retention", raw("backup_weekly_retention_days=100"), ["backup_weekly_retention_days", "keep at least 120 days"]),
    ("vault-key", raw("backup_vault_kms_key_arn=arn:aws:s3:::bucket"), ["backup_vault_kms_key_arn", "not the ARN of a kms key"]),
    # Everything at once: one run reports all of it.
    (
        "all-at-once",
        raw("edge_listener_port=99999", "compute_cpu_target=nan", "backup_schedule_timezone=Mars/Olympus", "network_nat_mode=sometimes"),
        ["4 problem(s)", "edge_listener_port=99999", "compute_cpu_target", "backup_schedule_timezone", "network_nat_mode"],
    ),
]


def client(platform, service):
    return boto3.client(
        service, endpoint_url=platform.endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def stack_snapshot(platform) -> dict:
    """What the bad inputs above would have changed first: groups and their rules, listeners,
    target groups, subnets, tables, services, alarms."""
    ec2, elbv2 = client(platform, "ec2"), client(platform, "elbv2")
    groups = {
        group["GroupName"]: sorted(json.dumps(rule, sort_keys=True) for rule in group["IpPermissions"] + group["IpPermissionsEgress"])
        for group in ec2.describe_security_groups()["SecurityGroups"]
    }
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = sorted(
        (listener["Port"], listener["Protocol"])
        for balancer in balancers
        for listener in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    )
    target_groups = sorted((group["TargetGroupName"], group["Port"]) for group in elbv2.describe_target_groups()["TargetGroups"])
    clusters = client(platform, "ecs").list_clusters()["clusterArns"]
    return {
        "vpcs": sorted(vpc["CidrBlock"] for vpc in ec2.describe_vpcs()["Vpcs"]),
        "subnets": sorted(subnet["CidrBlock"] for subnet in ec2.describe_subnets()["Subnets"]),
        "security_groups": groups,
        "load_balancers": sorted(balancer["LoadBalancerName"] for balancer in balancers),
        "listeners": listeners,
        "target_groups": target_groups,
        "tables": sorted(client(platform, "dynamodb").list_tables()["TableNames"]),
        "services": sorted(arn for cluster in clusters for arn in client(platform, "ecs").list_services(cluster=cluster)["serviceArns"]),
        "alarms": sorted(alarm["AlarmName"] for alarm in client(platform, "cloudwatch").describe_alarms()["MetricAlarms"]),
    }


@pytest.fixture(scope="module")
def stack_before(deployed, platform):
    """The deployed stack as the first case of this module finds it."""
    return stack_snapshot(platform)


def assert_refused_without_writes(platform, run, texts):
    output = run.stdout + run.stderr
    assert run.returncode != 0, output[-4000:]
    assert "nothing was changed" in output, output[-4000:]
    for text in texts:
        assert text in output, f"{text!r} not in:\n{output[-4000:]}"
    assert run.recap.get("changed", 0) == 0
    requests = platform.requests()
    assert requests["writes"] == 0, requests["write_operations"]


@pytest.mark.parametrize(("arguments", "texts"), [case[1:] for case in DEPLOY_CASES], ids=[case[0] for case in DEPLOY_CASES])
def test_deploy_refuses_bad_extra_vars_before_any_write(stack_before, platform, playbook, arguments, texts):
    platform.reset_requests()
    run = playbook("deploy.yml", *arguments)
    assert_refused_without_writes(platform, run, texts)
    # The checks need no AWS answer: the refusal costs no request at all.
    assert platform.requests()["reads"] == 0


def test_a_missing_subnet_is_reported_alone(deployed, platform, playbook):
    """Given a subnet that exists and one that does not, only the missing one is named."""
    existing = client(platform, "ec2").describe_subnets(Filters=[{"Name": "tag:Tier", "Values": ["public"]}])["Subnets"][0]["SubnetId"]
    missing = "subnet-0123456789abcdef0"
    platform.reset_requests()
    run = playbook("deploy.yml", *extra(edge_public_subnet_ids=[existing, missing]))
    assert_refused_without_writes(platform, run, ["edge_public_subnet_ids[1]", f"{missing} does not exist in us-east-1"])
    assert existing not in run.stdout
    assert platform.requests()["read_operations"] == {"DescribeSubnets": 1}


def test_teardown_refuses_bad_input_and_deletes_nothing(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("teardown.yml", "-e", "teardown_confirm=local", "-e", "edge_listener_port=99999")
    assert_refused_without_writes(platform, run, ["edge_listener_port=99999 is out of range"])


def test_teardown_of_an_environment_whose_names_aws_refuses_stops_first(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("teardown.yml", "-e", f"teardown_confirm={LONG_ENV}", "-e", f"faith_env={LONG_ENV}")
    assert_refused_without_writes(platform, run, ["faith_env", "backup plan name", "AWS allows 50"])


def test_drift_refuses_bad_input_before_reading(deployed, platform, playbook):
    platform.reset_requests()
    run = playbook("drift.yml", "-e", "compute_cpu_target=nan", "-e", "observability_alarm_evaluation_periods=0")
    assert_refused_without_writes(platform, run, ["compute_cpu_target", "observability_alarm_evaluation_periods=0"])
    assert platform.requests()["reads"] == 0


def test_the_stack_is_as_it_was_before_the_refusals(stack_before, platform):
    """Every refusal above made no write; the resources they would have touched read the same."""
    assert stack_snapshot(platform) == stack_before

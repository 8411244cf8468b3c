# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.plugin_utils.preflight import Finding
from ansible_collections.faith.ops.plugins.plugin_utils.preflight import check_stack
from ansible_collections.faith.ops.plugins.plugin_utils.preflight import timezone_problem


def prefixed(env="local", app="faith-chatbot"):
    """The derived names of the stack's roles (their vars/main.yml), for one environment."""
    prefix = f"{app}-{env}"
    return {
        "edge_alb_name": f"{prefix}-alb",
        "edge_alb_security_group_name": f"{prefix}-alb",
        "edge_task_security_group_name": f"{prefix}-tasks",
        "edge_web_acl_name": f"{prefix}-waf",
        "edge_target_group_prefix": prefix,
        "backup_plan_name": f"{prefix}-backup",
        "backup_vault_name": f"{prefix}-vault",
        "backup_dr_vault_name": f"{prefix}-dr-vault",
        "backup_role_name": f"{prefix}-backup",
        "compute_cluster_name": prefix,
        "compute_family": prefix,
        "compute_log_group_name": f"/ecs/{prefix}",
        "compute_secret_name": f"{prefix}/config",
        "compute_execution_role_name": f"{prefix}-execution",
        "compute_task_role_name": f"{prefix}-task",
        "compute_service_names": {"blue": f"{prefix}-blue", "green": f"{prefix}-green"},
        "data_prayer_queue_name": f"{prefix}-prayer-requests",
        "data_prayer_dlq_name": f"{prefix}-prayer-requests-dlq",
        "data_table_names": {"UserProfiles": f"{prefix}-UserProfiles"},
        "observability_topic_name": f"{prefix}-alarms",
        "observability_dashboard_name": f"{prefix}-operations",
        "observability_alarm_set": prefix,
        "cache_name": prefix,
        "cache_security_group_name": f"{prefix}-cache",
        "cache_secret_name": f"{prefix}/cache",
        "network_log_bucket": f"aws-waf-logs-{prefix}-000000000000-us-east-1",
    }


def stack(env="local", app="faith-chatbot", **overrides):
    """The role defaults of the stack as the argument specs type them."""
    values = {
        "faith_env": env, "faith_app_name": app, "faith_primary_region": "us-east-1", "faith_dr_region": "us-west-2",
        "faith_aws_endpoint_url": "http://127.0.0.1:5610",
        "network_vpc_cidr": "10.0.0.0/16", "network_az_count": 2, "network_subnet_prefix_length": 24,
        "network_public_subnets": [], "network_private_subnets": [], "network_availability_zones": [],
        "edge_listener_port": 80, "edge_https_port": 443, "edge_test_listener_port": 8080, "edge_app_port": 8000,
        "edge_certificate_arn": "", "edge_ingress_cidrs": ["0.0.0.0/0"], "edge_test_listener_cidrs": [], "edge_waf_ip_block_list": [],
        "edge_health_check_path": "/health", "edge_health_check_interval": 15, "edge_health_check_healthy_threshold": 2,
        "edge_health_check_unhealthy_threshold": 2, "edge_deregistration_delay": 30, "edge_idle_timeout": 60,
        "edge_waf_rate_limit": 2000, "edge_waf_log_destination_arn": "", "edge_access_logs_bucket": "", "edge_wait_timeout": 600,
        "compute_cpu": 256, "compute_memory": 512, "compute_container_memory_reservation": 512, "compute_container_port": 8000,
        "compute_min_capacity": 1, "compute_max_capacity": 4, "compute_desired_count": 1, "compute_idle_desired_count": 0,
        "compute_cpu_target": 60.0, "compute_requests_per_target": 500.0, "compute_scale_in_cooldown": 300, "compute_scale_out_cooldown": 60,
        "compute_deployment_maximum_percent": 200, "compute_deployment_minimum_healthy_percent": 100,
        "compute_health_check_interval": 30, "compute_health_check_timeout": 5, "compute_health_check_retries": 3,
        "compute_health_check_start_period": 15, "compute_health_check_grace_period": 60, "compute_task_definition_keep": 10,
        "compute_secret_recovery_days": 7, "compute_log_retention_days": 30, "compute_colours": ["blue", "green"],
        "compute_initial_active_colour": "blue", "compute_release_owned": ["image", "task_definition", "desired_count", "capacity"],
        "compute_container_name": "app", "compute_bedrock_model_arns": [], "compute_capacity_providers": ["FARGATE", "FARGATE_SPOT"],
        "compute_capacity_provider_strategy": [{"capacity_provider": "FARGATE", "base": 1, "weight": 1}],
        "data_prayer_queue_visibility_timeout": 60, "data_prayer_queue_retention_seconds": 345600,
        "data_prayer_dlq_retention_seconds": 1209600, "data_prayer_queue_max_receive_count": 5,
        "data_prayer_queue_receive_wait_seconds": 20, "data_encryption": "aws_managed", "data_kms_key_arn": "",
        "data_replica_regions": [], "data_tables": {"UserProfiles": {"hash_key": "user_id"}},
        "observability_alarm_period": 60, "observability_alarm_evaluation_periods": 5, "observability_alarm_datapoints": 3,
        "observability_5xx_rate_threshold": 5.0, "observability_latency_p95_threshold": 3.0, "observability_waf_band_width": 3.0,
        "observability_waf_period": 300, "observability_dashboard_period": 300, "observability_alarm_emails": [],
        "observability_dynamodb_operations": ["GetItem", "PutItem"],
        "backup_schedule_timezone": "", "backup_daily_schedule": "cron(0 5 ? * * *)", "backup_weekly_schedule": "cron(0 3 ? * SUN *)",
        "backup_daily_retention_days": 35, "backup_weekly_retention_days": 365, "backup_weekly_cold_storage_after_days": 30,
        "backup_dr_retention_days": 0, "backup_copy_to_dr": True, "backup_vault_kms_key_arn": "",
        "cache_port": 6379, "cache_num_cache_clusters": 2, "cache_automatic_failover": True, "cache_node_type": "cache.t4g.micro",
        "cache_snapshot_retention_days": 1, "cache_secret_recovery_days": 7, "network_log_retention_days": 90,
        "network_access_log_prefix": "alb",
    }
    values.update(prefixed(env, app))
    values.update(overrides)
    return values


def variables(findings):
    return [finding.variable for finding in findings]


def test_the_defaults_pass():
    assert check_stack(stack()) == []


def test_a_long_environment_is_reported_for_every_name_it_breaks_naming_faith_env():
    env = "averyveryverylongenvironmentname"
    findings = check_stack(stack(env=env))
    assert set(variables(findings)) == {"faith_env"}
    messages = [finding.message for finding in findings]
    assert any("load balancer name" in message and "AWS allows 32" in message and "at most 14 characters" in message for message in messages)
    assert any("backup plan name" in message and "AWS allows 50" in message for message in messages)
    assert any(f"'faith-chatbot-{env}-green'" in message for message in messages)
    assert any("cache replication group name" in message and "AWS allows 40" in message for message in messages)
    assert any("log archive bucket" in message and "AWS allows 63" in message for message in messages)
    assert len(findings) == 8


def test_an_environment_one_character_too_long_for_the_load_balancer():
    findings = check_stack(stack(env="staging-eu-west"))
    assert "load balancer name 'faith-chatbot-staging-eu-west-alb' 33 characters long; AWS allows 32" in str(findings[0])
    assert "faith_env may have at most 14 characters" in str(findings[0])


def test_a_name_the_user_overrode_is_reported_against_the_override():
    findings = check_stack(stack(edge_alb_name="x" * 40), user_set={"edge_alb_name"})
    assert variables(findings) == ["edge_alb_name"]


def test_names_are_not_checked_when_their_parts_are_unusable():
    findings = check_stack(stack(env="Prod"))
    assert variables(findings) == ["faith_env"]
    assert "lowercase letters" in findings[0].message


@pytest.mark.parametrize(
    ("overrides", "variable", "words"),
    [
        ({"edge_listener_port": 99999}, "edge_listener_port", "1 to 65535"),
        ({"edge_https_port": 0}, "edge_https_port", "1 to 65535"),
        ({"edge_test_listener_port": 80}, "edge_test_listener_port", "own port"),
        ({"edge_app_port": 8001}, "edge_app_port", "compute_container_port=8000"),
        ({"edge_ingress_cidrs": ["10.0.0.1/16"]}, "edge_ingress_cidrs[0]", "host bits"),
        ({"edge_ingress_cidrs": ["10.0.0.0"]}, "edge_ingress_cidrs[0]", "no prefix length"),
        ({"edge_waf_ip_block_list": ["2001:db8::/32"]}, "edge_waf_ip_block_list[0]", "IPv4"),
        ({"edge_waf_rate_limit": 5}, "edge_waf_rate_limit", "or 0"),
        ({"edge_certificate_arn": "arn:aws:s3:::bucket"}, "edge_certificate_arn", "ARN of an acm or iam"),
        ({"edge_waf_log_destination_arn": "arn:aws:logs:us-east-1:123456789012:log-group:app"}, "edge_waf_log_destination_arn", "aws-waf-logs-"),
        ({"network_vpc_cidr": "10.0.0.0/8"}, "network_vpc_cidr", "/16 to /28"),
        ({"network_vpc_cidr": "10.0.0.0/27"}, "network_subnet_prefix_length", "larger than the VPC"),
        ({"network_vpc_cidr": "10.0.0.0/23"}, "network_subnet_prefix_length", "4 are needed"),
        ({"network_public_subnets": ["10.1.0.0/24", "10.1.1.0/24"]}, "network_public_subnets[0]", "not inside"),
        ({"network_private_subnets": ["10.0.8.0/24", "10.0.8.0/25"]}, "network_private_subnets[1]", "overlaps network_private_subnets[0]"),
        ({"network_private_subnets": ["10.0.8.0/24"]}, "network_private_subnets", "one per zone"),
        ({"network_az_count": 0}, "network_az_count", "1 to 6"),
        ({"network_availability_zones": ["us-east-1a", "eu-west-1b"]}, "network_availability_zones[1]", "not a zone of faith_primary_region us-east-1"),
        ({"compute_cpu": 300}, "compute_cpu", "not a Fargate size"),
        ({"compute_memory": 4096}, "compute_memory", "512, 1024, 2048"),
        ({"compute_cpu": 1024, "compute_memory": 1024, "compute_container_memory_reservation": 1024}, "compute_memory", "2048 to 8192 in steps of 1024"),
        ({"compute_container_memory_reservation": 1024}, "compute_container_memory_reservation", "compute_memory=512"),
        ({"compute_min_capacity": 5, "compute_max_capacity": 2}, "compute_min_capacity", "greater than compute_max_capacity=2"),
        ({"compute_cpu_target": float("nan")}, "compute_cpu_target", "not a finite number"),
        ({"compute_cpu_target": 0}, "compute_cpu_target", "greater than 0"),
        ({"compute_requests_per_target": float("inf")}, "compute_requests_per_target", "not a finite number"),
        ({"compute_health_check_timeout": 30}, "compute_health_check_timeout", "shorter than compute_health_check_interval"),
        ({"compute_log_retention_days": 10}, "compute_log_retention_days", "not a CloudWatch retention"),
        ({"compute_colours": ["red"]}, "compute_colours", "blue and/or green"),
        ({"compute_initial_active_colour": "green", "compute_colours": ["blue"]}, "compute_initial_active_colour", "not one of compute_colours"),
        ({"compute_capacity_provider_strategy": [{"capacity_provider": "EC2", "base": 0, "weight": 1}]},
         "compute_capacity_provider_strategy[0].capacity_provider", "not in compute_capacity_providers"),
        ({"compute_secret_recovery_days": 3}, "compute_secret_recovery_days", "7 to 30 days (or 0)"),
        ({"data_encryption": "customer_managed"}, "data_kms_key_arn", "needs the ARN"),
        ({"data_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abc"}, "data_kms_key_arn", "only used with data_encryption=customer_managed"),
        ({"data_replica_regions": ["us-east-1"]}, "data_replica_regions[0]", "faith_primary_region"),
        ({"data_prayer_queue_retention_seconds": 30}, "data_prayer_queue_retention_seconds", "60 to 1209600 seconds"),
        ({"observability_alarm_period": 45}, "observability_alarm_period", "10, 30 or a multiple of 60"),
        ({"observability_alarm_evaluation_periods": 0}, "observability_alarm_evaluation_periods", "1 to 100"),
        ({"observability_alarm_period": 3600, "observability_alarm_evaluation_periods": 25}, "observability_alarm_evaluation_periods", "one day"),
        ({"observability_alarm_datapoints": 9}, "observability_alarm_datapoints", "observability_alarm_evaluation_periods=5"),
        ({"observability_5xx_rate_threshold": float("inf")}, "observability_5xx_rate_threshold", "not a finite number"),
        ({"observability_waf_band_width": 0}, "observability_waf_band_width", "greater than 0"),
        ({"observability_alarm_emails": ["ops"]}, "observability_alarm_emails[0]", "not an email address"),
        ({"backup_schedule_timezone": "Mars/Olympus"}, "backup_schedule_timezone", "IANA time zone"),
        ({"backup_daily_schedule": "cron(0 5 * * *)"}, "backup_daily_schedule", "AWS cron expression"),
        ({"backup_weekly_retention_days": 100}, "backup_weekly_retention_days", "at least 120 days"),
        ({"backup_vault_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:alias/backup"}, "backup_vault_kms_key_arn", "kms key"),
        ({"faith_dr_region": "us-east-1"}, "faith_dr_region", "also faith_primary_region"),
        ({"faith_primary_region": "useast1"}, "faith_primary_region", "not an AWS region name"),
        ({"faith_aws_endpoint_url": "localhost:5610"}, "faith_aws_endpoint_url", "http(s) URL"),
        ({"cache_port": 0}, "cache_port", "1 to 65535"),
        ({"cache_num_cache_clusters": 1}, "cache_num_cache_clusters", "needs at least 2"),
        ({"cache_node_type": "t4g.micro"}, "cache_node_type", "cache.t4g.micro"),
        ({"network_access_log_prefix": "/alb"}, "network_access_log_prefix", "must not start or end with '/'"),
        ({"network_log_retention_days": 0}, "network_log_retention_days", "at least 1 days"),
    ],
)
def test_each_rule_names_the_variable_and_what_is_valid(overrides, variable, words):
    findings = check_stack(stack(**overrides))
    assert variable in variables(findings), findings
    finding = next(finding for finding in findings if finding.variable == variable)
    assert words in str(finding)


def test_every_problem_is_reported_at_once():
    findings = check_stack(stack(edge_listener_port=99999, compute_cpu_target=float("nan"), backup_schedule_timezone="Mars/Olympus"))
    assert variables(findings) == ["edge_listener_port", "compute_cpu_target", "backup_schedule_timezone"]


def test_values_from_extra_vars_arrive_as_text_and_are_still_checked():
    findings = check_stack(stack(edge_listener_port="99999", compute_cpu_target="nan", network_az_count="two"))
    assert variables(findings) == ["network_az_count", "edge_listener_port", "compute_cpu_target"]
    assert str(findings[0]) == "network_az_count='two' is not a number"


def test_a_finding_reads_as_one_line():
    assert str(Finding("edge_app_port", "edge_app_port=0 is out of range; use 1 to 65535")) == "edge_app_port=0 is out of range; use 1 to 65535"
    assert str(Finding("faith_env", "makes ...")) == "faith_env: makes ..."


@pytest.mark.parametrize("zone", ["Europe/London", "America/Argentina/Buenos_Aires", "UTC"])
def test_iana_zones_pass(zone):
    assert timezone_problem(zone) is None

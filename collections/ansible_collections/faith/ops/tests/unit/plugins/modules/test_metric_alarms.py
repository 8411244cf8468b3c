# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""metric_alarms against botocore's Stubber: tag reads, purge and the no-write no-op."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.cloudwatch.transformations import SET_TAG_KEY
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.modules import metric_alarms

ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
TAGS = {"Application": "faith-chatbot", SET_TAG_KEY: "app"}


def declared_latency(**overrides):
    alarm = dict(
        name="latency", description=None, namespace="AWS/ApplicationELB", metric_name="TargetResponseTime",
        dimensions={"LoadBalancer": "app/alb/1"}, statistic=None, extended_statistic="p95", period=60, unit=None, metrics=None,
        evaluation_periods=3, datapoints_to_alarm=None, threshold=3.0, threshold_metric_id=None,
        comparison_operator="GreaterThanThreshold", treat_missing_data=None, actions_enabled=True,
        alarm_actions=None, ok_actions=None, insufficient_data_actions=None,
    )
    alarm.update(overrides)
    return alarm


def described(name, threshold=3.0):
    """A DescribeAlarms entry as AWS returns it, defaults and state included."""
    return {
        "AlarmName": name, "AlarmArn": ARN + name, "ActionsEnabled": True, "AlarmActions": [TOPIC], "OKActions": [],
        "InsufficientDataActions": [], "StateValue": "OK", "StateReason": "Threshold Crossed", "StateUpdatedTimestamp": NOW,
        "AlarmConfigurationUpdatedTimestamp": NOW, "MetricName": "TargetResponseTime", "Namespace": "AWS/ApplicationELB",
        "ExtendedStatistic": "p95", "Dimensions": [{"Name": "LoadBalancer", "Value": "app/alb/1"}], "Period": 60,
        "EvaluationPeriods": 3, "DatapointsToAlarm": 3, "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "missing",
    }


class FakeModule:
    record = FaithAWSModule.record
    result = FaithAWSModule.result

    def __init__(self, clients, check_mode=False, **overrides):
        self.params = dict(set_name="app", state="present", alarms=[declared_latency()], alarm_actions=[TOPIC], ok_actions=[],
                           insufficient_data_actions=[], purge=True, tags={"Application": "faith-chatbot"}, purge_tags=True)
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = False
        self.actions = []
        self.clients = clients

    def client(self, service):
        return self.clients[service]


@pytest.fixture
def stubbed():
    clients = {
        service: boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        for service in ("cloudwatch", "resourcegroupstaggingapi")
    }
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield clients, stubbers["cloudwatch"], stubbers["resourcegroupstaggingapi"]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def stub_read(cloudwatch, tagging, alarms, tagged):
    cloudwatch.add_response("describe_alarms", {"MetricAlarms": alarms}, {"AlarmNamePrefix": "app-", "AlarmTypes": ["MetricAlarm"]})
    tagging.add_response(
        "get_resources",
        {"ResourceTagMappingList": [{"ResourceARN": ARN + name, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} for name, tags in tagged.items()]},
        {"ResourceTypeFilters": ["cloudwatch:alarm"], "TagFilters": [{"Key": SET_TAG_KEY, "Values": ["app"]}]},
    )


def test_no_op_reads_twice_and_writes_nothing(stubbed):
    clients, cloudwatch, tagging = stubbed
    stub_read(cloudwatch, tagging, [described("app-latency")], {"app-latency": TAGS})
    module = FakeModule(clients)
    result = metric_alarms.ensure(module)
    assert result["changed"] is False
    assert module.actions == []
    assert result["alarm_names"] == ["app-latency"]


def test_alarm_missing_from_the_tagging_index_is_read_alone_and_undeclared_member_purged(stubbed):
    clients, cloudwatch, tagging = stubbed
    stub_read(cloudwatch, tagging, [described("app-latency"), described("app-old"), described("app-blue-latency")],
              {"app-old": TAGS, "app-blue-latency": {SET_TAG_KEY: "app-blue"}})
    cloudwatch.add_response("list_tags_for_resource", {"Tags": [{"Key": k, "Value": v} for k, v in TAGS.items()]}, {"ResourceARN": ARN + "app-latency"})
    cloudwatch.add_response("delete_alarms", {}, {"AlarmNames": ["app-old"]})
    stub_read(cloudwatch, tagging, [described("app-latency"), described("app-blue-latency")],
              {"app-latency": TAGS, "app-blue-latency": {SET_TAG_KEY: "app-blue"}})
    module = FakeModule(clients)
    result = metric_alarms.ensure(module)
    assert result["changed"] is True
    assert result["deleted"] == ["app-old"]
    assert result["alarm_names"] == ["app-latency"]
    assert module.actions == ["delete alarms app-old"]


def test_changed_threshold_is_put_without_tags_and_drifted_tags_are_fixed(stubbed):
    clients, cloudwatch, tagging = stubbed
    stub_read(cloudwatch, tagging, [described("app-latency", threshold=9.0)], {"app-latency": {SET_TAG_KEY: "app", "Owner": "someone"}})
    cloudwatch.add_response(
        "put_metric_alarm",
        {},
        {
            "AlarmName": "app-latency", "ActionsEnabled": True, "AlarmActions": [TOPIC], "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "LoadBalancer", "Value": "app/alb/1"}], "EvaluationPeriods": 3, "ExtendedStatistic": "p95",
            "MetricName": "TargetResponseTime", "Namespace": "AWS/ApplicationELB", "Period": 60, "Threshold": 3.0,
        },
    )
    cloudwatch.add_response("untag_resource", {}, {"ResourceARN": ARN + "app-latency", "TagKeys": ["Owner"]})
    cloudwatch.add_response("tag_resource", {}, {"ResourceARN": ARN + "app-latency", "Tags": [{"Key": "Application", "Value": "faith-chatbot"}]})
    stub_read(cloudwatch, tagging, [described("app-latency")], {"app-latency": TAGS})
    module = FakeModule(clients)
    result = metric_alarms.ensure(module)
    assert result["updated"] == ["app-latency"]
    assert module.actions == ["update alarm app-latency", "retag alarm app-latency"]


def test_check_mode_creates_nothing(stubbed):
    clients, cloudwatch, _tagging = stubbed
    cloudwatch.add_response("describe_alarms", {"MetricAlarms": []}, {"AlarmNamePrefix": "app-", "AlarmTypes": ["MetricAlarm"]})
    module = FakeModule(clients, check_mode=True)
    result = metric_alarms.ensure(module)
    assert result["changed"] is True
    assert result["created"] == ["app-latency"]
    assert module.actions == ["create alarm app-latency"]


def test_bad_operator_fails_before_any_call(stubbed):
    clients, _cloudwatch, _tagging = stubbed
    module = FakeModule(clients, alarms=[declared_latency(comparison_operator="GreaterThan")])
    with pytest.raises(OptionError) as raised:
        metric_alarms.ensure(module)
    assert raised.value.option == "alarms[0].comparison_operator"

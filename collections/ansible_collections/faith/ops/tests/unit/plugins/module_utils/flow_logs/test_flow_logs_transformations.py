# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.flow_logs import transformations as flow
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

BUCKET = "arn:aws:s3:::aws-waf-logs-faith-chatbot-production-123456789012-us-east-1"


def params(**overrides):
    base = dict(
        name="faith-chatbot-production", resource_id="vpc-0123456789abcdef0", resource_type="VPC", state="present",
        traffic_type="ALL", destination_type="s3", destination_arn=BUCKET, deliver_logs_permission_arn=None,
        max_aggregation_interval=600, log_format=None,
    )
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, option",
    [
        (dict(resource_id="subnet-0123456789abcdef0"), "resource_id"),
        (dict(destination_arn="aws-waf-logs-bucket"), "destination_arn"),
        (dict(destination_arn=BUCKET + "/AWSLogs"), "destination_arn"),
        (dict(destination_type="cloud-watch-logs", destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:flow"), "deliver_logs_permission_arn"),
        (dict(deliver_logs_permission_arn="arn:aws:iam::123456789012:role/flow"), "deliver_logs_permission_arn"),
        (dict(max_aggregation_interval=300), "max_aggregation_interval"),
        (dict(name=""), "name"),
    ],
)
def test_values_aws_refuses_are_rejected_with_the_option(overrides, option):
    with pytest.raises(OptionError) as raised:
        flow.validate(params(**overrides), check_mode=False)
    assert raised.value.option == option


def test_placeholders_pass_in_check_mode_only():
    planned = params(resource_id=UNKNOWN, destination_arn=UNKNOWN)
    flow.validate(planned, check_mode=True)
    with pytest.raises(OptionError) as raised:
        flow.validate(planned, check_mode=False)
    assert raised.value.option == "resource_id"


def test_the_create_request_has_the_shape_ec2_takes():
    request = flow.create_request(params(log_format="${srcaddr} ${dstaddr}"))
    model = get_session().get_service_model("ec2").operation_model("CreateFlowLogs").input_shape
    report = ParamValidator().validate(request, model)
    assert not report.has_errors(), report.generate_report()
    assert "DeliverLogsPermissionArn" not in request


def test_only_settings_that_differ_need_a_replacement_and_the_default_format_counts_as_unset():
    current = flow.describe(
        {"FlowLogId": "fl-1", "ResourceId": "vpc-0123456789abcdef0", "TrafficType": "REJECT", "LogDestinationType": "s3",
         "LogDestination": BUCKET + "/", "MaxAggregationInterval": 600, "LogFormat": flow.DEFAULT_FORMAT},
        {"Name": "faith-chatbot-production"},
    )
    assert current["log_format"] is None
    assert current["destination_arn"] == BUCKET
    assert flow.differences(current, flow.desired(params())) == ["traffic_type"]
    assert flow.differences(current, flow.desired(params(traffic_type="REJECT"))) == []


def test_flow_logs_are_found_by_their_name_tag():
    logs = [{"FlowLogId": "fl-1", "Tags": [{"Key": "Name", "Value": "a"}]}, {"FlowLogId": "fl-2", "Tags": []}]
    assert [item["FlowLogId"] for item in flow.named(logs, "a")] == ["fl-1"]

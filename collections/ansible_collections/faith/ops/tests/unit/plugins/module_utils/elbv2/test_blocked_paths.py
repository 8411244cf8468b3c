# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from ansible_collections.faith.ops.plugins.module_utils.elbv2 import transformations as elb
from ansible_collections.faith.ops.plugins.module_utils.planning import UNKNOWN
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def test_the_blocked_paths_rule_has_the_shape_elbv2_takes():
    rule = elb.desired_block_rule(["/metrics", "/metrics/*"], 404)
    model = get_session().get_service_model("elbv2").operation_model("CreateRule").input_shape
    report = ParamValidator().validate(dict(rule, ListenerArn="arn:aws:elasticloadbalancing:us-east-1:1:listener/app/a/b/c"), model)
    assert not report.has_errors(), report.generate_report()
    assert rule["Actions"][0]["FixedResponseConfig"]["StatusCode"] == "404"
    assert elb.desired_block_rule([], 404) is None


def test_a_rule_reads_back_the_same_in_any_order():
    described = {
        "Priority": "1",
        "Conditions": [{"Field": "path-pattern", "Values": ["/metrics/*", "/metrics"], "PathPatternConfig": {"Values": ["/metrics/*", "/metrics"]}}],
        "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}],
    }
    assert elb.rule_view(described) == elb.rule_view(elb.desired_block_rule(["/metrics", "/metrics/*"], 404))
    assert elb.block_rule_of([{"Priority": "default"}, described]) is described
    assert elb.rule_view(None) is None


@pytest.mark.parametrize(
    "paths, status, option",
    [
        (["/a", "/b", "/c", "/d", "/e", "/f"], 404, "blocked_paths"),
        (["metrics"], 404, "blocked_paths[0]"),
        (["/metrics"], 500, "blocked_paths_status_code"),
    ],
)
def test_blocked_paths_alb_refuses_are_rejected(paths, status, option):
    with pytest.raises(OptionError) as raised:
        elb.validate_blocked_paths(paths, status)
    assert raised.value.option == option


def test_placeholder_network_ids_pass_in_check_mode_only():
    params = {"subnets": [UNKNOWN], "security_groups": [UNKNOWN]}
    elb.validate_unknowns(params, check_mode=True)
    elb.validate_network([UNKNOWN], [UNKNOWN])
    with pytest.raises(OptionError) as raised:
        elb.validate_unknowns(params, check_mode=False)
    assert raised.value.option == "subnets"

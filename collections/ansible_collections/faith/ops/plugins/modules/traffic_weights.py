#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: traffic_weights
short_description: Set the production listener's weights between the blue and green target groups
version_added: 0.2.0
description:
  - The traffic seam of releases on AWS. Sets the forward weights of the production listener of a
    load balancer managed by M(faith.ops.load_balancer), and points its test listener at a colour.
  - Only the listeners' default forward actions are changed; everything else about the load
    balancer is left to M(faith.ops.load_balancer), which in turn leaves weights to releases.
  - One read of the load balancer, its target groups and listeners; one write per listener that differs.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the load balancer.
    type: str
    required: true
  target_group_prefix:
    description: Prefix of the C(<prefix>-blue) and C(<prefix>-green) target groups; defaults to O(name).
    type: str
  weights:
    description: Production weights, C(blue) and C(green), each 0-100, summing to 100.
    type: dict
    required: true
  test_listener_colour:
    description: The colour the test listener reaches; defaults to the colour with less weight (green on a tie).
    type: str
    choices: [blue, green]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Send 10 % of production to the green canary
  faith.ops.traffic_weights:
    name: faith-chatbot-production
    weights: {blue: 90, green: 10}
"""

RETURN = r"""
weights:
  description: Production weights after the run (in check mode, as they would be).
  returned: always
  type: dict
  sample: {"blue": 90, "green": 10}
previous_weights:
  description: Production weights before the run.
  returned: always
  type: dict
  sample: {"blue": 100, "green": 0}
test_listener_colour:
  description: The colour the test listener reaches after the run.
  returned: always
  type: str
  sample: green
actions:
  description: What was changed, or would be changed in check mode.
  returned: always
  type: list
  elements: str
  sample: ["set production weights blue 90 / green 10"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.base import aws_action
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import stack as stacks
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import transformations as elb
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


@aws_action("set listener forward weights")
def set_forward(client, listener_arn, targets):
    client.modify_listener(
        ListenerArn=listener_arn,
        DefaultActions=[{
            "Type": "forward",
            "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": arn, "Weight": weight} for arn, weight in targets],
                "TargetGroupStickinessConfig": {"Enabled": False},
            },
        }],
    )


def validate_weights(weights):
    try:
        values = {colour: int(weights[colour]) for colour in ("blue", "green")}
    except (KeyError, TypeError, ValueError) as error:
        raise OptionError("weights", f"give integer blue and green weights, got {weights}") from error
    if set(weights) != {"blue", "green"} or any(not 0 <= value <= 100 for value in values.values()) or sum(values.values()) != 100:
        raise OptionError("weights", f"blue and green must each be 0-100 and sum to 100, got {weights}")
    return values


def run(module):
    params = module.params
    weights = validate_weights(params["weights"])
    client = module.client("elbv2")
    stack = stacks.read(client, params["name"], params["target_group_prefix"] or params["name"])
    arns = stack.arns
    if stack.load_balancer is None or not all(arns.values()):
        raise OptionError("name", f"no load balancer {params['name']} with blue and green target groups: run deploy.yml first")
    production = elb.production_listener(stack.listeners, arns)
    test = elb.test_listener(stack.listeners, arns)
    if production is None:
        raise OptionError("name", f"{params['name']} has no listener forwarding to both colours: run deploy.yml first")
    before = elb.weights_of(production, arns)
    test_colour = params["test_listener_colour"] or elb.idle_colour(weights)
    before_test = elb.colour_of_listener(test, arns)
    changed = False
    if before != weights:
        module.record(f"set production weights blue {weights['blue']} / green {weights['green']}")
        if not module.check_mode:
            set_forward(client, production["ListenerArn"], [(arns[colour], weights[colour]) for colour in elb.COLOURS])
        changed = True
    if test is not None and before_test != test_colour:
        module.record(f"point the test listener at {test_colour}")
        if not module.check_mode:
            set_forward(client, test["ListenerArn"], [(arns[test_colour], 1)])
        changed = True
    result = {"changed": changed, "weights": weights, "previous_weights": before, "test_listener_colour": test_colour}
    if module._diff:
        result["diff"] = {"before": {"weights": before, "test_listener_colour": before_test},
                          "after": {"weights": weights, "test_listener_colour": test_colour}}
    return result


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        target_group_prefix=dict(type="str"),
        weights=dict(type="dict", required=True),
        test_listener_colour=dict(type="str", choices=["blue", "green"]),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()

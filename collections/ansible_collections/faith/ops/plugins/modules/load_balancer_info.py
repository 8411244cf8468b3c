#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: load_balancer_info
version_added: 0.1.0
short_description: Read a blue/green application load balancer, its target groups, listeners and weights
description:
  - Reads what M(faith.ops.load_balancer) manages, by name, and returns it in the same shape,
    including the current production weights and the colour the test listener reaches.
  - Releases and drift detection use it; it never changes anything and makes seven read calls.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the load balancer.
    type: str
    required: true
  target_group_prefix:
    description:
      - Target groups are named C(<target_group_prefix>-blue) and C(<target_group_prefix>-green).
      - Defaults to O(name).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the current production weights
  faith.ops.load_balancer_info:
    name: faith-chatbot-production-alb
    target_group_prefix: faith-chatbot-production
  register: edge

- name: Show which colour serves production
  ansible.builtin.debug:
    msg: "blue {{ edge.weights.blue }}%, green {{ edge.weights.green }}%, test listener on {{ edge.test_listener_colour }}"
"""

RETURN = r"""
exists:
  description: Whether the load balancer or any of its target groups exists.
  returned: always
  type: bool
  sample: true
load_balancer:
  description: The load balancer, as returned by M(faith.ops.load_balancer); empty when it does not exist.
  returned: always
  type: dict
  sample: {"arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/faith-chatbot-production-alb/50dc6c495c0c9188",
           "name": "faith-chatbot-production-alb", "dns_name": "faith-chatbot-production-alb-1234567890.us-east-1.elb.amazonaws.com",
           "scheme": "internet-facing", "attributes": {"deletion_protection": true, "idle_timeout": 60, "access_logs": {"enabled": false}}}
target_groups:
  description: Target group ARN per colour (only the colours that exist).
  returned: always
  type: dict
  sample: {"blue": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/faith-chatbot-production-blue/73e2d6bc24d8a067"}
target_group_settings:
  description: Port, protocol, target type, health check and deregistration delay of the target groups.
  returned: always
  type: dict
  sample: {"port": 8000, "protocol": "HTTP", "target_type": "ip", "deregistration_delay": 30,
           "health_check": {"path": "/health", "port": "traffic-port", "interval": 15, "timeout": 5,
                            "healthy_threshold": 2, "unhealthy_threshold": 2, "matcher": "200"}}
listeners:
  description: The V(production), V(test) and V(http_redirect) listeners that exist, with ARN, port and protocol.
  returned: always
  type: dict
  sample: {"production": {"arn": "arn:aws:elasticloadbalancing:...", "port": 80, "protocol": "HTTP"},
           "test": {"arn": "arn:aws:elasticloadbalancing:...", "port": 8080, "protocol": "HTTP", "colour": "green"}}
weights:
  description: Production traffic share per colour; empty without a production listener.
  returned: always
  type: dict
  sample: {"blue": 100, "green": 0}
test_listener_colour:
  description: Colour the test listener reaches; null without a test listener.
  returned: always
  type: str
  sample: green
actions:
  description: Always empty; the module only reads.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.elbv2 import stack as elb_stack


def describe(module):
    params = module.params
    stack = elb_stack.read(module.client("elbv2"), params["name"], params["target_group_prefix"] or params["name"])
    return dict(elb_stack.summary(stack), changed=False, exists=stack.exists)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        target_group_prefix=dict(type="str"),
    )
    module = FaithAWSModule(argument_spec=argument_spec)
    module.run(describe)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vpc_network_info
short_description: Describe a network managed by faith.ops.vpc_network
version_added: 0.1.0
description:
  - Reads the VPC tagged C(Name=<name>) and everything faith.ops.vpc_network manages in it,
    and returns it in the same shape that module returns. Makes no change.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description: Name of the network (the VPC's C(Name) tag).
    type: str
    required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the chatbot network
  faith.ops.vpc_network_info:
    name: faith-chatbot-production
  register: chatbot_network

- name: Show the private subnets
  ansible.builtin.debug:
    var: chatbot_network.private_subnet_ids
"""

RETURN = r"""
exists:
  description: Whether the network exists.
  returned: always
  type: bool
  sample: true
network:
  description: The network as faith.ops.vpc_network compares it (empty when it does not exist).
  returned: always
  type: dict
  sample: {"cidr_block": "10.10.0.0/16", "zones": ["us-east-1a", "us-east-1b"], "nat_gateways": ["us-east-1a"]}
vpc:
  description: The VPC id, CIDR and tags.
  returned: when the network exists
  type: dict
  sample: {"id": "vpc-0a1b2c3d4e5f67890", "cidr_block": "10.10.0.0/16", "tags": {"Name": "faith-chatbot-production"}}
public_subnet_ids:
  description: Ids of the public subnets, in zone order.
  returned: when the network exists
  type: list
  elements: str
  sample: [subnet-0aa, subnet-0bb]
private_subnet_ids:
  description: Ids of the private subnets, in zone order.
  returned: when the network exists
  type: list
  elements: str
  sample: [subnet-0cc, subnet-0dd]
internet_gateway_id:
  description: Id of the internet gateway, or null.
  returned: when the network exists
  type: str
  sample: igw-0123456789abcdef0
nat_gateway_ids:
  description: Ids of the NAT gateways, by zone.
  returned: when the network exists
  type: dict
  sample: {"us-east-1a": "nat-0123456789abcdef0"}
route_table_ids:
  description: Ids of the route tables, by name.
  returned: when the network exists
  type: dict
  sample: {"faith-chatbot-production-public": "rtb-0aa"}
gateway_endpoint_ids:
  description: Ids of the gateway endpoints, by service.
  returned: when the network exists
  type: dict
  sample: {"s3": "vpce-0aa"}
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import network_ids
from ansible_collections.faith.ops.plugins.module_utils.ec2.network import read_state
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import comparable
from ansible_collections.faith.ops.plugins.module_utils.ec2.transformations import describe_view


def describe(module):
    state = read_state(module.client("ec2"), module.params["name"])
    if not state:
        return {"changed": False, "exists": False, "network": {}}
    view = comparable(describe_view(state, module.region))
    return dict(changed=False, exists=True, network=view, **network_ids(state, view))


def main():
    module = FaithAWSModule(argument_spec=dict(name=dict(type="str", required=True)))
    module.run(describe)


if __name__ == "__main__":
    main()

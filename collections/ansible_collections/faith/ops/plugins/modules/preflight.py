#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: preflight
short_description: Validate the variables of every stack role before anything is written
version_added: 0.2.0
description:
  - Checks every variable the given roles read, on the controller and before any AWS call that
    writes. It applies each role's C(meta/argument_specs.yml) (types, choices, required values),
    then the value rules AWS applies that span roles or derive from several variables - resource
    names after derivation from C(faith_app_name) and C(faith_env) (load balancer and target
    groups 32 characters, backup plans and vaults 50, IAM roles 64, queues 80, tables 3 to 255,
    cache replication groups 40, S3 buckets 63), ports (1 to 65535, distinct listeners, the target
    port equal to the container port), CIDRs (valid, subnets inside the VPC and not overlapping),
    Fargate CPU and memory pairs, capacities, regions, ARNs, IANA time zones, alarm periods and
    retention values.
  - VPC and subnet ids the user sets instead of taking them from the network role
    (C(edge_vpc_id), C(edge_public_subnet_ids), C(cache_vpc_id), C(cache_subnet_ids)) must exist;
    that is read with one EC2 call each, with the connection in C(faith_aws_connection), and only
    once every other check passed. Each missing id is named alone.
  - Every problem is reported at once, each naming the variable to change and what is valid.
  - Values are those the roles would see - role defaults, derived role variables, inventory
    and extra vars with Ansible's precedence - so a run that passes here does not stop halfway
    through a deployment on a value AWS or a later role rejects.
  - Run it as the first task of every playbook that writes.
  - This is an action plugin; it runs on the controller.
author:
  - faith.ops maintainers (@faith-ops)
options:
  roles:
    description: The faith.ops roles whose variables to check, for example C(faith_stack_roles).
    type: list
    elements: str
    required: true
  state:
    description:
      - The state the roles are about to converge to. V(absent) checks the variables as a
        teardown sees them (every C(<role>_state) set to V(absent)).
    type: str
    choices: [present, absent]
    default: present
attributes:
  check_mode:
    support: full
    description: Reads only, so check mode runs the same checks.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
  platform:
    support: full
    platforms: all
    description: Runs on the controller.
notes:
  - Facts that earlier roles publish (VPC and subnet ids, load balancer ARNs) do not exist yet
    when it runs; the roles check those themselves.
"""

EXAMPLES = r"""
- name: Check every variable of the stack before the first write
  faith.ops.preflight:
    roles: "{{ faith_stack_roles }}"

- name: Check the variables a teardown reads
  faith.ops.preflight:
    roles: [network, edge, data, compute, observability, backup]
    state: absent
"""

RETURN = r"""
checked_roles:
  description: The roles whose variables were checked.
  returned: always
  type: list
  elements: str
  sample: [network, edge, data, compute, observability, backup]
findings:
  description: Every problem found, each naming the variable to change.
  returned: always
  type: list
  elements: dict
  contains:
    variable:
      description: The variable (or element of one) to change.
      type: str
      sample: edge_listener_port
    message:
      description: What is wrong and what would be valid.
      type: str
      sample: edge_listener_port=99999 is out of range; use 1 to 65535
  sample: [{variable: edge_listener_port, message: "edge_listener_port=99999 is out of range; use 1 to 65535"}]
"""

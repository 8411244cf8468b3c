#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dynamodb_table_info
short_description: Describe DynamoDB tables in the terms of faith.ops.dynamodb_table
version_added: 0.1.0
description:
  - Describes DynamoDB tables with their indexes, time to live, point-in-time recovery, encryption,
    deletion protection, stream, replicas and tags, in the option names of M(faith.ops.dynamodb_table).
  - Tables that do not exist are left out of the result, so the module also answers "does it exist".
author:
  - faith.ops maintainers (@faith-ops)
options:
  names:
    description:
      - Names of the tables to describe. Without it, every table of the region is described.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Read the conversation table
  faith.ops.dynamodb_table_info:
    names:
      - faith-chatbot-local-ConversationSessions
  register: conversation_table

- name: Check point-in-time recovery is on
  ansible.builtin.assert:
    that:
      - conversation_table.tables[0].point_in_time_recovery
"""

RETURN = r"""
tables:
  description:
    - The tables found, in the order of O(names) (or of the region's listing), in the shape the
      C(table) result of M(faith.ops.dynamodb_table) has.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Table name.
      type: str
      returned: always
      sample: faith-chatbot-local-UserProfiles
    arn:
      description: Table ARN.
      type: str
      returned: always
      sample: arn:aws:dynamodb:us-east-1:123456789012:table/faith-chatbot-local-UserProfiles
    status:
      description: Table status.
      type: str
      returned: always
      sample: ACTIVE
    attributes:
      description: Attribute definitions (C(name), C(type)).
      type: list
      elements: dict
      returned: always
      sample: [{name: user_id, type: S}]
    hash_key:
      description: Partition key.
      type: str
      returned: always
      sample: user_id
    range_key:
      description: Sort key.
      type: str
      returned: always
      sample: null
    billing_mode:
      description: Billing mode.
      type: str
      returned: always
      sample: PAY_PER_REQUEST
    read_capacity:
      description: Read capacity units.
      type: int
      returned: with billing mode PROVISIONED
      sample: 5
    write_capacity:
      description: Write capacity units.
      type: int
      returned: with billing mode PROVISIONED
      sample: 5
    global_indexes:
      description: Global secondary indexes.
      type: list
      elements: dict
      returned: always
      sample: [{name: EmailIndex, hash_key: email, range_key: null, projection: ALL, non_key_attributes: [], status: ACTIVE}]
    deletion_protection:
      description: Whether deletion protection is on.
      type: bool
      returned: always
      sample: true
    stream:
      description: Stream settings (C(enabled), C(view_type)).
      type: dict
      returned: always
      sample: {enabled: false, view_type: null}
    latest_stream_arn:
      description: ARN of the current stream.
      type: str
      returned: always
      sample: null
    replicas:
      description: Replicas (C(region), C(status), C(kms_key_arn)).
      type: list
      elements: dict
      returned: always
      sample: []
    encryption:
      description: Encryption (C(type) V(aws_owned), V(aws_managed) or V(customer_managed), and C(kms_key_arn)).
      type: dict
      returned: always
      sample: {type: aws_owned}
    point_in_time_recovery:
      description: Whether point-in-time recovery is on.
      type: bool
      returned: always
      sample: true
    recovery_period_days:
      description: Point-in-time recovery period in days.
      type: int
      returned: always
      sample: 35
    ttl:
      description: Time to live (C(enabled), C(attribute_name)).
      type: dict
      returned: always
      sample: {enabled: true, attribute_name: expires_at}
    tags:
      description: Tags.
      type: dict
      returned: always
      sample: {Application: faith-chatbot}
actions:
  description: Always empty; the module only reads.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dynamodb import api
from ansible_collections.faith.ops.plugins.module_utils.dynamodb import transformations as tf


def describe(module):
    client = module.client("dynamodb")
    names = module.params["names"]
    if names is None:
        names = api.list_table_names(client)
    aws_managed_key = None
    tables = []
    for name in names:
        table = api.describe_table(client, name)
        if table is None:
            continue
        if aws_managed_key is None and tf.needs_aws_managed_key(table):
            aws_managed_key = api.aws_managed_key_arn(module.client("kms"))
        view = tf.table_view(
            table,
            encryption=tf.encryption_view(table, aws_managed_key),
            pitr=api.point_in_time_recovery(client, name),
            ttl=api.time_to_live(client, name),
            tags=api.tags(client, table["TableArn"]),
        )
        tables.append(view)
    return {"changed": False, "tables": tables}


def main():
    module = FaithAWSModule(argument_spec=dict(names=dict(type="list", elements="str")))
    module.run(describe)


if __name__ == "__main__":
    main()

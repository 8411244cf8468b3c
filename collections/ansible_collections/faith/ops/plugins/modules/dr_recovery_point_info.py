#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dr_recovery_point_info
short_description: Measure the recovery point the DR region holds, from the items themselves
version_added: 0.3.0
description:
  - Reads the keys and timestamps of a table in the DR region (O(secondary_region)) and, when it
    answers, of the same table in O(primary_region).
  - The recovery point is the newest write of the primary present in the DR region (the write
    canary of M(faith.ops.dr_canary) keeps one recent even when nobody writes), chosen among the DR region's
    items from before O(reference_time), those the primary holds too, so writes the DR region took
    after the failover never count. The RPO is the time
    from it to O(reference_time) (the start of the failover). Items of the primary newer than the
    recovery point and absent from the DR region are counted, not estimated; so are items older than
    it that the DR region lacks, which a correct restore never has.
  - When the primary cannot be read (a real regional outage), the counts are null and the result
    says why.
  - Reads only; scans the table in both regions, which costs one read per item.
author:
  - faith.ops maintainers (@faith-ops)
options:
  table:
    description: The table to compare (the same name in both regions).
    type: str
    required: true
  timestamp_attribute:
    description: Attribute holding each item's write time in the app's timestamp form.
    type: str
    default: created_at
  primary_region:
    description: Region of the primary.
    type: str
    required: true
  secondary_region:
    description: The DR region.
    type: str
    required: true
  reference_time:
    description:
      - The moment the RPO is measured to (the app's timestamp form or ISO 8601), normally the start of
        the failover. Defaults to now.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Measure the recovery point in the DR region
  faith.ops.dr_recovery_point_info:
    table: faith-chatbot-staging-ConversationSessions
    primary_region: us-east-1
    secondary_region: us-west-2
    reference_time: "{{ dr_started_at }}"
"""

RETURN = r"""
recovery_point:
  description: Newest write of the primary present in the DR region (null when the DR table is empty or missing).
  returned: always
  type: str
  sample: "2026-12-07T10:15:00.123456Z"
rpo_seconds:
  description: Seconds from the recovery point to O(reference_time).
  returned: always
  type: float
items_in_secondary:
  description: Items with a timestamp in the DR table.
  returned: always
  type: int
items_written_after_recovery_point:
  description: Items of the primary newer than the recovery point and absent from the DR region (null when the primary is unreadable).
  returned: always
  type: int
items_missing_before_recovery_point:
  description: Items of the primary at or before the recovery point that the DR region lacks (null when the primary is unreadable).
  returned: always
  type: int
newest_lost_write:
  description: Newest item of the primary the DR region lacks (null when none is lost or the primary is unreadable).
  returned: always
  type: str
loss_window_seconds:
  description:
    - Seconds from the recovery point to the newest lost write, the span of writes lost. Larger than the RPO
      when the primary kept taking writes during the failover (a drill); 0 when nothing was lost, null when
      the primary is unreadable.
  returned: always
  type: float
newest_primary_write:
  description: Newest timestamp in the primary's table (null when unreadable).
  returned: always
  type: str
primary_reachable:
  description: Whether the primary's table could be read.
  returned: always
  type: bool
primary_error:
  description: Why the primary could not be read.
  returned: when the primary is unreachable
  type: str
"""

import datetime

from ansible_collections.faith.ops.plugins.module_utils.base import AWSActionError
from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dr import api
from ansible_collections.faith.ops.plugins.module_utils.dr import transformations as dr
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError

try:
    from botocore.exceptions import BotoCoreError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK


def keyed_items(client, table, timestamp_attribute):
    """Every item's key attributes and timestamp, each tagged with a hashable ``__key__``."""
    description = api.describe_table(client, table)
    if description is None:
        return None
    names = [element["AttributeName"] for element in description["KeySchema"]]
    attributes = sorted(set(names + [timestamp_attribute]))
    aliases = {f"#a{index}": name for index, name in enumerate(attributes)}
    items = api.scan(client, table, projection=", ".join(aliases), names=aliases)
    for item in items:
        item["__key__"] = dr.item_key(item, names)
    return items


def loss_window(measured, primary_read):
    """Seconds from the recovery point to the newest lost write: 0 when nothing was lost, None when unknown."""
    if not primary_read:
        return None
    if measured["newest_lost_write"] is None:
        return 0.0
    if measured["recovery_point"] is None:
        return None
    return dr.age_seconds(dr.parse_timestamp(measured["recovery_point"]), dr.parse_timestamp(measured["newest_lost_write"]))


def run(module):
    params = module.params
    if params["primary_region"] == params["secondary_region"]:
        raise OptionError("secondary_region", "must differ from primary_region")
    try:
        reference = dr.parse_timestamp(params["reference_time"]) if params["reference_time"] else datetime.datetime.now(datetime.timezone.utc)
    except ValueError as error:
        raise OptionError("reference_time", f"not a timestamp: {error}") from error
    secondary = keyed_items(module.client("dynamodb", region=params["secondary_region"]), params["table"], params["timestamp_attribute"])
    primary_error = None
    try:
        primary = keyed_items(module.client("dynamodb", region=params["primary_region"]), params["table"], params["timestamp_attribute"])
    except (AWSActionError, BotoCoreError) as error:
        primary, primary_error = None, str(error)
    measured = dr.measure_recovery_point(secondary or [], primary, params["timestamp_attribute"], dr.timestamp(reference))
    result = dict(
        measured,
        changed=False,
        primary_reachable=primary is not None,
        reference_time=dr.timestamp(reference),
        rpo_seconds=dr.age_seconds(dr.parse_timestamp(measured["recovery_point"]), reference) if measured["recovery_point"] else None,
        loss_window_seconds=loss_window(measured, primary is not None),
    )
    if primary is None:
        result["primary_error"] = primary_error or f"table {params['table']} does not exist in {params['primary_region']}"
    return result


def main():
    argument_spec = dict(
        table=dict(type="str", required=True),
        timestamp_attribute=dict(type="str", default="created_at"),
        primary_region=dict(type="str", required=True),
        secondary_region=dict(type="str", required=True),
        reference_time=dict(type="str"),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()

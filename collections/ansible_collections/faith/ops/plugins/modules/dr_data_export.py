#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dr_data_export
short_description: Take a recovery point of DynamoDB tables in S3 and copy it to the DR region
version_added: 0.3.0
description:
  - Exports each table with C(ExportTableToPointInTime) (DynamoDB JSON) to O(bucket) in the module's
    region, under C(recovery-points/<time>/<table>), then copies every object the exports wrote to
    O(copy_to.bucket) in O(copy_to.region) and writes a manifest there and in O(bucket).
  - The manifest (C(faith-recovery-point.json)) names the export time, and per table its key
    schema, global indexes, time-to-live attribute and data objects, which is what
    M(faith.ops.dr_data_restore) needs to recreate the tables in a region where they do not exist.
    C(recovery-points/latest.json) points at the newest one.
  - The age of the newest recovery point in the DR bucket is the recovery point objective of the
    export path; run this on a schedule (for example an AWX schedule of C(playbooks/dr_backup.yml)).
  - Every table needs point-in-time recovery enabled (the data role enables it).
  - In check mode nothing is exported or written; the result lists what would be.
author:
  - faith.ops maintainers (@faith-ops)
options:
  tables:
    description: Names of the tables to export (in the module's region).
    type: list
    elements: str
    required: true
  bucket:
    description: Bucket in the module's region that receives the exports.
    type: str
    required: true
  copy_to:
    description: Bucket in the DR region that receives a copy of every export object and the manifest.
    type: dict
    required: true
    suboptions:
      bucket:
        description: Name of the DR bucket.
        type: str
        required: true
      region:
        description: Region of the DR bucket.
        type: str
        required: true
  root:
    description:
      - Key prefix under which recovery points and the C(latest.json) pointer live. A failback exports
        the DR region's tables under another root, so the DR bucket's newest recovery point stays the
        primary's.
    type: str
    default: recovery-points
  wait_timeout:
    description: Seconds to wait for each export to complete.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Take a recovery point and copy it to the DR region
  faith.ops.dr_data_export:
    tables:
      - faith-chatbot-production-ConversationSessions
      - faith-chatbot-production-UserProfiles
    bucket: faith-chatbot-production-dr-exports-us-east-1
    copy_to:
      bucket: faith-chatbot-production-dr-exports-us-west-2
      region: us-west-2
"""

RETURN = r"""
recovery_point:
  description: The recovery point taken (in check mode, the one that would be taken, without exports).
  returned: always
  type: dict
  contains:
    time:
      description: Export time (UTC, the app's timestamp form); the data is consistent as of this moment.
      type: str
      sample: "2026-12-07T10:15:00.000000Z"
    prefix:
      description: Key prefix of the recovery point in both buckets.
      type: str
      sample: recovery-points/20261207T101500000000Z
    source_region:
      description: Region the tables were exported from.
      type: str
    tables:
      description: Per table, its schema, item count and data objects.
      type: dict
copied_objects:
  description: Number of objects copied to the DR bucket.
  returned: always
  type: int
  sample: 8
"""

import datetime

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dr import api
from ansible_collections.faith.ops.plugins.module_utils.dr import transformations as dr
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def run(module):
    params = module.params
    if not params["tables"]:
        raise OptionError("tables", "give at least one table to export")
    if params["copy_to"]["region"] == module.region:
        raise OptionError("copy_to.region", f"must be another region than the tables' ({module.region}): it is the DR copy")
    dynamodb = module.client("dynamodb")
    s3 = module.client("s3")
    dr_s3 = module.client("s3", region=params["copy_to"]["region"])

    requested = datetime.datetime.now(datetime.timezone.utc)
    prefix = dr.recovery_point_prefix(requested, params["root"])
    tables = {}
    descriptions = {}
    for name in params["tables"]:
        description = api.describe_table(dynamodb, name)
        if description is None:
            raise OptionError("tables", f"table {name} does not exist in {module.region}")
        if not api.point_in_time_recovery_enabled(dynamodb, name):
            raise OptionError("tables", f"table {name} has point-in-time recovery off; exports need it (data_point_in_time_recovery: true)")
        descriptions[name] = description
        tables[name] = dict(dr.table_schema(description), ttl_attribute=api.ttl_attribute(dynamodb, name))
        module.record(f"export table {name} to s3://{params['bucket']}/{prefix}/{name}")
    module.record(f"copy recovery point {prefix} to s3://{params['copy_to']['bucket']} in {params['copy_to']['region']}")
    manifest = {"prefix": prefix, "source_region": module.region, "time": dr.timestamp(requested), "tables": tables}
    if module.check_mode:
        return {"changed": True, "recovery_point": manifest, "copied_objects": 0}

    exports = {}
    for name, description in descriptions.items():
        exports[name] = api.export_table(dynamodb, description["TableArn"], params["bucket"], f"{prefix}/{name}")
    export_times = []
    for name, export in exports.items():
        api.wait_export(dynamodb, export["ExportArn"], params["wait_timeout"])
        completed = api.describe_export(dynamodb, export["ExportArn"])
        tables[name]["item_count"] = completed.get("ItemCount")
        if completed.get("ExportTime"):
            export_times.append(completed["ExportTime"])
    # Each table is consistent as of its own export time; the recovery point is the earliest.
    if export_times:
        manifest["time"] = dr.timestamp(min(export_times))

    listing = api.list_keys(s3, params["bucket"], prefix + "/")
    copied = 0
    for name in tables:
        keys = dr.data_keys(listing, f"{prefix}/{name}")
        tables[name]["data_keys"] = keys
        for key in keys:
            api.copy_object(dr_s3, params["bucket"], key, params["copy_to"]["bucket"])
            copied += 1
    pointer = {"prefix": prefix, "time": manifest["time"]}
    for client, bucket in ((s3, params["bucket"]), (dr_s3, params["copy_to"]["bucket"])):
        api.put_json(client, bucket, f"{prefix}/{dr.MANIFEST_NAME}", manifest)
        api.put_json(client, bucket, dr.latest_key(params["root"]), pointer)
    return {"changed": True, "recovery_point": manifest, "copied_objects": copied}


def main():
    argument_spec = dict(
        tables=dict(type="list", elements="str", required=True),
        bucket=dict(type="str", required=True),
        copy_to=dict(
            type="dict",
            required=True,
            options=dict(bucket=dict(type="str", required=True), region=dict(type="str", required=True)),
        ),
        root=dict(type="str", default=dr.RECOVERY_POINT_ROOT),
        wait_timeout=dict(type="int", default=1800),
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dr_data_restore
short_description: Restore DynamoDB tables from a recovery point in S3, or check a global table's replica
version_added: 0.3.0
description:
  - With O(source=export), reads a recovery point's manifest (written by M(faith.ops.dr_data_export))
    from O(bucket) in the module's region and imports each table with C(ImportTable).
  - O(mode=replace) makes the tables exactly the recovery point (a failover into the DR region); an
    existing table of that name is deleted first (its deletion protection turned off), then the table
    is imported under its own name, its time to live and point-in-time recovery set again.
  - O(mode=merge) carries items back into tables that exist (a failback); each table is imported
    under a staging name, every staged item whose key the table lacks is written to it, and the
    staging table is deleted. Items the table already holds are kept as they are.
  - With O(source=global_table), nothing is imported; DynamoDB global tables already hold a live
    replica in the module's region. The module checks each table's replica there is ACTIVE and
    fails naming the tables whose replica is not. The emulator does not replicate global tables, so
    this path is proven by unit tests against recorded API shapes.
  - In check mode nothing is deleted, imported or written; the result lists what would be.
author:
  - faith.ops maintainers (@faith-ops)
options:
  source:
    description: Where the DR region's data comes from.
    type: str
    choices: [export, global_table]
    default: export
  bucket:
    description: Bucket in the module's region holding the recovery points (O(source=export)).
    type: str
  recovery_point:
    description: Key prefix of the recovery point to restore, or C(latest) for the newest.
    type: str
    default: latest
  root:
    description: Key prefix of the recovery points and their C(latest.json) pointer (see M(faith.ops.dr_data_export)).
    type: str
    default: recovery-points
  tables:
    description:
      - Names of the tables to restore or check. For O(source=export), empty means every table of the
        recovery point.
    type: list
    elements: str
    default: []
  mode:
    description: C(replace) makes the tables the recovery point; C(merge) adds the items they lack.
    type: str
    choices: [replace, merge]
    default: replace
  loader:
    description:
      - How the items of an export reach the table. C(import_table) is DynamoDB's C(ImportTable) (no write
        capacity used, the way for large tables). C(put_items) creates the table and writes the items the
        module reads from the export objects (C(BatchWriteItem)); the local inventory uses it because the
        emulator's ImportTable corrupts strings holding an apostrophe (C(faith_emulator_unsupported)
        lists C(dynamodb_import_table)).
      - Either way, a table that ends with fewer items than the export holds fails the run.
    type: str
    choices: [import_table, put_items]
    default: import_table
  wait_timeout:
    description: Seconds to wait for each deletion, import and table to become active.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Restore the newest recovery point in the DR region
  faith.ops.dr_data_restore:
    region: us-west-2
    bucket: faith-chatbot-staging-dr-exports-us-west-2

- name: Carry back what the DR region wrote during the outage
  faith.ops.dr_data_restore:
    region: us-east-1
    bucket: faith-chatbot-staging-dr-exports-us-east-1
    mode: merge

- name: Check the global tables' replicas in the DR region
  faith.ops.dr_data_restore:
    region: us-west-2
    source: global_table
    tables: [faith-chatbot-production-ConversationSessions]
"""

RETURN = r"""
recovery_point:
  description: Prefix, time and age in seconds of the recovery point restored (null for O(source=global_table)).
  returned: always
  type: dict
  sample: {"prefix": "recovery-points/20261207T101500000000Z", "time": "2026-12-07T10:15:00.000000Z", "age_seconds": 42.5,
           "source_region": "us-east-1"}
tables:
  description: Per table, what was done and how many items.
  returned: always
  type: dict
  sample:
    faith-chatbot-staging-ConversationSessions: {"action": "replaced", "imported_items": 120}
"""

import datetime
import gzip
import uuid

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.dr import api
from ansible_collections.faith.ops.plugins.module_utils.dr import transformations as dr
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError
from ansible_collections.faith.ops.plugins.module_utils.waiting import WaitTimeout


def read_manifest(module, s3):
    params = module.params
    prefix = params["recovery_point"]
    if prefix == "latest":
        pointer = api.get_json(s3, params["bucket"], dr.latest_key(params["root"]))
        if pointer is None:
            raise OptionError(
                "bucket",
                f"s3://{params['bucket']} holds no recovery point ({dr.latest_key(params['root'])} is missing): "
                "take one with playbooks/dr_backup.yml",
            )
        prefix = pointer["prefix"]
    manifest = api.get_json(s3, params["bucket"], f"{prefix.rstrip('/')}/{dr.MANIFEST_NAME}")
    if manifest is None:
        raise OptionError("recovery_point", f"no manifest {dr.MANIFEST_NAME} under s3://{params['bucket']}/{prefix}")
    return manifest


def import_into(module, client, name, schema, bucket, timeout):
    """Import one table's data objects as table ``name``; returns the number of items imported.

    An export of an empty table has nothing ImportTable can read, so that table is created empty.
    """
    parameters = dr.table_creation_parameters(name, schema)
    if schema.get("item_count") == 0 or module.params["loader"] == "put_items":
        api.create_table(client, parameters)
        api.wait_table_active(client, name, timeout)
        return load_items(module, client, name, schema, bucket)
    imported = api.import_table(client, bucket, dr.import_prefix(schema["data_keys"]), parameters)
    try:
        api.wait_import(client, imported["ImportArn"], timeout)
    except WaitTimeout as error:
        outcome = api.describe_import(client, imported["ImportArn"])
        raise WaitTimeout(
            f"import of {name} from s3://{bucket}", timeout,
            f"{outcome.get('ImportStatus')}: {outcome.get('FailureCode') or ''} {outcome.get('FailureMessage') or error.reason}",
        ) from error
    api.wait_table_active(client, name, timeout)
    count = api.describe_import(client, imported["ImportArn"]).get("ImportedItemCount")
    check_count(name, count, schema)
    return count


def check_count(name, count, schema):
    expected = schema.get("item_count")
    if expected is not None and count is not None and count < expected:
        raise OptionError("loader", f"table {name} received {count} of the {expected} items of the recovery point")


def load_items(module, client, name, schema, bucket):
    """Write the items of the export's data objects into ``name``; returns how many."""
    s3 = module.client("s3")
    written = 0
    for key in schema.get("data_keys") or []:
        items = dr.export_items(gzip.decompress(api.get_bytes(s3, bucket, key)))
        for start in range(0, len(items), 25):
            pending = items[start:start + 25]
            for _attempt in range(10):
                if not pending:
                    break
                pending = api.batch_write(client, name, pending)
            if pending:
                raise OptionError("loader", f"DynamoDB left {len(pending)} items of {name} unprocessed ten times")
        written += len(items)
    check_count(name, written, schema)
    return written


def delete(client, name, timeout):
    description = api.describe_table(client, name)
    if description is None:
        return
    if description.get("DeletionProtectionEnabled"):
        api.disable_deletion_protection(client, name)
    api.delete_table(client, name)
    api.wait_table_gone(client, name, timeout)


def replace(module, client, name, schema):
    timeout = module.params["wait_timeout"]
    exists = api.describe_table(client, name) is not None
    module.record(f"{'replace' if exists else 'create'} table {name} from the recovery point")
    if module.check_mode:
        return {"action": "replaced" if exists else "created", "imported_items": None}
    delete(client, name, timeout)
    imported = import_into(module, client, name, schema, module.params["bucket"], timeout)
    if schema.get("ttl_attribute"):
        api.enable_ttl(client, name, schema["ttl_attribute"])
    api.enable_point_in_time_recovery(client, name)
    return {"action": "replaced" if exists else "created", "imported_items": imported}


def merge(module, client, name, schema):
    timeout = module.params["wait_timeout"]
    if api.describe_table(client, name) is None:
        raise OptionError("tables", f"table {name} does not exist in {module.region}: mode=merge adds to an existing table")
    staging = f"{name}.restore-{uuid.uuid4().hex[:8]}"
    module.record(f"merge the recovery point into table {name} (through staging table {staging})")
    if module.check_mode:
        return {"action": "merged", "imported_items": None, "merged_items": None, "kept_items": None}
    try:
        imported = import_into(module, client, staging, schema, module.params["bucket"], timeout)
        hash_key = dr.key_names(schema)[0]
        merged = kept = 0
        for item in api.scan(client, staging):
            if api.put_item_if_absent(client, name, item, hash_key):
                merged += 1
            else:
                kept += 1
    finally:
        delete(client, staging, timeout)
    return {"action": "merged", "imported_items": imported, "merged_items": merged, "kept_items": kept}


def check_replicas(module, client):
    tables, not_ready = {}, []
    for name in module.params["tables"]:
        ready, status = dr.replica_state(api.describe_table(client, name), module.region)
        tables[name] = {"action": "checked", "replica_status": status}
        if not ready:
            not_ready.append(f"{name} ({status})")
    if not_ready:
        raise OptionError("tables", f"no ACTIVE global table replica in {module.region} for: {', '.join(not_ready)}")
    return {"changed": False, "recovery_point": None, "tables": tables}


def run(module):
    params = module.params
    client = module.client("dynamodb")
    if params["source"] == "global_table":
        if not params["tables"]:
            raise OptionError("tables", "source=global_table needs the tables whose replicas to check")
        return check_replicas(module, client)
    if not params["bucket"]:
        raise OptionError("bucket", "source=export needs the bucket holding the recovery points")
    manifest = read_manifest(module, module.client("s3"))
    wanted = params["tables"] or sorted(manifest["tables"])
    unknown = sorted(set(wanted) - set(manifest["tables"]))
    if unknown:
        raise OptionError("tables", f"not in recovery point {manifest['prefix']}: {', '.join(unknown)}")
    action = replace if params["mode"] == "replace" else merge
    tables = {name: action(module, client, name, manifest["tables"][name]) for name in wanted}
    return {
        "changed": True,
        "recovery_point": {
            "prefix": manifest["prefix"],
            "time": manifest["time"],
            "source_region": manifest["source_region"],
            "age_seconds": dr.age_seconds(dr.parse_timestamp(manifest["time"]), datetime.datetime.now(datetime.timezone.utc)),
        },
        "tables": tables,
    }


def main():
    argument_spec = dict(
        source=dict(type="str", default="export", choices=["export", "global_table"]),
        bucket=dict(type="str"),
        recovery_point=dict(type="str", default="latest"),
        root=dict(type="str", default=dr.RECOVERY_POINT_ROOT),
        tables=dict(type="list", elements="str", default=[]),
        mode=dict(type="str", default="replace", choices=["replace", "merge"]),
        loader=dict(type="str", default="import_table", choices=["import_table", "put_items"]),
        wait_timeout=dict(type="int", default=1800),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec,
        required_if=[("source", "export", ["bucket"])],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()

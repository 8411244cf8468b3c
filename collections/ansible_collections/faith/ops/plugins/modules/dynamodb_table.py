#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dynamodb_table
short_description: Manage DynamoDB tables with their indexes, TTL, backups, encryption and replicas
version_added: 0.1.0
description:
  - Creates, updates and deletes Amazon DynamoDB tables with their keys, billing mode, global secondary
    indexes, time to live, point-in-time recovery, server-side encryption, deletion protection,
    streams, global table replicas and tags.
  - Manages one table (O(name)) or a set of tables in one call (O(tables)), so a role can converge
    several tables with one module invocation. Top-level table options then apply to every item of
    O(tables) that does not set them itself.
  - An option left unset (V(null)) leaves that setting as it is, except the keys, the billing mode
    and the tags, which are always managed.
  - Global secondary indexes are added and removed one at a time, waiting for each to settle, as AWS
    requires. An index whose keys or projection change is deleted and created again.
  - Every update that touches indexes sends the complete attribute definitions.
  - A table with deletion protection is only deleted when O(deletion_protection=false) is given
    with O(state=absent); the module then turns the protection off first.
  - In check mode nothing is changed and RV(actions) lists what would be done.
author:
  - faith.ops maintainers (@faith-ops)
options:
  name:
    description:
      - Name of the table. Mutually exclusive with O(tables).
    type: str
  tables:
    description:
      - Several tables to manage in one call. Each item takes the table options below; an item's
        unset option takes the top-level value, a set one replaces it (O(tags) included, they are not merged).
      - Mutually exclusive with O(name).
    type: list
    elements: dict
    suboptions:
      name:
        description: Name of the table.
        type: str
        required: true
      state:
        description: Like the top-level O(state).
        type: str
        choices: [present, absent]
      attributes:
        description: Like the top-level O(attributes).
        type: list
        elements: dict
        suboptions: &attribute_options
          name:
            description: Name of the attribute.
            type: str
            required: true
          type:
            description: Type of the attribute, V(S) (string), V(N) (number) or V(B) (binary).
            type: str
            required: true
            choices: [S, N, B]
      hash_key:
        description: Like the top-level O(hash_key).
        type: str
      range_key:
        description: Like the top-level O(range_key).
        type: str
      billing_mode:
        description: Like the top-level O(billing_mode).
        type: str
        choices: [PAY_PER_REQUEST, PROVISIONED]
      read_capacity:
        description: Like the top-level O(read_capacity).
        type: int
      write_capacity:
        description: Like the top-level O(write_capacity).
        type: int
      global_indexes:
        description: Like the top-level O(global_indexes).
        type: list
        elements: dict
        suboptions: &index_options
          name:
            description: Name of the index (3 to 255 letters, digits, V(_), V(-) and V(.)).
            type: str
            required: true
          hash_key:
            description: Partition key of the index; must be listed in O(attributes).
            type: str
            required: true
          range_key:
            description: Sort key of the index; must be listed in O(attributes).
            type: str
          projection:
            description: Attributes copied into the index.
            type: str
            choices: [ALL, KEYS_ONLY, INCLUDE]
            default: ALL
          non_key_attributes:
            description: Attributes projected with V(INCLUDE) (and only then).
            type: list
            elements: str
          read_capacity:
            description: Read capacity units, required with O(billing_mode=PROVISIONED) only.
            type: int
          write_capacity:
            description: Write capacity units, required with O(billing_mode=PROVISIONED) only.
            type: int
      ttl:
        description: Like the top-level O(ttl).
        type: dict
        suboptions: &ttl_options
          enabled:
            description: Whether items expire.
            type: bool
            default: true
          attribute_name:
            description:
              - Attribute holding each item's expiry time in epoch seconds; required when O(ttl.enabled=true).
              - It needs no entry in O(attributes). If it is a key attribute it must be of type V(N).
              - AWS cannot move TTL from one attribute to another in one step; the module refuses to try.
            type: str
      point_in_time_recovery:
        description: Like the top-level O(point_in_time_recovery).
        type: bool
      recovery_period_days:
        description: Like the top-level O(recovery_period_days).
        type: int
      encryption:
        description: Like the top-level O(encryption).
        type: dict
        suboptions: &encryption_options
          type:
            description:
              - V(aws_owned) uses a key owned by DynamoDB (the AWS default, no KMS charges).
              - V(aws_managed) uses the account's AWS managed key C(alias/aws/dynamodb).
              - V(customer_managed) uses the key in O(encryption.kms_key_arn).
            type: str
            required: true
            choices: [aws_owned, aws_managed, customer_managed]
          kms_key_arn:
            description:
              - ARN of the customer managed KMS key (not an alias), as DynamoDB reports it.
              - Only with O(encryption.type=customer_managed), and then required.
            type: str
      deletion_protection:
        description: Like the top-level O(deletion_protection).
        type: bool
      stream:
        description: Like the top-level O(stream).
        type: dict
        suboptions: &stream_options
          enabled:
            description: Whether the table has a DynamoDB stream.
            type: bool
            default: true
          view_type:
            description:
              - What each stream record holds; required when the stream is enabled.
              - Changing it disables the stream and enables a new one.
            type: str
            choices: [KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES]
      replicas:
        description: Like the top-level O(replicas).
        type: list
        elements: dict
        suboptions: &replica_options
          region:
            description: Region of the replica (not the table's own region).
            type: str
            required: true
          kms_key_arn:
            description:
              - ARN of the customer managed key in that region; required with O(encryption.type=customer_managed)
                and only then.
            type: str
      tags:
        description: Like the top-level O(tags).
        type: dict
      purge_tags:
        description: Like the top-level O(purge_tags).
        type: bool
  state:
    description:
      - V(present) creates or updates the table, V(absent) deletes it (with its replicas).
    type: str
    choices: [present, absent]
    default: present
  attributes:
    description:
      - The attributes used as keys by the table or any global index, with their types.
      - Required with O(state=present). AWS rejects definitions that no key uses.
    type: list
    elements: dict
    suboptions: *attribute_options
  hash_key:
    description:
      - Partition key of the table; required with O(state=present). A table's keys never change.
    type: str
  range_key:
    description:
      - Sort key of the table, if it has one.
    type: str
  billing_mode:
    description:
      - V(PAY_PER_REQUEST) (on demand) or V(PROVISIONED) with O(read_capacity) and O(write_capacity).
    type: str
    choices: [PAY_PER_REQUEST, PROVISIONED]
    default: PAY_PER_REQUEST
  read_capacity:
    description: Read capacity units of the table, required with O(billing_mode=PROVISIONED) only.
    type: int
  write_capacity:
    description: Write capacity units of the table, required with O(billing_mode=PROVISIONED) only.
    type: int
  global_indexes:
    description:
      - The complete set of global secondary indexes; indexes not listed are deleted.
      - Unset leaves the indexes as they are.
    type: list
    elements: dict
    suboptions: *index_options
  ttl:
    description:
      - Time to live. Unset leaves it as it is.
    type: dict
    suboptions: *ttl_options
  point_in_time_recovery:
    description:
      - Whether continuous backups allow point-in-time restores. Unset leaves it as it is.
    type: bool
  recovery_period_days:
    description:
      - Days of point-in-time recovery (1 to 35); unset keeps the table's period (35 by default).
      - Only with O(point_in_time_recovery=true).
    type: int
  encryption:
    description:
      - Server-side encryption key. Unset leaves it as it is (AWS owned for a new table).
    type: dict
    suboptions: *encryption_options
  deletion_protection:
    description:
      - Whether the table refuses deletion. Unset leaves it as it is.
      - With O(state=absent), V(false) turns protection off before deleting; a protected table is
        otherwise not deleted and the module fails.
    type: bool
  stream:
    description:
      - The DynamoDB stream. Unset leaves it as it is.
      - O(replicas) need it enabled with V(NEW_AND_OLD_IMAGES).
    type: dict
    suboptions: *stream_options
  replicas:
    description:
      - Regions holding replicas of this table (global tables version 2019.11.21); replicas in regions
        not listed are deleted, one at a time. Unset leaves replicas as they are.
      - Needs O(billing_mode=PAY_PER_REQUEST) and O(stream) enabled with V(NEW_AND_OLD_IMAGES).
    type: list
    elements: dict
    suboptions: *replica_options
  wait:
    description:
      - Wait until the table, its indexes and replicas are ACTIVE (or the table is gone) before returning.
      - Waits between steps AWS cannot overlap happen regardless.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each change to settle.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - faith.ops.write_lock
notes:
  - Local secondary indexes and table classes are not managed.
"""

EXAMPLES = r"""
- name: Ensure the conversation table exists
  faith.ops.dynamodb_table:
    name: faith-chatbot-production-ConversationSessions
    attributes:
      - {name: session_id, type: S}
      - {name: created_at, type: S}
    hash_key: session_id
    range_key: created_at
    ttl:
      attribute_name: expires_at
    point_in_time_recovery: true
    deletion_protection: true
    encryption:
      type: aws_managed
    tags:
      Application: faith-chatbot

- name: Ensure the application tables exist, in one call
  faith.ops.dynamodb_table:
    point_in_time_recovery: true
    deletion_protection: true
    stream:
      view_type: NEW_AND_OLD_IMAGES
    replicas:
      - region: us-west-2
    tables:
      - name: faith-chatbot-production-UserProfiles
        attributes:
          - {name: user_id, type: S}
          - {name: email, type: S}
        hash_key: user_id
        global_indexes:
          - name: EmailIndex
            hash_key: email
      - name: faith-chatbot-production-PrayerRequests
        attributes:
          - {name: request_id, type: S}
        hash_key: request_id

- name: Delete a protected table
  faith.ops.dynamodb_table:
    name: faith-chatbot-staging-PrayerRequests
    state: absent
    deletion_protection: false
"""

RETURN = r"""
table:
  description:
    - The table after the run (as it would be, in check mode), in the module's option names.
    - Empty when O(state=absent).
  returned: when O(name) is given
  type: dict
  contains:
    name:
      description: Table name.
      type: str
      returned: always
      sample: faith-chatbot-local-UserProfiles
    arn:
      description: Table ARN (absent for a table that check mode would create).
      type: str
      returned: when the table exists
      sample: arn:aws:dynamodb:us-east-1:123456789012:table/faith-chatbot-local-UserProfiles
    status:
      description: Table status.
      type: str
      returned: when the table exists
      sample: ACTIVE
    attributes:
      description: Attribute definitions.
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
      description: Global secondary indexes (with their O(global_indexes) options and C(status)).
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
      description: Stream settings.
      type: dict
      returned: always
      sample: {enabled: false, view_type: null}
    latest_stream_arn:
      description: ARN of the current stream.
      type: str
      returned: when the table exists
      sample: null
    replicas:
      description: Replicas (C(region), C(status), C(kms_key_arn)).
      type: list
      elements: dict
      returned: always
      sample: []
    encryption:
      description: Encryption (C(type), and C(kms_key_arn) for KMS keys).
      type: dict
      returned: always
      sample: {type: aws_owned}
    point_in_time_recovery:
      description: Whether point-in-time recovery is on.
      type: bool
      returned: when O(point_in_time_recovery) is set
      sample: true
    recovery_period_days:
      description: Point-in-time recovery period.
      type: int
      returned: when O(point_in_time_recovery) is set
      sample: 35
    ttl:
      description: Time to live (C(enabled), C(attribute_name)).
      type: dict
      returned: when O(ttl) is set
      sample: {enabled: true, attribute_name: expires_at}
    tags:
      description: Tags.
      type: dict
      returned: when O(tags) is set
      sample: {Application: faith-chatbot}
tables:
  description: The tables of O(tables) that are present after the run, in the same shape as RV(table).
  returned: when O(tables) is given
  type: list
  elements: dict
  sample: [{name: faith-chatbot-local-PrayerRequests, hash_key: request_id, billing_mode: PAY_PER_REQUEST}]
actions:
  description: What was done (or, in check mode, would be done), in order.
  returned: always
  type: list
  elements: str
  sample: ["create table faith-chatbot-local-UserProfiles", "enable point-in-time recovery of table faith-chatbot-local-UserProfiles"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.diffing import normalise
from ansible_collections.faith.ops.plugins.module_utils.dynamodb import api
from ansible_collections.faith.ops.plugins.module_utils.dynamodb import transformations as tf
from ansible_collections.faith.ops.plugins.module_utils.dynamodb import waiters
from ansible_collections.faith.ops.plugins.module_utils.tagging import merged_tags
from ansible_collections.faith.ops.plugins.module_utils.tagging import tag_changes
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


class AwsManagedKey:
    """The ARN of the AWS managed DynamoDB key, looked up (once) only when a table needs it."""

    def __init__(self, module):
        self.module = module
        self.arn = None

    def __call__(self):
        # An absent key is not remembered: AWS creates it with the first table that uses it.
        if self.arn is None:
            self.arn = api.aws_managed_key_arn(self.module.client("kms"))
        return self.arn

    def for_table(self, table, spec=None):
        return self() if tf.needs_aws_managed_key(table, spec) else None


class TableRun:
    """One table during a module run: what is wanted, what AWS last reported, and whether it has settled."""

    def __init__(self, module, client, spec, aws_managed_key):
        self.module = module
        self.client = client
        self.spec = spec
        self.aws_managed_key = aws_managed_key
        self.name = spec.name
        self.table = None
        self.pitr = None
        self.ttl = None
        self.tags = None
        self.settled = True
        self.deleting = False
        self.changed = False
        self.before = {}

    @property
    def present(self):
        return self.spec["state"] != "absent"

    def read(self):
        """Describe the table, and the settings kept outside DescribeTable that this run manages.

        Only the settings the spec manages are read, which keeps a no-op run to DescribeTable
        plus one read per managed setting.
        """
        self.table = api.describe_table(self.client, self.name)
        if self.table is None:
            return
        # A change still in progress (from another run, or AWS's own) is waited for before the first write.
        self.settled = tf.is_settled(self.table)
        if self.present:
            if self.spec["point_in_time_recovery"] is not None:
                self.pitr = api.point_in_time_recovery(self.client, self.name)
            if self.spec["ttl"] is not None:
                self.ttl = api.time_to_live(self.client, self.name)
            if self.spec["tags"] is not None:
                self.tags = api.tags(self.client, self.table["TableArn"])
        self.before = self.view()

    def view(self):
        if not self.present:
            return tf.table_view(self.table)
        encryption = tf.encryption_view(self.table, self.aws_managed_key.for_table(self.table, self.spec))
        return tf.table_view(self.table, encryption=encryption, pitr=self.pitr, ttl=self.ttl, tags=self.tags)

    def validate(self):
        """State-dependent checks, run for every table before the first write."""
        if self.present:
            tf.validate_against_current(self.spec, self.table, self.ttl)
        elif self.table and self.table.get("DeletionProtectionEnabled") and self.spec["deletion_protection"] is not False:
            raise OptionError(
                self.spec.option("deletion_protection"),
                f"table {self.name} has deletion protection enabled; give deletion_protection: false with state: absent to turn it off and delete the table",
            )

    def act(self, action):
        """Record ``action`` on this table; return True when it is to be carried out (not in check mode)."""
        self.module.record(f"table {self.name}: {action}")
        return not self.module.check_mode

    def settle(self):
        if not self.settled:
            waiters.wait_settled(self.client, self.name, self.module.params["wait_timeout"])
            self.settled = True

    def update(self, request):
        self.settle()
        self.table = api.update_table(self.client, self.name, request)
        self.settled = False

    def result(self):
        if not self.present:
            return {}, self.before, {}
        if not self.changed:
            return self.before, self.before, self.before
        if self.module.check_mode:
            after = tf.expected_view(self.spec, self.before or None)
            return after, self.before, after
        if self.module.params["wait"]:
            self.settle()
        self.table = api.describe_table(self.client, self.name)
        after = self.view()
        return after, self.before, after


# --- starting work on every table ------------------------------------------------------------


def ensure_table_created(run):
    if run.table is not None:
        return False
    if run.act("create"):
        run.table = api.create_table(run.client, tf.create_request(run.spec))
        run.settled = False
        # A new table has exactly what CreateTable set: no PITR, no TTL, the given tags.
        run.pitr = {"PointInTimeRecoveryStatus": "DISABLED"}
        run.ttl = {"TimeToLiveStatus": "DISABLED"}
        run.tags = dict(run.spec["tags"] or {})
    return True


def ensure_table_deleted(run):
    if run.table is None:
        return False
    for region in tf.replica_regions(run.table):
        if run.act(f"delete replica in {region}"):
            run.update({"ReplicaUpdates": [{"Delete": {"RegionName": region}}]})
    if run.table.get("DeletionProtectionEnabled") and run.act("disable deletion protection"):
        run.update({"DeletionProtectionEnabled": False})
    if run.act("delete"):
        run.settle()
        api.delete_table(run.client, run.name)
        run.deleting = True
    return True


# --- converging an existing (or just created) table ------------------------------------------


def ensure_deletion_protection(run):
    request = tf.deletion_protection_request(run.spec, run.table)
    if request is None:
        return False
    if run.act(f"{'enable' if request['DeletionProtectionEnabled'] else 'disable'} deletion protection"):
        run.update(request)
    return True


def ensure_replicas_removed(run):
    regions = tf.replica_removals(run.spec, run.table)
    for region in regions:
        if run.act(f"delete replica in {region}"):
            run.update({"ReplicaUpdates": [{"Delete": {"RegionName": region}}]})
    return bool(regions)


def ensure_indexes_removed(run):
    names = tf.index_removals(run.spec, run.table)
    for name in names:
        if run.act(f"delete global index {name}"):
            run.update(tf.index_removal_request(run.spec, run.table, name))
    return bool(names)


def ensure_billing(run):
    request = tf.billing_request(run.spec, run.table)
    if request is None:
        return False
    if run.act(f"set billing mode {run.spec['billing_mode']} and capacity"):
        run.update(request)
    return True


def ensure_indexes_added(run):
    indexes = tf.index_additions(run.spec, run.table)
    for index in indexes:
        if run.act(f"create global index {index['name']}"):
            run.update(tf.index_addition_request(run.spec, run.table, index))
    return bool(indexes)


def ensure_index_throughput(run):
    requests = tf.index_throughput_requests(run.spec, run.table)
    for name, request in requests:
        if run.act(f"update capacity of global index {name}"):
            run.update(request)
    return bool(requests)


def ensure_encryption(run):
    request = tf.encryption_request(run.spec, run.table, run.aws_managed_key.for_table(run.table, run.spec))
    if request is None:
        return False
    if run.act(f"set {run.spec['encryption']['type']} encryption"):
        run.update({"SSESpecification": request})
    return True


def ensure_stream(run):
    requests = tf.stream_requests(run.spec, run.table)
    for request in requests:
        verb = f"enable {request['StreamViewType']} stream" if request["StreamEnabled"] else "disable stream"
        if run.act(verb):
            run.update({"StreamSpecification": request})
    return bool(requests)


def ensure_replicas_added(run):
    updates = tf.replica_additions(run.spec, run.table)
    for update in updates:
        verb, action = next(iter(update.items()))
        if run.act(f"{verb.lower()} replica in {action['RegionName']}"):
            run.update({"ReplicaUpdates": [update]})
    return bool(updates)


def ensure_point_in_time_recovery(run):
    request = tf.point_in_time_recovery_request(run.spec, run.pitr)
    if request is None:
        return False
    if run.act(f"{'enable' if request['PointInTimeRecoveryEnabled'] else 'disable'} point-in-time recovery"):
        run.settle()
        response = api.update_point_in_time_recovery(run.client, run.name, request)
        run.pitr = response["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription") or {}
    return True


def ensure_time_to_live(run):
    request = tf.ttl_request(run.spec, run.ttl)
    if request is None:
        return False
    if run.act(f"{'enable' if request['Enabled'] else 'disable'} time to live on {request['AttributeName']}"):
        run.settle()
        api.update_time_to_live(run.client, run.name, request)
        run.ttl = {"TimeToLiveStatus": "ENABLING" if request["Enabled"] else "DISABLING", "AttributeName": request["AttributeName"]}
    return True


def ensure_tags(run):
    to_set, to_remove = tag_changes(run.tags, run.spec["tags"], run.spec["purge_tags"])
    if not to_set and not to_remove:
        return False
    if run.act("update tags"):
        if to_remove:
            api.untag_table(run.client, run.table["TableArn"], to_remove)
        if to_set:
            api.tag_table(run.client, run.table["TableArn"], to_set)
        run.tags = merged_tags(run.tags, run.spec["tags"], run.spec["purge_tags"])
    return True


# The order matters: replicas leave before the stream they need can go, indexes are removed
# before the billing mode changes (so AWS asks no capacity for them) and added after it.
CONVERGE_STEPS = (
    ensure_deletion_protection,
    ensure_replicas_removed,
    ensure_indexes_removed,
    ensure_billing,
    ensure_indexes_added,
    ensure_index_throughput,
    ensure_encryption,
    ensure_stream,
    ensure_replicas_added,
    ensure_point_in_time_recovery,
    ensure_time_to_live,
    ensure_tags,
)


def converge(run):
    """Bring an existing table to the spec; True if anything changed (or would)."""
    if run.table is None:  # check mode, table not created
        return False
    changed = False
    for step in CONVERGE_STEPS:
        changed = step(run) or changed
    return changed


def ensure(module):
    specs = tf.table_specs(module.params)
    for spec in specs:
        tf.validate_table_spec(spec, module.region)

    client = module.client("dynamodb")
    aws_managed_key = AwsManagedKey(module)
    runs = [TableRun(module, client, spec, aws_managed_key) for spec in specs]
    for run in runs:
        run.read()
    for run in runs:
        run.validate()
    # Creations and deletions start for every table before any wait, so tables settle in parallel.
    for run in runs:
        run.changed = ensure_table_created(run) if run.present else ensure_table_deleted(run)
    for run in runs:
        if run.present:
            run.changed = converge(run) or run.changed
        elif run.deleting and module.params["wait"]:
            waiters.wait_deleted(client, run.name, module.params["wait_timeout"])
    changed = any(run.changed for run in runs)

    outcomes = [run.result() for run in runs]
    before = {run.name: normalise(outcome[1], tf.DIFF_IGNORED_KEYS) for run, outcome in zip(runs, outcomes)}
    after = {run.name: normalise(outcome[2], tf.DIFF_IGNORED_KEYS) for run, outcome in zip(runs, outcomes)}
    if module.params["tables"] is None:
        return module.result(changed, "table", outcomes[0][0], before[runs[0].name], after[runs[0].name])
    present = [outcome[0] for run, outcome in zip(runs, outcomes) if run.present]
    return module.result(changed, "tables", present, before, after)


def _table_options(item):
    """Argument spec of one table; items of ``tables`` have no defaults so they can inherit."""

    def default(value):
        return {} if item else {"default": value}

    return dict(
        name=dict(type="str", required=item),
        state=dict(type="str", choices=["present", "absent"], **default("present")),
        attributes=dict(
            type="list",
            elements="dict",
            options=dict(name=dict(type="str", required=True), type=dict(type="str", required=True, choices=["S", "N", "B"])),
        ),
        hash_key=dict(type="str", no_log=False),
        range_key=dict(type="str", no_log=False),
        billing_mode=dict(type="str", choices=["PAY_PER_REQUEST", "PROVISIONED"], **default("PAY_PER_REQUEST")),
        read_capacity=dict(type="int"),
        write_capacity=dict(type="int"),
        global_indexes=dict(
            type="list",
            elements="dict",
            options=dict(
                name=dict(type="str", required=True),
                hash_key=dict(type="str", required=True, no_log=False),
                range_key=dict(type="str", no_log=False),
                projection=dict(type="str", choices=["ALL", "KEYS_ONLY", "INCLUDE"], default="ALL"),
                non_key_attributes=dict(type="list", elements="str", no_log=False),
                read_capacity=dict(type="int"),
                write_capacity=dict(type="int"),
            ),
        ),
        ttl=dict(type="dict", options=dict(enabled=dict(type="bool", default=True), attribute_name=dict(type="str"))),
        point_in_time_recovery=dict(type="bool"),
        recovery_period_days=dict(type="int"),
        encryption=dict(
            type="dict",
            options=dict(
                type=dict(type="str", required=True, choices=["aws_owned", "aws_managed", "customer_managed"]),
                kms_key_arn=dict(type="str", no_log=False),
            ),
        ),
        deletion_protection=dict(type="bool"),
        stream=dict(
            type="dict",
            options=dict(
                enabled=dict(type="bool", default=True),
                view_type=dict(type="str", choices=["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]),
            ),
        ),
        replicas=dict(
            type="list",
            elements="dict",
            options=dict(region=dict(type="str", required=True), kms_key_arn=dict(type="str", no_log=False)),
        ),
        tags=dict(type="dict", **({} if item else {"aliases": ["resource_tags"]})),
        purge_tags=dict(type="bool", **default(True)),
    )


def main():
    argument_spec = _table_options(item=False)
    argument_spec.update(
        tables=dict(type="list", elements="dict", options=_table_options(item=True)),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = FaithAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["name", "tables"]],
        required_one_of=[["name", "tables"]],
    )
    module.run(ensure)


if __name__ == "__main__":
    main()

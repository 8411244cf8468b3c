#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: environment_lock
short_description: Hold, renew, release or break the lock that serialises operations on one environment
version_added: 0.2.0
description:
  - Every playbook that writes to an environment (deploy, teardown, release, rollback, DR) holds
    this lock while it runs, so two runs can never both change one environment.
  - The lock is one item of the environment's operations table in DynamoDB, changed only with a
    conditional write on its revision (compare-and-set). It names its holder and carries a lease;
    a holder that crashed stops blocking others once its lease ends.
  - The operations table is created on first use (on-demand capacity, encryption, point-in-time
    recovery). It also holds the release record (M(faith.ops.release_record)).
  - In check mode nothing is written; the result says who holds the lock, if anyone.
  - The lock records the controller's host and the C(ansible-playbook) process holding it. When that
    process is known to have ended on this same host (a run interrupted with Ctrl-C or killed), its
    lock is taken over at once, with a warning, rather than blocking until its lease ends.
author:
  - faith.ops maintainers (@faith-ops)
options:
  table:
    description: Name of the environment's operations table.
    type: str
    required: true
  environment:
    description: The environment the lock serialises (recorded with the lock).
    type: str
    required: true
  state:
    description:
      - C(acquired) takes the lock (or renews it when O(lock_id) already holds it).
      - C(released) frees it when O(lock_id) holds it, and does nothing otherwise.
      - C(read) only reports the holder.
      - C(available) waits while another run holds the lock and fails like C(acquired) when the wait
        ends, but takes nothing and writes nothing. A run that then passes O(write_lock) to its
        modules takes the lock just before its first write, so a run with nothing to change
        writes nothing at all (C(playbooks/deploy.yml)).
    type: str
    choices: [acquired, released, read, available]
    default: acquired
  lock_id:
    description:
      - Identity of this holder; pass the same id to renew or release. Required for C(acquired),
        C(released) and C(available).
    type: str
  owner:
    description: Who takes the lock (user@host), shown to anyone who finds it held.
    type: str
    default: unknown
  operation:
    description: What the holder is doing (for example C(deploy) or C(release 1.4.0 canary)), shown with the holder.
    type: str
    default: operation
  lease_seconds:
    description: Seconds the lock stays held without renewal; a crashed holder blocks others at most this long (1-86400).
    type: int
    default: 1800
  wait_seconds:
    description: Seconds to keep retrying while another holder has the lock before failing (0 fails at once).
    type: int
    default: 0
  break_lock:
    description:
      - The lock id of a holder to take the lock from even though its lease has not ended (its id is
        printed in the message that says the lock is held). Only that holder's lock is broken.
    type: str
  since_revision:
    description:
      - With C(acquired), the lock's revision when the run checked it (the C(revision) that
        C(available) returned). If another run has taken the lock since, even one that has freed
        it again, the module fails without writing, since what the run read before may be out of date.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - faith.ops.write_lock
"""

EXAMPLES = r"""
- name: Take the environment's lock for this deployment
  faith.ops.environment_lock:
    table: faith-ops.faith-chatbot.production
    environment: production
    lock_id: "{{ deploy_lock_id }}"
    owner: "{{ lookup('ansible.builtin.env', 'USER') }}@{{ ansible_hostname | default('controller') }}"
    operation: deploy
    wait_seconds: 300

- name: Free it
  faith.ops.environment_lock:
    table: faith-ops.faith-chatbot.production
    environment: production
    lock_id: "{{ deploy_lock_id }}"
    state: released
"""

RETURN = r"""
lock:
  description: The lock item as it is after the run (in check mode, as it is now). Empty when it never existed.
  returned: always
  type: dict
  contains:
    held:
      description: Whether a holder has the lock.
      type: bool
    id:
      description: Lock id of the (last) holder.
      type: str
    owner:
      description: Who holds (or last held) it.
      type: str
    operation:
      description: What the holder is doing.
      type: str
    acquired_at:
      description: When it was taken (seconds since the epoch).
      type: float
    expires_at:
      description: When its lease ends (seconds since the epoch).
      type: float
  sample: {"held": true, "id": "9c1d", "owner": "ops@bastion", "operation": "deploy", "acquired_at": 1765000000.0, "expires_at": 1765001800.0}
holder:
  description: One line naming the current holder, or null when the lock is free.
  returned: always
  type: str
  sample: deploy by ops@bastion since 2026-12-06T21:00:00Z (lease ends in 1700 s; lock id 9c1d)
revision:
  description: Revision of the lock item after the run.
  returned: always
  type: int
  sample: 7
actions:
  description: What was done, or would be done in check mode.
  returned: always
  type: list
  elements: str
  sample: ["acquire lock as 9c1d"]
"""

from ansible_collections.faith.ops.plugins.module_utils.base import FaithAWSModule
from ansible_collections.faith.ops.plugins.module_utils.operations import api
from ansible_collections.faith.ops.plugins.module_utils.operations import lock as locking
from ansible_collections.faith.ops.plugins.module_utils.operations.holding import forget_held
from ansible_collections.faith.ops.plugins.module_utils.operations.holding import hold
from ansible_collections.faith.ops.plugins.module_utils.operations.holding import outcome
from ansible_collections.faith.ops.plugins.module_utils.operations.table import TABLE_OPTIONS
from ansible_collections.faith.ops.plugins.module_utils.operations.table import ensure_table
from ansible_collections.faith.ops.plugins.module_utils.operations.table import validate_table_name
from ansible_collections.faith.ops.plugins.module_utils.validation import OptionError


def validate(params):
    validate_table_name(params["table"])
    if params["state"] in ("acquired", "released", "available") and not params["lock_id"]:
        raise OptionError("lock_id", f"state={params['state']} needs the holder's lock_id")
    if not 1 <= params["lease_seconds"] <= 86400:
        raise OptionError("lease_seconds", f"{params['lease_seconds']} is outside 1-86400")
    if not 0 <= params["wait_seconds"] <= 86400:
        raise OptionError("wait_seconds", f"{params['wait_seconds']} is outside 0-86400")


def release(module, client):
    params = module.params
    item = api.get_item(client, params["table"], locking.LOCK_KEY)
    if not item:
        return outcome(False, None, 0)
    body = locking.decide_release(item["body"], params["lock_id"])
    if body is None:
        return outcome(False, item["body"], item["revision"])
    module.record(f"release lock {params['lock_id']}")
    forget_held(params["table"], params["lock_id"])
    if module.check_mode:
        return outcome(True, body, item["revision"])
    try:
        revision = api.put_item_if_revision(client, params["table"], locking.LOCK_KEY, body, item["revision"])
    except api.ConditionFailed:
        # Someone broke our lock in between: it is not ours to free any more.
        latest = api.get_item(client, params["table"], locking.LOCK_KEY)
        return outcome(False, latest["body"], latest["revision"])
    return outcome(True, body, revision)


def run(module):
    params = module.params
    validate(params)
    client = module.client("dynamodb")
    if params["state"] == "read":
        item = api.get_item(client, params["table"], locking.LOCK_KEY)
        return outcome(False, item["body"] if item else None, item["revision"] if item else 0)
    if params["state"] == "released":
        return release(module, client)
    if params["state"] == "available":
        # Waits for (or fails on) another holder like acquired, but writes nothing, not even the
        # table: a run that passes write_lock to its modules takes the lock at its first write.
        return hold(module, client, params, take=False)
    created = ensure_table(module, client, params["table"], params["environment"])
    if created and module.check_mode:
        return outcome(True, {}, 0)
    return hold(module, client, params)


def main():
    argument_spec = dict(
        TABLE_OPTIONS,
        state=dict(type="str", default="acquired", choices=["acquired", "released", "read", "available"]),
        lock_id=dict(type="str"),
        **locking.HOLDER_OPTIONS,
    )
    module = FaithAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    # This module takes the lock itself: write_lock (from module_defaults) would take it first.
    module.params["write_lock"] = None
    module.run(run)


if __name__ == "__main__":
    main()

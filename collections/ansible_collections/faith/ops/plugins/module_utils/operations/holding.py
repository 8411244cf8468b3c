# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Taking the environment's lock against the operations table (the decisions are in ``lock``).

Shared by M(faith.ops.environment_lock), which takes the lock when a playbook asks, and by every
faith.ops AWS module given ``write_lock``, which takes it just before its first write
(``module_utils/base.py``), so a run that has nothing to change never writes the lock either.
"""

from __future__ import annotations

import os
import socket
import time

from . import api
from . import lock as locking

RETRY_INTERVAL = 2.0

# Locks this interpreter holds, (table, lock_id) -> when their lease ends. Under Mitogen every
# module task of a play runs in one interpreter, so the first write of a run takes the lock and
# the modules after it find it here; under Ansible's own strategy each module reads it again.
_held = {}


def held_here(spec, now=None):
    """Whether this interpreter took the lock as ``spec["lock_id"]`` and over half its lease is left."""
    now = time.time() if now is None else now
    expires_at = _held.get((spec["table"], spec["lock_id"]))
    return expires_at is not None and expires_at - now > spec["lease_seconds"] / 2


def forget_held(table, lock_id):
    _held.pop((table, lock_id), None)


def playbook_process():
    """``{"host", "pid", "started"}`` of the ansible-playbook run this module belongs to, or None.

    Modules of these playbooks run on the controller (a local connection). ansible-playbook forks
    a worker per task, with the same command line, so the run is the topmost ancestor whose
    command line is ansible-playbook.
    """
    pid, found = os.getppid(), None
    for _depth in range(16):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().split(b"\0")
            with open(f"/proc/{pid}/stat", "rb") as handle:
                parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        if any(part.endswith(b"ansible-playbook") for part in cmdline[:2]):
            found = pid
        elif found:
            break
        if parent <= 1:
            break
        pid = parent
    if not found:
        return None
    return {"host": socket.gethostname(), "pid": found, "started": process_start(found)}


def process_start(pid):
    """The process's start time in clock ticks since boot: with the pid, it names one process for good."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def holder_gone(lock):
    """Whether the lock's holder ran on this host and its ansible-playbook process has ended."""
    holder = lock.get("process") or {}
    if holder.get("host") != socket.gethostname() or not holder.get("pid"):
        return False
    return process_start(holder["pid"]) != holder.get("started")


def outcome(changed, current, revision):
    return {"changed": changed, "lock": current or {}, "revision": revision,
            "holder": locking.describe_holder(current) if locking.is_held(current, gone=holder_gone) else None}


def locked_message(environment, held):
    return (f"{environment} is locked: {held}. Wait for it (-e faith_lock_wait=<seconds>), "
            f"or, if that run is gone, break its lock with -e faith_lock_break=<its lock id>")


def changed_since_message(environment, current):
    if locking.is_held(current, gone=holder_gone):
        return locked_message(environment, locking.describe_holder(current))
    return (f"{environment} was changed by {current['operation']} by {current['owner']} (lock id {current['id']}) "
            f"after this run checked the lock and began reading it; nothing was written. Run it again to work "
            f"from what is there now")


def hold(module, client, spec, take=True, renew=True):
    """Hold the lock as ``spec["lock_id"]``, waiting up to ``spec["wait_seconds"]`` for another holder.

    ``spec`` has the lock options of M(faith.ops.environment_lock) (table, environment, lock_id,
    owner, operation, lease_seconds, wait_seconds, break_lock, and optionally since_revision: the
    lock's revision when the run checked it, so that a lock another run has taken since, even if
    already freed again, fails the module instead). With ``take=False`` it waits and
    fails the same way but writes nothing: the lock is free for this run, or held by it. Fails
    the module, naming the holder, when the wait ends; in check mode a holder only warns.
    """
    deadline = time.monotonic() + spec["wait_seconds"]
    while True:
        item = api.get_item(client, spec["table"], locking.LOCK_KEY)
        current, revision = (item["body"], item["revision"]) if item else (None, 0)
        since = spec.get("since_revision")
        ours = bool(current and current.get("held") and current["id"] == spec["lock_id"])
        if since is not None and revision != since and not ours and not module.check_mode:
            # Another run took the lock after this one checked it and began reading: what this run
            # read may already be out of date, so it writes nothing. Waiting would not help.
            module.fail_json(msg=changed_since_message(spec["environment"], current), holder=locking.describe_holder(current) if current else None,
                             lock=current, revision=revision, since_revision=since)
        try:
            body = locking.decide_acquire(current, spec["lock_id"], spec["owner"], spec["operation"],
                                          spec["lease_seconds"], spec.get("break_lock"), gone=holder_gone,
                                          process=playbook_process())
        except locking.LockHeld as held:
            if module.check_mode:
                # A preview is not blocked by a holder, but says who it is.
                module.warn(f"the environment is locked: {held}")
                return outcome(False, current, revision)
            if time.monotonic() >= deadline:
                module.fail_json(msg=locked_message(spec["environment"], held), holder=str(held), lock=current)
            time.sleep(RETRY_INTERVAL)
            continue
        if not take:
            return outcome(False, current, revision)
        if not renew and current and current.get("held") and current["id"] == spec["lock_id"] \
                and current["expires_at"] - time.time() > spec["lease_seconds"] / 2:
            _held[(spec["table"], spec["lock_id"])] = current["expires_at"]
            return outcome(False, current, revision)
        module.record(f"acquire lock as {spec['lock_id']}")
        if module.check_mode:
            warn_takeover(module, body, "would take")
            return outcome(True, body, revision)
        try:
            revision = api.put_item_if_revision(client, spec["table"], locking.LOCK_KEY, body, revision)
        except api.ConditionFailed:
            continue  # another run moved the lock between our read and write: look again
        # Only now, with the write accepted: two runs can both find a stale lock, and the one
        # whose conditional write loses has taken nothing over.
        warn_takeover(module, body, "took")
        _held[(spec["table"], spec["lock_id"])] = body["expires_at"]
        return outcome(True, body, revision)


def warn_takeover(module, body, verb):
    """Say whose lock this run takes (or, in check mode, would take) over, and why, if anyone's."""
    previous = body.get("took_over")
    if previous:
        module.warn(f"{verb} the lock over from {previous['operation']} by {previous['owner']} "
                    f"(lock id {previous['id']}): {previous['why']}")

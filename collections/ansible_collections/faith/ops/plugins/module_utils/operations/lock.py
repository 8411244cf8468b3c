# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The per-environment lock: pure decisions, so they are unit-tested without AWS.

The lock is one item of the operations table, changed only by compare-and-set on its
revision. It names its holder (owner, operation, start) and carries a lease: a holder that
crashed stops blocking others once the lease has run out.
"""

from __future__ import annotations

import time

LOCK_KEY = "lock"

# Who takes the lock and how: shared by environment_lock's options and the write_lock option
# every faith.ops AWS module has (module_utils/base.py).
HOLDER_OPTIONS = dict(
    owner=dict(type="str", default="unknown"),
    operation=dict(type="str", default="operation"),
    lease_seconds=dict(type="int", default=1800),
    wait_seconds=dict(type="int", default=0),
    break_lock=dict(type="str"),
    since_revision=dict(type="int"),
)


class LockHeld(Exception):
    """Someone else holds the lock; the message names them."""


def describe_holder(lock, now=None):
    """One line naming who holds the lock, for error messages."""
    now = time.time() if now is None else now
    remaining = int(lock["expires_at"] - now)
    lease = f"lease ends in {remaining} s" if remaining > 0 else f"lease expired {-remaining} s ago"
    return (
        f"{lock['operation']} by {lock['owner']} since {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(lock['acquired_at']))} "
        f"({lease}; lock id {lock['id']})"
    )


def is_held(lock, now=None, gone=None):
    """Whether ``lock`` (an item body or None) is held by a live holder.

    ``gone(lock)`` may say that the holder's process is known to have ended (a run interrupted
    on this very controller); such a lock is not held, whatever its lease says.
    """
    now = time.time() if now is None else now
    return bool(lock and lock.get("held") and lock["expires_at"] > now and not (gone and gone(lock)))


def decide_acquire(current, lock_id, owner, operation, lease_seconds, break_lock=None, now=None, gone=None, process=None):
    """The lock body to write to hold the lock as ``lock_id``, or raise LockHeld.

    The same ``lock_id`` renews its own lease. ``break_lock`` takes over a live lock only when
    it names that lock's id, so a break is always a deliberate act on a known holder.
    """
    now = time.time() if now is None else now
    if is_held(current, now, gone) and current["id"] != lock_id and break_lock != current["id"]:
        raise LockHeld(describe_holder(current, now))
    acquired_at = current["acquired_at"] if current and current.get("held") and current["id"] == lock_id else now
    body = {
        "held": True,
        "id": lock_id,
        "owner": owner,
        "operation": operation,
        "acquired_at": acquired_at,
        "expires_at": now + lease_seconds,
    }
    if process:
        body["process"] = process
    if current and current.get("held") and current["id"] != lock_id:
        if current["expires_at"] <= now:
            why = "its lease had ended"
        elif gone and gone(current):
            why = "its run had ended without freeing it"
        else:
            why = "it was broken on request"
        body["took_over"] = {"id": current["id"], "owner": current["owner"], "operation": current["operation"], "why": why}
    return body


def decide_release(current, lock_id, now=None):
    """The lock body that frees the lock held as ``lock_id``; None when there is nothing to free."""
    if not current or not current.get("held") or current["id"] != lock_id:
        return None
    now = time.time() if now is None else now
    return {"held": False, "id": lock_id, "owner": current["owner"], "operation": current["operation"],
            "acquired_at": current["acquired_at"], "expires_at": now, "released_at": now}

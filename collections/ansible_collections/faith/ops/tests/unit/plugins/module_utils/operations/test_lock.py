# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The environment lock's decisions: who may take it, renew it, break it and free it."""

from __future__ import annotations

import pytest

from ansible_collections.faith.ops.plugins.module_utils.operations.lock import LockHeld
from ansible_collections.faith.ops.plugins.module_utils.operations.lock import decide_acquire
from ansible_collections.faith.ops.plugins.module_utils.operations.lock import decide_release
from ansible_collections.faith.ops.plugins.module_utils.operations.lock import describe_holder
from ansible_collections.faith.ops.plugins.module_utils.operations.lock import is_held

# 2026-12-06T21:00:00Z
T0 = 1796590800.0


def held_lock(lock_id="deploy-1", owner="ops@bastion", operation="deploy", acquired_at=T0, lease=600):
    return {"held": True, "id": lock_id, "owner": owner, "operation": operation,
            "acquired_at": acquired_at, "expires_at": acquired_at + lease}


def test_a_free_lock_is_taken_with_a_lease_from_now():
    body = decide_acquire(None, "release-7", "ci@runner", "release 1.5.0 canary", 1800, now=T0)
    assert body == {"held": True, "id": "release-7", "owner": "ci@runner", "operation": "release 1.5.0 canary",
                    "acquired_at": T0, "expires_at": T0 + 1800}


def test_a_released_lock_is_free_and_taking_it_is_no_takeover():
    released = dict(held_lock(), held=False, released_at=T0 + 10)
    body = decide_acquire(released, "deploy-2", "ops@laptop", "deploy", 300, now=T0 + 20)
    assert body["id"] == "deploy-2"
    assert body["acquired_at"] == T0 + 20
    assert body["expires_at"] == T0 + 320
    assert "took_over" not in body


def test_the_holder_renews_its_own_lease_and_keeps_its_start():
    body = decide_acquire(held_lock(), "deploy-1", "ops@bastion", "deploy", 600, now=T0 + 500)
    assert body["acquired_at"] == T0
    assert body["expires_at"] == T0 + 1100
    assert "took_over" not in body


def test_a_lock_held_by_another_is_refused_naming_the_holder():
    with pytest.raises(LockHeld) as raised:
        decide_acquire(held_lock(), "deploy-2", "ops@laptop", "deploy", 600, now=T0 + 100)
    assert str(raised.value) == "deploy by ops@bastion since 2026-12-06T21:00:00Z (lease ends in 500 s; lock id deploy-1)"


def test_an_expired_lease_is_taken_over_and_says_from_whom():
    body = decide_acquire(held_lock(lease=60), "deploy-2", "ops@laptop", "teardown", 600, now=T0 + 61)
    assert body["id"] == "deploy-2"
    assert body["owner"] == "ops@laptop"
    assert body["acquired_at"] == T0 + 61
    assert body["took_over"] == {"id": "deploy-1", "owner": "ops@bastion", "operation": "deploy", "why": "its lease had ended"}


def test_a_lease_ending_exactly_now_is_expired():
    body = decide_acquire(held_lock(lease=60), "deploy-2", "ops@laptop", "deploy", 600, now=T0 + 60)
    assert body["took_over"]["why"] == "its lease had ended"


def test_break_lock_naming_the_holder_takes_a_live_lock():
    body = decide_acquire(held_lock(), "rescue-1", "ops@laptop", "rollback", 600, break_lock="deploy-1", now=T0 + 100)
    assert body["id"] == "rescue-1"
    assert body["acquired_at"] == T0 + 100
    assert body["took_over"] == {"id": "deploy-1", "owner": "ops@bastion", "operation": "deploy", "why": "it was broken on request"}


def test_break_lock_naming_another_id_breaks_nothing():
    with pytest.raises(LockHeld, match="lock id deploy-1"):
        decide_acquire(held_lock(), "rescue-1", "ops@laptop", "rollback", 600, break_lock="deploy-0", now=T0 + 100)


PROCESS = {"host": "bastion", "pid": 4242, "started": 987654}


def test_the_holder_process_is_recorded_with_the_lock():
    body = decide_acquire(None, "deploy-2", "ops@bastion", "deploy", 600, now=T0, process=PROCESS)
    assert body["process"] == PROCESS


def test_a_lock_whose_run_is_gone_is_taken_over_at_once():
    current = dict(held_lock(), process=PROCESS)
    seen = []

    def gone(lock):
        seen.append(lock["id"])
        return lock["process"]["pid"] == 4242

    body = decide_acquire(current, "deploy-2", "ops@bastion", "deploy", 600, now=T0 + 100, gone=gone)
    assert body["id"] == "deploy-2"
    assert body["took_over"] == {"id": "deploy-1", "owner": "ops@bastion", "operation": "deploy",
                                 "why": "its run had ended without freeing it"}
    assert "deploy-1" in seen


def test_a_lock_whose_run_is_alive_is_still_refused():
    with pytest.raises(LockHeld, match="lock id deploy-1"):
        decide_acquire(dict(held_lock(), process=PROCESS), "deploy-2", "ops@laptop", "deploy", 600, now=T0 + 100,
                       gone=lambda lock: False)


def test_an_ended_lease_is_reported_as_such_even_when_the_run_is_gone():
    body = decide_acquire(held_lock(lease=60), "deploy-2", "ops@laptop", "deploy", 600, now=T0 + 61, gone=lambda lock: True)
    assert body["took_over"]["why"] == "its lease had ended"


def test_release_by_the_holder_frees_the_lock_and_keeps_who_held_it():
    body = decide_release(held_lock(), "deploy-1", now=T0 + 42)
    assert body == {"held": False, "id": "deploy-1", "owner": "ops@bastion", "operation": "deploy",
                    "acquired_at": T0, "expires_at": T0 + 42, "released_at": T0 + 42}
    assert not is_held(body, now=T0 + 42)


@pytest.mark.parametrize("current", [None, {}, dict(held_lock(), held=False)], ids=["missing", "empty", "released"])
def test_release_of_a_free_lock_is_nothing_to_do(current):
    assert decide_release(current, "deploy-1", now=T0) is None


def test_release_by_someone_else_is_nothing_to_do():
    assert decide_release(held_lock(), "deploy-2", now=T0) is None


@pytest.mark.parametrize(
    "lock, now, expected",
    [
        (None, T0, False),
        ({}, T0, False),
        (held_lock(), T0 + 599, True),
        (held_lock(), T0 + 600, False),
        (dict(held_lock(), held=False), T0, False),
    ],
    ids=["missing", "empty", "live", "lease-ended", "released"],
)
def test_is_held(lock, now, expected):
    assert is_held(lock, now=now) is expected


def test_a_live_lease_whose_run_is_gone_is_not_held():
    assert is_held(held_lock(), now=T0 + 1, gone=lambda lock: True) is False
    assert is_held(held_lock(), now=T0 + 1, gone=lambda lock: False) is True


def test_describe_holder_says_how_long_ago_an_expired_lease_ended():
    assert describe_holder(held_lock(lease=60), now=T0 + 90) == (
        "deploy by ops@bastion since 2026-12-06T21:00:00Z (lease expired 30 s ago; lock id deploy-1)"
    )

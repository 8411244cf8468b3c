# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""holding.hold: what a run says and writes when it finds a lock whose lease has ended."""

from __future__ import annotations

import time

import pytest

from ansible_collections.faith.ops.plugins.module_utils.operations import holding

SPEC = {"table": "faith-ops.app.test", "environment": "test", "lock_id": "run-2", "owner": "ops@bastion",
        "operation": "deploy", "lease_seconds": 600, "wait_seconds": 0, "break_lock": None}
STALE = {"held": True, "id": "run-0", "owner": "ci@runner", "operation": "deploy",
         "acquired_at": time.time() - 3600, "expires_at": time.time() - 60}


class Refused(Exception):
    pass


class FakeModule:
    """The parts of a module hold() uses: warnings, recorded actions and a failure."""

    def __init__(self, check_mode=False):
        self.check_mode = check_mode
        self.warnings = []
        self.actions = []

    def warn(self, message):
        self.warnings.append(message)

    def record(self, action):
        self.actions.append(action)

    def fail_json(self, **result):
        raise Refused(result["msg"])


class Table:
    """One lock item with a revision; ``rival`` writes its own lock between our read and our write."""

    def __init__(self, body, revision, rival=None):
        self.body, self.revision, self.rival, self.writes = body, revision, rival, []

    def get_item(self, _client, _table, _key):
        return {"body": self.body, "revision": self.revision}

    def put_item_if_revision(self, _client, _table, _key, body, revision):
        if self.rival:
            self.body, self.revision, self.rival = self.rival, self.revision + 1, None
        if revision != self.revision:
            raise holding.api.ConditionFailed()
        self.writes.append(body)
        self.body, self.revision = body, self.revision + 1
        return self.revision


@pytest.fixture
def table(monkeypatch):
    def install(body, revision, rival=None):
        fake = Table(body, revision, rival)
        monkeypatch.setattr(holding.api, "get_item", fake.get_item)
        monkeypatch.setattr(holding.api, "put_item_if_revision", fake.put_item_if_revision)
        return fake
    monkeypatch.setattr(holding, "_held", {})
    return install


def test_a_run_that_takes_an_ended_lease_over_says_from_whom(table):
    fake = table(dict(STALE), 4)
    module = FakeModule()
    result = holding.hold(module, None, dict(SPEC, since_revision=4))
    assert result["changed"] and fake.writes[0]["id"] == "run-2"
    assert module.warnings == ["took the lock over from deploy by ci@runner (lock id run-0): its lease had ended"]


def test_the_run_whose_write_loses_the_race_for_a_stale_lock_is_refused_and_claims_no_takeover(table):
    # Both runs read the stale lock at revision 4; the rival's conditional write lands first.
    rival = {"held": True, "id": "run-1", "owner": "dev@laptop", "operation": "deploy",
             "acquired_at": time.time(), "expires_at": time.time() + 600}
    fake = table(dict(STALE), 4, rival=rival)
    module = FakeModule()
    with pytest.raises(Refused, match="test is locked: deploy by dev@laptop"):
        holding.hold(module, None, dict(SPEC, since_revision=4))
    assert fake.writes == []
    assert module.warnings == []


def test_check_mode_says_it_would_take_the_lock_over_and_writes_nothing(table):
    fake = table(dict(STALE), 4)
    module = FakeModule(check_mode=True)
    result = holding.hold(module, None, dict(SPEC, since_revision=4))
    assert result["changed"] and fake.writes == []
    assert module.warnings == ["would take the lock over from deploy by ci@runner (lock id run-0): its lease had ended"]

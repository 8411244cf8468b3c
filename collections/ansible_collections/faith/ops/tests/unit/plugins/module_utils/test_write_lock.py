# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_lock: a module takes the environment's lock before its first write, never for a read."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.faith.ops.plugins.module_utils import base
from ansible_collections.faith.ops.plugins.module_utils.operations import holding

CONNECTION = {"region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9", "access_key": "AKIDEXAMPLE", "secret_key": "not-a-secret"}
LOCK = {"table": "faith-ops.app.test", "environment": "test", "region": "us-east-1", "lock_id": "run-1", "lease_seconds": 600}


def build(check_mode=False, write_lock=None):
    """A module of a run with ``LOCK`` as write_lock (False: without one)."""
    args = dict(CONNECTION, _ansible_check_mode=check_mode)
    if write_lock is not False:
        args["write_lock"] = write_lock or LOCK
    with patch_module_args(args):
        return base.FaithAWSModule(argument_spec={})


@pytest.fixture
def taken(monkeypatch):
    """Every hold of the lock, as (lock client's region, lock id, renew); the lock is then held."""
    calls = []

    def fake_hold(module, client, spec, take=True, renew=True):
        calls.append((client.meta.region_name, spec["lock_id"], renew))
        holding._held[(spec["table"], spec["lock_id"])] = time.time() + spec["lease_seconds"]  # pylint: disable=protected-access
        return {"changed": True}

    monkeypatch.setattr(holding, "_held", {})
    monkeypatch.setattr(holding, "hold", fake_hold)
    monkeypatch.setattr("ansible_collections.faith.ops.plugins.module_utils.operations.table.ensure_table", lambda *args: False)
    return calls


def call(client, operation, **params):
    """Call ``operation``, answered without the network by a handler after the module's own hook.

    Returns the operations that reached that handler, i.e. that would have been sent.
    """
    sent = []

    def answer(model, **kwargs):
        sent.append(model.name)
        return SimpleNamespace(status_code=200, headers={}), {}

    client.meta.events.register("before-call", answer)
    method = {api: name for name, api in client.meta.method_to_api_mapping.items()}[operation]
    getattr(client, method)(**params)
    client.meta.events.unregister("before-call", answer)
    return sent


def test_reads_do_not_take_the_lock(taken):
    logs = build().client("logs")
    call(logs, "DescribeLogGroups")
    call(logs, "ListTagsLogGroup", logGroupName="g")
    assert taken == []


def test_the_first_write_takes_the_lock_in_the_tables_region_and_later_writes_find_it_held(taken):
    module = build()
    logs = module.client("logs")
    call(logs, "CreateLogGroup", logGroupName="g")
    call(logs, "PutRetentionPolicy", logGroupName="g", retentionInDays=7)
    # A second module of the same run, in the same interpreter (Mitogen), finds it held.
    call(build().client("logs"), "DeleteLogGroup", logGroupName="g")
    assert taken == [("us-east-1", "run-1", False)]
    assert module.actions == []


def test_a_lock_with_less_than_half_its_lease_left_is_taken_again(taken):
    call(build().client("logs"), "CreateLogGroup", logGroupName="g")
    holding._held[(LOCK["table"], "run-1")] = time.time() + 200  # pylint: disable=protected-access
    call(build().client("logs"), "CreateLogGroup", logGroupName="h")
    assert len(taken) == 2


@pytest.mark.parametrize(("check_mode", "write_lock"), [(True, None), (False, False)], ids=["check mode", "no write_lock"])
def test_no_lock_is_taken_in_check_mode_or_without_write_lock(taken, check_mode, write_lock):
    call(build(check_mode, write_lock).client("logs"), "CreateLogGroup", logGroupName="g")
    assert taken == []


def test_a_lock_taken_by_another_run_fails_the_module_before_the_write(monkeypatch):
    monkeypatch.setattr(holding, "_held", {})
    monkeypatch.setattr("ansible_collections.faith.ops.plugins.module_utils.operations.table.ensure_table", lambda *args: False)
    module = build()
    held = {"body": {"held": True, "id": "run-0", "owner": "ops@bastion", "operation": "deploy",
                     "acquired_at": time.time(), "expires_at": time.time() + 600}, "revision": 3}
    monkeypatch.setattr(holding.api, "get_item", lambda *args: held)
    failures = []

    def fail_json(**result):
        failures.append(result)
        raise SystemExit(1)

    monkeypatch.setattr(module, "fail_json", fail_json)
    sent = []
    logs = module.client("logs")
    logs.meta.events.register("before-call", lambda model, **kwargs: sent.append(model.name))
    with pytest.raises(SystemExit):
        logs.create_log_group(logGroupName="g")
    assert sent == []  # the write never reached the API
    assert "test is locked: deploy by ops@bastion" in failures[0]["msg"]
    assert "lock id run-0" in failures[0]["msg"]

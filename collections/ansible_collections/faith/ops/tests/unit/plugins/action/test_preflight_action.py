# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""faith.ops.preflight as a play runs it: the collection's real role files, Ansible's loader and templar."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

from ansible_collections.faith.ops.plugins.action.preflight import ActionModule

STACK = ["network", "edge", "data", "compute", "observability", "backup"]
INVENTORY = {
    "faith_env": "local",
    "faith_app_name": "faith-chatbot",
    "faith_primary_region": "us-east-1",
    "faith_dr_region": "us-west-2",
    "faith_ops_runtime": "local",
    "faith_emulator_unsupported": [],
}


def run_preflight(roles=None, state=None, **variables):
    loader = DataLoader()
    task = Task()
    task.args = {"roles": roles or STACK}
    if state:
        task.args["state"] = state
    # The action needs no connection; ActionBase only asks whether a temporary directory exists.
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir="unused"))
    action = ActionModule(task, connection, PlayContext(), loader, Templar(loader=loader), None)
    return action.run(task_vars={**INVENTORY, **variables})


def messages(result):
    return [f"{finding['variable']}: {finding['message']}" for finding in result["findings"]]


def test_the_role_defaults_with_a_valid_inventory_pass():
    result = run_preflight()
    assert result.get("failed") is not True, messages(result)
    assert result["findings"] == []
    assert result["checked_roles"] == STACK


def test_values_given_as_text_are_typed_by_the_argument_specs():
    result = run_preflight(edge_listener_port="99999", compute_container_port="0")
    assert result["failed"] is True
    assert [finding["variable"] for finding in result["findings"]] == ["edge_listener_port", "compute_container_port"]
    assert "edge_listener_port=99999 is out of range; use 1 to 65535" in result["msg"]


def test_a_choice_the_spec_rejects_is_reported_once():
    result = run_preflight(network_nat_mode="sometimes")
    assert messages(result) == ["network_nat_mode: value of network_nat_mode must be one of: none, single, per_az, got: sometimes (role network)"]


def test_names_derive_from_the_roles_own_vars_files():
    result = run_preflight(faith_env="averyveryverylongenvironmentname")
    found = messages(result)
    assert all(message.startswith("faith_env: ") for message in found)
    assert any("'faith-chatbot-averyveryverylongenvironmentname-alb' 50 characters long; AWS allows 32" in message for message in found)


def test_a_derived_name_the_user_set_is_reported_against_it():
    result = run_preflight(edge_alb_name="an-alb-name-that-is-far-too-long-for-aws")
    assert [finding["variable"] for finding in result["findings"]] == ["edge_alb_name"]


def test_an_unusable_environment_is_reported_once_not_per_derived_name():
    result = run_preflight(faith_env="Prod")
    assert [finding["variable"] for finding in result["findings"]] == ["faith_env"]


def test_an_unknown_role_is_named():
    result = run_preflight(roles=["network", "no_such_role"])
    assert messages(result) == ["faith_stack_roles: 'no_such_role' is not a role of faith.ops"]


@pytest.mark.parametrize("state", ["present", "absent"])
def test_teardown_checks_the_same_values(state):
    result = run_preflight(state=state, backup_schedule_timezone="Mars/Olympus")
    assert [finding["variable"] for finding in result["findings"]] == ["backup_schedule_timezone"]

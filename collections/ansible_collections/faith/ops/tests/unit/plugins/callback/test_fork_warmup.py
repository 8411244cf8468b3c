# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fork warm-up loads the template plugins once in the controller, and indexes the collections once under Mitogen."""

from __future__ import annotations

import sys
import types

import pytest
from ansible import constants as C

from ansible_collections.faith.ops.plugins.callback import fork_warmup


@pytest.fixture
def listed(monkeypatch):
    calls = []

    def fake_listing():
        calls.append(True)
        yield b"/collections/ansible_collections/faith/ops"

    monkeypatch.setattr("ansible.collections.list.list_collection_dirs", fake_listing)
    return calls


@pytest.mark.parametrize(("strategy", "expected"), [("mitogen_linear", 1), ("mitogen_free", 1), ("linear", 0), ("free", 0)])
def test_it_lists_the_collections_under_mitogen_only(monkeypatch, listed, planner, strategy, expected):
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", strategy)
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    assert len(listed) == expected


def test_a_failed_listing_never_fails_the_run(monkeypatch):
    def broken_listing():
        raise OSError("unreadable collection path")

    monkeypatch.setattr("ansible.collections.list.list_collection_dirs", broken_listing)
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "mitogen_linear")
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)


class RecordingLoader:
    """A plugin loader that records whether every plugin was loaded."""

    def __init__(self):
        self.loaded = []

    def all(self, class_only=False):
        for name in ("first", "second"):
            self.loaded.append((name, class_only))
            yield name


def test_the_template_plugins_are_loaded_before_the_workers_fork(monkeypatch):
    filters, tests = RecordingLoader(), RecordingLoader()
    monkeypatch.setattr("ansible.plugins.loader.filter_loader", filters)
    monkeypatch.setattr("ansible.plugins.loader.test_loader", tests)
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "linear")
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    assert filters.loaded == tests.loaded == [("first", True), ("second", True)]


def test_a_failed_step_leaves_the_next_one_to_run(monkeypatch, listed, planner):
    def broken_loading():
        raise ImportError("a filter plugin that cannot be imported")

    monkeypatch.setattr(fork_warmup, "load_template_plugins", broken_loading)
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "mitogen_linear")
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    assert len(listed) == 1


class FakeInvocation:
    def __init__(self):
        self._extra_sys_paths = set()


@pytest.fixture
def planner(monkeypatch):
    """A stand-in for ``ansible_mitogen.planner`` whose own step would list the collections again."""
    listings = []
    module = types.ModuleType("ansible_mitogen.planner")

    def own_load_collections(invocation):
        listings.append(True)
        invocation._extra_sys_paths.add("/listed/again")  # pylint: disable=protected-access

    module._load_collections = own_load_collections  # pylint: disable=protected-access
    package = types.ModuleType("ansible_mitogen")
    package.planner = module
    monkeypatch.setitem(sys.modules, "ansible_mitogen", package)
    monkeypatch.setitem(sys.modules, "ansible_mitogen.planner", module)
    return module, listings


def test_the_planner_is_handed_the_index_listed_once(monkeypatch, listed, planner):
    module, own_listings = planner
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "mitogen_linear")
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    invocations = [FakeInvocation() for _task in range(3)]
    for invocation in invocations:
        module._load_collections(invocation)  # pylint: disable=protected-access
    assert len(listed) == 1
    assert own_listings == []
    assert all(invocation._extra_sys_paths == {"/collections/ansible_collections/faith/ops"} for invocation in invocations)  # pylint: disable=protected-access


def test_the_planner_is_left_alone_under_other_strategies(monkeypatch, listed, planner):
    module, own_listings = planner
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "linear")
    fork_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    module._load_collections(FakeInvocation())  # pylint: disable=protected-access
    assert own_listings == [True]


def test_a_planner_without_the_step_is_left_alone(monkeypatch):
    module = types.ModuleType("ansible_mitogen.planner")
    package = types.ModuleType("ansible_mitogen")
    package.planner = module
    monkeypatch.setitem(sys.modules, "ansible_mitogen", package)
    monkeypatch.setitem(sys.modules, "ansible_mitogen.planner", module)
    assert fork_warmup.hand_index_to_planner(frozenset({"/x"})) is False
    assert not hasattr(module, "_load_collections")

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Mitogen warm-up indexes the installed collections in the controller, and only under Mitogen."""

from __future__ import annotations

import pytest
from ansible import constants as C

from ansible_collections.faith.ops.plugins.callback import mitogen_warmup


@pytest.fixture
def listed(monkeypatch):
    calls = []

    def fake_listing():
        calls.append(True)
        yield b"/collections/ansible_collections/faith/ops"

    monkeypatch.setattr("ansible.collections.list.list_collection_dirs", fake_listing)
    return calls


@pytest.mark.parametrize(("strategy", "expected"), [("mitogen_linear", 1), ("mitogen_free", 1), ("linear", 0), ("free", 0)])
def test_it_lists_the_collections_under_mitogen_only(monkeypatch, listed, strategy, expected):
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", strategy)
    mitogen_warmup.CallbackModule().v2_playbook_on_start(playbook=None)
    assert len(listed) == expected


def test_a_failed_listing_never_fails_the_run(monkeypatch):
    def broken_listing():
        raise OSError("unreadable collection path")

    monkeypatch.setattr("ansible.collections.list.list_collection_dirs", broken_listing)
    monkeypatch.setattr(C, "DEFAULT_STRATEGY", "mitogen_linear")
    mitogen_warmup.CallbackModule().v2_playbook_on_start(playbook=None)

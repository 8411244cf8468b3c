# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: mitogen_warmup
type: aggregate
short_description: Index the installed collections once per run, before Mitogen's task workers fork
version_added: 0.3.0
description:
  - Under Mitogen's strategies, every task that runs a collection module lists the installed
    collections in its worker, to hand their paths to the target interpreter. A worker is forked
    from C(ansible-playbook) for each task, so each one imports every collection's package and
    parses its C(meta/runtime.yml) again. With the 93 collections the C(ansible) package bundles,
    that is 0.1 to 0.15 s of every module task.
  - This callback lists them once in C(ansible-playbook) itself when the playbook starts and hands
    that list to Mitogen's planner (its C(_load_collections) step, in C(ansible_mitogen.planner) of
    mitogen 0.3.x), so the workers it forks reuse the index instead of walking every collection
    again (0.01 to 0.02 s a task even with the packages imported). Collections installed while a
    playbook runs are found by the next run. It changes nothing else; under any other strategy it
    does nothing. With a Mitogen that has no such step, it only imports the collections' packages
    ahead of the workers.
requirements:
  - enable in C(ansible.cfg) with C(callbacks_enabled = faith.ops.mitogen_warmup)
author:
  - faith.ops maintainers (@faith-ops)
"""

from ansible import constants as C
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Lists the installed collections in the controller before the first task's worker forks."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "faith.ops.mitogen_warmup"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_start(self, playbook):
        if not str(C.DEFAULT_STRATEGY).startswith("mitogen"):
            return
        try:
            # Imported here: only Mitogen runs need it, and it loads ansible-galaxy's code.
            from ansible.collections.list import list_collection_dirs  # pylint: disable=import-outside-toplevel

            paths = frozenset(path.decode("utf-8") if isinstance(path, bytes) else path for path in list_collection_dirs())
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A speed-up only: a run must never fail because of it.
            self._display.vvv(f"faith.ops.mitogen_warmup: the installed collections were not indexed ahead of the tasks: {error}")
            return
        hand_index_to_planner(paths)


def hand_index_to_planner(paths):
    """Have Mitogen's planner add ``paths`` to a collection module's import path instead of listing them.

    Mitogen's own step (``_load_collections(invocation)``) adds every installed collection's path
    to ``invocation._extra_sys_paths``; this one adds the same paths, listed once. Returns whether
    the planner had that step.
    """
    try:
        from ansible_mitogen import planner  # pylint: disable=import-outside-toplevel
    except ImportError:
        return False
    if not callable(getattr(planner, "_load_collections", None)):
        return False

    def load_indexed_collections(invocation):
        invocation._extra_sys_paths.update(paths)  # pylint: disable=protected-access

    planner._load_collections = load_indexed_collections  # pylint: disable=protected-access
    return True

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fork_warmup
type: aggregate
short_description: Do once in ansible-playbook what every forked task worker would do again
version_added: 0.3.0
description:
  - C(ansible-playbook) forks a worker process for every task of every host. Whatever a worker
    loads is lost when it exits, so work that every task needs, and that C(ansible-playbook) has
    not done before the first fork, is done again by each task. This callback does that work once,
    when the playbook starts and before any worker forks, so the workers inherit it.
  - Under any strategy, it loads Ansible's own filter and test plugins and builds the template
    engine's lexer. Otherwise each worker does both on its first template, about 6 ms a task
    (0.8 s of a no-op C(playbooks/deploy.yml) of the local stack, C(docs/performance.md)).
  - Under Mitogen's strategies, every task that runs a collection module lists the installed
    collections in its worker, to hand their paths to the target interpreter (with the 93
    collections the C(ansible) package bundles, 0.1 to 0.15 s a task). This callback lists them
    once and hands that list to Mitogen's planner (its C(_load_collections) step, in
    C(ansible_mitogen.planner) of mitogen 0.3.x), so the workers reuse the index. Collections
    installed while a playbook runs are found by the next run. With a Mitogen that has no such
    step, it only imports the collections' packages ahead of the workers.
  - It changes no result, and a step that fails only leaves that work to the workers, as without
    this callback (the reason is shown at C(-vvv)).
requirements:
  - enable in C(ansible.cfg) with C(callbacks_enabled = faith.ops.fork_warmup)
author:
  - faith.ops maintainers (@faith-ops)
"""

from ansible import constants as C
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Loads, before the first task's worker forks, what every worker would load again."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "faith.ops.fork_warmup"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_start(self, playbook):
        for step in (load_template_plugins, index_collections_for_mitogen):
            try:
                step()
            except Exception as error:  # pylint: disable=broad-exception-caught
                # A speed-up only: a run must never fail because of it.
                self._display.vvv(f"faith.ops.fork_warmup: {step.__name__} was left to the task workers: {error}")


def load_template_plugins():
    """Load Ansible's filter and test plugins and build the lexer with one trivial template.

    The template engine loads them on a worker's first template, and builds its lexer there too
    (ansible-core 2.19 notes the lexer as one to build before forking, in its own source).
    """
    # Imported here, as the step below: needed once, when the playbook starts.
    from ansible.plugins.loader import filter_loader  # pylint: disable=import-outside-toplevel
    from ansible.plugins.loader import test_loader  # pylint: disable=import-outside-toplevel
    from ansible.template import Templar  # pylint: disable=import-outside-toplevel
    from ansible.template import trust_as_template  # pylint: disable=import-outside-toplevel

    for loader in (filter_loader, test_loader):
        for _plugin in loader.all(class_only=True):
            pass
    Templar().template(trust_as_template("{{ 0 }}"))


def index_collections_for_mitogen():
    """Under a Mitogen strategy, list the installed collections once for the planner."""
    if not str(C.DEFAULT_STRATEGY).startswith("mitogen"):
        return
    # Imported here: only Mitogen runs need it, and it loads ansible-galaxy's code.
    from ansible.collections.list import list_collection_dirs  # pylint: disable=import-outside-toplevel

    paths = frozenset(path.decode("utf-8") if isinstance(path, bytes) else path for path in list_collection_dirs())
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

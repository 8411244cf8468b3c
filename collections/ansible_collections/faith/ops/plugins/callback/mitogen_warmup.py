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
  - This callback lists them once in C(ansible-playbook) itself when the playbook starts, so the
    workers inherit the imported packages and the listing costs them a few hundredths of a
    second. It changes nothing else; under any other strategy it does nothing.
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

            for _path in list_collection_dirs():
                pass
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A speed-up only: a run must never fail because of it.
            self._display.vvv(f"faith.ops.mitogen_warmup: the installed collections were not indexed ahead of the tasks: {error}")

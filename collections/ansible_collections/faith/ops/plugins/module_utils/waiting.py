# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiting on asynchronous AWS state, built on botocore's waiter machinery.

Every wait in faith.ops goes through :func:`wait_for`: either a waiter the service ships
(``client.get_waiter``) or a waiter model of our own written in botocore's format. The
number of attempts comes from the caller's ``wait_timeout``; there are no sleep loops.
"""

from __future__ import annotations

import math

try:
    from botocore.exceptions import WaiterError
    from botocore.waiter import WaiterModel
    from botocore.waiter import create_waiter_with_client
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK


class WaitTimeout(Exception):
    """A wait did not reach its goal; ``reason`` carries the last state or error AWS reported."""

    def __init__(self, what, timeout, reason):
        self.what = what
        self.reason = reason
        super().__init__(f"Timed out after {timeout}s waiting for {what}: {reason}")


def waiter_model(name, operation, acceptors, delay=5):
    """A one-waiter botocore model (format version 2) for ``operation``."""
    return {
        "version": 2,
        "waiters": {
            name: {"operation": operation, "delay": delay, "maxAttempts": 1, "acceptors": acceptors},
        },
    }


def wait_for(client, waiter_name, what, timeout, model=None, delay=None, **params):
    """Block until ``waiter_name`` succeeds, at most ``timeout`` seconds.

    ``model`` is a waiter model from :func:`waiter_model`; without it the service's own
    waiter of that name is used. ``what`` names the awaited state for the error message.
    """
    if model is not None:
        waiter = create_waiter_with_client(waiter_name, WaiterModel(model), client)
    else:
        waiter = client.get_waiter(waiter_name)
    step = delay or waiter.config.delay
    attempts = max(1, int(math.ceil(timeout / float(step))))
    try:
        waiter.wait(WaiterConfig={"Delay": step, "MaxAttempts": attempts}, **params)
    except WaiterError as error:
        reason = error.last_response.get("Error", {}).get("Message") if error.last_response else None
        raise WaitTimeout(what, timeout, reason or error.kwargs.get("reason") or str(error)) from error

# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module base every faith.ops AWS module builds on.

Connection, credentials, ``endpoint_url``, region and retries come from amazon.aws's
``AnsibleAWSModule``; this layer adds what all our modules share: one error boundary,
the list of actions taken (or that would be taken in check mode), and the diff.
"""

from __future__ import annotations

import functools

try:
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from .diffing import resource_diff
from .validation import OptionError
from .waiting import WaitTimeout


class AWSActionError(Exception):
    """An AWS call failed; ``action`` says what we were doing, in the words of the message."""

    def __init__(self, action, error):
        self.action = action
        self.error = error
        super().__init__(f"Failed to {action}: {error}")


def aws_action(action):
    """Decorate one API-layer function: retry throttling with jitter, name the failed action.

    ``action`` completes the sentence "Failed to ..." (e.g. ``"create subnet"``).
    """

    def decorator(func):
        retried = AWSRetry.jittered_backoff(retries=10, delay=1, max_delay=15)(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return retried(*args, **kwargs)
            except (BotoCoreError, ClientError) as error:
                raise AWSActionError(action, error) from error

        return wrapper

    return decorator


def error_code(error):
    """The AWS error code of an ``AWSActionError`` or botocore ``ClientError`` (or None)."""
    inner = getattr(error, "error", error)
    response = getattr(inner, "response", None) or {}
    return response.get("Error", {}).get("Code")


class FaithAWSModule(AnsibleAWSModule):
    """``AnsibleAWSModule`` plus the run/exit protocol shared by faith.ops modules."""

    def __init__(self, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        # amazon.aws declares the access key id no_log=False (an identifier, not a secret), so
        # every invocation printed at -vvv would show it; ours masks it like the secret key.
        kwargs["argument_spec"] = dict(kwargs.get("argument_spec") or {},
                                       access_key=dict(aws_argument_spec()["access_key"], no_log=True))
        super().__init__(**kwargs)
        self.actions = []

    def record(self, action):
        """Note an action taken (or, in check mode, one that would be taken)."""
        self.actions.append(action)

    def run(self, operation):
        """Run ``operation(module) -> dict`` inside the one error boundary and exit with its result.

        Validation errors become a failure naming the option; AWS errors become
        ``fail_json_aws`` with the action that failed; a wait that timed out says what it
        was waiting for and the last state seen.
        """
        try:
            result = operation(self)
        except OptionError as error:
            self.fail_json(msg=str(error), option=error.option)
        except AWSActionError as error:
            self.fail_json_aws(error.error, msg=f"Failed to {error.action}", actions=self.actions)
        except WaitTimeout as error:
            self.fail_json(msg=str(error), reason=error.reason, actions=self.actions)
        result.setdefault("actions", self.actions)
        self.exit_json(**result)

    def result(self, changed, key, resource, before=None, after=None):
        """Build a module result: ``changed``, the resource under ``key``, and the diff in diff mode."""
        outcome = {"changed": bool(changed), key: resource}
        if self._diff:
            outcome["diff"] = resource_diff(before, after)
        return outcome

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
    import boto3.session
    import botocore.config
    import botocore.loaders
    import botocore.session
    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError
    from botocore.exceptions import NoRegionError
except ImportError:
    pass  # AnsibleAWSModule reports the missing SDK

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

try:
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import _get_user_agent_string as _amazon_aws_user_agent
except ImportError:  # a private helper of amazon.aws: without it, botocore's own user agent
    _amazon_aws_user_agent = None

from .diffing import resource_diff
from .operations.lock import HOLDER_OPTIONS
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


_loaders = {}

# API operations that only read, by name (the local emulator counts reads and writes the same way).
READ_PREFIXES = ("Describe", "List", "Get", "Search", "Scan", "Query", "BatchGet", "Lookup", "Head", "Check")

# The environment's lock, taken just before a module's first write (doc fragment faith.ops.write_lock).
WRITE_LOCK_SPEC = dict(
    type="dict",
    options=dict(
        table=dict(type="str", required=True),
        environment=dict(type="str", required=True),
        region=dict(type="str"),
        lock_id=dict(type="str", required=True),
        **HOLDER_OPTIONS,
    ),
)


def sdk_data_loader(data_path=None):
    """The botocore data loader every client of this interpreter shares (one per ``data_path``).

    Parsing the endpoints and a service's model is most of what creating a client costs (0.1 to
    0.15 s for EC2 on the 2-core machines; the emulator answers a call in milliseconds). A loader
    caches what it parsed. Under Mitogen every task of a play runs its module in the same Python,
    so with one loader each file is parsed once per play instead of once per task; under
    Ansible's own strategy each task is a new process and nothing changes.
    """
    if data_path not in _loaders:
        _loaders[data_path] = botocore.loaders.create_loader(data_path)
    return _loaders[data_path]


class FaithAWSModule(AnsibleAWSModule):
    """``AnsibleAWSModule`` plus the run/exit protocol shared by faith.ops modules."""

    def __init__(self, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        # amazon.aws declares the access key id no_log=False (an identifier, not a secret), so
        # every invocation printed at -vvv would show it; ours masks it like the secret key.
        kwargs["argument_spec"] = dict(kwargs.get("argument_spec") or {},
                                       access_key=dict(aws_argument_spec()["access_key"], no_log=True),
                                       write_lock=WRITE_LOCK_SPEC)
        super().__init__(**kwargs)
        self.actions = []
        self._taking_lock = False

    def client(self, service, retry_decorator=None, **extra_params):
        """A boto3 client as ``AnsibleAWSModule.client`` builds it, on the process's shared data loader.

        Same connection settings (region, endpoint, credentials, profile, ``aws_config``) and the
        same errors; only the service models are not parsed again for every client.
        """
        region, endpoint_url, connect_params = get_aws_connection_info(self)
        params = dict(connect_params, **extra_params)
        # As amazon.aws's: a call may name another region or endpoint than the module's own.
        region = params.pop("region", region)
        endpoint_url = params.pop("endpoint", endpoint_url)
        profile = params.pop("profile_name", None)
        config = botocore.config.Config(user_agent=_amazon_aws_user_agent()) if _amazon_aws_user_agent else botocore.config.Config()
        for key in ("config", "aws_config"):
            extra = params.pop(key, None)
            if extra:
                config = config.merge(extra if isinstance(extra, botocore.config.Config) else botocore.config.Config(**extra))
        sdk_session = botocore.session.get_session()
        loader = sdk_data_loader(sdk_session.get_config_variable("data_path"))
        sdk_session.register_component("data_loader", loader)
        try:
            session = boto3.session.Session(profile_name=profile, botocore_session=sdk_session)
            # Each boto3 session appends its own data directory to the loader's search path.
            loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
            conn = session.client(service, config=config, region_name=region, endpoint_url=endpoint_url, **params)
        except NoRegionError:
            self.fail_json(msg=f"The {self._name} module requires a region and none was found in configuration, environment variables or module parameters")
        except (ValueError, BotoCoreError) as error:
            self.fail_json_aws(error, msg="Couldn't connect to AWS")
        if self.params.get("write_lock") and not self.check_mode:
            conn.meta.events.register("before-call", self._hold_lock_before_write)
        return conn if retry_decorator is None else RetryingBotoClientWrapper(conn, retry_decorator)

    def _hold_lock_before_write(self, model, **kwargs):
        """botocore ``before-call`` hook: hold ``write_lock`` before the first call that writes.

        Every write of a faith.ops module goes through a client built here, so a run that gives
        its modules ``write_lock`` changes nothing without the lock, and one with nothing to
        change never writes it. Fails the module, naming the holder, if another run has it.
        """
        from .operations import holding  # imported here: the operations package builds on this module
        from .operations.table import ensure_table

        spec = self.params["write_lock"]
        if self._taking_lock or model.name.startswith(READ_PREFIXES) or holding.held_here(spec):
            return
        self._taking_lock = True
        own_actions = list(self.actions)  # taking the lock is not one of this module's actions
        try:
            lock_client = self.client("dynamodb", **({"region": spec["region"]} if spec["region"] else {}))
            ensure_table(self, lock_client, spec["table"], spec["environment"])
            holding.hold(self, lock_client, spec, renew=False)
        finally:
            self.actions[:] = own_actions
            self._taking_lock = False

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

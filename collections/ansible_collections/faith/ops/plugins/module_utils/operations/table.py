# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The operations table: where an environment's lock and release record live."""

from __future__ import annotations

from . import api

# Options every module using the operations table shares (merged into their argument specs).
TABLE_OPTIONS = dict(
    table=dict(type="str", required=True),
    environment=dict(type="str", required=True),
)


def validate_table_name(name):
    """DynamoDB table names: 3-255 characters of letters, digits, ``_``, ``-`` and ``.``."""
    from ..validation import OptionError

    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
    if not 3 <= len(name) <= 255 or set(name) - allowed:
        raise OptionError("table", f"{name!r} is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ - .)")


def ensure_table(module, client, name, environment):
    """Create the operations table on first use (never in check mode). Returns whether it was created."""
    if api.describe_table(client, name) is not None:
        return False
    module.record(f"create operations table {name}")
    if module.check_mode:
        return True
    created = api.create_table(client, name, {"ManagedBy": "faith.ops", "Environment": environment, "Purpose": "operations-state"})
    api.wait_table_active(client, name, 60)
    if created:
        api.enable_point_in_time_recovery(client, name)
    return created

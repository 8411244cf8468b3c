# -*- coding: utf-8 -*-
# Copyright: faith.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waits for DynamoDB tables, on botocore waiters.

botocore's ``table_exists`` only looks at the table's own status, which turns ACTIVE while
a new global index is still backfilling or a replica is still being created; AWS refuses
the next UpdateTable until those settle too, hence the ``TableSettled`` model.
"""

from __future__ import annotations

from ..waiting import wait_for
from ..waiting import waiter_model

# Everything UpdateTable may have started is finished: the table, every index (an index
# being deleted is listed as DELETING until it is gone) and every replica are ACTIVE.
SETTLED = (
    "Table.TableStatus == 'ACTIVE'"
    " && length(Table.GlobalSecondaryIndexes[?IndexStatus != 'ACTIVE'] || `[]`) == `0`"
    " && length(Table.Replicas[?ReplicaStatus != 'ACTIVE'] || `[]`) == `0`"
)

TABLE_SETTLED = waiter_model(
    "TableSettled",
    "DescribeTable",
    [
        {"state": "success", "matcher": "path", "argument": SETTLED, "expected": True},
        {"state": "failure", "matcher": "error", "expected": "ResourceNotFoundException"},
        {"state": "failure", "matcher": "pathAny", "argument": "Table.Replicas[].ReplicaStatus", "expected": "CREATION_FAILED"},
    ],
    delay=5,
)


def wait_settled(client, name, timeout):
    """Block until table ``name``, its indexes and replicas are all ACTIVE."""
    wait_for(client, "TableSettled", f"table {name} and its indexes and replicas to be ACTIVE", timeout, model=TABLE_SETTLED, TableName=name)


def wait_deleted(client, name, timeout):
    """Block until table ``name`` no longer exists (botocore's own ``table_not_exists``)."""
    wait_for(client, "table_not_exists", f"table {name} to be deleted", timeout, delay=5, TableName=name)

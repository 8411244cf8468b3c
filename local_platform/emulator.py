"""The local AWS control plane: a moto server with request accounting.

This is moto's own server application (both regions, every service, one process), wrapped
in a WSGI layer that classifies each AWS request as a read or a write by its operation
name. ``GET /_faith/requests`` returns the counters and ``POST /_faith/requests/reset``
zeroes them, so tests can assert that an idempotent run made no write, and benchmarks can
report how many calls a playbook made, whichever client (ours or a stock module) made them.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import threading
from collections import Counter
from urllib.parse import parse_qs

from moto.backup.exceptions import AlreadyExistsException
from moto.backup.models import BackupBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.moto_server.werkzeug_app import create_backend_app
from werkzeug.serving import run_simple

READ_PREFIXES = ("Describe", "List", "Get", "Search", "Scan", "Query", "BatchGet", "Lookup", "Head", "Check")
# smithy-rpc-v2-cbor (CloudWatch in current botocore) puts the operation in the path.
RPC_V2_PATH = re.compile(r"/service/[^/]+/operation/(?P<operation>[A-Za-z0-9]+)")


def operation_of(environ) -> tuple[str, bool]:
    """Return ``(operation, is_write)`` for one AWS request."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:  # JSON protocol: "DynamoDB_20120810.DescribeTable"
        operation = target.rsplit(".", 1)[-1]
        return operation, not operation.startswith(READ_PREFIXES)
    match = RPC_V2_PATH.search(environ.get("PATH_INFO", ""))
    if match:
        operation = match.group("operation")
        return operation, not operation.startswith(READ_PREFIXES)
    action = _query_action(environ)
    if action:  # query protocol (EC2, ELBv2, IAM, SNS, STS): Action=DescribeVpcs
        return action, not action.startswith(READ_PREFIXES)
    # REST protocols (S3, Route 53, Backup...): the verb says whether state changes.
    method = environ.get("REQUEST_METHOD", "GET")
    return f"{method} {environ.get('PATH_INFO', '/')}", method not in ("GET", "HEAD")


def _query_action(environ) -> str | None:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return query["Action"][0]
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
    action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    return action[0] if action else None


def dynamodb_table_of(environ) -> str | None:
    """The table a DynamoDB JSON request names (so writes can be told apart by table)."""
    if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
    try:
        return json.loads(body or b"{}").get("TableName")
    except ValueError:
        return None


def _create_backup_plan_like_aws(self, backup_plan, backup_plan_tags, creator_request_id):
    """moto keeps deleted backup plans and refuses their names; AWS lets a name be reused
    once its plan is deleted. Without this, teardown followed by deploy fails on the emulator
    for a reason AWS never gives."""
    name = backup_plan["BackupPlanName"]
    if any(plan.backup_plan["BackupPlanName"] == name and plan.deletion_date is None for plan in self.plans.values()):
        raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
    for plan_id, plan in list(self.plans.items()):
        if plan.backup_plan["BackupPlanName"] == name:
            del self.plans[plan_id]
    return _moto_create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id)


# Fidelity fixes: where moto departs from AWS in a way that breaks an ordinary lifecycle,
# the emulator behaves as AWS does. Each is covered by tests/integration/test_emulator.py.
_moto_create_backup_plan = BackupBackend.create_backup_plan
BackupBackend.create_backup_plan = _create_backup_plan_like_aws


class RequestAccounting:
    """WSGI middleware counting AWS requests by operation, split into reads and writes."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.reads: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        # DynamoDB writes by table: the environment's operations table (lock, release record) is
        # written by every run that changes something, and tests tell those writes apart.
        self.table_writes: Counter[str] = Counter()

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "reads": sum(self.reads.values()),
                "writes": sum(self.writes.values()),
                "read_operations": dict(self.reads),
                "write_operations": dict(self.writes),
                "dynamodb_table_writes": dict(self.table_writes),
            }

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_faith/requests"):
            if environ.get("REQUEST_METHOD") == "POST" and path.endswith("/reset"):
                with self.lock:
                    self.reads.clear()
                    self.writes.clear()
                    self.table_writes.clear()
            body = json.dumps(self.snapshot()).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if not path.startswith("/moto-api"):
            operation, is_write = operation_of(environ)
            table = dynamodb_table_of(environ) if is_write else None
            with self.lock:
                (self.writes if is_write else self.reads)[operation] += 1
                if table:
                    self.table_writes[table] += 1
        return self.app(environ, start_response)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    app = RequestAccounting(DomainDispatcherApplication(create_backend_app))
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()

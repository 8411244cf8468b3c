"""Structured JSON logs.

Log records carry an event name and a small set of operational fields. Message text, prayer
text, user ids, e-mail addresses and client addresses are never passed to a logger, and the
formatter only emits fields from an allow-list, so an ``extra=`` added carelessly later still
cannot leak them.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

ALLOWED_FIELDS = frozenset(
    {
        "method",
        "route",
        "status",
        "duration_ms",
        "responder",
        "outcome",
        "dependency",
        "error_type",
        "scope",
        "table",
        "version",
        "colour",
        "environment",
        "workers",
    }
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, request id, allowed fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line."""
        seconds = time.gmtime(record.created)
        entry: dict[str, object] = {
            "time": f"{time.strftime('%Y-%m-%dT%H:%M:%S', seconds)}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update({k: v for k, v in fields.items() if k in ALLOWED_FIELDS})
        if record.exc_info and record.exc_info[0] is not None:
            # The type and where it was raised, never the message or locals: the messages of
            # botocore, redis and validation errors can echo request data.
            error_type, _, trace = record.exc_info
            entry["error_type"] = error_type.__name__
            entry["error_at"] = [
                f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(trace)[-5:]
            ]
        return json.dumps(entry, separators=(",", ":"), default=str)


def configure_logging(level: str) -> None:
    """Send the root logger to stdout as JSON (idempotent)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_faith_json", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stdout)
        handler._faith_json = True  # type: ignore[attr-defined]
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level.upper())
    # botocore logs request parameters (item contents) at DEBUG; keep it quiet regardless.
    for noisy in ("botocore", "boto3", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

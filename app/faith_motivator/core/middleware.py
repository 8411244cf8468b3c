"""Request middleware: request ids, request metrics and the access log.

Written as plain ASGI rather than ``BaseHTTPMiddleware``: it runs on every request, and the
plain form avoids an extra task and stream copy per request.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faith_motivator.core.logging import request_id_var
from faith_motivator.core.metrics import Metrics

logger = logging.getLogger("faith_motivator.access")

# A caller-supplied id is echoed into logs and headers, so only a safe shape is kept.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# Paths that are scraped or probed every few seconds; logging them would drown the rest.
_QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})


class RequestContextMiddleware:
    """Assigns X-Request-ID, times the request, counts it, logs one JSON line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            # The route template, never the raw path: bounded label values, no ids in metrics.
            route_label = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            status = status_holder[0]
            self.metrics.requests.labels(method, route_label, str(status)).inc()
            self.metrics.request_latency.labels(method, route_label).observe(elapsed)
            if scope["path"] not in _QUIET_PATHS or status >= 500:
                logger.info(
                    "request",
                    extra={
                        "fields": {
                            "method": method,
                            "route": route_label,
                            "status": status,
                            "duration_ms": round(elapsed * 1000, 2),
                        }
                    },
                )
            request_id_var.reset(token)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


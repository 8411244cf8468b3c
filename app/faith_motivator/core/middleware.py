"""Request middleware: client address, request ids, security headers, metrics, access log.

Written as plain ASGI rather than ``BaseHTTPMiddleware``: it runs on every request, and the
plain form avoids an extra task and stream copy per request.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from faith_motivator.core.logging import request_id_var
from faith_motivator.core.metrics import Metrics

logger = logging.getLogger("faith_motivator.access")

# A caller-supplied id is echoed into logs and headers, so only a safe shape is kept.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# Paths that are scraped or probed every few seconds; logging them would drown the rest.
_QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})

# On every response, errors included. The page loads its script, style and icon from this
# origin only and talks to this origin only; nothing may frame it.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


class TrustedProxies:
    """Which peers may tell the app the client's address (X-Forwarded-For) and scheme."""

    # Peers are few (the load balancer's nodes, or one HAProxy): remember the answers, up to
    # a bound, rather than parse the address on every request.
    MEMO_SIZE = 1024

    def __init__(self, spec: str) -> None:
        entries = [entry.strip() for entry in spec.split(",") if entry.strip()]
        self.any = "*" in entries
        self.networks = [
            ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*"
        ]
        self._memo: dict[str, bool] = {}

    def __contains__(self, host: str | None) -> bool:
        if host is None:
            return False
        if self.any:
            return True
        known = self._memo.get(host)
        if known is None:
            try:
                address = ipaddress.ip_address(host)
            except ValueError:
                known = False
            else:
                known = any(address in network for network in self.networks)
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[host] = known
        return known


def client_from_forwarded(peer: str | None, forwarded_for: Iterable[str]) -> str | None:
    """The client address as the trusted proxy ``peer`` saw it.

    Only the last X-Forwarded-For hop is the proxy's own: everything before it was written by
    the client and could be anything. (A request that did not come from a trusted proxy keeps
    its peer address whatever headers it carries: the caller does not ask.)
    """
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    if not hops:
        return peer
    candidate = hops[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


class RequestContextMiddleware:
    """Resolves the client address, assigns X-Request-ID, adds the security headers, puts
    the right Allow on 405s and answers OPTIONS, times and counts the request, logs it."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        trusted_proxies: Callable[[], str],
        routes: list[BaseRoute],
    ) -> None:
        self.app = app
        self.metrics = metrics
        # Starlette builds the middleware stack on the first event (the lifespan), when the
        # settings, a test's override included, are final.
        self.trusted = TrustedProxies(trusted_proxies())
        self.routes = routes

    def allowed_methods(self, scope: Scope) -> list[str]:
        """Every method some route answers on this path (Starlette stops at the first)."""
        methods: set[str] = set()
        for route in self.routes:
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                match, _ = route.matches({**scope, "method": method})
                if match is Match.FULL:
                    methods.add(method)
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods | {"OPTIONS"}) if methods else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        peer = scope["client"][0] if scope.get("client") else None
        if peer in self.trusted:
            forwarded = [
                value.decode("latin-1")
                for key, value in scope["headers"]
                if key == b"x-forwarded-for"
            ]
            client = client_from_forwarded(peer, forwarded)
            proto = _header(scope, b"x-forwarded-proto")
            scope = {
                **scope,
                "client": (client, 0),
                "scheme": proto if proto in ("http", "https") else scope["scheme"],
            }

        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = [500]
        request_scope = scope

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (key, value)
                    for key, value in message.get("headers", [])
                    if key != b"server" and not (status == 405 and key == b"allow")
                ]
                if status == 405:
                    allowed = self.allowed_methods(request_scope)
                    headers.append((b"allow", ", ".join(allowed).encode()))
                    if request_scope["method"] == "OPTIONS" and allowed:
                        # OPTIONS is answered for every path that exists: nothing to send
                        # but the methods.
                        status = 204
                        headers = [(k, v) for k, v in headers if k not in _BODY_HEADERS]
                        headers.append((b"content-length", b"0"))
                        options_answered[0] = True
                status_holder[0] = status
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(SECURITY_HEADERS)
                message = {**message, "status": status, "headers": headers}
            elif message["type"] == "http.response.body" and options_answered[0]:
                message = {**message, "body": b"", "more_body": False}
            await send(message)

        options_answered = [False]
        try:
            await self.app(scope, receive, send_with_headers)
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


_BODY_HEADERS = frozenset({b"content-length", b"content-type"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


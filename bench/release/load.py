"""Constant load through the local edge, from its own process, recording every request.

    python bench/release/load.py --url http://127.0.0.1:8480 --rate 120 --out load.json

Runs until SIGINT/SIGTERM (or --duration), then writes a JSON summary: requests, failures
(connection errors, timeouts and 5xx; 429 is the rate limiter doing its job, not a failure),
latency percentiles, and when each app version was first and last seen on /version.

Each simulated client has its own loopback source address (127.0.1.x) and keeps its own
session cookie, as separate people would, so the app's per-client rate limits apply per client.
Half the requests are chats, half ask /version.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

CHAT = json.dumps({"message": "I feel anxious about tomorrow"}).encode()


@dataclass
class Outcome:
    started: float
    seconds: float
    kind: str
    status: int | None
    error: str | None = None
    version: str | None = None


@dataclass
class Client:
    source: str
    host: str
    port: int
    cookie: str | None = None
    connection: http.client.HTTPConnection | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    def request(self, kind: str, timeout: float) -> None:
        started = time.time()
        clock = time.monotonic()
        method, path, body = ("POST", "/v1/chat", CHAT) if kind == "chat" else ("GET", "/version", None)
        headers = {"Content-Type": "application/json"} if body else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout,
                                                             source_address=(self.source, 0))
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            version = None
            if kind == "version" and response.status == 200:
                version = json.loads(payload).get("version")
            self.outcomes.append(Outcome(started, time.monotonic() - clock, kind, response.status, version=version))
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            self.outcomes.append(Outcome(started, time.monotonic() - clock, kind, None, error=type(error).__name__))


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarise(outcomes: list[Outcome], started: float, ended: float) -> dict:
    failures = [o for o in outcomes if o.status is None or o.status >= 500]
    versions: dict[str, dict] = {}
    for outcome in sorted(outcomes, key=lambda o: o.started):
        if outcome.version:
            seen = versions.setdefault(outcome.version, {"first": outcome.started, "last": outcome.started, "count": 0})
            seen["last"] = outcome.started
            seen["count"] += 1
    return {
        "started": started,
        "ended": ended,
        "seconds": round(ended - started, 2),
        "requests": len(outcomes),
        "rate": round(len(outcomes) / max(ended - started, 1e-9), 1),
        "by_status": {str(status): sum(1 for o in outcomes if o.status == status) for status in sorted({o.status for o in outcomes if o.status})},
        "rate_limited": sum(1 for o in outcomes if o.status == 429),
        "failed": len(failures),
        "failures": [{"at": round(o.started, 3), "kind": o.kind, "status": o.status, "error": o.error} for o in failures[:200]],
        "p50_ms": round((percentile([o.seconds for o in outcomes], 0.50) or 0) * 1000, 1),
        "p99_ms": round((percentile([o.seconds for o in outcomes], 0.99) or 0) * 1000, 1),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, default=120.0, help="requests per second in total")
    parser.add_argument("--clients", type=int, default=200, help="simulated clients, each on its own source address")
    parser.add_argument("--duration", type=float, default=0, help="seconds (0: until interrupted)")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.clients < 1:
        parser.error(f"--rate must be above 0 and --clients at least 1 (got --rate {args.rate}, --clients {args.clients})")
    # Found out now, not after the run: the summary is written only when the load ends.
    try:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "a", encoding="utf-8"):
            pass
    except OSError as error:
        parser.error(f"--out {args.out}: cannot write the summary there ({error.strerror})")

    target = urlsplit(args.url)
    clients = [Client(f"127.0.1.{1 + n % 250}" if n < 250 else f"127.0.2.{1 + n % 250}", target.hostname, target.port or 80)
               for n in range(args.clients)]
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # Each worker thread owns some clients and sends its share of the rate on a fixed schedule
    # (open loop: a slow answer does not slow the offered load down).
    workers = min(128, args.clients)
    per_worker = args.rate / workers
    started = time.time()

    def work(index: int) -> None:
        own = clients[index::workers]
        interval = 1.0 / per_worker
        next_at = time.monotonic() + (index / workers) * interval
        sent = 0
        while not stop.is_set():
            now = time.monotonic()
            if now < next_at:
                stop.wait(next_at - now)
                continue
            client = own[sent % len(own)]
            client.request("chat" if sent % 2 == 0 else "version", args.timeout)
            sent += 1
            next_at += interval

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(workers)]
    for thread in threads:
        thread.start()
    if args.duration:
        stop.wait(args.duration)
        stop.set()
    else:
        while not stop.is_set():
            stop.wait(0.5)
    for thread in threads:
        thread.join(timeout=args.timeout + 1)
    outcomes = [outcome for client in clients for outcome in client.outcomes]
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(summarise(outcomes, started, time.time()), handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

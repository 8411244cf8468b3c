"""Conversations written through the local edge at a steady rate, each one recorded.

    python bench/dr/writer.py --url http://127.0.0.1:8480 --rate 4 --out written.json

Runs until SIGINT/SIGTERM (or --duration), then writes every chat the edge answered: its
session id, the time the app stored it (``created_at``, the table's range key), the region the
edge answered from just after (``/version``) and the failures in between. A
DR test compares this with what each region's table holds. Each chat comes from its own loopback
source address (127.0.1.x), as separate people would, so the per-address rate limit never
throttles the writer.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import signal
import threading
import time
from urllib.parse import urlsplit

MESSAGE = json.dumps({"message": "I am grateful for today, even in the storm"}).encode()


def app_timestamp(text: str) -> str:
    """The response's ``created_at`` in the table's range-key form (microseconds, Z)."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chat(host: str, port: int, source: str) -> tuple[int | None, dict | None, str | None]:
    connection = http.client.HTTPConnection(host, port, timeout=10, source_address=(source, 0))
    try:
        connection.request("POST", "/v1/chat", body=MESSAGE, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        return response.status, (json.loads(payload) if response.status == 200 else None), None
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, None, str(error)
    finally:
        connection.close()


def region(host: str, port: int) -> str | None:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", "/version")
        response = connection.getresponse()
        return json.loads(response.read()).get("region") if response.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, default=4.0, help="chats per second")
    parser.add_argument("--duration", type=float, default=0, help="seconds; 0 runs until a signal")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    target = urlsplit(args.url)
    host, port = target.hostname, target.port or 80
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    written, failures = [], []
    started = time.monotonic()
    count = 0
    while not stop.is_set() and not (args.duration and time.monotonic() - started >= args.duration):
        due = started + count / args.rate
        stop.wait(max(0.0, due - time.monotonic()))
        if stop.is_set():
            break
        source = f"127.0.1.{1 + count % 250}"
        count += 1
        sent = time.time()
        status, body, error = chat(host, port, source)
        if status == 200 and body.get("stored"):
            written.append({"session_id": body["session_id"], "created_at": app_timestamp(body["created_at"]),
                            "sent": sent, "region": region(host, port)})
        else:
            failures.append({"sent": sent, "status": status, "error": error})
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump({"written": written, "failures": failures, "attempts": count}, out)


if __name__ == "__main__":
    main()

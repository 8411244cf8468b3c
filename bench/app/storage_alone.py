"""The storage calls of one chat turn, alone, at the same fixed rate as paced.py.

A continuing conversation costs the app one DynamoDB call once its owner is cached in Redis
(the PutItem of the exchange), two before that (the owner check, a one-item Query, first).
This runs both on every turn, the uncached worst case, with the app's own client settings and
store code, from a thread pool like the app's, on the same open-loop schedule, and prints one
JSON line: what the storage alone costs on this platform, to set against the whole request's
figures. ``--put-only`` runs the PutItem alone (the cached case).

    python storage_alone.py --endpoint http://127.0.0.1:5000 --rate 100 --duration 30
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from faith_motivator.core.config import Settings
from faith_motivator.services import aws
from faith_motivator.services.storage import ConversationStore

from paced import percentile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--put-only", action="store_true")
    args = parser.parse_args()

    settings = Settings(aws_endpoint_url=args.endpoint)
    client = aws.client(settings, "dynamodb")
    store = ConversationStore(client, settings.conversation_sessions_table, timedelta(days=30))
    sessions = [str(uuid.uuid4()) for _ in range(args.users)]

    def turn(index: int) -> None:
        session = sessions[index % len(sessions)]
        if not args.put_only:
            store.owner(session)
        store.add_exchange(
            {"session_id": session, "user_id": f"anon:bench{index % len(sessions)}",
             "message": "I'm worried about my exams next week", "reply": "r" * 120,
             "theme": "anxiety", "responder": "local", "crisis": False,
             "verses": [{"reference": "1 Peter 5:7", "text": "t" * 60, "translation": "WEB"}] * 2},
            datetime.now(UTC),
        )

    latencies: list[float] = []
    errors: dict[str, int] = {}
    total = int(args.rate * args.duration)
    # The app runs blocking calls on anyio's thread pool (40 threads).
    with ThreadPoolExecutor(max_workers=40) as pool:
        for index in range(8):
            turn(index)
        start = time.perf_counter() + 0.1

        def timed(index: int) -> None:
            due = start + index / args.rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                turn(index)
            except Exception as error:  # noqa: BLE001 - counted and reported, like paced.py
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            latencies.append(time.perf_counter() - due)

        list(pool.map(timed, range(total)))
    ordered = sorted(latencies)
    print(json.dumps({
        "target_rate": args.rate,
        "sent": total,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 2),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 2),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "errors": errors,
    }))


if __name__ == "__main__":
    main()

"""Open-loop load at a fixed rate (wrk2 is not available here).

Requests are sent on a fixed schedule whatever the responses do, and each latency is
measured from the moment the request was *due*, so a stall shows up in every request it
delays (no coordinated omission). The requests come from a number of people, each with their
own credential and conversation, as real traffic does. Prints one JSON line.

    python paced.py --url http://127.0.0.1:8000/v1/chat --rate 100 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx2 as httpx


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def run(url: str, rate: float, duration: float, body: dict, users: int) -> dict:
    """``users`` people, each with their own credential, take turns; a person's first message
    starts a conversation and the later ones continue it, as on the web page."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    base = url.rsplit("/v1/", 1)[0]
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
        tokens = []
        for _ in range(users):
            response = await client.post(f"{base}/v1/session")
            tokens.append({"Authorization": f"Bearer {response.json()['token']}"})
            client.cookies.clear()
        sessions: dict[int, str] = {}

        async def one(due: float, person: int) -> None:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            payload = dict(body, session_id=sessions[person]) if person in sessions else body
            try:
                response = await client.post(url, json=payload, headers=tokens[person])
                key = str(response.status_code)
                if response.status_code == 200:
                    sessions.setdefault(person, response.json()["session_id"])
            except httpx.HTTPError as error:
                key = type(error).__name__
            # Each request carries its person's bearer token and nothing else.
            client.cookies.clear()
            latencies.append(time.perf_counter() - due)
            statuses[key] = statuses.get(key, 0) + 1

        # Warm the connection pool outside the measurement.
        await asyncio.gather(*(client.get(f"{base}/health") for _ in range(8)))
        start = time.perf_counter() + 0.1
        total = int(rate * duration)
        await asyncio.gather(*(one(start + i / rate, i % users) for i in range(total)))
        elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "target_rate": rate,
        "sent": total,
        "achieved_rate": round(total / elapsed, 1),
        "statuses": statuses,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 2),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 2),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--message", default="I'm worried about my exams next week")
    parser.add_argument("--users", type=int, default=50, help="people taking turns")
    args = parser.parse_args()
    result = asyncio.run(
        run(args.url, args.rate, args.duration, {"message": args.message}, args.users)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

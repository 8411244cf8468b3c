"""Open-loop load at a fixed rate (wrk2 is not available here).

Requests are sent on a fixed schedule whatever the responses do, and each latency is
measured from the moment the request was *due*, so a stall shows up in every request it
delays (no coordinated omission). Prints one JSON line.

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


async def run(url: str, rate: float, duration: float, body: dict) -> dict:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:

        async def one(due: float) -> None:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                response = await client.post(url, json=body)
                key = str(response.status_code)
            except httpx.HTTPError as error:
                key = type(error).__name__
            latencies.append(time.perf_counter() - due)
            statuses[key] = statuses.get(key, 0) + 1

        # Warm the connection pool outside the measurement.
        await asyncio.gather(*(client.post(url, json=body) for _ in range(8)))
        start = time.perf_counter() + 0.1
        total = int(rate * duration)
        await asyncio.gather(*(one(start + i / rate) for i in range(total)))
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
    args = parser.parse_args()
    result = asyncio.run(run(args.url, args.rate, args.duration, {"message": args.message}))
    print(json.dumps(result))


if __name__ == "__main__":
    main()

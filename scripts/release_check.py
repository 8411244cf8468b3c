#!/usr/bin/env python3
"""Post-release validation through the public edge: is the released version serving, and working?

    scripts/release_check.py https://chat.example.org 1.5.0 [--rounds 20]

Asks /version `--rounds` times, then /ready once, then sends one chat. Exit status:

    0  every answer came from the version, /ready is 200 and the chat got a reply with verses
    1  the version serves everywhere, but /ready or the chat failed (or the edge did not answer):
       roll the release back (playbooks/rollback.yml)
    2  another version still answers: the release is not at 100 % (paused, or stopped halfway);
       end it with playbooks/release_abort.yml, which puts all traffic back on the stable colour

The CD workflow runs it after release.yml and picks the recovery by the exit status.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import requests

CHAT_MESSAGE = "Post-release check - I need some hope today"
ATTEMPTS = 3  # per request, so one dropped connection does not undo a release


def get(session: requests.Session, url: str, timeout: float) -> requests.Response | None:
    """GET with a few attempts; None when the edge never answered."""
    for attempt in range(ATTEMPTS):
        try:
            return session.get(url, timeout=timeout)
        except requests.RequestException as error:
            print(f"  {url}: {error}")
            time.sleep(1 + attempt)
    return None


def served_versions(session: requests.Session, base: str, rounds: int, timeout: float) -> Counter:
    """How many of `rounds` answers of /version came from each version ('no answer' counted too)."""
    seen: Counter = Counter()
    for _ in range(rounds):
        response = get(session, f"{base}/version", timeout)
        if response is None or response.status_code != 200:
            seen["no answer" if response is None else f"HTTP {response.status_code}"] += 1
        else:
            seen[str(response.json().get("version"))] += 1
        time.sleep(0.5)
    return seen


def chat_works(session: requests.Session, base: str, timeout: float) -> bool:
    """One real chat: an answer with a reply and at least one verse."""
    try:
        response = session.post(f"{base}/v1/chat", json={"message": CHAT_MESSAGE}, timeout=timeout)
    except requests.RequestException as error:
        print(f"chat: {error}")
        return False
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    ok = response.status_code == 200 and bool(body.get("reply")) and bool(body.get("verses"))
    print(f"chat: HTTP {response.status_code}, {'a reply with verses' if ok else 'no usable reply'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the public edge, e.g. https://chat.example.org")
    parser.add_argument("version", help="the version just released")
    parser.add_argument("--rounds", type=int, default=20, help="answers of /version to look at")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    args = parser.parse_args()
    base = args.url.rstrip("/")

    with requests.Session() as session:
        seen = served_versions(session, base, args.rounds, args.timeout)
        print("/version answers: " + ", ".join(f"{version} x{count}" for version, count in seen.most_common()))
        others = [version for version in seen if version != args.version and version != "no answer" and not version.startswith("HTTP ")]
        if others:
            print(f"{', '.join(others)} still answers besides {args.version}: the release is not serving everywhere")
            return 2
        if seen[args.version] != args.rounds:
            print(f"only {seen[args.version]} of {args.rounds} answers came from {args.version}")
            return 1

        ready = get(session, f"{base}/ready", args.timeout)
        print(f"/ready: {'no answer' if ready is None else f'HTTP {ready.status_code}'}")
        if ready is None or ready.status_code != 200:
            return 1
        if not chat_works(session, base, args.timeout):
            return 1
    print(f"{args.version} serves every request through {base}, ready, and answers a chat")
    return 0


if __name__ == "__main__":
    sys.exit(main())

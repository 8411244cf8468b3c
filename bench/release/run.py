"""Release benchmark: each strategy, a bad canary and a rollback, under constant load.

    python bench/release/run.py [--rate 120] [--out reports/bench-release.json]

It deploys the stack on a private local platform (free ports, its own state directory), then
runs each scenario through the operator's playbooks while bench/release/load.py (a separate
process) sends chats and /version requests through HAProxy at a constant rate from many client
addresses. For each scenario it prints: requests and failed requests (connection errors,
timeouts, 5xx; 429 is not a failure), p99 latency, the total time of the playbook, and, where it
applies, the time from the analysis's decision to all traffic on the stable colour (as the
release record states it) or the time until users were served the previous version.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
LOAD = ROOT / "bench" / "release" / "load.py"
BAD_CANARY = '{"release_app_environment": {"FAITH_CONVERSATION_SESSIONS_TABLE": "does-not-exist"}}'
NOT_READY = '{"release_app_environment": {"FAITH_REDIS_URL": "redis://127.0.0.1:1/0"}}'

# (name, playbook, extra arguments, expected to succeed)
SCENARIOS = [
    # The rollback follows blue/green: the replaced colour is still warm, so rollback.yml is a
    # traffic shift back to it.
    ("blue/green, good version", "release.yml", ["-e", "release_version=2.0.0", "-e", "release_strategy=blue_green"], True),
    ("rollback (warm colour)", "rollback.yml", [], True),
    ("canary, good version", "release.yml", ["-e", "release_version=2.1.0", "-e", "release_strategy=canary"], True),
    ("rolling, good version", "release.yml", ["-e", "release_version=2.2.0", "-e", "release_strategy=rolling"], True),
    ("canary, bad version", "release.yml", ["-e", "release_version=2.3.0", "-e", "release_strategy=canary", "-e", BAD_CANARY], False),
    ("blue/green, never ready", "release.yml",
     ["-e", "release_version=2.4.0", "-e", "release_strategy=blue_green", "-e", "release_ready_timeout=10", "-e", NOT_READY], False),
]


def run_playbook(platform: PlatformInstance, name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / name), "-i", str(ROOT / "inventories" / "local"), *args],
        env=platform.env, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )


def release_record(platform: PlatformInstance) -> dict:
    dynamodb = boto3.client("dynamodb", endpoint_url=platform.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    item = dynamodb.get_item(TableName="faith-ops.faith-chatbot.local", Key={"pk": {"S": "release"}}, ConsistentRead=True)
    return json.loads(item["Item"]["body"]["S"])


def scenario(platform: PlatformInstance, workdir: Path, rate: float, name: str, playbook: str, args: list[str],
             should_succeed: bool) -> dict:
    before = release_record(platform)
    previous = before["colours"][before["active_colour"]]["version"]
    out = workdir / f"{re.sub(r'[^a-z]+', '-', name)}.json"
    load = subprocess.Popen(  # noqa: S603
        [sys.executable, str(LOAD), "--url", f"http://127.0.0.1:{platform.http_port}", "--rate", str(rate), "--out", str(out)],
        env=platform.env,
    )
    time.sleep(3)  # the load is steady before the operator acts
    started = time.time()
    completed = run_playbook(platform, playbook, *args)
    ended = time.time()
    time.sleep(2)
    load.send_signal(signal.SIGINT)
    load.wait(timeout=60)
    seen = json.loads(out.read_text())
    after = release_record(platform)
    entry = after["history"][0] if after["history"] else {}
    decision = re.search(r"([0-9.]+) s after the decision", entry.get("reason") or "")
    result = {
        "scenario": name,
        "ok": (completed.returncode == 0) == should_succeed,
        "playbook_rc": completed.returncode,
        "outcome": entry.get("outcome"),
        "reason": entry.get("reason"),
        "requests": seen["requests"],
        "offered_rate": seen["rate"],
        "failed": seen["failed"],
        "rate_limited": seen["rate_limited"],
        "p99_ms": seen["p99_ms"],
        "release_seconds": round(ended - started, 1),
        "decision_to_stable_seconds": float(decision.group(1)) if decision else None,
    }
    if playbook == "rollback.yml":
        # From the start of rollback.yml until users were served the previous version, and until
        # the last response from the version rolled back from.
        back = seen["versions"].get(entry.get("active_version") or "", {})
        left = seen["versions"].get(previous, {})
        result["previous_version_served_after_seconds"] = round(back.get("first", started) - started, 2) if back else None
        result["rolled_back_version_last_seen_after_seconds"] = round(left.get("last", started) - started, 2) if left else None
    if not result["ok"]:
        result["playbook_tail"] = completed.stdout[-3000:]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=120.0, help="requests per second through the edge")
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-release.json"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-release-") as scratch, PlatformInstance(Path(scratch) / "platform") as platform:
        print(f"deploying the stack on a private platform (edge on port {platform.http_port}) ...", flush=True)
        deploy = subprocess.run(["make", "deploy"], env=platform.env, cwd=ROOT, capture_output=True, text=True,  # noqa: S607
                                timeout=1800, check=False)
        if deploy.returncode:
            print(deploy.stdout[-4000:], deploy.stderr[-2000:])
            return 1
        results = []
        for name, playbook, extra, should_succeed in SCENARIOS:
            print(f"{name} at {args.rate:.0f} requests/s ...", flush=True)
            results.append(scenario(platform, Path(scratch), args.rate, name, playbook, extra, should_succeed))

    header = (f"{'scenario':<26} {'ok':<4} {'requests':>8} {'rate/s':>7} {'failed':>6} {'p99 ms':>8} {'total s':>8} "
              f"{'decision->stable s':>18} {'prev. served after s':>20}")
    print("\n" + header + "\n" + "-" * len(header))
    for r in results:
        decision = "" if r["decision_to_stable_seconds"] is None else f"{r['decision_to_stable_seconds']:.2f}"
        back = r.get("previous_version_served_after_seconds")
        print(f"{r['scenario']:<26} {'yes' if r['ok'] else 'NO':<4} {r['requests']:>8} {r['offered_rate']:>7.1f} {r['failed']:>6} "
              f"{r['p99_ms']:>8.1f} {r['release_seconds']:>8.1f} {decision:>18} {'' if back is None else f'{back:.2f}':>20}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(f"\nfigures: {args.out}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())

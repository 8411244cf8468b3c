"""DR benchmark: failover and failback on a private local platform with conversations written throughout.

    python bench/dr/run.py [--rate 4] [--drills 2] [--outage] [--out reports/bench-dr.json]

It deploys the stack on a private platform (free ports, its own state directory). For each drill,
bench/dr/writer.py (a separate process) writes chats through HAProxy while the operator's
playbooks run: dr_backup.yml (the scheduled recovery point), a pause in which writes go on (they
are what a failover loses), dr_failover.yml, a pause in which the DR region takes writes, then
dr_failback.yml. With --outage the primary's serving colour is stopped just before the failover
(users see errors until the DR region answers) and deploy.yml brings it back before the failback,
as the runbook says. It prints, per drill, the figures of the playbooks' own reports (RTO, RPO, items
lost, items not carried back), the chats the writer saw fail, and the playbooks' wall times.
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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
WRITER = ROOT / "bench" / "dr" / "writer.py"


def run_playbook(platform: PlatformInstance, name: str, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / name), "-i", str(ROOT / "inventories" / "local"), *args],
        env=platform.env, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )
    if completed.returncode:
        raise SystemExit(f"{name} failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}")
    return completed, time.monotonic() - started


def report(completed: subprocess.CompletedProcess) -> dict:
    return json.loads(Path(re.findall(r"Report: (\S+\.json)", completed.stdout)[-1]).read_text())


def serving_colour(platform: PlatformInstance) -> str:
    edge = json.loads(platform.platformctl("edge", "status"))
    return max(edge["colour_weights"], key=edge["colour_weights"].get)


def drill(platform: PlatformInstance, rate: float, workdir: Path, number: int, outage: bool) -> dict:
    out = workdir / f"written-{number}.json"
    writer = subprocess.Popen(  # noqa: S603
        [sys.executable, str(WRITER), "--url", f"http://127.0.0.1:{platform.http_port}", "--rate", str(rate), "--out", str(out)],
        env=platform.env,
    )
    try:
        time.sleep(3)
        _, backup_seconds = run_playbook(platform, "dr_backup.yml")
        time.sleep(5)
        if outage:
            platform.platformctl("app", "stop", "--colour", serving_colour(platform))
        failover_run, failover_seconds = run_playbook(platform, "dr_failover.yml", "-e", "dr_confirm=yes")
        time.sleep(5)
        if outage:
            run_playbook(platform, "deploy.yml")
        failback_run, failback_seconds = run_playbook(platform, "dr_failback.yml", "-e", "dr_confirm=yes")
        time.sleep(2)
    finally:
        writer.send_signal(signal.SIGINT)
        writer.wait(timeout=60)
    written = json.loads(out.read_text())
    failover, failback = report(failover_run), report(failback_run)
    return {
        "failover": {key: failover[key] for key in ("rto_seconds", "rpo_seconds", "recovery_point", "items_written_after_recovery_point",
                                                    "items_missing_before_recovery_point", "passed")},
        "failback": {key: failback[key] for key in ("rto_seconds", "items_not_carried_back", "passed")},
        "wall_seconds": {"dr_backup": round(backup_seconds, 1), "dr_failover": round(failover_seconds, 1),
                         "dr_failback": round(failback_seconds, 1)},
        "writer": {"attempts": written["attempts"], "stored": len(written["written"]), "failed": len(written["failures"]),
                   # What users saw: from the first failed chat to the last one (0 when none failed).
                   "failing_seconds": round(max((f["sent"] for f in written["failures"]), default=0)
                                            - min((f["sent"] for f in written["failures"]), default=0), 1),
                   "answered_by_dr_region": sum(1 for item in written["written"] if item["region"] == "us-west-2")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=4.0, help="chats per second written throughout")
    parser.add_argument("--drills", type=int, default=2)
    parser.add_argument("--outage", action="store_true", help="stop the primary's serving colour before each failover")
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench-dr.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="faith-bench-dr-") as workdir, PlatformInstance(Path(workdir) / "platform") as platform:
        deploy = subprocess.run(  # noqa: S603
            [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / "deploy.yml"), "-i", str(ROOT / "inventories" / "local")],
            env=platform.env, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
        )
        if deploy.returncode:
            raise SystemExit(f"deploy.yml failed:\n{deploy.stdout[-4000:]}")
        results = []
        for number in range(1, args.drills + 1):
            result = drill(platform, args.rate, Path(workdir), number, args.outage)
            results.append(result)
            print(f"drill {number}: failover RTO {result['failover']['rto_seconds']:.1f} s, RPO {result['failover']['rpo_seconds']:.1f} s, "
                  f"lost {result['failover']['items_written_after_recovery_point']} (holes {result['failover']['items_missing_before_recovery_point']}); "
                  f"failback RTO {result['failback']['rto_seconds']:.1f} s, not carried back {result['failback']['items_not_carried_back']}; "
                  f"writer {result['writer']['stored']}/{result['writer']['attempts']} stored, {result['writer']['failed']} failed "
                  f"over {result['writer']['failing_seconds']} s, "
                  f"{result['writer']['answered_by_dr_region']} from the DR region; wall {result['wall_seconds']}", flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"rate": args.rate, "outage": args.outage, "drills": results}, indent=2))
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()

"""Benchmark: how long deploy.yml takes on the local platform, and how many AWS requests it makes.

Runs ``playbooks/deploy.yml -i inventories/local`` against a private platform instance:
from empty, then the no-op re-run, then the no-op in ``--check --diff``. For each it prints
wall seconds, AWS requests (reads / writes, from the emulator's request accounting) and the
PLAY RECAP changed count, plus the slowest tasks of the no-op run (what dominates it).
It prints figures; it asserts nothing.

    .venv/bin/python bench/deploy/run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

PLAYBOOK = ROOT / "playbooks" / "deploy.yml"
INVENTORY = ROOT / "inventories" / "local"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
TASK_TIMING = re.compile(r"^(?P<task>.+?) -+ (?P<seconds>\d+\.\d+)s$")


def run_deploy(platform: PlatformInstance, *extra: str) -> dict:
    platform.reset_requests()
    env = dict(platform.env, ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks", PROFILE_TASKS_SORT_ORDER="descending")
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(PLAYBOOK), "-i", str(INVENTORY), *extra],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - started
    if completed.returncode:
        sys.exit(f"deploy.yml failed:\n{completed.stdout[-5000:]}\n{completed.stderr[-2000:]}")
    changed = re.search(r"changed=(\d+)", completed.stdout.split("PLAY RECAP")[-1])
    slowest = [m.groupdict() for line in completed.stdout.splitlines() if (m := TASK_TIMING.match(line.strip()))]
    return {"wall": wall, "changed": int(changed.group(1)), "slowest": slowest[:5], **platform.requests()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Time deploy.yml on the local platform.")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (median reported)")
    args = parser.parse_args()

    results: dict[str, list[dict]] = {"from empty": [], "no-op re-run": [], "no-op --check --diff": []}
    with tempfile.TemporaryDirectory(prefix="faith-bench-") as state:
        for _ in range(args.repeat):
            with PlatformInstance(Path(state)) as platform:
                # The emulator loads each service's backend on first use; warm it outside the timing
                # so "from empty" measures our deployment, not emulator start-up.
                subprocess.run(  # noqa: S603
                    [str(ANSIBLE_PLAYBOOK), str(ROOT / "bench" / "deploy" / "warm_emulator.yml"), "-i", str(INVENTORY)],
                    env=platform.env, cwd=ROOT, capture_output=True, check=True,
                )
                results["from empty"].append(run_deploy(platform))
                results["no-op re-run"].append(run_deploy(platform))
                results["no-op --check --diff"].append(run_deploy(platform, "--check", "--diff"))

    print(f"deploy.yml on inventories/local, median of {args.repeat} runs")
    print(f"{'run':<22}{'wall s':>8}{'reads':>8}{'writes':>8}{'changed':>9}")
    for name, runs in results.items():
        print(
            f"{name:<22}{statistics.median(r['wall'] for r in runs):>8.2f}"
            f"{statistics.median(r['reads'] for r in runs):>8.0f}{statistics.median(r['writes'] for r in runs):>8.0f}"
            f"{statistics.median(r['changed'] for r in runs):>9.0f}"
        )
    last = results["no-op re-run"][-1]
    print("\nno-op re-run, reads by operation:", dict(sorted(last["read_operations"].items())))
    print("no-op re-run, slowest tasks:")
    for task in last["slowest"]:
        print(f"  {task['seconds']:>6}s  {task['task']}")


if __name__ == "__main__":
    main()

"""Benchmark: deploy.yml against the stock amazon.aws/community.aws baseline, in one run.

Two private platform instances (own emulator, state directory and ports) run side by side:
``bench/deploy/stock.yml`` (the same stack written with the stock modules, as far as they work on
the emulator; its header lists what they cannot do) with Ansible's ``linear`` strategy on one, and
``playbooks/deploy.yml`` with the repository's ansible.cfg (Mitogen by default) on the other. Each
phase runs for the stock side and then for ours, back to back, so both see the same load on the
machine: from empty, the no-op re-run, the no-op in ``--check --diff``. For each it prints wall
seconds, AWS requests (reads / writes, from the emulator's accounting), the PLAY RECAP changed
count and the load average, then ours/stock ratios and where ours spends its no-op. It prints
figures; it asserts nothing.

    .venv/bin/python bench/deploy/run.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

HERE = Path(__file__).resolve().parent
INVENTORY = ROOT / "inventories" / "local"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
TASK_TIMING = re.compile(r"^(?P<task>.+?) -+ (?P<seconds>\d+\.\d+)s$")
PHASES = (("from empty", ()), ("no-op re-run", ()), ("no-op --check --diff", ("--check", "--diff")))


class Side:
    """One playbook on its own platform instance, with the strategy it is measured with."""

    def __init__(self, name: str, playbook: Path, platform: PlatformInstance, strategy: str | None):
        self.name = name
        self.playbook = playbook
        self.platform = platform
        # None keeps ansible.cfg's strategy; the stock baseline pins Ansible's own.
        self.env = dict(
            platform.env,
            PROFILE_TASKS_SORT_ORDER="descending",
            PROFILE_TASKS_TASK_OUTPUT_LIMIT="all",
        )
        if strategy:
            self.env["ANSIBLE_STRATEGY"] = strategy
        self.strategy = self.env.get("ANSIBLE_STRATEGY") or configured_strategy(self.env)

    def warm(self) -> None:
        # The emulator loads each service's backend on first use; warm it outside the timing so
        # "from empty" measures the deployment, not emulator start-up.
        subprocess.run(  # noqa: S603
            [str(ANSIBLE_PLAYBOOK), str(HERE / "warm_emulator.yml"), "-i", str(INVENTORY)],
            env=self.env, cwd=ROOT, capture_output=True, check=True,
        )

    def run(self, *extra: str) -> dict:
        self.platform.reset_requests()
        started = time.perf_counter()
        completed = subprocess.run(  # noqa: S603
            [str(ANSIBLE_PLAYBOOK), str(self.playbook), "-i", str(INVENTORY), *extra],
            env=self.env, cwd=ROOT, capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - started
        load = os.getloadavg()[0]
        if completed.returncode:
            sys.exit(f"{self.name}: {self.playbook.name} failed:\n{completed.stdout[-5000:]}\n{completed.stderr[-2000:]}")
        recap = completed.stdout.split("PLAY RECAP")[-1]
        counters = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", recap)}
        timings = [m.groupdict() for line in completed.stdout.splitlines() if (m := TASK_TIMING.match(line.strip()))]
        requests = self.platform.requests()
        return {
            "wall": wall,
            "load": load,
            "changed": counters.get("changed", 0),
            "tasks": counters.get("ok", 0) + counters.get("changed", 0),
            "skipped": counters.get("skipped", 0),
            "timings": [(float(t["seconds"]), t["task"]) for t in timings],
            "lock_writes": PlatformInstance.operations_writes(requests),
            **requests,
        }


def configured_strategy(env: dict) -> str:
    completed = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "ansible-config"), "dump", "--only-changed"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )
    match = re.search(r"^DEFAULT_STRATEGY\(.*?\) = (\S+)", completed.stdout, re.MULTILINE)
    return match.group(1) if match else "linear"


def ratio(ours: float, stock: float) -> str:
    return f"{ours / stock:.3f}x" if stock else "-"  # three places: a target such as 0.2x is judged on them


def main() -> None:
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="faith-bench-") as state:
        with PlatformInstance(Path(state) / "stock") as stock_platform, PlatformInstance(Path(state) / "ours") as our_platform:
            sides = (
                Side("stock", HERE / "stock.yml", stock_platform, "linear"),
                Side("ours", ROOT / "playbooks" / "deploy.yml", our_platform, None),
            )
            for side in sides:
                side.warm()
            for phase, extra in PHASES:
                results[phase] = {side.name: side.run(*extra) for side in sides}

    print("deploy.yml (ours) and bench/deploy/stock.yml (stock), inventories/local, one run each, interleaved by phase")
    for side in sides:
        print(f"  {side.name}: {side.playbook.relative_to(ROOT)}, strategy {side.strategy}")
    print(f"\n{'phase':<22}{'side':<7}{'wall s':>8}{'reads':>7}{'writes':>8}{'lock':>6}{'changed':>9}{'tasks':>7}{'load 1m':>9}")
    for phase, by_side in results.items():
        for name, r in by_side.items():
            print(
                f"{phase:<22}{name:<7}{r['wall']:>8.2f}{r['reads']:>7}{r['writes']:>8}{r['lock_writes']:>6}"
                f"{r['changed']:>9}{r['tasks']:>7}{r['load']:>9.2f}"
            )
    print("\n(lock: writes to the environment's operations table, where a deploy takes its lock at its first write"
          " and frees it, and keeps its release record; they are included in writes)")

    print(f"\n{'ours / stock':<22}{'wall':>8}{'requests':>10}{'writes':>8}")
    for phase, by_side in results.items():
        ours, stock = by_side["ours"], by_side["stock"]
        print(
            f"{phase:<22}{ratio(ours['wall'], stock['wall']):>8}"
            f"{ratio(ours['reads'] + ours['writes'], stock['reads'] + stock['writes']):>10}"
            f"{ours['writes']:>4} vs {stock['writes']:<4}"
        )

    for name in ("stock", "ours"):
        noop = results["no-op re-run"][name]
        timed = sum(seconds for seconds, _ in noop["timings"])
        aws_tasks = [(s, t) for s, t in noop["timings"] if s >= 0.15]
        print(
            f"\n{name} no-op: {len(noop['timings'])} tasks timed, {timed:.1f} s in tasks"
            f" ({1000 * timed / max(len(noop['timings']), 1):.0f} ms each on average);"
            f" {len(aws_tasks)} tasks of 0.15 s or more take {sum(s for s, _ in aws_tasks):.1f} s"
        )
        print(f"  reads by operation: {dict(sorted(noop['read_operations'].items()))}")
        if noop["write_operations"]:
            print(f"  writes by operation: {dict(sorted(noop['write_operations'].items()))}")
        print("  slowest tasks:")
        for seconds, task in noop["timings"][:8]:
            print(f"    {seconds:>6.2f}s  {task}")


if __name__ == "__main__":
    main()

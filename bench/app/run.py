"""Benchmark of the Faith Motivator service on this machine. Prints figures; asserts nothing.

    .venv/bin/python bench/app/run.py [--duration 30] [--connections 32] [--rate 100]

Starts its own redis-server, moto server, the app under gunicorn with the production
app/gunicorn.conf.py (2 uvicorn workers), and a hello-world FastAPI app under the same
settings as the ceiling, each on a free port. Load comes from separate processes: wrk for
throughput and latency, and bench/app/paced.py for POST /v1/chat at a fixed rate. Memory is
read from /proc after the load. Everything started is stopped by PID at the end.

The app runs with FAITH_RATE_LIMIT_ENABLED=false: all load comes from one client address,
and the default limit (10 requests per 10 s) would turn the benchmark into a 429 benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
APP_DIR = ROOT / "app"
GUNICORN_CONF = APP_DIR / "gunicorn.conf.py"
PYTHON = sys.executable
HOST = "127.0.0.1"
CHAT_BODY = json.dumps({"message": "I'm worried about my exams next week"})

# Targets the figures are reported against (not enforced).
TARGET_SCRIPTURE_RATIO = 0.6
TARGET_CHAT_P99_MS = 50.0
TARGET_WORKER_RSS_MIB = 150.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def wait_for(url: str, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {url} within {timeout} s")


class Processes:
    """Processes this run started; stopped by their own PIDs, newest first."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], port: int, **kwargs) -> subprocess.Popen:
        if not port_is_free(port):
            raise RuntimeError(f"port {port} for {name} is already in use")
        process = subprocess.Popen(argv, **kwargs)
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
        for _, process in reversed(self.started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def memory_mib(pid: int) -> tuple[float, float]:
    """Resident set size and proportional set size (shared pages split among sharers)."""
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    if rollup.exists():
        for line in rollup.read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss


def run_wrk(url: str, duration: int, connections: int, threads: int, post: bool) -> dict:
    env = {**os.environ}
    if post:
        env.update({"WRK_METHOD": "POST", "WRK_BODY": CHAT_BODY})
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
            "-s", str(HERE / "wrk_report.lua"), url]
    output = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    result = json.loads(line.removeprefix("WRK_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def gunicorn(
    processes: Processes, name: str, app: str, chdir: Path, env: dict, log: Path
) -> tuple[str, int]:
    """Start ``app`` under the production gunicorn.conf.py with 2 workers; (URL, master PID)."""
    port = free_port()
    # Worker recycling off for both servers: a restart in the middle of a measurement would
    # measure the restart (hello-world reaches the default 100000 requests within a run).
    env = {**env, "FAITH_BIND": f"{HOST}:{port}", "FAITH_WORKERS": "2", "FAITH_MAX_REQUESTS": "0"}
    with log.open("w") as out:
        process = processes.start(
            name,
            [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--chdir", str(chdir), app],
            port,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    wait_for(f"{base}/health" if name == "app" else f"{base}/", name)
    deadline = time.monotonic() + 20
    while len(children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return base, process.pid


def fmt_ms(microseconds: float) -> str:
    return f"{microseconds / 1000:8.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rate", type=float, default=100.0, help="fixed rate for POST /v1/chat")
    args = parser.parse_args()

    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            package = tool.split("-")[0]
            print(f"{tool} is not installed (Debian package '{package}')", file=sys.stderr)
            return 2

    processes = Processes()
    workdir = Path(tempfile.mkdtemp(prefix="faith-bench-"))
    results: dict[str, dict] = {}
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        cleanup.callback(processes.stop_all)

        redis_port = free_port()
        redis_pid = processes.start(
            "redis",
            ["redis-server", "--bind", HOST, "--port", str(redis_port), "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            redis_port,
            stdout=subprocess.DEVNULL,
        ).pid
        moto_port = free_port()
        moto_pid = processes.start(
            "moto",
            [PYTHON, "-m", "moto.server", "-H", HOST, "-p", str(moto_port)],
            moto_port,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ).pid
        wait_for(f"http://{HOST}:{moto_port}/moto-api/", "moto server")

        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",  # noqa: S105 - the emulator takes any key
            "FAITH_ENVIRONMENT": "bench",
            "FAITH_AWS_ENDPOINT_URL": f"http://{HOST}:{moto_port}",
            "FAITH_REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "FAITH_RATE_LIMIT_ENABLED": "false",
            "FAITH_COLOUR": "blue",
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
        }
        (workdir / "prometheus").mkdir()
        for command in ("create-tables", "create-queue"):
            subprocess.run([PYTHON, "-m", "faith_motivator.devtools", command], env=env,
                           check=True, capture_output=True)

        app_url, app_pid = gunicorn(processes, "app", "faith_motivator.main:create_app()",
                                    APP_DIR, env, workdir / "app.log")
        hello_env = {k: v for k, v in env.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        hello_url, hello_pid = gunicorn(processes, "hello", "hello:create_app()", HERE,
                                        hello_env, workdir / "hello.log")

        scripture_url = f"{app_url}/v1/scripture?theme=anxiety"
        with urllib.request.urlopen(scripture_url) as warm:  # noqa: S310 - local URL
            warm.read()

        plan = [
            ("hello-world GET /", f"{hello_url}/", False),
            ("GET /v1/scripture (cached)", scripture_url, False),
            ("POST /v1/chat", f"{app_url}/v1/chat", True),
        ]
        print(f"wrk: {args.threads} threads, {args.connections} connections, "
              f"{args.duration} s per endpoint; gunicorn.conf.py with 2 uvicorn workers and "
              "worker recycling off; app rate limit disabled", flush=True)
        for label, url, post in plan:
            results[label] = run_wrk(url, args.duration, args.connections, args.threads, post)
            print(f"  measured {label}", flush=True)

        paced = subprocess.run(
            [PYTHON, str(HERE / "paced.py"), "--url", f"{app_url}/v1/chat",
             "--rate", str(args.rate), "--duration", str(args.duration)],
            capture_output=True, text=True, check=True,
        )
        results["paced"] = json.loads(paced.stdout.strip().splitlines()[-1])
        print("  measured POST /v1/chat at a fixed rate", flush=True)

        # The same rate with only the chat's storage calls, to tell the app's share of the
        # chat latency from the emulator's. At most 10 s: when the emulator cannot keep up,
        # its backlog (and the run) would otherwise grow for minutes.
        alone = subprocess.run(
            [PYTHON, str(HERE / "storage_alone.py"), "--endpoint", f"http://{HOST}:{moto_port}",
             "--rate", str(args.rate), "--duration", str(min(args.duration, 10))],
            capture_output=True, text=True, check=True, env=env, cwd=HERE,
        )
        results["storage"] = json.loads(alone.stdout.strip().splitlines()[-1])
        print("  measured the chat's storage calls alone at the same rate", flush=True)

        # (label, pid) of every process measured; children are the gunicorn workers.
        measured = [("app master", app_pid)]
        measured += [("app worker", pid) for pid in children(app_pid)]
        measured += [("hello-world master", hello_pid)]
        measured += [("hello-world worker", pid) for pid in children(hello_pid)]
        measured += [("redis-server", redis_pid), ("moto server", moto_pid)]
        memory = [(label, pid, *memory_mib(pid)) for label, pid in measured]

    ceiling = results["hello-world GET /"]["rps"]
    print()
    print(f"{'endpoint':32} {'req/s':>10} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'non-2xx':>8} {'errors':>7}")
    for label, _, _ in plan:
        r = results[label]
        print(f"{label:32} {r['rps']:10.0f} {r['rps'] / ceiling:7.2f} {fmt_ms(r['p50_us'])} "
              f"{fmt_ms(r['p95_us'])} {fmt_ms(r['p99_us'])} {r['non_2xx']:8d} "
              f"{r['socket_errors']:7d}")
    paced_result = results["paced"]
    print()
    print(f"POST /v1/chat at a fixed {paced_result['target_rate']:.0f} req/s for "
          f"{args.duration} s (open loop, latency from each request's due time): "
          f"achieved {paced_result['achieved_rate']} req/s, p50 {paced_result['p50_ms']} ms, "
          f"p95 {paced_result['p95_ms']} ms, p99 {paced_result['p99_ms']} ms, "
          f"max {paced_result['max_ms']} ms, statuses {paced_result['statuses']}")
    storage = results["storage"]
    print(f"the chat's storage calls alone (owner Query + PutItem against the emulator) at "
          f"{storage['target_rate']:.0f}/s: p50 {storage['p50_ms']} ms, "
          f"p95 {storage['p95_ms']} ms, p99 {storage['p99_ms']} ms, max {storage['max_ms']} ms, "
          f"errors {storage['errors']}")
    print()
    print(f"memory after the load (MiB): {'':20} {'RSS':>8} {'PSS':>8}")
    for label, pid, rss, pss in memory:
        print(f"  {label:20} pid {pid:<8} {rss:8.1f} {pss:8.1f}")
    total_rss = sum(rss for _, _, rss, _ in memory)
    total_pss = sum(pss for _, _, _, pss in memory)
    print(f"  {'all of the above':33} {total_rss:8.1f} {total_pss:8.1f}")

    scripture_ratio = results["GET /v1/scripture (cached)"]["rps"] / ceiling
    worker_rss = [rss for label, _, rss, _ in memory if label == "app worker"]
    print()
    print("against the targets:")
    print(f"  cached scripture / hello-world = {scripture_ratio:.2f} "
          f"(target >= {TARGET_SCRIPTURE_RATIO})")
    print(f"  POST /v1/chat p99 at {paced_result['target_rate']:.0f} req/s = "
          f"{paced_result['p99_ms']} ms (target <= {TARGET_CHAT_P99_MS:.0f} ms)")
    print(f"  app worker RSS = {', '.join(f'{v:.1f}' for v in worker_rss)} MiB "
          f"(target <= {TARGET_WORKER_RSS_MIB:.0f} MiB each)")
    print("note: load generator, app, redis and the emulator share this machine's "
          f"{os.cpu_count()} cores; POST /v1/chat writes to the moto emulator, not DynamoDB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

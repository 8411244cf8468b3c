"""Start, stop and inspect the local platform: the AWS emulator and Redis (and, once
deployed, the app processes and HAProxy that stand in for ECS and the ALB).

Every process is started detached with a pid file and a log under ``.local-platform/``;
``up`` is a no-op for what already runs, ``down`` stops only processes this tool started
(by the pid in its pid file, after checking the command line still matches).

    python local_platform/platformctl.py up|down|status
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
import time
import urllib.request
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("FAITH_LOCAL_STATE_DIR", ROOT / ".local-platform"))
HOST = "127.0.0.1"
# Port defaults; inventories/local/group_vars/all/local_platform.yml reads the same variables.
AWS_PORT = int(os.environ.get("FAITH_LOCAL_AWS_PORT", "5610"))
REDIS_PORT = int(os.environ.get("FAITH_LOCAL_REDIS_PORT", "6390"))
START_TIMEOUT = 20.0


class PlatformError(RuntimeError):
    """Something the operator must fix; the message says what."""


@dataclass
class Service:
    name: str
    argv: list[str]
    port: int
    port_variable: str
    env: dict[str, str] = field(default_factory=dict)
    ready_url: str | None = None

    @property
    def pid_file(self) -> Path:
        return STATE_DIR / "run" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return STATE_DIR / "log" / f"{self.name}.log"


def services() -> list[Service]:
    python = sys.executable
    redis_dir = STATE_DIR / "redis"
    return [
        Service(
            name="emulator",
            argv=[python, str(ROOT / "local_platform" / "emulator.py"), "--host", HOST, "--port", str(AWS_PORT)],
            port=AWS_PORT,
            port_variable="FAITH_LOCAL_AWS_PORT",
            env={"MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_PORT": str(AWS_PORT)},
            ready_url=f"http://{HOST}:{AWS_PORT}/_faith/requests",
        ),
        Service(
            name="redis",
            # A cache and rate-limit store: nothing in it needs to survive a restart.
            argv=[_require_binary("redis-server"), "--bind", HOST, "--port", str(REDIS_PORT),
                  "--save", "", "--appendonly", "no", "--dir", str(redis_dir)],
            port=REDIS_PORT,
            port_variable="FAITH_LOCAL_REDIS_PORT",
        ),
    ]


def _require_binary(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not path:
        raise PlatformError(f"{name} is not installed: run `make system-deps` (apt-get install {name}) as root")
    return path


def _pid_alive(pid: int, argv0: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(argv0.encode() in part for part in cmdline)


def running_pid(service: Service) -> int | None:
    """The pid of our running copy of ``service``, or None (a stale pid file is removed)."""
    try:
        pid = int(service.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _pid_alive(pid, Path(service.argv[1] if service.name == "emulator" else service.argv[0]).name):
        return pid
    service.pid_file.unlink(missing_ok=True)
    return None


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) == 0


def _ready(service: Service) -> bool:
    if service.ready_url:
        try:
            with urllib.request.urlopen(service.ready_url, timeout=1) as response:
                return response.status == 200
        except OSError:
            return False
    return port_in_use(service.port)


def start(service: Service) -> str:
    if running_pid(service):
        return "already running"
    if port_in_use(service.port):
        raise PlatformError(
            f"port {service.port} for {service.name} is held by another process: "
            f"free it or choose another with {service.port_variable}=<port>"
        )
    for directory in (service.pid_file.parent, service.log_file.parent, STATE_DIR / "redis"):
        directory.mkdir(parents=True, exist_ok=True)
    with open(service.log_file, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - argv built from fixed paths above
            service.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **service.env},
            start_new_session=True,
        )
    service.pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT
    while not _ready(service):
        if process.poll() is not None:
            service.pid_file.unlink(missing_ok=True)
            raise PlatformError(f"{service.name} exited with {process.returncode}; see {service.log_file}")
        if time.monotonic() > deadline:
            stop(service)
            raise PlatformError(f"{service.name} not ready within {START_TIMEOUT:.0f}s; see {service.log_file}")
        time.sleep(0.1)
    return f"started (pid {process.pid}, port {service.port})"


def stop(service: Service) -> str:
    pid = running_pid(service)
    if not pid:
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _pid_alive(pid, "") and time.monotonic() < deadline:
        time.sleep(0.05)
    if _pid_alive(pid, ""):
        os.kill(pid, signal.SIGKILL)
    service.pid_file.unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def status() -> dict:
    return {
        service.name: {"pid": running_pid(service), "port": service.port, "log": str(service.log_file)}
        for service in services()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage the faith.ops local platform.")
    parser.add_argument("command", choices=["up", "down", "status"])
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            for service in services():
                print(f"{service.name}: {start(service)}")
        elif args.command == "down":
            for service in reversed(services()):
                print(f"{service.name}: {stop(service)}")
        else:
            print(json.dumps(status(), indent=2))
    except PlatformError as error:
        print(f"local platform: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start, stop and inspect the local platform.

The platform (``up``) is the AWS emulator, Redis and HAProxy standing in for the ALB. The
app itself runs per colour (``app start --colour blue``), as ECS services do on AWS, and
HAProxy's weights between the colours (``edge weights``) play the ALB listener's.

Every process is started detached with a pid file and a log under ``.local-platform/``;
``up`` is a no-op for what already runs; ``down`` stops only processes this tool started
(by the pid in its pid file, after checking the process is still the one it started).

    python local_platform/platformctl.py up | down | status
    python local_platform/platformctl.py app start --colour blue --version 1.4.0 [--env K=V ...]
    python local_platform/platformctl.py app stop --colour green
    python local_platform/platformctl.py edge weights --blue 90 --green 10
    python local_platform/platformctl.py edge status

Commands that change something print a JSON object with ``changed``, so Ansible can report
idempotence truthfully.
"""

from __future__ import annotations

import argparse
import hashlib
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
COLOURS = ("blue", "green")
START_TIMEOUT = 30.0


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable, str(default)))


# Port defaults; inventories/local/group_vars/all/main.yml reads the same variables.
PORTS = {
    "aws": ("FAITH_LOCAL_AWS_PORT", _port("FAITH_LOCAL_AWS_PORT", 5610)),
    "redis": ("FAITH_LOCAL_REDIS_PORT", _port("FAITH_LOCAL_REDIS_PORT", 6390)),
    "http": ("FAITH_LOCAL_HTTP_PORT", _port("FAITH_LOCAL_HTTP_PORT", 8480)),
    "test": ("FAITH_LOCAL_TEST_PORT", _port("FAITH_LOCAL_TEST_PORT", 8481)),
    "blue": ("FAITH_LOCAL_BLUE_PORT", _port("FAITH_LOCAL_BLUE_PORT", 8491)),
    "green": ("FAITH_LOCAL_GREEN_PORT", _port("FAITH_LOCAL_GREEN_PORT", 8492)),
}


def port(name: str) -> int:
    return PORTS[name][1]


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


def _require_binary(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and Path(candidate).exists():
            return candidate
    raise PlatformError(f"{name} is not installed: run `make system-deps` (apt-get install {name}) as root")


def platform_services() -> list[Service]:
    """The processes ``up`` starts, in start order."""
    return [
        Service(
            name="emulator",
            argv=[sys.executable, str(ROOT / "local_platform" / "emulator.py"), "--host", HOST, "--port", str(port("aws"))],
            port=port("aws"),
            port_variable=PORTS["aws"][0],
            env={"MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_PORT": str(port("aws"))},
            ready_url=f"http://{HOST}:{port('aws')}/_faith/requests",
        ),
        Service(
            name="redis",
            # A cache and rate-limit store: nothing in it needs to survive a restart.
            argv=[_require_binary("redis-server"), "--bind", HOST, "--port", str(port("redis")),
                  "--save", "", "--appendonly", "no", "--dir", str(STATE_DIR / "redis")],
            port=port("redis"),
            port_variable=PORTS["redis"][0],
        ),
        Service(
            name="haproxy",
            argv=[_require_binary("haproxy"), "-db", "-f", str(haproxy_config_path())],
            port=port("http"),
            port_variable=PORTS["http"][0],
        ),
    ]


def app_service(colour: str, env: dict[str, str]) -> Service:
    """One colour of the app: gunicorn with the production settings file, on the colour's port."""
    return Service(
        name=f"app-{colour}",
        argv=[str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "app" / "gunicorn.conf.py"),
              "faith_motivator.main:create_app()"],
        port=port(colour),
        port_variable=PORTS[colour][0],
        env={**env, "FAITH_BIND": f"{HOST}:{port(colour)}", "FAITH_COLOUR": colour},
        ready_url=f"http://{HOST}:{port(colour)}/health",
    )


# --- processes -----------------------------------------------------------------------------


def _cmdline(pid: int) -> list[bytes] | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None


def running_pid(service: Service) -> int | None:
    """The pid of our running copy of ``service``, or None (a stale pid file is removed)."""
    try:
        pid = int(service.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    cmdline = _cmdline(pid)
    # A recycled pid belongs to another program: only trust it if it runs our executable.
    marker = Path(service.argv[1] if service.name == "emulator" else service.argv[0]).name.encode()
    if cmdline and any(marker in part for part in cmdline):
        return pid
    service.pid_file.unlink(missing_ok=True)
    return None


def port_in_use(number: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, number)) == 0


def _ready(service: Service) -> bool:
    if service.ready_url:
        try:
            with urllib.request.urlopen(service.ready_url, timeout=1) as response:  # noqa: S310 - loopback only
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
            cwd=ROOT,
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
    # The whole session: gunicorn's workers go with their master.
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while _cmdline(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    if _cmdline(pid) is not None:
        os.killpg(pid, signal.SIGKILL)
    service.pid_file.unlink(missing_ok=True)
    return f"stopped (pid {pid})"


# --- HAProxy, the local ALB ----------------------------------------------------------------


def haproxy_config_path() -> Path:
    return STATE_DIR / "haproxy" / "haproxy.cfg"


def haproxy_socket() -> Path:
    return STATE_DIR / "haproxy" / "admin.sock"


def edge_state_path() -> Path:
    return STATE_DIR / "edge.json"


def read_edge_state() -> dict:
    try:
        return json.loads(edge_state_path().read_text())
    except (OSError, ValueError):
        return {"weights": {"blue": 100, "green": 0}}


def test_colour(weights: dict[str, int]) -> str:
    """The colour the test listener reaches: the idle one (the one with less traffic)."""
    return min(COLOURS, key=lambda colour: (weights[colour], colour == "blue"))


def render_haproxy_config(weights: dict[str, int]) -> str:
    """HAProxy as the ALB: a production listener weighted between colours, a test listener on the idle one."""
    idle = test_colour(weights)
    servers = "\n".join(
        f"    server {colour} {HOST}:{port(colour)} weight {weights[colour]} check inter 1s fall 2 rise 1"
        for colour in COLOURS
    )
    test_servers = "\n".join(
        f"    server {colour} {HOST}:{port(colour)} weight {1 if colour == idle else 0} check inter 1s fall 2 rise 1"
        for colour in COLOURS
    )
    return f"""# Generated by local_platform/platformctl.py; weights are changed live through the admin socket.
global
    stats socket {haproxy_socket()} mode 600 level admin
    maxconn 4096

defaults
    mode http
    option httplog
    option forwardfor
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option httpchk GET /health
    http-check expect status 200

frontend production
    bind {HOST}:{port("http")}
    default_backend production

frontend test
    bind {HOST}:{port("test")}
    default_backend test

backend production
    balance roundrobin
{servers}

backend test
    balance roundrobin
{test_servers}
"""


def write_haproxy_config(weights: dict[str, int]) -> None:
    haproxy_config_path().parent.mkdir(parents=True, exist_ok=True)
    haproxy_config_path().write_text(render_haproxy_config(weights))


def haproxy_command(command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as admin:
        admin.settimeout(5)
        admin.connect(str(haproxy_socket()))
        admin.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := admin.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def edge_status() -> dict:
    """Live weights and per-colour counters, as HAProxy reports them (``show stat``)."""
    lines = haproxy_command("show stat").lstrip("# ").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
    colours = {}
    for row in rows:
        if row.get("pxname") in ("production", "test") and row.get("svname") in COLOURS:
            colours.setdefault(row["svname"], {})[row["pxname"]] = {
                "weight": int(row["weight"] or 0),
                "status": row["status"],
                "requests": int(row["stot"] or 0),
                "http_5xx": int(row["hrsp_5xx"] or 0),
                "response_time_ms": int(row["rtime"] or 0),
            }
    weights = {colour: colours.get(colour, {}).get("production", {}).get("weight", 0) for colour in COLOURS}
    return {"weights": weights, "test_colour": test_colour(weights), "colours": colours}


def set_weights(weights: dict[str, int], check: bool = False) -> dict:
    if sorted(weights) != sorted(COLOURS) or any(not 0 <= value <= 100 for value in weights.values()):
        raise PlatformError(f"weights must give blue and green, each 0-100: got {weights}")
    if sum(weights.values()) != 100:
        raise PlatformError(f"weights must sum to 100 (as ALB forward weights here): got {weights}")
    before = edge_status()["weights"]
    idle = test_colour(weights)
    if check:
        return {"changed": before != weights, "before": before, "weights": weights, "test_colour": idle}
    if before != weights:
        for colour in COLOURS:
            haproxy_command(f"set server production/{colour} weight {weights[colour]}")
            haproxy_command(f"set server test/{colour} weight {1 if colour == idle else 0}")
    # The file keeps the weights across a restart of HAProxy.
    edge_state_path().write_text(json.dumps({"weights": weights}))
    write_haproxy_config(weights)
    return {"changed": before != weights, "before": before, "weights": weights, "test_colour": idle}


# --- app colours -----------------------------------------------------------------------------


def app_record_path(colour: str) -> Path:
    return STATE_DIR / "run" / f"app-{colour}.json"


def app_start(colour: str, version: str, env: dict[str, str], check: bool = False) -> dict:
    """Run ``version`` of the app as ``colour``; a no-op when it already runs with the same settings.

    With ``check``, only report whether it would (re)start.
    """
    env = {**env, "FAITH_APP_VERSION": version}
    fingerprint = hashlib.sha256(json.dumps(env, sort_keys=True).encode()).hexdigest()
    service = app_service(colour, env)
    try:
        record = json.loads(app_record_path(colour).read_text())
    except (OSError, ValueError):
        record = {}
    if running_pid(service) and record.get("fingerprint") == fingerprint:
        return {"changed": False, "colour": colour, "version": version}
    previous = record.get("version") if running_pid(service) else None
    if check:
        return {"changed": True, "colour": colour, "version": version, "previous_version": previous}
    stop(service)
    # Metrics are aggregated across gunicorn workers through this directory; a new release starts clean.
    metrics_dir = STATE_DIR / "metrics" / colour
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    service.env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    start(service)
    app_record_path(colour).write_text(json.dumps({"version": version, "fingerprint": fingerprint}))
    return {"changed": True, "colour": colour, "version": version, "previous_version": previous}


def app_stop(colour: str) -> dict:
    service = app_service(colour, {})
    outcome = stop(service)
    app_record_path(colour).unlink(missing_ok=True)
    return {"changed": outcome != "not running", "colour": colour}


def app_status() -> dict:
    status = {}
    for colour in COLOURS:
        pid = running_pid(app_service(colour, {}))
        try:
            version = json.loads(app_record_path(colour).read_text()).get("version") if pid else None
        except (OSError, ValueError):
            version = None
        status[colour] = {"pid": pid, "port": port(colour), "version": version}
    return status


# --- commands ------------------------------------------------------------------------------


def up() -> None:
    write_haproxy_config(read_edge_state()["weights"])
    for service in platform_services():
        print(f"{service.name}: {start(service)}")


def down() -> None:
    for colour in COLOURS:
        service = app_service(colour, {})
        print(f"{service.name}: {stop(service)}")
        app_record_path(colour).unlink(missing_ok=True)
    for service in reversed(platform_services()):
        print(f"{service.name}: {stop(service)}")


def status() -> dict:
    services = {
        service.name: {"pid": running_pid(service), "port": service.port, "log": str(service.log_file)}
        for service in platform_services()
    }
    return {"services": services, "apps": app_status(), "ports": {name: number for name, (_, number) in PORTS.items()}}


def _parse_env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PlatformError(f"--env takes KEY=VALUE, got {pair!r}")
        env[key] = value
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage the faith.ops local platform.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the emulator, Redis and HAProxy")
    commands.add_parser("down", help="stop everything this tool started")
    commands.add_parser("status", help="what runs, as JSON")
    app = commands.add_parser("app", help="run the app per colour").add_subparsers(dest="action", required=True)
    app_start_parser = app.add_parser("start")
    app_start_parser.add_argument("--colour", choices=COLOURS, required=True)
    app_start_parser.add_argument("--version", required=True)
    app_start_parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    app_start_parser.add_argument("--check", action="store_true", help="only report whether it would change")
    app.add_parser("stop").add_argument("--colour", choices=COLOURS, required=True)
    app.add_parser("status")
    edge = commands.add_parser("edge", help="HAProxy weights and counters").add_subparsers(dest="action", required=True)
    weights = edge.add_parser("weights")
    for colour in COLOURS:
        weights.add_argument(f"--{colour}", type=int, required=True)
    weights.add_argument("--check", action="store_true", help="only report whether it would change")
    edge.add_parser("status")
    args = parser.parse_args(argv)

    try:
        if args.command == "up":
            up()
        elif args.command == "down":
            down()
        elif args.command == "status":
            print(json.dumps(status(), indent=2))
        elif args.command == "app":
            if args.action == "start":
                result = app_start(args.colour, args.version, _parse_env(args.env), check=args.check)
            elif args.action == "stop":
                result = app_stop(args.colour)
            else:
                result = app_status()
            print(json.dumps(result))
        elif args.action == "weights":
            print(json.dumps(set_weights({"blue": args.blue, "green": args.green}, check=args.check)))
        else:
            print(json.dumps(edge_status()))
    except PlatformError as error:
        print(f"local platform: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"local platform: {error} (is the platform up? run `make up`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

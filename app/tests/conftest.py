"""Fixtures: a real redis-server and a real moto server for the whole session, and per test
fresh tables, queue and Redis database, plus the app wired to them.

Both servers run as separate processes on free ports found by binding port 0; they are
stopped by PID at the end. Nothing is mocked in-process on the app's paths.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
import redis as redis_lib
from fastapi.testclient import TestClient

# Before any boto3 client exists: the emulator accepts any credentials, and none of the
# developer's real ones may be picked up.
for _variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
    os.environ.pop(_variable, None)
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

from faith_motivator import devtools  # noqa: E402 - after the credential environment is set
from faith_motivator.core.config import Settings, get_settings  # noqa: E402
from faith_motivator.main import create_app  # noqa: E402

APP_DIR = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_TIMEOUT = 20.0


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local test URL
        return response.status == 200


def stop_process(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM the process we started (by its PID), then SIGKILL if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)


class RedisServer:
    """A redis-server process that a test may stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="faith-test-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until(lambda: _redis_ping(self.port), "redis-server")
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


def _redis_ping(port: int) -> bool:
    client = redis_lib.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    try:
        return bool(client.ping())
    except redis_lib.ConnectionError:
        return False
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    assert _redis_ping(server.port)
    yield server
    server.stop()
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: http_ok(f"{endpoint}/moto-api/"), "moto server")
        yield endpoint
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def boto_session() -> boto3.session.Session:
    return boto3.session.Session()


@pytest.fixture
def settings(redis_server: RedisServer, moto_endpoint: str, boto_session) -> Settings:
    """Settings for one test: its own table prefix and queue, an empty Redis database."""
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    test_settings = Settings(
        environment="test",
        aws_endpoint_url=moto_endpoint,
        aws_region="us-east-1",
        redis_url=redis_server.url,
        table_prefix=prefix,
        prayer_queue_name=f"{prefix}PrayerRequests",
        colour="blue",
        app_version="1.2.3-test",
    )
    devtools.create_tables(test_settings, boto_session)
    devtools.create_queue(test_settings, boto_session)
    client = redis_lib.Redis.from_url(redis_server.url)
    client.flushdb()
    client.close()
    return test_settings


def make_client(app_settings: Settings) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: app_settings
    return TestClient(app)


@pytest.fixture
def client_for() -> Callable[[Settings], TestClient]:
    """Build a TestClient for other settings (use it in a ``with`` block)."""
    return make_client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with make_client(settings) as test_client:
        yield test_client


@pytest.fixture
def dynamodb(settings: Settings, boto_session):
    return boto_session.client(
        "dynamodb", endpoint_url=settings.aws_endpoint_url, region_name="us-east-1"
    )


@pytest.fixture
def sqs(settings: Settings, boto_session):
    return boto_session.client(
        "sqs", endpoint_url=settings.aws_endpoint_url, region_name="us-east-1"
    )


@pytest.fixture
def count_items(dynamodb) -> Callable[[str], int]:
    """Number of items in a table (a full scan: the test tables are tiny)."""

    def count(table: str) -> int:
        return dynamodb.scan(TableName=table, Select="COUNT")["Count"]

    return count


@pytest.fixture
def metric_value(client: TestClient) -> Callable[..., float]:
    """A sample's value from /metrics, 0.0 when absent."""

    def value(name: str, **labels: str) -> float:
        text = client.get("/metrics").text
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        for line in text.splitlines():
            if line.startswith("#") or " " not in line:
                continue
            sample, number = line.rsplit(" ", 1)
            sample_name, _, sample_labels = sample.partition("{")
            parsed = ",".join(sorted(sample_labels.rstrip("}").split(","))) if sample_labels else ""
            if sample_name == name and parsed == wanted:
                return float(number)
        return 0.0

    return value


@pytest.fixture
def app_process(settings: Settings) -> Iterator[Callable[..., tuple[str, int]]]:
    """Start the app as a separate process (uvicorn or gunicorn): (base URL, PID).

    Every process started is stopped by its PID after the test.
    """
    started: list[subprocess.Popen] = []

    def start(kind: str = "uvicorn", extra_env: dict[str, str] | None = None) -> tuple[str, int]:
        port = free_port()
        env = {
            **os.environ,
            "FAITH_ENVIRONMENT": settings.environment,
            "FAITH_AWS_ENDPOINT_URL": settings.aws_endpoint_url,
            "FAITH_REDIS_URL": settings.redis_url,
            "FAITH_TABLE_PREFIX": settings.table_prefix,
            "FAITH_PRAYER_QUEUE_NAME": settings.prayer_queue_name,
            **(extra_env or {}),
        }
        if kind == "uvicorn":
            argv = [sys.executable, "-m", "uvicorn", "--factory", "faith_motivator.main:create_app",
                    "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                    "--no-server-header", "--no-proxy-headers"]
        else:
            env["FAITH_BIND"] = f"127.0.0.1:{port}"
            argv = [sys.executable, "-m", "gunicorn", "-c", str(APP_DIR / "gunicorn.conf.py"),
                    "faith_motivator.main:create_app()"]
        process = subprocess.Popen(
            argv, cwd=APP_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ok(f"{base}/health"), f"the app under {kind}")
        return base, process.pid

    yield start
    for process in started:
        stop_process(process, timeout=30)


@pytest.fixture
def credential(client: TestClient) -> Callable[[], dict[str, str]]:
    """A new anonymous credential from POST /v1/session, as request headers."""

    def new() -> dict[str, str]:
        response = client.post("/v1/session")
        assert response.status_code == 201, response.text
        # The TestClient keeps cookies: drop the one this response set, so that each test
        # says which credential a request carries.
        client.cookies.clear()
        return {"Authorization": f"Bearer {response.json()['token']}"}

    return new

"""Fixtures for integration suites that run against a real emulator process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import free_port  # noqa: E402


class Emulator:
    """A dedicated emulator process (moto server with request accounting) for one test session."""

    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process
        self.url = f"http://127.0.0.1:{port}"

    def reset(self) -> None:
        """Clear all AWS state and the request counters."""
        for path in ("/moto-api/reset", "/_faith/requests/reset"):
            urllib.request.urlopen(urllib.request.Request(self.url + path, method="POST"), timeout=10).read()

    def requests(self) -> dict:
        with urllib.request.urlopen(self.url + "/_faith/requests", timeout=10) as response:
            return json.load(response)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("emulator") / "emulator.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "local_platform" / "emulator.py"), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_PORT": str(port)},
    )
    emulator = Emulator(port, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            emulator.requests()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"emulator did not start; see {log.name}") from None
            time.sleep(0.1)
    yield emulator
    process.terminate()
    process.wait(timeout=10)
    log.close()

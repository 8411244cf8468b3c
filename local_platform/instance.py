"""A private instance of the local platform, for tests and benchmarks.

It runs the same ``platformctl.py`` as ``make up``, in its own state directory and on free
ports, so a test or benchmark never disturbs (or depends on) a platform an operator
started. ``env`` is what ``ansible-playbook -i inventories/local`` needs to reach it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMCTL = ROOT / "local_platform" / "platformctl.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PlatformInstance:
    def __init__(self, state_dir: Path):
        self.state_dir = Path(state_dir)
        self.aws_port = free_port()
        self.redis_port = free_port()
        self.http_port = free_port()
        self.env = {
            **os.environ,
            "FAITH_LOCAL_STATE_DIR": str(self.state_dir),
            "FAITH_LOCAL_AWS_PORT": str(self.aws_port),
            "FAITH_LOCAL_REDIS_PORT": str(self.redis_port),
            "FAITH_LOCAL_HTTP_PORT": str(self.http_port),
            "FAITH_LOCAL_TEST_PORT": str(free_port()),
            "FAITH_LOCAL_BLUE_PORT": str(free_port()),
            "FAITH_LOCAL_GREEN_PORT": str(free_port()),
            "FAITH_LOCAL_BLUE_ALT_PORT": str(free_port()),
            "FAITH_LOCAL_GREEN_ALT_PORT": str(free_port()),
            "FAITH_LOCAL_SECONDARY_PORT": str(free_port()),
            "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
            "ANSIBLE_FORCE_COLOR": "0",
        }
        self.endpoint = f"http://127.0.0.1:{self.aws_port}"

    def platformctl(self, *command: str) -> str:
        completed = subprocess.run(  # noqa: S603
            [sys.executable, str(PLATFORMCTL), *command], env=self.env, capture_output=True, text=True, check=False
        )
        if completed.returncode:
            raise RuntimeError(f"platformctl {' '.join(command)} failed: {completed.stderr or completed.stdout}")
        return completed.stdout

    def start(self) -> PlatformInstance:
        self.platformctl("up")
        return self

    def stop(self) -> None:
        self.platformctl("down")

    def requests(self) -> dict:
        """The emulator's request counters (reads, writes, by operation)."""
        with urllib.request.urlopen(f"{self.endpoint}/_faith/requests", timeout=10) as response:  # noqa: S310
            return json.load(response)

    @staticmethod
    def operations_writes(requests: dict) -> int:
        """Writes to the environments' operations tables (the lock and the release record)."""
        return sum(count for table, count in requests.get("dynamodb_table_writes", {}).items() if table.startswith("faith-ops."))

    def stack_writes(self, requests: dict) -> int:
        """Writes to the stack itself: every write except the operations tables'.

        A run that changes something takes and frees the environment's lock (two conditional
        writes to its operations table); tests of idempotence count the rest.
        """
        return requests["writes"] - self.operations_writes(requests)

    def reset_requests(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/_faith/requests/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).read()  # noqa: S310

    def __enter__(self) -> PlatformInstance:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

"""The local platform started again in the same state directory, as an operator or Molecule does.

What the last supervisord ran (its program sections and their specs) must not decide what the
next one runs: a platform stopped, or whose supervisord was killed, comes back on the ports it is
asked for now.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from instance import PlatformInstance  # local_platform, on the path from conftest.py


def answers(endpoint: str) -> bool:
    with urllib.request.urlopen(f"{endpoint}/_faith/requests", timeout=10) as response:  # noqa: S310
        return "reads" in json.load(response)


def wait_gone(pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def running_programs(platform: PlatformInstance, timeout: float = 30) -> tuple[dict, list[int]]:
    """The platform's status and its programs' pids, once supervisord counts each as RUNNING.

    A program answers before supervisord calls it RUNNING (one second up), and only then is its
    pid in the status.
    """
    deadline = time.monotonic() + timeout
    while True:
        status = json.loads(platform.platformctl("status"))
        pids = [service["pid"] for service in status["services"].values()]
        if all(pids) or time.monotonic() > deadline:
            assert all(pids), status
            return status, pids
        time.sleep(0.2)


@pytest.fixture
def state():
    """A state directory with a short path: supervisord's socket lives in it (AF_UNIX, 107 bytes)."""
    with tempfile.TemporaryDirectory(prefix="faith-restart-") as directory:
        yield Path(directory) / "state"


def test_a_platform_stopped_and_started_on_other_ports_runs_on_the_new_ones(state):
    with PlatformInstance(state):
        pass
    again = PlatformInstance(state)
    try:
        again.start()
        assert answers(again.endpoint)
    finally:
        again.stop()  # also after a start that failed half-way


def test_a_platform_whose_supervisord_was_killed_starts_again_on_the_ports_asked_for(state):
    first = PlatformInstance(state).start()
    status, programs = running_programs(first)
    try:
        os.kill(status["supervisord"]["pid"], signal.SIGKILL)
        wait_gone(status["supervisord"]["pid"])
    finally:
        # The programs it ran outlive it, in process groups of their own: ended by their pids, as
        # an operator would end them before starting the platform again.
        for pid in programs:
            os.kill(pid, signal.SIGTERM)
        for pid in programs:
            wait_gone(pid)
    again = PlatformInstance(state)
    try:
        again.start()
        assert again.aws_port != first.aws_port
        assert answers(again.endpoint)
    finally:
        again.stop()


def test_a_state_directory_too_long_for_supervisords_socket_is_refused_naming_the_variable(state):
    deep = state / ("d" * 90)
    with pytest.raises(RuntimeError, match=r"FAITH_LOCAL_STATE_DIR .* is too long: supervisord's socket .* over the 107"):
        PlatformInstance(deep).start()
    assert not deep.exists()  # refused before anything was written or started

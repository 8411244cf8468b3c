"""Ending a playbook run a test started, with the task workers ansible-core starts beside it."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path


def kill_playbook(run: subprocess.Popen) -> None:
    """kill -9 of a run (as of a controller that died) and of the task workers it leaves behind.

    ansible-core starts each task's worker in a session of its own, so the run's process group
    does not hold them: a worker busy with a task when its controller dies waits for a reply that
    never comes. They are forks of the run, so they carry its exact command line.
    """
    try:
        command_line = Path(f"/proc/{run.pid}/cmdline").read_bytes()
    except OSError:
        command_line = None
    if run.poll() is None:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    if not command_line:
        return
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes() == command_line:
                    os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                continue


def end_playbook(run: subprocess.Popen) -> None:
    """Kill what is left of a run that a test gave up on, so it cannot hold the lock for the next."""
    if run.poll() is None:
        kill_playbook(run)

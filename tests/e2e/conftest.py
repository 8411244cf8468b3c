"""End-to-end fixtures: a private local platform and a runner for the project's playbooks."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


@dataclass
class PlaybookRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def recap(self) -> dict[str, int]:
        """The PLAY RECAP counters of the (single) host."""
        tail = self.stdout.split("PLAY RECAP")[-1]
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", tail)}


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    with PlatformInstance(tmp_path_factory.mktemp("platform")) as instance:
        yield instance


@pytest.fixture(scope="session")
def playbook(platform):
    def run(name: str, *args: str, inventory: str = "inventories/local", env: dict[str, str] | None = None) -> PlaybookRun:
        completed = subprocess.run(  # noqa: S603
            [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / name), "-i", str(ROOT / inventory), *args],
            env={**platform.env, **(env or {})}, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False,
        )
        return PlaybookRun(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture(scope="session")
def deployed(platform):
    """`make deploy` on the private platform, once per session: (run, AWS requests it made)."""
    platform.reset_requests()
    completed = subprocess.run(  # noqa: S603
        ["make", "deploy"], env=platform.env, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False  # noqa: S607
    )
    run = PlaybookRun(completed.returncode, completed.stdout, completed.stderr)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-3000:]
    return run, platform.requests()

"""Releases on the deployed local platform, under constant load from a separate process.

Each scenario runs the operator's playbooks (release.yml, rollback.yml, release_abort.yml) while
bench/release/load.py sends chats and /version requests through HAProxy from many client
addresses, and checks what users saw (failed requests, the version served), what the release
record says, and that the stack still agrees with the code afterwards (deploy.yml changes and
writes nothing, drift.yml finds nothing). The scenarios build on each other, in file order.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import typing
from pathlib import Path

import boto3
import pytest
from processes import kill_playbook
from test_dr import dr_services
from test_dr import served_version

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "bench" / "release" / "load.py"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
OPERATIONS_TABLE = "faith-ops.faith-chatbot.local"
# Enough to exercise every path on a shared CI machine; bench/release measures at >= 100/s.
LOAD_RATE = 50


class Load:
    """bench/release/load.py against the platform's public edge, in its own process."""

    started: typing.ClassVar[list[Load]] = []  # ended after each test, even one that failed first

    def __init__(self, platform, tmp_path: Path, name: str):
        self.out = tmp_path / f"{name}.json"
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(LOAD), "--url", f"http://127.0.0.1:{platform.http_port}", "--rate", str(LOAD_RATE),
             "--out", str(self.out)],
            env=platform.env,
        )
        Load.started.append(self)
        time.sleep(1.5)

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        return json.loads(self.out.read_text())


@pytest.fixture(autouse=True)
def no_load_left_running():
    """A test that fails before stopping its load would otherwise leave the generator running."""
    yield
    for load in Load.started:
        if load.process.poll() is None:
            load.process.kill()
            load.process.wait(timeout=30)
    Load.started.clear()


def record(platform) -> dict:
    dynamodb = boto3.client("dynamodb", endpoint_url=platform.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    item = dynamodb.get_item(TableName=OPERATIONS_TABLE, Key={"pk": {"S": "release"}}, ConsistentRead=True)["Item"]
    return json.loads(item["body"]["S"])


def assert_converged(platform, playbook) -> None:
    """The DR region's services run what serves; deploy.yml changes and writes nothing; drift.yml finds nothing."""
    assert {service["version"] for service in dr_services(platform).values()} == {served_version(platform)}
    platform.reset_requests()
    deploy = playbook("deploy.yml")
    assert deploy.returncode == 0, deploy.stdout[-6000:]
    assert deploy.recap["changed"] == 0, deploy.stdout[-6000:]
    requests = platform.requests()
    assert platform.stack_writes(requests) == 0, requests["write_operations"]
    drift = playbook("drift.yml")
    assert drift.returncode == 0, drift.stdout[-6000:]


def wait_for_phase(platform, phase: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = record(platform).get("release")
        if current and current.get("phase") == phase:
            return current
        time.sleep(0.5)
    raise AssertionError(f"the release never reached phase {phase}: {record(platform).get('release')}")


def start_release(platform, *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / "release.yml"), "-i", str(ROOT / "inventories" / "local"), *args],
        env=platform.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


@pytest.fixture(scope="module")
def released(deployed, platform):
    """The version deploy.yml started with: what the first rollback returns to."""
    return record(platform)["colours"][record(platform)["active_colour"]]["version"]


def test_canary_of_a_good_version_serves_it_without_a_failed_request(released, platform, playbook, tmp_path):
    load = Load(platform, tmp_path, "canary")
    run = playbook("release.yml", "-e", "release_version=1.1.0", "-e", "release_strategy=canary")
    seen = load.stop()
    assert run.returncode == 0, run.stdout[-8000:]
    assert seen["failed"] == 0, seen["failures"][:10]
    assert seen["requests"] > 0
    assert served_version(platform) == "1.1.0"
    current = record(platform)
    assert current["release"] is None
    assert current["colours"][current["active_colour"]]["version"] == "1.1.0"
    assert current["history"][0]["outcome"] == "succeeded"
    assert current["history"][0]["strategy"] == "canary"


def test_rollback_returns_to_the_previous_release_by_a_traffic_shift(released, platform, playbook, tmp_path):
    load = Load(platform, tmp_path, "rollback")
    run = playbook("rollback.yml")
    seen = load.stop()
    assert run.returncode == 0, run.stdout[-8000:]
    assert "it is warm: shifting traffic" in run.stdout
    assert seen["failed"] == 0, seen["failures"][:10]
    assert served_version(platform) == released
    assert record(platform)["history"][0]["outcome"] == "rolled_back"
    assert_converged(platform, playbook)


def test_blue_green_and_rolling_of_good_versions(platform, playbook, tmp_path):
    for version, strategy in (("1.2.0", "blue_green"), ("1.3.0", "rolling")):
        load = Load(platform, tmp_path, strategy)
        run = playbook("release.yml", "-e", f"release_version={version}", "-e", f"release_strategy={strategy}")
        seen = load.stop()
        assert run.returncode == 0, run.stdout[-8000:]
        assert seen["failed"] == 0, (strategy, seen["failures"][:10])
        assert served_version(platform) == version
        assert record(platform)["history"][0]["outcome"] == "succeeded"
    assert_converged(platform, playbook)


def test_a_bad_canary_is_rolled_back_automatically_with_its_reason(platform, playbook, tmp_path):
    before = served_version(platform)
    load = Load(platform, tmp_path, "bad-canary")
    run = playbook("release.yml", "-e", "release_version=1.4.0", "-e", "release_strategy=canary",
                   "-e", '{"release_app_environment": {"FAITH_CONVERSATION_SESSIONS_TABLE": "does-not-exist"}}')
    seen = load.stop()
    assert run.returncode != 0
    assert "analysis of 1.4.0 at 10 % on" in run.stdout and "failed and was rolled back" in run.stdout
    entry = record(platform)["history"][0]
    assert entry["version"] == "1.4.0" and entry["outcome"] == "failed"
    assert "analysis of 1.4.0 at 10 %" in entry["reason"] and "s after the decision" in entry["reason"]
    assert served_version(platform) == before
    # At most the canary's share of the traffic, for the detection window (one analysis
    # interval of the local inventory, 2 s, plus the shift back).
    assert seen["failed"] <= 0.1 * LOAD_RATE * 5, seen["failures"][:10]

    # A rollback of that release (as the AWX workflow's failure path runs it) finds nothing to undo.
    history = len(record(platform)["history"])
    undo = playbook("rollback.yml", "-e", "release_version=1.4.0")
    assert undo.returncode == 0, undo.stdout[-4000:]
    assert "not 1.4.0: nothing to" in undo.stdout
    assert served_version(platform) == before and len(record(platform)["history"]) == history


def test_a_version_that_never_becomes_ready_never_gets_production_traffic(platform, playbook, tmp_path):
    before = served_version(platform)
    load = Load(platform, tmp_path, "not-ready")
    run = playbook("release.yml", "-e", "release_version=1.5.0", "-e", "release_strategy=blue_green",
                   "-e", "release_ready_timeout=10",
                   "-e", '{"release_app_environment": {"FAITH_REDIS_URL": "redis://127.0.0.1:1/0"}}')
    seen = load.stop()
    assert run.returncode != 0
    assert "never became ready through the test listener" in run.stdout
    assert "1.5.0" not in seen["versions"], seen["versions"]
    assert seen["failed"] == 0, seen["failures"][:10]
    assert served_version(platform) == before
    assert record(platform)["history"][0]["outcome"] == "failed"
    assert_converged(platform, playbook)


def test_a_rolling_release_that_is_not_ready_in_production_is_rolled_back_in_place(platform, playbook, tmp_path):
    """Rolling puts the version on the serving colour itself: not ready there, the colour goes back
    onto the stable version, and the release says it was serving production traffic meanwhile."""
    before = served_version(platform)
    temporary = tmp_path / "tmp"  # where the run's private settings files are made (TMPDIR)
    temporary.mkdir()
    load = Load(platform, tmp_path, "not-ready-rolling")
    run = playbook("release.yml", "-e", "release_version=1.5.5", "-e", "release_strategy=rolling",
                   "-e", "release_ready_timeout=10",
                   "-e", '{"release_app_environment": {"FAITH_REDIS_URL": "redis://127.0.0.1:1/0"}}',
                   env={"TMPDIR": str(temporary)})
    seen = load.stop()
    assert run.returncode != 0
    assert "failed and was rolled back" in run.stdout, run.stdout[-8000:]
    assert "never became ready through the production listener" in run.stdout
    assert "it was serving production traffic" in run.stdout
    assert served_version(platform) == before
    entry = record(platform)["history"][0]
    assert entry["version"] == "1.5.5" and entry["outcome"] == "failed", entry
    assert seen["failed"] == 0, seen["failures"][:10]
    # The colour's settings were written to a private directory that went with the step.
    assert list(temporary.iterdir()) == []
    assert_converged(platform, playbook)


def test_a_second_release_fails_at_once_naming_the_one_in_progress(platform, playbook, tmp_path):
    load = Load(platform, tmp_path, "concurrent")
    first = start_release(platform, "-e", "release_version=1.6.0", "-e", "release_strategy=canary")
    try:
        wait_for_phase(platform, "baking")
        started = time.monotonic()
        second = playbook("release.yml", "-e", "release_version=1.6.1")
        refused_after = time.monotonic() - started
        assert second.returncode != 0
        assert "local is locked: release 1.6.0 canary" in second.stdout
        output, _ = first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            kill_playbook(first)
    seen = load.stop()
    assert first.returncode == 0, output[-8000:]
    assert served_version(platform) == "1.6.0"
    assert seen["failed"] == 0, seen["failures"][:10]
    # Refused by its first write-side step (the lock), not after waiting for the first release.
    assert refused_after < 120


def test_abort_after_the_release_controller_was_killed_puts_everything_on_stable(platform, playbook, tmp_path):
    before = served_version(platform)
    load = Load(platform, tmp_path, "abort")
    release = start_release(platform, "-e", "release_version=1.7.0", "-e", "release_strategy=canary")
    try:
        in_progress = wait_for_phase(platform, "baking")
    finally:
        kill_playbook(release)
    canary = in_progress["target_colour"]
    abort = playbook("release_abort.yml")
    seen = load.stop()
    assert abort.returncode == 0, abort.stdout[-8000:]
    current = record(platform)
    assert current["release"] is None
    assert current["history"][0]["outcome"] == "aborted" and current["history"][0]["version"] == "1.7.0"
    assert current["colours"][canary]["state"] == "stopped"
    assert served_version(platform) == before
    status = json.loads(subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "local_platform" / "platformctl.py"), "edge", "status"],
        env=platform.env, capture_output=True, text=True, check=True).stdout)
    assert status["weights"][canary] == 0
    apps = json.loads(subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "local_platform" / "platformctl.py"), "app", "status"],
        env=platform.env, capture_output=True, text=True, check=True).stdout)
    assert apps[canary]["pid"] is None, apps
    assert seen["failed"] == 0, seen["failures"][:10]
    assert_converged(platform, playbook)

"""Faults on the local platform: each ends converged, with no duplicate resource and no manual step.

- A colour's gunicorn master killed with SIGKILL: supervisord starts it again, its orphaned
  workers die with it (they ask the kernel to), and the next deploy changes nothing.
- A deploy interrupted with Ctrl-C on an empty environment, then two deploy.yml started together:
  one takes the interrupted run's lock over (its process is gone) and completes, the other fails
  at once naming the holder; exactly one VPC and one load balancer exist.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def app_status(platform) -> dict:
    return json.loads(platform.platformctl("app", "status"))


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def ready_status(platform) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{platform.http_port}/ready", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_killed_master_is_restarted_and_leaves_no_orphan(deployed, platform, playbook):
    serving = next(colour for colour, app in app_status(platform).items() if app["pid"])
    master = app_status(platform)[serving]["pid"]
    workers = children(master)
    assert workers, "gunicorn runs its workers under the master"
    os.kill(master, signal.SIGKILL)

    deadline = time.monotonic() + 30
    restarted = None
    while time.monotonic() < deadline:
        current = app_status(platform)[serving]
        if current["pid"] and current["pid"] != master:
            restarted = current["pid"]
            break
        time.sleep(0.2)
    assert restarted, app_status(platform)
    # The orphaned workers go (after finishing what they were answering).
    deadline = time.monotonic() + 35
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), [pid for pid in workers if alive(pid)]
    # Serving again through the edge once HAProxy's health check sees the new master (every second).
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and ready_status(platform) != 200:
        time.sleep(0.2)
    assert ready_status(platform) == 200

    run = playbook("deploy.yml")
    assert run.returncode == 0, run.stdout[-6000:]
    assert run.recap["changed"] == 0


@pytest.fixture(scope="module")
def empty_platform(tmp_path_factory):
    with PlatformInstance(tmp_path_factory.mktemp("race")) as instance:
        yield instance


def deploy_process(platform) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / "deploy.yml"), "-i", str(ROOT / "inventories" / "local")],
        env=platform.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_a_deploy_interrupted_with_ctrl_c_leaves_nothing_to_clean_by_hand(empty_platform):
    """Ctrl-C while the network is being built: the run ends without freeing its lock."""
    platform = empty_platform
    platform.reset_requests()
    run = deploy_process(platform)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not platform.requests()["write_operations"].get("CreateVpc"):
        time.sleep(0.2)
    time.sleep(2)
    run.send_signal(signal.SIGINT)
    output, _ = run.communicate(timeout=120)
    assert run.returncode != 0, output[-3000:]
    assert "User interrupted execution" in output, output[-3000:]
    # Its lock is still held, and what it created is found again by the next run: see the race below.


def test_two_deploys_at_once_one_completes_the_other_is_refused(empty_platform):
    """Started together after the interrupted run: one takes its stale lock over, the other is refused."""
    platform = empty_platform
    runs = [
        deploy_process(platform)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=1800)[0] for run in runs]
    codes = [run.returncode for run in runs]
    assert sorted(codes) == [0, 2], (codes, [output[-3000:] for output in outputs])
    refused, completed = outputs[codes.index(2)], outputs[codes.index(0)]
    assert "local is locked: deploy by" in refused
    assert "its run had ended without freeing it" in completed
    # Refused before it changed anything: its only changes were none.
    assert "changed=0" in refused.split("PLAY RECAP")[-1]
    elbv2 = boto3.client("elbv2", endpoint_url=platform.endpoint, region_name="us-east-1",
                         aws_access_key_id="testing", aws_secret_access_key="testing")
    names = [balancer["LoadBalancerName"] for balancer in elbv2.describe_load_balancers()["LoadBalancers"]]
    assert names.count("faith-chatbot-local-alb") == 1, names
    ec2 = boto3.client("ec2", endpoint_url=platform.endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["faith-chatbot-local*"]}])["Vpcs"]
    assert len(vpcs) == 1, [vpc["VpcId"] for vpc in vpcs]

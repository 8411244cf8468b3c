"""Disaster recovery on the deployed local platform: failover, failback and a drill.

The DR region's data plane is its own app processes reading the emulator's us-west-2 tables,
behind the same HAProxy URL. bench/dr/writer.py writes conversations through that URL, in its
own process, for the whole failover; the test then compares what it wrote with what each
region's table holds and with the report the playbook wrote. The scenarios build on each other,
in file order, and end with the primary serving and deploy.yml converged.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
from test_chatbot import call
from test_chatbot import new_person

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "bench" / "dr" / "writer.py"
TABLE = "faith-chatbot-local-ConversationSessions"


def table_keys(platform, region: str) -> dict[tuple[str, str], str]:
    """(session_id, created_at) of every item of the conversation table in ``region``."""
    dynamodb = boto3.client("dynamodb", endpoint_url=platform.endpoint, region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    keys = {}
    for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE, ProjectionExpression="session_id, created_at"):
        for item in page["Items"]:
            keys[(item["session_id"]["S"], item["created_at"]["S"])] = item["created_at"]["S"]
    return keys


def dr_services(platform) -> dict[str, dict]:
    """The DR region's ECS services by colour: task count and the version their revision runs."""
    ecs = boto3.client("ecs", endpoint_url=platform.endpoint, region_name="us-west-2",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    cluster = "faith-chatbot-local"
    services = ecs.describe_services(cluster=cluster, services=[f"{cluster}-blue", f"{cluster}-green"])["services"]
    found = {}
    for service in services:
        image = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]["image"]
        found[service["serviceName"].rsplit("-", 1)[1]] = {"desired_count": service["desiredCount"], "version": image.rsplit(":", 1)[1]}
    return found


def served_version(platform) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{platform.http_port}/version", timeout=10) as response:  # noqa: S310
        return json.load(response)["version"]


def served_region(platform) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{platform.http_port}/version", timeout=10) as response:  # noqa: S310
        return json.load(response)["region"]


def report_of(run) -> dict:
    paths = re.findall(r"Report: (\S+\.json)", run.stdout)
    assert paths, run.stdout[-4000:]
    return json.loads(Path(paths[-1]).read_text())


class Writer:
    def __init__(self, platform, out: Path):
        self.out = out
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(WRITER), "--url", f"http://127.0.0.1:{platform.http_port}", "--rate", "4", "--out", str(out)],
            env=platform.env,
        )

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        return json.loads(self.out.read_text())


def test_bad_dr_input_is_refused_naming_the_variable_and_changes_nothing(deployed, platform, playbook):
    platform.reset_requests()
    refused = playbook("dr_failover.yml", "-e", "dr_confirm=yes", "-e", "dr_rto_target_s=soon")
    assert refused.returncode != 0
    assert "dr_rto_target_s" in refused.stdout, refused.stdout[-3000:]
    assert platform.requests()["writes"] == 0
    assert served_region(platform) == "us-east-1"


def test_the_dr_region_keeps_compute_at_zero_on_the_serving_version(deployed, platform):
    services = dr_services(platform)
    assert set(services) == {"blue", "green"}, services
    assert [service["desired_count"] for service in services.values()] == [0, 0], services
    assert {service["version"] for service in services.values()} == {served_version(platform)}, services


def test_a_failover_preview_writes_nothing(deployed, platform, playbook):
    backup = playbook("dr_backup.yml")
    assert backup.returncode == 0, backup.stdout[-4000:]
    platform.reset_requests()
    preview = playbook("dr_failover.yml", "--check", "-e", "dr_confirm=yes")
    assert preview.returncode == 0, preview.stdout[-6000:]
    assert "recovery point" in preview.stdout
    assert platform.requests()["writes"] == 0, platform.requests()["write_operations"]
    assert served_region(platform) == "us-east-1"


def test_failover_under_writes_serves_from_the_dr_region_and_measures_what_was_lost(deployed, platform, playbook, tmp_path):
    writer = Writer(platform, tmp_path / "written.json")
    time.sleep(3)
    backup = playbook("dr_backup.yml")
    assert backup.returncode == 0, backup.stdout[-4000:]
    time.sleep(3)  # writes after the recovery point: the failover must count them as lost
    failover = playbook("dr_failover.yml", "-e", "dr_confirm=yes", "-e", "dr_rto_target_s=60", "-e", "dr_enforce_targets=true")
    time.sleep(2)
    written = writer.stop()
    assert failover.returncode == 0, failover.stdout[-6000:]
    report = report_of(failover)

    assert served_region(platform) == "us-west-2"
    assert report["passed"] and report["rto_seconds"] <= 60, report
    # The DR region's serving colour was scaled up (the emulator's service holds what AWS's would).
    serving = report["secondary_service"]["colour"]
    assert dr_services(platform)[serving]["desired_count"] == report["secondary_service"]["desired_count"] >= 1
    # The colour was decided from the DR load balancer the failover read (kept through the scaling step).
    assert "us-west-2" in report["secondary_load_balancer"], report
    assert "RTO" in failover.stdout and "RPO" in failover.stdout

    recovery_point = report["recovery_point"]
    secondary, primary = table_keys(platform, "us-west-2"), table_keys(platform, "us-east-1")
    key = lambda item: (item["session_id"], item["created_at"])  # noqa: E731
    to_primary = [item for item in written["written"] if key(item) in primary]
    assert to_primary, written
    before = [item for item in to_primary if item["created_at"] <= recovery_point]
    after = [item for item in to_primary if item["created_at"] > recovery_point]
    # Nothing the primary stored before the recovery point is missing in the DR region ...
    assert before and all((item["session_id"], item["created_at"]) in secondary for item in before)
    assert report["items_missing_before_recovery_point"] == 0
    # ... and the report's lost items are exactly the primary's items after it the DR region lacks,
    # among them every chat the writer got answered by the primary after the recovery point.
    lost = {key for key, stamp in primary.items() if stamp > recovery_point and key not in secondary}
    assert report["items_written_after_recovery_point"] == len(lost)
    assert {(item["session_id"], item["created_at"]) for item in after} <= lost
    assert after, "the writer wrote nothing after the recovery point: the test would not show a loss"
    # Every chat the edge acknowledged is stored in one region or the other, and the DR region took some.
    assert all(key(item) in primary or key(item) in secondary for item in written["written"])
    assert any(key(item) in secondary and key(item) not in primary for item in written["written"])


def test_failback_carries_back_what_the_dr_region_wrote(deployed, platform, playbook):
    assert served_region(platform) == "us-west-2", "runs after the failover scenario"
    person = new_person(platform)
    status, _, reply = call(platform, "POST", "/v1/chat", {"message": "Written in the DR region during the outage"}, token=person)
    assert status == 200 and reply["stored"], reply

    failback = playbook("dr_failback.yml", "-e", "dr_confirm=yes")
    assert failback.returncode == 0, failback.stdout[-6000:]
    report = report_of(failback)
    assert report["passed"] and report["items_not_carried_back"] == 0, report

    assert served_region(platform) == "us-east-1"
    assert [service["desired_count"] for service in dr_services(platform).values()] == [0, 0]
    status, _, history = call(platform, "GET", f"/v1/chat/history?session_id={reply['session_id']}", token=person)
    assert status == 200, history
    assert "Written in the DR region during the outage" in json.dumps(history)


def test_a_drill_fails_on_a_missed_target_and_leaves_the_primary_serving(deployed, platform, playbook):
    missed = playbook("dr_drill.yml", "-e", "dr_rto_target_s=1")
    assert missed.returncode != 0, missed.stdout[-4000:]
    assert "missed its targets" in missed.stdout and "rto" in missed.stdout
    assert served_region(platform) == "us-east-1"

    met = playbook("dr_drill.yml", "-e", "dr_rto_target_s=600", "-e", "dr_rpo_target_s=600")
    assert met.returncode == 0, met.stdout[-6000:]
    assert "Drill passed" in met.stdout
    assert served_region(platform) == "us-east-1"


def test_after_failback_deploy_changes_and_writes_nothing(deployed, platform, playbook):
    platform.reset_requests()
    deploy = playbook("deploy.yml")
    assert deploy.returncode == 0, deploy.stdout[-6000:]
    assert deploy.recap["changed"] == 0, deploy.stdout[-6000:]
    assert platform.stack_writes(platform.requests()) == 0, platform.requests()["write_operations"]

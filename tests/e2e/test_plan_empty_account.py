"""Check mode plans the whole stack from an empty account, as `terraform plan` would.

On a fresh emulator (the equivalent of `make up`, before any deploy), `deploy.yml --check
--diff` runs every role of the stack, reports a create in each of them with the ids that do
not exist yet shown as "(known after apply)", and makes no write; `drift.yml` reports every
resource missing and exits 2.

Runs on a platform of its own: the shared one of the other end-to-end modules is deployed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "local_platform"))

from instance import PlatformInstance  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
UNKNOWN = "(known after apply)"
STACK_ROLES = yaml.safe_load((ROOT / "playbooks" / "vars" / "stack.yml").read_text())["faith_stack_roles"]


@pytest.fixture(scope="module")
def empty_platform(tmp_path_factory):
    with PlatformInstance(tmp_path_factory.mktemp("empty-platform")) as instance:
        yield instance


def run_playbook(platform, name, *args):
    completed = subprocess.run(  # noqa: S603
        [str(ANSIBLE_PLAYBOOK), str(ROOT / "playbooks" / name), "-i", str(ROOT / "inventories" / "local"), *args],
        env=platform.env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    return completed


def task_statuses(stdout):
    """``[(task name, {status, ...})]`` for every TASK block of a playbook's output."""
    tasks = []
    for block in re.split(r"\n(?=TASK \[)", stdout):
        header = re.match(r"TASK \[(.+?)\] \*", block)
        if header:
            statuses = set(re.findall(r"^(ok|changed|skipping|failed|fatal):", block, flags=re.MULTILINE))
            tasks.append((header.group(1), statuses))
    return tasks


@pytest.fixture(scope="module")
def plan(empty_platform):
    """`deploy.yml --check --diff` on the fresh emulator, and the requests it made."""
    empty_platform.reset_requests()
    completed = run_playbook(empty_platform, "deploy.yml", "--check", "--diff")
    return completed, empty_platform.requests()


def test_the_plan_succeeds_without_a_single_write(plan):
    completed, requests = plan
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-3000:]
    assert requests["writes"] == 0, requests["write_operations"]
    # It did look: the plan is made from what exists, not assumed.
    assert requests["reads"] > 0


def test_every_role_of_the_stack_runs_and_plans_a_create(plan):
    completed, _requests = plan
    tasks = task_statuses(completed.stdout)
    for role in STACK_ROLES:
        role_tasks = [(name, statuses) for name, statuses in tasks if name.startswith(f"faith.ops.{role} : ")]
        assert role_tasks, f"the {role} role did not run in check mode"
        changed = [name for name, statuses in role_tasks if "changed" in statuses]
        assert changed, f"the {role} role planned no create: {role_tasks}"
    assert "Check mode stopped" not in completed.stdout


def test_ids_that_do_not_exist_yet_are_shown_as_known_after_apply(plan):
    completed, _requests = plan
    # The diffs of later roles carry the ids earlier roles would create.
    added = [line for line in completed.stdout.splitlines() if line.startswith("+")]
    assert any(f"vpc_id: {UNKNOWN}" in line for line in added), "no security group planned in the VPC to be created"
    assert any(f"task_definition: {UNKNOWN}" in line for line in added), "no service planned on the revision to be registered"
    assert any(f"target_group_arn: {UNKNOWN}" in line for line in added), "no service planned behind the target groups to be created"


def test_drift_reports_every_resource_missing_and_exits_2(plan, empty_platform, tmp_path):
    report = tmp_path / "drift.json"
    empty_platform.reset_requests()
    completed = run_playbook(empty_platform, "drift.yml", "-e", f"drift_report={report}")
    requests = empty_platform.requests()

    assert completed.returncode == 2, completed.stdout[-8000:] + completed.stderr[-3000:]
    assert requests["writes"] == 0, requests["write_operations"]
    findings = json.loads(report.read_text())["findings"]
    assert findings
    roles = {finding["task"].split(" : ")[0] for finding in findings}
    # The stack's roles, and the DR role for what the DR region's pilot light adds (recovery point
    # buckets, failover records); the pilot light's other parts are the stack's own roles.
    assert roles == {f"faith.ops.{role}" for role in [*STACK_ROLES, "dr"]}
    # Nothing exists: every finding expects a value and finds none.
    found = [finding for finding in findings if finding["actual"] not in (None, [], {}, "")]
    assert found == []
    resources = {finding["resource"] for finding in findings}
    # A looped task is reported per item, by the resource's real name.
    assert {"faith.ops.ecs_service faith-chatbot-local-blue", "faith.ops.ecs_service faith-chatbot-local-green"} <= resources
    assert {"faith.ops.vpc_network faith-chatbot-local", "faith.ops.backup_plan faith-chatbot-local-backup"} <= resources

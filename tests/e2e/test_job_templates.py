"""Every AWX job template of awx/job_templates.yml, run the way AWX runs it, on the deployed local platform.

AWX runs a job with ansible-runner from a private data directory: the project checkout, the
inventory, the job's extra variables, its environment and command line. Each test builds one for a
job template: project/ holds the repository's tracked top-level entries (what a checkout has),
inventory/ the local inventory in place of the environment's, env/extravars the template's own
variables and its survey's defaults with the answers given at launch, written as AWX writes them
(launch-time values tagged !unsafe, so Ansible never renders them), env/cmdline what the job type
adds, env/settings the template's timeout. ansible_runner.run() runs it and the test checks the
outcome on the platform. The scenarios build on each other, in file order, and leave the platform as
deploy.yml leaves it: the failover is failed back, the release rolled back, the stack converged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import ansible_mitogen
import ansible_runner
import boto3
import pytest
import yaml
from test_dr import dr_services
from test_dr import report_of
from test_dr import served_region
from test_release import Load
from test_release import record
from test_release import served_version

ROOT = Path(__file__).resolve().parents[2]
# A version the release job template's run puts live; the rollback job template's run takes it back.
RELEASED_BY_THE_JOB = "1.9.0"
# The job templates run below, in the order they run.
RUN_HERE = ["dr_backup", "dr_failover", "dr_failback", "dr_drill", "release", "rollback", "deploy", "drift"]


class _DataLoader(yaml.SafeLoader):
    """awx/ as written: an ``!unsafe`` string is a template for the job, kept as it is."""


_DataLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


class _LaunchValue(str):
    """A value given at launch (a survey answer or default), which AWX writes tagged !unsafe."""


class _ExtraVarsDumper(yaml.SafeDumper):
    pass


_ExtraVarsDumper.add_representer(_LaunchValue, lambda dumper, value: dumper.represent_scalar("!unsafe", str(value)))

TEMPLATES = {template["name"]: template
             for template in yaml.load((ROOT / "awx" / "job_templates.yml").read_text(), Loader=_DataLoader)["awx_job_templates"]}  # noqa: S506 - a SafeLoader


@dataclass
class Job:
    rc: int
    status: str
    stats: dict
    stdout: str
    command: list[str]


def launch_values(template: dict, answers: dict) -> dict:
    """What AWX adds to a launch of ``template``: its survey's defaults, overridden by ``answers``.

    AWX takes at launch only the variables the survey asks for (the templates do not prompt for
    others) and refuses a launch that leaves a required question unanswered.
    """
    questions = {question["variable"]: question for question in template.get("survey_spec", {}).get("spec", [])}
    assert set(answers) <= set(questions), f"{template['name']} takes no {set(answers) - set(questions)} at launch"
    values = {variable: question["default"] for variable, question in questions.items() if question.get("default", "") != ""}
    values.update(answers)
    unanswered = [variable for variable, question in questions.items() if question["required"] and variable not in values]
    assert not unanswered, f"AWX would not launch {template['name']} without {unanswered}"
    return values


def checkout(project: Path) -> None:
    """project/ as AWX's checkout of the repository has it: the tracked top-level entries (no venv, no reports)."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")  # noqa: S603, S607
    project.mkdir(parents=True)
    for entry in sorted({path.split("/")[0] for path in tracked if path}):
        if (ROOT / entry).exists():
            (project / entry).symlink_to(ROOT / entry)


def run_job_template(name: str, platform, private: Path, answers: dict | None = None) -> Job:
    """Run job template ``name`` as AWX would, with ``answers`` to its survey, against the local inventory."""
    template = TEMPLATES[name]
    checkout(private / "project")
    (private / "inventory").symlink_to(ROOT / "inventories" / "local")
    env = private / "env"
    env.mkdir()
    launched = {variable: _LaunchValue(value) if isinstance(value, str) else value
                for variable, value in launch_values(template, answers or {}).items()}
    (env / "extravars").write_text(yaml.dump({**template.get("extra_vars", {}), **launched}, Dumper=_ExtraVarsDumper))
    (env / "envvars").write_text(json.dumps({
        # The private platform's ports, where the staging or production inventory would need none.
        **{key: value for key, value in platform.env.items() if key.startswith("FAITH_LOCAL_")},
        # What the execution environment provides: its ansible-playbook, and Mitogen's strategy, which
        # the project's ansible.cfg looks for in a .venv a checkout does not have (execution-environment.yml).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "ANSIBLE_STRATEGY_PLUGINS": str(Path(ansible_mitogen.__file__).parent / "plugins" / "strategy"),
    }))
    if template.get("job_type") == "check":
        (env / "cmdline").write_text("--check")
    # The template's timeout, as AWX gives it; and, unlike AWX, a limit on silence, so that a job
    # waiting at a prompt fails the test in minutes rather than at its timeout.
    (env / "settings").write_text(json.dumps({"job_timeout": template.get("timeout", 0), "idle_timeout": 600}))
    result = ansible_runner.run(private_data_dir=str(private), playbook=template["playbook"], quiet=True)
    # A job's output is coloured (ansible-runner gives it a terminal); the checks read the text.
    stdout = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout.read())
    return Job(result.rc, result.status, result.stats or {}, stdout, list(result.config.command))


def assert_successful(job: Job) -> None:
    assert job.rc == 0 and job.status == "successful", job.stdout[-8000:]


@pytest.fixture(autouse=True)
def _like_a_job_environment(monkeypatch):
    """A job finds the project's ansible.cfg in its checkout: no ANSIBLE_CONFIG from this process."""
    monkeypatch.delenv("ANSIBLE_CONFIG", raising=False)


@pytest.fixture(scope="module")
def serving_before(deployed, platform):
    """The version serving before the release job: what the rollback job returns to."""
    current = record(platform)
    return current["colours"][current["active_colour"]]["version"]


def test_every_job_template_is_run_here():
    assert sorted(RUN_HERE) == sorted(TEMPLATES)


def test_dr_backup_job_puts_a_recovery_point_in_the_dr_region(deployed, platform, tmp_path):
    job = run_job_template("dr_backup", platform, tmp_path)
    assert_successful(job)
    point = re.search(r"Recovery point (\S+) \(data as of .*?\) is in s3://(\S+) \(us-west-2\)", " ".join(job.stdout.split()))
    assert point, job.stdout[-4000:]
    s3 = boto3.client("s3", endpoint_url=platform.endpoint, region_name="us-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")
    assert s3.list_objects_v2(Bucket=point.group(2), Prefix=point.group(1))["KeyCount"] > 0


def test_dr_failover_job_with_the_confirmation_answered_serves_from_the_dr_region(deployed, platform, tmp_path):
    assert served_region(platform) == "us-east-1"
    job = run_job_template("dr_failover", platform, tmp_path, answers={"dr_confirmed": "yes"})
    assert_successful(job)
    assert served_region(platform) == "us-west-2"
    report = report_of(job)
    # Judged against the survey's default targets.
    assert report["passed"] and report["rto_seconds"] <= 1800, report


def test_dr_failback_job_with_the_confirmation_answered_serves_from_the_primary(deployed, platform, tmp_path):
    assert served_region(platform) == "us-west-2", "runs after the failover job"
    job = run_job_template("dr_failback", platform, tmp_path, answers={"dr_confirmed": "yes"})
    assert_successful(job)
    assert served_region(platform) == "us-east-1"
    assert report_of(job)["passed"]
    assert [service["desired_count"] for service in dr_services(platform).values()] == [0, 0]


def test_dr_drill_job_passes_with_its_default_targets(deployed, platform, tmp_path):
    job = run_job_template("dr_drill", platform, tmp_path)
    assert_successful(job)
    assert "Drill passed" in job.stdout
    assert served_region(platform) == "us-east-1"


def test_release_job_with_the_survey_defaults_serves_the_new_version(serving_before, platform, tmp_path):
    # The survey's default strategy is a canary, which judges the new colour on live traffic: the
    # platform gets some while the job runs. Only the version, which has no default, is answered.
    load = Load(platform, tmp_path, "release-job")
    job = run_job_template("release", platform, tmp_path / "job", answers={"release_version": RELEASED_BY_THE_JOB})
    seen = load.stop()
    assert_successful(job)
    assert served_version(platform) == RELEASED_BY_THE_JOB
    latest = record(platform)["history"][0]
    assert latest["version"] == RELEASED_BY_THE_JOB and latest["outcome"] == "succeeded" and latest["strategy"] == "canary", latest
    assert seen["failed"] == 0, seen["failures"][:10]


def test_rollback_job_serves_the_previous_version_again(serving_before, platform, tmp_path):
    assert served_version(platform) == RELEASED_BY_THE_JOB, "runs after the release job"
    job = run_job_template("rollback", platform, tmp_path)
    assert_successful(job)
    assert served_version(platform) == serving_before
    assert record(platform)["history"][0]["outcome"] == "rolled_back"


def test_deploy_job_converges_without_a_change_or_a_write(deployed, platform, tmp_path):
    platform.reset_requests()
    job = run_job_template("deploy", platform, tmp_path)
    assert_successful(job)
    assert job.stats["ok"].get("localhost", 0) > 0, job.stats
    assert sum(job.stats["changed"].values()) == 0, job.stdout[-8000:]
    requests = platform.requests()
    assert requests["writes"] == 0, requests["write_operations"]


def test_drift_job_runs_in_check_mode_and_finds_no_drift(deployed, platform, tmp_path):
    job = run_job_template("drift", platform, tmp_path)
    assert "--check" in job.command
    assert_successful(job)
    report = re.findall(r"report: (\S+\.json)", job.stdout)
    assert report, job.stdout[-4000:]
    found = json.loads(Path(report[-1]).read_text())
    assert found["drift"] is False and found["findings"] == [], found

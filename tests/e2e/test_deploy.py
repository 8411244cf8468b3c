"""deploy.yml on the local platform, as an operator runs it: converge, re-run, check, tear down."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def first_deploy(platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-3000:]
    return run, platform.requests()


def test_first_deploy_creates_the_stack(first_deploy):
    run, requests = first_deploy
    assert run.recap["changed"] > 0
    assert run.recap["failed"] == 0
    assert requests["write_operations"].get("CreateVpc") == 1


def test_second_deploy_changes_nothing_and_writes_nothing(first_deploy, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml")
    assert run.returncode == 0, run.stdout[-8000:]
    assert run.recap["changed"] == 0
    requests = platform.requests()
    assert requests["writes"] == 0, requests["write_operations"]


def test_check_diff_on_the_converged_stack_reports_nothing(first_deploy, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml", "--check", "--diff")
    assert run.returncode == 0, run.stdout[-8000:]
    assert run.recap["changed"] == 0
    assert platform.requests()["writes"] == 0


def test_bad_extra_vars_fail_before_any_write(first_deploy, platform, playbook):
    platform.reset_requests()
    run = playbook("deploy.yml", "-e", "network_nat_mode=sometimes")
    assert run.returncode != 0
    assert "network_nat_mode" in run.stdout
    assert platform.requests()["writes"] == 0


def test_teardown_needs_confirmation_then_removes_everything(first_deploy, platform, playbook):
    refused = playbook("teardown.yml")
    assert refused.returncode != 0
    assert "teardown_confirm=local" in refused.stdout

    platform.reset_requests()
    run = playbook("teardown.yml", "-e", "teardown_confirm=local")
    assert run.returncode == 0, run.stdout[-8000:]
    assert platform.requests()["write_operations"].get("DeleteVpc") == 1

    again = playbook("teardown.yml", "-e", "teardown_confirm=local")
    assert again.returncode == 0
    assert again.recap["changed"] == 0

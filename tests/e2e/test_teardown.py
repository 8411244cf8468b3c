"""Teardown of the deployed stack; runs after the other end-to-end modules (file order)."""

from __future__ import annotations


def test_teardown_needs_confirmation_then_removes_everything(deployed, platform, playbook):
    refused = playbook("teardown.yml")
    assert refused.returncode != 0
    assert "teardown_confirm=local" in refused.stdout

    platform.reset_requests()
    run = playbook("teardown.yml", "-e", "teardown_confirm=local")
    assert run.returncode == 0, run.stdout[-8000:]
    writes = platform.requests()["write_operations"]
    for operation in ("DeleteVpc", "DeleteLoadBalancer", "DeleteTable", "DeleteService", "DeleteAlarms"):
        assert writes.get(operation), operation
    assert any(op.startswith("DELETE /backup/plans/") for op in writes), sorted(writes)

    again = playbook("teardown.yml", "-e", "teardown_confirm=local")
    assert again.returncode == 0, again.stdout[-8000:]
    assert again.recap["changed"] == 0

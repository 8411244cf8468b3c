"""A full deploy at the highest verbosity prints no credential and no secret setting.

The platform's own credentials (`testing`) are too common a word to search output for, so
this run uses distinctive ones (the emulator accepts any) and a distinctive secret setting
of the app, then searches everything ansible-playbook printed for them.
"""

from __future__ import annotations

import json
import secrets
import string

import pytest

ALPHABET = string.ascii_letters + string.digits


def random_text(length: int, alphabet: str = ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


@pytest.fixture(scope="module")
def verbose_deploy(deployed, playbook):
    """deploy.yml -vvv with fresh credentials and a secret setting: (run, the secret values)."""
    values = {
        "secret_key": random_text(40),
        "session_secret": random_text(48),
    }
    access_key = "AKIA" + random_text(16, string.ascii_uppercase + string.digits)
    run = playbook(
        "deploy.yml", "-vvv",
        "-e", json.dumps({
            "faith_aws_access_key": access_key,
            "faith_aws_secret_key": values["secret_key"],
            "compute_secrets": {"session_secret": values["session_secret"]},
        }),
    )
    return run, values, access_key


def test_verbose_deploy_succeeds(verbose_deploy):
    run, _values, _access_key = verbose_deploy
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-3000:]
    # The secret setting was stored: the run really carried it.
    assert "Ensure the configuration secret holds the app's secret settings" in run.stdout


@pytest.mark.parametrize("name", ["secret_key", "session_secret"])
def test_no_secret_value_is_printed(verbose_deploy, name):
    run, values, _access_key = verbose_deploy
    output = run.stdout + run.stderr
    assert values[name] not in output, _context(output, values[name])


def test_the_access_key_id_is_not_printed_either(verbose_deploy):
    """amazon.aws declares its ``access_key`` option no_log=False (an identifier, not a secret);
    faith.ops modules mask it, and no task passes it on anywhere else unmasked (an environment
    listing such as AWS_ACCESS_KEY_ID=..., a command line, a fact)."""
    run, _values, access_key = verbose_deploy
    output = run.stdout + run.stderr
    assert access_key not in output, _context(output, access_key)


@pytest.mark.parametrize(
    ("failing", "reason"),
    [
        # Refused by the first task, before any AWS call.
        ({"edge_listener_port": 99999}, "edge_listener_port=99999 is out of range"),
        # Refused by a module after it read the region's zones with the credentials: a module's
        # failure result echoes its arguments too.
        ({"network_availability_zones": ["us-east-1a", "us-east-1z"]}, "us-east-1z"),
    ],
    ids=["preflight", "module"],
)
def test_a_failing_verbose_run_prints_no_secret_either(deployed, playbook, failing, reason):
    secret_key, session_secret = random_text(40), random_text(48)
    access_key = "AKIA" + random_text(16, string.ascii_uppercase + string.digits)
    run = playbook(
        "deploy.yml", "-vvv",
        "-e", json.dumps({
            "faith_aws_access_key": access_key,
            "faith_aws_secret_key": secret_key,
            "compute_secrets": {"session_secret": session_secret},
            **failing,
        }),
    )
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert reason in output, output[-4000:]
    for value in (access_key, secret_key, session_secret):
        assert value not in output, _context(output, value)


def _context(output: str, value: str) -> str:
    """Where a value leaked, with the value itself masked, for the failure message."""
    lines = [line.replace(value, "<LEAKED>") for line in output.splitlines() if value in line]
    return f"{len(lines)} line(s) print it, e.g.:\n" + "\n".join(line[:300] for line in lines[:5])

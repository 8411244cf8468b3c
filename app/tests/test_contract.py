"""The OpenAPI document is the contract: schemathesis holds the running app to it.

The app runs as a real gunicorn process against the real Redis and the emulator, and
schemathesis runs as its own process with every check, a fixed seed and enough examples to
reach every operation with valid and invalid input, authenticated with a real credential.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import httpx2 as httpx

SEED = 20261206
MAX_EXAMPLES = 40


def test_schemathesis_finds_nothing(app_process, tmp_path: Path):
    base, _ = app_process(
        "gunicorn",
        {
            "FAITH_WORKERS": "2",
            # Generated requests come fast from one address; the limiter is tested elsewhere
            # and 429 stays documented.
            "FAITH_RATE_LIMIT_ENABLED": "false",
        },
    )
    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post("/v1/session").json()["token"]
        operations = client.get("/openapi.json").json()["paths"]
    report = tmp_path / "report"
    result = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
            "--checks", "all",
            "--seed", str(SEED),
            "--max-examples", str(MAX_EXAMPLES),
            "--workers", "2",
            "--header", f"Authorization: Bearer {token}",
            "--report", "junit",
            "--report-dir", str(report),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        # schemathesis keeps its example database in the working directory.
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert "No issues found" in output, output[-5000:]
    # Our own report file, written by the run above.
    suite = ElementTree.parse(next(report.glob("*.xml"))).getroot()  # noqa: S314
    assert (suite.get("failures"), suite.get("errors")) == ("0", "0")
    # Every operation of the document was exercised.
    tested = {case.get("name") for case in suite.iter("testcase")}
    documented = {
        f"{method.upper()} {path}" for path, methods in operations.items() for method in methods
    }
    # ... and chained through the document's links (a reply, then its conversation).
    assert tested == documented | {"Stateful tests"}
    assert len(documented) >= 11

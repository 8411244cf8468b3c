"""The production gunicorn configuration: two uvicorn workers, metrics across both."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2 as httpx


def _sample(metrics_text: str, prefix: str) -> float:
    for line in metrics_text.splitlines():
        if line.startswith(prefix):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_gunicorn_workers_share_one_metrics_view(app_process, tmp_path: Path):
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    # A stale file from an earlier run must be cleared, not summed in.
    (multiproc / "counter_99999999.db").write_bytes(b"stale")
    base = app_process(
        "gunicorn",
        {
            "FAITH_WORKERS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
            "FAITH_COLOUR": "green",
            "APP_VERSION": "9.9.9",
            "FAITH_RATE_LIMIT_ENABLED": "false",
        },
    )
    with httpx.Client(base_url=base, timeout=10) as client:
        # New connections each time, so the kernel spreads them over both workers.
        for _ in range(40):
            assert httpx.get(f"{base}/version", timeout=10).json()["colour"] == "green"
        for _ in range(5):
            response = client.post("/v1/chat", json={"message": "I'm grateful for today"})
            assert response.status_code == 200
        time.sleep(0.2)
        metrics = client.get("/metrics").text

    assert not (multiproc / "counter_99999999.db").exists()
    pids = {path.stem.rsplit("_", 1)[1] for path in multiproc.glob("counter_*.db")}
    assert len(pids) == 2
    assert _sample(
        metrics, 'faith_http_requests_total{method="GET",route="/version",status="200"}'
    ) == 40.0
    assert _sample(metrics, 'faith_chat_theme_total{theme="gratitude"}') == 5.0
    assert httpx.get(f"{base}/version").json()["version"] == "9.9.9"

"""The production gunicorn configuration: two uvicorn workers, metrics across both."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

from faith_motivator.api.routing import MAX_BODY_BYTES


def _sample(metrics_text: str, prefix: str) -> float:
    for line in metrics_text.splitlines():
        if line.startswith(prefix):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def _workers(master_pid: int) -> set[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    return {int(pid) for pid in children.split()}


def test_gunicorn_workers_share_one_metrics_view(app_process, tmp_path: Path):
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    # A stale file from an earlier run must be cleared, not summed in.
    (multiproc / "counter_99999999.db").write_bytes(b"stale")
    base, master_pid = app_process(
        "gunicorn",
        {
            "FAITH_WORKERS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
            "FAITH_COLOUR": "green",
            "APP_VERSION": "9.9.9",
            "FAITH_RATE_LIMIT_ENABLED": "false",
        },
    )
    workers = _workers(master_pid)
    assert len(workers) == 2

    def burst(_: int) -> list[str]:
        # Each thread holds its own connection, so both workers accept some of them.
        with httpx.Client(base_url=base, timeout=10) as client:
            return [client.get("/version").json()["colour"] for _ in range(5)]

    def writers() -> set[int]:
        return {int(path.stem.rsplit("_", 1)[1]) for path in multiproc.glob("counter_*.db")}

    # The kernel decides which worker accepts a connection; on a busy host one worker can take a
    # whole burst. Burst again (a bounded number of times) until both have served.
    colours: list[str] = []
    with ThreadPoolExecutor(max_workers=16) as pool:
        for _attempt in range(20):
            colours += [colour for batch in pool.map(burst, range(16)) for colour in batch]
            if workers <= writers():
                break
    assert colours == ["green"] * len(colours)

    with httpx.Client(base_url=base, timeout=10) as client:
        chats = [client.post("/v1/chat", json={"message": "I'm grateful today"}) for _ in range(5)]
        assert [chat.status_code for chat in chats] == [200] * 5
        metrics = client.get("/metrics").text
        version = client.get("/version").json()
        too_large = client.post("/v1/chat", content=b"x" * (MAX_BODY_BYTES + 1),
                                headers={"Content-Type": "application/json"})

    assert not (multiproc / "counter_99999999.db").exists()
    assert workers <= writers(), "both workers served requests and wrote their samples"
    # One scrape, answered by one worker, counts the requests both workers served.
    assert _sample(
        metrics, 'faith_http_requests_total{method="GET",route="/version",status="200"}'
    ) == float(len(colours))
    assert _sample(metrics, 'faith_chat_theme_total{theme="gratitude"}') == 5.0
    assert version == {
        "version": "9.9.9", "colour": "green", "environment": "test", "responder": "local",
        "region": "us-east-1",
    }
    assert too_large.status_code == 413
    assert too_large.json()["error"] == "body_too_large"
    # No server banner from the worker, security headers from the app, on errors too.
    assert "server" not in too_large.headers and "server" not in chats[0].headers
    assert too_large.headers["x-content-type-options"] == "nosniff"


def test_only_the_trusted_proxys_forwarded_hop_counts(app_process):
    # The test client connects from 127.0.0.1, the default trusted proxy, so it plays the
    # edge here: its last X-Forwarded-For hop is the address it saw; earlier hops were written
    # by the client and must not spread the requests over different counters.
    base, _ = app_process("gunicorn", {"FAITH_WORKERS": "1"})
    statuses = []
    with httpx.Client(base_url=base, timeout=10) as client:
        for number in range(12):
            client.cookies.clear()
            response = client.post(
                "/v1/chat",
                json={"message": "hello"},
                headers={"X-Forwarded-For": f"198.51.100.{number}, 203.0.113.7"},
            )
            statuses.append(response.status_code)
        client.cookies.clear()
        other_client = client.post(
            "/v1/chat", json={"message": "hello"}, headers={"X-Forwarded-For": "203.0.113.8"}
        )
        # Through a proxy, /metrics is not there.
        metrics = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.8"})
    assert statuses[:10] == [200] * 10 and statuses.count(429) >= 1
    assert other_client.status_code == 200
    assert metrics.status_code == 404

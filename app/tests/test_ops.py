"""Health, readiness, metrics, version, request ids and logs."""

from __future__ import annotations

import io
import json
import logging
import sys

from faith_motivator.core.logging import JsonFormatter


def test_health_and_version(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/version").json() == {
        "version": "1.2.3-test",
        "colour": "blue",
        "environment": "test",
        "responder": "local",
        "region": "us-east-1",
    }


def test_version_and_colour_come_from_the_environment(monkeypatch):
    from faith_motivator.core.config import Settings

    monkeypatch.setenv("APP_VERSION", "2.0.0")
    monkeypatch.setenv("FAITH_COLOUR", "green")
    settings = Settings()
    assert (settings.app_version, settings.colour) == ("2.0.0", "green")
    monkeypatch.setenv("FAITH_APP_VERSION", "2.0.1")
    assert Settings().app_version == "2.0.1"


def test_table_and_queue_names_derive_from_the_prefix_unless_set(monkeypatch):
    from faith_motivator.core.config import Settings

    for name in ("FAITH_TABLE_PREFIX", "FAITH_ENVIRONMENT", "FAITH_APP_NAME"):
        monkeypatch.delenv(name, raising=False)
    defaults = Settings()
    assert defaults.user_profiles_table == "faith-chatbot-local-UserProfiles"
    assert defaults.conversation_sessions_table == "faith-chatbot-local-ConversationSessions"
    assert defaults.prayer_requests_table == "faith-chatbot-local-PrayerRequests"
    assert defaults.consent_logs_table == "faith-chatbot-local-ConsentLogs"
    assert defaults.prayer_queue_name == "faith-chatbot-local-PrayerRequests"
    monkeypatch.setenv("FAITH_ENVIRONMENT", "staging")
    monkeypatch.setenv("FAITH_CONSENT_LOGS_TABLE", "audit-consent")
    staged = Settings()
    assert staged.user_profiles_table == "faith-chatbot-staging-UserProfiles"
    assert staged.consent_logs_table == "audit-consent"


def test_ready_reports_503_naming_redis_while_it_is_down(client, redis_server):
    assert client.get("/ready").json() == {
        "status": "ready",
        "checks": {"dynamodb": "ok", "redis": "ok"},
    }

    redis_server.stop()
    try:
        down = client.get("/ready")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["dynamodb"] == "ok"
        assert body["checks"]["redis"].startswith("error: ")
        assert client.get("/health").status_code == 200
        # Chat degrades (no rate limit, no cache) rather than failing.
        assert client.post("/v1/chat", json={"message": "I'm anxious"}).status_code == 200
    finally:
        redis_server.start()

    assert client.get("/ready").status_code == 200


def test_ready_reports_503_naming_dynamodb_when_a_table_is_missing(client_for, settings):
    broken = settings.model_copy(update={"prayer_requests_table": "no-such-table"})
    with client_for(broken) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["dynamodb"].startswith("error: ")
    assert response.json()["checks"]["redis"] == "ok"


def test_metrics_count_requests_latency_responder_and_themes(client, metric_value):
    client.post("/v1/chat", json={"message": "I'm so angry at my boss"})
    client.post("/v1/chat", json={"message": ""})

    assert metric_value(
        "faith_http_requests_total", method="POST", route="/v1/chat", status="200"
    ) == 1.0
    assert metric_value(
        "faith_http_requests_total", method="POST", route="/v1/chat", status="422"
    ) == 1.0
    assert metric_value(
        "faith_http_request_duration_seconds_count", method="POST", route="/v1/chat"
    ) == 2.0
    assert metric_value(
        "faith_responder_duration_seconds_count", responder="local", outcome="ok"
    ) == 1.0
    assert metric_value("faith_chat_theme_total", theme="anger") == 1.0
    text = client.get("/metrics").text
    assert "# TYPE faith_cache_requests_total counter" in text
    assert "faith_http_request_duration_seconds_bucket" in text


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/health", headers={"X-Request-ID": "bad id\r\nInjected: 1"})
    assert generated.headers["X-Request-ID"] != "bad id"
    assert len(generated.headers["X-Request-ID"]) == 32


def test_logs_are_json_and_never_contain_message_text_or_user_ids(client):
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        secret_message = "my secret struggle with zebra-striped worries"
        client.post("/v1/chat", json={"message": secret_message},
                    headers={"X-User-Id": "user-9f8e", "X-Request-ID": "req-77"})
        client.post("/v1/prayer-requests", json={"request": "pray for quokka island"},
                    headers={"X-User-Id": "user-9f8e"})
    finally:
        root.removeHandler(handler)

    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    access = [line for line in lines if line["event"] == "request"]
    assert {(line["route"], line["status"]) for line in access} >= {
        ("/v1/chat", 200),
        ("/v1/prayer-requests", 201),
    }
    assert any(line.get("request_id") == "req-77" for line in access)
    text = buffer.getvalue()
    for private in ("zebra", "quokka", "user-9f8e", "testclient"):
        assert private not in text


def test_web_page_is_accessible_markup(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<label for="message">' in html
    assert 'aria-live="polite"' in html
    assert 'lang="en"' in html
    assert client.get("/static/chat.js").status_code == 200


def test_log_formatter_keeps_only_allowed_fields():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"route": "/v1/chat", "message": "private words", "email": "a@b.org"}
    line = json.loads(JsonFormatter().format(record))
    assert line["route"] == "/v1/chat"
    assert "message" not in line and "email" not in line
    assert line["time"].endswith("Z") and line["event"] == "request"

    try:
        raise ValueError("the text of somebody's prayer")
    except ValueError:
        failure = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(failure))
    assert line["error_type"] == "ValueError"
    assert line["error_at"][-1].startswith("test_ops.py:")
    assert "prayer" not in json.dumps(line)

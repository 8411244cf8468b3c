"""Per-client rate limiting on the real Redis."""

from __future__ import annotations


def test_twenty_fast_requests_from_one_client_get_429_with_retry_after(client, metric_value):
    statuses = []
    retry_after = []
    for number in range(20):
        response = client.post("/v1/chat", json={"message": f"I am worried, message {number}"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            retry_after.append(int(response.headers["Retry-After"]))
            assert "try again" in response.json()["detail"]

    # Default: 10 per 10 s window. A window boundary in the middle of the burst can let a few
    # more through, never fewer.
    assert statuses[:10] == [200] * 10
    # Two windows at most fit in the burst, so at most 19 can pass.
    assert statuses.count(429) >= 1
    assert all(1 <= seconds <= 10 for seconds in retry_after)
    assert metric_value("faith_rate_limited_total", scope="chat") == statuses.count(429)


def test_limits_are_per_client(client):
    for _ in range(11):
        client.post("/v1/chat", json={"message": "hello"}, headers={"X-User-Id": "busy"})
    limited = client.post("/v1/chat", json={"message": "hello"}, headers={"X-User-Id": "busy"})
    other = client.post("/v1/chat", json={"message": "hello"}, headers={"X-User-Id": "calm"})
    assert limited.status_code == 429
    assert other.status_code == 200


def test_limit_is_configurable(client_for, settings):
    relaxed = settings.model_copy(
        update={"rate_limit_requests": 3, "rate_limit_window_seconds": 60}
    )
    with client_for(relaxed) as client:
        statuses = [client.post("/v1/chat", json={"message": "hi"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_limit_can_be_disabled(client_for, settings):
    unlimited = settings.model_copy(update={"rate_limit_enabled": False})
    with client_for(unlimited) as client:
        statuses = [client.post("/v1/chat", json={"message": "hi"}).status_code for _ in range(15)]
    assert statuses == [200] * 15

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


def test_limits_are_per_credential(client, credential):
    busy, calm = credential(), credential()
    for _ in range(11):
        client.post("/v1/chat", json={"message": "hello"}, headers=busy)
    limited = client.post("/v1/chat", json={"message": "hello"}, headers=busy)
    other = client.post("/v1/chat", json={"message": "hello"}, headers=calm)
    assert limited.status_code == 429
    assert other.status_code == 200


def test_rotating_identity_headers_or_forwarded_for_does_not_reset_the_limit(client_for, settings):
    # One window for the whole burst: a window boundary inside it would let requests through.
    minute = settings.model_copy(update={"rate_limit_window_seconds": 60})
    statuses = []
    with client_for(minute) as client:
        for number in range(15):
            client.cookies.clear()
            response = client.post(
                "/v1/chat",
                json={"message": "hello"},
                headers={"X-User-Id": f"user-{number}", "X-Forwarded-For": f"203.0.113.{number}"},
            )
            statuses.append(response.status_code)
    # The test client is not a trusted proxy, so X-Forwarded-For is not believed at all, and
    # without a credential the client address is the key.
    assert statuses[:10] == [200] * 10
    assert statuses.count(429) >= 1


def test_minting_credentials_does_not_escape_the_address_limit(client_for, settings):
    tight = settings.model_copy(
        update={"rate_limit_address_requests": 12, "rate_limit_window_seconds": 60}
    )
    with client_for(tight) as client:
        statuses = []
        for _ in range(7):
            token = client.post("/v1/session").json()["token"]
            for _ in range(2):
                statuses.append(
                    client.post(
                        "/v1/chat",
                        json={"message": "hello"},
                        headers={"Authorization": f"Bearer {token}"},
                    ).status_code
                )
    # 7 session requests and 14 chats, counted per address in their own scopes: the chats
    # stop at the 12th whatever credential they carry.
    assert statuses[:12] == [200] * 12
    assert statuses[12:] == [429, 429]


def test_limit_is_configurable(client_for, settings):
    relaxed = settings.model_copy(
        update={"rate_limit_requests": 3, "rate_limit_window_seconds": 60}
    )
    with client_for(relaxed) as client:
        statuses = []
        for _ in range(5):
            # No credential: the client address is what is counted.
            client.cookies.clear()
            statuses.append(client.post("/v1/chat", json={"message": "hi"}).status_code)
    assert statuses == [200, 200, 200, 429, 429]


def test_limit_can_be_disabled(client_for, settings):
    unlimited = settings.model_copy(update={"rate_limit_enabled": False})
    with client_for(unlimited) as client:
        statuses = [client.post("/v1/chat", json={"message": "hi"}).status_code for _ in range(15)]
    assert statuses == [200] * 15

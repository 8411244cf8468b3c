"""Security headers, favicon, request ids, OPTIONS and 405."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/", None, 200),
        ("POST", "/v1/chat", {"message": "I am worried"}, 200),
        ("POST", "/v1/chat", {"message": ""}, 422),
        ("GET", "/v1/me/data", None, 401),
        ("GET", "/nowhere", None, 404),
        ("PUT", "/v1/chat", None, 405),
        ("GET", "/favicon.ico", None, 200),
    ],
)
def test_security_headers_on_every_response(client, method, path, body, status):
    response = client.request(method, path, json=body)
    assert response.status_code == status
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert len(response.headers["x-request-id"]) == 32
    assert "server" not in response.headers


def test_errors_use_the_app_format(client):
    missing = client.get("/nowhere")
    assert missing.json() == {"error": "not_found", "detail": "Not Found"}
    wrong_method = client.put("/v1/chat")
    assert wrong_method.json() == {"error": "method_not_allowed", "detail": "Method Not Allowed"}


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.headers["content-type"] == "image/x-icon"
    # ICONDIR: reserved 0, type 1 (icon), one image.
    assert response.content[:6] == b"\x00\x00\x01\x00\x01\x00"
    assert b"\x89PNG" in response.content


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/me/data", "DELETE, GET, HEAD, OPTIONS"),
        ("/v1/chat", "OPTIONS, POST"),
        ("/v1/scripture", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_and_405_list_every_method_of_the_path(client, path, allowed):
    options = client.options(path)
    assert options.status_code == 204
    assert options.headers["allow"] == allowed
    assert options.content == b""
    patched = client.patch(path)
    assert patched.status_code == 405
    assert patched.headers["allow"] == allowed


def test_metrics_are_served_only_off_the_edge(client):
    assert client.get("/metrics").status_code == 200
    through_edge = client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.1"})
    assert through_edge.status_code == 404
    assert "faith_http_requests_total" not in through_edge.text

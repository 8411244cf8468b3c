"""Scripture by theme (Redis cache) and the shipped verse data."""

from __future__ import annotations

import json

import redis as redis_lib

from faith_motivator.devtools import VERSES_FILE, lookup_web
from faith_motivator.models.common import Theme


def test_scripture_is_cached_in_redis_with_a_ttl(client, settings, metric_value):
    first = client.get("/v1/scripture", params={"theme": "grief"})
    second = client.get("/v1/scripture", params={"theme": "grief"})

    assert first.status_code == second.status_code == 200
    assert first.headers["X-Cache"] == "MISS"
    assert second.headers["X-Cache"] == "HIT"
    assert first.json() == second.json()
    body = second.json()
    assert body["theme"] == "grief"
    assert body["translation"] == "World English Bible"
    assert "Psalm 34:18" in [v["reference"] for v in body["verses"]]

    assert metric_value("faith_cache_requests_total", cache="scripture", result="hit") == 1.0
    assert metric_value("faith_cache_requests_total", cache="scripture", result="miss") == 1.0

    store = redis_lib.Redis.from_url(settings.redis_url)
    try:
        key = f"{settings.redis_key_prefix}scripture:{settings.app_version}:grief"
        assert json.loads(store.get(key)) == body
        assert 0 < store.ttl(key) <= settings.scripture_cache_ttl_seconds
    finally:
        store.close()


def test_unknown_theme_is_422(client):
    response = client.get("/v1/scripture", params={"theme": "weather"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.theme"


def test_every_theme_has_verses_and_encouragements(client):
    catalogue = client.app.state.catalogue
    for theme in Theme:
        assert len(catalogue.verses(theme)) >= 3, theme
        assert len(catalogue.themes[theme].encouragements) >= 2, theme


def test_shipped_verses_match_the_world_english_bible():
    document = json.loads(VERSES_FILE.read_text("utf-8"))
    verses = [v for entry in document["themes"].values() for v in entry["verses"]]
    verses.append(document["crisis_verse"])
    mismatched = [v["reference"] for v in verses if lookup_web(v["reference"]) != v["text"]]
    assert len(verses) >= 70
    assert mismatched == []


def test_a_hit_answered_before_routing_is_the_routes_own_answer(client):
    through_route = client.get("/v1/scripture", params={"theme": "hope"})
    from_memory = client.get("/v1/scripture", params={"theme": "hope"})
    assert (through_route.status_code, from_memory.status_code) == (200, 200)
    assert through_route.headers["X-Cache"] == "MISS" and from_memory.headers["X-Cache"] == "HIT"
    assert from_memory.content == through_route.content

    def comparable(response):
        return {k: v for k, v in response.headers.items() if k not in ("x-cache", "x-request-id")}

    assert comparable(from_memory) == comparable(through_route)
    # Anything but a plain valid request still goes through the route's validation.
    assert client.get("/v1/scripture", params={"theme": "hope", "x": "1"}).status_code == 200
    assert client.get("/v1/scripture", params={"theme": "weather"}).status_code == 422
    metrics = client.get("/metrics").text
    sample = 'faith_http_requests_total{method="GET",route="/v1/scripture",status="200"} 3.0'
    assert sample in metrics

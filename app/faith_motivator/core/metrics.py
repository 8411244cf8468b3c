"""Prometheus metrics.

Each app instance owns its registry, so several apps in one process (tests) never collide.
Under gunicorn, PROMETHEUS_MULTIPROC_DIR makes prometheus_client write every sample to
per-process files in that directory; ``render`` then aggregates all workers' files, so a
scrape that lands on any worker sees the whole task. gunicorn.conf.py marks dead workers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

# Chat is dominated by one DynamoDB write; these buckets resolve 1 ms to 10 s.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Metrics:
    """The service's metrics, registered in their own registry."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "faith_http_requests_total",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_latency = Histogram(
            "faith_http_request_duration_seconds",
            "Time to produce a response, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.responder_latency = Histogram(
            "faith_responder_duration_seconds",
            "Time a responder took to answer, by responder and outcome.",
            ["responder", "outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.cache = Counter(
            "faith_cache_requests_total",
            "Response cache lookups by cache and result (hit, miss, error).",
            ["cache", "result"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "faith_rate_limited_total",
            "Requests refused with 429, by rate-limit scope.",
            ["scope"],
            registry=self.registry,
        )
        self.crisis_responses = Counter(
            "faith_crisis_responses_total",
            "Messages answered from the fixed crisis-resources path.",
            registry=self.registry,
        )
        self.themes = Counter(
            "faith_chat_theme_total",
            "Chat messages by detected theme.",
            ["theme"],
            registry=self.registry,
        )

    def render(self) -> tuple[bytes, str]:
        """The exposition body and its content type."""
        multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if multiproc_dir:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=multiproc_dir)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

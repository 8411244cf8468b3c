"""boto3 clients configured from settings: region, emulator endpoint, timeouts, retries."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from faith_motivator.core.config import Settings


def new_session() -> boto3.session.Session:
    """A boto3 session of one's own: boto3's default session is shared module state."""
    return boto3.session.Session()


def client(
    settings: Settings,
    service: str,
    *,
    session: boto3.session.Session | None = None,
    region: str | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    max_attempts: int | None = None,
) -> Any:
    """A client for ``service``; the endpoint URL points every service at the emulator."""
    config = Config(
        connect_timeout=connect_timeout or settings.aws_connect_timeout,
        read_timeout=read_timeout or settings.aws_read_timeout,
        retries={"mode": "standard", "max_attempts": max_attempts or settings.aws_max_attempts},
        # Requests run on the thread pool (40 threads by default); one connection per thread.
        max_pool_connections=40,
    )
    # Clients made from one session share its loaded service models (tens of ms each).
    return (session or new_session()).client(
        service,
        region_name=region or settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
        config=config,
    )

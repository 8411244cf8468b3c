"""Operational endpoint schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HealthOut(BaseModel):
    """Liveness: the process answers."""

    status: Literal["ok"]


class ReadyOut(BaseModel):
    """Readiness with one entry per dependency: "ok" or the error type."""

    status: Literal["ready", "unavailable"]
    checks: dict[str, str]


class VersionOut(BaseModel):
    """Which build this is, which colour it serves as, and from which region."""

    version: str
    colour: str | None
    environment: str
    responder: str
    # The region whose data this process serves: a DR failover is verified by it.
    region: str

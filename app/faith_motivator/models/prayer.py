"""Prayer request schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, StrictBool, StringConstraints

from faith_motivator.models.chat import CrisisResourceOut
from faith_motivator.models.common import MessageText, StrictIn


class PrayerRequestIn(StrictIn):
    """A request for the prayer team; ``display_name`` is optional and may be a first name."""

    request: MessageText
    display_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] | None = (
        None
    )
    share_with_team: StrictBool = True


class PrayerRequestOut(BaseModel):
    """The stored request's id and state."""

    request_id: uuid.UUID
    status: Literal["received"]
    priority: Literal["normal", "urgent"]
    created_at: datetime
    resources: list[CrisisResourceOut] = []


class PrayerRequestRecordOut(BaseModel):
    """A stored prayer request, as returned by a data export."""

    request_id: uuid.UUID
    request: str
    display_name: str | None = None
    share_with_team: bool
    priority: str
    status: str
    created_at: datetime

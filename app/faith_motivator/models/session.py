"""Anonymous session credential schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class SessionOut(BaseModel):
    """A new anonymous credential: send it as ``Authorization: Bearer <token>``."""

    token: str
    token_type: Literal["bearer"]
    expires_at: datetime

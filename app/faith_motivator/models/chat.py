"""Chat schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from faith_motivator.models.common import MessageText, StrictIn, Theme, VerseOut


class ChatIn(StrictIn):
    """A message from the person; ``session_id`` continues an earlier conversation."""

    message: MessageText
    session_id: uuid.UUID | None = None


class CrisisResourceOut(BaseModel):
    """A place to get help now."""

    name: str
    contact: str
    url: str | None = None


class ChatOut(BaseModel):
    """The reply, the verses it quotes and what the message was understood to be about."""

    session_id: uuid.UUID
    reply: str
    theme: Theme | Literal["crisis"]
    verses: list[VerseOut]
    responder: Literal["local", "bedrock", "crisis"]
    crisis: bool = False
    resources: list[CrisisResourceOut] = []
    # False when the reply was given but the conversation could not be saved.
    stored: bool
    created_at: datetime


class ExchangeOut(BaseModel):
    """One message and the reply it got."""

    created_at: datetime
    message: str
    reply: str
    theme: str
    verses: list[VerseOut]
    crisis: bool


class HistoryOut(BaseModel):
    """A conversation, oldest exchange first."""

    session_id: uuid.UUID
    exchanges: list[ExchangeOut]

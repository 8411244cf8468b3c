"""The interface every responder implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from faith_motivator.models.common import Theme, VerseOut

ResponderName = Literal["local", "bedrock", "crisis"]


@dataclass(frozen=True)
class Reply:
    """A reply, the verses it quotes, and who produced it.

    ``fallback`` is true when the configured responder failed and ``local`` answered instead.
    """

    text: str
    verses: list[VerseOut]
    responder: ResponderName
    fallback: bool = False


class Responder(Protocol):
    """Answers a message already checked by the crisis path and classified by theme."""

    name: str

    async def respond(self, message: str, theme: Theme) -> Reply:
        """The reply to ``message``, whose theme is ``theme``."""
        ...

"""The offline responder: encouragement and verses from the curated catalogue."""

from __future__ import annotations

from faith_motivator.models.common import Theme
from faith_motivator.services.responders.base import Reply
from faith_motivator.services.scripture import ScriptureCatalogue


class LocalResponder:
    """Deterministic: the same message always gets the same reply."""

    name = "local"

    def __init__(self, catalogue: ScriptureCatalogue) -> None:
        self.catalogue = catalogue

    def compose(self, message: str, theme: Theme) -> Reply:
        """The local reply (synchronous; also the fallback of other responders)."""
        encouragement, verses = self.catalogue.choose(theme, message)
        lead_in = (
            "Here is a verse to hold on to:"
            if len(verses) == 1
            else "Here are some verses to hold on to:"
        )
        return Reply(text=f"{encouragement} {lead_in}", verses=verses, responder="local")

    async def respond(self, message: str, theme: Theme) -> Reply:
        """The local reply."""
        return self.compose(message, theme)

"""Scripture schemas."""

from __future__ import annotations

from pydantic import BaseModel

from faith_motivator.models.common import Theme, VerseOut


class ScriptureOut(BaseModel):
    """The curated verses for one theme."""

    theme: Theme
    translation: str
    verses: list[VerseOut]

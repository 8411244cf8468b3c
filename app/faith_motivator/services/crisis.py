"""The fixed crisis path.

Messages that speak of suicide or self-harm are recognised here, before any responder runs,
and answered with the same reviewed text and helplines every time. Nothing on this path is
generated. The patterns lean towards recall: an unnecessary list of helplines costs little,
a missed one can cost a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faith_motivator.services.themes import normalise

_PATTERNS = (
    r"\bsuicid",
    r"\bkill(?:ing)? my ?self\b",
    r"\bkms\b",
    r"\b(?:end|ending|take|taking|took) (?:my|my own) life\b",
    r"\bend (?:it all|everything|things)\b",
    r"\b(?:want|wanted|wanting|wanna|going|ready|plan|planning) to die\b",
    r"\bwish (?:i|i'd) (?:was|were|had) (?:dead|never been born)\b",
    r"\bwish i could (?:die|disappear forever)\b",
    r"\bbetter off (?:dead|without me)\b",
    r"\bself ?harm",
    r"\b(?:cut|cutting|hurt|hurting|harm|harming|burn|burning|starve|starving) my ?self\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|being alive|going on)\b",
    r"\b(?:don't|do not|dont) want to (?:live|be alive|exist|wake up)\b",
    r"\b(?:don't|do not|dont) want to be here anymore\b",
    r"\boverdos",
    r"\bhang(?:ing)? my ?self\b",
    r"\bnot (?:be|being) around (?:much longer|anymore)\b",
    r"\b(?:say|saying) goodbye (?:to everyone|forever)\b",
)
# One alternation: a single scan of the message answers "does any pattern match?".
_CRISIS = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS))


def is_crisis(message: str) -> bool:
    """True when the message speaks of suicide or self-harm."""
    text = normalise(message)
    return _CRISIS.search(text) is not None


@dataclass(frozen=True)
class CrisisResource:
    """A helpline shown with every crisis reply."""
    name: str
    contact: str
    url: str | None = None


CRISIS_RESOURCES = (
    CrisisResource(
        "988 Suicide & Crisis Lifeline (US)", "Call or text 988, any time", "https://988lifeline.org"
    ),
    CrisisResource("Crisis Text Line (US)", "Text HOME to 741741", "https://www.crisistextline.org"),
    CrisisResource("Emergency services", "Call 911 or your local emergency number"),
    CrisisResource(
        "Outside the US", "Find a free, confidential helpline in your country",
        "https://findahelpline.com",
    ),
)

CRISIS_REPLY = (
    "I'm really glad you told me, and I'm so sorry you're carrying this much pain. You deserve "
    "to talk with a real person right now. In the US you can call or text 988, the Suicide & "
    "Crisis Lifeline, any time of day; it is free and confidential. If you are in immediate "
    "danger, please call 911 or your local emergency number, or go to the nearest emergency "
    "room. Outside the US, findahelpline.com lists helplines in your country. You are not "
    "alone, and your life matters."
)

# Shown with the crisis reply; the catalogue holds its text (tests check it against the WEB).
CRISIS_VERSE_REFERENCE = "Psalm 34:18"

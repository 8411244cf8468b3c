"""The curated scripture catalogue and its Redis-cached rendering.

The catalogue is a small JSON file shipped in the package (data/verses.json, World English
Bible, public domain; see data/NOTICE.md). It is read once per process: about 80 verses, a
few tens of kilobytes, where a full Bible library would cost each worker megabytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from importlib import resources

from redis.asyncio import Redis
from redis.exceptions import RedisError

from faith_motivator.core.metrics import Metrics
from faith_motivator.models.common import Theme, VerseOut
from faith_motivator.models.scripture import ScriptureOut
from faith_motivator.services.themes import WORD, normalise, stem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerseCues:
    """What in a message makes a verse the one to lead with: stemmed words and phrases."""

    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, cues: list[str]) -> VerseCues:
        """Cues as written in verses.json (words or multi-word phrases)."""
        words, phrases = set(), []
        for cue in cues:
            tokens = tuple(WORD.findall(normalise(cue)))
            if len(tokens) == 1:
                words.add(stem(tokens[0]))
            elif tokens:
                phrases.append(tokens)
        return cls(frozenset(words), tuple(phrases))

    def score(self, tokens: list[str], stems: set[str]) -> int:
        """How many cues the message carries (a phrase counts double: it is more specific)."""
        found = len(self.words & stems)
        for phrase in self.phrases:
            size = len(phrase)
            if any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1)):
                found += 2
        return found


@dataclass(frozen=True)
class ThemeEntry:
    """A theme's encouragements and verses, each verse with its cues."""

    encouragements: tuple[str, ...]
    verses: tuple[VerseOut, ...]
    cues: tuple[VerseCues, ...]


class ScriptureCatalogue:
    """Verses and encouragements per theme, in one public-domain translation."""

    def __init__(self, document: dict) -> None:
        translation = document["translation"]
        self.translation_code: str = translation["code"]
        self.translation_name: str = translation["name"]
        self.themes: dict[Theme, ThemeEntry] = {
            Theme(name): ThemeEntry(
                encouragements=tuple(entry["encouragements"]),
                verses=tuple(
                    VerseOut(
                        translation=self.translation_code,
                        reference=verse["reference"],
                        text=verse["text"],
                    )
                    for verse in entry["verses"]
                ),
                cues=tuple(VerseCues.parse(verse.get("cues", [])) for verse in entry["verses"]),
            )
            for name, entry in document["themes"].items()
        }
        missing = set(Theme) - set(self.themes)
        if missing:
            raise ValueError(f"scripture catalogue lacks themes: {sorted(missing)}")
        self.crisis_verse = VerseOut(translation=self.translation_code, **document["crisis_verse"])

    @classmethod
    def load(cls) -> ScriptureCatalogue:
        """Read the catalogue shipped in the package."""
        text = resources.files("faith_motivator.data").joinpath("verses.json").read_text("utf-8")
        return cls(json.loads(text))

    def verses(self, theme: Theme) -> tuple[VerseOut, ...]:
        """All verses of a theme."""
        return self.themes[theme].verses

    def choose(self, theme: Theme, message: str, count: int = 2) -> tuple[str, list[VerseOut]]:
        """An encouragement and ``count`` verses for a message about ``theme``.

        The first verse is the one whose cues the message carries most (a funeral gets
        "Blessed are those who mourn", a sleepless night "In the multitude of my thoughts"),
        earliest in the file on a tie. Without any cue, and for the other verses, a stable
        hash of the message picks among the theme's verses, all chosen for that need, so the
        same message always gets the same answer and different ones vary.
        """
        entry = self.themes[theme]
        seed = int.from_bytes(hashlib.sha256(message.encode()).digest()[:8], "big")
        encouragement = entry.encouragements[seed % len(entry.encouragements)]
        tokens = WORD.findall(normalise(message))
        stems = {stem(token.replace("'", "")) for token in tokens}
        scores = [cues.score(tokens, stems) for cues in entry.cues]
        total = len(entry.verses)
        start = (seed >> 16) % total
        order = [(start + i) % total for i in range(total)]
        best = max(scores)
        if best > 0:
            lead = scores.index(best)
            order = [lead, *(i for i in order if i != lead)]
        return encouragement, [entry.verses[i] for i in order[:count]]

class ScriptureService:
    """Serves a theme's verses, keeping the rendered JSON in this process and in Redis for a TTL.

    The rendering depends only on the catalogue, which is fixed for a release (the version is
    in the key), so each worker keeps what it rendered or read and answers from memory, without
    a Redis round trip; Redis shares a rendering between workers and colours. A hit returns the
    cached bytes untouched, skipping validation and serialisation. If Redis is unreachable the
    response is rendered directly: scripture must not fail because a cache did.
    """

    def __init__(
        self,
        catalogue: ScriptureCatalogue,
        redis: Redis,
        metrics: Metrics,
        key_prefix: str,
        ttl_seconds: int,
    ) -> None:
        self.catalogue = catalogue
        self.redis = redis
        self.metrics = metrics
        self.key_prefix = key_prefix
        self.ttl_seconds = ttl_seconds
        # theme -> (body, monotonic expiry); thirteen small entries at most.
        self._local: dict[Theme, tuple[bytes, float]] = {}

    def cache_key(self, theme: Theme) -> str:
        """The Redis key of a theme's rendered response."""
        return f"{self.key_prefix}{theme.value}"

    def render(self, theme: Theme) -> bytes:
        """The ScriptureOut JSON of a theme."""
        body = ScriptureOut(
            theme=theme,
            translation=self.catalogue.translation_name,
            verses=list(self.catalogue.verses(theme)),
        )
        return body.model_dump_json().encode()

    def local_hit(self, theme: Theme) -> bytes | None:
        """The body this process holds for ``theme`` (counted as a hit), or None."""
        local = self._local.get(theme)
        if local is not None and local[1] > time.monotonic():
            self.metrics.cache.labels("scripture", "hit").inc()
            return local[0]
        return None

    async def get(self, theme: Theme) -> tuple[bytes, bool]:
        """The response body and whether it came from a cache."""
        held = self.local_hit(theme)
        if held is not None:
            return held, True
        body, hit = await self._shared(theme)
        self._local[theme] = (body, time.monotonic() + self.ttl_seconds)
        return body, hit

    async def _shared(self, theme: Theme) -> tuple[bytes, bool]:
        key = self.cache_key(theme)
        try:
            cached = await self.redis.get(key)
        except RedisError:
            self.metrics.cache.labels("scripture", "error").inc()
            logger.warning("scripture cache unavailable", exc_info=True)
            return self.render(theme), False
        if cached is not None:
            self.metrics.cache.labels("scripture", "hit").inc()
            return cached, True
        self.metrics.cache.labels("scripture", "miss").inc()
        body = self.render(theme)
        try:
            await self.redis.set(key, body, ex=self.ttl_seconds)
        except RedisError:
            logger.warning("scripture cache write failed", exc_info=True)
        return body, False

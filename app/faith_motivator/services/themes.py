"""Theme detection: what a message is about, offline and deterministic.

A weighted lexicon per theme (data/theme_lexicon.json). Words are reduced to a crude stem so
"worrying", "worried" and "worries" meet one entry; multi-word cues ("passed away", "forgive
myself") are matched as word sequences and weigh more, because they carry context a
single word lacks. The theme with the highest score wins; ties go to the earlier theme in the
file's ``tie_order``; no cue at all gives ``general``. tests/test_themes.py measures the
accuracy on labelled messages, including a held-out set the lexicon was not tuned on.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from importlib import resources

from faith_motivator.models.common import Theme

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SUFFIXES = ("ingly", "ness", "ings", "ing", "edly", "ed", "ies", "ful", "ly", "es", "s")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, hyphens as spaces, single spaces."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\b(can)not\b", r"\1't", text).replace("-", " ")
    return " ".join(text.split())


def stem(word: str) -> str:
    """A deliberately crude suffix stripper; good enough for matching a fixed lexicon."""
    if word.endswith("ss"):
        # "loss", "stress": the doubled s is part of the word, not a plural.
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


class ThemeDetector:
    """Scores a message against every theme's cues."""

    def __init__(self, lexicon: dict) -> None:
        self.tie_order = tuple(Theme(name) for name in lexicon["tie_order"])
        self.words: dict[str, dict[Theme, int]] = defaultdict(dict)
        # Phrases are looked up as token n-grams of the message: one dict probe per n-gram
        # instead of one regex scan of the message per phrase.
        self.phrases: dict[tuple[str, ...], list[tuple[Theme, int]]] = defaultdict(list)
        for name, cues in lexicon["themes"].items():
            theme = Theme(name)
            for word in cues["words"]:
                self.words[stem(word)].setdefault(theme, 1)
            # A word naming the feeling outweighs one naming only the circumstance.
            for word in cues.get("strong", ()):
                self.words[stem(word)][theme] = 2
            for phrase, weight in cues["phrases"]:
                self.phrases[tuple(WORD.findall(normalise(phrase)))].append((theme, weight))
        self.phrase_lengths = sorted({len(key) for key in self.phrases})

    @classmethod
    def load(cls) -> ThemeDetector:
        """The detector for the lexicon shipped in the package."""
        data = resources.files("faith_motivator.data").joinpath("theme_lexicon.json")
        return cls(json.loads(data.read_text("utf-8")))

    def scores(self, message: str) -> dict[Theme, int]:
        """Score of every theme with at least one cue in the message."""
        tokens = WORD.findall(normalise(message))
        scores: dict[Theme, int] = defaultdict(int)
        for token in tokens:
            for theme, weight in self.words.get(stem(token.replace("'", "")), {}).items():
                scores[theme] += weight
        # A phrase counts once however often it occurs, as a single strong cue.
        found = {
            gram
            for length in self.phrase_lengths
            for start in range(len(tokens) - length + 1)
            if (gram := tuple(tokens[start : start + length])) in self.phrases
        }
        for gram in found:
            for theme, weight in self.phrases[gram]:
                scores[theme] += weight
        return dict(scores)

    def detect(self, message: str) -> Theme:
        """The best-scoring theme, or ``general`` when nothing matched."""
        scores = self.scores(message)
        if not scores:
            return Theme.GENERAL
        order = self.tie_order
        return max(order, key=lambda theme: (scores.get(theme, 0), -order.index(theme)))

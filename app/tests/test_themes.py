"""Theme detection accuracy on labelled messages, and the crisis detector."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from faith_motivator.models.common import Theme
from faith_motivator.services.crisis import is_crisis
from faith_motivator.services.themes import ThemeDetector

DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line]


def _accuracy(rows: list[dict]) -> tuple[float, list[tuple[str, str, str]]]:
    detector = ThemeDetector.load()
    misses = []
    for row in rows:
        detected = detector.detect(row["message"]).value
        if detected != row["theme"]:
            misses.append((row["theme"], detected, row["message"]))
    return 1 - len(misses) / len(rows), misses


def test_labelled_set_is_large_varied_and_valid():
    rows = _load("themes_labelled.jsonl")
    assert len(rows) >= 100
    themes = Counter(row["theme"] for row in rows)
    assert set(themes) == {theme.value for theme in Theme}
    assert min(count for theme, count in themes.items() if theme != "general") >= 10
    assert len({row["message"] for row in rows}) == len(rows)
    held_out = {row["message"] for row in _load("themes_heldout.jsonl")}
    assert held_out.isdisjoint(row["message"] for row in rows)


def test_theme_accuracy_on_the_labelled_set(capsys):
    rows = _load("themes_labelled.jsonl")
    accuracy, misses = _accuracy(rows)
    with capsys.disabled():
        print(f"\ntheme accuracy (labelled set, n={len(rows)}): {accuracy:.3f}")
        for expected, detected, message in misses:
            print(f"  expected {expected}, got {detected}: {message}")
    # 0.965 (n=254) before the feeling words were weighted; this guards against a regression.
    assert accuracy >= 0.95


def test_theme_accuracy_on_the_held_out_set(capsys):
    """Messages written after the lexicon was last tuned, and never used to tune it.

    Keyword cues generalise poorly to unseen phrasing; this figure is the honest one to
    quote (0.831, n=65, when the set was written; the earlier held-out set, 0.746, became
    tuning data). The floor only guards against regressions.
    """
    rows = _load("themes_heldout.jsonl")
    accuracy, _ = _accuracy(rows)
    with capsys.disabled():
        print(f"\ntheme accuracy (held-out set, n={len(rows)}): {accuracy:.3f}")
    assert accuracy >= 0.80


@pytest.mark.parametrize(
    ("message", "theme"),
    [
        ("", Theme.GENERAL),
        ("Hello!", Theme.GENERAL),
        ("I can’t forgive myself for what I did", Theme.GUILT),
        ("I can't forgive him for what he did", Theme.FORGIVENESS),
        ("WORRIED SICK ABOUT MONEY", Theme.ANXIETY),
    ],
)
def test_detector_edge_cases(message, theme):
    assert ThemeDetector.load().detect(message) is theme


@pytest.mark.parametrize(
    "message",
    [
        "I want to kill myself",
        "i’m thinking about suicide",
        "I've been self-harming again",
        "Sometimes I wish I was dead",
        "I took too many pills, is an overdose painful",
        "I don't want to wake up tomorrow",
        "everyone would be better off if I was gone, better off without me",
        "I'm going to end it all",
        "I have been hurting myself",
    ],
)
def test_crisis_phrasings_are_recognised(message):
    assert is_crisis(message)


@pytest.mark.parametrize(
    "message",
    [
        "This commute is killing me",
        "I'm dying to see my grandkids",
        "My grandmother died last year",
        "I'm afraid of dying in surgery",
        "I want to live a life that matters",
        "I need to take a break from work",
    ],
)
def test_ordinary_sadness_is_not_a_crisis(message):
    assert not is_crisis(message)


def test_the_first_verse_of_a_reply_fits_the_need(capsys):
    """Hand-labelled: for each message, the verses a person facing it should be offered
    first (a verse that merely shares a word, like Hebrews 13:5 on money for loneliness, is
    not among them)."""
    from faith_motivator.services.responders.local import LocalResponder
    from faith_motivator.services.scripture import ScriptureCatalogue

    rows = _load("replies_labelled.jsonl")
    assert len(rows) >= 30
    detector = ThemeDetector.load()
    responder = LocalResponder(ScriptureCatalogue.load())
    unfit = []
    for row in rows:
        reply = responder.compose(row["message"], detector.detect(row["message"]))
        if reply.verses[0].reference not in row["acceptable"]:
            unfit.append((row["message"], reply.verses[0].reference))
    with capsys.disabled():
        print(f"\nfirst verse fits the need: {len(rows) - len(unfit)}/{len(rows)}")
        for message, reference in unfit:
            print(f"  {reference} for: {message}")
    assert unfit == []


def test_no_theme_offers_a_verse_about_something_else():
    from faith_motivator.services.scripture import ScriptureCatalogue

    references = {
        verse.reference
        for theme in Theme
        for verse in ScriptureCatalogue.load().verses(theme)
    }
    assert "Hebrews 13:5" not in references

"""Finds lexicon phrases, place names and regex patterns in a phrase view in one pass.

All phrase lists of all languages go into one Aho-Corasick automaton, so matching costs one scan
of the text however many languages and phrases there are. Ads mix languages, so every list is
tried on every ad.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from scoring.catalog import LEXICON_DIR, load_catalog
from scoring.normalize import normalise_phrase

# Scripts written with spaces between words: a phrase must start and end on a word boundary.
_SPACED = re.compile(r"[a-z0-9\u00c0-\u024f\u0370-\u052f\u0900-\u097f\u0600-\u06ff\u1e00-\u1eff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


@dataclass(frozen=True)
class Entry:
    """What a matched key stands for."""

    kind: str  # "signal" or "place"
    key: str  # signal id or place id
    left_boundary: bool
    right_boundary: bool


@dataclass(frozen=True)
class Hit:
    """One match in a phrase view."""

    kind: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    id: str
    kind: str  # compound | hotspot_town | hotspot_country
    country: str
    weight: float


def _boundaries(phrase: str) -> tuple[bool, bool]:
    first, last = phrase[0], phrase[-1]
    left = bool(_SPACED.match(first) or _HANGUL.match(first))
    right = bool(_SPACED.match(last))
    return left, right


class Matcher:
    """A compiled lexicon: phrase automaton plus the regex patterns."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR) -> None:
        catalog = load_catalog()
        self.automaton = ahocorasick.Automaton()
        self.regexes: list[tuple[str, re.Pattern[str]]] = []
        self.places: dict[str, Place] = {}
        keys: dict[str, list[Entry]] = {}

        def add(raw: str, kind: str, key: str) -> None:
            prefix = raw.endswith("*")
            phrase = normalise_phrase(raw.rstrip("*"))
            if not phrase:
                return
            left, right = _boundaries(phrase)
            entry = Entry(kind, key, left, right and not prefix)
            bucket = keys.setdefault(phrase, [])
            if entry not in bucket:
                bucket.append(entry)

        for path in sorted(lexicon_dir.glob("*.toml")):
            if path.stem in ("catalog", "places", "pay"):
                continue
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
            for signal_id, phrases in data.get("phrases", {}).items():
                if signal_id not in catalog:
                    raise ValueError(f"{path.name}: unknown signal id {signal_id!r}")
                for raw in phrases:
                    add(raw, "signal", signal_id)
            for signal_id, patterns in data.get("regex", {}).items():
                if signal_id not in catalog:
                    raise ValueError(f"{path.name}: unknown signal id {signal_id!r}")
                for pattern in patterns:
                    self.regexes.append((signal_id, re.compile(pattern)))
        places_path = lexicon_dir / "places.toml"
        if places_path.exists():
            with open(places_path, "rb") as handle:
                for item in tomllib.load(handle).get("place", []):
                    place = Place(
                        item["id"], item["kind"], item.get("country", ""),
                        float(item.get("weight", 1.0)),
                    )
                    self.places[place.id] = place
                    for name in item.get("names", []):
                        add(name, "place", place.id)
        for phrase, entries in keys.items():
            self.automaton.add_word(phrase, (len(phrase), tuple(entries)))
        if keys:
            self.automaton.make_automaton()
        self._empty = not keys

    def find(self, text: str) -> Iterator[Hit]:
        """Every phrase, place name and regex match in a phrase-view text."""
        if not self._empty:
            size = len(text)
            for last, (length, entries) in self.automaton.iter(text):
                start, end = last - length + 1, last + 1
                left_ok = start == 0 or text[start - 1] == " "
                right_ok = end == size or text[end] == " "
                for entry in entries:
                    if (left_ok or not entry.left_boundary) and (
                        right_ok or not entry.right_boundary
                    ):
                        yield Hit(entry.kind, entry.key, start, end)
        for signal_id, pattern in self.regexes:
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    yield Hit("signal", signal_id, match.start(), match.end())


@cache
def default_matcher() -> Matcher:
    """The matcher over the lexicon shipped with the package."""
    return Matcher()

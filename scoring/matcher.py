"""Finds lexicon phrases, place names, app names and role words in a phrase view in one pass.

All lists of all languages go into one Aho-Corasick automaton, so matching costs one scan of the
text however many languages and phrases there are. Ads mix languages, so every list is tried on
every ad. Phrases in scripts written with spaces are stored padded with spaces and matched
against the padded text, so only whole words match and no time goes to fragments of words.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import gzip
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path
from re import _constants as re_constants
from re import _parser as re_parser
from typing import NamedTuple

import ahocorasick_rs
import numpy as np

from scoring.catalog import LEXICON_DIR, load_catalog
from scoring.channels import APP_NAMES, spelled_out
from scoring.corpus import load_corpus
from scoring.normalize import normalise_phrase
from scoring.regex_triggers import rarity_cost, triggers

# Scripts written with spaces between words: a phrase must start and end on a word boundary.
_SPACED = re.compile(r"[a-z0-9\u00c0-\u024f\u0370-\u052f\u0900-\u097f\u0600-\u06ff\u1e00-\u1eff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_DATA_FILES = ("catalog", "places", "pay")
# How far a regex match may reach before and after one of its trigger words.
_WINDOW_BEFORE = 120
_WINDOW_AFTER = 160
_LATIN_LANGUAGES = {"en", "es", "id", "ms", "tl", "sw", "vi", "fr", "pt", "de", "it", "nl", "tr",
                    "und"}
# Latin-script languages whose posters mix in each other's words.
_LATIN_NEIGHBOURS = {"id": ("en", "ms"), "ms": ("en", "id"), "tl": ("en",), "sw": ("en",),
                     "es": ("en",), "vi": ("en",), "en": ("en", "hi", "tl", "sw")}
# The script of each lexicon file written in its own script, as ranges of code points.
_SCRIPT_OF_FILE = {
    "ru": (0x0400, 0x04FF), "hi": (0x0900, 0x097F), "ko": (0xAC00, 0xD7AF), "th": (0x0E00, 0x0E7F),
    "km": (0x1780, 0x17FF), "my": (0x1000, 0x109F), "zh": (0x4E00, 0x9FFF),
}
_SCRIPT_FILES = list(_SCRIPT_OF_FILE)
# Code point (Basic Multilingual Plane) -> 1 + index of the file whose script it is, or 0.
_FILE_OF_CODE = np.zeros(0x10000, dtype=np.uint8)  # small, so quick to look up in
for _number, (_low, _high) in enumerate(_SCRIPT_OF_FILE.values(), start=1):
    _FILE_OF_CODE[_low:_high + 1] = _number

class Hit(NamedTuple):
    """One match in a phrase view (offsets in the unpadded phrase text)."""

    kind: str  # signal | place | app | role
    key: str  # signal id, place id, app name or role family
    start: int
    end: int


# The compiled lexicon shipped beside the model (rebuilt by `lurewatch train`); used only when
# its fingerprint matches the lexicon files and the code that compiles them.
COMPILED_PATH = LEXICON_DIR.parent / "model" / "lexicon-compiled.json.gz"
_COMPILER_SOURCES = ("matcher.py", "normalize.py", "channels.py", "regex_triggers.py",
                     "catalog.py")


def lexicon_fingerprint(lexicon_dir: Path = LEXICON_DIR) -> str:
    """A hash of the lexicon files and of the code that turns them into an automaton."""
    digest = hashlib.sha256()
    for path in sorted(lexicon_dir.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _COMPILER_SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def _release_freed_memory() -> None:
    """Hand memory freed after reading the compiled lexicon back to the system: parsing it
    leaves tens of megabytes of freed small blocks that would otherwise stay in every scoring
    process (glibc's malloc_trim; elsewhere a no-op)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _read_compiled(path: Path, fingerprint: str) -> dict | None:
    """The compiled lexicon at `path` if it was made from this very lexicon, else None."""
    try:
        with gzip.open(path, "rb") as handle:
            state = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(state, dict) or state.get("fingerprint") != fingerprint:
        return None
    return state


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    id: str
    kind: str  # compound | hotspot_town | hotspot_country
    country: str
    weight: float
    transit: bool = False


def _padded(phrase: str, prefix: bool) -> str:
    """The automaton key: spaces around the phrase where its script needs word boundaries."""
    left = " " if (_SPACED.match(phrase[0]) or _HANGUL.match(phrase[0])) else ""
    right = " " if (_SPACED.match(phrase[-1]) and not prefix) else ""
    return f"{left}{phrase}{right}"


class Matcher:
    """A compiled lexicon: one automaton plus the few regex patterns."""

    def __init__(self, lexicon_dir: Path = LEXICON_DIR,
                 compiled: Path | None = COMPILED_PATH) -> None:
        fingerprint = lexicon_fingerprint(lexicon_dir)
        state = _read_compiled(compiled, fingerprint) if compiled is not None else None
        loaded = state is not None
        if state is None:
            state = self._compile(lexicon_dir)
        self.fingerprint = fingerprint
        self.lexicon_dir = lexicon_dir
        self._adopt(state)
        # Keep the plain lists only when they may be saved (about 20 MB of small objects).
        self.state: dict | None = None if loaded else state
        if loaded:
            del state
            _release_freed_memory()

    def _adopt(self, state: dict) -> None:
        """Build the automaton and the regexes from a compiled lexicon."""
        # Most patterns share their value (same pads, same signal): one object for each
        # distinct value, and one string for each distinct name, instead of tens of thousands.
        unique: dict[tuple, tuple] = {}
        names: dict[str, str] = {}
        values = []
        for left, right, entries, gated in state["values"]:
            value = (bool(left), bool(right),
                     tuple((names.setdefault(kind, kind), names.setdefault(key, key))
                           for kind, key in entries),
                     tuple((names.setdefault(code, code), index) for code, index in gated))
            values.append(unique.setdefault(value, value))
        self.values = values
        self.regexes = [(signal_id, re.compile(pattern))
                        for signal_id, pattern, _ in state["regexes"]]
        self.regex_file = [code for _, _, code in state["regexes"]]
        self.regex_reach = [_reach(pattern) for _, pattern in self.regexes]
        self.regex_sees_end = [_sees_end(pattern) for _, pattern in self.regexes]
        self.ungated = list(state["ungated"])
        self.places = {item[0]: Place(item[0], item[1], item[2], float(item[3]), bool(item[4]))
                       for item in state["places"]}
        self.role_families = list(state["role_families"])
        self.automaton = ahocorasick_rs.AhoCorasick(state["keys"])
        # The automaton's keys are not kept (tens of thousands of strings); their digest tells
        # two matchers apart.
        self.keys_digest = hashlib.sha256(
            "\0".join(state["keys"]).encode("utf-8", "surrogatepass")).hexdigest()

    def save_compiled(self, path: Path = COMPILED_PATH) -> None:
        """Write the compiled lexicon (gzip JSON, with the fingerprint it was made from), so
        that later starts skip parsing and normalising tens of thousands of phrases."""
        state = self.state if self.state is not None else self._compile(self.lexicon_dir)
        payload = json.dumps({"fingerprint": self.fingerprint, **state},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0 keeps the file the same from one training to the next.
        path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))

    def _compile(self, lexicon_dir: Path) -> dict:
        """Read, check and normalise every lexicon file into plain lists."""
        catalog = load_catalog()
        # Regex patterns by the language of the file they come from; see `_regex_buckets`.
        patterns_by_file: dict[str, list[tuple[str, str]]] = {}
        self.places = {}
        self.role_families = []
        keys: dict[str, set[tuple[str, str]]] = {}

        def add(raw: str, kind: str, key: str) -> None:
            prefix = raw.endswith("*")
            phrase = normalise_phrase(raw.rstrip("*"))
            if phrase:
                keys.setdefault(_padded(phrase, prefix), set()).add((kind, key))

        for path in sorted(lexicon_dir.glob("*.toml")):
            if path.stem in _DATA_FILES:
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
                bucket = patterns_by_file.setdefault(path.stem, [])
                for pattern in patterns:
                    re.compile(pattern)  # fail here, naming nothing else, if one is broken
                    bucket.append((signal_id, pattern))
        gates = self._compile_regexes(patterns_by_file)
        self._load_places(lexicon_dir / "places.toml", add)
        self._load_roles(lexicon_dir / "pay.toml", add)
        for app, names in APP_NAMES.items():
            for name in names:
                add(name, "app", app)
                spaced = spelled_out(name)
                if spaced:
                    add(spaced, "app", app)
        # Trigger words of the regexes ride in the same automaton, unpadded: one scan finds
        # phrases and the places where a regex could match.
        for word in gates:
            keys.setdefault(word, set())
        ordered = list(keys)
        return {
            "keys": ordered,
            "values": [[key.startswith(" "), key.endswith(" "), sorted(keys[key]),
                        sorted(gates.get(key, ()))] for key in ordered],
            "regexes": [[signal_id, pattern.pattern, code] for (signal_id, pattern), code
                        in zip(self.regexes, self.regex_file, strict=True)],
            "ungated": self.ungated,
            "places": [[p.id, p.kind, p.country, p.weight, p.transit]
                       for p in self.places.values()],
            "role_families": self.role_families,
        }

    def _compile_regexes(
        self, patterns_by_file: dict[str, list[tuple[str, str]]]
    ) -> dict[str, set[tuple[str, int]]]:
        """Compile the regexes; return, per trigger word, the (file, regex) pairs it gates."""
        self.regexes: list[tuple[str, re.Pattern[str]]] = []
        self.regex_file: list[str] = []
        self.ungated: list[int] = []
        gates: dict[str, set[tuple[str, int]]] = {}
        sample = _trigger_sample()
        cost = rarity_cost(sample) if sample else None
        for code, items in patterns_by_file.items():
            for signal_id, pattern in items:
                index = len(self.regexes)
                self.regexes.append((signal_id, re.compile(pattern)))
                self.regex_file.append(code)
                words = triggers(pattern, cost) if cost else triggers(pattern)
                if not words:
                    self.ungated.append(index)
                    continue
                for word in sorted(words):  # a set: sorted, for the same order every run
                    gates.setdefault(word, set()).add((code, index))
        return gates

    def _load_places(self, path: Path, add) -> None:  # type: ignore[no-untyped-def]
        if not path.exists():
            return
        with open(path, "rb") as handle:
            for item in tomllib.load(handle).get("place", []):
                place = Place(item["id"], item["kind"], item.get("country", ""),
                              float(item.get("weight", 1.0)), bool(item.get("transit", False)))
                self.places[place.id] = place
                for name in item.get("names", []):
                    add(name, "place", place.id)

    def _load_roles(self, path: Path, add) -> None:  # type: ignore[no-untyped-def]
        if not path.exists():
            return
        with open(path, "rb") as handle:
            roles = tomllib.load(handle).get("roles", {})
        for family, words in roles.items():
            self.role_families.append(family)
            for word in words:
                add(word, "role", family)

    def regex_files(self, text: str, language: str) -> set[str]:
        """Regex files worth running on an ad: its language, English for Latin-script ads, and
        any file whose own script appears in the text (regexes cost time; phrases do not)."""
        chosen = {language}
        if language in _LATIN_LANGUAGES:
            chosen.update(_LATIN_NEIGHBOURS.get(language, ("en",)))
        if not text.isascii():
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            present = np.bincount(_FILE_OF_CODE.take(codes, mode="clip"),
                                  minlength=len(_SCRIPT_FILES) + 1)
            chosen.update(code for code, n in zip(_SCRIPT_FILES, present[1:].tolist(),
                                                  strict=True) if n)
        return chosen

    def _run_regex(self, index: int, text: str, start: int, stop: int, hits: list[Hit]) -> None:
        signal_id, pattern = self.regexes[index]
        for match in pattern.finditer(text, start, stop):
            if match.end() > match.start():
                hits.append(Hit("signal", signal_id, match.start(), match.end()))

    def find(self, text: str, language: str = "en", files: set[str] | None = None) -> list[Hit]:
        """Every phrase, place, app and role match and regex match in a phrase-view text.

        `files`: the regex files to run (see `regex_files`); by default chosen from this text.
        """
        hits: list[Hit] = []
        add = hits.append
        padded = f" {text} "
        values = self.values
        if files is None:
            files = self.regex_files(text, language)
        # A gated regex can only match around one of its trigger words: search windows there.
        windows: dict[int, list[tuple[int, int]]] = {}
        for index, first, stop in self.automaton.find_matches_as_indexes(padded, overlapping=True):
            left_pad, right_pad, entries, gated = values[index]
            # Offsets in the padded text, less the pads, less the one leading pad of the text.
            start = first + left_pad - 1
            end = stop - right_pad - 1
            for kind, key in entries:
                add(_new_hit(Hit, (kind, key, start, end)))
            if gated:
                window = (start - _WINDOW_BEFORE if start > _WINDOW_BEFORE else 0,
                          end + _WINDOW_AFTER, end, start)
                for code, regex in gated:
                    if code in files:
                        spans = windows.get(regex)
                        if spans is None:
                            windows[regex] = [window]
                        else:
                            spans.append(window)
        for index in self.ungated:
            if self.regex_file[index] in files:
                self._run_regex(index, text, 0, len(text), hits)
        size = len(text)
        for index, spans in windows.items():
            if len(spans) > 1:
                spans.sort()
                merged = [spans[0]]
                for start, stop, trigger_end, trigger_start in spans[1:]:
                    last = merged[-1]
                    if start <= last[1]:
                        merged[-1] = (last[0], max(last[1], stop), min(last[2], trigger_end),
                                      max(last[3], trigger_start))
                    else:
                        merged.append((start, stop, trigger_end, trigger_start))
                spans = merged
            signal_id, pattern = self.regexes[index]
            reach = self.regex_reach[index]
            sees_end = self.regex_sees_end[index]
            for start, stop, trigger_end, trigger_start in spans:
                # Every match holds a trigger word of the window and is at most `reach` long,
                # so none starts before the first trigger's end less that, and none ends after
                # the last trigger's start plus that: the search runs between the two. (The end
                # stays where it was for patterns that look at it: "$" and lookaheads.)
                if reach:
                    if trigger_end - reach > start:
                        start = trigger_end - reach
                    if not sees_end and trigger_start + reach + 1 < stop:
                        stop = trigger_start + reach + 1
                for match in pattern.finditer(text, start, stop if stop < size else size):
                    first, last = match.span()
                    if last > first:
                        add(_new_hit(Hit, ("signal", signal_id, first, last)))
        # By start, the longer first (two stable sorts on plain keys: no Python call per hit).
        hits.sort(key=_END, reverse=True)
        hits.sort(key=_START)
        return hits


def _trigger_sample() -> str:
    """The corpus ads as phrase-view text: where the trigger words that occur least are found
    (a speed matter only: any trigger set of a regex finds all its matches). "" without it."""
    try:
        examples = load_corpus()
    except (OSError, ValueError):
        return ""
    return "\n".join(normalise_phrase(f"{e.ad.title}\n{e.ad.text}") for e in examples)


def _reach(pattern: re.Pattern[str]) -> int:
    """The longest match a regex can make, or 0 when unbounded or when it can match nothing
    (an empty match holds no trigger word)."""
    low, high = re_parser.parse(pattern.pattern, pattern.flags).getwidth()
    return high if low > 0 and high < re_constants.MAXREPEAT else 0


def _sees_end(pattern: re.Pattern[str]) -> bool:
    """Whether a regex may look past the end of its match ("$", "\\Z", a lookahead), so that
    where the searched text ends can change what it matches ("\\b" looks one character on,
    which the search leaves it)."""
    def walk(items) -> bool:  # type: ignore[no-untyped-def]
        for op, arg in items:
            if op is re_constants.AT and arg in (re_constants.AT_END,
                                                  re_constants.AT_END_STRING,
                                                  re_constants.AT_END_LINE):
                return True
            if op in (re_constants.ASSERT, re_constants.ASSERT_NOT) and arg[0] == 1:
                return True  # a lookahead (direction 1; lookbehinds look back only)
            if op is re_constants.SUBPATTERN and walk(arg[-1]):
                return True
            if op is re_constants.BRANCH and any(walk(branch) for branch in arg[1]):
                return True
            if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT,
                      re_constants.POSSESSIVE_REPEAT) and walk(arg[2]):
                return True
            if op is re_constants.ATOMIC_GROUP and walk(arg):
                return True
        return False

    return walk(re_parser.parse(pattern.pattern, pattern.flags))


# Hits are made by the thousand: tuple.__new__ skips the Python-level constructor.
_new_hit = tuple.__new__
_START = itemgetter(2)
_END = itemgetter(3)


@cache
def default_matcher() -> Matcher:
    """The matcher over the lexicon shipped with the package."""
    return Matcher()

"""Literal words that a regex cannot match without, so costly patterns run only where they can.

A lexicon regex such as `\\bage (?:between )?(?:1[6-9]|2\\d) ...` cannot match a text that lacks
"age". `triggers` walks the parsed pattern and returns one set of literals of which at least one
must occur in any match; the matcher finds all triggers in one automaton scan and runs only the
patterns whose triggers are present. Of the sets a pattern offers, the one whose words are rarest
in a sample of ad text is taken when such a sample is given (each occurrence costs a regex
search), else the one whose shortest word is longest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _constants as C  # noqa: N812
from re import _parser as parser

MIN_TRIGGER = 2


def _literal_run(items: list) -> list[str]:
    """Literal strings formed by consecutive LITERAL items of a sequence."""
    runs, current = [], []
    for op, arg in items:
        if op is C.LITERAL:
            current.append(chr(arg))
        else:
            if current:
                runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _weight(word: str) -> int:
    """How selective a literal is: its length, non-Latin characters counting three."""
    return sum(1 if c.isascii() else 3 for c in word.strip())


def _score(words: set[str]) -> int:
    return min(_weight(w) for w in words) if words else 0


def _leading_literal(items: list) -> str:
    """The literal text a sequence of parsed items starts with ("" when it starts otherwise)."""
    chars = []
    for op, arg in items:
        if op is not C.LITERAL:
            break
        chars.append(chr(arg))
    return "".join(chars)


def _prefixed_branch(items: list) -> set[str] | None:
    """Python's parser factors a common prefix out of alternatives ("y(?:ears old|o)" for
    "years old|yo"): put the prefix back in front of each alternative's leading literal."""
    for k in range(1, len(items)):
        op, arg = items[k]
        if op is C.SUBPATTERN and len(arg[-1]) == 1 and arg[-1][0][0] is C.BRANCH:
            op, arg = arg[-1][0]
        if op is not C.BRANCH or items[k - 1][0] is not C.LITERAL:
            continue
        prefix = _leading_literal(list(reversed(items[:k])))[::-1]
        words = {prefix + _leading_literal(list(branch)) for branch in arg[1]}
        if all(w.strip() for w in words):
            return words
    return None


Cost = Callable[[set[str]], float]  # lower is better


def _by_length(words: set[str]) -> float:
    return -_score(words)


def _alternatives(items: list, cost: Cost = _by_length) -> set[str] | None:
    """Literals of which one must occur in a match of this sequence of parsed items (of the
    sets that qualify, the cheapest)."""
    if len(items) == 1 and items[0][0] is C.BRANCH:
        words: set[str] = set()
        for branch in items[0][1][1]:
            found = _alternatives(list(branch), cost)
            if not found:
                return None
            words |= found
        return words
    candidates: list[set[str]] = [{run} for run in _literal_run(items)]
    prefixed = _prefixed_branch(items)
    if prefixed:
        candidates.append(prefixed)
    for op, arg in items:
        if op is C.SUBPATTERN:
            found = _alternatives(list(arg[-1]), cost)
        elif op is C.BRANCH:
            found = _alternatives([(op, arg)], cost)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
            found = _alternatives(list(arg[2]), cost)
        else:
            found = None
        if found:
            candidates.append(found)
    # Sets with a word too short to be selective are never taken.
    candidates = [words for words in candidates if _score(words) >= MIN_TRIGGER]
    if not candidates:
        return None
    return min(candidates, key=lambda words: (cost(words), -_score(words), sorted(words)))


def rarity_cost(sample: str) -> Cost:
    """A cost for `triggers`: how often the words of a set occur in a sample of (cleaned,
    phrase-view) ad text, as substrings, which is how the matcher's automaton finds them."""
    counts: dict[str, int] = {}

    def cost(words: set[str]) -> float:
        total = 0
        for word in words:
            word = word.strip()
            if word not in counts:
                counts[word] = sample.count(word)
            total += counts[word]
        return total

    return cost


def triggers(pattern: str, cost: Cost = _by_length) -> set[str] | None:
    """Literals of which one must occur in any match of `pattern`; None when none can be told.
    `cost` chooses among the sets a pattern offers (see `rarity_cost`)."""
    try:
        parsed = parser.parse(pattern)
    except re.error:
        return None
    found = _alternatives(list(parsed), cost)
    if not found or _score(found) < MIN_TRIGGER:
        return None
    return {w.strip() for w in found if w.strip()} or None

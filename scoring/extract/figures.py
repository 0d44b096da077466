"""Where figures stand in a text, found once with a code-point table for the extractors that
read numbers (pay, phone numbers), so that neither scans the whole text with a regex."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from scoring.text_index import IS_DIGIT

_PLUS = 43  # "+"


class Figures(NamedTuple):
    """Positions in one text: every digit, and where a phone-like figure may start (the first
    digit of a run, and every "+")."""

    digits: list[int]
    run_starts: list[int]


def find_figures(text: str) -> Figures | None:
    """Figure positions of a text; None when it holds characters beyond the Basic Multilingual
    Plane, whose digits the table does not cover (the extractors then scan as before)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not len(codes):
        return Figures([], [])
    if codes.max() > 0xFFFF:
        return None
    digits = IS_DIGIT.take(codes).nonzero()[0]
    plus = (codes == _PLUS).nonzero()[0]
    if not len(digits):
        return Figures([], plus.tolist())
    first = digits[np.concatenate(([True], digits[1:] != digits[:-1] + 1))]
    starts = np.union1d(first, plus) if len(plus) else first
    return Figures(digits.tolist(), starts.tolist())


def matches_from(pattern, text: str, starts: list[int]) -> Iterator:  # type: ignore[no-untyped-def]
    """What `pattern.finditer(text)` gives, for a pattern that cannot match empty and can only
    start at one of the sorted `starts`: each is tried once, skipping those inside a match."""
    k = 0
    size = len(starts)
    while k < size:
        match = pattern.match(text, starts[k])
        if match is None:
            k += 1
            continue
        yield match
        k = bisect_left(starts, match.end(), k + 1)

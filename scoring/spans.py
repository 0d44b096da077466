"""Evidence spans: maps spans of an ad's phrase view or cleaned view to its original fields."""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from scoring.normalize import PhraseView, phrase_span_to_clean


class Evidence(NamedTuple):
    """A span of an original field that made a signal fire."""

    field: str
    start: int
    end: int
    text: str


class SpanMap:
    """One ad's chain of maps (phrase text -> cleaned text -> joined original -> field), bound
    once for its dozens of hits. The first two steps are PhraseView's and View's own mappings
    (`phrase_span_to_clean`, `View.to_original`); the field lookup is done here."""

    __slots__ = ("_phrase", "_phrase_at", "_clean_at", "_view", "_names", "_starts", "_sizes",
                 "_originals")

    def __init__(self, pview: PhraseView, names: list[str], values: list[str],
                 starts: list[int], originals: list[str]) -> None:
        view = pview.view
        self._phrase = pview.text
        self._phrase_at = pview.phrase_at
        self._clean_at = pview.clean_at
        self._view = view
        self._names = names
        self._starts = starts  # start of each field in the joined original
        self._sizes = [len(value) for value in values]  # analysed length of each field
        self._originals = originals  # each field as the ad holds it, for the quoted text

    def from_phrase(self, start: int, end: int) -> Evidence:
        """Evidence for a span of the phrase text (PhraseView.to_original, then the field)."""
        text = self._phrase
        if not text:
            return self.from_clean(0, 0, False)
        return self.from_clean(*phrase_span_to_clean(text, self._phrase_at, self._clean_at,
                                                     start, end))

    def from_clean(self, start: int, end: int, mapped: bool = True) -> Evidence:
        """Evidence for a span of the cleaned text (View.to_original, then the field);
        `mapped=False` takes the span as one of the joined original already."""
        if mapped and self._view.clean_at:
            start, end = self._view.to_original(start, end)
        starts = self._starts
        i = bisect_right(starts, start) - 1
        if i < 0:
            i = 0
        offset, size = starts[i], self._sizes[i]
        # Clipped to the field, as min(max(x, 0), size).
        start -= offset
        start = 0 if start < 0 else size if start > size else start
        end -= offset
        end = 0 if end < 0 else size if end > size else end
        return Evidence(self._names[i], start, end, self._originals[i][start:end])

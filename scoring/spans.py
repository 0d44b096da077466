"""Evidence spans: maps spans of an ad's phrase view or cleaned view to its original fields."""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from scoring.normalize import PhraseView


class Evidence(NamedTuple):
    """A span of an original field that made a signal fire."""

    field: str
    start: int
    end: int
    text: str


class SpanMap:
    """One ad's chain of maps (phrase text -> cleaned text -> joined original -> field), bound
    once. An ad has dozens of hits; going through PhraseView.to_original, View.to_original and
    a field lookup cost each of them several calls. Gives exactly what that chain gives."""

    __slots__ = ("_phrase", "_phrase_at", "_clean_at", "_view_at", "_orig_at", "_original_size",
                 "_names", "_starts", "_sizes", "_originals")

    def __init__(self, pview: PhraseView, names: list[str], values: list[str],
                 starts: list[int], originals: list[str]) -> None:
        view = pview.view
        self._phrase = pview.text
        self._phrase_at = pview.phrase_at
        self._clean_at = pview.clean_at
        self._view_at = view.clean_at  # change points of the cleaned view (empty: none)
        self._orig_at = view.orig_at
        self._original_size = len(view.original)
        self._names = names
        self._starts = starts  # start of each field in the joined original
        self._sizes = [len(value) for value in values]  # analysed length of each field
        self._originals = originals  # each field as the ad holds it, for the quoted text

    def from_phrase(self, start: int, end: int) -> Evidence:
        """Evidence for a span of the phrase text (PhraseView.to_original, then the field)."""
        text = self._phrase
        if not text:
            return self.from_clean(0, 0, False)
        # PhraseView.clean_span: spaces at the ends of the span are left out.
        while start < end - 1 and text[start] == " ":
            start += 1
        last = end - 1 if end - 1 > start else start
        while last > start and text[last] == " ":
            last -= 1
        phrase_at, clean_at = self._phrase_at, self._clean_at
        k = bisect_right(phrase_at, start) - 1
        c_start = clean_at[k] + start - phrase_at[k]
        k = bisect_right(phrase_at, last) - 1
        return self.from_clean(c_start, clean_at[k] + last - phrase_at[k] + 1)

    def from_clean(self, start: int, end: int, mapped: bool = True) -> Evidence:
        """Evidence for a span of the cleaned text (View.to_original, then the field);
        `mapped=False` takes the span as one of the joined original already."""
        if mapped and self._view_at:
            o_start = self._point(start)
            o_end = self._point(end - 1) + 1 if end > start else o_start
            start, end = o_start, (o_end if o_end > o_start else o_start)
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

    def _point(self, position: int) -> int:
        """View._point: the original position of a cleaned-text position."""
        clean_at, orig_at = self._view_at, self._orig_at
        k = bisect_right(clean_at, position) - 1
        if k < 0:
            return position
        base = orig_at[k]
        following = orig_at[k + 1] if k + 1 < len(orig_at) else self._original_size
        cap = following - 1 if following - 1 > base else base
        mapped = base + position - clean_at[k]
        return mapped if mapped < cap else cap

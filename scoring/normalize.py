"""Normalised views of ad text that keep a map back to the original characters.

Evasion-resistant matching needs a cleaned text (NFKC, case-folded, zero-width characters gone,
look-alike letters folded) while evidence spans must index the text the poster wrote. A `View`
holds the cleaned text and maps any span of it back to the original field.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

from scoring.code_points import bmp_mask


def _ranges_to_class(codes: list[int]) -> str:
    """A regex character-class body for a sorted list of code points."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


def _mark_class() -> str:
    """Class of all combining marks (Mn, Mc, Me), for the slow path's character clusters."""
    return _ranges_to_class(
        [code for code in range(0x300, 0x20000) if unicodedata.category(chr(code))[0] == "M"]
    )


_MARKS = _mark_class()
# A token: letters, digits and combining marks (Thai, Burmese, Khmer, Devanagari need the marks).
# Letters and digits (\w) plus the combining marks of the scripts we read, given as whole
# blocks less their punctuation (danda, Burmese and Khmer full stops): a short class is a fast one.
_WORD_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0963"
    "\u0966-\u0dff\u0e00-\u0e4e\u0e50-\u0eff\u1000-\u1049\u104c-\u109f\u1780-\u17d3"
    "\u17d7\u17dc-\u17ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
)
TOKEN_RE = re.compile(f"[\\w{_WORD_MARKS}]+")  # run on text whose underscores became spaces
# Format characters used to break words invisibly: zero-width space/joiners, BOM, soft hyphen...
# and lone surrogates (undecodable bytes), which are dropped too.
_INVISIBLE_RE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                           "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
                           "\ud800-\udfff]")


def _nfkc_changes() -> tuple[str, str]:
    """Classes of the characters NFKC turns into more than one ("…", "㎡", ligatures, "½"...)
    and of those it turns into one other character (full-width punctuation, "ｆａｎｃｙ" letters).
    CJK ideographs and Hangul syllables never change, so their blocks are skipped to keep
    start-up quick."""
    spans = (range(0xA0, 0x4E00), range(0xA000, 0xAC00), range(0xD7A4, 0xD800),
             range(0xF900, 0x10000), range(0x1D400, 0x1D800), range(0x1F100, 0x1F200),
             range(0x2F800, 0x2FA20))
    normalize = unicodedata.normalize
    expands, swaps = [], []
    for span in spans:
        for code in span:
            char = chr(code)
            normal = normalize("NFKC", char)
            if len(normal) > 1:
                expands.append(code)
            elif normal != char:
                swaps.append(code)
    return _ranges_to_class(expands), _ranges_to_class(swaps)


_EXPANDS, _SWAPS = _nfkc_changes()
# Characters whose cleaning changes the length of the text: NFKC expands them, or they are
# invisible and dropped. Every other NFKC change is one character for one.
_RESIZING_RE = re.compile(f"[{_EXPANDS}]|{_INVISIBLE_RE.pattern}")
# Every character cleaning changes on its own: those above and the one-for-one NFKC changes.
_CHANGING_RE = re.compile(f"[{_EXPANDS}{_SWAPS}]|{_INVISIBLE_RE.pattern}")
# A grapheme-ish cluster: a base character with the combining marks that follow it.
_CLUSTER_RE = re.compile(rf"(?s).[{_MARKS}]*")
_LATIN_RE = re.compile(r"[a-zA-Z]")
_CONFUSABLE_RE = re.compile("[\u0370-\u03ff\u0400-\u04ff]")

# Cyrillic and Greek letters that look like Latin ones, used to hide words from filters.
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ɡ": "g",
    "ԛ": "q", "ԝ": "w", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ү": "y", "ӏ": "l",
})


@dataclass
class View:
    """A cleaned text with the map from its positions to positions in the original."""

    original: str
    text: str
    # Change points: at cleaned position clean_at[k] the original position is orig_at[k].
    clean_at: list[int] = field(default_factory=list)
    orig_at: list[int] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the cleaned text to the smallest span of the original covering it."""
        if not self.clean_at:
            return start, end
        o_start = self._point(start)
        o_end = self._point(end - 1) + 1 if end > start else o_start
        return o_start, max(o_end, o_start)

    def _point(self, pos: int) -> int:
        """The original position of a cleaned-text position (called for every evidence span:
        conditional expressions rather than min and max)."""
        clean_at, orig_at = self.clean_at, self.orig_at
        k = bisect_right(clean_at, pos) - 1
        if k < 0:
            return pos
        base = orig_at[k]
        following = orig_at[k + 1] if k + 1 < len(orig_at) else len(self.original)
        cap = following - 1 if following - 1 > base else base
        mapped = base + pos - clean_at[k]
        return mapped if mapped < cap else cap


def is_word_char(char: str) -> bool:
    """A letter, digit or underscore: what `\\w` means, for boundary checks by hand."""
    return char.isalnum() or char == "_"


def clean(text: str) -> View:
    """NFKC, case-fold, drop invisible characters and fold homoglyphs, keeping the offset map."""
    if text.isascii():
        # NFKC leaves ASCII alone, none of it is invisible or a look-alike of another script,
        # and lower-casing it keeps the length.
        return View(text, text.lower())
    nfkc = unicodedata.is_normalized("NFKC", text)
    if nfkc and not _INVISIBLE_RE.search(text) and not (
            _CONFUSABLE_RE.search(text) and _LATIN_RE.search(text)):
        lowered = _lower(text)
        if len(lowered) == len(text):
            return View(text, lowered)
    # An NFKC text is also an NFC one; a text that is not NFC may hold decomposed characters.
    if nfkc or unicodedata.is_normalized("NFC", text):
        view = _clean_specials(text, nfkc)
    else:
        view = _clean_clusters(text)
    if _CONFUSABLE_RE.search(view.text) and _LATIN_RE.search(view.text):
        view.text = _fold_mixed_script_tokens(view.text)
    return view


def _lower(text: str) -> str:
    """Lower case, with the Turkish dotted capital I as a plain "i" (as `_clean_clusters` has
    it): str.lower adds a combining dot, which would change the length of the text."""
    if "\u0130" in text:
        text = text.replace("\u0130", "I")
    return text.lower()


# Character -> what _clean_specials puts in its place, worked out once per character (a text
# in Khmer or Burmese can hold hundreds of zero-width spaces).
_REPLACEMENTS: dict[str, str] = {}


def _clean_specials(text: str, nfkc: bool) -> View:
    """Clean an NFC text (`nfkc`: already NFKC): each character that cleaning changes on its
    own is replaced with its NFKC form (or dropped, if invisible), with change points around
    those that change the length. When the result is NFKC it is what NFKC of the whole text
    gives, since both decompose to the same characters; otherwise NFKC runs over it all."""
    pieces: list[str] = []
    clean_at: list[int] = [0]
    orig_at: list[int] = [0]
    last = 0
    shift = 0  # cleaned position minus original position, after the last replacement
    pattern = _INVISIBLE_RE if nfkc else _CHANGING_RE
    for match in pattern.finditer(text):
        at = match.start()
        char = match.group()
        replacement = _REPLACEMENTS.get(char)
        if replacement is None:
            replacement = _REPLACEMENTS[char] = (
                "" if _INVISIBLE_RE.match(char) else unicodedata.normalize("NFKC", char))
        pieces.append(text[last:at])
        pieces.append(replacement)
        last = at + 1
        if len(replacement) != 1:
            clean_at.append(at + shift)
            orig_at.append(at)
            shift += len(replacement) - 1
            clean_at.append(at + 1 + shift)
            orig_at.append(at + 1)
    resized = "".join(pieces) + text[last:] if pieces else text
    if unicodedata.is_normalized("NFKC", resized):
        cleaned = resized
    else:
        cleaned = unicodedata.normalize("NFKC", resized)
    lowered = _lower(cleaned)
    if len(cleaned) != len(resized) or len(lowered) != len(cleaned):
        return _clean_clusters(text)  # characters that compose or case-fold into others
    return View(text, lowered, clean_at, orig_at)


def _clean_clusters(text: str) -> View:
    """The general path: NFKC each character cluster on its own (handles decomposed text)."""
    pieces: list[str] = []
    clean_at: list[int] = []
    orig_at: list[int] = []
    pos = 0
    for match in _CLUSTER_RE.finditer(text):
        chunk = match.group()
        if _INVISIBLE_RE.search(chunk):
            chunk = _INVISIBLE_RE.sub("", chunk)
            if not chunk:
                continue
        # Turkish dotted capital I lower-cases to "i" plus a combining dot: keep the plain "i".
        normal = unicodedata.normalize("NFKC", chunk).lower().replace("i\u0307", "i")
        if not normal:
            continue
        clean_at.append(pos)
        orig_at.append(match.start())
        pieces.append(normal)
        pos += len(normal)
    return View(text, "".join(pieces), clean_at, orig_at)


# A Latin letter next to a Cyrillic or Greek one: the mark of a word written with look-alikes.
_MIXED_PAIR_RE = re.compile(r"[a-z][\u0370-\u04ff]|[\u0370-\u04ff][a-z]")


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _fold_mixed_script_tokens(text: str) -> str:
    """Fold Cyrillic/Greek look-alikes to Latin inside words that also hold Latin letters."""
    pieces: list[str] = []
    done = 0
    for pair in _MIXED_PAIR_RE.finditer(text):
        if pair.start() < done:
            continue  # inside a word already folded
        start, end = pair.start(), pair.end()
        while start > 0 and _is_letter(text[start - 1]):
            start -= 1
        while end < len(text) and _is_letter(text[end]):
            end += 1
        pieces.append(text[done:start])
        pieces.append(text[start:end].translate(_HOMOGLYPHS))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


@dataclass
class PhraseView:
    """Tokens of a cleaned text joined by single spaces: what lexicon phrases match against.

    Every run of separators became one space, so positions map back to the cleaned text through
    change points kept after each run longer than one character.
    """

    view: View
    text: str
    phrase_at: list[int]  # change points: phrase position phrase_at[k] ...
    clean_at: list[int]  # ... is cleaned-text position clean_at[k]

    def phrase_position(self, clean_position: int) -> int:
        """The phrase-text position of a cleaned-text position (the next token's start when
        the position falls among separators)."""
        k = bisect_right(self.clean_at, clean_position) - 1
        if k < 0:
            return 0
        offset = clean_position - self.clean_at[k]
        end = self.phrase_at[k + 1] if k + 1 < len(self.phrase_at) else len(self.text)
        return min(self.phrase_at[k] + offset, end)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the phrase text back to the original text."""
        if not self.text:
            return 0, 0
        c_start, c_end = self.clean_span(start, end)
        if not self.view.clean_at:
            return c_start, c_end
        return self.view.to_original(c_start, c_end)

    def clean_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the phrase text to the cleaned text."""
        return phrase_span_to_clean(self.text, self.phrase_at, self.clean_at, start, end)


def phrase_span_to_clean(text: str, phrase_at: list[int], clean_at: list[int], start: int,
                         end: int) -> tuple[int, int]:
    """A span of a phrase text in its cleaned text, given the phrase view's change points;
    spaces at the ends of the span are left out."""
    while start < end - 1 and text[start] == " ":
        start += 1
    last = end - 1 if end - 1 > start else start
    while last > start and text[last] == " ":
        last -= 1
    k = bisect_right(phrase_at, start) - 1
    c_start = clean_at[k] + start - phrase_at[k]
    k = bisect_right(phrase_at, last) - 1
    return c_start, clean_at[k] + last - phrase_at[k] + 1


def _token_table() -> np.ndarray:
    """Code point (Basic Multilingual Plane) -> whether TOKEN_RE takes it into a token. "_" is
    not taken: the phrase view reads it as a space."""
    table = bmp_mask(TOKEN_RE)
    table[ord("_")] = False
    return table


_IS_TOKEN = _token_table()


def phrase_view(view: View) -> PhraseView:
    """Split a cleaned view into tokens and join them with single spaces."""
    text = view.text
    if not text:
        return PhraseView(view, "", [0], [0])
    # One table lookup per character: scanning with TOKEN_RE and the separator patterns tests
    # Unicode classes character by character and took several times longer.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    is_token = _IS_TOKEN.take(codes, mode="clip")
    if not text.isascii() and codes.max() > 0xFFFF:  # emoji and the like: asked one by one
        for i in np.flatnonzero(codes > 0xFFFF).tolist():
            is_token[i] = TOKEN_RE.match(text, i) is not None
    size = len(codes)
    flags = is_token.view(np.int8)
    step = flags[1:] - flags[:-1]
    # Runs of separators: [starts[k], stops[k]).
    starts = (step == -1).nonzero()[0] + 1
    stops = (step == 1).nonzero()[0] + 1
    if not is_token[0]:
        starts = np.concatenate(([0], starts))
    if not is_token[-1]:
        stops = np.concatenate((stops, [size]))
    lead = int(stops[0]) if not is_token[0] else 0
    # The tokens with one space for each run between two of them.
    keep = is_token.copy()
    keep[starts[(starts > 0) & (stops < size)]] = True
    phrase = np.where(is_token, codes, _SPACE)[keep].tobytes().decode("utf-32-le",
                                                                     "surrogatepass")
    # A change point after each run longer than one character (but the leading run).
    long_runs = (stops - starts > 1) & (starts > 0)
    ends = stops[long_runs]
    shrink = lead + (ends - starts[long_runs] - 1).cumsum()
    return PhraseView(view, phrase, [0, *(ends - shrink).tolist()], [lead, *ends.tolist()])


_SPACE = np.uint32(ord(" "))


def normalise_phrase(phrase: str) -> str:
    """Normalise a lexicon phrase the same way ad text is normalised."""
    return phrase_view(clean(phrase)).text

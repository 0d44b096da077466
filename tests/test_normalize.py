"""The cleaned view of ad text: NFKC, invisible characters dropped, and offsets kept."""

from __future__ import annotations

import random
import unicodedata

from scoring.normalize import clean

_INVISIBLE = "\u200b\u200c\u200d\ufe0f\u00ad\u2060"
# Pieces that exercise each path: ASCII, full-width punctuation and letters, Thai and Lao vowels
# NFKC splits, ligatures, decomposed accents, Hangul jamo, emoji sequences, look-alike letters.
_PIECES = ["job", "Telegram", "123", "，", "：", "（", "）", "ำ", "ຳ", "㎡", "…", "ﬁ", "Ｌｉｎｅ",
           "e\u0301", "a\u0300\u0323", "\u1100\u1161", "\u09c7\u09be", "中文", "한국", "ก่",
           "\U0001F600", "👨\u200d👩\u200d👧", "ｶﾞ", "\u212b", "İ", "ß", " ", "\n", "  ",
           *_INVISIBLE]


# Pairs that NFKC composes although they are separate character clusters: cleaning works
# cluster by cluster and keeps them apart (half-width kana and its voicing mark, Hangul jamo).
_APART = ("ｶﾞ", "\u1100\u1161")


def _texts(count: int, pieces: list[str] = _PIECES) -> list[str]:
    rng = random.Random(5)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def test_cleaned_text_is_nfkc_lower_case_without_invisible_characters():
    for text in _texts(3000, [piece for piece in _PIECES if piece not in _APART]):
        expected = unicodedata.normalize(
            "NFKC", "".join(c for c in text if c not in _INVISIBLE)).lower()
        cleaned = clean(text).text
        # Lower-casing "İ" adds a combining dot that cleaning leaves out.
        assert cleaned == expected.replace("i\u0307", "i"), repr(text)


def test_every_cleaned_span_maps_inside_the_original():
    for text in _texts(1500):
        view = clean(text)
        for start in range(len(view.text)):
            o_start, o_end = view.to_original(start, start + 1)
            assert 0 <= o_start < o_end <= len(text), repr(text)
        words = view.text.split()
        if words and "telegram" in view.text:
            at = view.text.index("telegram")
            o_start, o_end = view.to_original(at, at + len("telegram"))
            assert text[o_start:o_end].lower().replace("\u00ad", "") == "telegram"

"""Language of an ad, by CLD2 (pycld2, whose model is compiled into the library), with a script
count as the fallback when CLD2 is unsure or refuses the text."""

from __future__ import annotations

import re

import numpy as np
import pycld2

from scoring.code_points import bmp_mask

# Scripts that name one of our languages outright.
_SCRIPTS: list[tuple[str, re.Pattern[str]]] = [
    ("my", re.compile(r"[\u1000-\u109f\uaa60-\uaa7f]")),
    ("km", re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("lo", re.compile(r"[\u0e80-\u0eff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
]
_LETTER = re.compile(r"[^\W\d_]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# CLD2 codes that lurewatch reports under another name.
_ALIASES = {"zh-Hant": "zh", "iw": "he", "jw": "jv", "fil": "tl"}
# Languages with a lexicon or a corpus in lurewatch.
KNOWN_LANGUAGES = frozenset({
    "en", "zh", "vi", "th", "id", "ms", "tl", "my", "km", "hi", "sw", "es", "ru", "ko", "lo",
    "bn", "ne", "si", "ur", "ar", "fr", "pt", "am", "tr",
})


# Scripts that only one language lurewatch reads is written in: when at least half the letters of
# a text are in one of them, the language is known without asking CLD2, which takes several
# times longer (on 2,700 corpus, real and benchmark texts CLD2 named that language every time).
_OWN_SCRIPTS = (("th", 0x0E00, 0x0E7F), ("lo", 0x0E80, 0x0EFF), ("my", 0x1000, 0x109F),
                ("km", 0x1780, 0x17FF), ("ko", 0xAC00, 0xD7AF), ("si", 0x0D80, 0x0DFF),
                ("am", 0x1200, 0x139F))
OWN_SCRIPT_SHARE = 0.5
OWN_SCRIPT_MIN_LETTERS = 20


def _letter_table() -> np.ndarray:
    """Code point (Basic Multilingual Plane) -> 0 for no letter, 1 for a letter of another
    script, 2 + k for a letter or mark of the k-th script of _OWN_SCRIPTS."""
    table = bmp_mask(re.compile(r"[^\W\d_]+")).astype(np.uint8)
    for k, (_, low, high) in enumerate(_OWN_SCRIPTS):
        table[low:high + 1] = 2 + k
    return table


def _own_script_language(sample: str) -> str:
    """The language of a script only it is written in, when most of the letters are in it."""
    if sample.isascii():
        return ""
    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.bincount(_LETTERS.take(codes, mode="clip"), minlength=2 + len(_OWN_SCRIPTS))
    letters = int(counts[1:].sum())
    best = int(counts[2:].argmax())
    if letters >= OWN_SCRIPT_MIN_LETTERS and counts[2 + best] >= OWN_SCRIPT_SHARE * letters:
        return _OWN_SCRIPTS[best][0]
    return ""


def _by_script(sample: str) -> str:
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return "und"
    best, best_count = "", 0
    for code, pattern in _SCRIPTS:
        count = len(pattern.findall(sample))
        if count > best_count:
            best, best_count = code, count
    if best and best_count >= 0.3 * letters:
        return best
    return "und"


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of `text`, or "und" when it cannot be told."""
    sample = _SURROGATES.sub("", text[:1000])
    own = _own_script_language(sample)
    if own:
        return own
    try:
        reliable, _, details = pycld2.detect(sample)
    except pycld2.error:
        return _by_script(sample)
    code = details[0][1]
    if code in ("un", "xxx"):
        # Too short for CLD2's own threshold: take its best effort, but only among the
        # languages lurewatch reads (a short Spanish title is not Guarani).
        try:
            _, _, guesses = pycld2.detect(sample, bestEffort=True)
        except pycld2.error:
            guesses = ()
        for _, guess, percent, _ in guesses:
            guess = _ALIASES.get(guess, guess)
            if guess in KNOWN_LANGUAGES and percent >= 30:
                return guess
    if code in ("un", "xxx") or (not reliable and details[0][2] < 50):
        fallback = _by_script(sample)
        if fallback != "und" or code in ("un", "xxx"):
            return fallback
    return _ALIASES.get(code, code)


_LETTERS = _letter_table()

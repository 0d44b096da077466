"""Language of an ad: script counts first, then py3langid (which ships its model) for the rest."""

from __future__ import annotations

import re
from functools import cache

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
_LATIN_CANDIDATES = ("en", "es", "vi", "id", "ms", "tl", "sw", "fr", "pt", "de", "it", "nl", "tr")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(list(_LATIN_CANDIDATES))
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of `text`, or "und" when there is too little."""
    sample = text[:600]
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return "und"
    best, best_count = "", 0
    for code, pattern in _SCRIPTS:
        count = len(pattern.findall(sample))
        if count > best_count:
            best, best_count = code, count
    weight = 2 if best in ("zh", "ja") else 1
    if best and best_count * weight >= 0.3 * letters:
        if best == "zh" and _SCRIPTS[5][1].search(sample):
            return "ja"
        return best
    code, _ = _identifier().classify(sample)
    return str(code)

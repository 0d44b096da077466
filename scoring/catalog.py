"""The signal catalogue: ids, groups, polarity and plain-language messages in the UI languages."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicon"
UI_LANGUAGES = ("en", "my", "vi", "th", "id", "tl", "zh", "km", "sw", "es")
# Groups whose signals raise risk; independent evidence for `high` is counted over these.
RISK_GROUPS = (
    "offer", "provisions", "requirements", "process", "visa_route", "employer", "channel",
    "destination", "fees", "role", "code_words", "scam",
)


@dataclass(frozen=True)
class SignalSpec:
    """One entry of the catalogue."""

    id: str
    group: str
    polarity: str  # "risk" or "safe"
    source: str  # "phrases", "extractor" or "model" (the text model's share, not a feature)
    messages: dict[str, str]

    def message(self, language: str = "en") -> str:
        """The message in `language`, falling back to English."""
        base = language.split("-")[0].lower() if language else "en"
        return self.messages.get(base) or self.messages["en"]


@cache
def load_catalog() -> dict[str, SignalSpec]:
    """Read catalog.toml once."""
    with open(LEXICON_DIR / "catalog.toml", "rb") as handle:
        raw = tomllib.load(handle)["signals"]
    specs: dict[str, SignalSpec] = {}
    for signal_id, entry in raw.items():
        messages = {lang: entry[lang] for lang in UI_LANGUAGES if entry.get(lang)}
        specs[signal_id] = SignalSpec(
            id=signal_id,
            group=entry["group"],
            polarity=entry["polarity"],
            source=entry["source"],
            messages=messages,
        )
    return specs


def signal_ids() -> list[str]:
    """Signal ids in catalogue order (the model's signal feature order), less the entry that
    explains the text model's share."""
    return [signal_id for signal_id, spec in load_catalog().items() if spec.source != "model"]


WORDING_SIGNAL = "wording.text_model"

"""Feature vectors for the model: signal features (with group combinations) and text tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from scoring.catalog import load_catalog, signal_ids
from scoring.signals import Detection
from scoring.text_index import DIGITS, NO_SPACE_RANGES, TextIndex

_NO_SPACE_PAIRS = re.compile(
    "(?=([" + "".join(f"{chr(low)}-{chr(high)}" for low, high in NO_SPACE_RANGES) + "]{2}))"
)

STRONG_ROUTE = ("visa_route", "destination.compound", "destination.hotspot_town")


@dataclass(frozen=True)
class Combination:
    """A feature that fires when several groups are present together."""

    name: str
    members: tuple[str, ...]  # groups (or signal ids) whose signals share its contribution
    polarity: str = "risk"  # "safe" combinations can only lower the score


COMBINATIONS = (
    Combination("combo.offer_and_route", ("offer", *STRONG_ROUTE)),
    Combination("combo.core_pattern",
                ("offer", "requirements", "role", "visa_route", "destination", "channel",
                 "employer")),
    Combination("combo.provisions_with_risk", ("provisions",)),
    Combination("combo.fees_and_opacity", ("fees", "employer", "channel")),
    Combination("combo.breadth", ()),
    # A warning that quotes many lure phrases: the more it quotes, the more it must take back.
    Combination("combo.warning_context", ("warning",), polarity="safe"),
)


def feature_names() -> list[str]:
    """Names of the signal-block columns, in order."""
    return signal_ids() + [combo.name for combo in COMBINATIONS]


# Signals too common in fair ads to count as independent evidence on their own (domain.md:
# provisions are neutral alone, hotspot countries a weak modifier, urgency and age lines common).
WEAK_SIGNALS = frozenset({
    "provisions.free_travel", "provisions.free_board", "role.lure_role",
    "destination.hotspot_country", "employer.unnamed", "requirements.age_gender_looks",
    "process.urgent_departure", "requirements.no_experience",
})


def risk_groups(detection: Detection, strong_only: bool = False) -> set[str]:
    """Groups of the risk signals present (only those with a strong signal, if asked)."""
    groups, strong = risk_group_sets(detection)
    return strong if strong_only else groups


@cache
def _risk_signals() -> dict[str, tuple[str, bool]]:
    """Risk signal id -> (group, whether it is strong): looked up for every signal of every
    ad, so read from the catalogue once."""
    return {signal_id: (spec.group, signal_id not in WEAK_SIGNALS)
            for signal_id, spec in load_catalog().items() if spec.polarity == "risk"}


def risk_group_sets(detection: Detection) -> tuple[set[str], set[str]]:
    """(groups, groups with a strong signal) of the risk signals present, in one pass."""
    risk = _risk_signals()
    catalog = load_catalog()
    groups: set[str] = set()
    strong: set[str] = set()
    for signal_id in detection.evidence:
        entry = risk.get(signal_id)
        if entry is None:
            if signal_id not in catalog:
                raise KeyError(signal_id)
            continue
        groups.add(entry[0])
        if entry[1]:
            strong.add(entry[0])
    return groups, strong


def evidence_weight(detection: Detection,
                    group_sets: tuple[set[str], set[str]] | None = None) -> float:
    """Independent evidence for `high`: one per group with a strong signal, a half per group
    seen only through weak signals (a generic role, a hotspot country, free housing...).
    `group_sets`: risk_group_sets(detection), when already known."""
    groups, strong = group_sets or risk_group_sets(detection)
    return len(strong) + 0.5 * len(groups - strong)


def combination_values(detection: Detection,
                       group_sets: tuple[set[str], set[str]] | None = None) -> dict[str, float]:
    """Value of each combination feature for one ad (`group_sets` as for evidence_weight)."""
    groups, strong = group_sets or risk_group_sets(detection)
    present = detection.evidence.keys()
    route = "visa_route" in groups or bool(
        present & {"destination.compound", "destination.hotspot_town"}
    )
    anywhere = route or "destination" in groups
    broad = strong
    return {
        "combo.offer_and_route": float("offer" in groups and route),
        "combo.core_pattern": float(
            "offer" in groups
            and bool(groups & {"requirements", "role"})
            and anywhere
            and bool(groups & {"channel", "employer"})
        ),
        "combo.provisions_with_risk": float("provisions" in groups and len(broad) >= 2),
        "combo.fees_and_opacity": float(
            "fees" in groups and bool(groups & {"employer", "channel"})
        ),
        "combo.breadth": min(len(broad), 8) / 8.0,
        "combo.warning_context": float("warning.awareness" in present) * min(len(groups), 8) / 8.0,
    }


@cache
def _signal_index() -> dict[str, int]:
    return {signal_id: i for i, signal_id in enumerate(signal_ids())}


def signal_vector(detection: Detection, combos: dict[str, float] | None = None) -> np.ndarray:
    """The signal block for one ad (`combos`: its combination_values, when already known)."""
    index = _signal_index()
    width = len(index)
    row = np.zeros(width + len(COMBINATIONS), dtype=np.float64)
    for signal_id, strength in detection.strength.items():
        row[index[signal_id]] = strength
    if combos is None:
        combos = combination_values(detection)
    for k, combo in enumerate(COMBINATIONS):
        row[width + k] = combos[combo.name]
    return row


def text_tokens(text: str) -> list[str]:
    """Words, word pairs and character pairs of scripts written without spaces.

    Digits are left out: numbers say little about a lure that the salary and
    contact extractors do not already say, and a corpus's made-up phone numbers would
    otherwise be learnt as words.
    """
    text = DIGITS.sub(" ", text)
    words = text.split()
    tokens = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    tokens.extend(pair for pair in _NO_SPACE_PAIRS.findall(text))
    return tokens


def text_row(text: str, index: TextIndex, idf: np.ndarray,
             weight: float) -> tuple[np.ndarray, np.ndarray]:
    """(columns, values) of one ad's text block: sublinear tf-idf, l2-normalised, scaled.

    Tokens outside the vocabulary (those seen in fewer than two training ads) are left out:
    they would carry no weight anyway.
    """
    found = index.columns(text)
    if not len(found):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    # np.unique(found, return_counts=True), less its general-purpose overhead (one call per ad).
    found = found.copy()
    found.sort()
    starts = np.concatenate(([True], found[1:] != found[:-1])).nonzero()[0]
    columns = found[starts]
    ends = np.concatenate((starts[1:], [len(found)]))
    counts = ends - starts
    values = (1.0 + np.log(counts)) * idf[columns]
    norm = float(np.sqrt(values @ values)) or 1.0
    return columns, values * (weight / norm)

"""Feature vectors for the model: signal features (with group combinations) and text tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from scoring.catalog import load_catalog, signal_ids
from scoring.signals import Detection

TEXT_HASH_FEATURES = 2**18
_NO_SPACE_PAIRS = re.compile(
    r"(?=([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u4e00-\u9fff\u3040-\u30ff]{2}))"
)
_DIGIT = re.compile(r"\d")

STRONG_ROUTE = ("visa_route", "destination.compound", "destination.hotspot_town")


@dataclass(frozen=True)
class Combination:
    """A feature that fires when several groups are present together."""

    name: str
    members: tuple[str, ...]  # groups (or signal ids) whose signals share its contribution


COMBINATIONS = (
    Combination("combo.offer_and_route", ("offer", *STRONG_ROUTE)),
    Combination("combo.core_pattern",
                ("offer", "requirements", "role", "visa_route", "destination", "channel",
                 "employer")),
    Combination("combo.provisions_with_risk", ("provisions",)),
    Combination("combo.fees_and_opacity", ("fees", "employer", "channel")),
    Combination("combo.breadth", ()),
)


def feature_names() -> list[str]:
    """Names of the signal-block columns, in order."""
    return signal_ids() + [combo.name for combo in COMBINATIONS]


def risk_groups(detection: Detection) -> set[str]:
    """Groups of the risk signals present."""
    catalog = load_catalog()
    return {
        catalog[s].group for s in detection.evidence if catalog[s].polarity == "risk"
    }


def combination_values(detection: Detection) -> dict[str, float]:
    """Value of each combination feature for one ad."""
    groups = risk_groups(detection)
    present = set(detection.evidence)
    route = "visa_route" in groups or bool(
        present & {"destination.compound", "destination.hotspot_town"}
    )
    anywhere = route or "destination" in groups
    broad = groups - {"provisions", "role"}
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
    }


def signal_vector(detection: Detection) -> np.ndarray:
    """The signal block for one ad."""
    ids = signal_ids()
    row = np.zeros(len(ids) + len(COMBINATIONS), dtype=np.float64)
    index = {s: i for i, s in enumerate(ids)}
    for signal_id, strength in detection.strength.items():
        row[index[signal_id]] = strength
    combos = combination_values(detection)
    for k, combo in enumerate(COMBINATIONS):
        row[len(ids) + k] = combos[combo.name]
    return row


def text_tokens(text: str) -> list[str]:
    """Words, word pairs and character pairs of scripts written without spaces."""
    text = _DIGIT.sub("0", text)
    words = text.split()
    tokens = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    tokens.extend(_NO_SPACE_PAIRS.findall(text))
    return tokens


def text_vectorizer() -> HashingVectorizer:
    """The stateless hashing vectorizer behind the text block."""
    return HashingVectorizer(
        analyzer=text_tokens, n_features=TEXT_HASH_FEATURES, alternate_sign=False, norm=None,
        dtype=np.float64,
    )


def text_matrix(texts: list[str], idf: np.ndarray, weight: float) -> sparse.csr_matrix:
    """TF-IDF rows (sublinear tf, l2-normalised) scaled by the text block's weight."""
    counts = text_vectorizer().transform(texts).tocsr()
    counts.data = 1.0 + np.log(counts.data)
    counts = counts @ sparse.diags(idf)
    norms = np.sqrt(counts.multiply(counts).sum(axis=1)).A1
    norms[norms == 0] = 1.0
    return sparse.diags(weight / norms) @ counts

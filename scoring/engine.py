"""Scores ads: signals, features, calibrated risk, level, category and ordered reasons."""

from __future__ import annotations

import gc
import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np

from scoring.ad import Ad
from scoring.catalog import WORDING_SIGNAL, load_catalog, signal_ids
from scoring.features import (
    COMBINATIONS,
    WEAK_SIGNALS,
    Combination,
    combination_values,
    evidence_weight,
    risk_group_sets,
    signal_vector,
    text_row,
)
from scoring.handles import handles_of
from scoring.matcher import Matcher, default_matcher
from scoring.model import Model, load_model
from scoring.normalize import is_word_char
from scoring.signals import Detection, detect_many

log = logging.getLogger(__name__)

# Below this much language (letters, ideographs counting 3) an ad is too thin to judge...
MIN_CONTENT = 40.0
# ...unless it already shows at least this many independent risk groups.
THIN_BUT_TELLING_GROUPS = 2
# `high` needs this much independent evidence (see features.evidence_weight) besides a high score,
HIGH_MIN_EVIDENCE = 2.5
# or, when the model is very sure, two independent groups. Chosen on the dev split with a model
# fit on the train split: lure recall at high 0.83 -> 0.87 with no more legitimate or real ads at
# high at 80 (see the README); 0.902 -> 0.911 at 70 after the later lexicon rounds, with the same
# legitimate ads at high.
CONFIDENT_SCORE = 70
CONFIDENT_MIN_EVIDENCE = 2.0
# When the text model alone adds at least this much to the log-odds, the wording counts as one
# more independent group. Chosen on the dev split (model fit on train): lure recall at high
# 0.866 -> 0.893 with the same legitimate and real ads at high.
WORDING_EVIDENCE_SHARE = 0.5


@dataclass
class SignalResult:
    """One reason, as the API and the command line show it."""

    id: str
    group: str
    message: str
    contribution: float
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Result:
    """The answer for one ad."""

    id: str
    score: int
    level: str
    category: str
    signals: list[SignalResult]
    language: str
    model_version: str
    # Contact handles found ({channel, value, country}): for storage, not part of the answer.
    handles: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (built by hand: dataclasses.asdict deep-copies and is slow)."""
        return {
            "id": self.id, "score": self.score, "level": self.level, "category": self.category,
            "signals": [
                {"id": s.id, "group": s.group, "message": s.message,
                 "contribution": s.contribution, "evidence": s.evidence}
                for s in self.signals
            ],
            "language": self.language, "model_version": self.model_version,
        }


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a batch is scored. Scoring allocates many
    small containers, so the collector would run every few ads and walk the batch's growing
    results (and the loaded model) each time, a few percent of the time; scoring makes no
    reference cycles, so nothing waits on it, and it runs again after the batch."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0)))


class Scorer:
    """A loaded model and lexicon, ready to score many ads."""

    def __init__(self, model: Model | None = None, matcher: Matcher | None = None) -> None:
        self.model = model or load_model()
        self.matcher = matcher or default_matcher()
        self.catalog = load_catalog()
        self.ids = signal_ids()
        self._index = {signal_id: i for i, signal_id in enumerate(self.ids)}
        self._combination_members = [self._members(combo) for combo in COMBINATIONS]
        self._messages: dict[tuple[str, str], str] = {}
        names = self.model.feature_names
        expected = self.ids + [combo.name for combo in COMBINATIONS]
        if names != expected:
            # A lexicon newer than the model: signals the model has not learnt weigh nothing
            # until `lurewatch train` is run; signals it knows keep their weights.
            known = dict(zip(names, self.model.signal_weights, strict=True))
            missing = [name for name in expected if name not in known]
            log.info("model %s predates signals %s: retrain the model", self.model.version,
                        ", ".join(missing))
            self.model.signal_weights = np.array([known.get(name, 0.0) for name in expected])
            self.model.category_weights = np.array(
                [dict(zip(names, self.model.category_weights, strict=True)).get(name, 0.0)
                 for name in expected])
            self.model.feature_names = expected

    def score(self, ad: Ad, language: str = "") -> Result:
        """Score one ad; `language` chooses the language of the messages."""
        return self.score_many([ad], language)[0]

    def score_many(self, ads: list[Ad], language: str = "") -> list[Result]:
        """Score a batch of ads (the text block is vectorised once for the batch)."""
        with _collection_paused():
            return self._score_many(ads, language)

    def _score_many(self, ads: list[Ad], language: str) -> list[Result]:
        detections = detect_many(ads, self.matcher)
        if not ads:
            return []
        # Risk groups and combination values are needed for the features and again for the
        # level and the reasons: worked out once per ad.
        group_sets = [risk_group_sets(d) for d in detections]
        combos = [combination_values(d, g) for d, g in zip(detections, group_sets, strict=True)]
        signal_block = np.vstack([signal_vector(d, c)
                                  for d, c in zip(detections, combos, strict=True)])
        signal_parts = signal_block * self.model.signal_weights
        text_parts = []
        text_index = self.model.text_index
        for detection in detections:
            columns, values = text_row(detection.wording, text_index, self.model.idf,
                                       self.model.text_weight)
            text_parts.append((columns, values * self.model.text_weights[columns]))
        results = []
        for i, (ad, detection) in enumerate(zip(ads, detections, strict=True)):
            results.append(
                self._result(ad, detection, signal_block[i], signal_parts[i],
                             text_parts[i], language, group_sets[i], combos[i])
            )
        return results

    def _result(self, ad: Ad, detection: Detection, row: np.ndarray, parts: np.ndarray,
                text_part: tuple[np.ndarray, np.ndarray], ui_language: str,
                group_sets: tuple[set[str], set[str]], combos: dict[str, float]) -> Result:
        model = self.model
        text_logit = float(text_part[1].sum())
        logit = float(parts.sum()) + text_logit + model.intercept
        probability = _sigmoid(model.platt_a * logit + model.platt_b)
        score = int(round(100 * probability))
        ad_language = detection.language
        strong_groups = group_sets[1]
        if detection.content_size < MIN_CONTENT and len(strong_groups) < THIN_BUT_TELLING_GROUPS:
            level = "insufficient"
        elif score >= model.high_threshold and self._enough_evidence(
                score, detection, model.platt_a * text_logit, group_sets):
            level = "high"
        elif score >= model.medium_threshold:
            level = "medium"
        else:
            level = "low"
        category = "none"
        if level in ("medium", "high"):
            category = self._category(row)
        signals = self._reasons(detection, parts, combos, ui_language or "en")
        wording = self._wording_reason(ad, text_part, text_logit, ui_language or "en")
        if wording is not None:
            signals.append(wording)
            signals.sort(key=lambda r: -r.contribution)
        return Result(ad.id, score, level, category, signals, ad_language, model.version,
                      handles_of(detection))

    @staticmethod
    def _enough_evidence(score: int, detection: Detection, wording_share: float,
                         group_sets: tuple[set[str], set[str]]) -> bool:
        weight = evidence_weight(detection, group_sets)
        if wording_share >= WORDING_EVIDENCE_SHARE:
            weight += 1.0  # the wording as a whole is one more, independent, line of evidence
        if score >= CONFIDENT_SCORE:
            return weight >= CONFIDENT_MIN_EVIDENCE
        return weight >= HIGH_MIN_EVIDENCE

    def _category(self, row: np.ndarray) -> str:
        model = self.model
        width = len(model.category_weights)
        value = float(row[:width] @ model.category_weights) + model.category_intercept
        if value >= 0:
            return "compound_lure"
        return "employment_scam"

    def _message(self, signal_id: str, language: str) -> str:
        key = (signal_id, language)
        message = self._messages.get(key)
        if message is None:
            message = self._messages[key] = self.catalog[signal_id].message(language)
        return message

    def _wording_reason(self, ad: Ad, text_part: tuple[np.ndarray, np.ndarray],
                        text_logit: float, language: str) -> SignalResult | None:
        """The text model's share of the log-odds as a reason of its own, quoting the words
        that weighed most in its direction, so that the reasons add up to the score.
        `text_logit`: the sum of the text part's weights."""
        columns, weights = text_part
        share = self.model.platt_a * text_logit
        if abs(share) < MIN_WORDING_SHARE:
            return None
        order = (-weights if share > 0 else weights).argsort()[:WORDING_QUOTES]
        evidence = []
        lowered: dict[str, str] = {}
        for k in order.tolist():
            if (weights[k] > 0) != (share > 0):
                break
            found = _find_token(ad, self.model.vocabulary[int(columns[k])], lowered)
            if found is not None:
                evidence.append(found)
        return SignalResult(WORDING_SIGNAL, "wording", self._message(WORDING_SIGNAL, language),
                            round(share, 4), evidence)

    def _reasons(
        self, detection: Detection, parts: np.ndarray, combos: dict[str, float], language: str
    ) -> list[SignalResult]:
        """Signals with their share of the log-odds; combination shares split among members."""
        a = self.model.platt_a
        values = parts.tolist()
        index = self._index
        evidence = detection.evidence
        # In catalogue order, as the signal block has them.
        share = {s: a * values[i]
                 for i, s in sorted((index[s], s) for s in evidence if s in index)}
        offset = len(self.ids)
        for k, combo in enumerate(COMBINATIONS):
            if not combos[combo.name]:
                continue
            eligible, same_polarity = self._combination_members[k]
            members = [s for s in share if s in eligible]
            if not members:  # keep the sum of contributions equal to the score's log-odds
                members = [s for s in share if s in same_polarity]
            if not members:
                continue
            portion = a * values[offset + k] / len(members)
            for s in members:
                share[s] += portion
        reasons = []
        for signal_id, contribution in share.items():
            spec = self.catalog[signal_id]
            quotes = [{"field": field, "start": start, "end": end, "text": text}
                      for field, start, end, text in evidence[signal_id]]
            reasons.append(SignalResult(signal_id, spec.group, self._message(signal_id, language),
                                        round(contribution, 4), quotes))
        reasons.sort(key=lambda r: -r.contribution)
        return reasons

    def _members(self, combo: Combination) -> tuple[frozenset[str], frozenset[str]]:
        """Signals that share a combination's contribution, and the fallback when none of
        them is present: the signals of its polarity."""
        same_polarity = frozenset(s for s in self.ids
                                  if self.catalog[s].polarity == combo.polarity)
        eligible = frozenset(
            s for s in same_polarity
            if (self.catalog[s].group in combo.members or s in combo.members
                if combo.members else s not in WEAK_SIGNALS)
        )
        return eligible, same_polarity


# The text model's share is shown as a reason when it moves the log-odds at least this much,
# with up to this many of its heaviest words quoted.
MIN_WORDING_SHARE = 0.01
WORDING_QUOTES = 3


@lru_cache(maxsize=256)  # only word pairs and rare cases come here; compiled patterns are big
def _token_pattern(token: str) -> re.Pattern[str]:
    """A case-blind pattern for a vocabulary token in original text: words on word boundaries
    (a word pair with any separators between), character pairs anywhere."""
    words = token.split(" ")
    body = r"[\W_]+".join(re.escape(word) for word in words)
    if not (len(token) == 2 and not token.isascii()):  # a pair of ideographs, Thai letters...
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, re.IGNORECASE)


def _find_token(ad: Ad, token: str, lowered_fields: dict[str, str] | None = None
                ) -> dict[str, Any] | None:
    """The first place in the title or text where a vocabulary token stands, as evidence
    (`lowered_fields` keeps the lower-cased fields from one token to the next)."""
    single = " " not in token
    bounded = not (len(token) == 2 and not token.isascii())
    if lowered_fields is None:
        lowered_fields = {}
    for name in ("title", "text"):
        original = getattr(ad, name)
        lowered = lowered_fields.get(name)
        if lowered is None:
            lowered = lowered_fields[name] = original.lower()
        if single and len(lowered) == len(original):
            # Fast path: a plain search in the lower-cased text, boundaries checked by hand.
            start = lowered.find(token)
            while start >= 0:
                end = start + len(token)
                if not bounded or ((start == 0 or not is_word_char(lowered[start - 1]))
                                   and (end == len(lowered) or not is_word_char(lowered[end]))):
                    return {"field": name, "start": start, "end": end,
                            "text": original[start:end]}
                start = lowered.find(token, start + 1)
            continue
        match = _token_pattern(token).search(original)
        if match:
            return {"field": name, "start": match.start(), "end": match.end(),
                    "text": match.group()}
    return None


@cache
def default_scorer() -> Scorer:
    """The scorer over the model and lexicon shipped with the package."""
    return Scorer()


def score_ad(data: dict[str, Any], language: str = "") -> dict[str, Any]:
    """Validate and score one ad given as a dict; raises AdError for bad input."""
    return default_scorer().score(Ad.from_dict(data), language).to_dict()

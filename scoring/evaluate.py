"""Quality figures of the scorer on labelled ads, overall and per language."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sklearn.metrics import roc_auc_score

from scoring.corpus import LABELS, Example
from scoring.engine import Result, Scorer

LEVELS = ("low", "medium", "high", "insufficient")


@dataclass
class Figures:
    """Figures for one slice of the data."""

    count: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    roc_auc: float | None = None  # lure against legit
    lure_recall_high: float | None = None
    legit_fpr_high: float | None = None
    legit_fpr_medium_or_above: float | None = None
    scam_medium_or_above: float | None = None
    scam_category_share: float | None = None  # of scams at medium+, share labelled employment_scam
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def figures(pairs: list[tuple[Example, Result]]) -> Figures:
    """Compute the figures for (example, result) pairs."""
    out = Figures(count=len(pairs))
    out.labels = dict(Counter(e.label for e, _ in pairs))
    confusion: dict[str, dict[str, int]] = {lab: dict.fromkeys(LEVELS, 0) for lab in LABELS}
    for example, result in pairs:
        confusion[example.label][result.level] += 1
    out.confusion = {k: v for k, v in confusion.items() if sum(v.values())}
    lures = [r for e, r in pairs if e.label == "lure"]
    legits = [r for e, r in pairs if e.label == "legit"]
    scams = [r for e, r in pairs if e.label == "scam"]
    if lures and legits:
        y = [1] * len(lures) + [0] * len(legits)
        scores = [r.score for r in lures] + [r.score for r in legits]
        out.roc_auc = round(float(roc_auc_score(y, scores)), 4)
    out.lure_recall_high = _share(sum(r.level == "high" for r in lures), len(lures))
    out.legit_fpr_high = _share(sum(r.level == "high" for r in legits), len(legits))
    out.legit_fpr_medium_or_above = _share(
        sum(r.level in ("medium", "high") for r in legits), len(legits))
    flagged_scams = [r for r in scams if r.level in ("medium", "high")]
    out.scam_medium_or_above = _share(len(flagged_scams), len(scams))
    out.scam_category_share = _share(
        sum(r.category == "employment_scam" for r in flagged_scams), len(flagged_scams))
    return out


def evaluate(examples: list[Example], scorer: Scorer) -> dict[str, Figures]:
    """Figures overall (key "all") and per language of the ad."""
    results = scorer.score_many([e.ad for e in examples])
    pairs = list(zip(examples, results, strict=True))
    by_language: dict[str, list[tuple[Example, Result]]] = defaultdict(list)
    for example, result in pairs:
        by_language[example.ad.language or result.language].append((example, result))
    report = {"all": figures(pairs)}
    for language in sorted(by_language):
        report[language] = figures(by_language[language])
    return report


def format_table(report: dict[str, Figures]) -> str:
    """A plain-text table for people."""

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    header = (f"{'slice':<8} {'n':>5} {'lure':>5} {'legit':>5} {'scam':>5} {'auc':>6} "
              f"{'rec@hi':>7} {'fp@hi':>6} {'fp@med+':>7} {'scam@med+':>9} {'scam-cat':>8}")
    lines = [header, "-" * len(header)]
    for name, fig in report.items():
        lines.append(
            f"{name:<8} {fig.count:>5} {fig.labels.get('lure', 0):>5} "
            f"{fig.labels.get('legit', 0):>5} {fig.labels.get('scam', 0):>5} "
            f"{cell(fig.roc_auc):>6} {cell(fig.lure_recall_high):>7} "
            f"{cell(fig.legit_fpr_high):>6} {cell(fig.legit_fpr_medium_or_above):>7} "
            f"{cell(fig.scam_medium_or_above):>9} {cell(fig.scam_category_share):>8}"
        )
    overall = report["all"].confusion
    lines.append("")
    lines.append("confusion (label x level): " + ", ".join(LEVELS))
    for label, row in overall.items():
        lines.append(f"  {label:<6} " + " ".join(f"{row[level]:>6}" for level in LEVELS))
    return "\n".join(lines)

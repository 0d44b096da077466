"""How often the scorer raises an alarm on real job ads (evaluation only, never training).

Reads ../shared/data/real/*.jsonl (or the folder given as the first argument) and prints, per file
and per language, the share of ads at `high` and at `medium` or above. The real ads carry no lure
labels; EMSCAD's own `fraudulent` flag is reported separately.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from scoring.ad import Ad, AdError
from scoring.engine import default_scorer

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    scorer = default_scorer()
    show = "--show" in sys.argv
    for path in sorted(folder.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        ads, flags = [], []
        for row in rows:
            try:
                ads.append(Ad.from_dict({k: v for k, v in row.items() if isinstance(v, str)}))
                flags.append(str(row.get("fraudulent", "")) in ("1", "True", "true"))
            except AdError:
                continue
        results = scorer.score_many(ads)
        per_lang: dict[str, Counter] = defaultdict(Counter)
        for result, fraudulent in zip(results, flags, strict=True):
            key = "fraud" if fraudulent else result.language
            per_lang[key][result.level] += 1
            per_lang["all" if not fraudulent else "fraud-all"][result.level] += 1
        print(f"\n{path.name}: {len(results)} ads")
        for lang, counts in sorted(per_lang.items(), key=lambda kv: -sum(kv[1].values())):
            total = sum(counts.values())
            high = counts["high"] / total
            medium_up = (counts["high"] + counts["medium"]) / total
            print(f"  {lang:<10} n={total:<5} high={high:6.1%} medium+={medium_up:6.1%} "
                  f"insufficient={counts['insufficient'] / total:6.1%}")
        if show:
            for ad, result in zip(ads, results, strict=True):
                if result.level == "high":
                    reasons = ", ".join(s.id for s in result.signals if s.contribution > 0)
                    print(f"    HIGH {result.score} {ad.id}: {reasons}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Prints the scorer's figures on one split of the shipped corpus (default: the held-out test)."""

from __future__ import annotations

import sys

from scoring.corpus import load_corpus
from scoring.engine import default_scorer
from scoring.evaluate import evaluate, format_table


def main() -> int:
    split = sys.argv[1] if len(sys.argv) > 1 else "test"
    examples = [e for e in load_corpus() if split == "all" or e.split == split]
    print(f"corpus split {split}: {len(examples)} ads")
    print(format_table(evaluate(examples, default_scorer())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`lurewatch eval FILE`: quality figures on labelled JSON Lines."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from lurewatch.errors import CliError


def run_eval(path: str, as_json: bool) -> int:
    """Print the figures; bad lines are reported by number and the rest still counted."""
    from scoring.corpus import read_labelled
    from scoring.engine import default_scorer
    from scoring.evaluate import evaluate, format_table
    from scoring.model import ModelError

    file = Path(path)
    if not file.is_file():
        raise CliError(f"cannot read {path}: no such file")
    examples = []
    failed = 0
    for number, item in read_labelled(file):
        if isinstance(item, str):
            failed += 1
            print(f"lurewatch: line {number}: {item}", file=sys.stderr)
        else:
            examples.append(item)
    if not examples:
        raise CliError(f"no labelled ads in {path}", code=1)
    try:
        report = evaluate(examples, default_scorer())
    except ModelError as exc:
        raise CliError(str(exc)) from exc
    if as_json:
        print(json.dumps({name: asdict(fig) for name, fig in report.items()}, indent=1))
    else:
        print(format_table(report))
    return 1 if failed else 0

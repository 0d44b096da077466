"""`lurewatch score`: JSON Lines in, one result per line out, bad lines reported by number."""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

from lurewatch.errors import CliError


def _open_input(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from exc


def run_score(path: str, language: str, batch_size: int) -> int:
    """Score every line; return 1 if any line failed, else 0."""
    from scoring.ad import Ad, AdError
    from scoring.engine import default_scorer
    from scoring.model import ModelError

    source = _open_input(path)
    try:
        scorer = default_scorer()
    except ModelError as exc:
        raise CliError(str(exc)) from exc
    failed = 0
    batch: list[Ad] = []
    out = sys.stdout

    def flush() -> None:
        for result in scorer.score_many(batch, language):
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
        batch.clear()

    try:
        for number, raw in enumerate(source, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                failed += 1
                print(f"lurewatch: line {number}: not valid UTF-8", file=sys.stderr)
                continue
            try:
                batch.append(Ad.from_dict(json.loads(line)))
            except json.JSONDecodeError as exc:
                failed += 1
                print(f"lurewatch: line {number}: not valid JSON ({exc.msg})", file=sys.stderr)
                continue
            except AdError as exc:
                failed += 1
                print(f"lurewatch: line {number}: {exc}", file=sys.stderr)
                continue
            if len(batch) >= max(batch_size, 1):
                flush()
        if batch:
            flush()
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    return 1 if failed else 0

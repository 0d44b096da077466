"""`lurewatch train`: rebuild the packaged model from the corpus (and reviewers' decisions)."""

from __future__ import annotations

import json
from pathlib import Path

from lurewatch.errors import CliError


def run_train(output: str | None, with_reviews: bool) -> int:
    """Train, save and print a one-line JSON summary."""
    from scoring.model import MODEL_PATH
    from scoring.train import train

    extra = []
    if with_reviews:
        try:
            from lurewatch.storage.reviews import reviewed_examples
        except ImportError as exc:
            raise CliError("--with-reviews needs the API extra: install lurewatch[api]") from exc
        extra = reviewed_examples()
    try:
        _, stats = train(Path(output) if output else MODEL_PATH, extra)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(stats))
    return 0

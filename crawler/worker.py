"""Scoring in a worker process, so the crawl's event loop never waits for the scorer.

Only plain dicts cross the process boundary. The scorer is loaded once per worker.
"""

from __future__ import annotations

from typing import Any

_SCORER = None


def warm_up() -> bool:
    """Load the scorer (called once when the worker starts)."""
    global _SCORER
    if _SCORER is None:
        from scoring.engine import default_scorer

        _SCORER = default_scorer()
    return True


def score_batch(ads: list[dict[str, str]]) -> list[tuple[dict[str, Any], list[dict[str, str]]]]:
    """(result, contact handles) for each ad dict (id, title, text, employer, location, ...)."""
    from scoring.ad import Ad
    from scoring.handles import ad_handles

    warm_up()
    assert _SCORER is not None
    objects = [Ad(**ad) for ad in ads]
    results = _SCORER.score_many(objects)
    return [(result.to_dict(), ad_handles(ad)) for result, ad in zip(results, objects, strict=True)]

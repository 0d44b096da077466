"""The worker process: scoring and storing, so the crawl's event loop never waits for either.

Only plain values cross the process boundary (crawler/worker_link.py). The scorer and the
database engine are made once per worker. The same workers serve every pipeline of a crawl
process (see `shared_link`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.worker_link import WorkerLink

_SCORER = None
_ENGINES: dict[str, Any] = {}
_LINK: WorkerLink | None = None
_USERS = 0


def warm_up() -> bool:
    """Load the scorer and import what analysing and storing need (called once when the
    worker starts, so this happens while the crawl process is starting, not mid-crawl)."""
    global _SCORER
    if _SCORER is None:
        import crawler.analyse  # noqa: F401  (Beautiful Soup, lxml, NumPy)
        import lurewatch.storage.listings  # noqa: F401  (SQLAlchemy, SQLModel)
        from scoring.engine import default_scorer
        from scoring.language import detect_language  # noqa: F401

        _SCORER = default_scorer()
    return True


def score_batch(ads: list[dict[str, str]]) -> list[tuple[dict[str, Any], list[dict[str, str]]]]:
    """(result, contact handles) for each ad dict (id, title, text, employer, location, ...)."""
    from scoring.ad import Ad

    warm_up()
    assert _SCORER is not None
    results = _SCORER.score_many([Ad(**ad) for ad in ads])
    return [(result.to_dict(), result.handles) for result in results]


def analyse(records: list[dict[str, Any]], score: bool) -> list[dict[str, Any] | None]:
    """crawler.analyse.analyse_batch with this worker's scorer (loaded once)."""
    from crawler.analyse import analyse_batch

    if score:
        warm_up()
    return analyse_batch(records, score, _SCORER)


def _engine(url: str) -> Any:
    if url not in _ENGINES:
        from lurewatch.storage.db import make_engine

        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def store_batch(url: str, records: list[tuple[dict[str, Any], list[dict[str, str]]]]) -> list[bool]:
    """Store (listing values, handles) pairs in one transaction; False for a listing already
    stored with the same URL and content (a resumed or repeated crawl)."""
    from sqlalchemy import select

    from lurewatch.storage.listings import store_listings
    from lurewatch.storage.models import Listing

    table = Listing.__table__  # type: ignore[attr-defined]
    stored: list[bool] = []
    fresh: list[tuple[dict[str, Any], list[dict[str, str]]]] = []
    with _engine(url).begin() as connection:
        urls = list({values["url"] for values, _ in records})
        existing: set[tuple[str, str]] = set()
        for start in range(0, len(urls), 500):
            existing.update(tuple(row) for row in connection.execute(
                select(table.c.url, table.c.content_hash)
                .where(table.c.url.in_(urls[start:start + 500]))))
        for values, handles in records:
            key = (values["url"], values["content_hash"])
            if key in existing:
                stored.append(False)
                continue
            existing.add(key)
            fresh.append((values, handles))
            stored.append(True)
        store_listings(connection, fresh)
    return stored


def worker_count(configured: Any) -> int:
    """LUREWATCH_SCORE_WORKERS if set, else by the cores this process may use: none on one core
    (everything in the crawl process), one on two or three, two on more.

    One worker on two cores: it keeps up with the crawl (analysing and storing a posting costs
    about as much CPU as fetching and extracting it), and a second one would cost more than it
    gives: its own interpreter, imports and model (about 1.5 CPU seconds at start) on a core the
    crawl process and the site being crawled also need.
    """
    if configured is not None and str(configured) != "":
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    return 1 if cores < 4 else 2


def shared_link(workers: int = 1) -> WorkerLink:
    """The process's workers, started (and loading the model) on first use."""
    global _LINK, _USERS
    if _LINK is None:
        from crawler.worker_link import WorkerLink

        _LINK = WorkerLink(workers)
    _USERS += 1
    return _LINK


def release_link() -> None:
    """One user is done; the last one stops the workers."""
    global _LINK, _USERS
    _USERS -= 1
    if _USERS <= 0 and _LINK is not None:
        _LINK.close()
        _LINK = None
        _USERS = 0

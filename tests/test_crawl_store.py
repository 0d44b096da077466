"""The crawler's bulk store writes the same rows as `store_listing`, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from crawler.worker import store_batch
from lurewatch.storage.db import create_tables, make_engine
from lurewatch.storage.listings import store_listing
from lurewatch.storage.models import Handle, Listing, ListingHandle
from tests.api_fixtures import fresh_database

RECORDS: list[tuple[dict[str, Any], list[dict[str, str]]]] = [
    ({"url": "https://a.example/1", "title": "Typist", "text": "Typing job, Telegram @hr_x",
      "date_posted": "2026-11-30T08:00:00Z", "fetched_at": "2026-12-01T09:30:00",
      "raw": {"structured": {"title": "Typist"}}, "score": 81, "level": "high",
      "category": "compound_lure", "signals": [{"id": "s", "evidence": []}],
      "model_version": "m1", "content_hash": "h1", "cluster": "c1", "salary_monthly_usd": 2000.0},
     [{"channel": "telegram", "value": "hr_x", "country": ""},
      {"channel": "phone", "value": "+66812344321", "country": "TH"},
      {"channel": "telegram", "value": "hr_x", "country": ""}]),
    ({"url": "https://a.example/2", "title": "Cook", "text": "Cook wanted",
      "date_posted": "not a date", "salary_monthly_usd": None, "content_hash": "h2",
      "cluster": "c2", "score": 10, "level": "low", "category": "none", "signals": []},
     [{"channel": "phone", "value": "+66812344321", "country": "KH"},
      {"channel": "email", "value": "jobs@a.example"}]),
    ({"url": "https://a.example/3", "title": "Nurse", "text": "", "content_hash": "h3"}, []),
]
COLUMNS = ("url", "title", "text", "employer", "salary_monthly_usd", "date_posted", "raw",
           "language", "score", "level", "category", "signals", "model_version",
           "content_hash", "cluster", "review_status", "rendered", "extraction")


def _snapshot(url: str) -> tuple[list[tuple], list[tuple], list[tuple]]:
    engine = make_engine(url)
    with Session(engine) as session:
        listings = session.exec(select(Listing).order_by(Listing.id)).all()
        rows = [tuple(getattr(listing, name) for name in COLUMNS)
                + (listing.fetched_at is not None,) for listing in listings]
        fetched = [listing.fetched_at for listing in listings]
        handles = [(h.channel, h.value, h.country)
                   for h in session.exec(select(Handle).order_by(Handle.id)).all()]
        by_id = {h.id: (h.channel, h.value) for h in session.exec(select(Handle)).all()}
        urls = {listing.id: listing.url for listing in listings}
        links = sorted((urls[link.listing_id], by_id[link.handle_id])
                       for link in session.exec(select(ListingHandle)).all())
    engine.dispose()
    assert fetched[0] is not None and fetched[0].hour == 9
    return rows, handles, links


def test_bulk_store_matches_store_listing(database_url: str, tmp_path: Path,
                                          request: pytest.FixtureRequest):
    (tmp_path / "other").mkdir()
    other_url = fresh_database("sqlite" if database_url.startswith("sqlite") else "postgresql",
                               tmp_path / "other", request)
    for url in (database_url, other_url):
        engine = make_engine(url)
        create_tables(engine)
        engine.dispose()
    engine = make_engine(database_url)
    with Session(engine) as session:
        for values, handles in RECORDS:
            store_listing(session, values, handles)
        session.commit()
    engine.dispose()

    assert store_batch(other_url, RECORDS[:2]) == [True, True]
    # Already stored (same URL and content) is skipped; new ones in the same batch are stored.
    assert store_batch(other_url, RECORDS) == [False, False, True]
    assert _snapshot(other_url) == _snapshot(database_url)

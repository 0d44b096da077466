"""Reading listings: filters, cursor pagination, clusters, shared handles and desk statistics."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from lurewatch.storage.models import Handle, Listing, ListingHandle

# A cursor is "score.id" of the last listing of the previous page.
CURSOR_PATTERN = r"^\d{1,3}\.\d{1,10}$"
_MAX_ID = 2_147_483_647  # ids are 32-bit integers in PostgreSQL


class CursorError(ValueError):
    """A pagination cursor that this server did not make."""


@dataclass
class ListingFilter:
    """What a reviewer or platform narrows the listings to; empty fields do not filter."""

    level: str | None = None
    category: str | None = None
    language: str | None = None
    country: str | None = None
    source: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    review_status: str | None = None
    q: str | None = None
    cluster: str | None = None
    handle: str | None = None

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters."""
        return {name: str(value) for name, value in vars(self).items() if value not in (None, "")}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(filters: ListingFilter):  # type: ignore[no-untyped-def]
    """A SELECT of listings narrowed by `filters` (no order, no limit)."""
    query = select(Listing)
    for name in ("level", "category", "language", "source", "review_status", "cluster"):
        value = getattr(filters, name)
        if value:
            query = query.where(getattr(Listing, name) == value)
    if filters.country:
        query = query.where(Listing.location_country == filters.country.upper())
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        query = query.where(Listing.fetched_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(Listing.fetched_at < end)
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        query = query.where(or_(
            func.lower(Listing.title).like(pattern, escape="\\"),
            func.lower(Listing.text).like(pattern, escape="\\"),
            func.lower(Listing.employer).like(pattern, escape="\\"),
        ))
    if filters.handle:
        value = filters.handle.strip().lstrip("@").lower()
        channel = None
        if ":" in value and not value.startswith("+"):
            channel, value = value.split(":", 1)
        handles = select(ListingHandle.listing_id).join(
            Handle, col(Handle.id) == ListingHandle.handle_id
        ).where(func.lower(Handle.value) == value)
        if channel:
            handles = handles.where(Handle.channel == channel)
        query = query.where(col(Listing.id).in_(handles))
    return query


def encode_cursor(listing: Listing) -> str:
    """The cursor after `listing` in risk order."""
    return f"{listing.score}.{listing.id}"


def decode_cursor(cursor: str) -> tuple[int, int]:
    """(score, id) of the last listing of the previous page."""
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise CursorError("cursor is not valid: use the next_cursor of a previous page")
    score, listing_id = cursor.split(".")
    return int(score), min(int(listing_id), _MAX_ID)


def search_listings(session: Session, filters: ListingFilter, limit: int = 50,
                    cursor: str | None = None) -> tuple[list[Listing], str | None]:
    """One page of listings, highest risk first (score down, then id up), and the next cursor."""
    query = filtered(filters)
    if cursor:
        score, listing_id = decode_cursor(cursor)
        query = query.where(or_(col(Listing.score) < score,
                                (col(Listing.score) == score) & (col(Listing.id) > listing_id)))
    query = query.order_by(col(Listing.score).desc(), col(Listing.id)).limit(limit + 1)
    rows = list(session.exec(query).all())
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def iter_listings(session: Session, filters: ListingFilter, page: int = 500) -> Iterator[Listing]:
    """Every listing matching `filters`, in risk order, read a page at a time (for exports)."""
    cursor = None
    while True:
        rows, cursor = search_listings(session, filters, page, cursor)
        yield from rows
        if cursor is None:
            return


def count_listings(session: Session, filters: ListingFilter) -> int:
    """How many listings match."""
    sub = filtered(filters).subquery()
    return int(session.exec(select(func.count()).select_from(sub)).one())


def listing_handles(session: Session, listing_id: int) -> list[Handle]:
    """The contact handles of one listing."""
    return list(session.exec(
        select(Handle).join(ListingHandle, col(ListingHandle.handle_id) == Handle.id)
        .where(ListingHandle.listing_id == listing_id).order_by(col(Handle.id))
    ).all())


def cluster_members(session: Session, listing: Listing,
                    limit: int = 50) -> tuple[list[Listing], int]:
    """Other listings of the same near-duplicate cluster (up to `limit`) and the cluster size."""
    if not listing.cluster:
        return [], 1
    size = int(session.exec(
        select(func.count()).select_from(Listing).where(Listing.cluster == listing.cluster)
    ).one())
    rows = session.exec(
        select(Listing).where(Listing.cluster == listing.cluster, Listing.id != listing.id)
        .order_by(col(Listing.score).desc(), col(Listing.id)).limit(limit)
    ).all()
    return list(rows), size


def shared_handle_listings(session: Session, listing_id: int,
                           limit: int = 50) -> list[tuple[Listing, Handle]]:
    """Other listings that share a contact handle with this one, with the handle shared."""
    mine = select(ListingHandle.handle_id).where(ListingHandle.listing_id == listing_id)
    rows = session.exec(
        select(Listing, Handle)
        .join(ListingHandle, col(ListingHandle.listing_id) == Listing.id)
        .join(Handle, col(Handle.id) == ListingHandle.handle_id)
        .where(col(ListingHandle.handle_id).in_(mine), Listing.id != listing_id)
        .order_by(col(Listing.score).desc(), col(Listing.id)).limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def dashboard_stats(session: Session, days: int = 30, top: int = 10,
                    signal_sample: int = 5000) -> dict[str, Any]:
    """Figures for the desk's charts: per day by level, destinations, signals, languages."""
    since = datetime.now(UTC) - timedelta(days=days)
    day = func.date(Listing.fetched_at)
    per_day: dict[str, Counter] = {}
    for day_value, level, count in session.exec(
        select(day, Listing.level, func.count()).where(Listing.fetched_at >= since)
        .group_by(day, Listing.level)
    ).all():
        per_day.setdefault(str(day_value), Counter())[level] += int(count)

    def top_of(column) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
        rows = session.exec(
            select(column, func.count()).group_by(column)
            .order_by(func.count().desc(), column).limit(top)
        ).all()
        return [(str(value or "unknown"), int(count)) for value, count in rows]

    signals: Counter = Counter()
    recent = session.exec(
        select(Listing.signals).where(col(Listing.level).in_(("medium", "high")))
        .order_by(col(Listing.id).desc()).limit(signal_sample)
    ).all()
    for listing_signals in recent:
        for signal in listing_signals or []:
            if isinstance(signal, dict) and signal.get("contribution", 0) > 0:
                signals[str(signal.get("id", "?"))] += 1
    return {
        "per_day": dict(sorted(per_day.items())),
        "destinations": top_of(Listing.location_country),
        "languages": top_of(Listing.language),
        "levels": top_of(Listing.level),
        "signals": signals.most_common(top),
        "total": int(session.exec(select(func.count()).select_from(Listing)).one()),
    }

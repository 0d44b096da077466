"""Writing scored postings and their contact handles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from lurewatch.storage.models import Handle, Listing, ListingHandle

LISTING_FIELDS = (
    "url", "source", "title", "text", "employer", "location", "location_country", "salary",
    "salary_monthly_usd", "date_posted_raw", "date_posted", "rendered", "extraction", "raw",
    "fetched_at", "language", "score",
    "level", "category", "signals", "model_version", "content_hash", "cluster",
)


def _handle(session: Session, channel: str, value: str, country: str = "") -> Handle:
    found = session.exec(
        select(Handle).where(Handle.channel == channel, Handle.value == value)
    ).first()
    if found:
        return found
    handle = Handle(channel=channel, value=value, country=country)
    session.add(handle)
    session.flush()
    return handle


def _as_datetime(value: Any) -> datetime | None:
    """A datetime from a datetime or an ISO 8601 string; None when it cannot be read."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def store_listing(session: Session, values: dict[str, Any],
                  handles: list[dict[str, str]]) -> Listing:
    """Insert one listing with its handles; the caller commits."""
    fields = {k: v for k, v in values.items() if k in LISTING_FIELDS and v is not None}
    for name in ("date_posted", "fetched_at"):
        if name in fields:
            parsed = _as_datetime(fields.pop(name))
            if parsed is not None:
                fields[name] = parsed
    listing = Listing(**fields)
    session.add(listing)
    session.flush()
    seen: set[int] = set()
    for item in handles:
        handle = _handle(session, item["channel"], item["value"], item.get("country", ""))
        if handle.id is not None and handle.id not in seen:
            seen.add(handle.id)
            session.add(ListingHandle(listing_id=listing.id, handle_id=handle.id))
    return listing

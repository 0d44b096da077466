"""Writing scored postings and their contact handles."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from lurewatch.storage.models import Handle, Listing, ListingHandle

LISTING_FIELDS = (
    "url", "source", "title", "text", "employer", "location", "location_country", "salary",
    "salary_monthly_usd", "date_posted_raw", "date_posted", "rendered", "extraction", "raw",
    "language", "score",
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


def store_listing(session: Session, values: dict[str, Any],
                  handles: list[dict[str, str]]) -> Listing:
    """Insert one listing with its handles; the caller commits."""
    listing = Listing(**{k: v for k, v in values.items() if k in LISTING_FIELDS and v is not None})
    session.add(listing)
    session.flush()
    seen: set[int] = set()
    for item in handles:
        handle = _handle(session, item["channel"], item["value"], item.get("country", ""))
        if handle.id is not None and handle.id not in seen:
            seen.add(handle.id)
            session.add(ListingHandle(listing_id=listing.id, handle_id=handle.id))
    return listing

"""Writing scored postings and their contact handles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection
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


def _listing_row(values: dict[str, Any]) -> dict[str, Any]:
    """Every listing column `store_listing` sets, with the model's default where it would."""
    row: dict[str, Any] = {}
    for name in LISTING_FIELDS:
        value = values.get(name)
        if name in ("date_posted", "fetched_at") and value is not None:
            value = _as_datetime(value)
        if value is None:
            value = Listing.model_fields[name].get_default(call_default_factory=True)
        row[name] = value
    return row


def _insert_ignoring_duplicates(connection: Connection, table: Any) -> Any:
    """INSERT that skips rows a concurrent writer added first (SQLite and PostgreSQL)."""
    name = connection.dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        return insert(table)
    return dialect_insert(table).on_conflict_do_nothing()


def _handle_ids(connection: Connection,
                wanted: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """Ids of the (channel, value) handles, inserting the missing ones with their country."""
    table = Handle.__table__  # type: ignore[attr-defined]
    keys = list(wanted)
    found: dict[tuple[str, str], int] = {}

    def lookup() -> None:
        missing = [key for key in keys if key not in found]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            rows = connection.execute(
                table.select().with_only_columns(table.c.id, table.c.channel, table.c.value)
                .where(table.c.value.in_({value for _, value in chunk}))
            )
            for handle_id, channel, value in rows:
                if (channel, value) in wanted:
                    found[(channel, value)] = handle_id

    lookup()
    missing = [key for key in keys if key not in found]
    if missing:
        connection.execute(_insert_ignoring_duplicates(connection, table),
                           [{"channel": key[0], "value": key[1], "country": wanted[key]}
                            for key in missing])
        lookup()
    return found


def store_listings(connection: Connection,
                   records: list[tuple[dict[str, Any], list[dict[str, str]]]]) -> list[int]:
    """Insert many listings with their handles in a few statements; the caller commits.

    The same rows as `store_listing` once per record, in order (a handle keeps the country it
    was first stored with), without the ORM's per-object cost. Returns the new listing ids.
    """
    if not records:
        return []
    table = Listing.__table__  # type: ignore[attr-defined]
    rows = [_listing_row(values) for values, _ in records]
    ids = [row[0] for row in connection.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)]
    wanted: dict[tuple[str, str], str] = {}
    for _, handles in records:
        for item in handles:
            wanted.setdefault((item["channel"], item["value"]), item.get("country", ""))
    if wanted:
        handle_ids = _handle_ids(connection, wanted)
        links = []
        for listing_id, (_, handles) in zip(ids, records, strict=True):
            seen: set[int] = set()
            for item in handles:
                handle_id = handle_ids.get((item["channel"], item["value"]))
                if handle_id is not None and handle_id not in seen:
                    seen.add(handle_id)
                    links.append({"listing_id": listing_id, "handle_id": handle_id})
        if links:
            connection.execute(insert(ListingHandle.__table__), links)  # type: ignore[attr-defined]
    return ids

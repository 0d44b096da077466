"""Listings crawled and scored, for NGO reviewers: search, detail, review and export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from api.deps import Reviewer, SessionDep
from api.schemas import ErrorOut, ListingDetail, ListingOut, ListingPage, ReviewIn, ReviewOut
from api.security import ApiError, invalid
from api.text import safe_text
from lurewatch.storage.models import Listing
from lurewatch.storage.queries import (
    CURSOR_PATTERN,
    CursorError,
    ListingFilter,
    cluster_members,
    iter_listings,
    listing_handles,
    search_listings,
    shared_handle_listings,
)
from lurewatch.storage.reviews import add_review, reviews_of

router = APIRouter(prefix="/v1/listings", tags=["listings"], responses={
    401: {"model": ErrorOut, "description": "no key, or an unknown one"},
    403: {"model": ErrorOut, "description": "the key is not a reviewer or admin key"},
})

EXPORT_COLUMNS = ("id", "score", "level", "category", "title", "employer", "location",
                  "location_country", "salary", "language", "source", "url", "cluster",
                  "review_status", "fetched_at", "signals", "evidence", "text")


LEVELS = ("low", "medium", "high", "insufficient")
CATEGORIES = ("compound_lure", "employment_scam", "none")
STATUSES = ("unreviewed", "confirmed_lure", "false_positive", "needs_follow_up", "escalated")


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise invalid(("query", name), f"must be one of {', '.join(allowed)}")
    return value


def _day(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise invalid(("query", name), "must be a date (YYYY-MM-DD)") from exc


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"enum": list(values)}


# Empty values do not filter (the desk's filter form sends every field).
def listing_filter(
    level: Annotated[str | None, Query(max_length=16, json_schema_extra=_enum(LEVELS))] = None,
    category: Annotated[str | None, Query(max_length=32,
                                          json_schema_extra=_enum(CATEGORIES))] = None,
    language: Annotated[str | None, Query(max_length=16, description="ad language")] = None,
    country: Annotated[str | None, Query(max_length=8,
                                         description="destination country (ISO code)")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(max_length=10, description="crawled on or after "
                                           "(UTC), YYYY-MM-DD", examples=["2026-11-01"],
                                           json_schema_extra={"format": "date"})] = None,
    date_to: Annotated[str | None, Query(max_length=10, description="crawled on or before "
                                         "(UTC), YYYY-MM-DD", examples=["2026-11-30"],
                                         json_schema_extra={"format": "date"})] = None,
    review_status: Annotated[str | None, Query(max_length=32,
                                               json_schema_extra=_enum(STATUSES))] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in title, text or "
                                   "employer")] = None,
    cluster: Annotated[str | None, Query(max_length=64)] = None,
    handle: Annotated[str | None, Query(max_length=320, description="contact handle, e.g. "
                                        "hr_amy or telegram:hr_amy")] = None,
) -> ListingFilter:
    """The filters shared by the list, the export and the desk's queue."""
    language, country, source, q, cluster, handle = (
        safe_text(v) if v else None for v in (language, country, source, q, cluster, handle))
    return ListingFilter(
        _choice("level", level, LEVELS), _choice("category", category, CATEGORIES), language,
        country, source, _day("date_from", date_from), _day("date_to", date_to),
        _choice("review_status", review_status, STATUSES), q, cluster, handle)


Filters = Annotated[ListingFilter, Depends(listing_filter)]
ListingId = Annotated[int, Path(ge=1, le=2_147_483_647, description="listing id")]


def listing_out(listing: Listing) -> dict[str, Any]:
    """Public form of a listing."""
    return ListingOut.model_validate(listing, from_attributes=True).model_dump(mode="json")


def _summary(listing: Listing) -> dict[str, Any]:
    return {"id": listing.id, "title": listing.title, "score": listing.score,
            "level": listing.level, "url": listing.url}


def listing_detail(session: Session, listing: Listing) -> dict[str, Any]:
    """A listing with its handles, cluster, listings sharing handles and review trail."""
    members, size = cluster_members(session, listing)
    shared = shared_handle_listings(session, listing.id or 0)
    return {
        **listing_out(listing),
        "handles": [{"channel": h.channel, "value": h.value, "country": h.country}
                    for h in listing_handles(session, listing.id or 0)],
        "cluster_info": {"id": listing.cluster, "size": size,
                         "listings": [_summary(m) for m in members]},
        "shared_handle_listings": [
            {**_summary(other), "handle": {"channel": h.channel, "value": h.value,
                                           "country": h.country}}
            for other, h in shared
        ],
        "reviews": [ReviewOut.model_validate(r, from_attributes=True).model_dump(mode="json")
                    for r in reviews_of(session, listing.id or 0)],
    }


@router.get("", response_model=ListingPage)
def list_listings(session: SessionDep, _: Reviewer, filters: Filters,
                  limit: int = Query(default=50, ge=1, le=500),
                  cursor: str | None = Query(default=None, max_length=40,
                                             pattern=CURSOR_PATTERN,
                                             description="next_cursor of the previous page")
                  ) -> dict[str, Any]:
    """Listings matching the filters, highest risk first, a page at a time."""
    try:
        rows, next_cursor = search_listings(session, filters, limit, cursor)
    except CursorError as exc:
        raise invalid(("query", "cursor"), str(exc)) from exc
    return {"data": [listing_out(row) for row in rows], "count": len(rows),
            "next_cursor": next_cursor}


def _csv_cell(value: Any) -> Any:
    """Crawled text must not run as a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_rows(session: Session, filters: ListingFilter, fmt: str) -> Iterator[str]:
    """The export, a chunk at a time."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        for listing in iter_listings(session, filters):
            record = listing_out(listing)
            record["signals"] = " ".join(s.get("id", "") for s in listing.signals)
            record["evidence"] = " | ".join(
                e.get("text", "") for s in listing.signals for e in s.get("evidence", []))
            writer.writerow([_csv_cell(record.get(column, "")) for column in EXPORT_COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
        return
    for listing in iter_listings(session, filters):
        yield json.dumps(listing_out(listing), ensure_ascii=False) + "\n"


def export_response(request: Request, filters: ListingFilter, fmt: str) -> StreamingResponse:
    """A streamed CSV or JSON Lines download (its own session: it outlives the request's)."""
    session = Session(request.app.state.engine)

    def body() -> Iterator[str]:
        try:
            yield from export_rows(session, filters, fmt)
        finally:
            session.close()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    return StreamingResponse(body(), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="lurewatch-listings.{fmt}"'})


@router.get("/export", responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}},
                                        "description": "the listings as CSV or JSON Lines"}})
def export_listings(request: Request, _: Reviewer, filters: Filters,
                    format: Literal["csv", "jsonl"] = Query(default="csv")  # noqa: A002
                    ) -> StreamingResponse:
    """Every listing matching the filters, highest risk first, as CSV or JSON Lines."""
    return export_response(request, filters, format)


@router.get("/{listing_id}", response_model=ListingDetail,
            responses={404: {"model": ErrorOut, "description": "no such listing"}})
def get_listing(listing_id: ListingId, session: SessionDep, _: Reviewer) -> dict[str, Any]:
    """One listing with its signals, its cluster, the ads that share a contact handle and its
    review trail."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise ApiError(404, f"no listing {listing_id}")
    return listing_detail(session, listing)


@router.patch("/{listing_id}/review", response_model=ReviewOut,
              responses={404: {"model": ErrorOut, "description": "no such listing"},
                         400: {"model": ErrorOut, "description": "body is not valid UTF-8"},
                         413: {"model": ErrorOut, "description": "body too large"}})
def review_listing(listing_id: ListingId, review: ReviewIn, session: SessionDep,
                   reviewer: Reviewer) -> dict[str, Any]:
    """Record a decision. Every decision is kept (an audit trail that is never overwritten);
    the listing's review_status is the latest one. Answered only once it is on disk."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise ApiError(404, f"no listing {listing_id}")
    row = add_review(session, listing, review.decision, review.note,
                     review.reviewer or reviewer.name or f"key {reviewer.key_id}",
                     reviewer.key_id)
    return ReviewOut.model_validate(row, from_attributes=True).model_dump(mode="json")

"""Listings crawled and scored, for NGO reviewers and platforms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query
from sqlmodel import col, select

from api.deps import SessionDep
from lurewatch.storage.models import Listing

router = APIRouter(prefix="/v1/listings", tags=["listings"])


def listing_out(listing: Listing) -> dict[str, Any]:
    """Public form of a listing."""
    return listing.model_dump(mode="json")


@router.get("")
def list_listings(
    session: SessionDep,
    level: str | None = Query(default=None, max_length=16),
    limit: int = Query(default=50, ge=1, le=500),
) -> dict[str, Any]:
    """Listings, highest risk first."""
    query = select(Listing)
    if level:
        query = query.where(Listing.level == level)
    query = query.order_by(col(Listing.score).desc(), col(Listing.id)).limit(limit)
    rows = session.exec(query).all()
    return {"data": [listing_out(row) for row in rows], "count": len(rows)}


@router.get("/{listing_id}")
def get_listing(listing_id: int, session: SessionDep) -> dict[str, Any]:
    """One listing with its signals."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise HTTPException(status_code=404, detail=f"no listing {listing_id}")
    return listing_out(listing)

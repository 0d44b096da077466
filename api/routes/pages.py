"""The NGO review desk: server-rendered pages (Jinja2 with autoescaping)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import col, select

from api.deps import SessionDep
from lurewatch.storage.models import Listing

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
router = APIRouter(include_in_schema=False)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


def _page(request: Request, name: str, context: dict) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(request, name, context)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep) -> HTMLResponse:
    """The review queue, highest risk first."""
    rows = session.exec(
        select(Listing).order_by(col(Listing.score).desc(), col(Listing.id)).limit(200)
    ).all()
    return _page(request, "queue.html", {"listings": rows})


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
def detail(listing_id: int, request: Request, session: SessionDep) -> HTMLResponse:
    """One listing with its reasons."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise HTTPException(status_code=404, detail=f"no listing {listing_id}")
    return _page(request, "detail.html", {"listing": listing})

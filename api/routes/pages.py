"""The NGO review desk: server-rendered pages (Jinja2 autoescaping, strict CSP, CSRF tokens).

Crawled text is hostile: templates never mark it safe, the CSP allows no script at all, and
every form that changes something carries a token derived from the reviewer's key.
"""

from __future__ import annotations

import hmac
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import SessionDep
from api.routes.listings import Filters, ListingId, export_response, listing_detail
from api.security import SESSION_COOKIE, Principal, csrf_token
from api.text import safe_text
from lurewatch.storage.models import Listing
from lurewatch.storage.queries import CursorError, count_listings, dashboard_stats, search_listings
from lurewatch.storage.reviews import DECISIONS, add_review

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
router = APIRouter(include_in_schema=False)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
DESK_ROLES = ("reviewer", "admin")
LEVELS = ("high", "medium", "low", "insufficient")
SESSION_SECONDS = 12 * 3600


class SignInNeeded(Exception):
    """The desk page needs a reviewer to sign in first."""


def secure_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(request: Request, name: str, context: dict[str, Any],
          status_code: int = 200) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
    return secure_headers(response)  # type: ignore[return-value]


def desk_user(request: Request) -> Principal | None:
    """The reviewer signed in through the session cookie, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    key_hash = request.app.state.sessions.verify(cookie) if cookie else None
    if not key_hash:
        return None
    principal = request.app.state.keys.lookup_hash(key_hash)
    if principal is None or principal.role not in DESK_ROLES:
        return None
    return principal


def signed_in(request: Request) -> Principal:
    """Dependency: the reviewer, or a redirect to the sign-in page."""
    principal = desk_user(request)
    if principal is None:
        raise SignInNeeded
    return principal


Desk = Annotated[Principal, Depends(signed_in)]


def _same_origin(request: Request) -> bool:
    """A form post must come from this site (the browser's Origin), when the header is sent."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _check_form(request: Request, principal: Principal, token: str) -> None:
    if not _same_origin(request) or not hmac.compare_digest(
            token.encode(), csrf_token(principal.key_hash).encode()):
        raise FormRejected


class FormRejected(Exception):
    """A desk form without a valid CSRF token or from another origin."""


def _context(request: Request, principal: Principal | None, **values: Any) -> dict[str, Any]:
    return {"user": principal, "csrf": csrf_token(principal.key_hash) if principal else "",
            "path": request.url.path, **values}


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, error: str = "") -> HTMLResponse:
    """The sign-in form: a reviewer key."""
    return _page(request, "signin.html", _context(request, None, error=error[:100]))


@router.post("/signin")
def signin(request: Request, key: str = Form(default="", max_length=200)) -> Response:
    """Check a reviewer key and start a signed session (HttpOnly, SameSite=Strict cookie that
    holds the key's hash, an expiry and a signature, not the key)."""
    principal = request.app.state.keys.lookup(key.strip()) if key.strip() else None
    if not _same_origin(request) or principal is None or principal.role not in DESK_ROLES:
        message = "That key is not a reviewer key." if _same_origin(request) else "Bad origin."
        return _page(request, "signin.html", _context(request, None, error=message),
                     status_code=401 if principal is None else 403)
    response = RedirectResponse("/", status_code=303)
    session = request.app.state.sessions.issue(principal.key_hash, SESSION_SECONDS)
    response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=request.app.state.settings.secure_cookies)
    return secure_headers(response)


@router.post("/signout")
def signout(request: Request, principal: Desk,
            csrf: str = Form(default="", max_length=200)) -> Response:
    """End the session."""
    _check_form(request, principal, csrf)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return secure_headers(response)


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, filters: Filters,
          principal: Desk,
          cursor: str | None = Query(default=None, max_length=200)) -> HTMLResponse:
    """The review queue, highest risk first, with the API's filters."""
    try:
        rows, next_cursor = search_listings(session, filters, 50, cursor)
    except CursorError:
        rows, next_cursor = search_listings(session, filters, 50)
    params = filters.as_params()
    return _page(request, "queue.html", _context(
        request, principal, listings=rows, filters=params,
        total=count_listings(session, filters),
        next_url="/?" + urlencode({**params, "cursor": next_cursor}) if next_cursor else None,
        export_query=urlencode(params), levels=LEVELS, decisions=DECISIONS,
    ))


def highlight(text: str, evidence: list[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """`text` cut into plain and marked segments; spans that do not match the text are skipped."""
    segments: list[dict[str, Any]] = []
    position = 0
    for start, end, quoted, group in sorted(evidence):
        if start < position or end <= start or text[start:end] != quoted:
            continue
        if start > position:
            segments.append({"text": text[position:start], "group": None})
        segments.append({"text": text[start:end], "group": group})
        position = end
    if position < len(text):
        segments.append({"text": text[position:], "group": None})
    return segments


def _evidence(listing: Listing, field: str) -> list[tuple[int, int, str, str]]:
    return [(int(e.get("start", 0)), int(e.get("end", 0)), str(e.get("text", "")),
             str(signal.get("group", "")))
            for signal in listing.signals if isinstance(signal, dict)
            for e in signal.get("evidence", []) if e.get("field") == field]


def _safe_link(url: str) -> str | None:
    return url if urlsplit(url).scheme in ("http", "https") else None


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
def detail(listing_id: ListingId, request: Request, session: SessionDep,
           principal: Desk, saved: str = "") -> HTMLResponse:
    """One listing: the ad with its evidence marked, signals, cluster, handles and decisions."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        return _page(request, "error.html", _context(
            request, principal, message=f"There is no listing {listing_id}."), status_code=404)
    info = listing_detail(session, listing)
    return _page(request, "detail.html", _context(
        request, principal, listing=listing, info=info,
        title_segments=highlight(listing.title, _evidence(listing, "title")),
        text_segments=highlight(listing.text, _evidence(listing, "text")),
        link=_safe_link(listing.url), decisions=DECISIONS, saved=saved == "1",
    ))


@router.post("/listings/{listing_id}/review")
def review(listing_id: ListingId, request: Request, session: SessionDep,
           principal: Desk,
           decision: str = Form(default="", max_length=32),
           note: str = Form(default="", max_length=20_000),
           csrf: str = Form(default="", max_length=200)) -> Response:
    """A decision from the detail page; answered by a redirect once it is stored."""
    _check_form(request, principal, csrf)
    listing = session.get(Listing, listing_id)
    if listing is None or decision not in DECISIONS:
        return _page(request, "error.html", _context(
            request, principal, message="No such listing or decision."), status_code=400)
    add_review(session, listing, decision, safe_text(note),
               principal.name or f"key {principal.key_id}", principal.key_id)
    return secure_headers(RedirectResponse(f"/listings/{listing_id}?saved=1", status_code=303))


@router.get("/export")
def export(request: Request, filters: Filters, principal: Desk,
           format: str = Query(default="csv", pattern="^(csv|jsonl)$")  # noqa: A002
           ) -> Response:
    """The queue's listings as CSV or JSON Lines."""
    return secure_headers(export_response(request, filters, format))


def _bars(items: list[tuple[str, int]], width: int = 420) -> list[dict[str, Any]]:
    peak = max((count for _, count in items), default=0) or 1
    return [{"label": label, "count": count, "y": 24 * i,
             "width": max(2, round(width * count / peak))} for i, (label, count) in
            enumerate(items)]


def _per_day(per_day: dict[str, dict[str, int]], days: int = 30) -> dict[str, Any]:
    today = date.today()
    labels = [(today - timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
    peak = max((sum(per_day.get(d, {}).values()) for d in labels), default=0) or 1
    height, slot = 160, 22
    columns = []
    for i, day in enumerate(labels):
        counts = per_day.get(day, {})
        y = height
        stack = []
        for level in reversed(LEVELS):
            count = counts.get(level, 0)
            if count:
                h = max(1, round(height * count / peak))
                y -= h
                stack.append({"level": level, "count": count, "y": y, "height": h})
        columns.append({"day": day, "x": 40 + i * slot, "stack": stack,
                        "total": sum(counts.values()), "label": day[5:] if i % 5 == 0 else ""})
    return {"columns": columns, "peak": peak, "height": height, "width": 40 + days * slot}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep,
              principal: Desk) -> HTMLResponse:
    """Charts drawn on the server as SVG: per day by level, destinations, signals, languages."""
    stats = dashboard_stats(session)
    return _page(request, "dashboard.html", _context(
        request, principal, stats=stats, per_day=_per_day(stats["per_day"]), levels=LEVELS,
        destinations=_bars(stats["destinations"]), signals=_bars(stats["signals"], 300),
        languages=_bars(stats["languages"]),
    ))


async def not_found(request: Request) -> HTMLResponse:
    """The desk's 404 page."""
    return _page(request, "error.html", _context(request, desk_user(request),
                                                 message="There is no such page."), 404)


def sign_in_redirect() -> Response:
    return secure_headers(RedirectResponse("/signin", status_code=303))


def rejected_form(request: Request) -> HTMLResponse:
    return _page(request, "error.html", _context(
        request, desk_user(request),
        message="This form was not sent from the review desk (the security token did not "
                "match). Go back, reload the page and try again."), status_code=403)

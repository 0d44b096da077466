"""Reports of ads by jobseekers (from the extension; no account) and their outcome."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlmodel import col, select

from api.deps import ScorerDep, SessionDep, client_address
from api.schemas import ErrorOut, ReportIn, ReportOut
from api.security import ApiError, retry_error
from api.text import safe_text
from lurewatch.storage.listings import store_listing
from lurewatch.storage.models import Listing, Report
from lurewatch.storage.reports import find_report, new_public_id, report_status
from scoring.ad import Ad
from scoring.handles import ad_handles

router = APIRouter(prefix="/v1/reports", tags=["reports"])
REPORT_SOURCE = "report"


def report_out(session: SessionDep, report: Report) -> dict[str, Any]:
    status, latest = report_status(session, report)
    listing = session.get(Listing, report.listing_id) if report.listing_id else None
    return ReportOut.model_validate({
        "id": report.public_id, "status": status, "created_at": report.created_at,
        "updated_at": latest.created_at if latest else None,
        "level": listing.level if listing else None,
    }).model_dump(mode="json")


@router.post("", status_code=201, response_model=ReportOut, responses={
    400: {"model": ErrorOut, "description": "body is not valid UTF-8"},
    413: {"model": ErrorOut, "description": "body too large"},
    429: {"model": ErrorOut, "description": "too many reports from this address"}})
def create_report(report: ReportIn, request: Request, session: SessionDep,
                  scorer: ScorerDep) -> JSONResponse:
    """Report an ad; it is scored and enters the reviewers' queue (an ad already there, with
    the same title and text, is not added twice). No account is needed.

    Keep the returned `id`: GET /v1/reports/{id} tells what became of the report.
    """
    settings = request.app.state.settings
    wait = request.app.state.report_limiter.take(client_address(request))
    if wait:
        raise retry_error(f"{settings.report_rate_per_hour} reports per hour per address", wait)
    ad = Ad.from_dict({"id": "report", "title": report.title, "text": report.text,
                       "url": report.url})
    content_hash = hashlib.sha256(f"{ad.title}\n{ad.text}".lower().encode("utf-8")).hexdigest()
    listing = session.exec(
        select(Listing).where(Listing.content_hash == content_hash).order_by(col(Listing.id))
    ).first()
    if listing is None:  # a new ad: score it and put it in the queue
        result = scorer.score(ad).to_dict()
        listing = store_listing(session, {
            "url": report.url, "source": REPORT_SOURCE, "title": ad.title, "text": ad.text,
            "language": result["language"], "score": result["score"],
            "level": result["level"], "category": result["category"],
            "signals": result["signals"], "model_version": result["model_version"],
            "raw": {"reason": report.reason}, "content_hash": content_hash,
            "cluster": content_hash[:16],
        }, ad_handles(ad))
    row = Report(public_id=new_public_id(), title=report.title, text=report.text,
                 url=report.url, reason=report.reason, listing_id=listing.id)
    session.add(row)
    session.commit()
    session.refresh(row)
    body = report_out(session, row)
    return JSONResponse(body, status_code=201,
                        headers={"Location": f"/v1/reports/{row.public_id}"})


@router.get("/{report_id}", response_model=ReportOut,
            responses={404: {"model": ErrorOut, "description": "no such report"}})
def get_report(report_id: str, session: SessionDep) -> dict[str, Any]:
    """What became of a report: received, under review, escalated, confirmed or not confirmed."""
    report = find_report(session, safe_text(report_id[:64]))
    if report is None:
        raise ApiError(404, "no such report")
    return report_out(session, report)

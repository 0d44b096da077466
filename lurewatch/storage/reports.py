"""Jobseekers' reports from the extension, and what the reporter may see of their outcome."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from lurewatch.storage.models import Report, Review

# What the reporter sees for the latest reviewer decision (never the note or the reviewer).
PUBLIC_STATUS = {
    None: "received",
    "needs_follow_up": "under_review",
    "escalated": "escalated",
    "confirmed_lure": "confirmed",
    "false_positive": "not_confirmed",
}


def new_public_id() -> str:
    """An unguessable id that lets the reporter, and only them, look the report up."""
    return "r_" + secrets.token_urlsafe(18)


def report_status(session: Session, report: Report) -> tuple[str, Review | None]:
    """The public status of a report and the latest review behind it."""
    if report.listing_id is None:
        return PUBLIC_STATUS[None], None
    latest = session.exec(
        select(Review).where(Review.listing_id == report.listing_id)
        .order_by(col(Review.id).desc()).limit(1)
    ).first()
    return PUBLIC_STATUS.get(latest.decision if latest else None, "received"), latest


def find_report(session: Session, public_id: str) -> Report | None:
    """A report by its public id."""
    return session.exec(select(Report).where(Report.public_id == public_id)).first()

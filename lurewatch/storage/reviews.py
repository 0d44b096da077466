"""Reviewer decisions: an append-only audit trail, and the training examples it yields."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from lurewatch.storage.models import Listing, Review

DECISIONS = ("confirmed_lure", "false_positive", "needs_follow_up", "escalated")
# The label `lurewatch train --with-reviews` learns from each final decision.
TRAINING_LABELS = {"confirmed_lure": "lure", "false_positive": "legit"}


def add_review(session: Session, listing: Listing, decision: str, note: str = "",
               reviewer: str = "", api_key_id: int | None = None) -> Review:
    """Append a decision and update the listing's current status, in one transaction.

    Commits before returning, so a decision that was answered 200 is on disk.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    review = Review(listing_id=listing.id, decision=decision, note=note, reviewer=reviewer,
                    api_key_id=api_key_id)
    session.add(review)
    listing.review_status = decision
    session.add(listing)
    session.commit()
    session.refresh(review)
    return review


def reviews_of(session: Session, listing_id: int) -> list[Review]:
    """The audit trail of one listing, oldest first."""
    return list(session.exec(
        select(Review).where(Review.listing_id == listing_id).order_by(col(Review.id))
    ).all())


def latest_decisions(session: Session) -> dict[int, str]:
    """The latest decision of every reviewed listing, by listing id."""
    newest = (select(Review.listing_id, func.max(Review.id).label("review_id"))
              .group_by(Review.listing_id).subquery())
    rows = session.exec(
        select(Review.listing_id, Review.decision)
        .join(newest, col(Review.id) == newest.c.review_id)
    ).all()
    return {listing_id: decision for listing_id, decision in rows}


def reviewed_examples(database_url: str | None = None) -> list:
    """Training examples from listings whose latest review is confirmed_lure or false_positive.

    Reads the database LUREWATCH_DATABASE_URL names (or `database_url`).
    """
    from lurewatch.storage.db import create_tables, make_engine
    from scoring.ad import Ad
    from scoring.corpus import Example

    engine = make_engine(database_url)
    create_tables(engine)
    examples: list = []
    try:
        with Session(engine) as session:
            labels = {listing_id: TRAINING_LABELS[decision]
                      for listing_id, decision in latest_decisions(session).items()
                      if decision in TRAINING_LABELS}
            ids = sorted(labels)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for listing in session.exec(select(Listing).where(col(Listing.id).in_(chunk))):
                    if not (listing.title or listing.text):
                        continue
                    ad = Ad(id=f"review-{listing.id}", title=listing.title, text=listing.text,
                            employer=listing.employer, location=listing.location,
                            salary=listing.salary, url=listing.url,
                            language=listing.language)
                    examples.append(Example(ad, labels[listing.id], kind="review"))
    finally:
        engine.dispose()
    examples.sort(key=lambda example: example.ad.id)
    return examples

"""Database tables: listings, contact handles, reviews, reports and API keys."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now, for defaults."""
    return datetime.now(UTC)


class Listing(SQLModel, table=True):
    """One stored job posting with its raw and normalised values and its score."""

    __table_args__ = (Index("ix_listing_score_id", "score", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(default="", index=True, max_length=2048)
    source: str = Field(default="", index=True, max_length=200)
    title: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    employer: str = Field(default="", max_length=500)
    location: str = Field(default="", max_length=500)
    location_country: str = Field(default="", max_length=8, index=True)
    salary: str = Field(default="", max_length=500)
    salary_monthly_usd: float | None = None
    date_posted_raw: str = Field(default="", max_length=100)
    date_posted: datetime | None = Field(default=None, index=True)
    fetched_at: datetime = Field(default_factory=utcnow, index=True)
    rendered: bool = False
    extraction: str = Field(default="", max_length=16)  # json-ld | microdata | rdfa | text | ...
    raw: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="", max_length=16, index=True)
    score: int = Field(default=0, index=True)
    level: str = Field(default="low", max_length=16, index=True)
    category: str = Field(default="none", max_length=32, index=True)
    signals: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    model_version: str = Field(default="", max_length=64)
    content_hash: str = Field(default="", max_length=64, index=True)
    cluster: str = Field(default="", max_length=64, index=True)
    review_status: str = Field(default="unreviewed", max_length=32, index=True)


class Handle(SQLModel, table=True):
    """A contact handle (Telegram, WhatsApp, phone, e-mail...) seen in one or more ads."""

    __table_args__ = (UniqueConstraint("channel", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32, index=True)
    value: str = Field(max_length=320, index=True)
    country: str = Field(default="", max_length=8)


class ListingHandle(SQLModel, table=True):
    """Which handles appear in which listings."""

    listing_id: int = Field(foreign_key="listing.id", primary_key=True)
    handle_id: int = Field(foreign_key="handle.id", primary_key=True, index=True)


class Review(SQLModel, table=True):
    """One reviewer decision on a listing; rows are only ever added, never changed."""

    id: int | None = Field(default=None, primary_key=True)
    listing_id: int = Field(foreign_key="listing.id", index=True)
    decision: str = Field(max_length=32)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reviewer: str = Field(default="", max_length=200)
    api_key_id: int | None = Field(default=None, foreign_key="apikey.id")
    created_at: datetime = Field(default_factory=utcnow)


class Report(SQLModel, table=True):
    """A jobseeker's report of an ad, from the extension."""

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=64, unique=True, index=True)
    title: str = Field(default="", max_length=1000)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    url: str = Field(default="", max_length=2048)
    reason: str = Field(default="", max_length=2000)
    listing_id: int | None = Field(default=None, foreign_key="listing.id")
    status: str = Field(default="received", max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class ApiKey(SQLModel, table=True):
    """An API key, stored as a hash; the key itself is shown once when it is made."""

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=128, unique=True)
    role: str = Field(max_length=16)
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    revoked: bool = False

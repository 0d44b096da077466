"""Request and response bodies of the public API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.text import safe_text

_EXAMPLE_AD = {
    "id": "ad-1",
    "title": "Customer service (English)",
    "text": "Customer service in Bangkok, US$2,000/month, free flight and visa, "
    "interview on Telegram @hr_example",
}
_EXAMPLE_RESULT = {
    "id": "ad-1", "score": 93, "level": "high", "category": "compound_lure",
    "signals": [{
        "id": "channel.messenger_contact", "group": "channel",
        "message": "Asks you to make contact through a private messaging app.",
        "contribution": 0.8317,
        "evidence": [{"field": "text", "start": 80, "end": 88, "text": "Telegram"},
                     {"field": "text", "start": 89, "end": 100, "text": "@hr_example"}],
    }],
    "language": "en", "model_version": "1",
}
Decision = Literal["confirmed_lure", "false_positive", "needs_follow_up", "escalated"]


class SafeIn(BaseModel):
    """A request body whose strings are made storable (no NUL, no lone surrogates)."""

    @field_validator("*", mode="after")
    @classmethod
    def _safe(cls, value: Any) -> Any:
        return safe_text(value) if isinstance(value, str) else value


class AdIn(SafeIn):
    """One job ad to score."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_EXAMPLE_AD]})

    id: Annotated[str, Field(min_length=1)] | int = Field(
        description="Your identifier for the ad, echoed back")
    title: str = Field(default="", max_length=1_000_000)
    text: str = Field(default="", max_length=1_000_000)
    employer: str | None = Field(default=None, max_length=1_000_000)
    location: str | None = Field(default=None, max_length=1_000_000)
    salary: str | None = Field(default=None, max_length=1_000_000)
    url: str | None = Field(default=None, max_length=1_000_000)
    language: str | None = Field(default=None, max_length=32)


class EvidenceOut(BaseModel):
    """Where in the ad a signal was seen: `start`/`end` index the original field text."""

    field: str
    start: int
    end: int
    text: str


class SignalOut(BaseModel):
    """One reason, with its share of the log-odds."""

    id: str
    group: str
    message: str
    contribution: float
    evidence: list[EvidenceOut]


class ScoreOut(BaseModel):
    """The answer for one ad."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE_RESULT]})

    id: str
    score: int = Field(ge=0, le=100)
    level: str = Field(description="low | medium | high | insufficient")
    category: str = Field(description="compound_lure | employment_scam | none")
    signals: list[SignalOut]
    language: str
    model_version: str


class BatchIn(BaseModel):
    """Up to 1,000 ads; each is checked on its own, so one bad ad fails only itself."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [
        _EXAMPLE_AD, {"id": "ad-2", "title": "Nurse", "text": "Registered nurse for an NHS "
                      "trust in Leeds, Health and Care visa sponsored, no fees."}]}]})

    items: list[Any] = Field(description="ads, each as for POST /v1/score")


class ItemError(BaseModel):
    """Why one ad of a batch could not be scored."""

    id: str | None = Field(description="the ad's id, when it had one")
    error: str


class BatchOut(BaseModel):
    """One entry per input ad, in input order: a result or an error."""

    results: list[ScoreOut | ItemError]


class SignalInfo(BaseModel):
    """A catalogue entry: what a signal means, in every UI language it has."""

    id: str
    group: str
    polarity: str = Field(description="risk | safe")
    messages: dict[str, str]


class ModelOut(BaseModel):
    """The scoring model in service."""

    version: str
    languages: list[str] = Field(description="languages the reason messages come in (?lang=)")
    levels: list[str]
    categories: list[str]
    signals: list[SignalInfo]


class ErrorOut(BaseModel):
    """An error body."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "examples": [{"detail": "unknown or revoked API key"}]})

    detail: str


class HandleOut(BaseModel):
    """A contact handle seen in ads."""

    channel: str
    value: str
    country: str = ""


_EXAMPLE_LISTING = {
    "id": 42, "url": "https://jobs.example.org/typist", "source": "jobs.example.org",
    "title": "Typist (English)", "text": "Typing job in Sihanoukville, $2000/month, free visa, "
    "Telegram @hr_amy", "employer": "", "location": "Sihanoukville", "location_country": "KH",
    "salary": "$2000/month", "date_posted_raw": "2026-11-30", "date_posted": None,
    "fetched_at": "2026-12-01T08:00:00Z", "language": "en", "score": 97, "level": "high",
    "category": "compound_lure", "signals": [_EXAMPLE_RESULT["signals"][0]],
    "model_version": "1", "cluster": "3f9c2a1b7d004e11", "review_status": "unreviewed",
}


class ListingOut(BaseModel):
    """A crawled (or reported) ad with its score."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE_LISTING]})

    id: int
    url: str
    source: str
    title: str
    text: str
    employer: str
    location: str
    location_country: str
    salary: str
    date_posted_raw: str
    date_posted: datetime | None
    fetched_at: datetime
    language: str
    score: int
    level: str
    category: str
    signals: list[dict[str, Any]]
    model_version: str
    cluster: str
    review_status: str


class ListingPage(BaseModel):
    """One page of listings, highest risk first."""

    data: list[ListingOut]
    count: int = Field(description="listings on this page")
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; "
                                    "null on the last page")


class ListingSummary(BaseModel):
    """A listing named in another's detail."""

    id: int
    title: str
    score: int
    level: str
    url: str


class SharedHandleListing(ListingSummary):
    """Another listing with the same contact handle."""

    handle: HandleOut


class ClusterOut(BaseModel):
    """The near-duplicate template a listing belongs to."""

    id: str
    size: int
    listings: list[ListingSummary]


class ReviewIn(SafeIn):
    """A reviewer's decision on a listing."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "decision": "confirmed_lure", "note": "Same Telegram handle as three Myawaddy ads",
        "reviewer": "amy@ngo.example"}]})

    decision: Decision
    note: str = Field(default="", max_length=20_000)
    reviewer: str = Field(default="", max_length=200,
                          description="who decided; defaults to the key's name")


class ReviewOut(BaseModel):
    """One entry of the audit trail."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 7, "listing_id": 42, "decision": "confirmed_lure",
        "note": "Same Telegram handle as three Myawaddy ads", "reviewer": "amy@ngo.example",
        "created_at": "2026-12-01T09:12:00Z"}]})

    id: int
    listing_id: int
    decision: str
    note: str
    reviewer: str
    created_at: datetime


class ListingDetail(ListingOut):
    """A listing with its handles, cluster, related ads and review trail."""

    handles: list[HandleOut]
    cluster_info: ClusterOut
    shared_handle_listings: list[SharedHandleListing]
    reviews: list[ReviewOut]


class ReportIn(SafeIn):
    """A jobseeker's report of an ad, sent by the extension."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "text": "Typing job in Cambodia, $2000/month, free visa, contact Telegram @hr_amy",
        "url": "https://jobs.example.org/ads/123", "reason": "Asked me to pay a visa fee"}]})

    text: str = Field(min_length=1, max_length=100_000)
    title: str = Field(default="", max_length=1000)
    url: str = Field(default="", max_length=2048)
    reason: str = Field(default="", max_length=2000)


class ReportOut(BaseModel):
    """What became of a report (the reporter sees no reviewer names or notes)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "r_3mW0b4f1x2Yz", "status": "received", "created_at": "2026-12-01T10:00:00Z",
        "updated_at": None, "level": "high"}]})

    id: str
    status: str = Field(description="received | under_review | escalated | confirmed | "
                        "not_confirmed")
    created_at: datetime
    updated_at: datetime | None
    level: str | None = Field(default=None, description="the scorer's level for the ad")

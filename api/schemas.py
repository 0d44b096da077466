"""Request and response bodies of the public API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_EXAMPLE_AD = {
    "id": "ad-1",
    "title": "Customer service (English)",
    "text": "Customer service in Bangkok, US$2,000/month, free flight and visa, "
    "interview on Telegram @hr_example",
}


class AdIn(BaseModel):
    """One job ad to score."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_EXAMPLE_AD]})

    id: str | int = Field(description="Your identifier for the ad, echoed back")
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

    id: str
    score: int = Field(ge=0, le=100)
    level: str = Field(description="low | medium | high | insufficient")
    category: str = Field(description="compound_lure | employment_scam | none")
    signals: list[SignalOut]
    language: str
    model_version: str


class ErrorOut(BaseModel):
    """An error body."""

    detail: str

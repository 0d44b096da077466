"""Typed spider arguments, checked when the spider is created (bad `-a` values fail early)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class UrlsParam(BaseModel):
    """Start URLs (a list, or one comma-separated string)."""

    urls: list[str] = Field(min_length=1)

    @field_validator("urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        return _split(value)

    @field_validator("urls")
    @classmethod
    def _http_only(cls, value: list[str]) -> list[str]:
        for url in value:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ValueError(f"not an http(s) URL: {url}")
        return value


class RenderParam(BaseModel):
    """When to render pages in Chromium."""

    render: Literal["auto", "always", "never"] = "auto"


class LimitsParam(BaseModel):
    """Per-source limits (0: none)."""

    max_pages: int = Field(default=0, ge=0)
    max_items: int = Field(default=0, ge=0)


class LanguagesParam(BaseModel):
    """Languages the source is expected to publish in (ISO 639-1 codes)."""

    languages: list[str] = Field(default_factory=list)

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        return _split(value)


class SpiderParams(UrlsParam, RenderParam, LimitsParam, LanguagesParam):
    """Arguments every lurewatch spider takes."""

    model_config = ConfigDict(extra="forbid")
    source: str = ""


def parse_params(kwargs: dict[str, object]) -> SpiderParams:
    """SpiderParams from spider keyword arguments; ValueError with one readable line."""
    from pydantic import ValidationError

    known = {k: v for k, v in kwargs.items() if k in SpiderParams.model_fields}
    try:
        return SpiderParams(**known)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        raise ValueError(f"{where}: {message}" if where else message) from None

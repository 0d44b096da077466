"""The job posting item: raw values next to normalised ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class JobPostingItem:
    """A posting as harvested, then cleaned, scored and stored by the pipelines."""

    url: str
    source: str = ""
    title: str = ""
    text: str = ""
    text_html: str = ""
    employer: str = ""
    location: str = ""
    location_country: str = ""
    salary: str = ""
    salary_raw: Any = None
    date_posted_raw: str = ""
    date_posted: str = ""
    fetched_at: str = ""
    rendered: bool = False
    extraction: str = ""  # json-ld | microdata | rdfa | text
    language: str = ""
    handles: list[dict[str, str]] = field(default_factory=list)
    cluster: str = ""
    content_hash: str = ""
    result: dict[str, Any] = field(default_factory=dict)

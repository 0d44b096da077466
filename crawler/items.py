"""The job posting item: raw values next to normalised ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class JobPostingItem:
    """A posting as harvested, then cleaned, scored and stored by the pipelines.

    `*_raw` fields hold exactly what the page said (reviewers need to see it); the field of the
    same name without the suffix holds the normalised value.
    """

    url: str
    source: str = ""
    spider: str = ""
    page_type: str = ""  # detail | listing | feed | channel | start
    title: str = ""
    text: str = ""
    text_html: str = ""
    employer: str = ""
    location: str = ""
    location_raw: Any = None
    location_country: str = ""
    salary: str = ""
    salary_raw: Any = None
    salary_normalised: dict[str, Any] = field(default_factory=dict)
    date_posted_raw: str = ""
    date_posted: str = ""
    fetched_at: str = ""
    rendered: bool = False
    extraction: str = ""  # json-ld | microdata | rdfa | text | feed | telegram | site:<name>
    expected_languages: list[str] = field(default_factory=list)
    language: str = ""
    raw: Any = None
    handles: list[dict[str, str]] = field(default_factory=list)
    cluster: str = ""
    duplicate_of: str = ""  # exact | near | "" (first of its cluster)
    content_hash: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    # Resume bookkeeping: the page this item came from and how many items that page gave.
    page_url: str = ""
    page_items: int = 1
    # What CleanTextPipeline computed ahead in the worker for the later pipelines (see
    # crawler/analyse.py): "signature" for ClusterPipeline, "scored" and "reused" for
    # ScorePipeline. Not stored, not written.
    analysis: dict[str, Any] = field(default_factory=dict, repr=False)

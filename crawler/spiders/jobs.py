"""The `jobs` spider: listing pages to detail pages within a site, postings from structured data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response

from crawler.items import JobPostingItem
from crawler.jobposting import find_job_postings, main_text, posting_fields

_JOB_HINTS = ("job", "career", "vacanc", "position", "post", "opening", "work", "tuyen", "viec")
_NEXT_HINTS = ("next", "older", "›", "»", "more")


class JobsSpider(scrapy.Spider):
    """Follows listing pages to detail pages and extracts JobPosting items."""

    name = "jobs"

    def __init__(self, urls: str | list[str] = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        given = urls.split(",") if isinstance(urls, str) else urls
        self.start_urls_list = [u for u in given if u]
        if not self.start_urls_list:
            raise ValueError("the jobs spider needs at least one start URL")
        for url in self.start_urls_list:
            if urlparse(url).scheme not in ("http", "https"):
                raise ValueError(f"not an http(s) URL: {url}")
        self.allowed_domains = sorted({urlparse(u).hostname or "" for u in self.start_urls_list})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls_list:
            yield scrapy.Request(url, callback=self.parse, meta={"page_type": "start"})

    def parse(self, response: Response) -> Iterator[Any]:
        """A page may be a detail page (postings), a listing page (links), or both."""
        if not isinstance(response, scrapy.http.TextResponse):
            return
        postings = find_job_postings(response.text, response.url)
        for syntax, posting in postings:
            yield self._item(response, posting_fields(posting), syntax)
        if postings:
            return
        job_links = list(self._job_links(response))
        for link in job_links:
            yield response.follow(link, callback=self.parse_detail,
                                  meta={"page_type": "detail"})
        if job_links:
            for link in self._next_links(response):
                yield response.follow(link, callback=self.parse, meta={"page_type": "listing"})
        elif response.meta.get("page_type") == "detail":
            yield from self._fallback(response)

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """A detail page: structured data, or the main text when there is none."""
        if not isinstance(response, scrapy.http.TextResponse):
            return
        postings = find_job_postings(response.text, response.url)
        for syntax, posting in postings:
            yield self._item(response, posting_fields(posting), syntax)
        if not postings:
            yield from self._fallback(response)

    def _fallback(self, response: Response) -> Iterator[JobPostingItem]:
        title, text = main_text(response.text)
        if len(text) >= 80:
            yield self._item(response, {"title": title, "text": text}, "text")

    def _job_links(self, response: Response) -> Iterator[str]:
        seen: set[str] = set()
        for anchor in response.css("a[href]"):
            href = anchor.attrib.get("href", "")
            url = response.urljoin(href)
            if url in seen or urlparse(url).hostname not in self.allowed_domains:
                continue
            path = urlparse(url).path.lower()
            rel = (anchor.attrib.get("rel") or "").lower()
            label = " ".join(anchor.css("::text").getall()).strip().lower()
            if "next" in rel or any(label.startswith(hint) for hint in _NEXT_HINTS):
                continue
            if any(hint in path for hint in _JOB_HINTS) and path.rstrip("/") != urlparse(
                response.url
            ).path.lower().rstrip("/"):
                seen.add(url)
                yield url

    def _next_links(self, response: Response) -> Iterator[str]:
        for anchor in response.css("a[href]"):
            rel = (anchor.attrib.get("rel") or "").lower()
            label = " ".join(anchor.css("::text").getall()).strip().lower()
            if "next" in rel or any(hint == label or label.startswith(hint)
                                    for hint in _NEXT_HINTS):
                yield response.urljoin(anchor.attrib["href"])

    def _item(self, response: Response, fields: dict[str, Any], syntax: str) -> JobPostingItem:
        return JobPostingItem(
            url=response.url,
            source=urlparse(response.url).hostname or "",
            fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            rendered=bool(response.meta.get("playwright")),
            extraction=syntax,
            **fields,
        )

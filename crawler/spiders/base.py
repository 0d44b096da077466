"""What every lurewatch spider shares: typed arguments, limits, rendering, items, resume."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse

from crawler.items import JobPostingItem
from crawler.params import SpiderParams, parse_params
from crawler.render import render_meta
from crawler.resume import ResumeJournal


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class LurewatchSpider(scrapy.Spider):
    """Base spider: `urls`, `render`, `max_pages`, `max_items`, `languages`, `source`."""

    params: SpiderParams

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.params = parse_params(kwargs)
        rest = {k: v for k, v in kwargs.items() if k not in SpiderParams.model_fields}
        super().__init__(*args, **rest)
        self.start_urls_list = list(self.params.urls)
        self.allowed_domains = sorted({urlparse(u).hostname or "" for u in self.start_urls_list})
        self.pages_seen = 0
        self.items_made = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> LurewatchSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.journal = ResumeJournal.from_crawler(crawler)
        return spider

    # --- requests ----------------------------------------------------------------------------

    def request(self, url: str, callback: Any, page_type: str, *, render: bool = False,
                priority: int = 0, dont_filter: bool = False, **meta: Any) -> scrapy.Request:
        """A request tagged with its page type; rendered when asked or when render=always."""
        meta = {"page_type": page_type, **meta}
        if render or self.params.render == "always":
            meta.update(render_meta())
        return scrapy.Request(url, callback=callback, meta=meta, priority=priority,
                              dont_filter=dont_filter, errback=self.failed)

    def rerender(self, response: Response, callback: Any) -> scrapy.Request | None:
        """The same page again through Chromium, when `auto` allows it and it was not rendered."""
        if self.params.render != "auto" or response.meta.get("playwright"):
            return None
        self.crawler.stats.inc_value(f"lurewatch/render/{response.meta.get('page_type')}")
        return self.request(response.url, callback, response.meta.get("page_type", "start"),
                            render=True, dont_filter=True, priority=5)

    def failed(self, failure: Any) -> None:
        self.crawler.stats.inc_value("lurewatch/pages/failed")
        self.logger.info("failed: %s", failure.getErrorMessage())

    def count_page(self, response: Response) -> bool:
        """Count a page against max_pages; False (and the spider closes) once it is exceeded."""
        self.pages_seen += 1
        page_type = response.meta.get("page_type", "start")
        self.crawler.stats.inc_value(f"lurewatch/pages/{page_type}")
        if self.params.max_pages and self.pages_seen > self.params.max_pages:
            raise CloseSpider("max_pages")
        if self.params.max_items and self.items_made >= self.params.max_items:
            raise CloseSpider("max_items")
        return isinstance(response, TextResponse)

    # --- items -------------------------------------------------------------------------------

    def items(self, response: Response, found: list[tuple[str, dict[str, Any]]],
              page_type: str) -> list[JobPostingItem]:
        """Items for the postings of one page, tagged with the page for resume bookkeeping."""
        made = [self.make_item(response, fields, extraction, page_type)
                for extraction, fields in found]
        for item in made:
            item.page_items = len(made)
        self.items_made += len(made)
        return made

    def make_item(self, response: Response, fields: dict[str, Any], extraction: str,
                  page_type: str) -> JobPostingItem:
        url = fields.pop("url", None) or response.url
        return JobPostingItem(
            url=url,
            source=self.params.source or (urlparse(url).hostname or ""),
            spider=self.name,
            page_type=page_type,
            fetched_at=utc_now(),
            rendered=bool(response.meta.get("playwright")),
            extraction=extraction,
            expected_languages=list(self.params.languages),
            page_url=response.url,
            **fields,
        )

    def page_finished_without_items(self, response: Response) -> None:
        """A detail page that gave nothing is done too (not fetched again on resume)."""
        if self.journal is not None and response.meta.get("page_type") == "detail":
            self.journal.mark_page(response.url)

    def skip_done(self, url: str) -> bool:
        """A detail page finished before a resume is not fetched again."""
        if self.journal is not None and self.journal.page_done(url):
            self.crawler.stats.inc_value("lurewatch/resume/skipped_pages")
            return True
        return False

"""The `feeds` spider: RSS and Atom job feeds, one item per entry, following `rel=next` pages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import feedparser
import scrapy
from scrapy.http import Response

from crawler.jobposting import normalise_date
from crawler.spiders.base import LurewatchSpider


def _entry_date(entry: Any) -> tuple[str, str]:
    """(raw, normalised) publication date of a feed entry."""
    raw = entry.get("published") or entry.get("updated") or ""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return raw, time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return raw, normalise_date(raw)


def feed_postings(body: bytes, url: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """(postings, next feed pages) of an RSS or Atom document."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    postings = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        raw_date, date = _entry_date(entry)
        postings.append(("feed", {
            "url": entry.get("link") or f"{url}#{entry.get('id', len(postings))}",
            "title": entry.get("title", ""),
            "text_html": html,
            "date_posted_raw": raw_date,
            "date_posted": date,
            "location": entry.get("location", "") or entry.get("job_listing_location", ""),
            "raw": {"id": entry.get("id", ""), "author": entry.get("author", ""),
                    "tags": [t.get("term", "") for t in entry.get("tags", [])],
                    "feed": parsed.feed.get("title", "")},
        }))
    pages = [link.get("href") for link in parsed.feed.get("links", [])
             if link.get("rel") == "next" and link.get("href")]
    return postings, pages


class FeedsSpider(LurewatchSpider):
    """Reads RSS 2.0 and Atom feeds of job postings."""

    name = "feeds"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls_list:
            yield self.request(url, self.parse, "feed")

    def parse(self, response: Response) -> Iterator[Any]:
        self.count_page(response)
        postings, pages = feed_postings(response.body, response.url)
        if not postings:
            self.crawler.stats.inc_value("lurewatch/feed/empty")
        yield from self.items(response, postings, "feed")
        if postings:
            for url in pages:
                yield self.request(response.urljoin(url), self.parse, "feed")

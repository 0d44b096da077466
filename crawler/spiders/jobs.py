"""The `jobs` spider: listing pages to detail pages within a site, postings from structured data.

Start URLs may be listing pages, detail pages or sitemaps. A listing page yields its detail
requests first (higher priority), then its next page; a listing page with no job links does not
paginate. Per-site page classes (`crawler.pages.page_for`) decide how a page is read.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.pages import _JOB_HINTS, page_for
from crawler.render import detail_needs_render, listing_needs_render
from crawler.spiders.base import LurewatchSpider
from crawler.spiders.feeds import feed_postings

DETAIL_PRIORITY = 10
_SITEMAP = re.compile(rb"<(?:\w+:)?(?:urlset|sitemapindex)[\s>]")
_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")


class JobsSpider(LurewatchSpider):
    """Follows listing pages to detail pages and extracts JobPosting items."""

    name = "jobs"
    SITEMAP_MAX_BYTES = 50 * 1024 * 1024

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls_list:
            yield self.request(url, self.parse, "start")

    def parse(self, response: Response) -> Iterator[Any]:
        """A start or listing page; a start page may also be a detail page or a sitemap."""
        if not self.count_page(response):
            if response.body[:2] == b"\x1f\x8b":  # a gzipped sitemap (sitemap.xml.gz)
                response = response.replace(body=gunzip(response.body,
                                                        max_size=self.SITEMAP_MAX_BYTES))
            if _SITEMAP.search(response.body[:2000]):
                yield from self._sitemap(response)
            return
        assert isinstance(response, TextResponse)
        if _SITEMAP.search(response.body[:2000]):
            yield from self._sitemap(response)
            return
        if _FEED.search(response.body[:2000]):
            postings, _ = feed_postings(response.body, response.url)
            yield from self.items(response, postings, "feed")
            return
        page = page_for(response.url)
        postings = page.postings(response)
        links = page.job_links(response)
        if len(postings) >= 2 and len(links) >= 2:
            # A listing that embeds short JobPosting summaries: the ads are on the detail pages.
            self.crawler.stats.inc_value("lurewatch/listing/embedded_postings_skipped")
            postings = []
        if postings:
            yield from self.items(response, postings, "detail")
            return
        if not links and listing_needs_render(response):
            again = self.rerender(response, self.parse)
            if again is not None:
                yield again
                return
        for url in links:
            if not self.skip_done(url):
                yield self.request(url, self.parse_detail, "detail", priority=DETAIL_PRIORITY)
        if links:
            for url in page.next_links(response):
                yield self.request(url, self.parse, "listing")
        elif response.meta.get("page_type") == "start":
            fields = page.fallback(response)
            if fields:
                yield from self.items(response, [("text", fields)], "detail")
        else:
            self.crawler.stats.inc_value("lurewatch/listing/no_job_links")

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """A detail page: structured data, the rendered page, or the main text."""
        if not self.count_page(response):
            return
        assert isinstance(response, TextResponse)
        page = page_for(response.url)
        postings = page.postings(response)
        if not postings and detail_needs_render(response):
            again = self.rerender(response, self.parse_detail)
            if again is not None:
                yield again
                return
        if not postings:
            fields = page.fallback(response)
            postings = [("text", fields)] if fields else []
        if postings:
            yield from self.items(response, postings, "detail")
        else:
            self.crawler.stats.inc_value("lurewatch/detail/no_posting")
            self.page_finished_without_items(response)

    def _sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemap indexes lead to sitemaps; sitemaps to detail pages that look like jobs."""
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # lxml raises several kinds on broken XML
            self.crawler.stats.inc_value("lurewatch/sitemap/unreadable")
            return
        locations = [entry.get("loc", "") for entry in sitemap]
        host = urlparse(response.url).hostname
        same_site = [u for u in locations if urlparse(u).hostname == host]
        if sitemap.type == "sitemapindex":
            for url in same_site:
                yield self.request(url, self.parse, "sitemap")
            return
        jobs = [u for u in same_site if any(h in urlparse(u).path.lower() for h in _JOB_HINTS)]
        for url in jobs or same_site:
            if not self.skip_done(url):
                yield self.request(url, self.parse_detail, "detail", priority=DETAIL_PRIORITY)

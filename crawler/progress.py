"""A progress line on standard error for long crawls: pages, postings, high-risk count, rate."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressLine:
    """Every LUREWATCH_PROGRESS_INTERVAL seconds, and once at the end of a long crawl."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.printed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        interval = crawler.settings.getfloat("LUREWATCH_PROGRESS_INTERVAL", 10)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def closed(self, spider: Any, reason: str = "") -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.printed:
            self.report(final=True)

    def line(self) -> str:
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0)
        postings = stats.get_value("item_scraped_count", 0)
        high = stats.get_value("lurewatch/level/high", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        return (f"lurewatch {name}: {pages} pages, {postings} postings, {high} high risk, "
                f"{pages / elapsed:.1f} pages/s")

    def report(self, final: bool = False) -> None:
        self.printed = True
        print(self.line() + (" (done)" if final else ""), file=sys.stderr, flush=True)

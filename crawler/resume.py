"""Resuming a crawl from JOBDIR, even after SIGKILL.

Scrapy's own JOBDIR state (request queue, seen requests) is written on a clean shutdown only, so
after a hard kill it names requests as seen that were never finished. lurewatch therefore keeps
its own append-only journal in JOBDIR: every item that went through all pipelines, and every
detail page all of whose items did. On start, Scrapy's queue and seen-set are discarded, the
crawl starts again from its start URLs, finished detail pages are not fetched again and finished
items are not stored or written again. Lines are flushed to the operating system as they are
written, which is what survives SIGKILL.
"""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.items import JobPostingItem

log = logging.getLogger(__name__)
PAGES_FILE = "lurewatch-pages.done"
ITEMS_FILE = "lurewatch-items.done"
JOURNAL_FOLDER = "lurewatch"


def item_key(item: JobPostingItem) -> str:
    """Identity of one harvested posting: where it was and what it said."""
    return f"{item.url} {item.content_hash}"


class ResumeJournal:
    """The journal of finished pages and items in one JOBDIR (kept in its `lurewatch` folder)."""

    def __init__(self, jobdir: str | Path) -> None:
        self.jobdir = Path(jobdir)
        self.folder = self.jobdir / JOURNAL_FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        self.pages = self._load(PAGES_FILE)
        self.items = self._load(ITEMS_FILE)
        resuming = bool(self.pages or self.items)
        # Scrapy keeps its state in JOBDIR itself, not in the journal's folder. After SIGKILL its
        # files are whatever was flushed: a seen-set naming requests that were never finished,
        # and disk queues cut short (a priority queue file without even its size header makes
        # every later push to that priority fail, so those requests were silently lost).
        for stale in ("requests.queue", "requests.seen"):
            path = self.jobdir / stale
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.exists():
                path.unlink()
        if resuming:
            log.warning("resuming from %s: %d pages and %d postings already done",
                        self.folder, len(self.pages), len(self.items))
        self._pages_out = open(self.folder / PAGES_FILE, "a", encoding="utf-8")  # noqa: SIM115
        self._items_out = open(self.folder / ITEMS_FILE, "a", encoding="utf-8")  # noqa: SIM115
        self._page_counts: Counter[str] = Counter()

    def _load(self, name: str) -> set[str]:
        path = self.folder / name
        if not path.exists():
            return set()
        with open(path, encoding="utf-8") as handle:
            # A line cut short by a kill has no newline: it is not trusted.
            return {line[:-1] for line in handle if line.endswith("\n")}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeJournal | None:
        """The crawler's journal (one per crawler), or None without JOBDIR."""
        existing = getattr(crawler, "_lurewatch_journal", None)
        if existing is not None:
            return existing
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            return None
        journal = cls(jobdir)
        crawler._lurewatch_journal = journal  # type: ignore[attr-defined]
        crawler.signals.connect(journal._item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(journal._item_finished, signal=signals.item_dropped)
        crawler.signals.connect(journal._item_finished, signal=signals.item_error)
        crawler.signals.connect(journal.close, signal=signals.spider_closed)
        return journal

    def page_done(self, url: str) -> bool:
        return url in self.pages

    def item_done(self, item: JobPostingItem) -> bool:
        return item_key(item) in self.items

    def mark_page(self, url: str) -> None:
        if url not in self.pages:
            self.pages.add(url)
            self._pages_out.write(url + "\n")
            self._pages_out.flush()

    def mark_item(self, item: JobPostingItem) -> None:
        key = item_key(item)
        if key not in self.items:
            self.items.add(key)
            self._items_out.write(key + "\n")
            self._items_out.flush()

    def _item_scraped(self, item: Any, **_: Any) -> None:
        """An item went through every pipeline (stored and written)."""
        if isinstance(item, JobPostingItem):
            self.mark_item(item)
        self.item_finished(item)

    def _item_finished(self, item: Any, **_: Any) -> None:
        self.item_finished(item)

    def item_finished(self, item: Any) -> None:
        """Count an item of a detail page (once, however often it is reported); when all its
        items are done, so is the page.

        JsonLinesPipeline reports an item as soon as its line is written, in the same step:
        Scrapy sends `item_scraped` a little later (its handlers run as separate tasks), and a
        kill in between, after a batch of lines went out at once, would leave their pages
        unmarked and fetched again on resume.
        """
        if not isinstance(item, JobPostingItem) or not item.page_url:
            return
        if getattr(item, "_lurewatch_finished", False):
            return
        item._lurewatch_finished = True  # type: ignore[attr-defined]
        self._page_counts[item.page_url] += 1
        if item.page_type == "detail" and self._page_counts[item.page_url] >= item.page_items:
            self.mark_page(item.page_url)
            del self._page_counts[item.page_url]

    def close(self, **_: Any) -> None:
        self._pages_out.close()
        self._items_out.close()


class ResumeExtension:
    """Creates the journal before the scheduler opens, so stale Scrapy state is discarded."""

    def __init__(self, crawler: Crawler) -> None:
        self.journal = ResumeJournal.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeExtension:
        return cls(crawler)

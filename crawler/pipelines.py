"""Item pipelines: clean text, score, cluster duplicates, store, and write JSON Lines."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import JobPostingItem

_SPACE = re.compile(r"[ \t\u00a0]+")
_LINES = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines."""
    return _LINES.sub("\n\n", _SPACE.sub(" ", text)).strip()


class CleanTextPipeline:
    """Normalises whitespace; drops (and counts) items with no text at all."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanTextPipeline:
        return cls(crawler)

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        item.title = tidy(item.title)[:1000]
        item.text = tidy(item.text)
        item.employer = tidy(item.employer)[:500]
        item.location = tidy(item.location)[:500]
        item.salary = tidy(item.salary)[:500]
        if not item.title and not item.text:
            self.stats.inc_value("lurewatch/dropped/empty")
            raise DropItem(f"no title or text at {item.url}")
        item.content_hash = hashlib.sha256(
            f"{item.title}\n{item.text}".lower().encode("utf-8")
        ).hexdigest()
        return item


class ScorePipeline:
    """Scores each posting with the shipped model and records its contact handles."""

    def __init__(self) -> None:
        from scoring.engine import default_scorer

        self.scorer = default_scorer()

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        from scoring.ad import Ad
        from scoring.handles import ad_handles

        ad = Ad(id=item.url, title=item.title, text=item.text, employer=item.employer,
                location=item.location, salary=item.salary, url=item.url)
        result = self.scorer.score(ad)
        item.result = result.to_dict()
        item.language = result.language
        item.handles = ad_handles(ad)
        if not item.cluster:
            item.cluster = item.content_hash[:16]
        return item


class StorePipeline:
    """Stores postings through the shared storage layer (LUREWATCH_DATABASE_URL)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.engine = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler.settings.getbool("LUREWATCH_STORE", True))

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.enabled:
            from lurewatch.storage.db import create_tables, make_engine

            self.engine = make_engine()
            create_tables(self.engine)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        if self.engine is None:
            return item
        from sqlmodel import Session

        from lurewatch.storage.listings import store_listing

        values: dict[str, Any] = {
            "url": item.url, "source": item.source, "title": item.title, "text": item.text,
            "employer": item.employer, "location": item.location,
            "location_country": item.location_country[:8], "salary": item.salary,
            "date_posted_raw": item.date_posted_raw, "rendered": item.rendered,
            "language": item.language, "score": item.result["score"],
            "level": item.result["level"], "category": item.result["category"],
            "signals": item.result["signals"], "model_version": item.result["model_version"],
            "content_hash": item.content_hash, "cluster": item.cluster,
        }
        with Session(self.engine) as session:
            store_listing(session, values, item.handles)
            session.commit()
        return item


class JsonLinesPipeline:
    """Writes each posting as one JSON line to LUREWATCH_OUTPUT ('-' for standard output)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.handle = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesPipeline:
        return cls(crawler.settings.get("LUREWATCH_OUTPUT", ""))

    def open_spider(self, spider: Spider | None = None) -> None:
        import sys

        if self.path == "-":
            self.handle = sys.stdout
        elif self.path:
            self.handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.handle is not None and self.path != "-":
            self.handle.close()

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        if self.handle is None:
            return item
        record = {
            "url": item.url, "title": item.title, "text": item.text, "employer": item.employer,
            "location": item.location, "salary": item.salary, "language": item.language,
            "date_posted_raw": item.date_posted_raw, "fetched_at": item.fetched_at,
            "rendered": item.rendered, "extraction": item.extraction, "cluster": item.cluster,
            "handles": item.handles,
        }
        for key in ("id", "score", "level", "category", "signals", "model_version"):
            if key != "id":
                record[key] = item.result.get(key)
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()
        return item

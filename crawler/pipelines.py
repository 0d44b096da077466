"""Item pipelines: clean text, language, duplicate clusters, score, store, and write JSON Lines.

Order (crawler/settings.py): CleanText 100, Language 150, Cluster 200, Score 300, Store 400,
JsonLines 500. The per-item CPU work (clean text, content hash, language, MinHash signature,
score and contact handles: crawler/analyse.py) runs in one worker call per small batch, sent by
CleanTextPipeline; Language, Cluster and Score then use what it computed (and compute it
themselves for an item that did not go through it). Storing runs in the worker too, in batched
transactions, one batch at a time. The crawl's event loop keeps only what needs shared state
(resume journal, duplicate index, JSON Lines file) and keeps fetching while the worker works.
Dropped items are counted in the stats (`lurewatch/dropped/<reason>`), never silently lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any

import orjson
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.batching import MicroBatcher
from crawler.dedupe import ClusterIndex
from crawler.items import JobPostingItem
from crawler.resume import ResumeJournal
from crawler.worker import (
    analyse,
    release_link,
    score_batch,
    shared_link,
    store_batch,
    warm_up,
    worker_count,
)
from crawler.worker_link import WorkerLink

log = logging.getLogger(__name__)
ANALYSED_FIELDS = ("title", "text", "employer", "location", "salary", "content_hash")


def _drop(crawler: Crawler, reason: str, message: str) -> DropItem:
    crawler.stats.inc_value(f"lurewatch/dropped/{reason}")
    return DropItem(message)


def _enabled(crawler: Crawler, pipeline: type) -> bool:
    """Whether `pipeline` is one of this crawl's item pipelines."""
    from scrapy.utils.misc import load_object

    configured = crawler.settings.getwithbase("ITEM_PIPELINES")
    return any(order is not None and load_object(path) is pipeline
               for path, order in configured.items())


class CleanTextPipeline:
    """HTML to clean text, with the rest of the per-item work done in the same worker call
    (content hash, language, MinHash signature, and score and handles when ScorePipeline is on);
    drops (and counts) items with no text, or finished before a resume."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.journal = ResumeJournal.from_crawler(crawler)
        self.workers = worker_count(crawler.settings.get("LUREWATCH_SCORE_WORKERS"))
        self.score = _enabled(crawler, ScorePipeline)
        self.link: WorkerLink | None = None
        self.batcher: MicroBatcher | None = None
        if self.workers > 0:
            # Started now, not when the spider opens: the worker loads the model (over a CPU
            # second) while the crawl process is still starting (migrations, duplicate index).
            # `lurewatch crawl` starts it even earlier, before importing Scrapy.
            self.link = shared_link(self.workers)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanTextPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.link is not None:
            # Small batches, two in flight per worker: the worker starts on the next batch the
            # moment it sends back the last one.
            self.batcher = MicroBatcher(self._run_in_worker, max_size=16, max_delay=0.02,
                                        parallel=2 * self.workers)
        elif self.score:
            warm_up()

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.link is not None:
            release_link()
            self.link = None

    async def _run_in_worker(self, records: list[dict[str, Any]]) -> list[Any]:
        assert self.link is not None
        return await self.link.call("analyse", records, self.score)

    async def process_item(self, item: JobPostingItem,
                           spider: Spider | None = None) -> JobPostingItem:
        record = {"url": item.url, "title": item.title, "text": item.text,
                  "text_html": item.text_html, "employer": item.employer,
                  "location": item.location, "salary": item.salary}
        if self.batcher is not None:
            analysed = await self.batcher.submit(record)
        else:
            analysed = analyse([record], self.score)[0]
        if analysed is None:
            raise _drop(self.crawler, "empty", f"no title or text at {item.url}")
        for name in ANALYSED_FIELDS:
            setattr(item, name, analysed[name])
        if self.journal is not None and self.journal.item_done(item):
            raise _drop(self.crawler, "done_before_resume", f"already harvested: {item.url}")
        item.analysis = {"language": analysed["language"], "signature": analysed["signature"]}
        if "result" in analysed:
            item.analysis.update(scored=True, reused=analysed["reused"])
            item.result, item.handles = analysed["result"], analysed["handles"]
        return item


class LanguagePipeline:
    """The language of the ad (ISO 639-1), counted against the source's expected languages."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        return cls(crawler)

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        if "language" in item.analysis:  # detected with the other per-item work
            item.language = item.analysis["language"]
        else:
            from scoring.language import detect_language

            item.language = detect_language(f"{item.title}\n{item.text[:5000]}") or ""
        if item.expected_languages and item.language not in item.expected_languages:
            self.stats.inc_value("lurewatch/language/unexpected")
        return item


class ClusterPipeline:
    """Exact and near-duplicate clusters across this crawl and what is already stored.

    The index is seeded from the newest LUREWATCH_CLUSTER_SEED listings (default 200,000): their
    signatures are computed again from the stored text at start, since the database keeps no
    signature column.
    """

    # One index per process, shared by every crawler of a multi-source run.
    shared: Any = None

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seed_from_store = crawler.settings.getbool("LUREWATCH_STORE", True)
        self.seeded = ClusterPipeline.shared is not None
        if ClusterPipeline.shared is None:
            from crawler.distributed import shared_cluster_index

            # A distributed crawl keeps the index on Redis, shared by all its workers.
            shared = shared_cluster_index(crawler.settings)
            ClusterPipeline.shared = ClusterIndex() if shared is None else shared
        self.index = ClusterPipeline.shared

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPipeline:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        if not self.seed_from_store or self.seeded:
            return
        from sqlalchemy import inspect
        from sqlmodel import Session, select

        from lurewatch.storage.db import make_engine
        from lurewatch.storage.models import Listing

        engine = make_engine()
        try:
            if not inspect(engine).has_table("listing"):
                return
            limit = self.crawler.settings.getint("LUREWATCH_CLUSTER_SEED", 200_000)
            with Session(engine) as session:
                newest = (select(Listing.id).order_by(Listing.id.desc())  # type: ignore[union-attr]
                          .limit(limit).subquery())
                rows = session.exec(select(Listing.title, Listing.text, Listing.cluster,
                                           Listing.content_hash)
                                    .where(Listing.id.in_(select(newest.c.id)))  # type: ignore[union-attr]
                                    .order_by(Listing.id))
                for title, text, cluster, digest in rows:
                    self.index.add(title, text, cluster or "", digest or None)
        finally:
            engine.dispose()
        self.crawler.stats.set_value("lurewatch/cluster/seeded", len(self.index))

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        if "signature" in item.analysis:  # computed with the other per-item work
            item.cluster, item.duplicate_of = self.index.add_signature(
                item.content_hash, item.analysis["signature"])
        else:
            item.cluster, item.duplicate_of = self.index.add(item.title, item.text,
                                                             digest=item.content_hash)
        if item.duplicate_of:
            self.crawler.stats.inc_value(f"lurewatch/duplicates/{item.duplicate_of}")
        return item


class ScorePipeline:
    """The posting's score with the shipped model and its contact handles.

    CleanTextPipeline has them computed with the rest of the per-item work; for an item that did
    not go through it, this scores it itself: in the worker processes (crawler/worker.py) fed in
    small batches with LUREWATCH_SCORE_WORKERS >= 1 (default: see `worker_count`), in this
    process with 0.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.workers = worker_count(crawler.settings.get("LUREWATCH_SCORE_WORKERS"))
        self.link: WorkerLink | None = None
        self.batcher: MicroBatcher | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScorePipeline:
        return cls(crawler)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.link is not None:
            release_link()
            self.link = None

    async def _run_in_worker(self, ads: list[dict[str, str]]) -> list[Any]:
        assert self.link is not None
        return await self.link.call("score_batch", ads)

    async def _score(self, item: JobPostingItem) -> tuple[dict[str, Any], list[dict[str, str]]]:
        ad = {"id": item.url, "title": item.title, "text": item.text, "employer": item.employer,
              "location": item.location, "salary": item.salary, "url": item.url,
              "language": item.language}
        if self.workers <= 0:
            warm_up()
            return score_batch([ad])[0]
        if self.batcher is None:  # only items that skipped CleanTextPipeline come here
            self.link = shared_link(self.workers)
            self.batcher = MicroBatcher(self._run_in_worker, max_size=32, max_delay=0.02,
                                        parallel=self.workers)
        return await self.batcher.submit(ad)

    async def process_item(self, item: JobPostingItem,
                           spider: Spider | None = None) -> JobPostingItem:
        if item.analysis.get("scored"):
            if item.analysis.get("reused"):
                self.crawler.stats.inc_value("lurewatch/score/reused")
        else:
            item.result, item.handles = await self._score(item)
        item.language = item.language or item.result.get("language", "")
        self.crawler.stats.inc_value(f"lurewatch/level/{item.result.get('level')}")
        return item


def listing_values(item: JobPostingItem) -> dict[str, Any]:
    """The storage layer's listing fields for one item (raw values kept in `raw`)."""
    return {
        "url": item.url, "source": item.source, "title": item.title, "text": item.text,
        "employer": item.employer, "location": item.location,
        "location_country": item.location_country[:8], "salary": item.salary,
        "salary_monthly_usd": item.salary_normalised.get("monthly_usd"),
        "date_posted_raw": item.date_posted_raw[:100], "date_posted": item.date_posted or None,
        "fetched_at": item.fetched_at, "rendered": item.rendered,
        "extraction": item.extraction[:16],
        "raw": {"structured": item.raw, "location": item.location_raw,
                "salary": item.salary_raw, "salary_normalised": item.salary_normalised,
                "date_posted": item.date_posted_raw, "page_url": item.page_url,
                "spider": item.spider, "page_type": item.page_type,
                "duplicate_of": item.duplicate_of},
        "language": item.language, "score": item.result["score"],
        "level": item.result["level"], "category": item.result["category"],
        "signals": item.result["signals"], "model_version": item.result["model_version"],
        "content_hash": item.content_hash, "cluster": item.cluster,
    }


class StorePipeline:
    """Stores postings and their handles through the shared storage layer.

    Writes are batched (one transaction per batch) and run in the worker process when there is
    one, else in a thread. A posting already stored with the same URL and content (a resumed or
    repeated crawl) is not stored again.
    """

    def __init__(self, crawler: Crawler, enabled: bool) -> None:
        self.crawler = crawler
        self.enabled = enabled
        self.url = ""
        self.link: WorkerLink | None = None
        self.batcher = MicroBatcher(self._store_batch, max_size=64, max_delay=0.05)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, crawler.settings.getbool("LUREWATCH_STORE", True))

    def open_spider(self, spider: Spider | None = None) -> None:
        if not self.enabled:
            return
        from lurewatch.storage.db import create_tables, database_url, make_engine

        self.url = database_url()
        engine = make_engine(self.url)
        create_tables(engine)
        engine.dispose()
        workers = worker_count(self.crawler.settings.get("LUREWATCH_SCORE_WORKERS"))
        if workers > 0:
            self.link = shared_link(workers)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.link is not None:
            release_link()
            self.link = None

    async def process_item(self, item: JobPostingItem,
                           spider: Spider | None = None) -> JobPostingItem:
        if not self.url:
            return item
        stored = await self.batcher.submit((listing_values(item), item.handles))
        self.crawler.stats.inc_value("lurewatch/stored" if stored else
                                     "lurewatch/store/already_stored")
        return item

    async def _store_batch(self, records: list[Any]) -> list[bool]:
        if self.link is not None:
            return await self.link.call("store_batch", self.url, records)
        return await asyncio.to_thread(store_batch, self.url, records)


def output_record(item: JobPostingItem) -> dict[str, Any]:
    """One JSON line: the ad, its raw and normalised values, cluster, handles and score."""
    record = {
        "url": item.url, "source": item.source, "title": item.title, "text": item.text,
        "employer": item.employer, "location": item.location,
        "location_country": item.location_country, "location_raw": item.location_raw,
        "salary": item.salary, "salary_raw": item.salary_raw,
        "salary_normalised": item.salary_normalised, "date_posted": item.date_posted,
        "date_posted_raw": item.date_posted_raw, "fetched_at": item.fetched_at,
        "rendered": item.rendered, "extraction": item.extraction, "language": item.language,
        "cluster": item.cluster, "duplicate_of": item.duplicate_of, "handles": item.handles,
        "content_hash": item.content_hash,
    }
    for key in ("score", "level", "category", "signals", "model_version"):
        record[key] = item.result.get(key)
    return record


_ORJSON_OPTIONS = (orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATETIME
                   | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS)


def output_line(record: dict[str, Any]) -> str:
    """One JSON line (orjson, about ten times faster than the standard library; the standard
    library for what orjson refuses, such as a lone surrogate or a huge integer, with non-ASCII
    escaped so that the line can always be written as UTF-8)."""
    try:
        return orjson.dumps(record, default=str, option=_ORJSON_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(record, default=str) + "\n"


class JsonLinesPipeline:
    """Writes each posting as one JSON line to LUREWATCH_OUTPUT ('-' for standard output)."""

    def __init__(self, path: str, journal: ResumeJournal | None = None) -> None:
        self.path = path
        self.handle = None
        self.journal = journal

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonLinesPipeline:
        return cls(crawler.settings.get("LUREWATCH_OUTPUT", ""),
                   ResumeJournal.from_crawler(crawler))

    # Crawlers of one process writing to one file share its handle: whole lines, never mixed.
    _open: dict[str, list[Any]] = {}

    def open_spider(self, spider: Spider | None = None) -> None:
        if self.path == "-":
            self.handle = sys.stdout
        elif self.path:
            entry = self._open.setdefault(self.path, [None, 0])
            if entry[0] is None:
                entry[0] = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
            entry[1] += 1
            self.handle = entry[0]

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.handle is not None and self.path != "-":
            entry = self._open[self.path]
            entry[1] -= 1
            if entry[1] == 0:
                entry[0].close()
                del self._open[self.path]

    def process_item(self, item: JobPostingItem, spider: Spider | None = None) -> JobPostingItem:
        if self.handle is None:
            return item
        self.handle.write(output_line(output_record(item)))
        self.handle.flush()
        if self.journal is not None:
            # Journal the posting the moment its line is out (it was stored before): a kill
            # between the two can then never make a resumed crawl write the line again. Its
            # page too, when this was the page's last posting.
            self.journal.mark_item(item)
            self.journal.item_finished(item)
        return item

"""`--distributed`: several crawler processes share one crawl through Redis (scrapy-redis).

scrapy-redis holds the shared frontier and dupe filter. This extension decides when a worker may
stop: only when the shared queue is empty and no other worker is still busy (a busy worker may
still add requests), so a worker that starts idle waits for work instead of quitting.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

import numpy as np
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.dedupe import BANDS, ROWS, THRESHOLD, content_hash, normalised, signature_of

REDIS_URL_ENV = "LUREWATCH_REDIS_URL"
CRAWL_ID_ENV = "LUREWATCH_CRAWL_ID"
BUSY_TTL_MS = 6000
POLL_S = 0.5
# After the last worker stops, the shared state is kept this long, then Redis drops it.
STATE_TTL_S = 24 * 3600


def crawl_id(spider_name: str, urls: list[str]) -> str:
    """The shared crawl's name: LUREWATCH_CRAWL_ID, else a hash of the spider and start URLs."""
    given = os.environ.get(CRAWL_ID_ENV, "").strip()
    if given:
        return given
    return hashlib.sha1(f"{spider_name} {' '.join(sorted(urls))}".encode()).hexdigest()[:12]


def distributed_settings(name: str, redis_url: str) -> dict[str, Any]:
    """Scrapy settings that put the frontier and the dupe filter of crawl `name` on Redis."""
    prefix = f"lurewatch:{name}:%(spider)s"
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # a worker that stops must not wipe what the others use
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "REDIS_URL": redis_url,
        "LUREWATCH_SHARED_PREFIX": f"lurewatch:{name}",
    }


class SharedCrawl:
    """Heartbeat of this worker in Redis, and the rule for when a shared crawl is over."""

    def __init__(self, crawler: Crawler) -> None:
        from scrapy_redis.connection import get_redis_from_settings

        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.prefix = crawler.settings["LUREWATCH_SHARED_PREFIX"]
        self.me = f"{self.prefix}:busy:{uuid.uuid4().hex}"
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedCrawl:
        if not crawler.settings.get("LUREWATCH_SHARED_PREFIX"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Any) -> None:
        # Busy from the start: the first worker has not enqueued anything yet.
        self.server.set(self.me, "1", px=BUSY_TTL_MS)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(0.5, now=False)

    def beat(self) -> None:
        engine = self.crawler.engine
        busy = bool(engine and engine.downloader.active) or not (
            engine and engine.scraper.slot and engine.scraper.slot.is_idle())
        if busy:
            self.server.set(self.me, "1", px=BUSY_TTL_MS)
        else:
            self.server.delete(self.me)

    def others_busy(self) -> bool:
        return any(key.decode() != self.me if isinstance(key, bytes) else key != self.me
                   for key in self.server.scan_iter(f"{self.prefix}:busy:*"))

    def idle(self, spider: Any) -> None:
        self.server.delete(self.me)
        scheduler = self.crawler.engine._slot.scheduler if self.crawler.engine._slot else None
        if (scheduler is not None and len(scheduler)) or self.others_busy():
            self.crawler.stats.inc_value("lurewatch/distributed/waited")
            # Look at the shared queue again soon, not at Scrapy's 5-second heartbeat.
            slot = self.crawler.engine._slot
            if slot is not None:
                slot.nextcall.schedule(POLL_S)
            raise DontCloseSpider

    def closed(self, spider: Any, reason: str = "") -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.server.delete(self.me)
        for key in self.server.scan_iter(f"{self.prefix}:*"):
            self.server.expire(key, STATE_TTL_S)


class SharedClusterIndex:
    """The duplicate index of a distributed crawl, on Redis, so copies of one ad harvested by
    different workers share a cluster. Same interface and rules as `crawler.dedupe.ClusterIndex`.
    """

    def __init__(self, server: Any, prefix: str, threshold: float = THRESHOLD) -> None:
        self.server = server
        self.clusters_key = f"{prefix}:clusters"
        self.signatures_key = f"{prefix}:signatures"
        self.band_prefix = f"{prefix}:band"
        self.threshold = threshold

    def __len__(self) -> int:
        return int(self.server.hlen(self.clusters_key))

    def _bands(self, signature: np.ndarray) -> list[str]:
        return [f"{self.band_prefix}:{band}:"
                f"{signature[band * ROWS:(band + 1) * ROWS].tobytes().hex()}"
                for band in range(BANDS)]

    def _claim(self, digest: str, cluster: str) -> str:
        """Set the digest's cluster unless another worker did first; the cluster that holds."""
        if self.server.hsetnx(self.clusters_key, digest, cluster):
            return cluster
        return self.server.hget(self.clusters_key, digest).decode()

    def add(self, title: str, text: str, cluster: str = "",
            digest: str | None = None) -> tuple[str, str]:
        digest = digest or content_hash(title, text)
        known = self.server.hget(self.clusters_key, digest)
        if known is not None:
            return known.decode(), "exact"
        return self.add_signature(digest, signature_of(normalised(title, text)), cluster)

    def add_signature(self, digest: str, signature: np.ndarray | None,
                      cluster: str = "") -> tuple[str, str]:
        """`add` for an ad whose content hash and signature (`signature_of`) are known."""
        known = self.server.hget(self.clusters_key, digest)
        if known is not None:
            return known.decode(), "exact"
        if signature is None:
            claimed = self._claim(digest, cluster or digest[:16])
            return claimed, ""
        bands = self._bands(signature)
        pipe = self.server.pipeline()
        for key in bands:
            pipe.smembers(key)
        candidates = sorted({m.decode() for members in pipe.execute() for m in members})
        matched = ""
        if candidates and not cluster:
            stored = self.server.hmget(self.signatures_key, candidates)
            pairs = [(k, np.frombuffer(v, dtype=np.uint32)) for k, v in
                     zip(candidates, stored, strict=True) if v is not None]
            if pairs:
                similarity = (np.stack([v for _, v in pairs]) == signature).mean(axis=1)
                best = int(np.argmax(similarity))
                if similarity[best] >= self.threshold:
                    near = self.server.hget(self.clusters_key, pairs[best][0])
                    if near is not None:
                        cluster, matched = near.decode(), "near"
        claimed = self._claim(digest, cluster or digest[:16])
        if claimed != (cluster or digest[:16]):
            return claimed, "exact"  # another worker stored the same ad a moment ago
        pipe = self.server.pipeline()
        pipe.hset(self.signatures_key, digest, signature.tobytes())
        for key in bands:
            pipe.sadd(key, digest)
        pipe.execute()
        return claimed, matched


def shared_cluster_index(settings: Any) -> SharedClusterIndex | None:
    """The shared index when this crawl is distributed, else None."""
    prefix = settings.get("LUREWATCH_SHARED_PREFIX")
    if not prefix:
        return None
    from scrapy_redis.connection import get_redis_from_settings

    return SharedClusterIndex(get_redis_from_settings(settings), prefix)

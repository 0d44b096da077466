"""`lurewatch crawl`: run spiders over URLs (or a sources file), score, store and export."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from lurewatch.errors import CliError

_TELEGRAM = re.compile(r"^https?://t\.me/s/[A-Za-z0-9_]+", re.I)
_FEED = re.compile(r"(/feed/?|/rss/?|\.rss|/atom/?|atom\.xml|rss\.xml|feed\.xml)(\?|$)", re.I)


def spider_for_url(url: str) -> str:
    """The spider a bare URL goes to: telegram channel previews, feeds, else jobs."""
    if _TELEGRAM.match(url):
        return "telegram"
    if _FEED.search(url):
        return "feeds"
    return "jobs"


def crawl_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Scrapy settings for this run, on top of crawler.settings."""
    settings: dict[str, Any] = {
        "LUREWATCH_OUTPUT": args.output or "",
        "LUREWATCH_STORE": not args.no_store,
        "LUREWATCH_RENDER": args.render,
    }
    if args.max_pages:
        settings["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    if args.jobdir:
        settings["JOBDIR"] = args.jobdir
    if args.ignore_robots:
        settings["ROBOTSTXT_OBEY"] = False
    if os.environ.get("LUREWATCH_CRAWL_FAST"):
        settings.update({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                         "CONCURRENT_REQUESTS_PER_DOMAIN": 16})
    if os.environ.get("LUREWATCH_LOG_LEVEL"):
        settings["LOG_LEVEL"] = os.environ["LUREWATCH_LOG_LEVEL"]
    if os.environ.get("LUREWATCH_PIPELINES") == "off":  # for measuring the bare crawl
        settings["ITEM_PIPELINES"] = {}
    for name in ("LUREWATCH_PROGRESS_INTERVAL", "LUREWATCH_SCORE_WORKERS"):
        if os.environ.get(name):
            settings[name] = os.environ[name]
    return settings


def plan(args: argparse.Namespace) -> list[tuple[str, dict[str, Any]]]:
    """(spider name, spider arguments) for each crawl this run starts."""
    from crawler.sources import SourcesError, load_sources

    runs: list[tuple[str, dict[str, Any]]] = []
    if args.sources:
        try:
            sources = load_sources(args.sources)
        except SourcesError as exc:
            raise CliError(str(exc)) from exc
        for source in sources:
            kwargs = source.spider_kwargs()
            if args.render != "auto":  # an explicit flag wins over the file
                kwargs["render"] = args.render
            runs.append((source.spider, kwargs))
    by_spider: dict[str, list[str]] = {}
    for url in args.urls:
        by_spider.setdefault(spider_for_url(url), []).append(url)
    for spider, urls in by_spider.items():
        runs.append((spider, {"urls": urls, "render": args.render}))
    return runs


def run_crawl(args: argparse.Namespace) -> int:
    """Crawl and return 0, or raise CliError with one readable line."""
    if not args.urls and not args.sources:
        raise CliError("give at least one URL or --sources FILE")
    runs = plan(args)
    early = _start_worker_early()
    try:
        crawlers = _run(args, runs)
    finally:
        if early:
            from crawler.worker import release_link

            release_link()
    _write_stats(crawlers)
    pages = sum(value for c in crawlers if c.stats is not None
                for key, value in (c.stats.get_stats() or {}).items()
                if key.startswith("lurewatch/pages/") and key != "lurewatch/pages/failed")
    if pages == 0 and not args.distributed:  # a distributed worker may find no work left
        raise CliError("no page could be crawled (unreachable, refused or disallowed by "
                       "robots.txt): see the messages above", code=1)
    return 0


def _start_worker_early() -> bool:
    """Start the pipelines' worker before Scrapy is even imported, so that it loads the model
    while this process starts the crawl, not on a core the crawl needs (about 1.3 CPU seconds
    that would otherwise fall in the first seconds of the crawl)."""
    if os.environ.get("LUREWATCH_PIPELINES") == "off":
        return False
    from crawler.worker import shared_link, worker_count

    workers = worker_count(os.environ.get("LUREWATCH_SCORE_WORKERS"))
    if workers <= 0:
        return False
    shared_link(workers)
    return True


def _run(args: argparse.Namespace, runs: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Run the crawls to their end; their crawlers."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.spiders import SPIDERS

    if args.output and args.output != "-":
        out = Path(args.output)
        if not out.parent.exists():
            raise CliError(f"output folder does not exist: {out.parent}")
        if not (args.jobdir and out.exists()):
            out.write_text("", encoding="utf-8")
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(crawl_settings(args), priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
    if any(kwargs.get("render", "auto") != "never" for _, kwargs in runs):
        from crawler.playwright_handler import playwright_settings

        settings.setdict(playwright_settings(), priority="cmdline")
    if args.distributed:
        from crawler.distributed import REDIS_URL_ENV, crawl_id, distributed_settings

        if args.jobdir:
            raise CliError("--distributed and --jobdir cannot be combined: the shared crawl "
                           "keeps its state in Redis")
        urls = [u for _, kwargs in runs for u in kwargs["urls"]]
        redis_url = os.environ.get(REDIS_URL_ENV, "redis://127.0.0.1:6379/0")
        settings.setdict(distributed_settings(crawl_id("+".join(s for s, _ in runs), urls),
                                              redis_url), priority="cmdline")
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.distributed.SharedCrawl"] = 20
        settings.set("EXTENSIONS", extensions, priority="cmdline")
    from crawler.params import parse_params

    for _, kwargs in runs:
        try:
            parse_params(kwargs)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    process = CrawlerProcess(settings)
    crawlers = []
    try:
        for number, (spider, kwargs) in enumerate(runs):
            spidercls = SPIDERS[spider]
            if args.jobdir and len(runs) > 1:
                # Each crawl of a multi-source run resumes from its own folder.
                folder = str(Path(args.jobdir) / f"{number}-{kwargs.get('source') or spider}")
                spidercls = type(spidercls.__name__, (spidercls,),
                                 {"custom_settings": {**(spidercls.custom_settings or {}),
                                                      "JOBDIR": folder}})
            crawler = process.create_crawler(spidercls)
            _count_crawl_cpu(crawler)
            crawlers.append(crawler)
            process.crawl(crawler, **kwargs)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    process.start()
    return crawlers


def _count_crawl_cpu(crawler: Any) -> None:
    """Record in the stats the CPU seconds this process spent from spider open to close (the
    window of Scrapy's elapsed time), for benchmarks."""
    import time

    from scrapy import signals

    opened: list[float] = []

    def on_open(spider: Any) -> None:
        opened.append(time.process_time())

    def on_close(spider: Any, reason: str = "") -> None:
        if opened and crawler.stats is not None:
            crawler.stats.set_value("lurewatch/cpu_seconds/crawl_window",
                                    round(time.process_time() - opened[0], 3))

    crawler.signals.connect(on_open, signal=signals.spider_opened, weak=False)
    crawler.signals.connect(on_close, signal=signals.spider_closed, weak=False)


def _write_stats(crawlers: list[Any]) -> None:
    """Crawl statistics as JSON to LUREWATCH_STATS_FILE, when set (benchmarks, monitoring)."""
    path = os.environ.get("LUREWATCH_STATS_FILE")
    if not path:
        return
    import json
    import resource

    stats = [{key: value for key, value in (c.stats.get_stats() or {}).items()}
             for c in crawlers if c.stats is not None]
    # CPU seconds of this process and of its finished workers, told apart for benchmarks.
    for who, name in ((resource.RUSAGE_SELF, "crawl"), (resource.RUSAGE_CHILDREN, "workers")):
        usage = resource.getrusage(who)
        for entry in stats:
            entry[f"lurewatch/cpu_seconds/{name}"] = round(usage.ru_utime + usage.ru_stime, 3)
    Path(path).write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")

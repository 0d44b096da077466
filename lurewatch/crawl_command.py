"""`lurewatch crawl`: run a spider over URLs (or a sources file), score, store and export."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from lurewatch.errors import CliError


def crawl_settings(args: argparse.Namespace) -> dict:
    """Scrapy settings for this run, on top of crawler.settings."""
    settings: dict = {
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
                         "CONCURRENT_REQUESTS_PER_DOMAIN": 8})
    return settings


def run_crawl(args: argparse.Namespace) -> int:
    """Crawl and return 0, or raise CliError with one readable line."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.spiders.jobs import JobsSpider

    if not args.urls and not args.sources:
        raise CliError("give at least one URL or --sources FILE")
    if args.output and args.output != "-":
        out = Path(args.output)
        if not out.parent.exists():
            raise CliError(f"output folder does not exist: {out.parent}")
        if not (args.jobdir and out.exists()):
            out.write_text("", encoding="utf-8")
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(crawl_settings(args), priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    try:
        process.crawl(JobsSpider, urls=list(args.urls))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    process.start()
    return 0

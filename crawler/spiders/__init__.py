"""Spiders: jobs (any site), feeds (RSS and Atom), telegram (public channel previews)."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "SPIDERS":
        from crawler.spiders.feeds import FeedsSpider
        from crawler.spiders.jobs import JobsSpider
        from crawler.spiders.telegram import TelegramSpider

        return {"jobs": JobsSpider, "feeds": FeedsSpider, "telegram": TelegramSpider}
    raise AttributeError(name)

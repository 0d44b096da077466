"""scrapy-playwright's download handler, starting Playwright only when a page needs rendering.

Requests without `playwright` meta go through Scrapy's own HTTP handler as usual, so an `auto`
crawl of a site that needs no rendering never starts a browser.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

CHROMIUM = "/usr/bin/chromium"
LAUNCH_OPTIONS = {
    "executable_path": CHROMIUM,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"],
}


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """Starts Playwright on the first rendered request instead of at engine start."""

    async def _maybe_launch_in_thread(self) -> None:
        return None

    def _engine_started(self) -> Any:
        return None

    async def _download_request(self, request: Any, spider: Any = None) -> Any:
        if not hasattr(self, "_lazy_lock"):
            self._lazy_lock = asyncio.Lock()
        async with self._lazy_lock:
            if getattr(self, "browser_provider", None) is None:
                await self._launch()
        return await super()._download_request(request, spider)


def playwright_settings() -> dict[str, Any]:
    """Settings that let requests with `playwright` meta be rendered in Debian's Chromium."""
    handler = "crawler.playwright_handler.LazyPlaywrightHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": LAUNCH_OPTIONS,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30_000,
    }

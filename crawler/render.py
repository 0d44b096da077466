"""Deciding which pages need a browser, and the request meta that asks scrapy-playwright for one.

Rendering is slow, so in `auto` mode only pages whose content is evidently built by script are
rendered: a detail page with no posting in its static HTML (and little text), or a listing with
no job links, when the page carries scripts.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

RENDER_MODES = ("auto", "always", "never")
# A detail page with at least this much main text already holds its ad.
STATIC_TEXT_ENOUGH = 300
_APP_ROOT = re.compile(
    r"<(?:div|main|section)[^>]+id\s*=\s*[\"'](?:root|app|__next|__nuxt|main-app|jobs?-app)"
    r"[\"'][^>]*>\s*</(?:div|main|section)>", re.I)


def has_scripts(response: TextResponse) -> bool:
    """Executable scripts (not JSON-LD or other data blocks) on the page."""
    for script in response.xpath("//script"):
        kind = (script.attrib.get("type") or "text/javascript").lower()
        if kind in ("text/javascript", "module", "application/javascript") and (
            script.attrib.get("src") or script.xpath("string()").get("").strip()
        ):
            return True
    return False


def static_text_length(response: TextResponse) -> int:
    """Characters of visible body text in the static HTML."""
    texts = response.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)"
                           " and not(ancestor::noscript) and not(ancestor::template)]").getall()
    return sum(len(t.strip()) for t in texts)


def detail_needs_render(response: TextResponse) -> bool:
    """No posting was found in the static HTML: is the ad built by script?"""
    if not has_scripts(response):
        return False
    if _APP_ROOT.search(response.text):
        return True
    return static_text_length(response) < STATIC_TEXT_ENOUGH


def listing_needs_render(response: TextResponse) -> bool:
    """No job links were found in the static HTML: are they built by script?"""
    return has_scripts(response)


def render_meta() -> dict[str, Any]:
    """Request meta that makes scrapy-playwright render the page in Chromium."""
    return {
        "playwright": True,
        "playwright_page_goto_kwargs": {"wait_until": "networkidle", "timeout": 30_000},
    }

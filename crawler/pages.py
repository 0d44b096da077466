"""Page classes: how to read a site's listing and detail pages.

`JobPage` is the generic reader (schema.org JobPosting, job-looking links, "next" links, main
text); it serves every site without code. A board whose pages need more gets a small subclass in
`crawler/sites/`, registered for its domains with `@register`, which overrides only what differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlparse

from scrapy.http import TextResponse

from crawler.jobposting import find_job_postings, main_block, posting_fields

_JOB_HINTS = ("job", "career", "vacanc", "position", "opening", "work", "tuyen", "viec",
              "lowongan", "loker", "kerja", "empleo", "trabajo", "trabaho", "ajira", "nafasi",
              "招聘", "职位", "งาน")
_NOT_JOB = re.compile(r"/(?:search|login|signin|register|signup|account|about|contact|privacy|"
                      r"terms|faq|help|employers?|post-a-job|pricing|blog|tag|category)(?:/|$|\?)",
                      re.I)
_NEXT_LABELS = ("next", "older", "›", "»", "more jobs", "load more", "next page", "berikutnya",
                "tiếp", "siguiente", "下一页", "ถัดไป")
MIN_FALLBACK_CHARS = 80


class JobPage:
    """The generic reader: any site, no code."""

    name: ClassVar[str] = "generic"
    domains: ClassVar[tuple[str, ...]] = ()

    def postings(self, response: TextResponse) -> list[tuple[str, dict[str, Any]]]:
        """(extraction method, item fields) for each posting on the page."""
        return [(syntax, posting_fields(posting))
                for syntax, posting in find_job_postings(response.text, response.url)]

    def job_links(self, response: TextResponse) -> list[str]:
        """Links to detail pages on the same site, in page order, without the next-page links."""
        here = urlparse(response.url)
        host = here.hostname
        seen: set[str] = set()
        links: list[str] = []
        for anchor in response.css("a[href]"):
            href = anchor.attrib.get("href", "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            url = response.urljoin(href).split("#", 1)[0]
            parsed = urlparse(url)
            if url in seen or parsed.hostname != host or _is_next(anchor):
                continue
            path = parsed.path.lower()
            if path.rstrip("/") == here.path.lower().rstrip("/") or _NOT_JOB.search(path):
                continue
            if any(hint in path for hint in _JOB_HINTS):
                seen.add(url)
                links.append(url)
        return links

    def next_links(self, response: TextResponse) -> list[str]:
        """The next listing page(s)."""
        found = []
        for href in response.css("link[rel=next]::attr(href)").getall():
            found.append(response.urljoin(href))
        for anchor in response.css("a[href]"):
            if _is_next(anchor):
                found.append(response.urljoin(anchor.attrib["href"]))
        return list(dict.fromkeys(found))

    def fallback(self, response: TextResponse) -> dict[str, Any] | None:
        """Fields from the main text of a page without structured data, or None."""
        title, block = main_block(response.text)
        if block is None:
            return None
        lines = (line.strip() for line in block.get_text("\n").splitlines())
        text = "\n".join(line for line in lines if line)
        if len(text) < MIN_FALLBACK_CHARS:
            return None
        return {"title": title, "text": text, "text_html": str(block)}


def _is_next(anchor: Any) -> bool:
    rel = (anchor.attrib.get("rel") or "").lower()
    if "next" in rel.split():
        return True
    classes = (anchor.attrib.get("class") or "").lower()
    if re.search(r"(^|[-_ ])next([-_ ]|$)", classes):
        return True
    label = " ".join(anchor.css("::text").getall()).strip().lower()
    return bool(label) and len(label) < 30 and any(label.startswith(h) for h in _NEXT_LABELS)


_REGISTRY: dict[str, type[JobPage]] = {}


def register(cls: type[JobPage]) -> type[JobPage]:
    """Class decorator: use `cls` for its domains (and their subdomains)."""
    for domain in cls.domains:
        _REGISTRY[domain.lower()] = cls
    return cls


def page_for(url: str) -> JobPage:
    """The page class for the URL's domain, else the generic one."""
    import crawler.sites  # noqa: F401  (registers the per-site classes)

    host = (urlparse(url).hostname or "").lower()
    for candidate in _suffixes(host):
        if candidate in _REGISTRY:
            return _REGISTRY[candidate]()
    return JobPage()


def _suffixes(host: str) -> Iterator[str]:
    parts = host.split(".")
    for i in range(len(parts) - 1):
        yield ".".join(parts[i:])

"""The sources file (TOML): which spider crawls which start URLs, with what limits.

    [defaults]                # optional, applies to every source
    render = "auto"
    max_pages = 500

    [[source]]
    name = "workabroad-ph"
    spider = "jobs"           # jobs | feeds | telegram
    urls = ["https://www.workabroad.ph/list_specialization.php"]
    max_pages = 200           # optional limits (0: none)
    max_items = 0
    languages = ["en", "tl"]  # expected languages
    render = "never"          # auto | always | never
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPIDERS = ("jobs", "feeds", "telegram")
_KEYS = {"name", "spider", "urls", "max_pages", "max_items", "languages", "render"}


class SourcesError(ValueError):
    """A sources file that cannot be used, with the reason."""


@dataclass
class Source:
    """One source: a spider and its arguments."""

    name: str
    spider: str
    urls: list[str]
    max_pages: int = 0
    max_items: int = 0
    languages: list[str] = field(default_factory=list)
    render: str = "auto"

    def spider_kwargs(self) -> dict[str, Any]:
        return {"urls": self.urls, "max_pages": self.max_pages, "max_items": self.max_items,
                "languages": self.languages, "render": self.render, "source": self.name}


def load_sources(path: str | Path) -> list[Source]:
    """Sources from a TOML file; SourcesError naming the file and the problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path} is not valid TOML: {exc}") from exc
    defaults = data.get("defaults", {})
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path} has no [[source]] entries")
    sources = []
    for number, entry in enumerate(entries, 1):
        merged = {**defaults, **entry}
        unknown = set(merged) - _KEYS
        if unknown:
            raise SourcesError(f"{path}: source {number} has unknown keys: "
                               f"{', '.join(sorted(unknown))}")
        spider = merged.get("spider", "jobs")
        if spider not in SPIDERS:
            raise SourcesError(f"{path}: source {number}: spider must be one of "
                               f"{', '.join(SPIDERS)}")
        urls = merged.get("urls")
        if isinstance(urls, str):
            urls = [urls]
        if not urls:
            raise SourcesError(f"{path}: source {number} has no urls")
        try:
            sources.append(Source(
                name=str(merged.get("name") or f"source-{number}"), spider=spider,
                urls=[str(u) for u in urls], max_pages=int(merged.get("max_pages", 0)),
                max_items=int(merged.get("max_items", 0)),
                languages=[str(x) for x in merged.get("languages", [])],
                render=str(merged.get("render", "auto"))))
        except (TypeError, ValueError) as exc:
            raise SourcesError(f"{path}: source {number}: {exc}") from exc
    return sources

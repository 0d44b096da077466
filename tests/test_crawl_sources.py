"""`lurewatch crawl --sources FILE`: telegram channel previews, RSS and Atom feeds, sitemaps."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from crawler.sources import SourcesError, load_sources
from lurewatch.crawl_command import spider_for_url
from tests.crawl_fixtures import JobSite
from tests.helpers import free_port, json_lines, run_cli

FAST = {"LUREWATCH_CRAWL_FAST": "1"}


def _sources(tmp_path: Path, site: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[defaults]
render = "never"

[[source]]
name = "lurechannel"
spider = "telegram"
urls = ["{site}s/lurechannel"]
languages = ["en", "vi"]

[[source]]
name = "fixture-rss"
spider = "feeds"
urls = ["{site}feed.xml", "{site}atom.xml"]

[[source]]
name = "fixture-sitemap"
spider = "jobs"
urls = ["{site}sitemap.xml"]
max_pages = 10
""", encoding="utf-8")
    return path


def test_sources_file_crawls_channels_feeds_and_sitemaps(job_site: JobSite, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    done = run_cli("crawl", "--sources", str(_sources(tmp_path, job_site.url)), "-o", str(out),
                   "--no-store", env=FAST)
    assert done.returncode == 0, done.stderr
    rows = json_lines(out.read_text(encoding="utf-8"))
    by_url = {row["url"]: row for row in rows}
    assert len(by_url) == len(rows)

    # Telegram: each post with text is an item with its date and link; older pages followed.
    posts = {u: r for u, r in by_url.items() if u.startswith("https://t.me/lurechannel/")}
    assert sorted(posts) == [f"https://t.me/lurechannel/{n}" for n in (101, 102, 103, 105)]
    kk = posts["https://t.me/lurechannel/103"]
    assert kk["date_posted"] == "2026-11-19T06:12:45Z" and kk["extraction"] == "telegram"
    assert "Salary 2500$" in kk["text"] and kk["level"] in ("medium", "high")
    assert kk["source"] == "lurechannel"  # the name the sources file gives
    assert any(h["value"] == "hr_kk_jenny" for h in kk["handles"])
    assert posts["https://t.me/lurechannel/102"]["cluster"] == kk["cluster"]  # a repost
    assert posts["https://t.me/lurechannel/105"]["language"] == "vi"
    assert posts["https://t.me/lurechannel/101"]["level"] == "low"  # a warning, not a lure
    assert "/s/lurechannel?before=103" in job_site.hits

    # Feeds: RSS and Atom entries, with Atom rel=next paging.
    feed_paths = sorted(urlparse(u).path for u, r in by_url.items() if r["extraction"] == "feed")
    assert feed_paths == ["/feed/jobs/casino-host", "/feed/jobs/chat-support",
                          "/feed/jobs/model-translator", "/feed/jobs/rse-worker"]
    casino = next(r for r in rows if r["url"].endswith("/casino-host"))
    assert casino["date_posted"] == "2026-11-17T09:00:00Z"
    assert casino["date_posted_raw"] == "Tue, 17 Nov 2026 09:00:00 +0000"
    assert any(h["value"] == "bavet_hr_99" for h in casino["handles"])

    # Sitemap: job pages only, not /about/.
    sitemap_paths = sorted(urlparse(u).path for u, r in by_url.items()
                           if r["extraction"] in ("json-ld", "microdata"))
    assert sitemap_paths == ["/jobs/graph-typist.html", "/jobs/microdata-nurse.html"]
    assert "/about/" not in job_site.hits


def test_bare_urls_go_to_the_right_spider():
    assert spider_for_url("https://t.me/s/somechannel") == "telegram"
    assert spider_for_url("https://jobs.example.org/feed/") == "feeds"
    assert spider_for_url("https://jobs.example.org/atom.xml") == "feeds"
    assert spider_for_url("https://jobs.example.org/jobs?page=2") == "jobs"


def test_bad_sources_file_fails_with_one_line(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nspider = "ftp"\nurls = ["https://x.example/"]\n')
    with pytest.raises(SourcesError, match="spider must be one of"):
        load_sources(bad)
    done = run_cli("crawl", "--sources", str(bad), "--no-store")
    assert done.returncode != 0 and "spider must be one of" in done.stderr
    done = run_cli("crawl", "ftp://example.org/", "--no-store")
    assert done.returncode != 0 and "not an http(s) URL" in done.stderr


def test_crawl_that_reaches_nothing_fails_with_one_line():
    done = run_cli("crawl", f"http://127.0.0.1:{free_port()}/jobs/", "--no-store",
                   "--render", "never", env=FAST)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("lurewatch: no page could be crawled")

"""Whole crawls of the local fixture job site through `lurewatch crawl`, against golden items."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

from sqlmodel import Session, select

from lurewatch.storage.db import make_engine
from lurewatch.storage.models import Handle, Listing, ListingHandle
from tests.crawl_fixtures import SITE_DIR, JobSite
from tests.helpers import json_lines, run_cli

GOLDEN = [json.loads(line) for line in
          (SITE_DIR / "expected-items.jsonl").read_text(encoding="utf-8").splitlines()]
FAST = {"LUREWATCH_CRAWL_FAST": "1"}


def _path(url: str) -> str:
    return urlparse(url).path


def test_crawl_of_fixture_site_gives_the_golden_items(job_site: JobSite, sqlite_url: str,
                                                      tmp_path: Path):
    out = tmp_path / "out.jsonl"
    done = run_cli("crawl", job_site.url, "-o", str(out),
                   env={**FAST, "LUREWATCH_DATABASE_URL": sqlite_url})
    assert done.returncode == 0, done.stderr
    rows = json_lines(out.read_text(encoding="utf-8"))
    by_path = {_path(row["url"]): row for row in rows}
    assert len(rows) == len(by_path), "an ad was written twice"
    assert sorted(by_path) == sorted(g["path"] for g in GOLDEN)
    for golden in GOLDEN:
        row = by_path[golden["path"]]
        for key, expected in golden.items():
            if key == "path":
                continue
            if key == "handles":
                assert sorted(h["value"] for h in row["handles"]) == expected, golden["path"]
            elif key == "text_starts":
                assert row["text"].startswith(expected), golden["path"]
            else:
                assert row[key] == expected, (golden["path"], key)
        assert row["cluster"] and row["fetched_at"] and row["language"]
        assert row["level"] in ("low", "medium", "high", "insufficient")

    # The same ad under two URLs and its near copy share one cluster; others do not.
    copies = {by_path[p]["cluster"] for p in
              ("/jobs/dup-a.html", "/share/jobs/dup-a-copy.html", "/jobs/near-dup.html")}
    assert len(copies) == 1
    assert by_path["/jobs/near-dup.html"]["duplicate_of"] == "near"
    assert len({row["cluster"] for row in rows}) == len(rows) - 2

    # The main-content extractor leaves the page chrome out.
    promoter = by_path["/jobs/plain-promoter.html"]["text"]
    assert "Myawaddy" in promoter
    assert "cookies" not in promoter and "Popular searches" not in promoter

    # Politeness and robustness: robots.txt obeyed, no pagination past a listing without job
    # links, the redirect loop and the server error given up, the busy server retried.
    hits = job_site.hits
    assert hits[0] == "/robots.txt"
    assert not any(h.startswith("/private/") for h in hits)
    assert "/page4.html" in hits and "/page5.html" not in hits
    assert hits.count("/jobs/broken") == 3
    assert hits.count("/jobs/loop") <= 6
    assert hits.count("/page3.html") == 2  # static, then rendered once
    assert "/jobs/huge.html" not in by_path

    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        listings = session.exec(select(Listing)).all()
        assert len(listings) == len(GOLDEN)
        stored = {_path(listing.url): listing for listing in listings}
        typist = stored["/jobs/graph-typist.html"]
        assert typist.salary_monthly_usd == 2500
        assert typist.raw["salary"]["currency"] == "USD"
        assert typist.date_posted is not None and typist.extraction == "json-ld"
        assert stored["/jobs/js-detail.html"].rendered
        # One recruiter across many ads is one query.
        amy = session.exec(select(Handle).where(Handle.value == "hr_dup_amy")).one()
        linked = session.exec(select(Listing).join(ListingHandle).where(
            ListingHandle.handle_id == amy.id)).all()
        assert sorted(_path(x.url) for x in linked) == ["/jobs/dup-a.html",
                                                        "/share/jobs/dup-a-copy.html"]
    engine.dispose()


def test_render_never_leaves_script_built_pages_alone(job_site: JobSite, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    done = run_cli("crawl", job_site.url, "-o", str(out), "--no-store", "--render", "never",
                   env=FAST)
    assert done.returncode == 0, done.stderr
    paths = {_path(row["url"]) for row in json_lines(out.read_text(encoding="utf-8"))}
    assert "/jobs/js-detail.html" not in paths and "/jobs/rdfa-driver.html" not in paths
    assert "/jobs/graph-typist.html" in paths
    # page 3's links are built by script: without rendering it has none, so no page 4.
    assert job_site.hits.count("/page3.html") == 1 and "/page4.html" not in job_site.hits


def test_second_crawl_of_same_site_stores_nothing_twice(job_site: JobSite, sqlite_url: str,
                                                        tmp_path: Path):
    env = {**FAST, "LUREWATCH_DATABASE_URL": sqlite_url}
    for _ in range(2):
        done = run_cli("crawl", job_site.url + "page2.html", "--render", "never",
                       "-o", str(tmp_path / "out.jsonl"), env=env)
        assert done.returncode == 0, done.stderr
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        urls = [listing.url for listing in session.exec(select(Listing)).all()]
    engine.dispose()
    assert urls and len(urls) == len(set(urls))
    # The second run still reports what it saw, in the same clusters.
    rows = json_lines((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert len({(r["url"], r["cluster"]) for r in rows}) == len(urls)

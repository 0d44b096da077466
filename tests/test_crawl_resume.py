"""JOBDIR resume: a crawl killed with SIGKILL and started again loses and duplicates nothing."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlmodel import Session, select

from lurewatch.storage.db import make_engine
from lurewatch.storage.models import Listing
from tests.crawl_fixtures import BULK_PER_PAGE, JobSite
from tests.helpers import ROOT, json_lines


def _crawl(site: JobSite, out: Path, jobdir: Path, sqlite_url: str) -> subprocess.Popen:
    env = {**os.environ, "LUREWATCH_CRAWL_FAST": "1", "LUREWATCH_DATABASE_URL": sqlite_url,
           "LUREWATCH_PROGRESS_INTERVAL": "0.5"}
    return subprocess.Popen(
        [sys.executable, "-m", "lurewatch", "crawl", site.url + "bulk/page/1", "-o", str(out),
         "--jobdir", str(jobdir), "--render", "never"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def _wait_for_lines(process: subprocess.Popen, out: Path, count: int) -> None:
    """Wait (up to two minutes) until the running crawl has written `count` postings."""
    deadline = time.monotonic() + 120
    while not (out.exists() and len(out.read_text().splitlines()) >= count):
        assert time.monotonic() < deadline, "the crawl wrote too few postings in time"
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.05)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def test_crawl_killed_with_sigkill_resumes_without_loss_or_duplicates(
        job_site: JobSite, sqlite_url: str, tmp_path: Path):
    # Enough postings that the kill lands mid-crawl even though the worker, once warm, stores
    # and writes the postings that queued up while it started in a few quick batches.
    job_site.bulk_pages = 8
    job_site.delay = 0.3
    total = job_site.bulk_pages * BULK_PER_PAGE
    out, jobdir = tmp_path / "out.jsonl", tmp_path / "job"

    first = _crawl(job_site, out, jobdir, sqlite_url)
    try:
        _wait_for_lines(first, out, 8)
        workers = subprocess.run(["pgrep", "-P", str(first.pid)], capture_output=True,
                                 text=True).stdout.split()
        first.send_signal(signal.SIGKILL)  # no chance to save anything
        first.wait(timeout=30)
        # Its worker processes do not outlive it.
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers):
            assert time.monotonic() < deadline, "worker processes outlived the killed crawl"
            time.sleep(0.1)
    finally:
        _kill_group(first)
    before = len(json_lines(out.read_text()))
    assert 8 <= before < total, "the kill came too late to test a resume"
    fetched_before = Counter(h for h in job_site.hits if h.startswith("/bulk/jobs/"))
    job_site.hits.clear()

    second = _crawl(job_site, out, jobdir, sqlite_url)
    try:
        _, err = second.communicate(timeout=240)
    finally:
        _kill_group(second)
    assert second.returncode == 0, err
    assert "resuming" in err
    # Long crawls print a progress line: pages, postings, high-risk count, rate.
    assert re.search(r"lurewatch jobs: \d+ pages, \d+ postings, \d+ high risk, [\d.]+ pages/s",
                     err)

    rows = json_lines(out.read_text())
    urls = [row["url"] for row in rows]
    assert len(set(urls)) == total, "a posting was lost"
    assert len(urls) == total, "a posting was written twice"
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        stored = [listing.url for listing in session.exec(select(Listing)).all()]
    engine.dispose()
    assert len(stored) == total and len(set(stored)) == total, "stored twice or lost"
    # Resumed, not restarted: pages finished before the kill were not fetched again.
    fetched_after = {h for h in job_site.hits if h.startswith("/bulk/jobs/")}
    assert len(fetched_after) < total
    assert len(fetched_after & set(fetched_before)) <= len(fetched_before) - before + 1


def test_crawl_stopped_with_sigterm_stores_and_writes_what_it_accepted(
        job_site: JobSite, sqlite_url: str, tmp_path: Path):
    # More pages than the crawl fetches while its worker starts: a stopped crawl finishes the
    # pages it fetched, and some must be left.
    job_site.bulk_pages = 20
    job_site.delay = 0.3
    total = job_site.bulk_pages * BULK_PER_PAGE
    out, jobdir = tmp_path / "out.jsonl", tmp_path / "job"

    first = _crawl(job_site, out, jobdir, sqlite_url)
    try:
        _wait_for_lines(first, out, 8)
        first.send_signal(signal.SIGTERM)  # Scrapy's graceful stop: finish what is under way
        _, err = first.communicate(timeout=60)
    finally:
        _kill_group(first)
    assert first.returncode == 0, err

    def stored() -> list[str]:
        engine = make_engine(sqlite_url)
        with Session(engine) as session:
            urls = [listing.url for listing in session.exec(select(Listing)).all()]
        engine.dispose()
        return urls

    # Every posting the pipelines had taken in when the signal came was stored, written and
    # journaled before the process ended; none was half done.
    written = [row["url"] for row in json_lines(out.read_text())]
    journaled = (jobdir / "lurewatch" / "lurewatch-items.done").read_text().splitlines()
    assert len(written) < total, "the stop came too late to test anything"
    assert sorted(stored()) == sorted(written) and len(set(written)) == len(written)
    assert len(journaled) == len(written)

    second = _crawl(job_site, out, jobdir, sqlite_url)
    try:
        _, err = second.communicate(timeout=240)
    finally:
        _kill_group(second)
    assert second.returncode == 0, err
    urls = [row["url"] for row in json_lines(out.read_text())]
    assert len(urls) == len(set(urls)) == total
    assert sorted(stored()) == sorted(urls)

"""`--distributed`: two crawler processes share one crawl through a real Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from sqlmodel import Session, select

from lurewatch.storage.db import make_engine
from lurewatch.storage.models import Listing
from tests.crawl_fixtures import BULK_PER_PAGE, JobSite
from tests.helpers import ROOT, json_lines


def test_two_processes_harvest_every_posting_exactly_once(job_site: JobSite, redis_url: str,
                                                         sqlite_url: str, tmp_path: Path):
    # Enough slow pages that the second worker, however late it starts, finds work left.
    job_site.bulk_pages = 8
    job_site.delay = 0.3
    total = job_site.bulk_pages * BULK_PER_PAGE
    env = {**os.environ, "LUREWATCH_CRAWL_FAST": "1", "LUREWATCH_REDIS_URL": redis_url,
           "LUREWATCH_DATABASE_URL": sqlite_url}
    outs = [tmp_path / f"worker{n}.jsonl" for n in (1, 2)]
    workers = [subprocess.Popen(
        [sys.executable, "-m", "lurewatch", "crawl", job_site.url + "bulk/page/1", "-o", str(out),
         "--distributed", "--render", "never"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for out in outs]
    errors = []
    for worker in workers:
        try:
            errors.append(worker.communicate(timeout=180)[1])
        finally:
            worker.kill()
    assert [w.returncode for w in workers] == [0, 0], errors

    rows = [json_lines(out.read_text()) for out in outs]
    per_worker = [[row["url"] for row in worker_rows] for worker_rows in rows]
    # Copies of one ad share a cluster whichever worker harvested them (the index is shared).
    cluster = {urlparse(row["url"]).path: row["cluster"] for row in rows[0] + rows[1]}
    for copy, original in ((40, 0), (41, 1), (60, 20), (61, 21)):
        assert cluster[f"/bulk/jobs/{copy}.html"] == cluster[f"/bulk/jobs/{original}.html"]
    assert len(set(cluster.values())) == total - 4
    everything = per_worker[0] + per_worker[1]
    assert len(set(everything)) == total, "a posting was lost"
    assert len(everything) == total, "a posting was harvested twice"
    assert all(per_worker), "one worker did nothing: the crawl was not shared"
    fetched = [h for h in job_site.hits if h.startswith("/bulk/jobs/")]
    assert len(fetched) == len(set(fetched)) == total, "a page was fetched twice"
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        stored = [listing.url for listing in session.exec(select(Listing)).all()]
    engine.dispose()
    assert sorted(stored) == sorted(everything)


def test_workers_share_one_duplicate_index_on_redis(redis_url: str):
    import redis

    from crawler.distributed import SharedClusterIndex
    from tests.crawl_fixtures import bulk_ad

    server = redis.Redis.from_url(redis_url)
    first, second = (SharedClusterIndex(server, "lurewatch:test") for _ in range(2))
    original, exact, near = bulk_ad(1), bulk_ad(1), bulk_ad(41)
    cluster, how = first.add(original["title"], original["text"])
    assert how == ""
    assert second.add(exact["title"], exact["text"]) == (cluster, "exact")
    assert second.add(near["title"], near["text"]) == (cluster, "near")
    other = bulk_ad(2)
    assert first.add(other["title"], other["text"])[0] != cluster
    assert len(first) == 3

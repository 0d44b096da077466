"""`lurewatch crawl` over the bundled demo site: items scored, stored and written as JSON Lines."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from lurewatch.storage.db import make_engine
from lurewatch.storage.models import Handle, Listing
from tests.helpers import json_lines, run_cli


def test_crawl_demo_site_scores_stores_and_exports(demo_site: str, sqlite_url: str,
                                                    tmp_path: Path):
    out = tmp_path / "out.jsonl"
    done = run_cli("crawl", demo_site, "-o", str(out),
                   env={"LUREWATCH_DATABASE_URL": sqlite_url, "LUREWATCH_CRAWL_FAST": "1"})
    assert done.returncode == 0, done.stderr
    rows = json_lines(out.read_text())
    assert len(rows) == 7
    by_url = {row["url"].rsplit("/", 1)[-1]: row for row in rows}
    for row in rows:
        assert {"url", "title", "text", "employer", "location", "salary", "score", "level",
                "category", "signals", "language", "model_version"} <= set(row)
    assert by_url["typist-cambodia.html"]["level"] in ("medium", "high")
    assert by_url["nurse-uk.html"]["level"] == "low"
    assert by_url["customer-service-bangkok.html"]["employer"].startswith("Siam Contact")
    engine = make_engine(sqlite_url)
    with Session(engine) as session:
        listings = session.exec(select(Listing)).all()
        assert len(listings) == 7
        handles = {h.value for h in session.exec(select(Handle)).all()}
    assert "hr_demo_lina" in handles

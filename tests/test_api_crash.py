"""A server killed (SIGKILL) in the middle of review writes loses no decision it accepted."""

from __future__ import annotations

import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlmodel import Session, select

from lurewatch.storage.db import make_engine
from lurewatch.storage.models import Listing, Review
from tests.api_fixtures import make_key, seed_listings, serve


def test_killed_server_keeps_every_accepted_decision(database_url: str, tmp_path: Path):
    listings = seed_listings(database_url)
    key = make_key(database_url, "reviewer", "crash-tester")
    accepted: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    with serve(database_url, tmp_path / "server.log") as (base, process):

        def decide(n: int) -> None:
            listing_id = list(listings.values())[n % len(listings)]
            note = f"decision {n}"
            try:
                answer = httpx.patch(f"{base}/v1/listings/{listing_id}/review", timeout=10,
                                     headers={"Authorization": f"Bearer {key}"},
                                     json={"decision": "needs_follow_up", "note": note})
            except httpx.HTTPError:
                return
            if answer.status_code == 200:
                with lock:
                    accepted.append(note)
                    if len(accepted) >= 20:
                        enough.set()

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(decide, n) for n in range(150)]
            enough.wait(timeout=60)
            process.send_signal(signal.SIGKILL)
            process.wait()
            for future in futures:
                future.result()

    assert len(accepted) >= 20
    engine = make_engine(database_url)
    with Session(engine) as session:
        stored = [review.note for review in session.exec(select(Review))]
        statuses = {listing.review_status for listing in session.exec(select(Listing))}
    engine.dispose()
    assert set(accepted) <= set(stored)
    assert len(stored) == len(set(stored)) and len(stored) < 150
    assert statuses <= {"needs_follow_up", "unreviewed"}

    with serve(database_url, tmp_path / "restart.log") as (base, _):
        answer = httpx.get(f"{base}/v1/listings", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 200

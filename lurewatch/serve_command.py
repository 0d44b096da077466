"""`lurewatch serve`: the API and review desk under uvicorn, seeded from the demo site."""

from __future__ import annotations

import os
import subprocess
import sys

from lurewatch.errors import CliError


def _database_is_empty() -> bool:
    from sqlmodel import Session, select

    from lurewatch.storage.db import create_tables, make_engine
    from lurewatch.storage.models import Listing

    engine = make_engine()
    create_tables(engine)
    with Session(engine) as session:
        empty = session.exec(select(Listing.id).limit(1)).first() is None
    engine.dispose()
    return empty


def seed_from_demo_site() -> None:
    """Serve the bundled demo job site on loopback and crawl it into the database."""
    from lurewatch.demo_site import serve_demo_site

    server, url = serve_demo_site()
    try:
        print(f"lurewatch: crawling the demo job site at {url} ...", file=sys.stderr)
        env = dict(os.environ, LUREWATCH_CRAWL_FAST="1")
        done = subprocess.run(
            [sys.executable, "-m", "lurewatch", "crawl", url], env=env, check=False
        )
        if done.returncode != 0:
            raise CliError("crawling the demo site failed")
    finally:
        server.shutdown()


def run_serve(host: str, port: int, demo: bool) -> int:
    """Start uvicorn with the app factory."""
    try:
        import uvicorn
    except ImportError as exc:
        raise CliError("the API is not installed: install lurewatch[api]") from exc
    if demo and _database_is_empty():
        seed_from_demo_site()
    print(f"lurewatch: serving on http://{host}:{port}", file=sys.stderr)
    try:
        # uvloop and httptools (both in the api extra, picked by "auto"); no access log (never
        # printed at log level warning; this also skips the logger call per request).
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port,
                    log_level="warning", access_log=False, loop="auto", http="auto")
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return 0

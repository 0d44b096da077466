"""Fixtures that start real components: the API server and the demo job site."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT, free_port, wait_for_http

pytest_plugins = [
    "tests.api_fixtures",
    "tests.crawl_fixtures",
]


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'lurewatch.db'}"


@pytest.fixture()
def api_server(sqlite_url: str, tmp_path: Path) -> Iterator[str]:
    """`lurewatch serve` in its own process on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "LUREWATCH_DATABASE_URL": sqlite_url}
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "lurewatch", "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/healthz", process=process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture()
def demo_site() -> Iterator[str]:
    """The bundled demo job site served on loopback; yields its base URL."""
    from lurewatch.demo_site import serve_demo_site

    server, url = serve_demo_site()
    try:
        yield url
    finally:
        server.shutdown()

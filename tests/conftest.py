"""Fixtures that start real components: the API server and the demo job site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import serve

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
    with serve(sqlite_url, tmp_path / "server.log") as (base, _):
        yield base


@pytest.fixture()
def demo_site() -> Iterator[str]:
    """The bundled demo job site served on loopback; yields its base URL."""
    from lurewatch.demo_site import serve_demo_site

    server, url = serve_demo_site()
    try:
        yield url
    finally:
        server.shutdown()

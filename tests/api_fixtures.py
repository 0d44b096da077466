"""Fixtures for the API and storage tests: a throwaway PostgreSQL cluster, a database per test
(SQLite and PostgreSQL), seeded listings, API keys and a live `lurewatch serve`."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import free_port, serve

# Ads the API tests store as crawled listings; two share a Telegram handle, two a template.
SEED_ADS = [
    {"id": "typist", "title": "Typist (English) – Cambodia",
     "text": "Typing job in Sihanoukville, Cambodia. Salary $2000/month, no experience, "
     "free visa and flight, tourist visa first. Contact Telegram @hr_seed_amy now.",
     "location": "Sihanoukville, Cambodia", "country": "KH", "cluster": "tpl-typist"},
    {"id": "typist-copy", "title": "Typist (English) – Cambodia",
     "text": "Typing job in Sihanoukville, Cambodia. Salary $2000/month, no experience, "
     "free visa and flight, tourist visa first. Contact Telegram @hr_seed_amy today.",
     "location": "Sihanoukville, Cambodia", "country": "KH", "cluster": "tpl-typist"},
    {"id": "game", "title": "Online game promoter, Myawaddy",
     "text": "Game promoter in Myawaddy, US$3000 per month plus commission, 18-35, "
     "free food and housing, we handle the crossing from Mae Sot. WhatsApp +66 81 234 5678",
     "location": "Myawaddy", "country": "MM", "cluster": "tpl-game"},
    {"id": "hostile", "title": "<script>alert('x')</script>Customer service",
     "text": "\"><img src=x onerror=alert(1)> Customer service in Bangkok, US$2,500, free "
     "flight, interview on Telegram @hr_seed_amy. =HYPERLINK(\"http://evil\")",
     "location": "Bangkok", "country": "TH", "cluster": "tpl-hostile"},
    {"id": "nurse", "title": "Registered nurse, Leeds",
     "text": "NHS trust in Leeds recruits registered nurses. Health and Care visa sponsored, "
     "no fees to workers, apply through our careers site. Salary GBP 28,407 a year.",
     "employer": "Leeds Teaching Hospitals NHS Trust", "location": "Leeds", "country": "GB",
     "cluster": "tpl-nurse"},
    {"id": "farm", "title": "Seasonal farm work, Canada SAWP",
     "text": "Seasonal agricultural worker program. Employer pays the flight, housing "
     "inspected, contract from the Ministry of Labour. No fees charged to workers.",
     "employer": "Fraser Valley Farms", "location": "Abbotsford", "country": "CA",
     "cluster": "tpl-farm"},
]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL not installed: run scripts/test.sh, which installs it")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    """Run as the `postgres` user when we are root (initdb refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port; yields its server URL."""
    binaries = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="lurewatch-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / "data"
    port = free_port()
    subprocess.run(_as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--locale=C"]),
                   check=True, capture_output=True)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                                 "-l", str(folder / "log"), "-w", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(kind: str, folder: Path, request: pytest.FixtureRequest) -> str:
    """A new empty database: an SQLite file in `folder`, or a database on the test cluster."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'lurewatch.db'}"
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"lw_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.replace("postgresql+psycopg", "postgresql") + "/postgres",
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database for one test: an SQLite file, then a PostgreSQL database."""
    return fresh_database(request.param, tmp_path, request)


def seed_listings(url: str) -> dict[str, int]:
    """Score and store SEED_ADS as crawled listings; returns listing ids by ad id."""
    from sqlmodel import Session

    from lurewatch.storage.db import create_tables, make_engine
    from lurewatch.storage.listings import store_listing
    from scoring.ad import Ad
    from scoring.engine import default_scorer
    from scoring.handles import ad_handles

    engine = make_engine(url)
    create_tables(engine)
    ids: dict[str, int] = {}
    with Session(engine) as session:
        for data in SEED_ADS:
            ad = Ad.from_dict({k: v for k, v in data.items() if k not in ("country", "cluster")})
            result = default_scorer().score(ad).to_dict()
            listing = store_listing(session, {
                "url": f"https://jobs.example.org/{data['id']}", "source": "jobs.example.org",
                "title": ad.title, "text": ad.text, "employer": ad.employer,
                "location": ad.location, "location_country": data["country"],
                "language": result["language"], "score": result["score"],
                "level": result["level"], "category": result["category"],
                "signals": result["signals"], "model_version": result["model_version"],
                "cluster": data["cluster"], "content_hash": data["cluster"],
            }, ad_handles(ad))
            ids[data["id"]] = listing.id
        session.commit()
    engine.dispose()
    return ids


def make_key(url: str, role: str, name: str = "") -> str:
    """A new API key stored in the database at `url`."""
    from sqlmodel import Session

    from lurewatch.storage.db import create_tables, make_engine
    from lurewatch.storage.keys import create_key

    engine = make_engine(url)
    create_tables(engine)
    with Session(engine) as session:
        key, _ = create_key(session, role, name)
        session.commit()
    engine.dispose()
    return key


@dataclass
class LiveApi:
    """A running `lurewatch serve` and what the tests need to talk to it."""

    base: str
    database_url: str
    process: subprocess.Popen
    keys: dict[str, str] = field(default_factory=dict)
    listings: dict[str, int] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_api(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """Seeded listings, one key per role and a live server, on SQLite and on PostgreSQL.

    Shared by the tests of a module: tests that change data use their own listings.
    """
    tmp_path = tmp_path_factory.mktemp(f"api-{request.param}")
    database_url = fresh_database(request.param, tmp_path, request)
    listings = seed_listings(database_url)
    keys = {role: make_key(database_url, role, f"{role}-tester")
            for role in ("platform", "reviewer", "admin")}
    with serve(database_url, tmp_path / "server.log",
               {"LUREWATCH_ANONYMOUS_RATE_PER_MINUTE": "1000"}) as (base, process):
        yield LiveApi(base, database_url, process, keys, listings)

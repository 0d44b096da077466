"""Engine and session factory; the database URL comes from settings, never from import time."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from lurewatch.storage import models  # noqa: F401  (registers the tables)

DATABASE_URL_ENV = "LUREWATCH_DATABASE_URL"


def default_database_url() -> str:
    """SQLite in the user's data folder."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("lurewatch", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'lurewatch.db'}"


def database_url() -> str:
    """The URL from LUREWATCH_DATABASE_URL, or the default SQLite file."""
    return os.environ.get(DATABASE_URL_ENV) or default_database_url()


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url`; SQLite gets WAL and a busy timeout so writers wait, not fail."""
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed review survives a crash of the machine, not only of the server.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def create_tables(engine: Engine) -> None:
    """Bring the database schema up to date by running the packaged Alembic migrations."""
    from lurewatch.storage.migrate import upgrade

    upgrade(engine)

"""Alembic migrations shipped in the package, run programmatically (`lurewatch db upgrade`)."""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The revision that matches the tables `SQLModel.metadata.create_all` made before migrations.
BASELINE_REVISION = "0001"
# The newest revision shipped (a test checks it against the scripts): a database already there
# is recognised without importing Alembic, which keeps server start-up short.
HEAD_REVISION = "0002"
_PG_LOCK_KEY = 0x1A2E_7A7C  # advisory lock: one migrator at a time per database


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision shipped, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _recorded_revision(engine: Engine) -> str | None:
    """The revision in alembic_version, read with plain SQL (None when there is none)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return None
    return rows[0][0] if len(rows) == 1 else None


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """Serialise migrators: a PostgreSQL advisory lock, or a lock file next to SQLite's."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                connection.commit()
        return
    url = engine.url.render_as_string(hide_password=True)
    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"lurewatch-migrate-{name}.lock"
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest revision; returns it.

    A database made by `create_all` before migrations existed (tables, no alembic_version) is
    stamped at the baseline first, so its data is kept.
    """
    if _recorded_revision(engine) == HEAD_REVISION:
        return HEAD_REVISION
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with _migration_lock(engine) as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        head = head_revision()
        if current == head:
            connection.rollback()
            return head
        config = alembic_config(connection)
        if current is None and inspect(connection).has_table("listing"):
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")
        connection.commit()
    return head

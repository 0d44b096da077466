"""Alembic environment: runs on the connection that lurewatch.storage.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from lurewatch.storage import models  # noqa: F401  (registers the tables)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from lurewatch.storage.db import make_engine

        engine = make_engine(context.config.get_main_option("sqlalchemy.url") or None)
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

"""`lurewatch keys create|list|revoke`: make an API key and print it, alone, once; list the
keys (id, prefix, role, name, state); revoke one by id or prefix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from lurewatch.errors import CliError


@contextmanager
def _session() -> Iterator[object]:
    """A session on the database LUREWATCH_DATABASE_URL names, with storage errors turned
    into one readable line."""
    try:
        from sqlalchemy.exc import SQLAlchemyError
        from sqlmodel import Session

        from lurewatch.storage.db import create_tables, make_engine
    except ImportError as exc:
        raise CliError("the storage layer is not installed: install lurewatch[api]") from exc
    try:
        engine = make_engine()
        create_tables(engine)
        with Session(engine) as session:
            yield session
        engine.dispose()
    except SQLAlchemyError as exc:
        message = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise CliError(f"database error: {message}") from exc


def run_keys_list() -> int:
    """Print one line per key: id, prefix, role, state, name (tab-separated)."""
    from lurewatch.storage.keys import list_keys

    with _session() as session:
        rows = list_keys(session)  # type: ignore[arg-type]
        for row in rows:
            state = "revoked" if row.revoked else "active"
            print(f"{row.id}\t{row.prefix}\t{row.role}\t{state}\t{row.name}")
    return 0


def run_keys_revoke(which: str) -> int:
    """Revoke a key by id or prefix; a running server stops accepting it within seconds."""
    from lurewatch.storage.keys import revoke_key

    with _session() as session:
        row = revoke_key(session, which.strip())  # type: ignore[arg-type]
        if row is None:
            raise CliError(f"no single key has the id or prefix {which.strip()!r}")
        session.commit()  # type: ignore[attr-defined]
        print(f"revoked key {row.id} ({row.prefix}, {row.role})")
    return 0


def run_keys_create(role: str, name: str) -> int:
    """Store the new key's hash in the database LUREWATCH_DATABASE_URL names; print the key."""
    try:
        from sqlalchemy.exc import SQLAlchemyError
        from sqlmodel import Session

        from lurewatch.storage.db import create_tables, make_engine
        from lurewatch.storage.keys import ROLES, create_key
    except ImportError as exc:
        raise CliError("the storage layer is not installed: install lurewatch[api]") from exc
    if role not in ROLES:
        raise CliError(f"role must be one of {', '.join(ROLES)}")
    try:
        engine = make_engine()
        create_tables(engine)
        with Session(engine) as session:
            key, _ = create_key(session, role, name)
            session.commit()
        engine.dispose()
    except SQLAlchemyError as exc:
        message = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise CliError(f"cannot store the key: {message}") from exc
    print(key, flush=True)
    return 0

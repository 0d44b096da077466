"""`lurewatch keys create --role ROLE`: make an API key and print it, alone, once."""

from __future__ import annotations

from lurewatch.errors import CliError


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

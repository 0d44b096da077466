"""`lurewatch db upgrade`: run the packaged migrations on the database in LUREWATCH_DATABASE_URL."""

from __future__ import annotations

import sys

from lurewatch.errors import CliError


def run_db(action: str) -> int:
    """Carry out `action` (only `upgrade` for now) and say where the database stands."""
    if action != "upgrade":
        raise CliError(f"unknown action {action!r}")
    try:
        from sqlalchemy.exc import SQLAlchemyError

        from lurewatch.storage.db import database_url, make_engine
        from lurewatch.storage.migrate import current_revision, upgrade
    except ImportError as exc:
        raise CliError("the storage layer is not installed: install lurewatch[api]") from exc
    url = database_url()
    try:
        engine = make_engine(url)
        before = current_revision(engine)
        after = upgrade(engine)
        engine.dispose()
    except SQLAlchemyError as exc:
        message = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise CliError(f"cannot upgrade the database: {message}") from exc
    shown = make_engine(url).url.render_as_string(hide_password=True)
    if before == after:
        print(f"lurewatch: database {shown} is up to date (revision {after})", file=sys.stderr)
    else:
        print(f"lurewatch: database {shown} upgraded from {before or 'empty'} to {after}",
              file=sys.stderr)
    return 0

"""API keys: made at random, shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from lurewatch.storage.models import ApiKey

ROLES = ("platform", "reviewer", "admin")
KEY_PREFIX = "lw_"


def hash_key(key: str) -> str:
    """The stored form of a key. Keys carry 256 random bits, so a fast hash is enough."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_key() -> str:
    """A fresh random key, e.g. `lw_3q2...`."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(session: Session, role: str, name: str = "") -> tuple[str, ApiKey]:
    """Store a new key's hash; return the key (shown once) and its row. The caller commits."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    key = new_key()
    row = ApiKey(prefix=key[:10], key_hash=hash_key(key), role=role, name=name[:200])
    session.add(row)
    session.flush()
    return key, row


def active_keys(session: Session) -> dict[str, ApiKey]:
    """Every key that is not revoked, by hash."""
    rows = session.exec(select(ApiKey).where(ApiKey.revoked == False)).all()  # noqa: E712
    return {row.key_hash: row for row in rows}


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, oldest first (hashes and prefixes only: the keys themselves are not kept)."""
    return list(session.exec(select(ApiKey).order_by(ApiKey.id)).all())


def revoke_key(session: Session, which: str) -> ApiKey | None:
    """Revoke the key whose id or prefix is `which`; None when no key matches. The caller
    commits. A prefix that several keys share matches none (ask by id then)."""
    if which.isdigit():
        row = session.get(ApiKey, int(which))
    else:
        rows = session.exec(select(ApiKey).where(ApiKey.prefix == which)).all()
        row = rows[0] if len(rows) == 1 else None
    if row is not None:
        row.revoked = True
        session.add(row)
    return row

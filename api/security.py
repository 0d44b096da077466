"""API keys, roles and rate limits.

Keys are checked against an in-memory copy of the stored hashes (re-read on an unknown key, at
most once a second, and every `key_cache_seconds`, 5 by default), so scoring touches no
database and a revocation made elsewhere takes effect within seconds.
Rate limits are token buckets kept in the memory of the server process: `lurewatch serve` runs
one worker process; with several workers each would count on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import threading
import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from lurewatch.storage.keys import active_keys, hash_key

SESSION_COOKIE = "lurewatch_session"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key's id, role and name, or an anonymous client address."""

    role: str  # "anonymous" | "platform" | "reviewer" | "admin"
    key_id: int | None = None
    name: str = ""
    key_hash: str = ""

    @property
    def anonymous(self) -> bool:
        return self.key_id is None


class ApiError(Exception):
    """An error answered as JSON `{"detail": ..., **extra}` with a status and headers."""

    def __init__(self, status: int, detail: str | list, headers: dict[str, str] | None = None,
                 **extra: object) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


class KeyCache:
    """The hashes of the active API keys, kept in memory."""

    def __init__(self, engine: Engine, max_age: float = 5.0) -> None:
        self.engine = engine
        self.max_age = max_age
        self.keys: dict[str, Principal] = {}
        self.loaded_at = -math.inf
        self._lock = threading.Lock()

    def reload(self) -> None:
        with Session(self.engine) as session:
            rows = active_keys(session)
        self.keys = {h: Principal(row.role, row.id, row.name, h) for h, row in rows.items()}
        self.loaded_at = time.monotonic()

    def lookup(self, key: str) -> Principal | None:
        """The principal of `key`, or None when no active key matches."""
        return self.lookup_hash(hash_key(key))

    def lookup_hash(self, digest: str) -> Principal | None:
        """The principal of the key with this hash, or None when no active key has it."""
        age = time.monotonic() - self.loaded_at
        found = self.keys.get(digest)
        if (found is None and age > 1.0) or age > self.max_age:
            with self._lock:
                if time.monotonic() - self.loaded_at > min(1.0, self.max_age):
                    self.reload()
            found = self.keys.get(digest)
        return found


class SessionSigner:
    """Desk sessions: the cookie holds the key's hash, an expiry time and a signature made with
    a secret drawn when the server starts, never the key itself. A stolen cookie cannot be
    turned into an API key, it expires, it dies with a revoked key or a server restart."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or os.urandom(32)

    def _sign(self, payload: str) -> str:
        return hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, key_hash: str, seconds: int) -> str:
        """A cookie value for a session of the key with this hash."""
        payload = f"{key_hash}.{int(time.time()) + seconds}"
        return f"{payload}.{self._sign(payload)}"

    def verify(self, value: str) -> str | None:
        """The key hash of a valid, unexpired session cookie, else None."""
        payload, _, signature = value.rpartition(".")
        key_hash, _, expires = payload.partition(".")
        if not (key_hash and expires.isdigit()
                and hmac.compare_digest(signature.encode(), self._sign(payload).encode())):
            return None
        return key_hash if int(expires) > time.time() else None


class RateLimiter:
    """Token buckets: `rate` requests per `period` seconds per key, bursts up to `rate`."""

    def __init__(self, rate: int, period: float) -> None:
        self.rate = rate
        self.period = period
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, cost: int = 1) -> float:
        """Spend `cost` tokens; 0.0 when allowed, else the seconds to wait before retrying."""
        now = time.monotonic()
        per_second = self.rate / self.period
        tokens, last = self.buckets.get(key, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * per_second)
        if cost > self.rate:
            return math.inf
        if tokens < cost:
            self.buckets[key] = (tokens, now)
            return (cost - tokens) / per_second
        self.buckets[key] = (tokens - cost, now)
        if len(self.buckets) > 100_000:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        per_second = self.rate / self.period
        self.buckets = {k: v for k, v in self.buckets.items()
                        if v[0] + (now - v[1]) * per_second < self.rate}


def invalid(location: tuple[str, ...], message: str) -> ApiError:
    """A 422 shaped like FastAPI's own validation errors: `detail` lists `{loc, msg, type}`."""
    return ApiError(422, [{"loc": list(location), "msg": message, "type": "value_error"}])


def parse_bearer(header: str | None) -> str | None:
    """The key of an `Authorization: Bearer KEY` header; raises ApiError 401 when malformed."""
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise ApiError(401, "the Authorization header must be 'Bearer KEY'",
                       {"WWW-Authenticate": "Bearer"})
    return key


def csrf_token(key_hash: str) -> str:
    """The desk's form token for a session: derived from the key, so nothing is stored."""
    return hmac.new(key_hash.encode(), b"lurewatch-desk-csrf", hashlib.sha256).hexdigest()


def retry_error(limit_text: str, wait: float) -> ApiError:
    """A 429 with Retry-After."""
    if math.isinf(wait):
        return ApiError(429, f"rate limit exceeded: this request is larger than the limit of "
                        f"{limit_text}", {"Retry-After": "60"}, retry_after=None)
    seconds = max(1, math.ceil(wait))
    return ApiError(429, f"rate limit exceeded: {limit_text}; retry in {seconds} s",
                    {"Retry-After": str(seconds)}, retry_after=seconds)

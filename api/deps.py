"""Request dependencies: database sessions, the scorer, the caller and their rights.

The ones on the scoring path are `async def` so that FastAPI does not hand each of them to a
worker thread (they do no blocking work, except a rare reload of the key cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from sqlmodel import Session

from api.security import SESSION_COOKIE, ApiError, Principal, parse_bearer, retry_error
from scoring.engine import Scorer

ANONYMOUS = Principal("anonymous")
# Declares the Bearer scheme in OpenAPI; the key itself is read by `get_principal`.
bearer_scheme = HTTPBearer(auto_error=False, description="An API key: `Bearer KEY`")


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's engine, closed after the request."""
    with Session(request.app.state.engine) as session:
        yield session


async def get_scorer(request: Request) -> Scorer:
    """The scorer loaded when the app started."""
    return request.app.state.scorer


def client_address(request: Request) -> str:
    """The address rate limits count against."""
    return request.client.host if request.client else "unknown"


def principal_of(request: Request, allow_cookie: bool) -> Principal:
    """The caller: a Bearer key, the desk's session cookie (when allowed), or anonymous."""
    header = request.headers.get("authorization")
    if not header and allow_cookie:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            key_hash = request.app.state.sessions.verify(cookie)
            principal = request.app.state.keys.lookup_hash(key_hash) if key_hash else None
            if principal is None:
                raise ApiError(401, "the desk session has expired or its key was revoked: "
                                    "sign in again", {"WWW-Authenticate": "Bearer"})
            return principal
    return principal_from_bearer(request, header)


def principal_from_bearer(request: Request, header: str | None) -> Principal:
    """The caller named by an Authorization header (None or empty: anonymous)."""
    key = parse_bearer(header)
    if key is None:
        return ANONYMOUS
    return _known(request, key)


def _known(request: Request, key: str) -> Principal:
    principal = request.app.state.keys.lookup(key)
    if principal is None:
        raise ApiError(401, "unknown or revoked API key", {"WWW-Authenticate": "Bearer"})
    return principal


async def get_principal(request: Request, _: object = Depends(bearer_scheme)) -> Principal:
    """The caller; the desk's cookie counts only for reading (GET), never for changes."""
    return principal_of(request, allow_cookie=request.method in ("GET", "HEAD"))


Caller = Annotated[Principal, Depends(get_principal)]


def charge(request: Request, principal: Principal, cost: int = 1) -> None:
    """Spend `cost` scoring tokens of the caller; raises 429 when they are used up."""
    settings = request.app.state.settings
    if principal.anonymous:
        wait = request.app.state.anonymous_limiter.take(client_address(request), cost)
        if wait:
            raise retry_error(f"{settings.anonymous_rate_per_minute} ads per minute per address "
                              "without an API key", wait)
    else:
        wait = request.app.state.key_limiter.take(f"key:{principal.key_id}", cost)
        if wait:
            raise retry_error(f"{settings.platform_rate_per_minute} ads per minute per key", wait)


async def scoring_principal(request: Request, principal: Caller) -> Principal:
    """The caller of a scoring endpoint, after its rate limit (one token per ad)."""
    charge(request, principal)
    return principal


def require(*roles: str):  # type: ignore[no-untyped-def]
    """A dependency that lets through only keys with one of `roles` (401 without a key)."""

    async def check(principal: Caller) -> Principal:
        if principal.anonymous:
            raise ApiError(401, "this endpoint needs an API key: send 'Authorization: Bearer KEY'",
                           {"WWW-Authenticate": "Bearer"})
        if principal.role not in roles:
            raise ApiError(403, f"a {principal.role} key may not do this; it needs a "
                           f"{' or '.join(roles)} key")
        return principal

    return check


SessionDep = Annotated[Session, Depends(get_session)]
ScorerDep = Annotated[Scorer, Depends(get_scorer)]
ScoringCaller = Annotated[Principal, Depends(scoring_principal)]
Reviewer = Annotated[Principal, Depends(require("reviewer", "admin"))]

"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.middleware import BodyLimitMiddleware
from api.routes import keys, listings, pages, reports, score
from api.scoring_pool import ScoringPool
from api.security import ApiError, KeyCache, RateLimiter, SessionSigner
from api.settings import Settings
from lurewatch import __version__
from lurewatch.storage.db import create_tables, default_database_url, make_engine
from scoring.engine import Scorer

DESCRIPTION = """Scores job ads for signs of scam-compound recruitment, with reasons quoted from
the ad, and serves NGO reviewers the crawled listings.

**Keys.** Send `Authorization: Bearer KEY` (made with `lurewatch keys create --role ROLE`).
Scoring works without a key under a per-address rate limit; `platform` keys get bulk limits;
listings need a `reviewer` or `admin` key. Errors are JSON: `{"detail": "..."}`.

**Limits.** One ad: 256 KB of JSON; a batch: 8 MB and 1,000 ads. Bodies must be UTF-8.
"""


def _error_response(status: int, detail: object, headers: dict[str, str] | None = None,
                    **extra: object) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build an app with its own settings, engine and scorer (nothing happens at import)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.scoring_pool = ScoringPool(settings.scoring_processes)
        app.state.scoring_pool.start()
        try:
            yield
        finally:
            app.state.scoring_pool.shutdown()
            app.state.engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="lurewatch API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "scoring", "description": "Score ads; for platforms and the extension"},
            {"name": "listings", "description": "Crawled listings; for NGO reviewers"},
            {"name": "reports", "description": "Reports from jobseekers"},
            {"name": "keys", "description": "API keys; for admins"},
            {"name": "health", "description": "Liveness"},
        ],
    )
    engine = make_engine(settings.database_url or default_database_url())
    create_tables(engine)
    app.state.settings = settings
    app.state.engine = engine
    app.state.scorer = Scorer()
    app.state.model_info = score.build_model_info(app.state.scorer)
    app.state.score_cache = score.ScoreCache(settings.score_cache_size)
    app.state.scoring_pool = ScoringPool(0)  # the lifespan starts the helper process
    app.state.keys = KeyCache(engine, settings.key_cache_seconds)
    app.state.keys.reload()
    app.state.sessions = SessionSigner()
    app.state.anonymous_limiter = RateLimiter(settings.anonymous_rate_per_minute, 60.0)
    app.state.key_limiter = RateLimiter(settings.platform_rate_per_minute, 60.0)
    app.state.report_limiter = RateLimiter(settings.report_rate_per_hour, 3600.0)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(pages.SignInNeeded)
    async def sign_in_needed(_: Request, __: pages.SignInNeeded):  # type: ignore[no-untyped-def]
        return pages.sign_in_redirect()

    @app.exception_handler(pages.FormRejected)
    async def form_rejected(request: Request, _: pages.FormRejected):  # type: ignore[no-untyped-def]
        return pages.rejected_form(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404 and not request.url.path.startswith(("/v1/", "/healthz")):
            return await pages.not_found(request)
        return _error_response(exc.status_code, exc.detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in error.items() if k in ("loc", "msg", "type")}
                  for error in exc.errors()]
        return _error_response(422, errors)

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """Liveness: answers 200 when the app is up."""
        return JSONResponse({"status": "ok", "model_version": app.state.scorer.model.version,
                             "scoring_helper": app.state.scoring_pool.ready})

    app.include_router(score.router)
    app.include_router(listings.router)
    app.include_router(reports.router)
    app.include_router(keys.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_middleware(
        BodyLimitMiddleware, default_limit=settings.max_single_body_bytes,
        limits={"/v1/score/batch": settings.max_batch_body_bytes},
        fast_paths={"/v1/score": score.score_fast},
    )
    return app

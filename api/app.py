"""The FastAPI application factory."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api.routes import listings, pages, score
from api.settings import Settings
from lurewatch import __version__
from lurewatch.storage.db import create_tables, default_database_url, make_engine
from scoring.engine import Scorer


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build an app with its own settings, engine and scorer (nothing happens at import)."""
    settings = settings or Settings()
    app = FastAPI(
        title="lurewatch API",
        version=__version__,
        description="Scores job ads for signs of scam-compound recruitment, with reasons.",
    )
    engine = make_engine(settings.database_url or default_database_url())
    create_tables(engine)
    app.state.settings = settings
    app.state.engine = engine
    app.state.scorer = Scorer()

    @app.get("/healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """Liveness: answers 200 when the app is up."""
        return JSONResponse({"status": "ok", "model_version": app.state.scorer.model.version})

    app.include_router(score.router)
    app.include_router(listings.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app

"""Request dependencies: database sessions and the scorer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from scoring.engine import Scorer


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's engine, closed after the request."""
    with Session(request.app.state.engine) as session:
        yield session


def get_scorer(request: Request) -> Scorer:
    """The scorer loaded when the app started."""
    return request.app.state.scorer


SessionDep = Annotated[Session, Depends(get_session)]
ScorerDep = Annotated[Scorer, Depends(get_scorer)]

"""Scoring endpoints."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from api.deps import ScorerDep
from api.schemas import AdIn, ErrorOut, ScoreOut
from scoring.ad import Ad, AdError

router = APIRouter(prefix="/v1", tags=["scoring"])


@router.post("/score", response_model=ScoreOut,
             responses={400: {"model": ErrorOut}, 413: {"model": ErrorOut},
                        422: {"model": ErrorOut}})
def score_one(ad: AdIn, scorer: ScorerDep,
              lang: str = Query(default="en", max_length=16,
                                description="language of the reason messages")) -> ScoreOut:
    """Score one ad."""
    try:
        parsed = Ad.from_dict(ad.model_dump(exclude_none=True))
    except AdError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return ScoreOut.model_validate(scorer.score(parsed, lang).to_dict())

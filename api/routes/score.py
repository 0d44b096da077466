"""Scoring endpoints: one ad, a batch, and the model in service."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import (
    ScorerDep,
    ScoringCaller,
    bearer_scheme,
    charge,
    principal_from_bearer,
    principal_of,
)
from api.middleware import Scope, Send, send_json
from api.schemas import AdIn, BatchIn, BatchOut, ErrorOut, ModelOut, ScoreOut
from api.scoring_pool import ScoringPool, ad_fields, dump_json, result_json
from api.security import ApiError, invalid
from api.text import safe_strings
from scoring.ad import Ad, AdError
from scoring.catalog import UI_LANGUAGES, load_catalog
from scoring.engine import Scorer

router = APIRouter(prefix="/v1", tags=["scoring"])

LANG_QUERY = Query(default="en", max_length=16,
                   description="language of the reason messages (en, my, vi, th, id, tl, zh, km, "
                   "sw, es; others fall back to English)")
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "unknown API key or malformed Authorization"},
    429: {"model": ErrorOut, "description": "rate limit exceeded (see Retry-After)"},
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "body is not valid UTF-8"},
    413: {"model": ErrorOut, "description": "body too large"},
}


class ScoreCache:
    """Answers (JSON bytes) for recently scored ads, keyed by content and message language."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[bytes, tuple[str, bytes]] = OrderedDict()

    @staticmethod
    def key(ad: Ad, lang: str) -> bytes:
        content = json.dumps([ad.title, ad.text, ad.employer, ad.location, ad.salary, ad.url,
                              ad.language, lang], ensure_ascii=False)
        return hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, ad: Ad, lang: str) -> bytes | None:
        if not self.size:
            return None
        key = self.key(ad, lang)
        found = self.entries.get(key)
        if found is None:
            return None
        self.entries.move_to_end(key)
        ad_id, answer = found
        if ad_id == ad.id:
            return answer
        return dump_json({**orjson.loads(answer), "id": ad.id})

    def put(self, ad: Ad, lang: str, answer: bytes) -> None:
        if not self.size:
            return
        self.entries[self.key(ad, lang)] = (ad.id, answer)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)


def parse_ad(data: Any) -> Ad:
    """An Ad from decoded JSON, or ApiError 422 naming the bad field."""
    try:
        return Ad.from_dict(data)
    except AdError as exc:
        raise invalid(("body",), str(exc)) from exc


@router.post("/score", response_model=ScoreOut,
             responses={**_BODY_ERRORS, 422: {"description": "a field has the wrong type or the "
                                               "ad has neither title nor text"}, **_AUTH_ERRORS})
async def score_one(ad: AdIn, request: Request, caller: ScoringCaller,
                    lang: str = LANG_QUERY) -> Response:
    """Score one ad. Works without a key (rate-limited per address); platforms send a key.

    Well-formed requests are answered by `score_fast` before they reach this function.
    """
    return Response(await _answer(request, ad, lang), media_type="application/json")


async def _answer(request: Request, ad: AdIn, lang: str) -> bytes:
    """The JSON answer for a validated ad: from the cache, the helper process or this one."""
    parsed = parse_ad(ad.model_dump(exclude_none=True))
    cache: ScoreCache = request.app.state.score_cache
    answer = cache.get(parsed, lang)
    if answer is None:
        pool: ScoringPool = request.app.state.scoring_pool
        answer = await pool.score_one(ad_fields(parsed), lang)
        if answer is None:
            scorer: Scorer = request.app.state.scorer
            answer = result_json(scorer.score(parsed, lang))
        cache.put(parsed, lang, answer)
    return answer


_JSON_TYPES = (b"application/json", b"application/json; charset=utf-8")


async def score_fast(scope: Scope, body: bytes, send: Send) -> bool:
    """POST /v1/score for a well-formed request, without FastAPI's routing and dependencies.

    Called by `BodyLimitMiddleware` with the body it has read and checked. It does what
    `score_one` does (same key check, rate limit, validation with `AdIn`, answer), and gives the
    request back to FastAPI (returns False, having charged nothing) whenever anything is unusual:
    another content type, a query other than one short `lang`, JSON that orjson reads otherwise
    than the standard library or that `AdIn` rejects. So every error answer still comes from
    FastAPI and is the same as before; this only saves the per-request cost of the framework.
    """
    lang = "en"
    query = scope.get("query_string", b"")
    if query:
        name, _, value = query.partition(b"=")
        if name != b"lang" or not value.isalnum() or len(value) > 16:
            return False
        lang = value.decode("ascii")
    authorization = None
    content_type = None
    for header, value in scope["headers"]:
        if header == b"authorization":
            if authorization is not None:
                return False
            authorization = value.decode("latin-1")
        elif header == b"content-type":
            content_type = value.lower()
    if content_type not in _JSON_TYPES:
        return False
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    # orjson reads integers past 64 bits as floats (the standard library keeps them exact).
    if not isinstance(data, dict) or isinstance(data.get("id"), float):
        return False
    try:
        ad = AdIn.model_validate(data)
    except ValidationError:
        return False
    request = Request(scope)
    try:
        principal = principal_from_bearer(request, authorization)
        charge(request, principal)
        answer = await _answer(request, ad, lang)
    except ApiError as exc:
        await send_json(send, exc.status, {"detail": exc.detail, **exc.extra},
                        [(k.lower().encode("latin-1"), v.encode("latin-1"))
                         for k, v in exc.headers.items()])
        return True
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]})
    await send({"type": "http.response.body", "body": answer})
    return True


@router.post("/score/batch", response_model=BatchOut,
             responses={**_BODY_ERRORS, 422: {"description": "the body is not {\"items\": [...]}"},
                        **_AUTH_ERRORS},
             dependencies=[Depends(bearer_scheme)])
def score_batch(batch: BatchIn, request: Request, scorer: ScorerDep,
                lang: str = LANG_QUERY) -> Response:
    """Score up to 1,000 ads at once; results come in input order, a bad ad gets an error entry.

    Each ad counts against the caller's rate limit.
    """
    limit = request.app.state.settings.max_batch_items
    if len(batch.items) > limit:
        raise ApiError(413, f"a batch holds at most {limit} items, this one has "
                       f"{len(batch.items)}", limit=limit)
    principal = principal_of(request, allow_cookie=False)
    charge(request, principal, max(1, len(batch.items)))
    results: list[bytes] = [b"null"] * len(batch.items)
    ads: list[Ad] = []
    where: list[int] = []
    for index, item in enumerate(batch.items):
        try:
            ads.append(Ad.from_dict(safe_strings(item)))
            where.append(index)
        except AdError as exc:
            raw_id = item.get("id") if isinstance(item, dict) else None
            shown = None if raw_id is None or isinstance(raw_id, dict | list) else str(raw_id)
            results[index] = dump_json({"id": shown, "error": str(exc)})
    pool: ScoringPool = request.app.state.scoring_pool
    answers = pool.score_shared(
        ads, lang, lambda part: [result_json(r) for r in scorer.score_many(list(part), lang)])
    for index, answer in zip(where, answers, strict=True):
        results[index] = answer
    return Response(b'{"results":[' + b",".join(results) + b"]}", media_type="application/json")


@router.get("/model", response_model=ModelOut)
def model_info(request: Request) -> ModelOut:
    """The model version, the message languages and the catalogue of signals with messages."""
    return request.app.state.model_info


def build_model_info(scorer: Scorer) -> ModelOut:
    """The answer of GET /v1/model, built once at startup."""
    signals = [
        {"id": spec.id, "group": spec.group, "polarity": spec.polarity,
         "messages": dict(spec.messages)}
        for spec in load_catalog().values()
    ]
    return ModelOut.model_validate({
        "version": scorer.model.version, "languages": list(UI_LANGUAGES),
        "levels": ["low", "medium", "high", "insufficient"],
        "categories": ["compound_lure", "employment_scam", "none"], "signals": signals,
    })

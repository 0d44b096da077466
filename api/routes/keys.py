"""API keys, for admins: list, create (the key is shown once) and revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.deps import SessionDep, require
from api.schemas import ErrorOut, SafeIn
from api.security import ApiError, Principal
from lurewatch.storage.keys import create_key
from lurewatch.storage.models import ApiKey

router = APIRouter(prefix="/v1/keys", tags=["keys"], responses={
    401: {"model": ErrorOut, "description": "no key, or an unknown one"},
    403: {"model": ErrorOut, "description": "the key is not an admin key"},
})
Admin = Annotated[Principal, Depends(require("admin"))]
KeyId = Annotated[int, Path(ge=1, le=2_147_483_647, description="key id")]


class KeyIn(SafeIn):
    """A key to make."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"role": "platform",
                                                               "name": "jobs.example.org"}]})

    role: Literal["platform", "reviewer", "admin"]
    name: str = Field(default="", max_length=200, description="who the key is for")


class KeyOut(BaseModel):
    """A key as stored: never the key itself."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 3, "prefix": "lw_3q2XbK9", "role": "platform", "name": "jobs.example.org",
        "created_at": "2026-12-01T09:00:00Z", "revoked": False}]})

    id: int
    prefix: str = Field(description="the first characters of the key, to recognise it")
    role: str
    name: str
    created_at: datetime
    revoked: bool


class NewKeyOut(KeyOut):
    """A new key: `key` is shown this once and cannot be shown again."""

    key: str


def key_out(row: ApiKey) -> dict[str, Any]:
    return KeyOut.model_validate(row, from_attributes=True).model_dump(mode="json")


@router.get("", response_model=list[KeyOut])
def list_keys(session: SessionDep, _: Admin) -> list[dict[str, Any]]:
    """Every key, newest first."""
    return [key_out(row) for row in session.exec(select(ApiKey).order_by(col(ApiKey.id).desc()))]


@router.post("", status_code=201, response_model=NewKeyOut, responses={
    400: {"model": ErrorOut, "description": "body is not valid UTF-8"},
    413: {"model": ErrorOut, "description": "body too large"}})
def make_key(body: KeyIn, request: Request, session: SessionDep, _: Admin) -> JSONResponse:
    """Make a key; the answer holds the key itself, which is stored only as a hash."""
    key, row = create_key(session, body.role, body.name)
    session.commit()
    session.refresh(row)
    request.app.state.keys.reload()
    return JSONResponse({**key_out(row), "key": key}, status_code=201)


@router.delete("/{key_id}", response_model=KeyOut, responses={
    404: {"model": ErrorOut, "description": "no such key"},
    409: {"model": ErrorOut, "description": "the key making the request"}})
def revoke_key(key_id: KeyId, request: Request, session: SessionDep,
               admin: Admin) -> dict[str, Any]:
    """Revoke a key: it stops working at once on this server (the key stays listed)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise ApiError(404, f"no key {key_id}")
    if row.id == admin.key_id:
        raise ApiError(409, "a key cannot revoke itself: use another admin key")
    row.revoked = True
    session.add(row)
    session.commit()
    session.refresh(row)
    request.app.state.keys.reload()
    return key_out(row)

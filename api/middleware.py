"""ASGI middleware: request body limits (413) and UTF-8 checks (400) before any parsing."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
FastPath = Callable[[Scope, bytes, Send], Awaitable[bool]]

# Past this, the connection is answered at once instead of read to the end.
_DRAIN_LIMIT = 64 * 1024 * 1024


async def send_json(send: Send, status: int, body: dict[str, Any],
                    headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        *(headers or []),
    ]})
    await send({"type": "http.response.body", "body": payload})


class BodyLimitMiddleware:
    """Reads request bodies up to a per-path limit; answers 413 past it, 400 for bad UTF-8.

    `limits` maps a path to its limit; other paths get `default_limit`. JSON bodies must be
    UTF-8. The body read here is handed to the app unchanged, or first to the handler that
    `fast_paths` names for a POST to that path, which may answer it itself (returns True).
    """

    def __init__(self, app: ASGIApp, default_limit: int, limits: dict[str, int],
                 fast_paths: dict[str, FastPath] | None = None) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = limits
        self.fast_paths = fast_paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        declared = None
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_json(send, 400, {"detail": "Content-Length is not a number"})
                    return
            elif name == b"content-type":
                content_type = value.lower()
        too_large = {"detail": f"request body is larger than {limit} bytes", "limit": limit}
        if declared is not None and declared > _DRAIN_LIMIT:
            await send_json(send, 413, too_large, [(b"connection", b"close")])
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= limit:
                chunks.append(chunk)
            elif size > _DRAIN_LIMIT:
                break
            more = message.get("more_body", False)
        if size > limit:
            await send_json(send, 413, too_large, [(b"connection", b"close")] if more else None)
            return
        body = b"".join(chunks)
        if b"json" in content_type or not content_type:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                await send_json(send, 400, {
                    "detail": f"request body is not valid UTF-8 (byte {exc.start})"})
                return
        fast = self.fast_paths.get(scope["path"]) if scope["method"] == "POST" else None
        if fast is not None and await fast(scope, body, send):
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

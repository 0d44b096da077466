"""Micro-batching for async item pipelines: many items, one call (one IPC trip, one commit)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


class MicroBatcher:
    """Collects values for at most `max_delay` seconds or `max_size` values, runs them together.

    `run` gets the list of values and returns one result per value, in order. At most
    `parallel` batches run at a time (1: one after the other, in the order they were formed).
    """

    def __init__(self, run: Callable[[list[Any]], Awaitable[list[Any]]], max_size: int = 32,
                 max_delay: float = 0.01, parallel: int = 1) -> None:
        self.run = run
        self.max_size = max_size
        self.max_delay = max_delay
        self.parallel = max(1, parallel)
        self.pending: list[tuple[Any, asyncio.Future]] = []
        self.timer: asyncio.TimerHandle | None = None
        self.lock: asyncio.Semaphore | None = None

    async def submit(self, value: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self.pending.append((value, future))
        if len(self.pending) >= self.max_size:
            self._flush()
        elif self.timer is None:
            self.timer = loop.call_later(self.max_delay, self._flush)
        return await future

    def _flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if batch:
            asyncio.ensure_future(self._run(batch))

    async def _run(self, batch: list[tuple[Any, asyncio.Future]]) -> None:
        if self.lock is None:
            self.lock = asyncio.Semaphore(self.parallel)
        async with self.lock:
            try:
                results = await self.run([value for value, _ in batch])
            except Exception as exc:  # every waiter sees the failure
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

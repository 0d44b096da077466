"""A helper process that scores ads, so one server process uses a second core.

The server process parses, checks and answers requests; it hands an ad to the helper when the
helper is free and scores it itself otherwise, and splits a batch between the two. Rate limits
and the key cache stay in the server process, so they are exact. Until the helper has started
(it loads its own scorer, about two seconds), or if it ever dies, everything is scored in the
server process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scoring.ad import Ad
from scoring.engine import Result

log = logging.getLogger("lurewatch.api")
AdFields = tuple[str, str, str, str, str, str, str, str]
_scorer = None
# Ads in flight to each helper before the server scores the next one itself. One measured best
# on two cores: 470 requests/s against 360 with no helper and 310 with four in flight (the
# executor's hand-over costs the server process more than scoring when the helper is queued).
HELPER_QUEUE = 1


def ad_fields(ad: Ad) -> AdFields:
    return (ad.id, ad.title, ad.text, ad.employer, ad.location, ad.salary, ad.url, ad.language)


def _start_helper(parent: int) -> None:
    global _scorer
    from scoring.engine import Scorer

    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _scorer = Scorer()


def _exit_with_parent(parent: int) -> None:
    """The helper ends when the server process is gone, however it ended (even SIGKILL)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _ready() -> bool:
    return _scorer is not None


def result_dict(result: Result) -> dict[str, Any]:
    """JSON-ready form of a Result, without `dataclasses.asdict`'s deep copies (~1 ms an ad)."""
    return {
        "id": result.id, "score": result.score, "level": result.level,
        "category": result.category,
        "signals": [{"id": s.id, "group": s.group, "message": s.message,
                     "contribution": s.contribution, "evidence": list(s.evidence)}
                    for s in result.signals],
        "language": result.language, "model_version": result.model_version,
    }


def _score_many(items: list[AdFields], lang: str) -> list[dict[str, Any]]:
    assert _scorer is not None
    return [result_dict(r) for r in _scorer.score_many([Ad(*fields) for fields in items], lang)]


class ScoringPool:
    """One helper process (spawned, so it shares no state or locks with the server)."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.ready = False
        self.busy = 0
        self._lock = threading.Lock()
        self.executor: ProcessPoolExecutor | None = None
        if processes > 0:
            self.executor = ProcessPoolExecutor(
                max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_helper, initargs=(os.getpid(),))
            self.executor.submit(_ready).add_done_callback(self._started)

    def _started(self, future: Future) -> None:
        self.ready = future.exception() is None and bool(future.result())

    def free(self) -> bool:
        """True when the helper is up and has fewer than HELPER_QUEUE ads in flight."""
        return self.ready and self.busy < HELPER_QUEUE * self.processes

    def submit(self, items: list[AdFields], lang: str) -> Future | None:
        """Hand ads to the helper; None when it cannot take them (then score them yourself)."""
        if self.executor is None or not self.ready:
            return None
        try:
            future = self.executor.submit(_score_many, items, lang)
        except (BrokenProcessPool, RuntimeError):
            self._broken()
            return None
        with self._lock:
            self.busy += 1
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._lock:
            self.busy -= 1
        if isinstance(future.exception(), BrokenProcessPool):
            self._broken()

    def _broken(self) -> None:
        if self.ready:
            log.warning("the scoring helper process stopped; scoring in the server process")
        self.ready = False

    async def score_one(self, items: list[AdFields], lang: str) -> list[dict[str, Any]] | None:
        """Scores from the helper, or None when the caller should score in-process."""
        future = self.submit(items, lang) if self.free() else None
        if future is None:
            return None
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            return None

    def shutdown(self) -> None:
        if self.executor is None:
            return
        processes = list(getattr(self.executor, "_processes", {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()

"""A helper process that scores ads, so one server process uses a second core.

The server process parses, checks and answers requests; it hands an ad to the helper when the
helper is free and scores it itself otherwise, and shares a batch with it chunk by chunk. Rate
limits and the key cache stay in the server process, so they are exact. Until the helper has
started (it loads its own scorer, about two seconds), or if it ever dies, everything is scored
in the server process.

The helper talks to the server over one socket pair, read by the server's event loop itself
(`add_reader`): no executor, manager or feeder threads, so handing an ad over costs two small
writes and reads instead of several thread switches under the GIL. The helper sends back each
result already serialised as JSON (orjson), so the server only forwards bytes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

import orjson

from lurewatch.parent_watch import exit_with_parent
from scoring.ad import Ad
from scoring.engine import Result

log = logging.getLogger("lurewatch.api")
AdFields = tuple[str, str, str, str, str, str, str, str]
# Single ads in flight to a helper before the server scores the next one itself: one being
# scored and one waiting, so the helper never waits for the round trip.
HELPER_QUEUE = 2
# A batch goes to the helper in chunks of this many ads, at most BATCH_IN_FLIGHT at a time, while
# the server scores chunks from the other end, so both finish together however busy each core is.
BATCH_CHUNK = 16
BATCH_IN_FLIGHT = 2
# Single ads larger than this are scored in the server process (a send from the event loop must
# never wait for the helper).
MAX_HANDOVER_BYTES = 64 * 1024
_READY = b"ready"


def ad_fields(ad: Ad) -> AdFields:
    return (ad.id, ad.title, ad.text, ad.employer, ad.location, ad.salary, ad.url, ad.language)


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


def dump_json(data: Any) -> bytes:
    """JSON bytes of `data` (orjson; the standard library for what orjson refuses)."""
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, a very large int
        import json

        return json.dumps(data).encode()


def result_json(result: Result) -> bytes:
    return dump_json(result_dict(result))


# ---------------------------------------------------------------------------------------------
# The helper process


def _helper_main(connection: Connection, parent: int) -> None:
    """Load a scorer, then answer `(lang, [AdFields])` messages with lists of JSON bytes."""
    exit_with_parent(parent)
    from scoring.engine import Scorer

    scorer = Scorer()
    connection.send_bytes(_READY)
    while True:
        try:
            lang, items = pickle.loads(connection.recv_bytes())
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer: Any = [result_json(r)
                           for r in scorer.score_many([Ad(*fields) for fields in items], lang)]
        except Exception as exc:  # the server scores these itself (and answers the error)
            answer = f"{type(exc).__name__}: {exc}"
        connection.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


# ---------------------------------------------------------------------------------------------
# The server side


class HelperGone(Exception):
    """The helper could not score what it was handed (it died or failed); score it here."""


Waiter = asyncio.Future | concurrent.futures.Future


class _Helper:
    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection):
        self.process = process
        self.connection = connection
        self.ready = False
        self.gone = False
        # Answers come back in the order the requests were sent: one waiter per request.
        self.pending: deque[Waiter] = deque()
        self.send_lock = threading.Lock()

    @property
    def busy(self) -> int:
        return len(self.pending)


class ScoringPool:
    """Helper processes (spawned, so they share no state or locks with the server).

    `start` must run on the server's event loop, which reads the helpers' answers.
    """

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.helpers: list[_Helper] = []
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def ready(self) -> bool:
        return any(h.ready and not h.gone for h in self.helpers)

    def start(self) -> None:
        if self.processes <= 0 or self.helpers:
            return
        self.loop = asyncio.get_running_loop()
        context = multiprocessing.get_context("spawn")
        for _ in range(self.processes):
            mine, theirs = context.Pipe(duplex=True)
            process = context.Process(target=_helper_main, args=(theirs, os.getpid()),
                                      daemon=True, name="lurewatch-scoring-helper")
            process.start()
            theirs.close()
            helper = _Helper(process, mine)
            self.helpers.append(helper)
            self.loop.add_reader(mine.fileno(), self._readable, helper)

    # Answers (on the event loop) ---------------------------------------------------------------

    def _readable(self, helper: _Helper) -> None:
        try:
            while helper.connection.poll():
                data = helper.connection.recv_bytes()
                if data == _READY:
                    helper.ready = True
                    continue
                answer = pickle.loads(data)
                waiter = helper.pending.popleft()
                if isinstance(answer, str):
                    _fail(waiter, HelperGone(answer))
                elif isinstance(waiter, asyncio.Future):
                    if not waiter.done():
                        waiter.set_result(answer)
                else:
                    waiter.set_result(answer)
        except (EOFError, OSError, pickle.UnpicklingError, IndexError):
            self._lost(helper)

    def _lost(self, helper: _Helper) -> None:
        if helper.gone:
            return
        if helper.ready:
            log.warning("the scoring helper process stopped; scoring in the server process")
        helper.gone = True
        helper.ready = False
        if self.loop is not None:
            self.loop.remove_reader(helper.connection.fileno())
        while helper.pending:
            _fail(helper.pending.popleft(), HelperGone("the scoring helper stopped"))

    # Requests -----------------------------------------------------------------------------------

    def _free_helper(self, limit: int) -> _Helper | None:
        best = None
        for helper in self.helpers:
            if helper.ready and not helper.gone and helper.busy < limit and (
                    best is None or helper.busy < best.busy):
                best = helper
        return best

    def _send(self, helper: _Helper, payload: bytes, waiter: Waiter, block: bool) -> bool:
        if not helper.send_lock.acquire(blocking=block):
            return False
        try:
            if helper.gone:
                return False
            helper.pending.append(waiter)
            try:
                helper.connection.send_bytes(payload)
            except OSError:
                helper.pending.pop()
                helper.ready = False  # the reader sees the end of the pipe and cleans up
                return False
            return True
        finally:
            helper.send_lock.release()

    async def score_one(self, fields: AdFields, lang: str) -> bytes | None:
        """One ad's JSON from a helper, or None when the caller should score it in-process."""
        helper = self._free_helper(HELPER_QUEUE)
        if helper is None or self.loop is None:
            return None
        payload = pickle.dumps((lang, [fields]), protocol=pickle.HIGHEST_PROTOCOL)
        if len(payload) > MAX_HANDOVER_BYTES:
            return None
        waiter = self.loop.create_future()
        if not self._send(helper, payload, waiter, block=False):
            return None
        try:
            return (await waiter)[0]
        except HelperGone:
            return None

    def score_shared(self, ads: Sequence[Ad], lang: str,
                     local: Callable[[Sequence[Ad]], list[bytes]]) -> list[bytes]:
        """JSON of every ad, in order, scored by the helpers and by `local` (this thread).

        Runs in a worker thread, never on the event loop (whose reader delivers the answers).
        """
        chunks = [ads[i:i + BATCH_CHUNK] for i in range(0, len(ads), BATCH_CHUNK)]
        done: list[list[bytes] | None] = [None] * len(chunks)
        sent: dict[int, concurrent.futures.Future] = {}
        front, back = 0, len(chunks) - 1
        while front <= back:
            while front <= back:
                in_flight = sum(1 for f in sent.values() if not f.done())
                helper = self._free_helper(BATCH_IN_FLIGHT * len(self.helpers))
                if helper is None or in_flight >= BATCH_IN_FLIGHT * len(self.helpers):
                    break
                waiter: concurrent.futures.Future = concurrent.futures.Future()
                payload = pickle.dumps((lang, [ad_fields(ad) for ad in chunks[front]]),
                                       protocol=pickle.HIGHEST_PROTOCOL)
                if not self._send(helper, payload, waiter, block=True):
                    break
                sent[front] = waiter
                front += 1
            if front <= back:
                done[back] = local(chunks[back])
                back -= 1
        for index, waiter in sent.items():
            try:
                done[index] = waiter.result(timeout=600)
            except (HelperGone, concurrent.futures.TimeoutError):
                done[index] = local(chunks[index])
        return [item for chunk in done for item in chunk or ()]

    def shutdown(self) -> None:
        for helper in self.helpers:
            if self.loop is not None and not helper.gone:
                with contextlib.suppress(ValueError, OSError, RuntimeError):
                    self.loop.remove_reader(helper.connection.fileno())
            helper.gone = True
            helper.ready = False
            while helper.pending:
                _fail(helper.pending.popleft(), HelperGone("the server is stopping"))
            helper.connection.close()
            helper.process.terminate()
        for helper in self.helpers:
            helper.process.join(timeout=5)
        self.helpers = []


def _fail(waiter: Waiter, error: Exception) -> None:
    if isinstance(waiter, asyncio.Future):
        if not waiter.done():
            waiter.set_exception(error)
    elif not waiter.done():
        waiter.set_exception(error)

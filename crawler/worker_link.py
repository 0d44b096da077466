"""The crawl process's link to its worker processes: calls over one socket pair per worker.

The crawl's event loop writes each call and reads each answer itself (asyncio streams), so no
executor, manager or feeder thread competes with it for the GIL. With a ProcessPoolExecutor
every hand-over woke its manager thread, and the event loop waited about 3 ms each time to get
the GIL back: a quarter of the crawl's time went to waiting. A worker that dies is replaced by
running its calls in this process (in a thread), so no posting is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import socket
import struct
from collections import deque
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
_HEADER = struct.Struct("!Q")
_READY = b"ready"


class WorkerGone(Exception):
    """The worker stopped before answering."""


# ---------------------------------------------------------------------------------------------
# The worker side


def _functions() -> dict[str, Callable[..., Any]]:
    from crawler.worker import analyse, score_batch, store_batch

    return {"analyse": analyse, "score_batch": score_batch, "store_batch": store_batch}


def _read_frame(sock: socket.socket) -> bytes | None:
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(sock, _HEADER.unpack(header)[0])


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def serve(sock: socket.socket, parent: int) -> None:
    """The worker's loop: load the scorer, then answer `(name, args)` calls in order."""
    from crawler.worker import warm_up
    from lurewatch.parent_watch import exit_with_parent

    exit_with_parent(parent)
    warm_up()
    functions = _functions()
    _send_frame(sock, _READY)
    while True:
        try:
            frame = _read_frame(sock)
        except OSError:
            frame = None
        if frame is None:
            os._exit(0)
        name, args = pickle.loads(frame)
        try:
            answer: tuple[bool, Any] = (True, functions[name](*args))
        except Exception as exc:  # the caller raises it again
            answer = (False, f"{type(exc).__name__}: {exc}")
        _send_frame(sock, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


# ---------------------------------------------------------------------------------------------
# The crawl side


class _Worker:
    def __init__(self, process: multiprocessing.process.BaseProcess, sock: socket.socket):
        self.process = process
        self.sock = sock
        self.writer: asyncio.StreamWriter | None = None
        self.connecting: asyncio.Future | None = None
        self.reader_task: asyncio.Task | None = None
        self.pending: deque[asyncio.Future] = deque()  # answers come back in call order
        self.gone = False


class WorkerLink:
    """Worker processes (spawned) started at once; `call` runs a function in one of them."""

    def __init__(self, workers: int = 1) -> None:
        context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        for _ in range(max(1, workers)):
            mine, theirs = socket.socketpair()
            process = context.Process(target=serve, args=(theirs, os.getpid()), daemon=True,
                                      name="lurewatch-crawl-worker")
            process.start()
            theirs.close()
            self.workers.append(_Worker(process, mine))

    async def _connect(self, worker: _Worker) -> None:
        reader, writer = await asyncio.open_connection(sock=worker.sock, limit=1 << 20)
        worker.writer = writer
        worker.reader_task = asyncio.ensure_future(self._read_answers(worker, reader))

    async def _read_answers(self, worker: _Worker, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                header = await reader.readexactly(_HEADER.size)
                data = await reader.readexactly(_HEADER.unpack(header)[0])
                if data == _READY:
                    continue
                ok, value = pickle.loads(data)
                waiter = worker.pending.popleft()
                if waiter.done():
                    continue
                if ok:
                    waiter.set_result(value)
                else:
                    waiter.set_exception(RuntimeError(f"in the crawl worker: {value}"))
        except asyncio.CancelledError:  # the link is closing
            pass
        except (asyncio.IncompleteReadError, OSError, pickle.UnpicklingError, IndexError):
            self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        if not worker.gone:
            worker.gone = True
            log.warning("a crawl worker process stopped; its work goes on in this process")
        while worker.pending:
            waiter = worker.pending.popleft()
            if not waiter.done():
                waiter.set_exception(WorkerGone())

    async def call(self, name: str, *args: Any) -> Any:
        """`name(*args)` in the least busy worker; in this process if none is left."""
        alive = [w for w in self.workers if not w.gone]
        if alive:
            worker = min(alive, key=lambda w: len(w.pending))
            if worker.writer is None:
                # Calls made at once wait for one connection, never open a second one.
                if worker.connecting is None:
                    worker.connecting = asyncio.ensure_future(self._connect(worker))
                await asyncio.shield(worker.connecting)
            assert worker.writer is not None
            waiter = asyncio.get_running_loop().create_future()
            payload = pickle.dumps((name, args), protocol=pickle.HIGHEST_PROTOCOL)
            worker.pending.append(waiter)
            worker.writer.write(_HEADER.pack(len(payload)) + payload)
            try:
                await worker.writer.drain()
                return await waiter
            except (WorkerGone, OSError):
                self._lost(worker)
                if waiter.done() and not waiter.cancelled():
                    waiter.exception()  # seen here: asyncio need not report it
        return await asyncio.to_thread(_functions()[name], *args)

    def close(self) -> None:
        """Let the workers end (they stop when their socket is shut) and wait for them. Safe to
        call after the event loop has stopped."""
        for worker in self.workers:
            worker.gone = True
            with contextlib.suppress(OSError):
                worker.sock.shutdown(socket.SHUT_RDWR)
        for worker in self.workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=5)
            with contextlib.suppress(Exception):  # the loop may be stopped already
                if worker.reader_task is not None:
                    worker.reader_task.cancel()
                if worker.writer is not None:
                    worker.writer.close()
            worker.sock.close()
        self.workers = []

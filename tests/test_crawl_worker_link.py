"""The crawl worker process: calls over its socket give what the functions give in-process, and
a worker that dies leaves its work to the crawl process instead of losing it."""

from __future__ import annotations

import asyncio
import os
import signal

import numpy as np
import pytest

from crawler.analyse import _RECENT, analyse_batch
from crawler.worker_link import WorkerLink
from tests.crawl_fixtures import bulk_ad


def _records(first: int, count: int) -> list[dict[str, str]]:
    return [{"url": f"https://jobs.example/{n}", "title": bulk_ad(n)["title"],
             "text": bulk_ad(n)["text"], "employer": "Acme", "location": bulk_ad(n)["place"],
             "salary": ""} for n in range(first, first + count)]


def _same(got: list, expected: list) -> bool:
    for a, b in zip(got, expected, strict=True):
        if a.keys() != b.keys():
            return False
        for key in a:
            if key == "signature":
                if not np.array_equal(a[key], b[key]):
                    return False
            elif key != "reused" and a[key] != b[key]:
                return False
    return True


@pytest.fixture()
def link():
    made = WorkerLink(1)
    yield made
    made.close()


def test_calls_in_the_worker_answer_as_in_process(link: WorkerLink):
    batches = [_records(n, 8) for n in range(0, 40, 8)]

    async def run() -> list:
        # Several calls in flight at once: answers must come back to the right callers.
        return await asyncio.gather(*(link.call("analyse", b, True) for b in batches))

    answers = asyncio.run(run())
    _RECENT.clear()
    for batch, answer in zip(batches, answers, strict=True):
        assert _same(answer, analyse_batch(batch, True))
    assert link.workers[0].process.is_alive()


def test_an_error_in_the_worker_reaches_the_caller(link: WorkerLink):
    async def run() -> None:
        await link.call("store_batch", "notadb://nowhere", [({"url": "x"}, [])])

    with pytest.raises(RuntimeError, match="in the crawl worker"):
        asyncio.run(run())
    assert link.workers[0].process.is_alive()  # one bad call does not end the worker


def test_work_goes_on_in_this_process_when_the_worker_dies(link: WorkerLink):
    async def run() -> list:
        first = await link.call("analyse", _records(0, 4), True)
        os.kill(link.workers[0].process.pid, signal.SIGKILL)
        link.workers[0].process.join(timeout=10)
        second = await link.call("analyse", _records(4, 4), True)
        third = await link.call("analyse", _records(8, 4), True)
        return [first, second, third]

    first, second, third = asyncio.run(run())
    assert link.workers[0].gone
    _RECENT.clear()
    assert _same(first, analyse_batch(_records(0, 4), True))
    assert _same(second, analyse_batch(_records(4, 4), True))
    assert _same(third, analyse_batch(_records(8, 4), True))

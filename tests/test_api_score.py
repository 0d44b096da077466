"""The API server, started for real: health and POST /v1/score."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.api_fixtures import make_key, serve


def test_healthz_and_score(api_server: str):
    assert httpx.get(f"{api_server}/healthz").status_code == 200
    ad = {"id": "x1", "title": "Customer service", "text":
          "Customer service in Myawaddy, US$2,500 per month, no experience, free flight and "
          "tourist visa, apply on Telegram @hr_demo_one"}
    response = httpx.post(f"{api_server}/v1/score", json=ad)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "x1"
    assert body["level"] in ("medium", "high")
    for signal in body["signals"]:
        for evidence in signal["evidence"]:
            assert ad[evidence["field"]][evidence["start"]:evidence["end"]] == evidence["text"]


def test_wrong_type_is_422_naming_the_field(api_server: str):
    response = httpx.post(f"{api_server}/v1/score", json={"id": "x", "text": 12})
    assert response.status_code == 422
    assert "text" in response.text


def _wait_for_helper(base: str) -> None:
    for _ in range(300):
        if httpx.get(f"{base}/healthz").json()["scoring_helper"]:
            return
        time.sleep(0.1)
    raise AssertionError("the scoring helper process did not start")


def _ads(count: int) -> list[dict[str, str]]:
    places = ["Bangkok", "Leeds", "Myawaddy", "Nairobi", "Phnom Penh"]
    return [{"id": f"a{n}", "title": f"Typist {n}", "text":
             f"Typing job in {places[n % 5]}, US${1000 + 97 * n} per month, "
             + ("free flight and tourist visa, contact Telegram @hr_" + str(n) if n % 2 else
                "apply on our careers site, 8 hours a day, weekends off")} for n in range(count)]


def test_fast_path_answers_like_the_framework(api_server: str):
    """A plain JSON request is answered before FastAPI's routing; anything else goes through
    FastAPI. Both give the same answer, in the language asked for."""
    _wait_for_helper(api_server)
    for ad in _ads(12):
        body = json.dumps(ad)
        fast = httpx.post(f"{api_server}/v1/score?lang=es", content=body,
                          headers={"Content-Type": "application/json"})
        framework = httpx.post(f"{api_server}/v1/score?lang=es", content=body,
                               headers={"Content-Type": "application/vnd.example+json"})
        assert fast.status_code == framework.status_code == 200
        assert fast.headers["content-type"] == "application/json"
        assert fast.json() == framework.json()
        assert fast.json()["id"] == ad["id"]
    # Integers past 64 bits are read exactly (orjson would make them floats: FastAPI reads them).
    big = httpx.post(f"{api_server}/v1/score", content='{"id": 123456789012345678901234567890, '
                     '"text": "Cook in Hanoi"}', headers={"Content-Type": "application/json"})
    assert big.status_code == 200 and big.json()["id"] == "123456789012345678901234567890"
    unknown = httpx.post(f"{api_server}/v1/score", json=_ads(1)[0],
                         headers={"Authorization": "Bearer lw_not_a_key"})
    assert unknown.status_code == 401 and unknown.headers["www-authenticate"] == "Bearer"
    assert unknown.json() == {"detail": "unknown or revoked API key"}


def test_batch_shared_with_the_helper_keeps_input_order(sqlite_url: str, tmp_path: Path):
    """A batch is scored in chunks by the server and its helper process: every result is the
    one the single-ad endpoint gives, in input order, with bad items in their places."""
    auth = {"Authorization": f"Bearer {make_key(sqlite_url, 'platform', 'batch')}"}
    ads = _ads(70)
    items: list[object] = list(ads)
    items.insert(5, {"id": "bad", "text": 7})
    items.insert(40, "not an ad")
    with serve(sqlite_url, tmp_path / "server.log") as (base, _):
        _wait_for_helper(base)
        answer = httpx.post(f"{base}/v1/score/batch", json={"items": items}, timeout=120,
                            headers=auth)
        assert answer.status_code == 200
        results = answer.json()["results"]
        singles = [httpx.post(f"{base}/v1/score", json=ad, headers=auth).json() for ad in ads]
    assert len(results) == len(items)
    assert results[5] == {"id": "bad", "error": "field 'text' must be a string"}
    assert results[40]["error"] and results[40]["id"] is None
    assert [r for i, r in enumerate(results) if i not in (5, 40)] == singles

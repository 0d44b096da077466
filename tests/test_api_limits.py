"""Rate limits: per address without a key, per key with one; 429 with Retry-After and JSON."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api_fixtures import make_key, serve

AD = {"id": "r1", "title": "Cook", "text": "Restaurant in Hanoi needs a cook, 8 hours a day."}


def test_rate_limits_answer_429_with_clear_json(sqlite_url: str, tmp_path: Path):
    platform = make_key(sqlite_url, "platform", "board")
    env = {"LUREWATCH_ANONYMOUS_RATE_PER_MINUTE": "3", "LUREWATCH_PLATFORM_RATE_PER_MINUTE": "6",
           "LUREWATCH_REPORT_RATE_PER_HOUR": "1"}
    with serve(sqlite_url, tmp_path / "server.log", env) as (base, _):
        answers = [httpx.post(f"{base}/v1/score", json=AD) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        limited = answers[-1]
        assert int(limited.headers["retry-after"]) >= 1
        assert "without an API key" in limited.json()["detail"]
        assert limited.json()["retry_after"] >= 1

        auth = {"Authorization": f"Bearer {platform}"}
        assert httpx.post(f"{base}/v1/score", json=AD, headers=auth).status_code == 200
        batch = {"items": [dict(AD, id=str(n)) for n in range(5)]}
        assert httpx.post(f"{base}/v1/score/batch", json=batch, headers=auth).status_code == 200
        over = httpx.post(f"{base}/v1/score", json=AD, headers=auth)
        assert over.status_code == 429 and "per key" in over.json()["detail"]
        too_big = httpx.post(f"{base}/v1/score/batch", headers=auth,
                             json={"items": [dict(AD, id=str(n)) for n in range(7)]})
        assert too_big.status_code == 429

        report = {"text": "Typing job in Cambodia, Telegram @hr_x", "reason": "fee"}
        assert httpx.post(f"{base}/v1/reports", json=report).status_code == 201
        assert httpx.post(f"{base}/v1/reports", json=report).status_code == 429

        bad = httpx.post(f"{base}/v1/score", json=AD, headers={"Authorization": "Basic abc"})
        assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"

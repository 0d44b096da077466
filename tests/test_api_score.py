"""The API server, started for real: health and POST /v1/score."""

from __future__ import annotations

import httpx


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

"""The NGO review desk in headless Chromium: sign-in, queue, evidence, decisions, dashboard,
export; hostile text stays text, the CSP is strict, forms need their token, nothing is fetched
from the network."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from tests.api_fixtures import LiveApi
from tests.browser import CHROMIUM_FLAGS, chromium_path
from tests.helpers import ROOT

MONTH_TEMPLATES = [
    ("Customer service {n}, Bangkok", "Customer service in Bangkok, US$2,{n} per month, free "
     "flight and visa, no experience, interview on Telegram @hr_month_{k}", "TH"),
    ("Nhân viên đánh máy {n}", "Tuyển gấp nhân viên đánh máy làm việc tại Campuchia, lương "
     "{n}0 USD, bao ăn ở, bao vé máy bay, liên hệ Zalo 09{n}123", "KH"),
    ("Admin online {n}", "Lowongan admin online di Kamboja, gaji fantastis Rp {n} juta, tiket "
     "pesawat gratis, visa turis dulu, hubungi WhatsApp +62 812 {n} 4455", "KH"),
    ("Operador de chat {n}", "Trabajo en Dubái como operador de chat, US$ 2.{n} al mes, vuelo "
     "y visa gratis, sin experiencia, contacto por Telegram @rrhh_{k}", "AE"),
    ("Registered nurse {n}", "NHS trust in Leeds recruits registered nurses, Health and Care "
     "visa sponsored, no fees to workers, apply on our careers site, band {k}", "GB"),
    ("Warehouse packer {n}", "Warehouse in Phnom Penh needs packers, 8 hours a day, salary "
     "{n} USD, apply in person at the factory office, shift {k}", "KH"),
]


@pytest.fixture(scope="module", autouse=True)
def month_of_listings(live_api: LiveApi) -> None:
    """About a month of listings in several languages, so the dashboard has something to
    draw; they come from another source than the seeded ones."""
    from sqlmodel import Session

    from lurewatch.storage.db import make_engine
    from lurewatch.storage.listings import store_listing
    from scoring.ad import Ad
    from scoring.engine import default_scorer
    from scoring.handles import ad_handles

    engine = make_engine(live_api.database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        for i in range(72):
            title, text, country = MONTH_TEMPLATES[i % len(MONTH_TEMPLATES)]
            values = {"n": 100 + i * 7, "k": i % 5}
            ad = Ad(id=str(i), title=title.format(**values), text=text.format(**values))
            result = default_scorer().score(ad).to_dict()
            store_listing(session, {
                "url": f"https://board.example.net/{i}", "source": "board.example.net",
                "title": ad.title, "text": ad.text, "location_country": country,
                "language": result["language"], "score": result["score"],
                "level": result["level"], "category": result["category"],
                "signals": result["signals"], "model_version": result["model_version"],
                "cluster": f"month-{i % len(MONTH_TEMPLATES)}",
                "fetched_at": now - timedelta(days=(i * 5) % 29, hours=i % 7),
            }, ad_handles(ad))
        session.commit()
    engine.dispose()


def _shot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot into tmp_path; also into docs/ when LUREWATCH_DESK_SCREENSHOTS=1."""
    target = tmp_path / f"desk-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    if os.environ.get("LUREWATCH_DESK_SCREENSHOTS") == "1":
        shutil.copy(target, ROOT / "docs" / target.name)


def test_desk_end_to_end_in_chromium(live_api: LiveApi, tmp_path: Path):
    base = live_api.base
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            dialogs: list[str] = []
            requested: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requested.append(request.url))

            page.goto(f"{base}/")
            assert page.url.endswith("/signin")
            _shot(page, tmp_path, "signin")
            page.fill("#key", live_api.keys["platform"])
            page.click("button[type=submit]")
            assert "not a reviewer key" in page.inner_text("main")
            page.fill("#key", live_api.keys["reviewer"])
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            _shot(page, tmp_path, "queue")

            page.goto(f"{base}/?source=jobs.example.org")
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == len(live_api.listings)
            scores = [int(s) for s in page.locator("td.score").all_inner_texts()]
            assert scores == sorted(scores, reverse=True)
            assert "<script>alert('x')</script>" in page.inner_text("table.queue")

            page.select_option("select[name=level]", "low")
            page.click("form.filters button[type=submit]")
            assert "level=low" in page.url
            assert page.locator("table.queue tbody tr").count() >= 1

            page.goto(f"{base}/listings/{live_api.listings['hostile']}")
            assert page.locator("h1").inner_text().startswith("<script>")
            assert page.locator("img").count() == 0
            assert page.locator("pre.ad-text mark").count() >= 1
            assert "hr_seed_amy" in page.inner_text("aside")

            page.goto(f"{base}/listings/{live_api.listings['typist']}")
            page.fill("#note", "Same handle as the Sihanoukville cluster <b>bold?</b>")
            page.click("button[value=confirmed_lure]")
            page.wait_for_url(f"{base}/listings/{live_api.listings['typist']}?saved=1")
            assert "Decision saved" in page.inner_text("main")
            trail = page.inner_text("ol.trail")
            assert "confirmed_lure" in trail and "<b>bold?</b>" in trail
            _shot(page, tmp_path, "detail")

            page.goto(f"{base}/dashboard")
            assert page.locator("svg rect").count() >= 4
            _shot(page, tmp_path, "dashboard")

            page.goto(f"{base}/")
            with page.expect_download() as download_info:
                page.click("text=Export CSV")
            exported = Path(download_info.value.path()).read_text()
            assert exported.startswith("id,score,level")

            assert dialogs == []
            assert all(url.startswith(base) for url in requested), requested
        finally:
            browser.close()


def test_desk_headers_and_csrf(live_api: LiveApi):
    base = live_api.base
    signin = httpx.get(f"{base}/signin")
    csp = signin.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert signin.headers["x-frame-options"] == "DENY"
    with httpx.Client(base_url=base) as browser:
        answer = browser.post("/signin", data={"key": live_api.keys["reviewer"]})
        assert answer.status_code == 303
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        listing = live_api.listings["game"]
        forged = browser.post(f"/listings/{listing}/review", data={"decision": "false_positive"})
        assert forged.status_code == 403
        other_site = browser.post("/signin", data={"key": live_api.keys["reviewer"]},
                                  headers={"Origin": "https://evil.example"})
        assert other_site.status_code in (401, 403)
        # The session cookie reads the API but never changes anything through it.
        assert browser.get("/v1/listings").status_code == 200
        patched = browser.patch(f"/v1/listings/{listing}/review", json={"decision": "escalated"})
        assert patched.status_code == 401
        # The cookie is a signed session, not the key; a tampered one opens nothing.
        session = browser.cookies["lurewatch_session"]
        assert live_api.keys["reviewer"] not in session
        tampered = session[:-1] + ("0" if session[-1] != "0" else "1")
        browser.cookies.set("lurewatch_session", tampered)
        assert browser.get("/v1/listings").status_code == 401
        assert browser.get("/dashboard").status_code == 303
    assert httpx.get(f"{base}/dashboard").status_code == 303

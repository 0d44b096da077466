"""The unpacked extension in headless Chromium: a JSON-LD job page gets a badge with its level."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import launch_with_extension


def test_badge_shows_level_for_jsonld_job_page(api_server: str, demo_site: str, tmp_path: Path):
    with sync_playwright() as playwright:
        context, worker = launch_with_extension(playwright, tmp_path / "profile")
        try:
            worker.evaluate("base => chrome.storage.sync.set({apiBase: base})", api_server)
            page = context.new_page()
            page.goto(f"{demo_site}jobs/typist-cambodia.html")
            badge = page.locator("#lurewatch-badge")
            badge.wait_for(state="attached", timeout=10000)
            page.wait_for_function(
                "() => { const b = document.getElementById('lurewatch-badge');"
                " return b && !['checking'].includes(b.dataset.level); }", timeout=10000)
            level = badge.get_attribute("data-level")
            assert level in ("medium", "high")
            shown = page.evaluate(
                "() => document.getElementById('lurewatch-badge').shadowRoot.textContent")
            assert "warning signs" in shown

            page.goto(f"{demo_site}jobs/nurse-uk.html")
            page.wait_for_function(
                "() => { const b = document.getElementById('lurewatch-badge');"
                " return b && b.dataset.level && b.dataset.level !== 'checking'; }", timeout=10000)
            assert page.locator("#lurewatch-badge").get_attribute("data-level") == "low"
        finally:
            context.close()


def test_no_badge_on_page_without_job_ad(demo_site: str, tmp_path: Path):
    with sync_playwright() as playwright:
        context, _ = launch_with_extension(playwright, tmp_path / "profile")
        try:
            page = context.new_page()
            page.goto(demo_site)
            page.wait_for_timeout(500)
            assert page.locator("#lurewatch-badge").count() == 0
        finally:
            context.close()

"""The extension's automatic check in headless Chromium: JSON-LD and microdata job pages get a badge
quickly, other pages get nothing, and a down, hanging or hostile environment never breaks a page."""

from __future__ import annotations

import json
import time

from tests.browser import ExtensionBrowser, PageServer, silent_server
from tests.helpers import free_port

pytest_plugins = ["tests.extension_fixtures"]  # ext, pages, extension_browser, extension_api

FINAL = ("() => { const b = document.getElementById('lurewatch-badge');"
         " return b && b.dataset.level && b.dataset.level !== 'checking'; }")
# Records, in the page's own world, when DOMContentLoaded fired and when the badge changed.
TIMING = """
window.__lw = {};
document.addEventListener('DOMContentLoaded', () => { window.__lw.dcl = performance.now(); });
new MutationObserver(() => {
  const b = document.getElementById('lurewatch-badge');
  const level = b && b.getAttribute('data-level');
  if (level === 'checking' && !window.__lw.checking) window.__lw.checking = performance.now();
  if (level && level !== 'checking' && !window.__lw.final) {
    window.__lw.final = performance.now(); window.__lw.level = level;
  }
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ['data-level']});
"""
LURE_POSTING = {
    "@context": "https://schema.org", "@type": "JobPosting", "title": "Customer service (English)",
    "description": "Customer service in Bangkok, US$2,000/month, free flight and visa, tourist "
                   "visa is fine, no experience, interview on Telegram @hr_example only",
}


def jsonld_page(posting: dict, body: str = "", head: str = "") -> str:
    data = json.dumps(posting).replace("</", "<\\/")
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>Job</title>{head}'
            f'<script type="application/ld+json">{data}</script></head>'
            f"<body>{body or '<h1>Job</h1><p>' + posting['description'] + '</p>'}</body></html>")


def level_of(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#lurewatch-badge").get_attribute("data-level")


def toolbar_badge(ext: ExtensionBrowser, url: str) -> str:
    return ext.worker.evaluate("""async url => {
      const tab = (await chrome.tabs.query({})).find(t => t.url === url);
      return tab ? chrome.action.getBadgeText({tabId: tab.id}) : null;
    }""", url)  # type: ignore[attr-defined]


def test_jsonld_job_page_gets_badge_within_500ms_of_domcontentloaded(ext: ExtensionBrowser,
                                                                      demo_site: str):
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.add_init_script(TIMING)
    url = f"{demo_site}jobs/typist-cambodia.html"
    page.goto(url)  # the first visit wakes the service worker and warms the API
    page.wait_for_function(FINAL, timeout=10000)
    timings = []
    for _ in range(3):
        page.goto(url)
        page.wait_for_function(FINAL, timeout=10000)
        page.wait_for_function("() => window.__lw.final && window.__lw.dcl")
        lw = page.evaluate("() => window.__lw")
        timings.append(lw["final"] - lw["dcl"])
    print(f"badge latency after DOMContentLoaded (ms): {[round(t) for t in timings]}")
    assert lw["level"] in ("medium", "high")
    assert max(timings) < 500
    shown = page.evaluate("() => document.getElementById('lurewatch-badge').shadowRoot.textContent")
    assert "warning signs" in shown
    assert toolbar_badge(ext, url) in ("!", "?")

    page.goto(f"{demo_site}jobs/nurse-uk.html")
    page.wait_for_function(FINAL, timeout=10000)
    assert level_of(page) == "low"


def test_microdata_job_page_is_checked(ext: ExtensionBrowser, pages: PageServer):
    pages.pages["/micro.html"] = (
        '<!doctype html><html><body><div itemscope itemtype="https://schema.org/JobPosting">'
        '<h1 itemprop="title">Data entry (Chinese)</h1><div itemprop="description">'
        "Data entry job in Myawaddy, salary 2500 USD, no experience, only typing. "
        "Free visa and flight, tourist visa ok. Contact on WhatsApp only.</div></div>"
        "</body></html>")
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(pages.url("/micro.html"))
    page.wait_for_function(FINAL, timeout=10000)
    assert level_of(page) in ("medium", "high")


def test_page_without_job_ad_gets_no_badge_and_no_request(ext: ExtensionBrowser,
                                                          pages: PageServer):
    counter_base = pages.base
    ext.set_settings(apiBase=counter_base)
    pages.pages["/news.html"] = "<!doctype html><html><body><h1>News</h1><p>Rain.</p></body></html>"
    pages.requests.clear()
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(pages.url("/news.html"))
    page.wait_for_timeout(500)
    assert page.locator("#lurewatch-badge").count() == 0
    assert pages.requests == ["GET /news.html"]


def test_automatic_checks_off_sends_nothing(ext: ExtensionBrowser, pages: PageServer):
    # The page server stands in for the API so that every request the extension makes is seen.
    pages.pages["/job.html"] = jsonld_page(LURE_POSTING)
    ext.set_settings(apiBase=pages.base, autoCheck=False)
    pages.requests.clear()
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(pages.url("/job.html"))
    page.wait_for_timeout(1000)
    assert page.locator("#lurewatch-badge").count() == 0
    assert pages.requests == ["GET /job.html"]

    # The same page with automatic checks on does reach the stand-in API (which answers 404).
    ext.set_settings(autoCheck=True)
    page.reload()
    page.wait_for_function(FINAL, timeout=10000)
    assert level_of(page) == "error"
    assert [r for r in pages.requests if r.startswith("POST")] == ["POST /v1/score?lang=en"]


def test_api_down_or_hanging_gives_could_not_check_within_5s(ext: ExtensionBrowser,
                                                             pages: PageServer):
    pages.pages["/job.html"] = jsonld_page(
        LURE_POSTING, body="<h1>Job</h1><p id='own'>page text</p>"
        "<script>document.getElementById('own').dataset.ran = 'yes';</script>")
    errors: list[str] = []
    sock, hanging = silent_server()
    try:
        for base in (f"http://127.0.0.1:{free_port()}", hanging):
            ext.set_settings(apiBase=base)
            page = ext.context.new_page()  # type: ignore[attr-defined]
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.add_init_script(TIMING)
            started = time.monotonic()
            page.goto(pages.url("/job.html"))
            page.wait_for_function("() => window.__lw.checking || window.__lw.final", timeout=5000)
            page.wait_for_function(FINAL, timeout=6000)
            lw = page.evaluate("() => window.__lw")
            print(f"{base}: could-not-check after {lw['final'] - lw['dcl']:.0f} ms "
                  f"(wall {time.monotonic() - started:.1f} s)")
            assert level_of(page) == "error"
            assert lw["final"] - lw["dcl"] < 5000
            if base == hanging:  # while waiting, the badge says it is checking
                assert lw["checking"] < lw["final"] - 4000
            assert page.locator("#own").get_attribute("data-ran") == "yes"
            assert page.locator("#own").inner_text() == "page text"
            shown = page.evaluate(
                "() => document.getElementById('lurewatch-badge').shadowRoot.textContent")
            assert "Could not check" in shown
    finally:
        sock.close()
    assert errors == []


HOSTILE_CSS = """<style>
  * { font-size: 0 !important; color: transparent !important; }
  div, span, button, section, [id] { display: none !important; visibility: hidden !important; }
  #lurewatch-badge, [id*=badge] { opacity: 0 !important; transform: translateX(-9999px) !important;
      position: static !important; width: 0 !important; height: 0 !important;
      clip-path: inset(50%) !important; }
  html, body { overflow: hidden !important; }
  body > * { display: none !important; }
</style>"""


def test_page_css_cannot_hide_or_break_the_badge(ext: ExtensionBrowser, pages: PageServer):
    pages.pages["/hostile-css.html"] = jsonld_page(LURE_POSTING, head=HOSTILE_CSS)
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(pages.url("/hostile-css.html"))
    page.wait_for_function(FINAL, timeout=10000)
    host = page.locator("#lurewatch-badge")
    assert host.is_visible()
    box = host.bounding_box()
    assert box and box["width"] > 40 and box["height"] > 20
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    font = page.evaluate("""() => getComputedStyle(document.getElementById('lurewatch-badge')
        .shadowRoot.querySelector('.pill')).fontSize""")
    assert float(font.rstrip("px")) >= 12
    # The badge is on top and clickable: the panel opens.
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", centre)
    assert on_top == "lurewatch-badge"
    page.mouse.click(*centre)
    page.wait_for_function("""() => document.getElementById('lurewatch-badge').shadowRoot
        .querySelector('.panel')""", timeout=5000)
    assert page.locator("#lurewatch-badge .panel").is_visible()

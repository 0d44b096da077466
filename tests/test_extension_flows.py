"""What a jobseeker does with the extension in headless Chromium: checks a selection from the
context menu, pastes an ad into the popup, reports an ad and follows its status, and reads it all
in their own language. Hostile ads stay text."""

from __future__ import annotations

import os
import shutil

import httpx

from tests.browser import ExtensionBrowser, PageServer, launch_with_extension
from tests.helpers import ROOT

pytest_plugins = ["tests.extension_fixtures"]  # ext, pages, extension_browser, extension_api

FINAL = ("() => { const b = document.getElementById('lurewatch-badge');"
         " return b && b.dataset.level && b.dataset.level !== 'checking'; }")
SHADOW_TEXT = "() => document.getElementById('lurewatch-badge').shadowRoot.textContent"
LURE = ("URGENT hiring!! Customer service staff for a company in Sihanoukville, Cambodia. "
        "Salary 2,000 USD per month, only basic typing needed, no experience. Free flight, "
        "visa and dormitory. Tourist visa is fine, company will change it later. "
        "Contact HR on Telegram @hr_lina_job only.")


def post_page(text: str, extra: str = "") -> str:
    """A page like a social-media post: the ad is plain text, with no structured data."""
    return ('<!doctype html><html><head><meta charset="utf-8"><title>Group post</title></head>'
            f'<body><nav>Feed</nav><article><p>Posted by Jenny</p><div id="ad">{text}</div>'
            f"</article>{extra}</body></html>")


def select_and_check(ext: ExtensionBrowser, page, url: str) -> dict:  # type: ignore[no-untyped-def]
    """Select #ad and call the context-menu handler as a click on the menu entry would."""
    selected = page.evaluate("""() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('ad'));
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    }""")
    return ext.worker.evaluate("""async ([url, selectionText]) => {
      const tab = (await chrome.tabs.query({})).find(t => t.url === url);
      return lurewatchOnMenuClick({menuItemId: 'lurewatch-check-selection', selectionText,
                                   frameId: 0, pageUrl: url}, tab);
    }""", [url, selected])  # type: ignore[attr-defined]


def test_selected_text_is_checked_through_the_context_menu(ext: ExtensionBrowser,
                                                           pages: PageServer):
    pages.pages["/post.html"] = post_page(LURE)
    page = ext.context.new_page()  # type: ignore[attr-defined]
    url = pages.url("/post.html")
    page.goto(url)
    page.wait_for_timeout(200)
    assert page.locator("#lurewatch-badge").count() == 0  # no structured data: no automatic check
    answer = select_and_check(ext, page, url)
    assert answer["ok"] and answer["result"]["level"] == "high"
    page.wait_for_function(FINAL, timeout=6000)
    host = page.locator("#lurewatch-badge")
    assert host.get_attribute("data-level") == "high"
    # A check the user asked for opens the panel at once, with reasons and the words marked.
    assert page.locator("#lurewatch-badge .panel").is_visible()
    shown = page.evaluate(SHADOW_TEXT)
    assert "Many warning signs" in shown and "What to do next" in shown
    reasons = page.locator("#lurewatch-badge .reasons li")
    assert reasons.count() >= 3
    assert int(host.get_attribute("data-marked") or 0) >= 2
    marked = page.evaluate("() => CSS.highlights.get('lurewatch-evidence').size")
    assert marked >= 2
    assert page.locator("#ad").inner_text().startswith("URGENT hiring")  # the page is unchanged


HOSTILE = ('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
           "<b onclick=alert(1)>Typing job in Sihanoukville</b>, 2000 USD, tourist visa ok, "
           "Telegram @hr_x")


def test_hostile_ad_is_shown_as_text(ext: ExtensionBrowser, pages: PageServer):
    import html
    import json

    escaped = html.escape(HOSTILE)  # the page shows the markup as text, as a forum would
    posting = {"@context": "https://schema.org", "@type": "JobPosting",
               "title": '<script>window.__pwned=3</script>Typist "<img src=x onerror=alert(1)>"',
               "description": HOSTILE}
    data = json.dumps(posting).replace("</", "<\\/")
    pages.pages["/hostile.html"] = post_page(
        escaped, f'<script type="application/ld+json">{data}</script>')
    dialogs: list[str] = []
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = pages.url("/hostile.html")
    page.goto(url)
    page.wait_for_function(FINAL, timeout=6000)  # the automatic check of the JSON-LD
    page.locator("#lurewatch-badge .pill").click()
    page.wait_for_function("() => document.getElementById('lurewatch-badge').shadowRoot"
                           ".querySelector('.panel')", timeout=5000)

    select_and_check(ext, page, url)
    page.wait_for_function(FINAL, timeout=6000)
    shown = page.evaluate(SHADOW_TEXT)
    assert '<img src=x onerror="window.__pwned=1">' in shown  # the selected markup, as text
    elements = page.evaluate("""() => [...document.getElementById('lurewatch-badge').shadowRoot
        .querySelectorAll('*')].map(e => e.tagName.toLowerCase())""")
    assert not {"img", "script", "b", "iframe", "object"} & set(elements)
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert dialogs == []


def test_pasted_ad_is_checked_in_the_popup(ext: ExtensionBrowser):
    popup = ext.context.new_page()  # type: ignore[attr-defined]
    popup.goto(f"chrome-extension://{ext.id}/popup.html")
    popup.fill("#ad", LURE)
    popup.click("#check")
    popup.wait_for_function("() => !['checking', null].includes("
                            "document.getElementById('result').getAttribute('data-level'))",
                            timeout=6000)
    assert popup.locator("#result").get_attribute("data-level") == "high"
    text = popup.locator("#result").inner_text()
    assert "Many warning signs" in text
    assert popup.locator("#result .reasons li").count() >= 3
    assert "Report this ad" in text

    popup.fill("#ad", "Nurse")
    popup.click("#check")
    popup.wait_for_function("() => document.getElementById('result').getAttribute('data-level')"
                            " === 'insufficient'", timeout=6000)


def test_report_flow_sends_text_and_url_and_shows_status(ext: ExtensionBrowser,
                                                         demo_site: str):
    page = ext.context.new_page()  # type: ignore[attr-defined]
    url = f"{demo_site}jobs/typist-cambodia.html"
    page.goto(url)
    page.wait_for_function(FINAL, timeout=10000)
    page.locator("#lurewatch-badge .pill").click()
    page.locator("#lurewatch-badge button.report").click()
    form = page.locator("#lurewatch-badge .form")
    assert "127.0.0.1" in form.inner_text()  # the user is told where the report goes
    form.locator("textarea").fill("They asked me for a 300 USD visa fee.")
    form.locator("button.primary").click()
    page.wait_for_function("() => document.getElementById('lurewatch-badge').shadowRoot"
                           ".querySelector('.status[data-status]')", timeout=6000)
    report_id = form.get_attribute("data-report-id")
    assert report_id and form.locator(".status").get_attribute("data-status") == "received"
    assert "Report sent" in form.inner_text()

    stored = httpx.get(f"{ext.api}/v1/reports/{report_id}", timeout=5).json()
    assert stored["status"] == "received" and stored["level"] in ("medium", "high")
    listings = httpx.get(f"{ext.api}/v1/listings", timeout=5)
    if listings.status_code == 200:  # the reviewers' queue shows the reported page's address
        assert url in listings.text

    form.locator("button", has_text="Check status").click()
    page.wait_for_timeout(300)
    assert form.locator(".status").get_attribute("data-status") == "received"

    # "This looks wrong" is a report too, with the user's opinion as its reason.
    page.locator("#lurewatch-badge button.wrong").click()
    wrong = page.locator("#lurewatch-badge .form[data-kind=wrong]")
    wrong.locator("input[type=radio]").first.check()
    wrong.locator("button.primary").click()
    page.wait_for_function("() => document.getElementById('lurewatch-badge').shadowRoot"
                           ".querySelector('.form[data-kind=wrong] .status[data-status]')",
                           timeout=6000)

    popup = ext.context.new_page()  # type: ignore[attr-defined]
    popup.goto(f"chrome-extension://{ext.id}/popup.html")
    popup.wait_for_selector(f"#report-list li[data-report-id='{report_id}']", timeout=5000)
    assert popup.locator("#report-list li").count() >= 2


def test_ui_and_reasons_follow_the_browser_language(extension_browser: ExtensionBrowser,
                                                    extension_api: str, demo_site: str,
                                                    tmp_path):  # type: ignore[no-untyped-def]
    context, worker = launch_with_extension(extension_browser.playwright, tmp_path / "vi",
                                            locale="vi")
    try:
        worker.evaluate("base => chrome.storage.sync.set({apiBase: base})", extension_api)
        page = context.new_page()
        page.goto(f"{demo_site}jobs/typist-cambodia.html")
        page.wait_for_function(FINAL, timeout=10000)
        page.locator("#lurewatch-badge .pill").click()
        page.wait_for_selector("#lurewatch-badge .reasons li", timeout=5000)
        shown = page.evaluate(SHADOW_TEXT)
        assert "dấu hiệu cảnh báo" in shown and "Nên làm gì tiếp theo" in shown
        assert "Việt Nam" in shown  # help lines for the country of the language
        reasons = page.locator("#lurewatch-badge .reasons .reason").all_inner_texts()
        catalog = httpx.get(f"{extension_api}/v1/model", timeout=5).json()["signals"]
        vietnamese = {s["messages"].get("vi") for s in catalog}
        assert reasons and all(reason in vietnamese for reason in reasons)
    finally:
        context.close()


def test_screenshots_of_badge_and_panel(ext: ExtensionBrowser, demo_site: str, tmp_path):  # type: ignore[no-untyped-def]
    """Always taken; copied to docs/ when LUREWATCH_UPDATE_SCREENSHOTS=1."""
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 900, "height": 420})
    page.goto(f"{demo_site}jobs/typist-cambodia.html")
    page.wait_for_function(FINAL, timeout=10000)
    badge, panel = tmp_path / "extension-badge.png", tmp_path / "extension-panel.png"
    page.screenshot(path=badge)
    page.set_viewport_size({"width": 1000, "height": 960})
    page.locator("#lurewatch-badge .pill").click()
    page.wait_for_selector("#lurewatch-badge .reasons li", timeout=5000)
    page.screenshot(path=panel)
    assert badge.stat().st_size > 5000 and panel.stat().st_size > 20000
    if os.environ.get("LUREWATCH_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(badge, ROOT / "docs" / badge.name)
        shutil.copy(panel, ROOT / "docs" / panel.name)


def test_options_page_sets_address_country_and_automatic_checks(ext: ExtensionBrowser,
                                                                demo_site: str):
    options = ext.context.new_page()  # type: ignore[attr-defined]
    options.goto(f"chrome-extension://{ext.id}/options.html")
    options.wait_for_selector("#country option[value=PH]", state="attached")
    assert options.input_value("#apiBase") == ext.api
    assert options.is_checked("#autoCheck")
    options.fill("#apiBase", "ftp://127.0.0.1/")
    options.click("#save")
    assert "not a valid address" in options.inner_text("#status").lower()
    options.fill("#apiBase", f"{ext.api}/")
    options.select_option("#country", "PH")
    options.click("#save")
    options.wait_for_function("() => document.getElementById('status').textContent === 'Saved.'")
    stored = ext.worker.evaluate("() => chrome.storage.sync.get(null)")  # type: ignore[attr-defined]
    assert stored == {"apiBase": ext.api, "autoCheck": True, "country": "PH"}

    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{demo_site}jobs/typist-cambodia.html")
    page.wait_for_function(FINAL, timeout=10000)
    page.locator("#lurewatch-badge .pill").click()
    page.wait_for_selector("#lurewatch-badge .hotline", timeout=5000)
    shown = page.evaluate(SHADOW_TEXT)
    assert "1343" in shown and "Source: iacat.gov.ph" in shown

    options.uncheck("#autoCheck")
    options.click("#save")
    options.wait_for_timeout(200)
    assert ext.worker.evaluate("() => chrome.storage.sync.get('autoCheck')") == {  # type: ignore[attr-defined]
        "autoCheck": False}


def test_other_api_host_without_permission_gets_no_request(ext: ExtensionBrowser,
                                                           pages: PageServer):
    # The host resolves nowhere; what matters is that no fetch is even tried without
    # the user's permission for that host, and that the user is told what to do.
    ext.set_settings(apiBase="http://lurewatch.example.test:8000")
    popup = ext.context.new_page()  # type: ignore[attr-defined]
    popup.goto(f"chrome-extension://{ext.id}/popup.html")
    popup.fill("#ad", LURE)
    popup.click("#check")
    popup.wait_for_function("() => document.getElementById('result').getAttribute('data-level')"
                            " === 'error'", timeout=6000)
    assert "Open the settings" in popup.locator("#result").inner_text()


def test_keyboard_focus_moves_into_the_panel_only_when_the_user_opens_it(ext: ExtensionBrowser,
                                                                        demo_site: str):
    page = ext.context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{demo_site}jobs/typist-cambodia.html")
    page.wait_for_function(FINAL, timeout=10000)
    active = "() => document.activeElement && document.activeElement.id"
    assert page.evaluate(active) != "lurewatch-badge"  # an automatic check takes no focus
    page.locator("#lurewatch-badge .pill").click()
    page.wait_for_selector("#lurewatch-badge .panel")
    focused = "() => document.getElementById('lurewatch-badge').shadowRoot.activeElement?.className"
    assert page.evaluate(focused) == "close"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('lurewatch-badge').shadowRoot"
                           ".querySelector('.panel')")
    assert page.evaluate(focused) == "pill"

"""The extension's files, checked without a browser: minimal permissions, strict CSP, no HTML
parsing of outside text, a small content script, full translations and a sourced hotline list."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

from tests.browser import EXTENSION_DIR

MANIFEST = json.loads((EXTENSION_DIR / "manifest.json").read_text(encoding="utf-8"))
LOCALES = EXTENSION_DIR / "_locales"
# Locale folder -> the language the API is asked for (?lang=), one per UI language of the issue.
UI_LOCALES = {"en": "en", "my": "my", "vi": "vi", "th": "th", "id": "id", "fil": "tl", "tl": "tl",
              "zh_CN": "zh", "zh_TW": "zh", "km": "km", "sw": "sw", "es": "es"}


def messages(folder: str) -> dict[str, str]:
    data = json.loads((LOCALES / folder / "messages.json").read_text(encoding="utf-8"))
    return {key: value["message"] for key, value in data.items()}


def test_permissions_are_the_minimal_set():
    assert sorted(MANIFEST["permissions"]) == ["activeTab", "contextMenus", "storage"]
    assert sorted(MANIFEST["host_permissions"]) == ["http://127.0.0.1/*", "http://localhost/*"]
    # Any other API host is asked for on the options page, for that origin only.
    assert sorted(MANIFEST["optional_host_permissions"]) == ["http://*/*", "https://*/*"]
    assert "externally_connectable" not in MANIFEST
    assert "web_accessible_resources" not in MANIFEST


def test_csp_is_strict_and_no_remote_code():
    csp = MANIFEST["content_security_policy"]["extension_pages"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    for html in EXTENSION_DIR.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', text):
            assert (EXTENSION_DIR / src).is_file(), f"{html.name}: {src}"
        assert not re.search(r"<script>(?!</script>)", text), f"inline script in {html.name}"
        assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', text))


def test_outside_text_is_never_parsed_as_html():
    banned = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|"
                        r"new Function|setTimeout\(\s*[\"'`]|import\(")
    for script in EXTENSION_DIR.glob("*.js"):
        found = banned.findall(script.read_text(encoding="utf-8"))
        assert not found, f"{script.name}: {found}"


def test_content_script_is_small_and_only_network_caller_is_the_worker():
    files = [EXTENSION_DIR / name for entry in MANIFEST["content_scripts"] for name in entry["js"]]
    size = sum(path.stat().st_size for path in files)
    print(f"content script: {size} bytes")
    assert size <= 50 * 1024
    for path in [*files, EXTENSION_DIR / "popup.js", EXTENSION_DIR / "options.js"]:
        text = path.read_text(encoding="utf-8")
        assert "XMLHttpRequest" not in text and "sendBeacon" not in text
        for call in re.findall(r"fetch\(([^)]*)\)", text):
            assert "runtime.getURL" in call, f"{path.name} calls fetch({call})"


def test_every_file_the_manifest_names_exists():
    named = [MANIFEST["background"]["service_worker"], *MANIFEST["background"]["scripts"],
             MANIFEST["action"]["default_popup"], MANIFEST["options_ui"]["page"],
             *[name for entry in MANIFEST["content_scripts"] for name in entry["js"]]]
    for name in named:
        assert (EXTENSION_DIR / name).is_file(), name


def test_ui_comes_in_the_ten_languages_with_every_message():
    english = messages("en")
    for folder, api_language in UI_LOCALES.items():
        translated = messages(folder)
        assert translated.keys() == english.keys(), folder
        assert translated["apiLang"] == api_language
        for key, text in english.items():
            assert text.count("$1") == translated[key].count("$1"), (folder, key)
            assert translated[key].strip(), (folder, key)
        if folder != "en":
            same = [k for k in english if english[k] == translated[k] and k not in
                    ("extName", "popupOptions")]
            assert len(same) <= 2, (folder, same)  # really translated, not English copies
    assert messages("fil") == messages("tl")  # Chromium calls Tagalog "fil", Firefox "tl"
    assert MANIFEST["default_locale"] == "en"
    used = set()
    for path in EXTENSION_DIR.glob("*.*"):
        if path.suffix in (".js", ".html"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'(?:getMessage|\bt)\(\s*"(\w+)"', text))
            used |= set(re.findall(r'data-i18n="(\w+)"', text))
    assert used <= english.keys(), used - english.keys()


def test_hotlines_are_official_and_name_their_source():
    data = json.loads((EXTENSION_DIR / "hotlines.json").read_text(encoding="utf-8"))
    assert data["about"] and data["checked"]
    for code, entry in data["countries"].items():
        assert re.fullmatch(r"[A-Z]{2}", code) and entry["name"]
        assert entry["hotlines"], code
        for line in entry["hotlines"]:
            assert line["name"] and re.fullmatch(r"[0-9+() -]{3,20}", line["number"]), line
            source = urlparse(line["source"])
            assert source.scheme == "https" and source.hostname, line
        for item in entry.get("verify", []):
            assert urlparse(item["url"]).scheme in ("http", "https") and item["name"]
    # The countries of the UI languages, so every language has help lines to show.
    assert {"MM", "VN", "TH", "ID", "PH", "CN", "KH", "KE", "ES"} <= data["countries"].keys()


def test_readme_has_a_privacy_section_that_says_what_leaves_the_browser():
    readme = (EXTENSION_DIR / "README.md").read_text(encoding="utf-8")
    privacy = readme.split("## Privacy", 1)[1].split("\n## ", 1)[0]
    for phrase in ("Only the text of the ad", "page address", "nothing at all",
                   "no analytics", "activeTab", "storage", "contextMenus", "127.0.0.1"):
        assert phrase in privacy, phrase


def test_docs_screenshots_exist():
    root = Path(EXTENSION_DIR).parent
    for name in ("extension-badge.png", "extension-panel.png"):
        assert (root / "docs" / name).stat().st_size > 5000

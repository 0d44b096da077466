"""A manual smoke check of the extension in real Firefox (not collected by pytest).

Needs `firefox-esr` (Debian package) and Node.js with npm (for `npx web-ext`), which the test
suite does not install, and a free port 8000 (the extension's default API address, since nothing
outside the extension can set its storage).
Run: `.venv/bin/python tests/extension_firefox_smoke.py`.

It serves the real API on 127.0.0.1:8000 and a JSON-LD job page whose own script watches the
badge and reports to the page server what it sees: the levels in order with their time after
DOMContentLoaded (first visit and a second one), then, after clicking the badge, whether the
panel opened, its reasons, the words marked in the page and the help lines.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import EXTENSION_DIR, serve_pages  # noqa: E402
from tests.helpers import ROOT, wait_for_http  # noqa: E402

POSTING = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Typist",
           "description": "Typing job in Sihanoukville, 2000 USD, tourist visa ok, no experience, "
                          "contact Telegram @hr_x only"}
WATCHER = """
document.addEventListener('DOMContentLoaded', () => { window.dcl = performance.now(); });
const seen = [];
const timer = setInterval(() => {
  const b = document.getElementById('lurewatch-badge');
  const level = b ? b.getAttribute('data-level') : 'none';
  if (seen[seen.length - 1] === level) return;
  seen.push(level);
  const dt = Math.round(performance.now() - (window.dcl || 0));
  fetch(`/report?visit=${location.search ? 2 : 1}&levels=${seen.join(',')}&after_dcl_ms=${dt}`);
  if (['none', 'checking'].includes(level)) return;
  clearInterval(timer);
  if (!location.search) { setTimeout(() => { location.href = '/job.html?2'; }, 300); return; }
  b.shadowRoot.querySelector('.pill').click();
  setTimeout(() => {
    const r = b.shadowRoot;
    fetch(`/report?panel=${r.querySelector('.panel') ? 1 : 0}`
      + `&reasons=${r.querySelectorAll('.reasons li').length}&marked=${b.dataset.marked}`
      + `&hotlines=${r.querySelectorAll('.hotline').length}`);
  }, 1000);
}, 20);
"""


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "LUREWATCH_DATABASE_URL": f"sqlite:///{tmp / 'lurewatch.db'}"}
    api = subprocess.Popen([sys.executable, "-m", "lurewatch", "serve", "--port", "8000"],
                           env=env, cwd=ROOT, stdout=open(tmp / "api.log", "w"),  # noqa: SIM115
                           stderr=subprocess.STDOUT)
    wait_for_http("http://127.0.0.1:8000/healthz", process=api)
    page = (f"<!doctype html><html><head><script type='application/ld+json'>{json.dumps(POSTING)}"
            f"</script></head><body><p>{POSTING['description']}</p><script>{WATCHER}</script>"
            "</body></html>")
    pages = serve_pages({"/job.html": page, "/report": ""})
    firefox = subprocess.Popen(
        ["npx", "--yes", "web-ext@8", "run", "--source-dir", str(EXTENSION_DIR),
         "--firefox", "/usr/bin/firefox-esr", "--arg=--headless", "--no-reload", "--no-input",
         "--start-url", pages.url("/job.html")],
        cwd=tmp, stdout=open(tmp / "web-ext.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("panel=" in r for r in pages.requests):
            time.sleep(0.5)
    finally:
        os.killpg(firefox.pid, signal.SIGTERM)
        api.terminate()
    reports = [r for r in pages.requests if r.startswith("GET /report")]
    print("\n".join(reports) or f"nothing reported; see {tmp / 'web-ext.log'}")
    return 0 if any("panel=1" in r for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())

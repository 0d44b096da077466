"""Starting Debian's Chromium with the unpacked extension through Playwright, and the small servers
the extension tests need (test pages, an API that never answers, a request counter)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.helpers import ROOT

EXTENSION_DIR = ROOT / "extension"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def chromium_path() -> str:
    """Debian's Chromium; a missing browser is an error, not a skip."""
    path = os.environ.get("LUREWATCH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium not found: run the README's test command, which installs it")
    return path


def launch_with_extension(playwright, user_data_dir: Path, locale: str = "en-US"):  # type: ignore[no-untyped-def]
    """A persistent headless context with the extension loaded; returns (context, worker).

    `locale` is also the browser's UI language (`--lang`), which picks the extension's
    `_locales` entry (Debian's `chromium-l10n` must be installed for languages other than en-US).
    """
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=chromium_path(),
        headless=True,
        locale=locale,
        env={**os.environ, "LANGUAGE": locale.replace("-", "_")},
        args=[*CHROMIUM_FLAGS, f"--disable-extensions-except={EXTENSION_DIR}",
              f"--load-extension={EXTENSION_DIR}", f"--lang={locale}"],
    )
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event(
        "serviceworker", timeout=15000
    )
    return context, worker


def extension_id(worker) -> str:  # type: ignore[no-untyped-def]
    """The unpacked extension's id, from its service worker's URL."""
    return worker.url.split("/")[2]


# ---- Servers --------------------------------------------------------------------------------

@dataclass
class PageServer:
    """Serves HTML strings by path on loopback; counts every request it gets."""

    pages: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    base: str = ""
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def serve_pages(pages: dict[str, str] | None = None) -> PageServer:
    """Start a PageServer in a background thread."""
    state = PageServer(pages=dict(pages or {}))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def _answer(self) -> None:
            state.requests.append(f"{self.command} {self.path}")
            body = state.pages.get(self.path.split("?")[0])
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _answer
        do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.server = server
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    return state


def silent_server() -> tuple[socket.socket, str]:
    """A port that accepts connections and never answers: an API that hangs."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class ExtensionBrowser:
    """Chromium with the extension, its service worker and the real API it is set to."""

    context: object
    worker: object
    api: str
    id: str
    playwright: object = None  # to launch another browser in the same test module

    def set_settings(self, **values: object) -> None:
        self.worker.evaluate("values => chrome.storage.sync.set(values)", values)  # type: ignore[attr-defined]

    def reset(self) -> None:
        self.set_settings(apiBase=self.api, autoCheck=True, country="")

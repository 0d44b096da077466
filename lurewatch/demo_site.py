"""Serves the demo job site bundled with lurewatch on a loopback port."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import crawler

DEMO_SITE_DIR = Path(crawler.__file__).resolve().parent / "demo_site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def serve_demo_site(host: str = "127.0.0.1", port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the demo site in a background thread; return the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(DEMO_SITE_DIR))
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://{host}:{server.server_address[1]}/"

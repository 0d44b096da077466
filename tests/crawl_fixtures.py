"""The local fixture job site the crawler tests run against, and a throwaway Redis.

Static pages live in tests/fixtures/site/; this server adds what files cannot express: a
non-UTF-8 charset header, a huge page, a redirect loop, server errors, a server that fails once,
Telegram-style `?before=` pagination and a generated bulk section (`/bulk/page/<n>`) for the
resume, distributed and speed tests. Every request path is recorded in `site.hits`.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.helpers import free_port

SITE_DIR = Path(__file__).resolve().parent / "fixtures" / "site"
HUGE_BYTES = 9 * 1024 * 1024
BULK_PER_PAGE = 10

_ROLES = ["typist", "customer service agent", "data entry clerk", "hotel receptionist",
          "warehouse packer", "nurse aide", "delivery driver", "cook", "translator",
          "IT support technician", "fruit picker", "welder", "electrician", "caregiver"]
_PLACES = ["Bangkok", "Phnom Penh", "Dubai", "Kuala Lumpur", "Manila", "Doha", "Seoul",
           "Auckland", "Madrid", "Nairobi", "Riyadh", "Taipei", "Osaka", "Warsaw"]
_SENTENCES = [
    "Salary {pay} US dollars per month.", "Free flight and visa, accommodation provided.",
    "Employer pays all recruitment costs; no fees to workers.",
    "Apply through the licensed agency, licence {lic}.", "Interview on Telegram @hr_{tag}.",
    "Work permit arranged before departure.", "Night shift allowance and overtime paid.",
    "Two years of experience in a similar role required.",
    "Tourist visa first, company converts it later.", "Contact WhatsApp +66 8{tag4} 4321.",
    "Health insurance and annual leave as required by law.",
    "Training is given in the first week.", "Uniform and meals provided on site.",
]


def bulk_ad(number: int) -> dict[str, str]:
    """A deterministic ad for /bulk/jobs/<number>.html. From number 40 on, every 20th is an
    exact copy of the ad 40 before it and the one after it a near copy (only figures differ)."""
    if number >= 40 and number % 20 == 0:
        return bulk_ad(number - 40)
    if number >= 40 and number % 20 == 1:
        original = bulk_ad(number - 40)
        return {key: value.replace(str(number - 40), str(number)) for key, value in
                original.items()}
    rng = random.Random(number)
    role, place = rng.choice(_ROLES), rng.choice(_PLACES)
    words = {"pay": str(800 + 37 * number), "lic": f"{number:06d}", "tag": f"bulk{number}",
             "tag4": f"{number % 10000:04d}"}
    body = " ".join(s.format(**words) for s in rng.sample(_SENTENCES, 6))
    intro = (f"Job number {number}: {role} wanted in {place}, reference {number * 7919 % 100003}."
             f" Start date {1 + number % 28} {rng.choice(['March', 'April', 'May'])}.")
    return {"title": f"{role.capitalize()} – {place} (#{number})", "text": f"{intro} {body}",
            "place": place}


def bulk_detail(number: int, chrome: int = 0) -> str:
    ad = bulk_ad(number)
    filler = "".join(f"<li><a href='/bulk/jobs/{(number + i) % 997}.html'>Similar job {i}</a>"
                     f"</li>" for i in range(chrome))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{ad['title']}</title><script type='application/ld+json'>"
        '{"@context":"https://schema.org","@type":"JobPosting",'
        f'"title":"{ad["title"]}","description":"<p>{ad["text"]}</p>",'
        f'"datePosted":"2026-11-{1 + number % 28:02d}",'
        f'"jobLocation":{{"@type":"Place","address":{{"addressLocality":"{ad["place"]}"}}}}}}'
        "</script></head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<main><h1>{ad['title']}</h1><p>{ad['text']}</p></main>"
        f"<aside><ul>{filler}</ul></aside><footer>Fixture Jobs</footer></body></html>"
    )


def bulk_listing(page: int, pages: int) -> str:
    first = (page - 1) * BULK_PER_PAGE
    links = "".join(f"<li><a href='/bulk/jobs/{n}.html'>Job {n}</a></li>"
                    for n in range(first, first + BULK_PER_PAGE))
    nxt = f"<a rel='next' href='/bulk/page/{page + 1}'>Next</a>" if page < pages else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Bulk {page}</title>"
            f"</head><body><main><ul>{links}</ul>{nxt}</main></body></html>")


@dataclass
class JobSite:
    """A running fixture site."""

    url: str
    server: ThreadingHTTPServer
    hits: list[str] = field(default_factory=list)
    bulk_pages: int = 3
    delay: float = 0.0  # seconds before each bulk detail page is answered
    chrome: int = 0  # related-job links added around each bulk ad
    flaky_failures: int = 1

    def hit_paths(self) -> set[str]:
        return set(self.hits)


def _handler(site: JobSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; without this, Nagle's algorithm and delayed
        # ACKs add 40 ms to every keep-alive response.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            parsed = urlparse(self.path)
            path = parsed.path
            site.hits.append(path + (f"?{parsed.query}" if parsed.query else ""))
            query = parse_qs(parsed.query)
            if path.startswith("/bulk/"):
                return self.bulk(path)
            if path == "/jobs/huge.html":
                body = (b"<html><body><main><h1>Warehouse</h1>"
                        + b"<p>padding padding padding padding</p>" * (HUGE_BYTES // 38)
                        + b"</main></body></html>")
                return self.send(200, body)
            if path in ("/jobs/loop", "/jobs/loop2"):
                target = "/jobs/loop2" if path == "/jobs/loop" else "/jobs/loop"
                return self.send(302, b"", headers={"Location": target})
            if path == "/jobs/broken":
                return self.send(500, b"<h1>Internal Server Error</h1>")
            if path == "/jobs/flaky":
                if site.flaky_failures > 0:
                    site.flaky_failures -= 1
                    return self.send(503, b"<h1>Service Unavailable</h1>",
                                     headers={"Retry-After": "0"})
                return self.file(SITE_DIR / "jobs" / "flaky-ok.html")
            if path == "/jobs/gbk-factory.html":
                return self.file(SITE_DIR / "jobs" / "gbk-factory.html",
                                 "text/html; charset=gbk")
            if path == "/jobs/cp1252-farm.html":
                return self.file(SITE_DIR / "jobs" / "cp1252-farm.html", "text/html")
            if path == "/s/lurechannel":
                name = ("lurechannel-before-" + query["before"][0]
                        if "before" in query else "lurechannel")
                return self.file(SITE_DIR / "s" / f"{name}.html")
            if path == "/static/analytics.js":
                return self.send(200, b"window.analytics = true;", "application/javascript")
            target = SITE_DIR / ("index.html" if path in ("/", "") else path.lstrip("/"))
            if ".." in path or not target.is_file():
                return self.send(404, b"<h1>Not found</h1>")
            return self.file(target)

        def file(self, target: Path, ctype: str | None = None) -> None:
            body = target.read_bytes()
            if target.suffix == ".xml":
                body = body.replace(b"SITE", site.url.rstrip("/").encode())
                ctype = ctype or "application/xml"
            elif target.suffix == ".txt":
                ctype = ctype or "text/plain"
            self.send(200, body, ctype or "text/html; charset=utf-8")

        def bulk(self, path: str) -> None:
            parts = path.strip("/").split("/")
            try:
                number = int(parts[2].removesuffix(".html"))
            except (IndexError, ValueError):
                return self.send(404, b"not found")
            if parts[1] == "page" and 1 <= number <= site.bulk_pages:
                return self.send(200, bulk_listing(number, site.bulk_pages).encode())
            if parts[1] == "jobs" and 0 <= number < site.bulk_pages * BULK_PER_PAGE:
                if site.delay:
                    time.sleep(site.delay)
                return self.send(200, bulk_detail(number, site.chrome).encode())
            return self.send(404, b"not found")

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hangs up (the huge page) is expected


def serve_job_site(port: int = 0, **options: object) -> JobSite:
    """Start the fixture site on loopback in a background thread."""
    server = _QuietServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    server.daemon_threads = True
    site = JobSite(url=f"http://127.0.0.1:{server.server_address[1]}/", server=server,
                   **options)  # type: ignore[arg-type]
    server.RequestHandlerClass = _handler(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site


@pytest.fixture()
def job_site() -> Iterator[JobSite]:
    """The fixture job site; yields it (base URL in `.url`, request paths in `.hits`)."""
    site = serve_job_site()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()


@pytest.fixture()
def redis_url() -> Iterator[str]:
    """A throwaway redis-server on a free port (never the system one on 6379)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run scripts/test.sh")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="lurewatch-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)

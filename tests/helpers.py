"""Helpers the tests share: free ports, waiting for servers, running the CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s ({last})")


def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `lurewatch ARGS` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "lurewatch", *args], input=stdin, capture_output=True,
        text=True, env={**os.environ, **(env or {})}, timeout=timeout, cwd=ROOT,
    )


def json_lines(text: str) -> list[dict]:
    """Decode JSON Lines output."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@contextmanager
def serve(url: str, log_path: Path, env: dict[str, str] | None = None,
          port: int | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`lurewatch serve` on `url` in its own process; yields (base URL, process)."""
    port = port or free_port()
    environment = {**os.environ, "LUREWATCH_DATABASE_URL": url, **(env or {})}
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lurewatch", "serve", "--port", str(port)],
            env=environment, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_for_http(f"{base}/healthz", process=process)
            except Exception as exc:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{exc}; the server said:\n{tail}") from exc
            yield base, process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

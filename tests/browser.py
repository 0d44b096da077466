"""Starting Debian's Chromium with the unpacked extension through Playwright."""

from __future__ import annotations

import os
import shutil
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
    """A persistent headless context with the extension loaded; returns (context, worker)."""
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=chromium_path(),
        headless=True,
        locale=locale,
        args=[*CHROMIUM_FLAGS, f"--disable-extensions-except={EXTENSION_DIR}",
              f"--load-extension={EXTENSION_DIR}", f"--lang={locale}"],
    )
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event(
        "serviceworker", timeout=15000
    )
    return context, worker

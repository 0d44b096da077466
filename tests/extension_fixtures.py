"""Fixtures of the extension tests: the real API, Chromium with the extension, a page server.

Test modules load them with `pytest_plugins = ["tests.extension_fixtures"]`; each module gets its
own API and browser (module scope), so starting them is paid once per module, not per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import (
    ExtensionBrowser,
    PageServer,
    extension_id,
    launch_with_extension,
    serve_pages,
)
from tests.helpers import serve


@pytest.fixture(scope="module")
def extension_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real API, one per test module (starting it costs seconds)."""
    folder = tmp_path_factory.mktemp("api")
    with serve(f"sqlite:///{folder / 'lurewatch.db'}", folder / "server.log") as (base, _):
        yield base


@pytest.fixture(scope="module")
def extension_browser(extension_api: str,
                      tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExtensionBrowser]:
    """Headless Chromium with the extension, set to the module's API; one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context, worker = launch_with_extension(playwright, tmp_path_factory.mktemp("profile"))
        browser = ExtensionBrowser(context, worker, extension_api, extension_id(worker),
                                   playwright)
        browser.reset()
        try:
            yield browser
        finally:
            context.close()


@pytest.fixture()
def ext(extension_browser: ExtensionBrowser) -> Iterator[ExtensionBrowser]:
    """The module's browser with default settings and no pages left open by earlier tests."""
    extension_browser.reset()
    yield extension_browser
    for page in list(extension_browser.context.pages):  # type: ignore[attr-defined]
        page.close()


@pytest.fixture(scope="module")
def pages() -> Iterator[PageServer]:
    """A loopback server for the test pages of one module."""
    server = serve_pages()
    try:
        yield server
    finally:
        assert server.server is not None
        server.server.shutdown()

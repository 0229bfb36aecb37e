"""A live newsgraph server on loopback and a real Chromium (Debian's, driven by Playwright) for the page tests.

Chromium is found at ``NEWSGRAPH_TEST_CHROMIUM``, else ``chromium`` or
``chromium-browser`` on the PATH; Playwright never downloads a browser here.
Without Chromium or Playwright the tests fail, they are not skipped.
Set ``NEWSGRAPH_SCREENSHOTS=DIR`` to keep screenshots of the pages.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live_app import served
from tests.web_corpus import load

CHROMIUM_ENV = "NEWSGRAPH_TEST_CHROMIUM"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(f"the browser tests need Chromium: install Debian's chromium or set {CHROMIUM_ENV}", pytrace=False)
    return path


@pytest.fixture(scope="module")
def server_settings():
    """The live server's settings; a test module overrides this fixture to serve with others."""
    from newsgraph.engine.config import get_settings

    return get_settings()


@contextmanager
def serving(store, settings):
    """The app on ``store``, served by uvicorn on a free loopback port until the block ends; gives its base URL."""
    from newsgraph.api.app import create_app

    with served(create_app(settings, store)) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def serving_loaded(tmp_path_factory, name: str, loader, corpus_files, ner, server_settings):
    """A fresh embedded store filled by ``loader(store, corpus_files, ner, tmp)`` and served: yields its base URL."""
    from newsgraph.engine.store.sqlite import SQLiteStore

    tmp = tmp_path_factory.mktemp(name)
    store = SQLiteStore(tmp / "g.db")
    try:
        loader(store, corpus_files, ner, tmp)
        with serving(store, server_settings) as url:
            yield url
    finally:
        store.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, corpus_files, ner, server_settings):
    """The app on a loaded embedded store, served by uvicorn on a free loopback port; yields its base URL."""
    with serving_loaded(tmp_path_factory, "browser", load, corpus_files, ner, server_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright: pip install playwright", pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Visit:
    """A browser page that records every request to another host (and blocks it) and every JS dialog."""

    def __init__(self, browser, base: str, **context):
        self.base = base
        self.host = urlsplit(base).netloc
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(**context)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).netloc != self.host and not url.startswith(("data:", "about:", "blob:")):
            self.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str):
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)
        return self.page

    def screenshot(self, name: str) -> None:
        where = os.environ.get("NEWSGRAPH_SCREENSHOTS")
        if where:
            Path(where).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(where) / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser, live_server):
    """``visit()`` opens a page on the live server; after the test, no request may have left it."""
    opened: list[Visit] = []

    def make(**context) -> Visit:
        v = Visit(browser, live_server, **context)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()
        assert v.foreign == [], f"requests to other hosts: {v.foreign}"
        assert v.dialogs == [], f"JavaScript dialogs opened (escaping failed?): {v.dialogs}"
        assert v.errors == [], f"JavaScript errors: {v.errors}"

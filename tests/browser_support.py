"""Running the real application for a real browser (Playwright driving Debian's Chromium).

``make test`` skips browser tests with a clear message when Chromium is not installed; CI sets
FACTCHECK_REQUIRE_BROWSER=1 (and installs Chromium), so there a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Screenshots go to a temporary folder unless FACTCHECK_SCREENSHOTS_DIR names one: the README's
#: images are refreshed on purpose (FACTCHECK_SCREENSHOTS_DIR=docs/screenshots make test), not by
#: every test run.
SCREENSHOTS = Path(os.environ.get("FACTCHECK_SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "factcheck-screenshots")


def chromium_path() -> str:
    """The Chromium to drive, or a skip (a failure under FACTCHECK_REQUIRE_BROWSER=1)."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    message = "browser tests need Chromium: install it with `apt-get install -y chromium`"
    if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


@contextmanager
def live_server(app: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its base URL."""
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, url: str, email: str, password: str, *, lands_on: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form, and wait until the browser has left it (for the address
    ``lands_on`` matches, a regular expression, when given)."""
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(lands_on) if lands_on else (lambda address: "/login" not in address))


def no_sideways_scroll(page, width: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than ``width`` (by default the viewport's)."""
    width = width or page.viewport_size["width"]
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url}: {scrolled} px wide, the window {width}"


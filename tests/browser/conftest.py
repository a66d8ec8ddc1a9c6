"""A headless Chromium driven through Playwright against the live service, and people to log in."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from inspect_svc.db import make_engine
from inspect_svc.models import User
from tests.live import LiveService

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-test-pass"
# Screenshots go to a temporary folder; `make screenshots` points this variable at
# docs/screenshots/ to refresh the README's pictures on purpose.
ARTIFACTS = Path(
    os.environ.get("INSPECT_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="inspect-screenshots-")
)
GS = "\x1d"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def gtin_of(ndc10: str) -> str:
    """The GTIN-14 of a US pack: indicator 0, prefix 03, the NDC's 10 digits, check digit."""
    body = "003" + ndc10
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def logged_in(chromium: Any, live_service: LiveService) -> Iterator[Callable[..., Any]]:
    """logged_in("officer", viewport=...) -> a page logged in through the login form."""
    engine = make_engine(live_service.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(User)
            .where(User.name.like("live-%"))
            .values(password_hash=generate_password_hash(PASSWORD))
        )
    engine.dispose()
    contexts: list[Any] = []

    def open_page(role: str, viewport: dict[str, int] | None = None) -> Any:
        context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(live_service.base_url + "/login")
        page.get_by_label("Name").fill(f"live-{role}")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/inspect")
        return page

    yield open_page
    for context in contexts:
        context.close()


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG in the screenshot folder (a temporary one unless told otherwise)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path

"""Shared pieces of the browser tests: Debian's Chromium through Playwright (never
Playwright's own browser downloads), a page that records console errors and CSP
violations, and logging in and out.

Loaded as a plugin by koers/conftest.py. A test that uses ``page`` is skipped when
Chromium is missing, except where
``KOERS_REQUIRE_SERVICES`` or ``CI`` is set: there a missing browser fails the run
instead of passing it silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from koers.tests.needs import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "Chromium not installed: apt-get install -y chromium"


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and shutil.which(str(CHROMIUM))):
        missing(INSTALL_HINT)
    # Playwright's sync API keeps an asyncio loop in this thread for as long as it runs, and
    # Django refuses sync ORM calls while one exists. The ORM calls made here (demo data,
    # the outbox, the database teardown) are plain synchronous code between browser steps.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def browser_problems() -> list[str]:
    """Console errors and warnings (CSP violations among them) and uncaught exceptions."""
    return []


@pytest.fixture
def page(browser, live_server, browser_problems):
    """A fresh browser context (no cookies) that records what goes wrong in the page."""
    # Headless Chromium asks for en-US by default; Koers's users browse in Dutch.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(5_000)
    page = context.new_page()

    def on_console(message):
        if message.type in {"error", "warning"} or "Content Security Policy" in message.text:
            browser_problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_problems.append(f"page error: {error}"))
    yield page
    context.close()


def no_problems(problems: list[str]) -> None:
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def log_in(page, email: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Inloggen bij Koers")).to_be_visible()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page) -> None:
    """Through the user menu in the top bar (a details element), in English."""
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Koers")).to_be_visible()

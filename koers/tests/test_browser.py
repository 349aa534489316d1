"""End to end in a real browser: log in, switch language, invite someone, accept the
invitation and log in as the new member. Drives Debian's Chromium through Playwright;
Playwright's own browser downloads are not used.

Skipped when Chromium is missing, except where ``KOERS_REQUIRE_SERVICES`` or ``CI`` is
set: there a missing browser fails the run instead of passing it silently.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

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

pytestmark = pytest.mark.browser


def _must_have_browser() -> bool:
    return bool(os.environ.get("KOERS_REQUIRE_SERVICES") == "1" or os.environ.get("CI"))


if not (CHROMIUM.exists() and shutil.which(str(CHROMIUM))):
    if _must_have_browser():
        pytest.fail(INSTALL_HINT, pytrace=False)
    pytest.skip(INSTALL_HINT, allow_module_level=True)

OWNER_EMAIL = "marleen.vandijk@vandijkfietsen.example"
NEW_EMAIL = "pieter.nieuw@vandijkfietsen.example"
NEW_PASSWORD = "Fietsenmaker-2025!"
ORG_NAME = "Van Dijk Fietsen B.V."


@pytest.fixture(scope="module")
def browser():
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


def _no_problems(problems: list[str]) -> None:
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def _log_in(page, email: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Inloggen bij Koers")).to_be_visible()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _log_out(page) -> None:
    """Through the user menu in the top bar (a details element), in English."""
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to Koers")).to_be_visible()


def _invitation_link(email: str) -> str:
    from django.core import mail

    messages = [m for m in mail.outbox if email in m.to]
    assert len(messages) == 1, [m.to for m in mail.outbox]
    urls = re.findall(r"https?://\S+/invitation/[^\s\"<>]+", messages[0].body)
    assert urls, messages[0].body
    return urls[0]


def test_invite_accept_and_log_in(page, browser_problems, live_server, transactional_db, settings):
    from koers.orgs.demo import DEMO_PASSWORD, DEMO_SLUG, refresh_demo

    settings.BASE_URL = live_server.url  # invitation links point at the test server
    refresh_demo()

    # A Dutch browser gets Dutch pages.
    _log_in(page, OWNER_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    expect(nav.get_by_role("link", name="Leden")).to_be_visible()
    # koers.js hides the fallback button; the select submits itself.
    expect(page.locator("form.language button")).to_be_hidden()

    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()

    invite = page.get_by_role("region", name="Invite someone")
    invite.get_by_label("E-mail address").fill(NEW_EMAIL)
    invite.get_by_label("Role").select_option(label="Editor")
    invite.get_by_label("Department").select_option(label="Marketing & Communicatie")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {NEW_EMAIL}.")
    expect(page.get_by_role("cell", name=NEW_EMAIL, exact=True)).to_be_visible()

    link = _invitation_link(NEW_EMAIL)
    assert link.startswith(live_server.url), link

    _log_out(page)

    # The language choice is kept in a cookie, so the new member sees English too.
    page.goto(link)
    expect(page.get_by_role("heading", name=f"Join {ORG_NAME}")).to_be_visible()
    page.get_by_label("Your name").fill("Pieter Nieuw")
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept invitation").click()

    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {ORG_NAME}")
    expect(page.locator("details.user-menu > summary")).to_contain_text("Pieter")
    expect(page.get_by_role("heading", level=1)).to_have_text(ORG_NAME)
    expect(page.locator(".lead")).to_contain_text("You are logged in as Editor")

    _log_out(page)
    page.get_by_label("E-mail address").fill(NEW_EMAIL)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ORG_NAME)
    expect(page.locator(".lead")).to_contain_text("Department: Marketing & Communicatie")
    _no_problems(browser_problems)

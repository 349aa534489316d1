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

# The Playwright sync API runs an asyncio loop in this thread, and Django refuses sync ORM
# calls while one runs. The test's own ORM calls (demo data, reading the outbox) are plain
# synchronous code between browser steps, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _must_have_browser() -> bool:
    return bool(os.environ.get("KOERS_REQUIRE_SERVICES") == "1" or os.environ.get("CI"))


if not (CHROMIUM.exists() and shutil.which(str(CHROMIUM))):
    if _must_have_browser():
        pytest.fail(INSTALL_HINT, pytrace=False)
    pytest.skip(INSTALL_HINT, allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

OWNER_EMAIL = "marleen.vandijk@vandijkfietsen.example"
NEW_EMAIL = "pieter.nieuw@vandijkfietsen.example"
NEW_PASSWORD = "Fietsenmaker-2025!"
ORG_NAME = "Van Dijk Fietsen"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) that records console errors and CSP reports."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(5_000)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in {"error", "warning"} or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def _log_in(page, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("E-mailadres").fill(email)
    # Enter submits, so the test does not depend on the Dutch wording of the button.
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_label("Wachtwoord").press("Enter")


def _log_out(page, name: str, button: str) -> None:
    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name=button).click()


def _invitation_link(email: str) -> str:
    from django.core import mail

    messages = [m for m in mail.outbox if email in m.to]
    assert len(messages) == 1, [m.to for m in mail.outbox]
    urls = re.findall(r"https?://\S+/invitation/[^\s\"<>]+", messages[0].body)
    assert urls, messages[0].body
    return urls[0]


def test_invite_accept_and_log_in(page, live_server, transactional_db, settings):
    from koers.orgs.demo import DEMO_PASSWORD, DEMO_SLUG, refresh_demo

    settings.BASE_URL = live_server.url  # invitation links point at the test server
    refresh_demo()

    # Dutch is the default language.
    _log_in(page, OWNER_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("navigation").get_by_role("link", name="Leden")).to_be_visible()
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

    _log_out(page, "Marleen", "Log out")
    expect(page.get_by_label("E-mail address")).to_be_visible()

    # The language choice is kept in a cookie, so the new member sees English too.
    page.goto(link)
    expect(page.get_by_role("heading", name=f"Join {ORG_NAME}")).to_be_visible()
    page.get_by_label("Your name").fill("Pieter Nieuw")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Accept invitation").click()

    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to {ORG_NAME}")
    expect(page.locator("details.user-menu > summary")).to_contain_text("Pieter")
    expect(page.locator("details.org-switcher > summary")).to_contain_text(ORG_NAME)

    _log_out(page, "Pieter", "Log out")
    page.get_by_label("E-mail address").fill(NEW_EMAIL)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/$"))
    expect(page.locator("details.org-switcher > summary")).to_contain_text(ORG_NAME)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

"""End to end in a real browser: log in, switch language, invite someone, accept the
invitation and log in as the new member. Drives Debian's Chromium through Playwright;
Playwright's own browser downloads are not used.

Skipped when Chromium is missing, except where ``KOERS_REQUIRE_SERVICES`` or ``CI`` is
set: there a missing browser fails the run instead of passing it silently.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from koers.tests.browser import log_in as _log_in
from koers.tests.browser import log_out as _log_out
from koers.tests.browser import no_problems as _no_problems

pytestmark = pytest.mark.browser

OWNER_EMAIL = "marleen.vandijk@vandijkfietsen.example"
NEW_EMAIL = "pieter.nieuw@vandijkfietsen.example"
NEW_PASSWORD = "Fietsenmaker-2025!"
ORG_NAME = "Van Dijk Fietsen B.V."


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

"""In a real browser: the owner runs the wizard, completes the KPIs, publishes and signs
off; an employee reads the strategy page and switches it to English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from koers.tests.browser import log_in, log_out, no_problems

pytestmark = pytest.mark.browser

OWNER = "marleen.vandijk@vandijkfietsen.example"
EMPLOYEE = "thijs.smit@vandijkfietsen.example"
MISSION = "Iedereen in Zwolle en omstreken fietst zorgeloos op een fiets van ons."
BUSINESS_GOAL = "Twintig procent meer vaste klanten in 2027"


def test_wizard_publish_sign_off_and_read(page, browser_problems, live_server, transactional_db):
    from koers.orgs.demo import DEMO_PASSWORD, DEMO_SLUG, refresh_demo
    from koers.strategy.models import StrategyVersion
    from koers.strategy.playbooks import get_playbook

    refresh_demo()
    playbook = get_playbook("customer_intimacy")
    page.context.add_cookies([{"name": "koers_language", "value": "en", "url": live_server.url}])

    # The owner runs the wizard.
    log_in_english(page, OWNER, DEMO_PASSWORD)
    page.goto(f"/o/{DEMO_SLUG}/strategy/wizard/")
    page.get_by_role("radio", name=re.compile(r"^Customer intimacy")).check()
    page.get_by_role("textbox", name=re.compile(r"^Mission")).fill(MISSION)
    page.get_by_role("textbox", name=re.compile(r"^Business goal 1")).fill(BUSINESS_GOAL)
    for extra in ("Business goal 2", "Business goal 3"):
        page.get_by_role("textbox", name=re.compile(rf"^{extra}")).fill("")
    page.get_by_role("button", name="Propose a strategy").click()
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/strategy/draft/$"))
    expect(page.get_by_text(BUSINESS_GOAL).first).to_be_visible()
    first_goal = playbook.social_goals[0].title.en
    expect(page.get_by_text(first_goal).first).to_be_visible()

    # Publishing is blocked until every KPI has a target: fill them in, inline.
    status = page.locator("#publication-status")
    expect(status).to_contain_text("has no target")
    missing = page.locator(".item-kpi").filter(has=page.locator(".missing", has_text="no target"))
    assert missing.count() > 0
    while missing.count():
        kpi = missing.first
        kpi.get_by_role("link", name=re.compile(r"^Edit")).click()
        form = page.locator(".item-editing form")
        form.get_by_label(re.compile(r"^Target")).fill("25")
        form.get_by_role("button", name="Save").click()
        expect(page.locator(".item-editing")).to_have_count(0)
    expect(status).to_contain_text("Ready to publish")

    status.get_by_role("link", name="Review and publish").click()
    expect(page.get_by_role("heading", name=re.compile("Changes since version 2"))).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^What changed")).fill(
        "Nieuwe strategie met de wizard."
    )
    page.get_by_role("button", name="Publish version 3").click()
    expect(page).to_have_url(re.compile(rf"/o/{DEMO_SLUG}/strategy/$"))
    expect(page.get_by_text("Not signed off by management yet.")).to_be_visible()

    page.get_by_role("button", name="Sign off this strategy").click()
    expect(page.get_by_text(re.compile(r"Signed off by Marleen van Dijk"))).to_be_visible()
    version = StrategyVersion.objects.get(organisation__slug=DEMO_SLUG, status="published")
    assert (version.number, version.signed_off_by.email) == (3, OWNER)
    log_out(page)

    # An employee reads it: first in Dutch, the organisation's language, then in English.
    page.context.clear_cookies()
    log_in(page, EMPLOYEE, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role(
        "link", name="Strategie"
    ).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#mission")).to_contain_text(MISSION)
    # They had read version 2: the page shows what changed since.
    expect(page.get_by_role("insertion").filter(has_text=MISSION)).to_be_visible()
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Our strategy", level=1)).to_be_visible()
    expect(page.locator("#mission")).to_contain_text(MISSION)
    expect(page.get_by_text(BUSINESS_GOAL).first).to_be_visible()
    expect(page.get_by_text(first_goal).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Signed off by Marleen van Dijk"))).to_be_visible()
    no_problems(browser_problems)


def log_in_english(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

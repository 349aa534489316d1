"""In a real browser: the strategist launches a wave, an employee answers it on a phone
through the link from the e-mail, and the strategist reads the heatmap and the verdict."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from koers.tests.browser import no_problems

pytestmark = pytest.mark.browser

STRATEGIST = "sanne.devries@vandijkfietsen.example"
EMPLOYEE = "pieter.brouwer@vandijkfietsen.example"  # Productie & Werkplaats


def _survey_link(email: str) -> str:
    from django.core import mail

    messages = [m for m in mail.outbox if m.to == [email]]
    assert len(messages) == 1, [m.to for m in mail.outbox]
    return re.search(r"https?://\S+/survey/[^\s/]+/", messages[0].body).group(0)


def test_launch_answer_on_a_phone_and_read_the_results(
    page, browser, browser_problems, live_server, transactional_db, settings
):
    from koers.orgs.demo import DEMO_PASSWORD, DEMO_SLUG, refresh_demo
    from koers.strategy.actions import current_version
    from koers.support.models import Response, Ticket

    settings.BASE_URL = live_server.url
    org = refresh_demo()
    page.on("dialog", lambda dialog: dialog.accept())  # the "launch this wave?" confirm
    page.context.add_cookies([{"name": "koers_language", "value": "en", "url": live_server.url}])

    # The strategist prepares and launches a wave.
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(STRATEGIST)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/o/{DEMO_SLUG}/support/waves/new/")
    page.get_by_label(re.compile(r"^Title")).fill("Peiling november")
    page.get_by_label(re.compile(r"^Closes")).fill("2031-01-15T17:00")
    page.get_by_role("button", name="Prepare the wave").click()
    expect(page.get_by_role("heading", name=re.compile("Peiling november"))).to_be_visible()
    page.get_by_role("button", name="Launch the wave").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Wave launched: \d+ people"))

    # An employee answers on a phone, through the link in their e-mail, in Dutch (the
    # organisation's language).
    link = _survey_link(EMPLOYEE)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True, has_touch=True
    )
    survey = phone.new_page()
    survey.on("console", lambda m: m.type == "error" and browser_problems.append(m.text))
    survey.goto(link)
    expect(survey.locator("html")).to_have_attribute("lang", "nl")
    width = survey.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the survey is wider than the phone: {width}px"
    survey.locator("fieldset:has(input[name='discipline'])").get_by_label("Klantintimiteit").check()
    goals = survey.locator("fieldset:has(input[name='top_goals'])")
    for goal in current_version(org).socialgoals.filter(parent__isnull=True)[:2]:
        goals.get_by_label(goal.title, exact=True).check()
    likerts = survey.locator("fieldset:has(.choices-likert)")
    for n in range(likerts.count()):
        likerts.nth(n).locator("input[value='4']").check()
    survey.get_by_role("button", name="Opslaan en later verder").click()
    expect(survey.get_by_role("status")).to_be_visible()
    survey.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(survey).to_have_url(re.compile(r"/thanks/$"))
    phone.close()

    ticket = Ticket.objects.get(membership__user__email=EMPLOYEE, wave__title="Peiling november")
    assert ticket.status == "completed"
    assert Response.objects.filter(wave=ticket.wave, is_complete=True).count() == 1

    # The strategist sees the response rate, then the heatmap and the verdict.
    page.goto(f"/o/{DEMO_SLUG}/support/waves/{ticket.wave.number}/")
    expect(page.get_by_text(re.compile(r"\b1 of \d+"))).to_be_visible()
    page.goto(f"/o/{DEMO_SLUG}/support/")
    verdict = page.locator("section.verdict")
    expect(verdict.get_by_role("heading", name="Build support first")).to_be_visible()
    expect(verdict).to_contain_text("Productie & Werkplaats")
    heatmap = page.locator("table.heatmap")
    expect(heatmap.get_by_role("rowheader", name="Productie & Werkplaats")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Line chart of the draagvlak index"))
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 0, "the chart did not load"
    no_problems(browser_problems)

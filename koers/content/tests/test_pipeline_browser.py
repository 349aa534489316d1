"""The pipeline's main flow in a real browser: an employee hands in an idea, the editor
drafts it with a BSN in the text and is stopped, fixes it, sends it to review, the
manager approves it, and the editor puts it on the calendar."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.content.models import ContentItem, State
from koers.orgs.capabilities import Role
from koers.tests.browser import no_problems
from koers.tests.cast import PASSWORD, make_strategy

BSN = "111222333"


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _log_out(page, server: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "koers_language", "value": "en", "url": server}])


@pytest.mark.browser
def test_from_idea_to_the_calendar(page, browser_problems, live_server, transactional_db, cast):
    org = cast.a.org
    goal = make_strategy(org).items["published"]["social-goal"]
    employee, editor, manager = cast.a[Role.EMPLOYEE], cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    page.context.add_cookies([{"name": "koers_language", "value": "en", "url": live_server.url}])
    base = f"/o/{org.slug}/content"

    # The employee hands in an idea for one of the strategy's goals.
    _log_in(page, employee.user.email)
    page.goto(f"{base}/ideas/")
    page.get_by_label("Title").fill("Compliment van de balie")
    page.get_by_label("Your idea").fill("Een klant bedankte ons voor de snelle hulp.")
    page.get_by_label("Which goal does it serve?").select_option(label=goal.title)
    page.get_by_role("button", name="Hand in idea").click()
    expect(page.locator("ul.messages")).to_contain_text("Thank you!")
    item = ContentItem.objects.get(organisation=org, title="Compliment van de balie")
    assert item.state == State.IDEA and item.submitted_by == employee.user

    # The editor starts drafting it from the inbox and writes a LinkedIn text with a BSN.
    _log_out(page, live_server.url)
    _log_in(page, editor.user.email)
    page.goto(f"{base}/ideas/")
    page.get_by_role("button", name=re.compile("^Start drafting")).click()
    page.goto(f"{base}/items/{item.pk}/")
    expect(page.get_by_text(re.compile("Idea by"))).to_be_visible()
    page.locator("#add-linkedin > summary").click()
    text = page.locator("#text-linkedin")
    text.fill(f"Dank aan de klant met BSN {BSN} voor het compliment!")
    # The live check marks the BSN while typing, before anything is saved.
    expect(page.locator("#check-linkedin .finding-block")).not_to_have_count(0)
    page.get_by_role("button", name="Save the LinkedIn text").click()
    expect(page.locator("ul.messages")).to_contain_text("The LinkedIn text is saved.")

    # Sending it to review is refused: a guideline blocks it.
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("ul.messages")).to_contain_text("A guideline blocks this item")
    item.refresh_from_db()
    assert item.state == State.DRAFT

    # Fixed, it goes to review.
    page.locator("#text-linkedin").fill("Dank aan onze klant voor het mooie compliment!")
    expect(page.locator("#check-linkedin .finding-block")).to_have_count(0)
    page.get_by_role("button", name="Save the LinkedIn text").click()
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("ul.messages")).to_contain_text("is sent to review")
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW

    # The manager approves.
    _log_out(page, live_server.url)
    _log_in(page, manager.user.email)
    page.goto(f"{base}/items/{item.pk}/")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("ul.messages")).to_contain_text("Approved")
    item.refresh_from_db()
    assert item.state == State.APPROVED

    # The editor puts it on the calendar; it shows in that week.
    _log_out(page, live_server.url)
    _log_in(page, editor.user.email)
    page.goto(f"{base}/items/{item.pk}/")
    moment = timezone.localtime(timezone.now() + timedelta(days=3), org.zone)
    page.get_by_label("Publish at").fill(moment.strftime("%Y-%m-%dT10:30"))
    page.get_by_role("button", name="Put on the calendar").click()
    expect(page.locator("#calendar-grid")).to_contain_text("Compliment van de balie")
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    assert timezone.localtime(item.scheduled_at, org.zone).strftime("%H:%M") == "10:30"
    history = list(item.transitions.values_list("to_state", flat=True))
    assert history == ["idea", "draft", "in_review", "approved", "scheduled"]
    no_problems(browser_problems)

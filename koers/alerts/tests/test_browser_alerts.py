"""Early warning in a real browser: a burst of mentions is replayed and evaluated, the
alert appears on the list, a webcare agent opens it (facts, chart, the mentions behind
it), acknowledges it and opens an incident, and the incident page shows the alert.
The Dutch interface is used; the checks go by stable selectors, not by texts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from koers.alerts.evaluate import evaluate_organisation
from koers.alerts.models import AlertRule, AlertStatus, Incident, RuleKind
from koers.alerts.series import bucket_start
from koers.alerts.tests.replay import NOW, add_mentions, burst, steady
from koers.orgs.capabilities import Role
from koers.tests.browser import no_problems
from koers.tests.cast import PASSWORD, make_listening

pytestmark = pytest.mark.browser


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_burst_alert_acknowledge_and_open_an_incident(
    page, browser_problems, live_server, transactional_db, cast
):
    org = cast.a.org
    listening = make_listening(org)
    AlertRule.objects.create(
        organisation=org, name="Piek", kind=RuleKind.VOLUME_SPIKE, query=listening.query
    )
    # A fixed moment: whether a burst fires must not depend on the time of day the
    # suite runs (the detector knows the hour of the day).
    now = NOW
    add_mentions(
        listening.source, steady(now - timedelta(hours=30), now, 5, 8), query=listening.query
    )
    add_mentions(
        listening.source,
        burst(bucket_start(now - timedelta(minutes=40)), 60),
        query=listening.query,
        reach=4000,
        text="Boze klant over de levering",
    )
    (alert,) = evaluate_organisation(org.pk, now)

    _log_in(page, cast.a[Role.WEBCARE].user.email)
    page.goto(f"/o/{org.slug}/alerts/")
    row = page.locator(f"tr.alert-row[data-alert='{alert.pk}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text(alert.title)
    row.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/alerts/{alert.pk}/$"))
    expect(page.locator("h1.alert-title")).to_have_text(alert.title)
    expect(page.locator(".alert-status")).to_have_attribute("data-status", "open")
    expect(page.locator("li.alert-mention")).to_have_count(10)
    expect(page.locator("li.alert-mention").first).to_contain_text("Boze klant")
    chart = page.locator("img.alert-chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")

    page.locator("form.alert-acknowledge button").click()
    expect(page.locator(".alert-status")).to_have_attribute("data-status", "acknowledged")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED

    page.locator("form.alert-open-incident button").click()
    incident = Incident.objects.get(organisation=org)
    expect(page).to_have_url(re.compile(rf"/incidents/{incident.pk}/$"))
    expect(page.locator("h1.incident-title")).to_have_text(alert.title)
    expect(page.locator(f"ul.incident-alerts li[data-alert='{alert.pk}'] a")).to_have_attribute(
        "href", f"/o/{org.slug}/alerts/{alert.pk}/"
    )
    no_problems(browser_problems)

"""The query editor in a real browser: a strategist types an invalid query, sees the
error at its position, fixes it, sees the preview on recent mentions, saves it and
opens the mentions it found."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from koers.listening.models import Mention, SavedQuery, Source, SourceKind
from koers.orgs.capabilities import Role
from koers.tests.browser import no_problems
from koers.tests.cast import PASSWORD


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.browser
def test_write_check_save_and_explore_a_query(
    page, browser_problems, live_server, transactional_db, cast
):
    org = cast.a.org
    source = Source.objects.create(
        organisation=org, kind=SourceKind.RSS, name="Zwolse Courant", url="https://zc.example/rss"
    )
    now = timezone.now()
    texts = [
        "Mijn e-bike van Van Dijk Fietsen is eindelijk geleverd",
        "Van Dijk Fietsen heeft mijn band geplakt, top",
        "Wat een mooie fietsroute langs de Vecht",
    ]
    for number, text in enumerate(texts):
        Mention.objects.create(
            organisation=org,
            source=source,
            external_id=str(number),
            author=f"@klant{number}@mastodon.nl",
            text=text,
            published_at=now - timedelta(hours=number + 1),
        )
    page.context.add_cookies([{"name": "koers_language", "value": "en", "url": live_server.url}])
    _log_in(page, cast.a[Role.STRATEGIST].user.email)

    page.goto(f"/o/{org.slug}/listening/queries/new/")
    page.get_by_label("Name").fill("Van Dijk")
    query = page.get_by_label("Query", exact=True)
    query.fill('"van dijk fietsen" AND e-bike OR band')
    check = page.locator("#query-check")
    expect(check).to_contain_text("AND and OR are mixed without parentheses")
    expect(check.locator("mark.query-position")).to_have_text("O")
    expect(check).to_contain_text("at character 31")

    # Saving anyway is refused, and nothing is stored.
    page.get_by_role("button", name="Save query").click()
    expect(page.locator(".errorlist")).to_contain_text("At character 31")
    assert not SavedQuery.objects.filter(organisation=org).exists()

    page.get_by_label("Query", exact=True).fill('"van dijk fietsen" AND (e-bike OR band)')
    check = page.locator("#query-check")
    expect(check).to_contain_text("The query is valid.")
    expect(check).to_contain_text("2 of your last 3 mentions match")
    expect(check.locator(".query-preview li")).to_have_count(2)

    page.get_by_role("button", name="Save query").click()
    expect(page.locator("ul.messages")).to_contain_text("The query “Van Dijk” is saved.")
    saved = SavedQuery.objects.get(organisation=org)
    assert saved.text == '"van dijk fietsen" AND (e-bike OR band)'

    page.get_by_role("link", name="2 mentions of Van Dijk").click()
    expect(page).to_have_url(re.compile(rf"/listening/\?query={saved.pk}$"))
    expect(page.get_by_label("Saved query")).to_have_value(str(saved.pk))
    mentions = page.locator("ol.mentions > li")
    expect(mentions).to_have_count(2)
    expect(mentions.first).to_contain_text("eindelijk geleverd")

    # One click corrects the sentiment in place.
    first = page.locator("ol.mentions article").first
    first.get_by_role("button", name="Positive").click()
    corrected = page.locator("ol.mentions article").first
    expect(corrected.get_by_role("button", name="Positive")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("ol.mentions article").first).to_contain_text("Koers learns from it")
    # The refused save answered 400 (the form with its error): the browser logs that.
    refused = [p for p in browser_problems if "status of 400 (Bad Request)" in p]
    assert len(refused) == 1, browser_problems
    no_problems([p for p in browser_problems if p not in refused])

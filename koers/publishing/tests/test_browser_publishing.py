"""Publishing in a real browser: the owner connects a Bluesky account against a local
XRPC peer, puts an approved item on the calendar, and the item's page shows its
publication as scheduled. The Dutch interface is used; the checks go by stable
selectors, not by texts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from koers.content.models import ContentItem, State, Variant
from koers.orgs.capabilities import Role
from koers.publishing.models import AccountStatus, ChannelAccount, Publication
from koers.publishing.tests.oauth_peer import APP_PASSWORD, BLUESKY_HANDLE, serve_peer
from koers.tests.browser import no_problems
from koers.tests.cast import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_connect_bluesky_and_see_the_publication_on_the_item(
    page, browser_problems, live_server, transactional_db, cast, settings
):
    settings.OUTGOING_ALLOW_PRIVATE = True
    org = cast.a.org
    when = timezone.localtime(timezone.now() + timedelta(days=30)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    item = ContentItem.objects.create(
        organisation=org, title="Nieuwe bakfiets", state=State.APPROVED
    )
    Variant.objects.create(
        organisation=org, item=item, channel="bluesky", text="Onze nieuwe bakfiets is er!"
    )

    with serve_peer() as peer:
        _log_in(page, cast.a[Role.OWNER].user.email)
        page.goto(reverse("publishing:accounts", args=[org.slug]))
        page.locator("details.add-account > summary").click()
        page.locator("a[href$='?kind=bluesky']").click()
        form = page.locator("form.account-form")
        form.locator("input[name=name]").fill("Bluesky @fietsen")
        form.locator("input[name=address]").fill(peer.url)
        form.locator("input[name=handle]").fill(BLUESKY_HANDLE)
        form.locator("input[name=app_password]").fill(APP_PASSWORD)
        form.locator("button[type=submit]").click()

        expect(page).to_have_url(re.compile(r"/publishing/accounts/$"))
        row = page.locator("tr.account-row")
        expect(row).to_have_count(1)
        expect(row.locator(".account-status-connected")).to_be_visible()
        expect(row.locator(".account-handle")).to_contain_text(BLUESKY_HANDLE)
        assert APP_PASSWORD not in page.content()
        assert peer.paths() == ["/xrpc/com.atproto.server.createSession"]

    account = ChannelAccount.objects.get(organisation=org)
    assert account.status == AccountStatus.CONNECTED

    # Put the approved item on the calendar from its own page.
    page.goto(reverse("content:detail", args=[org.slug, item.pk]))
    page.locator("#plan-at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("form.plan-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/calendar/"))

    page.goto(reverse("content:detail", args=[org.slug, item.pk]))
    publications = page.locator("#publications")
    expect(publications).to_be_visible()
    expect(publications.locator(".publication-status-scheduled")).to_be_visible()
    expect(publications).to_contain_text("Bluesky @fietsen")
    publication = Publication.objects.get(variant__item=item)
    assert publication.account == account and publication.due_at == when

    # The overview lists it among the upcoming publications.
    page.goto(reverse("publishing:publications", args=[org.slug]))
    expect(page.locator(f"tr[data-publication='{publication.pk}']")).to_be_visible()
    no_problems(browser_problems)

"""The publishing pages over real HTTP with the cast: who may reach what, the
publications overview (upcoming, failed with the platform's reason, filters), retrying
and recording a manual post's link, the publication status on the item's page, the
outbox following an item into and out of "scheduled", media a platform would refuse,
and the photo's alt text."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from koers.content.models import ContentItem, State, Variant
from koers.orgs.capabilities import Role
from koers.publishing.models import (
    AccountKind,
    AccountStatus,
    ChannelAccount,
    Publication,
    PublicationStatus,
)
from koers.tests.cast import tiny_png


def make_account(org, kind=AccountKind.BLUESKY, **values) -> ChannelAccount:
    values.setdefault("name", f"{kind} account")
    values.setdefault("serves", "bluesky" if kind == AccountKind.BLUESKY else kind)
    values.setdefault("status", AccountStatus.CONNECTED)
    return ChannelAccount.objects.create(organisation=org, kind=kind, **values)


def make_item(org, *, state=State.SCHEDULED, when=None, channel="bluesky", title="Klantverhaal"):
    item = ContentItem.objects.create(
        organisation=org,
        title=title,
        state=state,
        scheduled_at=when or timezone.now() + timedelta(days=1),
    )
    Variant.objects.create(organisation=org, item=item, channel=channel, text="Een blije klant.")
    return item


def make_publication(org, account, *, item=None, **values) -> Publication:
    item = item or make_item(org, channel=account.serves)
    values.setdefault("due_at", item.scheduled_at)
    variant = item.variants.get(channel=account.serves)
    return Publication.objects.create(organisation=org, variant=variant, account=account, **values)


def _url(org, name, **kwargs) -> str:
    return reverse(f"publishing:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def org(cast):
    return cast.a.org


@pytest.fixture
def editor_client(client, cast):
    client.force_login(cast.a[Role.EDITOR].user)
    return client


def _snapshot():
    return (
        list(ChannelAccount.objects.order_by("pk").values_list("pk", "name", "status", "handle")),
        list(Publication.objects.order_by("pk").values_list("pk", "status", "url", "due_at")),
    )


# --- access -----------------------------------------------------------------------------


def _objects(org):
    manual = make_account(org, AccountKind.MANUAL, serves="linkedin", name="Met de hand")
    failed = make_publication(
        org, make_account(org), status=PublicationStatus.FAILED, last_error="Nee"
    )
    waiting = make_publication(org, manual, status=PublicationStatus.WAITING)
    return {"account": failed.account, "failed": failed, "waiting": waiting}


PAGES = [
    ("GET", "accounts", None),
    ("GET", "account_create", None),
    ("GET", "account_edit", "account"),
    ("POST", "account_edit", "account"),
    ("POST", "account_delete", "account"),
    ("POST", "mastodon_connect", "account"),
    ("GET", "bluesky_connect", "account"),
    ("POST", "bluesky_connect", "account"),
    ("GET", "mastodon_callback", None),
    ("GET", "publications", None),
    ("POST", "publication_retry", "failed"),
    ("POST", "publication_record", "waiting"),
]


@pytest.mark.parametrize(("method", "name", "target"), PAGES)
def test_other_organisations_get_404_and_other_roles_403(cast, client, method, name, target):
    objects_a = _objects(cast.a.org)
    _objects(cast.b.org)
    kwargs = {"pk": objects_a[target].pk} if target else {}
    a_url = _url(cast.a.org, name, **kwargs)
    data = {"url": "https://example.org/p/1", "name": "X"}
    before = _snapshot()

    def call(user, url):
        client.force_login(user)
        return client.get(url) if method == "GET" else client.post(url, data)

    if target:
        # A's object under A's address and under B's own address: never there for B.
        assert call(cast.outsider.user, a_url).status_code == 404
        b_url = _url(cast.b.org, name, **kwargs)
        assert call(cast.outsider.user, b_url).status_code == 404
    else:
        assert call(cast.outsider.user, a_url).status_code == 404
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.WEBCARE, Role.ADVISOR):
        assert call(cast.a[role].user, a_url).status_code == 403, role
    assert _snapshot() == before


# --- the publications overview ----------------------------------------------------------


def test_overview_shows_upcoming_and_failed_with_the_platforms_reason(editor_client, org):
    account = make_account(org, name="Bluesky @fietsen")
    upcoming = make_publication(org, account, item=make_item(org, title="Nieuwe fiets"))
    failed = make_publication(
        org,
        account,
        item=make_item(org, title="Oude fiets", when=timezone.now() - timedelta(hours=2)),
        status=PublicationStatus.FAILED,
        last_error="Bluesky refused the post: Record/text must not be longer than 300 graphemes",
    )
    response = editor_client.get(_url(org, "publications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nieuwe fiets" in html and "Oude fiets" in html
    assert "must not be longer than 300 graphemes" in html
    assert _url(org, "publication_retry", pk=failed.pk) in html
    assert _url(org, "publication_retry", pk=upcoming.pk) not in html

    html = editor_client.get(_url(org, "publications"), {"status": "failed"}).content.decode()
    assert "Oude fiets" in html and "Nieuwe fiets" not in html


def test_overview_query_count_does_not_grow_with_rows(editor_client, org):
    account = make_account(org)
    make_publication(org, account, status=PublicationStatus.FAILED, last_error="Nee")
    editor_client.get(_url(org, "publications"))  # the first visit also writes the session
    with CaptureQueriesContext(connection) as one:
        editor_client.get(_url(org, "publications"))
    for number in range(5):
        make_publication(org, account, item=make_item(org, title=f"Item {number}"))
    with CaptureQueriesContext(connection) as six:
        editor_client.get(_url(org, "publications"))
    assert len(six) == len(one)


def test_overview_shows_nothing_of_another_organisation(editor_client, cast, org):
    make_publication(
        cast.b.org, make_account(cast.b.org), item=make_item(cast.b.org, title="Geheim")
    )
    html = editor_client.get(_url(org, "publications")).content.decode()
    assert "Geheim" not in html


# --- retry and record -------------------------------------------------------------------


def test_retry_puts_a_failed_publication_back_with_the_same_key(editor_client, org):
    publication = make_publication(
        org,
        make_account(org),
        status=PublicationStatus.FAILED,
        attempts=8,
        last_error="Bluesky: The server answered 503.",
    )
    response = editor_client.post(_url(org, "publication_retry", pk=publication.pk))
    assert response.status_code == 302
    key = publication.idempotency_key
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.SCHEDULED
    assert publication.idempotency_key == key and publication.attempts == 0
    assert publication.due_at <= timezone.now()
    # A second click finds nothing to retry.
    response = editor_client.post(_url(org, "publication_retry", pk=publication.pk), follow=True)
    assert "Only a failed publication can be tried again." in response.content.decode()


def test_retry_waits_for_a_reconnected_account(editor_client, org):
    account = make_account(org, status=AccountStatus.RECONNECT, name="Bluesky @fietsen")
    publication = make_publication(org, account, status=PublicationStatus.FAILED)
    response = editor_client.post(_url(org, "publication_retry", pk=publication.pk), follow=True)
    assert "Connect the account “Bluesky @fietsen” again first" in response.content.decode()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED


def test_recording_the_link_publishes_a_manual_post_and_the_item(cast, editor_client, org):
    manual = make_account(
        org, AccountKind.MANUAL, serves="linkedin", responsible=cast.a[Role.EDITOR].user
    )
    publication = make_publication(org, manual, status=PublicationStatus.WAITING)
    url = _url(org, "publication_record", pk=publication.pk)

    response = editor_client.post(url, {"url": "javascript:alert(1)"}, follow=True)
    assert "Paste the full address of the post" in response.content.decode()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WAITING

    post = "https://www.linkedin.com/feed/update/urn:li:activity:7212345678901234567/"
    response = editor_client.post(url, {"url": post})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and publication.url == post
    item = publication.variant.item
    item.refresh_from_db()
    assert item.state == State.PUBLISHED

    response = editor_client.post(url, {"url": post}, follow=True)
    assert "already recorded" in response.content.decode()


def test_only_a_manual_post_is_recorded_by_hand(editor_client, org):
    publication = make_publication(org, make_account(org))
    response = editor_client.post(
        _url(org, "publication_record", pk=publication.pk),
        {"url": "https://bsky.app/profile/x/post/1"},
        follow=True,
    )
    assert "Only a post made by hand" in response.content.decode()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.SCHEDULED


# --- the item's page --------------------------------------------------------------------


def test_item_page_shows_each_publications_status(cast, client, org):
    account = make_account(org, name="Bluesky @fietsen")
    item = make_item(org)
    Variant.objects.create(organisation=org, item=item, channel="linkedin", text="Lang verhaal.")
    make_publication(
        org,
        account,
        item=item,
        status=PublicationStatus.FAILED,
        last_error="Bluesky refused the post: Invalid app.bsky.feed.post record",
    )
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(reverse("content:detail", args=[org.slug, item.pk])).content.decode()
    assert "Bluesky @fietsen" in html and "publication-status-failed" in html
    assert "Invalid app.bsky.feed.post record" in html
    assert "No account publishes the texts for LinkedIn." in html

    # An employee sees an item only when they submitted it, and never its publications.
    item.submitted_by = cast.a[Role.EMPLOYEE].user
    item.save(update_fields=["submitted_by"])
    client.force_login(cast.a[Role.EMPLOYEE].user)
    html = client.get(reverse("content:detail", args=[org.slug, item.pk])).content.decode()
    assert "publication-status" not in html


# --- the outbox follows the item --------------------------------------------------------


def test_scheduling_makes_publications_and_taking_it_back_withdraws_them(
    editor_client, org, django_capture_on_commit_callbacks
):
    account = make_account(org)
    when = timezone.now() + timedelta(days=2)
    item = make_item(org, state=State.APPROVED, when=when)
    url = reverse("content:transition", args=[org.slug, item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"target": "scheduled"})
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    publication = Publication.objects.get(variant__item=item)
    assert publication.account == account and publication.due_at == when

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"target": "approved"})
    item.refresh_from_db()
    assert item.state == State.APPROVED
    assert not Publication.objects.filter(variant__item=item).exists()


def _large_photo() -> bytes:
    """A real PNG of noise, about 1.5 MB: too large for Bluesky (1 MB)."""
    image = Image.frombytes("RGB", (720, 720), os.urandom(720 * 720 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_too_large_for_bluesky_is_refused_before_scheduling(
    editor_client, org, django_capture_on_commit_callbacks
):
    make_account(org, name="Bluesky @fietsen")
    item = make_item(org, state=State.APPROVED)
    item.photo.save("groot.png", ContentFile(_large_photo()), save=True)
    url = reverse("content:transition", args=[org.slug, item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"target": "scheduled"}, follow=True)
    html = response.content.decode()
    assert "Bluesky @fietsen" in html and "MB" in html
    item.refresh_from_db()
    assert item.state == State.APPROVED
    assert not Publication.objects.exists()

    # A small photo goes.
    item.photo.save("klein.png", ContentFile(tiny_png()), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"target": "scheduled"})
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    assert Publication.objects.filter(variant__item=item).count() == 1


def test_photo_alt_text_is_saved_and_shown(editor_client, org):
    item = make_item(org, state=State.DRAFT)
    item.photo.save("foto.png", ContentFile(tiny_png()), save=True)
    edit = reverse("content:edit", args=[org.slug, item.pk])
    alt = "Een monteur zet een wiel in een rode bakfiets."
    response = editor_client.post(edit, {"title": item.title, "photo_alt": alt})
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.photo_alt == alt
    html = editor_client.get(reverse("content:detail", args=[org.slug, item.pk])).content.decode()
    assert f'alt="{alt}"' in html

    response = editor_client.post(edit, {"title": item.title, "photo_alt": "x" * 1501})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.photo_alt == alt

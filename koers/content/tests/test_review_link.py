"""External review links: sent by e-mail, opened without an account, used once, for
one version of one item, in the organisation's language."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.content import actions
from koers.content.models import (
    EXTERNAL,
    Approval,
    ApprovalStep,
    ContentItem,
    ReviewLink,
    State,
    Transition,
)
from koers.content.workflow import TransitionRefused
from koers.orgs.capabilities import Role
from koers.tests.cast import make_strategy, tiny_png

pytestmark = pytest.mark.django_db

TEXT = "Een klant vertelt.\nHoe het ging <en> waarom."


@pytest.fixture
def goal_key(cast):
    return make_strategy(cast.a.org).items["published"]["social-goal"].key


@pytest.fixture
def external_step(cast):
    return ApprovalStep.objects.create(
        organisation=cast.a.org, position=1, name="Klant", approver=EXTERNAL
    )


def in_review(cast, goal_key, title="Klantverhaal"):
    editor = cast.a[Role.EDITOR]
    item = actions.create_item(cast.a.org, by=editor, title=title, goal_key=goal_key)
    actions.save_variant(item, "linkedin", TEXT, by=editor)
    actions.save_variant(item, "instagram", "Kijk mee achter de schermen.", by=editor)
    return actions.transition_item(item, State.IN_REVIEW, by=editor)


def send_link(cast, item, **values) -> ReviewLink:
    values = {"name": "Karin Klant", "email": "karin@klant.example", **values}
    return actions.create_review_link(item, by=cast.a[Role.EDITOR], **values)


def page(link, item_pk=None) -> str:
    return reverse("content:review", args=[item_pk or link.item_id, link.token])


def state_of(item) -> str:
    return ContentItem.objects.get(pk=item.pk).state


def test_a_link_needs_an_external_step_and_an_item_in_review(cast, goal_key):
    item = in_review(cast, goal_key)
    with pytest.raises(ValidationError):
        send_link(cast, item)
    ApprovalStep.objects.create(organisation=cast.a.org, name="Klant", approver=EXTERNAL)
    draft = actions.create_item(cast.a.org, by=cast.a[Role.EDITOR], title="Concept")
    with pytest.raises(TransitionRefused) as refused:
        send_link(cast, draft)
    assert refused.value.code == "not_in_review"
    assert not ReviewLink.objects.exists()


def test_the_editor_sends_a_link_and_the_mail_carries_it(
    client, cast, goal_key, external_step, sent_after_commit
):
    item = in_review(cast, goal_key)
    client.force_login(cast.a[Role.EDITOR].user)
    url = reverse("content:review_link_create", args=[cast.a.org.slug, item.pk])
    with sent_after_commit():
        response = client.post(url, {"name": "Karin Klant", "email": "karin@klant.example"})
    assert response.status_code == 302
    link = ReviewLink.objects.get()
    assert (link.step, link.revision) == (external_step, item.revision)
    assert timedelta(days=6) < link.expires_at - timezone.now() <= timedelta(days=7)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and link.url in shown[0]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@klant.example"]
    assert link.url in message.body
    assert ReviewLink.objects.get().sent_at is not None


def test_an_employee_cannot_send_a_link(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    url = reverse("content:review_link_create", args=[cast.a.org.slug, item.pk])
    assert client.post(url, {"name": "X", "email": "x@example.nl"}).status_code == 403
    assert not ReviewLink.objects.exists()


def test_the_reviewer_reads_the_post_without_an_account(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    item.photo.save("foto.png", ContentFile(tiny_png()), save=True)
    link = send_link(cast, item)
    response = client.get(page(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Een klant vertelt.<br>Hoe het ging &lt;en&gt; waarom." in html
    assert "Kijk mee achter de schermen." in html
    assert "Organisatie A" in html and "Klantverhaal" in html
    assert "A photo is attached" in html and "foto" not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_approving_through_the_link_approves_the_last_step(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    response = client.post(page(link), {"decision": "approve", "comment": "Mooi!"})
    assert response.status_code == 200
    assert "Thank you!" in response.content.decode()
    approval = Approval.objects.get()
    assert "Karin Klant" in approval.reviewer_name and approval.by is None
    assert (approval.review_link, approval.step, approval.comment) == (link, external_step, "Mooi!")
    assert state_of(item) == State.APPROVED
    assert "Karin Klant" in Transition.objects.filter(item=item).last().by_name

    again = client.get(page(link))
    assert again.status_code == 410
    assert "This link has been used" in again.content.decode()
    assert "The post was approved." in again.content.decode()
    twice = client.post(page(link), {"decision": "reject", "comment": "Toch niet."})
    assert twice.status_code == 410
    assert Approval.objects.count() == 1 and state_of(item) == State.APPROVED


def test_an_approval_by_link_before_the_internal_step_leaves_the_item_in_review(
    client, cast, goal_key, external_step
):
    ApprovalStep.objects.create(
        organisation=cast.a.org, position=2, name="Redactie", approver=Role.EDITOR
    )
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    assert client.post(page(link), {"decision": "approve"}).status_code == 200
    assert state_of(item) == State.IN_REVIEW
    assert [s.complete for s in actions.approval_status(item)] == [True, False]


def test_an_expired_link(client, cast, goal_key, external_step):
    link = send_link(cast, in_review(cast, goal_key))
    ReviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(page(link))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert client.post(page(link), {"decision": "approve"}).status_code == 410
    assert not Approval.objects.exists()


def test_a_tampered_token_is_not_found(client, cast, goal_key, external_step):
    link = send_link(cast, in_review(cast, goal_key))
    token = link.token
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("content:review", args=[link.item_id, tampered]))
    assert response.status_code == 404
    assert "This review link is not valid" in response.content.decode()
    assert "Organisatie A" not in response.content.decode()
    # A correct signature with the wrong key (the link row was given a new key).
    ReviewLink.objects.filter(pk=link.pk).update(key="another-key")
    assert client.get(page(link)).status_code == 404


def test_a_link_opened_under_another_items_address(client, cast, goal_key, external_step):
    first = in_review(cast, goal_key, title="Eerste")
    second = in_review(cast, goal_key, title="Tweede")
    link = send_link(cast, first)
    response = client.get(page(link, item_pk=second.pk))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This link is for another post" in html
    assert "Eerste" not in html and "Tweede" not in html
    assert client.post(page(link, item_pk=second.pk), {"decision": "approve"}).status_code == 404
    assert not Approval.objects.exists()


def test_a_link_for_an_older_version(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    actions.save_variant(item, "linkedin", TEXT + " Nieuw.", by=cast.a[Role.EDITOR])
    response = client.get(page(link))
    assert response.status_code == 410
    assert "The post has changed since this link was sent" in response.content.decode()
    assert "ask for a new link" in response.content.decode().lower()
    assert client.post(page(link), {"decision": "approve"}).status_code == 410
    assert not Approval.objects.exists() and state_of(item) == State.IN_REVIEW


def test_rejecting_through_the_link_needs_a_comment(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    response = client.post(page(link), {"decision": "reject", "comment": " "})
    assert response.status_code == 400
    assert "Say what has to change." in response.content.decode()
    assert ReviewLink.objects.get().used_at is None and state_of(item) == State.IN_REVIEW

    response = client.post(page(link), {"decision": "reject", "comment": "De prijs klopt niet."})
    assert response.status_code == 200
    assert state_of(item) == State.DRAFT
    back = Transition.objects.filter(item=item).last()
    assert back.to_state == State.DRAFT and back.note == "De prijs klopt niet."
    assert "(external reviewer)" in back.by_name


def test_an_item_taken_out_of_review(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    actions.transition_item(item, State.ARCHIVED, by=cast.a[Role.EDITOR])
    response = client.get(page(link))
    assert response.status_code == 409
    assert "This post is not waiting for review" in response.content.decode()


def test_a_revoked_link(client, cast, goal_key, external_step):
    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    other = send_link(cast, in_review(cast, goal_key, title="Ander"))
    editor = Client()
    editor.force_login(cast.a[Role.EDITOR].user)
    wrong = reverse("content:review_link_revoke", args=[cast.a.org.slug, item.pk, other.pk])
    assert editor.post(wrong).status_code == 404
    assert ReviewLink.objects.get(pk=other.pk).revoked_at is None

    url = reverse("content:review_link_revoke", args=[cast.a.org.slug, item.pk, link.pk])
    assert editor.post(url).status_code == 302
    assert ReviewLink.objects.get(pk=link.pk).revoked_at is not None
    response = client.get(page(link))
    assert response.status_code == 410
    assert "This link was withdrawn" in response.content.decode()


def test_the_page_speaks_the_organisations_language(cast, goal_key, external_step):
    link = send_link(cast, in_review(cast, goal_key))
    assert cast.a.org.default_language == "nl"
    # No language chosen: the organisation's language, whatever the browser prefers.
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl">' in browser.get(page(link)).content.decode()

    cast.a.org.default_language = "en"
    cast.a.org.save(update_fields=["default_language"])
    dutch_browser = Client(HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="en">' in dutch_browser.get(page(link)).content.decode()

    # A visitor who switched language keeps their choice.
    chose_dutch = Client()
    chose_dutch.cookies["koers_language"] = "nl"
    assert '<html lang="nl">' in chose_dutch.get(page(link)).content.decode()


def test_the_external_reviewer_is_asked_only_once_the_steps_before_are_done(cast, goal_key):
    org = cast.a.org
    ApprovalStep.objects.create(organisation=org, position=1, name="Redactie", approver="editor")
    ApprovalStep.objects.create(organisation=org, position=2, name="Klant", approver=EXTERNAL)
    item = in_review(cast, goal_key)
    with pytest.raises(ValidationError) as refused:
        send_link(cast, item)
    assert "Redactie comes first" in str(refused.value)
    assert not ReviewLink.objects.exists()

    actions.decide(item, by=cast.a[Role.EDITOR], decision="approve")
    link = send_link(cast, item)
    assert link.step.name == "Klant"
    assert state_of(item) == State.IN_REVIEW


def test_a_link_has_one_token(cast, goal_key, external_step):
    """The mail and the editor's screen show the same address, whenever they are made."""
    import time
    from unittest import mock

    from koers.content.models import find_review_link

    item = in_review(cast, goal_key)
    link = send_link(cast, item)
    first = link.url
    with mock.patch("time.time", return_value=time.time() + 3600):
        assert link.url == first
    assert find_review_link(link.token) == link
    assert find_review_link(link.token[:-2] + "xx") is None

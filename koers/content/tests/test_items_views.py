"""The pipeline's pages through real HTTP: ideas, the pipeline overview, an item's page
with its channel editors and live check, moves between states, overrides and photos."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from koers.audit.models import AuditEvent
from koers.content import actions
from koers.content.models import ContentItem, Decision, State, Transition, Variant
from koers.orgs.capabilities import Role
from koers.tests.cast import make_guideline, make_strategy
from koers.tests.test_tenancy import fingerprint

pytestmark = pytest.mark.django_db

BSN = "111222333"
NOT_A_BSN = "111222334"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _url(cast, name, *args):
    return reverse(f"content:{name}", args=[cast.a.org.slug, *args])


def _png(name="zeemeeuw.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (11, 85, 99)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _goal(cast):
    return make_strategy(cast.a.org).items["published"]["social-goal"]


def _draft(cast, *, goal=None, title="Klantverhaal", text=None) -> ContentItem:
    editor = cast.a[Role.EDITOR]
    item = actions.create_item(
        cast.a.org, by=editor, title=title, goal_key=goal.key if goal else None
    )
    if text:
        actions.save_variant(item, "linkedin", text, by=editor)
        item.refresh_from_db()
    return item


def _idea(cast, title="Compliment van mevrouw Jansen") -> ContentItem:
    return actions.submit_idea(
        cast.a.org, by=cast.a[Role.EMPLOYEE], title=title, idea="Ze was erg blij met de hulp."
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _card(html: str, title: str) -> str:
    """The pipeline card of the item with this title."""
    cards = html.split('<article class="card item-card')[1:]
    found = [card.split("</article>")[0] for card in cards if f">{title}</a>" in card]
    assert len(found) == 1, title
    return found[0]


# --- ideas ------------------------------------------------------------------------------


def test_an_employee_hands_in_an_idea_with_a_photo(client, cast):
    goal = _goal(cast)
    employee = cast.a[Role.EMPLOYEE]
    client.force_login(employee.user)
    page = client.get(_url(cast, "ideas"))
    assert page.status_code == 200
    assert "Klantwensen ophalen" in page.content.decode(), "goals are offered by title"

    response = client.post(
        _url(cast, "ideas"),
        {
            "title": "Mevrouw Jansen is blij",
            "idea": "Ze belde om te bedanken.",
            "photo": _png(),
            "link": "https://example.nl/verhaal",
            "goal_key": str(goal.key),
        },
    )
    assert response.status_code == 302
    item = ContentItem.objects.get(title="Mevrouw Jansen is blij")
    assert item.state == State.IDEA
    assert item.submitted_by == employee.user
    assert item.goal_key == goal.key
    assert item.link == "https://example.nl/verhaal"
    assert item.photo.name.endswith(".png")

    mine = client.get(_url(cast, "ideas")).content.decode()
    assert "My ideas" in mine and "Mevrouw Jansen is blij" in mine
    assert "Waiting for the editors." in mine
    assert f"Idea by {employee.user.email}" in mine

    photo = client.get(_url(cast, "photo", item.pk))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("name", "content"),
    [("notities.txt", b"Geen foto"), ("vermomd.png", b"Ook geen foto, wel .png")],
)
def test_a_file_that_is_not_an_image_gets_a_clear_error(client, cast, name, content):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    response = client.post(
        _url(cast, "ideas"),
        {
            "title": "Met bijlage",
            "idea": "Zie bijlage.",
            "photo": SimpleUploadedFile(name, content, content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "This file is not a photo" in response.content.decode()
    assert not ContentItem.objects.filter(title="Met bijlage").exists()


def test_a_photo_over_5_mb_is_refused(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    big = SimpleUploadedFile("groot.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "image/png")
    response = client.post(
        _url(cast, "ideas"), {"title": "Groot", "idea": "Grote foto.", "photo": big}
    )
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not ContentItem.objects.filter(title="Groot").exists()


def test_the_detail_credits_the_submitter(client, cast):
    item = _idea(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert f"Idea by {cast.a[Role.EMPLOYEE].user.email}" in html
    assert "No goal" in html and "Choose a goal" in html


def test_the_editor_starts_drafting_from_the_inbox(client, cast):
    item = _idea(cast)
    editor = cast.a[Role.EDITOR]
    client.force_login(editor.user)
    inbox = client.get(_url(cast, "ideas")).content.decode()
    assert "Inbox" in inbox and item.title in inbox and "Start drafting" in inbox

    response = client.post(
        _url(cast, "transition", item.pk), {"target": "draft", "next": _url(cast, "ideas")}
    )
    assert response.status_code == 302 and response["Location"] == _url(cast, "ideas")
    item.refresh_from_db()
    assert item.state == State.DRAFT and item.assignee == editor.user
    inbox = client.get(_url(cast, "ideas")).content.decode().split('id="inbox"')[1]
    assert item.title not in inbox and "The inbox is empty." in inbox

    client.force_login(cast.a[Role.EMPLOYEE].user)
    mine = client.get(_url(cast, "ideas")).content.decode()
    assert "The editors are drafting a post from it." in mine


def test_rejecting_an_idea_needs_a_reason_the_submitter_sees(client, cast):
    item = _idea(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    url = _url(cast, "transition", item.pk)
    response = client.post(
        url, {"target": "rejected", "note": "  ", "next": _url(cast, "ideas")}, follow=True
    )
    assert "Tell the submitter why" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.IDEA

    client.post(url, {"target": "rejected", "note": "Dit deelden we vorige week al."})
    item.refresh_from_db()
    assert item.state == State.REJECTED

    client.force_login(cast.a[Role.EMPLOYEE].user)
    mine = client.get(_url(cast, "ideas")).content.decode()
    assert "Not taken up." in mine and "Reason: Dit deelden we vorige week al." in mine
    assert f"Idea by {cast.a[Role.EMPLOYEE].user.email}" in mine


def test_the_employee_sees_only_their_own_ideas_and_edits_them_until_drafting(client, cast):
    others = _draft(cast, title="Van de redactie")
    mine = _idea(cast)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(_url(cast, "detail", others.pk)).status_code == 404
    assert client.get(_url(cast, "edit", others.pk)).status_code == 404
    assert client.get(_url(cast, "pipeline")).status_code == 403

    form = client.get(_url(cast, "edit", mine.pk)).content.decode()
    assert 'name="title"' in form and 'name="is_paid"' not in form and 'name="assignee"' not in form
    response = client.post(
        _url(cast, "edit", mine.pk), {"title": "Mevrouw Jansen bedankt ons", "idea": "Echt."}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Mevrouw Jansen bedankt ons"

    actions.transition_item(mine, State.DRAFT, by=cast.a[Role.EDITOR])
    assert client.get(_url(cast, "detail", mine.pk)).status_code == 200
    assert client.get(_url(cast, "edit", mine.pk)).status_code == 403
    before = fingerprint()
    response = client.post(_url(cast, "edit", mine.pk), {"title": "Toch anders", "idea": "x"})
    assert response.status_code == 403
    assert fingerprint() == before


# --- the pipeline -----------------------------------------------------------------------


def test_the_pipeline_flags_items_without_a_goal(client, cast):
    goal = _goal(cast)
    _draft(cast, goal=goal, title="Met doel")
    _draft(cast, title="Zonder doel")
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(_url(cast, "pipeline")).content.decode()
    assert "No goal" not in _card(html, "Met doel") and "Klantwensen ophalen" in _card(
        html, "Met doel"
    )
    assert "No goal" in _card(html, "Zonder doel")
    assert "1 item has no goal in the published strategy." in html
    assert "New item" in html

    only = client.get(_url(cast, "pipeline"), {"goal": "none"}).content.decode()
    assert "Zonder doel" in only and "Met doel" not in only


def test_the_pipeline_shows_check_badges_and_channels(client, cast):
    _draft(cast, goal=_goal(cast), title="Geblokkeerd", text=f"Mijn BSN is {BSN}.")
    client.force_login(cast.a[Role.MANAGER].user)
    html = client.get(_url(cast, "pipeline")).content.decode()
    card = _card(html, "Geblokkeerd")
    assert "Blocked" in card and "LinkedIn" in card
    assert "New item" not in html, "a manager does not write content"


def test_the_pipeline_filters_by_state_and_person(client, cast):
    _idea(cast, title="Een idee")
    _draft(cast, title="Een concept")
    client.force_login(cast.a[Role.EDITOR].user)
    drafts = client.get(_url(cast, "pipeline"), {"state": "draft"}).content.decode()
    assert "Een concept" in drafts and "Een idee" not in drafts
    employee = cast.a[Role.EMPLOYEE].user
    theirs = client.get(_url(cast, "pipeline"), {"person": employee.pk}).content.decode()
    assert "Een idee" in theirs and "Een concept" not in theirs


def _fill(cast, numbers, goal) -> None:
    editor, manager = cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    for n in numbers:
        idea = _idea(cast, title=f"Idee {n}")
        item = _draft(cast, goal=goal, title=f"Post {n}", text=f"Een klant vertelt ({n}).")
        actions.save_variant(item, "x", f"Kort verhaal {n}", by=editor)
        actions.transition_item(item, State.IN_REVIEW, by=editor)
        actions.decide(item, by=manager, decision=Decision.APPROVE)
        actions.transition_item(idea, State.REJECTED, by=editor, note="Niet nu.")


def test_the_pipeline_query_count_does_not_grow_with_the_items(client, cast):
    goal = _goal(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    _fill(cast, range(2), goal)
    client.get(_url(cast, "pipeline"))  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(cast, "pipeline")).status_code == 200
    _fill(cast, range(2, 8), goal)
    with CaptureQueriesContext(connection) as many:
        html = client.get(_url(cast, "pipeline")).content.decode()
    assert "Post 7" in html and "Idee 7" in html
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_an_editor_creates_an_item(client, cast):
    goal = _goal(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    assert client.get(_url(cast, "create")).status_code == 200
    response = client.post(
        _url(cast, "create"),
        {"title": "Nieuwe fiets", "goal_key": str(goal.key), "has_product_claim": "on"},
    )
    item = ContentItem.objects.get(title="Nieuwe fiets")
    assert response["Location"] == _url(cast, "detail", item.pk)
    assert item.state == State.DRAFT and item.has_product_claim and item.goal_key == goal.key
    assert client.post(_url(cast, "create"), {"title": ""}).status_code == 400


# --- the channel editors ----------------------------------------------------------------


def _check(client, cast, item, text, channel="linkedin"):
    return client.post(
        _url(cast, "variant_check", item.pk),
        {"channel": channel, "text": text},
        HTTP_HX_REQUEST="true",
    )


def test_the_live_check_blocks_a_bsn_but_not_a_wrong_checksum(client, cast):
    item = _draft(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    before = fingerprint()
    blocked = _check(client, cast, item, f"Bel ons, mijn BSN is {BSN}.")
    html = blocked.content.decode()
    assert blocked.status_code == 200 and not html.lstrip().startswith("<!DOCTYPE")
    assert f"Not allowed:</strong> a BSN (citizen service number): “{BSN}”" in html
    assert "A guideline blocks this text" in html

    fine = _check(client, cast, item, f"Ordernummer {NOT_A_BSN} is onderweg.").content.decode()
    assert "BSN" not in fine and "Not allowed" not in fine
    assert "The guidelines find nothing in this text." in fine
    assert fingerprint() == before, "the live check stores nothing"


def test_the_live_check_counts_a_url_as_23_on_x(client, cast):
    item = _draft(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    text = "Lees meer: https://example.nl/" + "verhaal/" * 20
    html = _check(client, cast, item, text, channel="x").content.decode()
    assert "34 of 280 characters" in html, "11 characters and 23 for the URL"
    assert "246 left" in html


def test_an_item_page_offers_an_editor_per_channel(client, cast):
    item = _draft(cast, text="Een klant vertelt.")
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert 'id="text-linkedin"' in html and "Een klant vertelt." in html
    assert 'hx-trigger="input changed delay:400ms"' in html
    assert _url(cast, "variant_check", item.pk) in html
    assert "Write for X" in html and 'id="text-x"' in html
    assert "18 of 3000 characters" in html


def test_saving_and_removing_a_variant(client, cast):
    item = _draft(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.post(_url(cast, "variant", item.pk, "mastodon"), {"text": "Hallo!\r\nDag."})
    assert response.status_code == 302
    assert response["Location"] == _url(cast, "detail", item.pk) + "#variant-mastodon"
    assert Variant.objects.get(item=item, channel="mastodon").text == "Hallo!\nDag."
    client.post(_url(cast, "variant", item.pk, "mastodon"), {"text": ""})
    assert not Variant.objects.filter(item=item, channel="mastodon").exists()


def test_a_blocked_text_is_refused_for_review_and_stays_draft(client, cast):
    item = _draft(cast, goal=_goal(cast))
    client.force_login(cast.a[Role.EDITOR].user)
    client.post(_url(cast, "variant", item.pk, "linkedin"), {"text": f"Mijn BSN is {BSN}."})
    assert Variant.objects.get(item=item, channel="linkedin").is_blocked

    response = client.post(_url(cast, "transition", item.pk), {"target": "in_review"}, follow=True)
    assert "A guideline blocks this item" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert not Transition.objects.filter(item=item, to_state=State.IN_REVIEW).exists()


def test_a_refused_move_by_htmx_redirects_the_page(client, cast):
    item = _draft(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.post(
        _url(cast, "transition", item.pk), {"target": "in_review"}, HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == _url(cast, "detail", item.pk)


def test_a_warning_override_needs_a_reason_and_is_audited(client, cast):
    make_guideline(cast.a.org, terms="Project Zeemeeuw", severity="warn")
    item = _draft(cast, goal=_goal(cast))
    client.force_login(cast.a[Role.EDITOR].user)
    client.post(
        _url(cast, "variant", item.pk, "linkedin"), {"text": "Binnenkort: Project Zeemeeuw"}
    )

    response = client.post(_url(cast, "transition", item.pk), {"target": "in_review"}, follow=True)
    assert "The guidelines warn about this item" in _messages(response)
    html = response.content.decode()
    assert 'id="warnings"' in html and "a confidential term: “Project Zeemeeuw”" in html
    assert _url(cast, "override", item.pk) in html

    refused = client.post(_url(cast, "override", item.pk), {"reason": " "})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    assert not AuditEvent.objects.filter(action="guideline_overridden").exists()

    client.post(
        _url(cast, "override", item.pk), {"reason": "De directeur kondigt het vandaag aan."}
    )
    event = AuditEvent.objects.get(organisation=cast.a.org, action="guideline_overridden")
    assert event.details["reason"] == "De directeur kondigt het vandaag aan."
    assert event.actor == cast.a[Role.EDITOR].user

    client.post(_url(cast, "transition", item.pk), {"target": "in_review"})
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW
    page = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert "Warnings overridden" in page and "De directeur kondigt het vandaag aan." in page


def _approved(cast) -> ContentItem:
    item = _draft(cast, goal=_goal(cast), text="Een klant vertelt.")
    actions.transition_item(item, State.IN_REVIEW, by=cast.a[Role.EDITOR])
    actions.decide(item, by=cast.a[Role.MANAGER], decision=Decision.APPROVE)
    item.refresh_from_db()
    assert item.state == State.APPROVED
    return item


def test_editing_an_approved_text_makes_the_approval_lapse(client, cast):
    item = _approved(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    page = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert "Changing a text now makes the approval lapse" in page

    response = client.post(
        _url(cast, "variant", item.pk, "linkedin"),
        {"text": "Een blije klant vertelt."},
        follow=True,
    )
    assert "The approval lapsed" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    last = item.transitions.last()
    assert (last.from_state, last.to_state) == (State.APPROVED, State.DRAFT)
    assert last.note == "The content changed after approval."
    assert "The content changed after approval." in response.content.decode()


def test_editing_an_approved_items_link_makes_the_approval_lapse(client, cast):
    item = _approved(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    form = client.get(_url(cast, "edit", item.pk)).content.decode()
    assert "makes the approval lapse" in form
    data = {
        "title": item.title,
        "goal_key": str(item.goal_key),
        "link": "https://example.nl/nieuw",
        "assignee": cast.a[Role.EDITOR].user.pk,
    }
    response = client.post(_url(cast, "edit", item.pk), data, follow=True)
    assert "The approval lapsed" in _messages(response)
    item.refresh_from_db()
    assert item.state == State.DRAFT and item.link == "https://example.nl/nieuw"


def test_editing_the_title_only_keeps_the_approval(client, cast):
    item = _approved(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    data = {"title": "Andere titel", "goal_key": str(item.goal_key)}
    response = client.post(_url(cast, "edit", item.pk), data, follow=True)
    assert "lapsed" not in _messages(response)
    item.refresh_from_db()
    assert item.state == State.APPROVED and item.title == "Andere titel"


def test_the_item_page_shows_approval_and_the_decide_form(client, cast):
    item = _draft(cast, goal=_goal(cast), text="Een klant vertelt.")
    actions.transition_item(item, State.IN_REVIEW, by=cast.a[Role.EDITOR])
    client.force_login(cast.a[Role.MANAGER].user)
    html = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert _url(cast, "decide", item.pk) in html
    assert 'name="decision" value="approve"' in html and 'aria-current="step"' in html

    actions.decide(item, by=cast.a[Role.MANAGER], decision=Decision.APPROVE)
    html = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert _url(cast, "decide", item.pk) not in html
    assert re.search(r"Approved by manager@org-a\.example on", html)


def test_the_submitter_adds_and_removes_a_photo_of_their_idea(client, cast):
    item = _idea(cast)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    data = {"title": item.title, "idea": item.idea}
    client.post(_url(cast, "edit", item.pk), {**data, "photo": _png("kantoor.png")})
    item.refresh_from_db()
    assert item.photo.name.endswith(".png")
    page = client.get(_url(cast, "detail", item.pk)).content.decode()
    assert _url(cast, "photo", item.pk) in page
    assert client.get(_url(cast, "photo", item.pk)).status_code == 200

    # Saving without a new file keeps the photo; the clear box removes it.
    client.post(_url(cast, "edit", item.pk), data)
    item.refresh_from_db()
    assert item.photo
    client.post(_url(cast, "edit", item.pk), {**data, "photo-clear": "on"})
    item.refresh_from_db()
    assert not item.photo
    assert client.get(_url(cast, "photo", item.pk)).status_code == 404


def test_the_live_check_explains_a_text_that_is_far_too_long(client, cast):
    item = _draft(cast)
    client.force_login(cast.a[Role.EDITOR].user)
    response = _check(client, cast, item, "a" * 10_001)
    assert response.status_code == 200
    assert "This text could not be checked." in response.content.decode()
    over = _check(client, cast, item, "a" * 300, channel="x").content.decode()
    assert "300 of 280 characters" in over and "20 too many" in over


def test_the_photo_view_is_404_without_a_photo(client, cast):
    item = _idea(cast)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(_url(cast, "photo", item.pk)).status_code == 404


# --- access -----------------------------------------------------------------------------

ITEM_URLS = [
    ("detail", ()),
    ("edit", ()),
    ("variant", ("linkedin",)),
    ("variant_check", ()),
    ("transition", ()),
    ("override", ()),
    ("photo", ()),
]


def _with_photo(cast) -> ContentItem:
    item = _draft(cast, goal=_goal(cast), text="Een klant vertelt.")
    item.photo = _png()
    item.save()
    return item


def test_an_outsider_gets_404_on_every_item_url(client, cast):
    item = _with_photo(cast)
    client.force_login(cast.outsider.user)
    before = fingerprint()
    for name, extra in ITEM_URLS:
        for slug in (cast.a.org.slug, cast.b.org.slug):
            url = reverse(f"content:{name}", args=[slug, item.pk, *extra])
            statuses = {
                client.get(url).status_code,
                client.post(url, {"text": "x", "target": "archived", "reason": "x"}).status_code,
            }
            assert statuses <= {404, 405} and 404 in statuses, (name, slug, statuses)
    assert fingerprint() == before


def test_an_advisor_reads_but_gets_403_on_every_post(client, cast):
    item = _with_photo(cast)
    client.force_login(cast.a[Role.ADVISOR].user)
    assert client.get(_url(cast, "pipeline")).status_code == 200
    assert client.get(_url(cast, "detail", item.pk)).status_code == 200
    before = fingerprint()
    data = {"text": "x", "target": "archived", "reason": "x", "title": "x", "channel": "x"}
    for name, extra in ITEM_URLS:
        if name in ("detail", "photo"):
            continue
        response = client.post(_url(cast, name, item.pk, *extra), data)
        assert response.status_code == 403, (name, response.status_code)
    assert client.post(_url(cast, "create"), data).status_code == 403
    assert client.post(_url(cast, "ideas"), data).status_code == 403
    assert fingerprint() == before
    item.refresh_from_db()
    assert item.state == State.DRAFT


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.browser
def test_the_live_check_as_you_type(page, browser_problems, live_server, transactional_db, cast):
    from playwright.sync_api import expect

    from koers.tests.browser import log_in, no_problems
    from koers.tests.cast import PASSWORD

    item = _draft(cast, goal=_goal(cast))
    log_in(page, cast.a[Role.EDITOR].user.email, PASSWORD)
    page.goto(_url(cast, "detail", item.pk))
    page.locator("#add-linkedin > summary").click()
    page.locator("#text-linkedin").fill(f"Mijn BSN is {BSN}.")
    check = page.locator("#check-linkedin")
    expect(check.locator(".finding-block")).not_to_have_count(0)
    expect(check).to_contain_text(BSN)
    page.locator("#text-linkedin").fill(f"Ordernummer {NOT_A_BSN}.")
    expect(check.locator(".finding-block")).to_have_count(0)
    expect(check).to_contain_text("22")
    assert not Variant.objects.filter(item=item).exists(), "checking stores nothing"

    page.locator("#variant-linkedin button[type=submit]").click()
    expect(page.locator("#text-linkedin")).to_have_value(f"Ordernummer {NOT_A_BSN}.")
    assert Variant.objects.get(item=item, channel="linkedin").text == f"Ordernummer {NOT_A_BSN}."
    no_problems(browser_problems)

"""Approval: the default single step, steps in order with conditions, "any" and "all",
rejection, approvals that lapse when the content changes, the approval rules page, and
a blocked item that no path can approve (also under two concurrent requests)."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.content import actions
from koers.content.models import (
    EXTERNAL,
    Approval,
    ApprovalStep,
    Condition,
    ContentItem,
    Decision,
    Mode,
    State,
    Transition,
)
from koers.content.workflow import TransitionRefused
from koers.orgs.capabilities import Role
from koers.tests.cast import make_member, make_strategy, make_token

CLEAN = "Een blije klant vertelt hoe het ging."
BLOCKING = "Bel ons even, BSN 111222333."


@pytest.fixture
def goal_key(cast):
    return make_strategy(cast.a.org).items["published"]["social-goal"].key


def in_review(cast, goal_key, *, title="Klantverhaal", product_claim=False, text=CLEAN):
    editor = cast.a[Role.EDITOR]
    item = actions.create_item(
        cast.a.org, by=editor, title=title, goal_key=goal_key, has_product_claim=product_claim
    )
    actions.save_variant(item, "linkedin", text, by=editor)
    return actions.transition_item(item, State.IN_REVIEW, by=editor)


def add_step(cast, name, approver, *, mode=Mode.ANY, condition=Condition.ALWAYS):
    return actions.add_approval_step(
        cast.a.org,
        by=cast.a[Role.OWNER],
        name=name,
        approver=approver,
        mode=mode,
        condition=condition,
    )


def refused_code(call) -> str:
    with pytest.raises(TransitionRefused) as refused:
        call()
    return refused.value.code


def state_of(item) -> str:
    return ContentItem.objects.get(pk=item.pk).state


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the default step and steps in order --------------------------------------------------


@pytest.mark.django_db
def test_without_steps_one_approval_by_an_editor_approves(client, cast, goal_key):
    item = in_review(cast, goal_key)
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.post(
        reverse("content:decide", args=[cast.a.org.slug, item.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("content:detail", args=[cast.a.org.slug, item.pk])
    assert texts(response) == ["Approved"]
    assert state_of(item) == State.APPROVED
    approval = Approval.objects.get(item=item)
    assert approval.step is None and approval.by == cast.a[Role.EDITOR].user
    assert AuditEvent.objects.filter(action=Action.CONTENT_APPROVED).count() == 1


@pytest.mark.django_db
def test_an_employee_may_not_decide(client, cast, goal_key):
    item = in_review(cast, goal_key)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    url = reverse("content:decide", args=[cast.a.org.slug, item.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    assert state_of(item) == State.IN_REVIEW and not Approval.objects.exists()


@pytest.mark.django_db
def test_steps_go_in_order_and_a_product_claim_adds_the_manager(cast, goal_key):
    editor, manager = cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    add_step(cast, "Redactie", Role.EDITOR)
    add_step(cast, "Management", Role.MANAGER, condition=Condition.PRODUCT_CLAIM)

    claim = in_review(cast, goal_key, title="Nu 20% sneller", product_claim=True)
    assert refused_code(lambda: actions.decide(claim, by=manager, decision=Decision.APPROVE)) == (
        "not_your_step"
    )
    actions.decide(claim, by=editor, decision=Decision.APPROVE)
    assert state_of(claim) == State.IN_REVIEW
    statuses = actions.approval_status(claim)
    assert [s.complete for s in statuses] == [True, False]
    assert actions.current_step(statuses).name == "Management"
    # The editor's step is done: the editor cannot approve the manager's step.
    assert refused_code(lambda: actions.decide(claim, by=editor, decision=Decision.APPROVE)) == (
        "not_your_step"
    )
    actions.decide(claim, by=manager, decision=Decision.APPROVE)
    assert state_of(claim) == State.APPROVED

    plain = in_review(cast, goal_key, title="Achter de schermen")
    assert [s.name for s in actions.approval_status(plain)] == ["Redactie"]
    actions.decide(plain, by=editor, decision=Decision.APPROVE)
    assert state_of(plain) == State.APPROVED


@pytest.mark.django_db
def test_all_mode_needs_every_manager(client, cast, goal_key):
    first = cast.a[Role.MANAGER]
    second = make_member(cast.a.org, Role.MANAGER, email="manager2@org-a.example")
    add_step(cast, "Directie", Role.MANAGER, mode=Mode.ALL)
    item = in_review(cast, goal_key)

    actions.decide(item, by=first, decision=Decision.APPROVE)
    assert state_of(item) == State.IN_REVIEW
    status = actions.approval_status(item)[0]
    assert (status.needed, len(status.approvals), status.complete) == (2, 1, False)
    assert refused_code(lambda: actions.decide(item, by=first, decision=Decision.APPROVE)) == (
        "decided"
    )

    client.force_login(second.user)
    response = client.post(
        reverse("content:decide", args=[cast.a.org.slug, item.pk]), {"decision": "approve"}
    )
    assert texts(response) == ["Approved"]
    assert state_of(item) == State.APPROVED
    assert Approval.objects.filter(item=item).count() == 2


@pytest.mark.django_db
def test_rejecting_needs_a_comment_and_sends_the_item_back(client, cast, goal_key):
    item = in_review(cast, goal_key)
    manager = cast.a[Role.MANAGER]
    with pytest.raises(ValidationError):
        actions.decide(item, by=manager, decision=Decision.REJECT, comment="  ")
    assert state_of(item) == State.IN_REVIEW

    client.force_login(manager.user)
    url = reverse("content:decide", args=[cast.a.org.slug, item.pk])
    response = client.post(url, {"decision": "reject", "comment": ""})
    assert response.status_code == 302
    assert any("Say what has to change." in text for text in texts(response))
    assert state_of(item) == State.IN_REVIEW and not Approval.objects.exists()

    response = client.post(url, {"decision": "reject", "comment": "Noem de prijs niet."})
    assert texts(response)[-1] == "Sent back to the editor"
    assert state_of(item) == State.DRAFT
    back = Transition.objects.filter(item=item).last()
    assert (back.from_state, back.to_state, back.note) == (
        State.IN_REVIEW,
        State.DRAFT,
        "Noem de prijs niet.",
    )
    assert AuditEvent.objects.filter(action=Action.CONTENT_REJECTED).count() == 1


@pytest.mark.django_db
def test_deciding_on_an_item_that_is_not_in_review_is_refused(client, cast, goal_key):
    item = actions.create_item(cast.a.org, by=cast.a[Role.EDITOR], title="Nog concept")
    client.force_login(cast.a[Role.MANAGER].user)
    response = client.post(
        reverse("content:decide", args=[cast.a.org.slug, item.pk]), {"decision": "approve"}
    )
    assert texts(response) == ["Only an item in review can be approved or rejected."]
    assert state_of(item) == State.DRAFT


# --- lapsing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_approval_lapses_when_the_text_changes(cast, goal_key):
    editor, manager = cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    add_step(cast, "Redactie", Role.EDITOR)
    add_step(cast, "Management", Role.MANAGER)
    item = in_review(cast, goal_key)
    actions.decide(item, by=editor, decision=Decision.APPROVE)
    assert actions.approval_status(ContentItem.objects.get(pk=item.pk))[0].complete

    revision = ContentItem.objects.get(pk=item.pk).revision
    actions.save_variant(item, "linkedin", CLEAN + " Met een foto.", by=editor)
    item = ContentItem.objects.get(pk=item.pk)
    assert item.revision == revision + 1
    assert item.state == State.IN_REVIEW
    statuses = actions.approval_status(item)
    assert [s.complete for s in statuses] == [False, False]
    assert actions.current_step(statuses).name == "Redactie"
    # The manager's step is not reached: the editor's approval no longer counts.
    assert refused_code(lambda: actions.decide(item, by=manager, decision=Decision.APPROVE)) == (
        "not_your_step"
    )
    # The editor approves the new version again (one decision per person per version).
    actions.decide(item, by=editor, decision=Decision.APPROVE)
    actions.decide(item, by=manager, decision=Decision.APPROVE)
    assert state_of(item) == State.APPROVED
    assert Approval.objects.filter(item=item).count() == 3


@pytest.mark.django_db
def test_an_approved_item_that_changes_goes_back_to_draft(cast, goal_key):
    editor = cast.a[Role.EDITOR]
    item = in_review(cast, goal_key)
    actions.decide(item, by=cast.a[Role.MANAGER], decision=Decision.APPROVE)
    assert state_of(item) == State.APPROVED

    actions.save_variant(item, "instagram", "Ook op Instagram.", by=editor)
    item = ContentItem.objects.get(pk=item.pk)
    assert item.state == State.DRAFT
    assert not actions.approval_status(item)[0].complete
    assert Transition.objects.filter(item=item).last().to_state == State.DRAFT


# --- a blocked item -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_item_is_never_approved(client, cast, goal_key):
    editor, owner, manager = cast.a[Role.EDITOR], cast.a[Role.OWNER], cast.a[Role.MANAGER]
    item = in_review(cast, goal_key)
    actions.save_variant(item, "linkedin", BLOCKING, by=editor)
    item = ContentItem.objects.get(pk=item.pk)
    assert item.state == State.IN_REVIEW and item.variants.get().is_blocked

    assert refused_code(lambda: actions.decide(item, by=manager, decision=Decision.APPROVE)) == (
        "blocked"
    )
    # Even with the approvals in place (as if one slipped in), the item stays unapproved.
    Approval.objects.create(
        organisation=item.organisation,
        item=item,
        revision=item.revision,
        decision=Decision.APPROVE,
        by=manager.user,
    )
    assert actions.approval_status(item)[0].complete
    assert refused_code(lambda: actions.transition_item(item, State.APPROVED, by=owner)) == (
        "blocked"
    )

    client.force_login(owner.user)
    response = client.post(
        reverse("content:transition", args=[cast.a.org.slug, item.pk]), {"target": "approved"}
    )
    assert response.status_code in (302, 409), response.status_code
    assert any("A guideline blocks this item" in text for text in texts(response))
    assert state_of(item) == State.IN_REVIEW

    _row, token = make_token(owner)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api = client.post(
        f"/api/v1/content/items/{item.pk}/transition",
        data={"to": "approved"},
        content_type="application/json",
        **auth,
    )
    assert api.status_code == 409 and api.json()["code"] == "blocked"
    api = client.post(
        f"/api/v1/content/items/{item.pk}/decision",
        data={"decision": "approve"},
        content_type="application/json",
        **auth,
    )
    assert api.status_code == 409 and api.json()["code"] == "blocked"
    assert state_of(item) == State.IN_REVIEW
    assert not AuditEvent.objects.filter(action=Action.CONTENT_APPROVED).exists()


# --- the approval rules page --------------------------------------------------------------


@pytest.mark.django_db
def test_managing_the_approval_rules(client, cast):
    org = cast.a.org
    url = reverse("content:approval_rules", args=[org.slug])
    client.force_login(cast.a[Role.EDITOR].user)
    assert client.get(url).status_code == 403

    client.force_login(cast.a[Role.STRATEGIST].user)
    page = client.get(url)
    assert page.status_code == 200
    assert "one approval by anyone who may approve" in page.content.decode()

    for name, approver, condition in (
        ("Redactie", Role.EDITOR, Condition.ALWAYS),
        ("Juridisch", Role.MANAGER, Condition.PRODUCT_CLAIM),
        ("Klant", EXTERNAL, Condition.PAID),
    ):
        response = client.post(
            url, {"name": name, "approver": approver, "mode": Mode.ANY, "condition": condition}
        )
        assert response.status_code == 302
    missing = client.post(url, {"name": "", "approver": Role.EDITOR, "mode": "any"})
    assert missing.status_code == 400
    names = lambda: list(ApprovalStep.objects.for_org(org).values_list("name", flat=True))  # noqa: E731
    assert names() == ["Redactie", "Juridisch", "Klant"]
    page = client.get(url).content.decode()
    assert "Items with a product claim" in page and "External reviewer" in page

    klant = ApprovalStep.objects.get(name="Klant")
    move = reverse("content:approval_rule_move", args=[org.slug, klant.pk])
    client.post(move, {"direction": "up"})
    assert names() == ["Redactie", "Klant", "Juridisch"]
    client.post(move, {"direction": "up"})
    client.post(move, {"direction": "up"})  # already first: nothing changes
    assert names() == ["Klant", "Redactie", "Juridisch"]
    client.post(move, {"direction": "down"})
    assert names() == ["Redactie", "Klant", "Juridisch"]

    juridisch = ApprovalStep.objects.get(name="Juridisch")
    client.post(reverse("content:approval_rule_delete", args=[org.slug, juridisch.pk]))
    assert names() == ["Redactie", "Klant"]
    assert list(ApprovalStep.objects.for_org(org).values_list("position", flat=True)) == [1, 2]
    # 3 added, 3 moves that changed something, 1 deleted.
    assert AuditEvent.objects.filter(action=Action.APPROVAL_RULES_CHANGED).count() == 7

    # Another organisation's step is not found.
    other = ApprovalStep.objects.create(organisation=cast.b.org, name="B", approver=Role.EDITOR)
    response = client.post(reverse("content:approval_rule_delete", args=[org.slug, other.pk]))
    assert response.status_code == 404 and ApprovalStep.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_only_rule_managers_change_steps_through_the_actions(cast):
    with pytest.raises(TransitionRefused):
        actions.add_approval_step(
            cast.a.org, by=cast.a[Role.EDITOR], name="Ik", approver=Role.EDITOR
        )
    assert not ApprovalStep.objects.exists()


# --- races (PostgreSQL) -------------------------------------------------------------------


def _race(*calls):
    """Run the calls at the same moment in threads, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except (TransitionRefused, ValidationError) as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (the second CI pass)"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_approve_exactly_once(cast, goal_key):
    second = make_member(cast.a.org, Role.MANAGER, email="manager2@org-a.example")
    add_step(cast, "Directie", Role.MANAGER, mode=Mode.ALL)
    item = in_review(cast, goal_key)

    errors = _race(
        lambda: actions.decide(item, by=cast.a[Role.MANAGER], decision=Decision.APPROVE),
        lambda: actions.decide(item, by=second, decision=Decision.APPROVE),
    )
    assert errors == []
    assert state_of(item) == State.APPROVED
    assert Approval.objects.filter(item=item).count() == 2
    assert Transition.objects.filter(item=item, to_state=State.APPROVED).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_blocking_change_during_an_approval_never_ends_approved(cast, goal_key):
    editor, manager = cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    for round in range(5):
        item = in_review(cast, goal_key, title=f"Ronde {round}")
        _race(
            lambda: actions.save_variant(item, "linkedin", BLOCKING, by=editor),  # noqa: B023
            lambda: actions.decide(item, by=manager, decision=Decision.APPROVE),  # noqa: B023
        )
        item = ContentItem.objects.get(pk=item.pk)
        blocked = any(c.result.blocked for c in actions.check_item(item))
        assert blocked, "the editor's change always lands"
        assert item.state != State.APPROVED, f"round {round}: approved with a BSN"
        # Either the approval came first and lapsed, or it was refused.
        assert item.state in (State.DRAFT, State.IN_REVIEW)

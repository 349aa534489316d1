"""The content pipeline in the REST API: items, transitions and decisions, inside the
token's organisation and with the token member's role."""

import json

import pytest

from koers.content import actions
from koers.content.models import Approval, ApprovalStep, ContentItem, State
from koers.orgs.capabilities import Role
from koers.tests.cast import make_strategy, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_key(cast):
    return make_strategy(cast.a.org).items["published"]["social-goal"].key


def in_review(cast, goal_key, *, title="Klantverhaal", text="Een blije klant vertelt."):
    editor = cast.a[Role.EDITOR]
    item = actions.create_item(cast.a.org, by=editor, title=title, goal_key=goal_key)
    actions.save_variant(item, "linkedin", text, by=editor)
    return actions.transition_item(item, State.IN_REVIEW, by=editor)


def call(client, membership, method, path, body=None):
    _row, token = make_token(membership)
    return client.generic(
        method,
        "/api/v1/content" + path,
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def state_of(item) -> str:
    return ContentItem.objects.get(pk=item.pk).state


def test_list_items_with_a_state_filter(client, cast, goal_key):
    review = in_review(cast, goal_key)
    draft = actions.create_item(cast.a.org, by=cast.a[Role.EDITOR], title="Concept")
    idea = actions.submit_idea(cast.a.org, by=cast.a[Role.EMPLOYEE], title="Idee van Sam")
    actions.create_item(cast.b.org, by=cast.b[Role.EDITOR], title="Van B")

    response = call(client, cast.a[Role.MANAGER], "GET", "/items")
    assert response.status_code == 200
    rows = response.json()
    assert {r["id"] for r in rows} == {review.pk, draft.pk, idea.pk}
    row = next(r for r in rows if r["id"] == review.pk)
    assert row == {
        "id": review.pk,
        "title": "Klantverhaal",
        "state": "in_review",
        "goal_key": str(goal_key),
        "credit": "",
        "scheduled_at": None,
        "channels": ["linkedin"],
        "revision": review.revision,
    }
    credit = next(r for r in rows if r["id"] == idea.pk)["credit"]
    assert credit == idea.credit and credit

    only = call(client, cast.a[Role.MANAGER], "GET", "/items?state=in_review").json()
    assert [r["id"] for r in only] == [review.pk]
    assert call(client, cast.a[Role.MANAGER], "GET", "/items?state=nonsense").status_code == 422
    # An employee does not see the pipeline.
    assert call(client, cast.a[Role.EMPLOYEE], "GET", "/items").status_code == 403


def test_item_detail_with_variants_and_approval_status(client, cast, goal_key):
    ApprovalStep.objects.create(
        organisation=cast.a.org, position=1, name="Redactie", approver=Role.EDITOR
    )
    ApprovalStep.objects.create(
        organisation=cast.a.org, position=2, name="Directie", approver=Role.MANAGER
    )
    item = in_review(cast, goal_key)
    actions.decide(item, by=cast.a[Role.EDITOR], decision="approve", comment="Prima")

    response = call(client, cast.a[Role.ADVISOR], "GET", f"/items/{item.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["variants"] == [
        {
            "channel": "linkedin",
            "text": "Een blije klant vertelt.",
            "is_blocked": False,
            "warning_count": 0,
            "is_over_limit": False,
        }
    ]
    approval = data["approval"]
    assert approval["complete"] is False and approval["current_step"] == "Directie"
    first, second = approval["steps"]
    assert (first["name"], first["complete"], second["complete"]) == ("Redactie", True, False)
    assert first["approvals"][0]["comment"] == "Prima"
    assert first["approvals"][0]["by"] == (
        cast.a[Role.EDITOR].user.name or cast.a[Role.EDITOR].user.email
    )


def test_a_blocked_item_is_refused_with_409_and_a_code(client, cast, goal_key):
    item = in_review(cast, goal_key)
    actions.save_variant(item, "linkedin", "Mijn BSN is 111222333.", by=cast.a[Role.EDITOR])
    response = call(
        client, cast.a[Role.OWNER], "POST", f"/items/{item.pk}/transition", {"to": "approved"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "blocked"
    assert "A guideline blocks this item" in response.json()["detail"]
    assert state_of(item) == State.IN_REVIEW


def test_a_transition_through_the_api(client, cast, goal_key):
    editor = cast.a[Role.EDITOR]
    item = actions.create_item(cast.a.org, by=editor, title="Concept", goal_key=goal_key)
    actions.save_variant(item, "linkedin", "Een blije klant vertelt.", by=editor)
    response = call(client, editor, "POST", f"/items/{item.pk}/transition", {"to": "in_review"})
    assert response.status_code == 200 and response.json()["state"] == "in_review"
    assert state_of(item) == State.IN_REVIEW
    # An advisor reads the pipeline but may not move items.
    refused = call(
        client, cast.a[Role.ADVISOR], "POST", f"/items/{item.pk}/transition", {"to": "draft"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    missing = call(client, editor, "POST", f"/items/{item.pk}/transition", {"to": "approved"})
    assert missing.status_code == 409 and missing.json()["code"] == "approvals_missing"
    assert state_of(item) == State.IN_REVIEW


def test_a_decision_through_the_api(client, cast, goal_key):
    item = in_review(cast, goal_key)
    path = f"/items/{item.pk}/decision"
    no_comment = call(client, cast.a[Role.MANAGER], "POST", path, {"decision": "reject"})
    assert no_comment.status_code == 422 and state_of(item) == State.IN_REVIEW

    response = call(client, cast.a[Role.MANAGER], "POST", path, {"decision": "approve"})
    assert response.status_code == 200
    assert response.json()["state"] == "approved" and response.json()["approval"]["complete"]
    assert state_of(item) == State.APPROVED

    again = call(client, cast.a[Role.EDITOR], "POST", path, {"decision": "approve"})
    assert again.status_code == 409 and again.json()["code"] == "not_in_review"


def test_the_wrong_step_is_403(client, cast, goal_key):
    ApprovalStep.objects.create(organisation=cast.a.org, name="Redactie", approver=Role.EDITOR)
    item = in_review(cast, goal_key)
    response = call(
        client, cast.a[Role.MANAGER], "POST", f"/items/{item.pk}/decision", {"decision": "approve"}
    )
    assert response.status_code == 403 and response.json()["code"] == "not_your_step"
    assert not Approval.objects.exists()


def test_an_employee_token_cannot_decide(client, cast, goal_key):
    item = in_review(cast, goal_key)
    response = call(
        client, cast.a[Role.EMPLOYEE], "POST", f"/items/{item.pk}/decision", {"decision": "approve"}
    )
    assert response.status_code == 403
    assert state_of(item) == State.IN_REVIEW and not Approval.objects.exists()


def test_another_organisations_item_is_not_found(client, cast, goal_key):
    item = in_review(cast, goal_key)
    outsider = cast.outsider
    assert call(client, outsider, "GET", f"/items/{item.pk}").status_code == 404
    for path, body in (
        (f"/items/{item.pk}/decision", {"decision": "approve"}),
        (f"/items/{item.pk}/transition", {"to": "draft"}),
    ):
        assert call(client, outsider, "POST", path, body).status_code == 404
    assert state_of(item) == State.IN_REVIEW and not Approval.objects.exists()
    assert item.pk not in {r["id"] for r in call(client, outsider, "GET", "/items").json()}

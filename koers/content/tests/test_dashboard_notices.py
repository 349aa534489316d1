"""The overview tells a member what the content pipeline is waiting for from them."""

from django.urls import reverse

from koers.content import actions
from koers.content.models import ApprovalStep, RoleTask, State
from koers.orgs.capabilities import Role
from koers.tests.cast import make_strategy


def _dashboard(client, membership) -> str:
    client.force_login(membership.user)
    return client.get(
        reverse("home:dashboard", args=[membership.organisation.slug])
    ).content.decode()


def test_a_due_role_task_shows_on_the_overview_until_it_is_done(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    task = RoleTask.objects.create(organisation=cast.a.org, title="Meld een compliment")
    assert "You have 1 small task for social media waiting." in _dashboard(client, employee)
    actions.complete_task(employee, task)
    assert "small task for social media" not in _dashboard(client, employee)
    # Advisors have no role tasks.
    assert "small task" not in _dashboard(client, cast.a[Role.ADVISOR])


def test_the_manager_sees_items_waiting_for_their_step_only_when_it_is_theirs(client, cast):
    org = cast.a.org
    goal = make_strategy(org).items["published"]["social-goal"]
    editor, manager = cast.a[Role.EDITOR], cast.a[Role.MANAGER]
    ApprovalStep.objects.create(organisation=org, position=1, name="Redactie", approver="editor")
    ApprovalStep.objects.create(
        organisation=org, position=2, name="Directie", approver="manager", condition="product_claim"
    )
    item = actions.create_item(org, by=editor, title="Nieuwe prijs", goal_key=goal.key)
    actions.update_item(item, by=editor, has_product_claim=True)
    actions.save_variant(item, "linkedin", "Onze nieuwe prijs is scherp.", by=editor)
    actions.transition_item(item, State.IN_REVIEW, by=editor)

    assert "waiting for your approval" not in _dashboard(client, manager)
    assert "1 item is waiting for your approval." in _dashboard(client, editor)

    actions.decide(item, by=editor, decision="approve")
    assert "1 item is waiting for your approval." in _dashboard(client, manager)
    assert "waiting for your approval" not in _dashboard(client, editor)

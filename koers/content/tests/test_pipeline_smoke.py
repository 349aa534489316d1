"""The pipeline end to end at the level of actions: idea → draft → blocked → fixed →
in review → approved → scheduled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from koers.content import actions
from koers.content.models import Decision, State
from koers.content.workflow import TransitionRefused
from koers.orgs.capabilities import Role
from koers.tests.cast import make_strategy


@pytest.mark.django_db
def test_idea_to_scheduled_post(cast):
    org = cast.a.org
    strategy = make_strategy(org)
    goal = strategy.items["published"]["social-goal"]
    employee, editor, manager = cast.a[Role.EMPLOYEE], cast.a[Role.EDITOR], cast.a[Role.MANAGER]

    item = actions.submit_idea(org, by=employee, title="Klant blij", idea="Compliment")
    assert item.state == State.IDEA and item.submitted_by == employee.user

    actions.transition_item(item, State.DRAFT, by=editor)
    actions.update_item(item, by=editor, goal_key=goal.key)
    actions.save_variant(item, "linkedin", "Bel ons, BSN 111222333.", by=editor)
    with pytest.raises(TransitionRefused) as refused:
        actions.transition_item(item, State.IN_REVIEW, by=editor)
    assert refused.value.code == "blocked"

    actions.save_variant(item, "linkedin", "Een blije klant vertelt.", by=editor)
    actions.transition_item(item, State.IN_REVIEW, by=editor)
    actions.decide(item, by=manager, decision=Decision.APPROVE)
    item.refresh_from_db()
    assert item.state == State.APPROVED

    actions.reschedule_item(item, timezone.now() + timedelta(days=2), by=editor)
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    assert item.credit == (employee.user.name or employee.user.email)
    states = list(item.transitions.values_list("to_state", flat=True))
    assert states == ["idea", "draft", "in_review", "approved", "scheduled"]


@pytest.mark.django_db
def test_the_pipeline_badges_follow_a_changed_guideline_library(cast, sent_after_commit):
    from koers.content.models import Variant
    from koers.guidelines.actions import update_guideline
    from koers.tests.cast import make_guideline

    editor = cast.a[Role.EDITOR]
    item = actions.create_item(cast.a.org, by=editor, title="Vooruitblik")
    actions.save_variant(item, "linkedin", "Binnenkort: Project Zeemeeuw!", by=editor)
    variant = Variant.objects.get(item=item)
    assert not variant.is_blocked

    with sent_after_commit():
        guideline = make_guideline(cast.a.org, terms="Project Zeemeeuw", severity="block")
    variant.refresh_from_db()
    assert variant.is_blocked

    with sent_after_commit():
        update_guideline(guideline, by=None, severity="warn")
    variant.refresh_from_db()
    assert not variant.is_blocked and variant.warning_count == 1

"""The content demo: a month of content around today in every state, built through the
real actions, and the same on every refresh."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from koers.content import actions
from koers.content.models import (
    ContentItem,
    GuidelineOverride,
    MixTarget,
    RoleTask,
    State,
    TaskCompletion,
    Transition,
    Variant,
)
from koers.orgs import demo
from koers.orgs.capabilities import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def org(django_db_setup, django_db_blocker):
    """The demo, built once for the module (it takes seconds): the tests below only
    read it (one builds it again inside its own transaction, which is rolled back)."""
    with django_db_blocker.unblock():
        yield demo.refresh_demo()
        demo.remove_demo()


def _items(org):
    return ContentItem.objects.for_org(org)


def test_every_state_is_there(org):
    states = Counter(_items(org).values_list("state", flat=True))
    assert set(states) == set(State.values), states
    assert states[State.IDEA] >= 4


def test_ideas_come_from_different_colleagues_and_some_suggest_a_goal(org):
    submitters = set(
        _items(org).filter(submitted_by__isnull=False).values_list("submitted_by", flat=True)
    )
    assert len(submitters) >= 6
    ideas = _items(org).filter(state=State.IDEA)
    assert ideas.filter(goal_key__isnull=False).exists()
    assert ideas.filter(goal_key__isnull=True).exists()
    rejected = _items(org).get(state=State.REJECTED)
    assert rejected.rejection_reason and rejected.submitted_by_id
    # Ideas that became posts keep their colleague's credit.
    assert _items(org).filter(state=State.PUBLISHED, submitted_by__isnull=False).exists()


def test_every_item_past_the_idea_has_a_goal_of_the_published_strategy(org):
    choices = actions.strategy_choices(org)
    for item in _items(org).exclude(state=State.IDEA):
        assert actions.has_goal(item, choices), item.title


def test_no_text_is_blocked_or_too_long(org):
    variants = Variant.objects.filter(organisation=org)
    assert variants.count() >= 30
    assert not variants.filter(is_blocked=True).exists()
    assert not variants.filter(is_over_limit=True).exists()
    # Checked again against the organisation's guidelines as they are now.
    for item in _items(org).exclude(state=State.IDEA):
        state = actions.guideline_state(item)
        assert not state.blocked and not state.over_limit, item.title
        assert set(item.variants.values_list("channel", flat=True)) <= {
            "linkedin",
            "instagram",
            "facebook",
        }


def test_a_draft_goes_ahead_despite_a_warning_with_a_reason(org):
    override = GuidelineOverride.objects.get(organisation=org)
    assert override.item.state == State.DRAFT and override.reason
    assert override.revision == override.item.revision
    assert actions.guideline_state(override.item).open_warnings == []


def test_review_follows_the_approval_rule(org):
    steps = [(s.name, s.approver, s.condition) for s in org.approval_steps.all()]
    assert steps == [
        ("Redactie", Role.EDITOR, "always"),
        ("Management bij productclaims", Role.MANAGER, "product_claim"),
    ]
    waiting = {
        item.title: actions.current_step(actions.approval_status(item)).name
        for item in _items(org).filter(state=State.IN_REVIEW)
    }
    assert set(waiting.values()) == {"Redactie", "Management bij productclaims"}


def test_the_calendar_fills_the_next_weeks_and_the_past_two(org):
    now = timezone.now()
    scheduled = _items(org).filter(state=State.SCHEDULED)
    assert all(now < item.scheduled_at < now + timedelta(days=30) for item in scheduled)
    assert scheduled.filter(scheduled_at__lte=now + timedelta(days=7)).exists()
    assert scheduled.filter(scheduled_at__gte=now + timedelta(days=14)).exists()
    series = _items(org).get(repeat="weekly")
    assert (series.repeat_count, series.occurrences.count()) == (3, 3)
    out = _items(org).filter(state__in=(State.PUBLISHED, State.MEASURED))
    assert out.count() >= 4
    for item in out:
        assert now - timedelta(days=14) <= item.published_at < now, item.title
        assert item.scheduled_at == item.published_at
    # The history is in the past, in order.
    for item in _items(org).exclude(series__isnull=False):
        moments = list(item.transitions.values_list("at", flat=True))
        assert moments == sorted(moments) and moments[-1] < now, item.title


def test_the_evergreen_queue_and_the_mix(org):
    assert _items(org).evergreen_queue().count() == 2
    assert _items(org).filter(series__is_evergreen=True, state=State.SCHEDULED).exists()
    assert sum(MixTarget.objects.filter(organisation=org).values_list("share", flat=True)) == 100
    rows = actions.goal_mix(org, timezone.localdate() - timedelta(days=14), timezone.localdate())
    assert sum(row.published for row in rows) >= 4


def test_role_tasks_with_completions(org):
    tasks = {t.title: t for t in RoleTask.objects.for_org(org)}
    assert set(tasks) == {
        "Werk je LinkedIn-profiel bij",
        "Meld één klantcompliment",
        "Deel één bericht van de organisatie",
    }
    assert tasks["Meld één klantcompliment"].role == Role.EMPLOYEE
    rates = actions.role_task_rates(org)
    assert all(0 < rate.done < rate.members for rate in rates), [
        (r.task.title, r.done, r.members) for r in rates
    ]
    employee = org.memberships.filter(role=Role.EMPLOYEE).first()
    assert actions.tasks_for(employee)


def _snapshot(org):
    return (
        sorted(
            (
                item.title,
                item.state,
                item.revision,
                tuple(sorted(item.variants.values_list("channel", flat=True))),
                item.transitions.count(),
            )
            for item in _items(org)
        ),
        TaskCompletion.objects.filter(organisation=org).count(),
        Transition.objects.filter(organisation=org).count(),
        GuidelineOverride.objects.filter(organisation=org).count(),
        sorted(MixTarget.objects.filter(organisation=org).values_list("share", flat=True)),
    )


def test_building_again_gives_the_same_content(org):
    first = _snapshot(org)
    again = demo.refresh_demo()
    assert _snapshot(again) == first
    assert ContentItem.objects.filter(organisation__slug=demo.DEMO_SLUG).count() == len(first[0])

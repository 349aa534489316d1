"""The strategy's rules: wizard, drafts, items, publishing, sign-off, diff, SMART."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.strategy import actions, smart
from koers.strategy.diff import diff
from koers.strategy.models import (
    BusinessGoal,
    Kpi,
    SocialGoal,
    Status,
    StrategyVersion,
    snapshot,
)
from koers.strategy.playbook_types import DISCIPLINES
from koers.strategy.playbooks import get_playbook
from koers.tests.cast import make_strategy

pytestmark = pytest.mark.django_db


def _wizard(cast, discipline="customer_intimacy", language="nl", **overrides):
    values = {
        "by": cast.a[Role.OWNER].user,
        "primary_discipline": discipline,
        "business_goals": ["Meer vaste klanten", "Groei in Duitsland"],
        "language": language,
    }
    values.update(overrides)
    return actions.run_wizard(cast.a.org, **values)


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_the_wizard_proposes_the_playbook_of_each_discipline(cast, discipline):
    draft = _wizard(cast, discipline)
    playbook = get_playbook(discipline)
    assert draft.is_draft and draft.primary_discipline == discipline
    titles = list(draft.socialgoals.values_list("title", flat=True))
    assert titles == [goal.title.nl for goal in playbook.social_goals]
    assert draft.kpis.count() == sum(len(goal.kpis) for goal in playbook.social_goals)
    assert draft.channels.count() == len(playbook.channels)
    assert draft.contentpillars.count() == len(playbook.pillars)
    assert draft.audiences.count() == len(playbook.audiences)
    assert draft.webcare_role == playbook.webcare_role.nl
    assert list(draft.businessgoals.values_list("title", flat=True)) == [
        "Meer vaste klanten",
        "Groei in Duitsland",
    ]
    for kpi in draft.kpis.all():
        kpi.full_clean()  # every proposal is valid as it stands


def test_the_wizard_speaks_english_and_adds_the_secondary_discipline(cast):
    draft = _wizard(cast, "operational_excellence", "en", secondary_discipline="product_leadership")
    primary, secondary = get_playbook("operational_excellence"), get_playbook("product_leadership")
    titles = list(draft.socialgoals.values_list("title", flat=True))
    assert titles == [g.title.en for g in primary.social_goals] + [
        secondary.social_goals[0].title.en
    ]
    first_response = draft.kpis.get(playbook_key="oe_first_response")
    assert (first_response.source, first_response.measure, first_response.target) == (
        "koers",
        "webcare.first_response_minutes",
        Decimal("60.00"),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"business_goals": ["  ", ""]}, "business_goals"),
        ({"secondary_discipline": "customer_intimacy"}, "secondary_discipline"),
    ],
)
def test_the_wizard_refuses_bad_input_and_writes_nothing(cast, overrides, field):
    with pytest.raises(ValidationError) as error:
        _wizard(cast, **overrides)
    assert field in error.value.message_dict
    assert not StrategyVersion.objects.filter(organisation=cast.a.org).exists()


def test_one_draft_at_a_time(cast):
    _wizard(cast)
    with pytest.raises(ValidationError, match="already a draft"):
        actions.start_draft(cast.a.org, by=cast.a[Role.OWNER].user)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.create(organisation=cast.a.org, number=9)


def test_a_new_draft_copies_the_published_version_and_keeps_keys(cast):
    strategy = make_strategy(cast.a.org)
    strategy.draft.delete()
    draft = actions.start_draft(cast.a.org, by=cast.a[Role.OWNER].user)
    assert draft.number == 2, "a discarded draft's number is free again"
    old, new = snapshot(strategy.published), snapshot(draft)
    for section in ("business_goals", "social_goals", "kpis", "audiences", "channels", "pillars"):
        assert [i["key"] for i in old[section]] == [i["key"] for i in new[section]], section
    assert diff(old, new) == []
    assert AuditEvent.objects.filter(action=Action.STRATEGY_DRAFTED).exists()


def test_copy_keeps_sub_goals_inside_the_new_version(cast):
    strategy = make_strategy(cast.a.org)
    parent = strategy.items["published"]["social-goal"]
    SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.published,
        business_goal=parent.business_goal,
        parent=parent,
        title="Sub",
    )
    strategy.draft.delete()
    draft = actions.start_draft(cast.a.org, by=None)
    sub = draft.socialgoals.get(title="Sub")
    assert sub.parent.version == draft and sub.parent.key == parent.key


def test_kpi_period_must_end_after_it_starts(cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    kpi.period_start, kpi.period_end = date(2026, 6, 1), date(2026, 1, 1)
    with pytest.raises(ValidationError) as error:
        actions.save_item(kpi, by=None)
    assert "period_end" in error.value.message_dict
    kpi.refresh_from_db()
    assert kpi.period_end is None


def test_a_goal_cannot_be_part_of_itself_or_its_sub_goal(cast):
    strategy = make_strategy(cast.a.org)
    goal = strategy.items["draft"]["social-goal"]
    goal.parent = goal
    with pytest.raises(ValidationError, match="cannot be part of itself"):
        actions.save_item(goal, by=None)
    child = SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.draft,
        business_goal=goal.business_goal,
        parent=None,
        title="Kind",
    )
    child.parent = SocialGoal.objects.get(pk=goal.pk)
    actions.save_item(child, by=None)
    goal = SocialGoal.objects.get(pk=goal.pk)
    goal.parent = child
    with pytest.raises(ValidationError, match="its own sub-goals"):
        actions.save_item(goal, by=None)


def test_items_only_link_within_their_own_version(cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    kpi.social_goal = strategy.items["published"]["social-goal"]
    with pytest.raises(ValidationError) as error:
        actions.save_item(kpi, by=None)
    assert "social_goal" in error.value.message_dict


def test_measured_by_koers_needs_a_measurement(cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    kpi.source, kpi.measure = "koers", ""
    with pytest.raises(ValidationError) as error:
        actions.save_item(kpi, by=None)
    assert "measure" in error.value.message_dict


def test_published_versions_cannot_be_changed(cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["published"]["kpi"]
    kpi.target = Decimal("1")
    with pytest.raises(ValidationError, match="Only a draft can be changed"):
        actions.save_item(kpi, by=None)
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.delete_item(kpi, by=None)


def test_deleting_a_goal_with_children_is_refused(cast):
    strategy = make_strategy(cast.a.org)
    with pytest.raises(ValidationError, match="Move or delete the KPIs"):
        actions.delete_item(strategy.items["draft"]["social-goal"], by=None)
    with pytest.raises(ValidationError, match="Move or delete the social goals"):
        actions.delete_item(strategy.items["draft"]["business-goal"], by=None)


def test_publishing_lists_every_reason_and_publishes_nothing(cast):
    draft = actions.start_draft(cast.a.org, by=None)
    with pytest.raises(ValidationError) as error:
        actions.publish_version(draft, by=None)
    assert error.value.messages == [
        "Choose the value discipline.",
        "Add at least one business goal.",
        "Add at least one social goal.",
    ]
    goal = BusinessGoal.objects.create(organisation=cast.a.org, version=draft, title="Groei")
    social = SocialGoal.objects.create(
        organisation=cast.a.org, version=draft, business_goal=goal, title="Sneller antwoorden"
    )
    SocialGoal.objects.create(
        organisation=cast.a.org, version=draft, business_goal=goal, title="Zonder KPI"
    )
    Kpi.objects.create(
        organisation=cast.a.org,
        version=draft,
        social_goal=social,
        name="Eerste reactie",
        unit="minuten",
    )
    draft.primary_discipline = "operational_excellence"
    draft.save()
    with pytest.raises(ValidationError) as error:
        actions.publish_version(draft, by=None)
    assert error.value.messages == [
        "The social goal “Zonder KPI” has no KPI.",
        "The KPI “Eerste reactie” has no target.",
    ]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_publishing_archives_the_previous_version(cast):
    strategy = make_strategy(cast.a.org)
    owner = cast.a[Role.OWNER].user
    published = actions.publish_version(strategy.draft, by=owner, change_note="Nieuw doel")
    assert published.status == Status.PUBLISHED and published.published_by == owner
    strategy.published.refresh_from_db()
    assert strategy.published.status == Status.ARCHIVED
    assert actions.current_version(cast.a.org) == published
    assert not published.is_signed_off, "a new version needs a new sign-off"
    event = AuditEvent.objects.get(action=Action.STRATEGY_PUBLISHED)
    assert event.details == {"change_note": "Nieuw doel"}


def test_sign_off_only_once_and_only_the_published_version(cast):
    strategy = make_strategy(cast.a.org)
    manager = cast.a[Role.MANAGER].user
    with pytest.raises(ValidationError, match="already signed off"):
        actions.sign_off_version(strategy.published, by=manager)
    with pytest.raises(ValidationError, match="Only the published strategy"):
        actions.sign_off_version(strategy.draft, by=manager)
    published = actions.publish_version(strategy.draft, by=None)
    signed = actions.sign_off_version(published, by=manager)
    assert signed.signed_off_by == manager and signed.signed_off_at
    assert AuditEvent.objects.filter(action=Action.STRATEGY_SIGNED_OFF, actor=manager).exists()


def test_the_diff_pairs_items_by_key(cast):
    strategy = make_strategy(cast.a.org)
    strategy.draft.delete()
    draft = actions.start_draft(cast.a.org, by=None)
    kpi = draft.kpis.get()
    kpi.target, kpi.name = Decimal("55"), "Ideeën van vaste klanten"
    actions.save_item(kpi, by=None)
    draft.channels.all().delete()
    goal = draft.businessgoals.get()
    new_social = SocialGoal.objects.create(
        organisation=cast.a.org, version=draft, business_goal=goal, title="Co-creatie"
    )
    kpi.social_goal = new_social
    actions.save_item(kpi, by=None)
    actions.update_profile(draft, by=None, mission="Nieuwe missie")

    changes = {
        (c.section, c.action, c.label): c
        for c in diff(snapshot(strategy.published), snapshot(draft))
    }
    assert set(changes) == {
        ("profile", "changed", "profile"),
        ("social_goals", "added", "Co-creatie"),
        ("kpis", "changed", "Ideeën van vaste klanten"),
        ("channels", "removed", "linkedin"),
    }
    fields = {
        f.field: (f.before, f.after)
        for f in changes[("kpis", "changed", "Ideeën van vaste klanten")].fields
    }
    assert fields == {
        "name": ("Ideeën van klanten", "Ideeën van vaste klanten"),
        "target": ("40", "55"),
        "social_goal": ("Klantwensen ophalen", "Co-creatie"),
    }


def test_smart_hints_are_concrete():
    facts = smart.KpiFacts(
        has_target=False,
        has_deadline=False,
        has_unit=False,
        has_measurement=True,
        has_baseline=False,
        has_owner=False,
        target_beats_baseline=None,
    )
    assert smart.hints(facts) == [
        smart.NO_TARGET,
        smart.NO_DEADLINE,
        smart.NOT_MEASURABLE,
        smart.NO_BASELINE,
        smart.NO_OWNER,
    ]
    complete = smart.KpiFacts(True, True, True, True, True, True, True)
    assert smart.hints(complete) == []
    lazy = smart.KpiFacts(True, True, True, True, True, True, False)
    assert smart.hints(lazy) == [smart.TARGET_NOT_AMBITIOUS]


def test_kpi_smart_hints_follow_direction(cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    kpi.baseline, kpi.target, kpi.direction = Decimal("60"), Decimal("90"), "decrease"
    assert smart.TARGET_NOT_AMBITIOUS in kpi.smart_hints()
    kpi.direction = "increase"
    assert smart.TARGET_NOT_AMBITIOUS not in kpi.smart_hints()


def test_mark_read_remembers_the_newest_version(cast):
    strategy = make_strategy(cast.a.org)
    member = cast.a[Role.EMPLOYEE]
    assert actions.mark_read(member, strategy.published) == 0
    assert actions.mark_read(member, strategy.published) == 1
    newer = actions.publish_version(strategy.draft, by=None)
    assert actions.mark_read(member, newer) == 1
    assert actions.mark_read(member, newer) == 2


def test_discarding_a_draft_removes_it_and_its_items(cast):
    strategy = make_strategy(cast.a.org)
    actions.discard_draft(strategy.draft, by=cast.a[Role.OWNER].user)
    assert not StrategyVersion.objects.filter(pk=strategy.draft.pk).exists()
    assert not Kpi.objects.filter(version_id=strategy.draft.pk).exists()
    with pytest.raises(ValidationError):
        actions.discard_draft(strategy.published, by=None)


def test_members_are_mailed_once_about_a_new_version(cast, sent_after_commit):
    from django.core import mail

    from koers.strategy.tasks import notify_published

    strategy = make_strategy(cast.a.org)
    owner = cast.a[Role.OWNER].user
    with sent_after_commit():
        version = actions.publish_version(
            strategy.draft, by=owner, change_note="Nieuwe KPI voor klantideeën"
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(m.user.email for m in cast.a.members.values() if m.user != owner)
    message = mail.outbox[0]
    assert "versie 2" in message.subject  # the organisation's language: Dutch
    assert "Nieuwe KPI voor klantideeën" in message.body
    assert f"/o/{cast.a.org.slug}/strategy/" in message.body
    assert "nog niet bekrachtigd" in message.body
    assert notify_published.call_local(version.pk) == 0, "a duplicate task mails nobody"
    assert len(mail.outbox) == len(recipients)


def test_a_goal_with_sub_goals_is_not_deleted_with_them(cast):
    strategy = make_strategy(cast.a.org)
    parent = strategy.items["draft"]["social-goal"]
    parent.kpis.all().delete()
    SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.draft,
        business_goal=parent.business_goal,
        parent=parent,
        title="Sub",
    )
    with pytest.raises(ValidationError, match="Move or delete the sub-goals"):
        actions.delete_item(parent, by=None)
    assert SocialGoal.objects.filter(version=strategy.draft, title="Sub").exists()


def test_a_sub_goal_serves_the_business_goal_of_its_parent(cast):
    strategy = make_strategy(cast.a.org)
    parent = strategy.items["draft"]["social-goal"]
    other = BusinessGoal.objects.create(
        organisation=cast.a.org, version=strategy.draft, title="Ander bedrijfsdoel"
    )
    sub = SocialGoal(
        organisation=cast.a.org,
        version=strategy.draft,
        business_goal=other,
        parent=parent,
        title="Sub",
    )
    with pytest.raises(ValidationError) as error:
        actions.save_item(sub, by=None)
    assert "parent" in error.value.message_dict

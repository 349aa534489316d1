"""Writes on the strategy: drafts, the wizard, items, publishing and sign-off.

Only a draft changes. Publishing checks the rules (with every reason listed), makes the
draft the version everyone sees, and archives the one before. Sign-off by an owner or
manager is recorded on a published version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.strategy import smart
from koers.strategy.models import (
    Audience,
    BusinessGoal,
    Channel,
    ContentPillar,
    Kpi,
    SocialGoal,
    Status,
    StrategyReader,
    StrategyVersion,
)
from koers.strategy.playbooks import get_playbook

ITEM_MODELS = (BusinessGoal, SocialGoal, Kpi, Audience, Channel, ContentPillar)
PROFILE_FIELDS = ("mission", "vision", "primary_discipline", "secondary_discipline", "webcare_role")


def current_version(organisation) -> StrategyVersion | None:
    return StrategyVersion.objects.for_org(organisation).published().first()


def current_draft(organisation) -> StrategyVersion | None:
    return StrategyVersion.objects.for_org(organisation).draft().first()


def _new_draft(organisation, *, by) -> StrategyVersion:
    # Lock the organisation: two people starting a draft at once must get one draft and
    # one clear message, not a constraint error.
    type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
    if current_draft(organisation) is not None:
        raise ValidationError(_("There is already a draft. Continue with it, or discard it first."))
    latest = StrategyVersion.objects.for_org(organisation).aggregate(n=Max("number"))["n"]
    return StrategyVersion.objects.create(
        organisation=organisation, number=(latest or 0) + 1, created_by=by
    )


@transaction.atomic
def start_draft(organisation, *, by, request=None) -> StrategyVersion:
    """A new draft: a copy of the published version, or empty when there is none."""
    draft = _new_draft(organisation, by=by)
    published = current_version(organisation)
    if published is not None:
        _copy_into(published, draft)
    record_event(
        organisation,
        action=Action.STRATEGY_DRAFTED,
        by=by,
        request=request,
        target=f"v{draft.number}",
    )
    return draft


def _copy_into(source: StrategyVersion, draft: StrategyVersion) -> None:
    """Copy profile and items, keeping every item's key (its identity across versions)."""
    for name in PROFILE_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.save(update_fields=list(PROFILE_FIELDS))
    goals = {}
    for goal in source.businessgoals.all():
        old_pk = goal.pk
        goal.pk, goal.id, goal.version = None, None, draft
        goal.save()
        goals[old_pk] = goal
    social = {}
    originals = list(source.socialgoals.all())
    for item in originals:
        old_pk, parent_pk = item.pk, item.parent_id
        item.pk, item.id, item.version = None, None, draft
        item.business_goal = goals[item.business_goal_id]
        item.parent = None
        item.save()
        social[old_pk] = (item, parent_pk)
    for item, parent_pk in social.values():
        if parent_pk:
            item.parent = social[parent_pk][0]
            item.save(update_fields=["parent"])
    for kpi in source.kpis.all():
        kpi.pk, kpi.id, kpi.version = None, None, draft
        kpi.social_goal = social[kpi.social_goal_id][0]
        kpi.save()
    for model in (Audience, Channel, ContentPillar):
        for item in model.objects.filter(version=source):
            item.pk, item.id, item.version = None, None, draft
            item.save()


@transaction.atomic
def run_wizard(
    organisation,
    *,
    by,
    primary_discipline: str,
    secondary_discipline: str = "",
    mission: str = "",
    vision: str = "",
    business_goals: list[str],
    language: str,
    request=None,
) -> StrategyVersion:
    """A new draft proposed from the playbook of the value discipline.

    The playbook's social goals serve the first business goal; the user moves them
    where they belong. A secondary discipline adds its first social goal. Everything
    stays editable.
    """
    titles = [title.strip() for title in business_goals if title.strip()]
    if not titles:
        raise ValidationError({"business_goals": _("Name at least one business goal.")})
    primary = get_playbook(primary_discipline)
    secondary = get_playbook(secondary_discipline) if secondary_discipline else None
    if secondary is not None and secondary.discipline == primary.discipline:
        raise ValidationError(
            {"secondary_discipline": _("Choose a different discipline than the first, or none.")}
        )
    draft = _new_draft(organisation, by=by)
    draft.primary_discipline = primary.discipline
    draft.secondary_discipline = secondary.discipline if secondary else ""
    draft.mission, draft.vision = mission.strip(), vision.strip()
    draft.webcare_role = primary.webcare_role.get(language)
    draft.full_clean()
    draft.save()

    goals = [
        BusinessGoal.objects.create(
            organisation=organisation, version=draft, title=title, position=n
        )
        for n, title in enumerate(titles)
    ]
    proposals = list(primary.social_goals)
    if secondary is not None:
        proposals.append(secondary.social_goals[0])
    for n, proposal in enumerate(proposals):
        goal = SocialGoal.objects.create(
            organisation=organisation,
            version=draft,
            business_goal=goals[0],
            position=n,
            title=proposal.title.get(language),
            description=proposal.description.get(language),
            playbook_key=proposal.key,
        )
        for m, kpi in enumerate(proposal.kpis):
            Kpi.objects.create(
                organisation=organisation,
                version=draft,
                social_goal=goal,
                position=m,
                name=kpi.name.get(language),
                unit=kpi.unit.get(language),
                direction=kpi.direction,
                source=kpi.source,
                measure=kpi.measure or "",
                target=kpi.suggested_target,
                playbook_key=kpi.key,
            )
    for n, audience in enumerate(primary.audiences):
        Audience.objects.create(
            organisation=organisation,
            version=draft,
            position=n,
            name=audience.name.get(language),
            description=audience.description.get(language),
        )
    for n, channel in enumerate(primary.channels):
        Channel.objects.create(
            organisation=organisation,
            version=draft,
            position=n,
            platform=channel.platform,
            purpose=channel.purpose.get(language),
        )
    for n, pillar in enumerate(primary.pillars):
        ContentPillar.objects.create(
            organisation=organisation,
            version=draft,
            position=n,
            name=pillar.name.get(language),
            description=pillar.description.get(language),
        )
    record_event(
        organisation,
        action=Action.STRATEGY_DRAFTED,
        by=by,
        request=request,
        target=f"v{draft.number}",
        details={"wizard": primary.discipline},
    )
    return draft


def _require_draft(version: StrategyVersion) -> None:
    if not version.is_draft:
        raise ValidationError(_("Only a draft can be changed. Start a new draft first."))


@transaction.atomic
def update_profile(draft: StrategyVersion, *, by, **values) -> StrategyVersion:
    _require_draft(draft)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not a profile field: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(draft, name, value)
    draft.full_clean()
    draft.save(update_fields=list(values))
    return draft


@transaction.atomic
def save_item(item, *, by):
    """Create or change one item (goal, KPI, audience…) of a draft."""
    _require_draft(item.version)
    item.organisation_id = item.version.organisation_id
    if item.pk is None and not item.position:
        last = type(item).objects.filter(version=item.version).aggregate(n=Max("position"))
        item.position = (last["n"] or 0) + 1
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_item(item, *, by) -> None:
    _require_draft(item.version)
    if isinstance(item, BusinessGoal) and item.social_goals.exists():
        raise ValidationError(
            _("Move or delete the social goals of “%(goal)s” first.") % {"goal": item.title}
        )
    if isinstance(item, SocialGoal) and item.kpis.exists():
        raise ValidationError(
            _("Move or delete the KPIs of “%(goal)s” first.") % {"goal": item.title}
        )
    if isinstance(item, SocialGoal) and item.children.exists():
        raise ValidationError(
            _("Move or delete the sub-goals of “%(goal)s” first.") % {"goal": item.title}
        )
    item.delete()


def publication_problems(draft: StrategyVersion) -> list[str]:
    """Every reason the draft cannot be published yet; empty when it can."""
    problems = []
    if not draft.primary_discipline:
        problems.append(_("Choose the value discipline."))
    if not draft.businessgoals.exists():
        problems.append(_("Add at least one business goal."))
    social = list(draft.socialgoals.all())
    if not social:
        problems.append(_("Add at least one social goal."))
    with_kpis = set(draft.kpis.values_list("social_goal_id", flat=True))
    for goal in social:
        if goal.pk not in with_kpis:
            problems.append(_("The social goal “%(goal)s” has no KPI.") % {"goal": goal.title})
    for kpi in draft.kpis.all():
        if smart.NO_TARGET in kpi.smart_hints():
            problems.append(_("The KPI “%(kpi)s” has no target.") % {"kpi": kpi.name})
    return problems


@transaction.atomic
def publish_version(
    draft: StrategyVersion, *, by, change_note: str = "", request=None
) -> StrategyVersion:
    """Make the draft the strategy everyone sees; the previous one becomes history."""
    draft = StrategyVersion.objects.select_for_update().get(pk=draft.pk)
    _require_draft(draft)
    problems = publication_problems(draft)
    if problems:
        raise ValidationError(problems)
    StrategyVersion.objects.for_org(draft.organisation).published().update(status=Status.ARCHIVED)
    draft.status = Status.PUBLISHED
    draft.published_by, draft.published_at = by, timezone.now()
    draft.change_note = change_note.strip()
    draft.save(update_fields=["status", "published_by", "published_at", "change_note"])
    record_event(
        draft.organisation,
        action=Action.STRATEGY_PUBLISHED,
        by=by,
        request=request,
        target=f"v{draft.number}",
        details={"change_note": draft.change_note},
    )
    from koers.strategy.tasks import notify_published

    transaction.on_commit(lambda: queue(notify_published, draft.pk))
    return draft


@transaction.atomic
def sign_off_version(version: StrategyVersion, *, by, request=None) -> StrategyVersion:
    """Management stands behind the published strategy: record who and when."""
    version = StrategyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise ValidationError(_("Only the published strategy can be signed off."))
    if version.is_signed_off:
        raise ValidationError(_("This version is already signed off."))
    version.signed_off_by, version.signed_off_at = by, timezone.now()
    version.save(update_fields=["signed_off_by", "signed_off_at"])
    record_event(
        version.organisation,
        action=Action.STRATEGY_SIGNED_OFF,
        by=by,
        request=request,
        target=f"v{version.number}",
    )
    return version


@transaction.atomic
def discard_draft(draft: StrategyVersion, *, by, request=None) -> None:
    _require_draft(draft)
    number = draft.number
    draft.delete()
    record_event(
        draft.organisation,
        action=Action.STRATEGY_DISCARDED,
        by=by,
        request=request,
        target=f"v{number}",
    )


def mark_read(membership, version: StrategyVersion) -> int:
    """Remember that the member read this version; returns the number read before."""
    reader, _created = StrategyReader.objects.get_or_create(
        membership=membership, defaults={"organisation": membership.organisation}
    )
    # Conditional: a slower request that read an older version must not move it back.
    StrategyReader.objects.filter(pk=reader.pk, last_read_number__lt=version.number).update(
        last_read_number=version.number
    )
    return reader.last_read_number

"""Writes on the guideline library, and the reads the rest of Koers needs from it."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.guidelines.engine import RuleSet
from koers.guidelines.models import Acknowledgement, Guideline, GuidelineVersion
from koers.orgs.capabilities import Role
from koers.orgs.models import Membership

FIELDS = (
    "title",
    "kind",
    "severity",
    "rationale",
    "example",
    "origin",
    "terms",
    "detectors",
    "allowed_domains",
    "disclosure_tags",
    "is_active",
)
# A change in these asks every member to read the guideline again.
MATERIAL = (
    "title",
    "kind",
    "severity",
    "rationale",
    "example",
    "terms",
    "detectors",
    "allowed_domains",
    "disclosure_tags",
)


def _validate(guideline: Guideline) -> None:
    guideline.full_clean()
    try:
        guideline.as_rule()
    except ValueError as error:
        field = (
            "terms"
            if "terms" in str(error)
            else ("detectors" if "detector" in str(error) else None)
        )
        message = {
            "terms": _("Give at least one term, one per line."),
            "detectors": _("Choose from the kinds of personal data offered."),
        }.get(field, str(error))
        raise ValidationError({field: message} if field else message) from None


def _freeze(guideline: Guideline, *, by, change_note: str) -> GuidelineVersion:
    return GuidelineVersion.objects.create(
        organisation=guideline.organisation,
        guideline=guideline,
        number=guideline.version,
        title=guideline.title,
        severity=guideline.severity,
        rationale=guideline.rationale,
        example=guideline.example,
        change_note=change_note.strip(),
        changed_by=by,
    )


def _recheck_content(organisation) -> None:
    """Texts in the pipeline are checked again against the changed library (after the
    commit, by the worker): their badges must not show yesterday's rules."""
    from koers.content.tasks import recheck_variants

    organisation_id = organisation.pk
    transaction.on_commit(lambda: queue(recheck_variants, organisation_id))


@transaction.atomic
def create_guideline(organisation, *, by, request=None, **values) -> Guideline:
    guideline = Guideline(organisation=organisation, **values)
    _validate(guideline)
    guideline.save()
    _freeze(guideline, by=by, change_note="")
    _recheck_content(organisation)
    record_event(
        organisation,
        action=Action.GUIDELINE_CHANGED,
        by=by,
        request=request,
        target=guideline.title,
        details={"version": 1},
    )
    return guideline


@transaction.atomic
def update_guideline(
    guideline: Guideline, *, by, change_note: str = "", request=None, **values
) -> Guideline:
    """Save changes; a material change makes a new version that members acknowledge."""
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    material = any(getattr(guideline, k) != v for k, v in values.items() if k in MATERIAL)
    for name, value in values.items():
        if name not in FIELDS:
            raise TypeError(f"Not a guideline field: {name}")
        setattr(guideline, name, value)
    _validate(guideline)
    if material:
        guideline.version += 1
    guideline.updated_at = timezone.now()
    guideline.save()
    if material:
        _freeze(guideline, by=by, change_note=change_note)
        record_event(
            guideline.organisation,
            action=Action.GUIDELINE_CHANGED,
            by=by,
            request=request,
            target=guideline.title,
            details={"version": guideline.version, "change_note": change_note},
        )
    _recheck_content(guideline.organisation)
    return guideline


def current_versions(organisation) -> list[GuidelineVersion]:
    """The latest version of every active guideline."""
    latest = (
        GuidelineVersion.objects.filter(organisation=organisation, guideline__is_active=True)
        .values("guideline")
        .annotate(n=Max("number"))
    )
    wanted = {(row["guideline"], row["n"]) for row in latest}
    versions = GuidelineVersion.objects.filter(organisation=organisation, guideline__is_active=True)
    return [v for v in versions if (v.guideline_id, v.number) in wanted]


def pending_for(membership) -> list[GuidelineVersion]:
    """Current versions this member has not acknowledged yet. Advisors work from
    outside the organisation: they read the guidelines but are not asked to sign."""
    if membership.role == Role.ADVISOR:
        return []
    done = set(
        Acknowledgement.objects.filter(membership=membership).values_list("version_id", flat=True)
    )
    return [v for v in current_versions(membership.organisation) if v.pk not in done]


@transaction.atomic
def acknowledge(membership, version: GuidelineVersion, *, request=None) -> None:
    if version.organisation_id != membership.organisation_id:
        raise ValidationError(_("This guideline is not one of your organisation's."))
    try:
        with transaction.atomic():
            Acknowledgement.objects.create(
                organisation=membership.organisation, membership=membership, version=version
            )
    except IntegrityError:
        return  # acknowledged already (a double click)


def acknowledgement_rates(organisation) -> tuple[float | None, dict[str, float]]:
    """Share of members (advisors aside) who acknowledged every current version, overall
    and per department name (None overall when there is nothing to acknowledge)."""
    versions = {v.pk for v in current_versions(organisation)}
    if not versions:
        return None, {}
    members = list(
        Membership.objects.for_org(organisation)
        .exclude(role=Role.ADVISOR)
        .select_related("department")
    )
    acknowledged = defaultdict(set)
    for membership_id, version_id in Acknowledgement.objects.filter(
        organisation=organisation, version_id__in=versions
    ).values_list("membership_id", "version_id"):
        acknowledged[membership_id].add(version_id)
    per: dict[str, list[bool]] = defaultdict(list)
    complete = []
    for member in members:
        done = acknowledged[member.pk] >= versions
        complete.append(done)
        per[member.department.name if member.department else ""].append(done)
    rates = {name: sum(flags) / len(flags) for name, flags in per.items() if name}
    return sum(complete) / len(complete), rates


_CACHE: dict[int, tuple[tuple, RuleSet]] = {}


def ruleset_for(organisation) -> RuleSet | None:
    """The compiled rules of the organisation's active guidelines (None when it has
    none). Compiled once per change of the library, per process."""
    active = Guideline.objects.for_org(organisation).active()
    latest = active.aggregate(updated=Max("updated_at"), version=Max("version"))
    stamp = (latest["updated"], latest["version"], active.count())
    cached = _CACHE.get(organisation.pk)
    if cached and cached[0] == stamp:
        return cached[1]
    guidelines = list(active)
    ruleset = RuleSet(g.as_rule() for g in guidelines) if guidelines else None
    _CACHE[organisation.pk] = (stamp, ruleset)
    return ruleset

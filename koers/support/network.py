"""The ambassador network and the maturity self-assessment: writes, and the reads the
pages need.

An ambassador starts as a *candidate* (from a survey opt-in, from activity in Koers,
proposed by the social media team, or volunteering), is *invited* to a team, and
*accepts* (active) or *declines*. The member's own profile (interests, channels) is
theirs to edit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.guidelines.actions import acknowledgement_rates
from koers.orgs.capabilities import Role
from koers.orgs.models import Department, Membership
from koers.strategy.actions import current_version
from koers.strategy.playbook_types import PLATFORMS
from koers.support import maturity
from koers.support.models import (
    Ambassador,
    AmbassadorSource,
    AmbassadorStatus,
    AmbassadorTeam,
    MaturityAssessment,
    Ticket,
    TicketStatus,
)
from koers.support.results import latest_closed, wave_results

log = logging.getLogger(__name__)

# Advisors work for the organisation from outside; they are not its ambassadors.
ELIGIBLE_ROLES = set(Role) - {Role.ADVISOR}


# --- candidates -----------------------------------------------------------------------


def sync_candidates(organisation) -> int:
    """Make a candidate of every member who put their name forward in a survey (a
    completed ticket with the opt-in, of any wave) and is not in the network yet.
    Idempotent: a member is added once, and a member who was already proposed, invited,
    active or who declined keeps their place. Returns how many were added."""
    memberships = (
        Ticket.objects.for_org(organisation)
        .filter(
            status=TicketStatus.COMPLETED,
            ambassador_opt_in=True,
            membership__ambassador__isnull=True,
            membership__role__in=ELIGIBLE_ROLES,
        )
        .values_list("membership_id", flat=True)
        .distinct()
    )
    ids = list(memberships)
    if not ids:
        return 0
    # ignore_conflicts: a second request syncing at the same moment adds nobody twice
    # (membership is unique on Ambassador); the count it returns is then an upper bound.
    created = Ambassador.objects.bulk_create(
        [
            Ambassador(
                organisation=organisation,
                membership_id=membership_id,
                source=AmbassadorSource.SURVEY,
            )
            for membership_id in ids
        ],
        ignore_conflicts=True,
    )
    return len(created)


# Contributions (ideas, role tasks) in the last quarter that make someone a likely
# ambassador.
ACTIVITY_THRESHOLD = 3
ACTIVITY_WINDOW_DAYS = 90


def activity_candidates(organisation) -> list[Membership]:
    """Members whose activity in Koers makes them likely ambassadors, not yet in the
    network: at least ACTIVITY_THRESHOLD ideas submitted and role tasks done in the last
    ACTIVITY_WINDOW_DAYS days. Sharing approved posts adds its signal with publishing."""
    from koers.content.actions import contributions

    since = timezone.now() - timezone.timedelta(days=ACTIVITY_WINDOW_DAYS)
    counts = contributions(organisation, since)
    ids = [pk for pk, n in counts.items() if n >= ACTIVITY_THRESHOLD]
    if not ids:
        return []
    members = proposable_members(organisation).filter(pk__in=ids)
    return sorted(members, key=lambda m: -counts[m.pk])


def proposable_members(organisation):
    """Members who can be proposed: not in the network yet, and not advisors."""
    return (
        Membership.objects.for_org(organisation)
        .filter(role__in=ELIGIBLE_ROLES, ambassador__isnull=True)
        .select_related("user", "department")
        .order_by("user__name", "user__email")
    )


@transaction.atomic
def propose_ambassador(
    organisation,
    *,
    membership: Membership,
    by,
    volunteered: bool = False,
    request=None,
) -> Ambassador:
    """Put a member on the candidate list: proposed by the social media team, or
    ``volunteered`` by the member themselves (who may also change their mind after
    declining)."""
    if membership.organisation_id != organisation.pk:
        # The views only offer the organisation's own members; this is the last guard.
        raise ValidationError(_("This person is not a member of the organisation."))
    if membership.role not in ELIGIBLE_ROLES:
        raise ValidationError(_("Advisors cannot join the ambassador network."))
    source = AmbassadorSource.VOLUNTEERED if volunteered else AmbassadorSource.MANUAL
    ambassador = Ambassador.objects.select_for_update().filter(membership=membership).first()
    if ambassador is not None:
        if not (volunteered and ambassador.status == AmbassadorStatus.DECLINED):
            raise ValidationError(
                _("%(name)s is already in the ambassador network (%(status)s).")
                % {"name": membership.user, "status": ambassador.get_status_display()}
            )
        ambassador.status = AmbassadorStatus.CANDIDATE
        ambassador.source = source
        ambassador.team = None
        ambassador.invited_at = None
        ambassador.save(update_fields=["status", "source", "team", "invited_at"])
    else:
        try:
            with transaction.atomic():
                ambassador = Ambassador.objects.create(
                    organisation=organisation,
                    membership=membership,
                    source=source,
                )
        except IntegrityError:
            # Proposed by someone else in the same moment.
            raise ValidationError(
                _("%(name)s is already in the ambassador network.") % {"name": membership.user}
            ) from None
    record_event(
        organisation,
        action=Action.AMBASSADOR_PROPOSED,
        by=by,
        request=request,
        target=str(membership.user),
        details={"ambassador": ambassador.pk, "volunteered": volunteered},
    )
    return ambassador


# --- teams and invitations ------------------------------------------------------------


@transaction.atomic
def create_team(
    organisation, *, name: str, description: str = "", by, request=None
) -> AmbassadorTeam:
    name = name.strip()
    if AmbassadorTeam.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a team with this name.")})
    team = AmbassadorTeam(organisation=organisation, name=name, description=description.strip())
    team.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationError({"name": _("There is already a team with this name.")}) from None
    record_event(
        organisation,
        action=Action.AMBASSADOR_TEAM_CREATED,
        by=by,
        request=request,
        target=team.name,
    )
    return team


@transaction.atomic
def invite_ambassador(
    ambassador: Ambassador, *, team: AmbassadorTeam, by, request=None
) -> Ambassador:
    """Invite a candidate to a team; they get an e-mail (after commit) with a link to
    their ambassador page, where they accept or decline."""
    ambassador = (
        Ambassador.objects.select_for_update(of=("self",))
        .select_related("membership__user", "organisation")
        .get(pk=ambassador.pk)
    )
    if team.organisation_id != ambassador.organisation_id:
        raise ValidationError({"team": _("Choose one of the organisation's teams.")})
    if ambassador.status != AmbassadorStatus.CANDIDATE:
        raise ValidationError(
            _("Only a candidate can be invited; %(name)s is %(status)s.")
            % {
                "name": ambassador.membership.user,
                "status": ambassador.get_status_display().lower(),
            }
        )
    ambassador.team = team
    ambassador.status = AmbassadorStatus.INVITED
    ambassador.invited_at = timezone.now()
    ambassador.save(update_fields=["team", "status", "invited_at"])
    record_event(
        ambassador.organisation,
        action=Action.AMBASSADOR_INVITED,
        by=by,
        request=request,
        target=str(ambassador.membership.user),
        details={"ambassador": ambassador.pk, "team": team.name},
    )
    transaction.on_commit(lambda: send_invitation(ambassador.pk))
    return ambassador


def send_invitation(ambassador_id: int) -> bool:
    """E-mail an invited member, in the organisation's language. Runs after commit; a
    mail server that is down must not undo the invitation, which the member also finds
    on their ambassador page."""
    ambassador = (
        Ambassador.objects.select_related("membership__user", "organisation", "team")
        .filter(pk=ambassador_id, status=AmbassadorStatus.INVITED)
        .first()
    )
    if ambassador is None:
        return False
    org = ambassador.organisation
    context = {
        "organisation": org,
        "person": ambassador.membership.user,
        "team": ambassador.team,
        "url": settings.BASE_URL + reverse("support:my_ambassador", args=[org.slug]),
    }
    try:
        with translation.override(org.default_language):
            subject = render_to_string(
                "support/email/ambassador_invitation_subject.txt", context
            ).strip()
            body = render_to_string("support/email/ambassador_invitation.txt", context)
        EmailMessage(subject, body, to=[ambassador.membership.user.email]).send()
    except Exception:
        log.exception("ambassador invitation %s not sent", ambassador_id)
        return False
    return True


def _own(ambassador: Ambassador, by) -> None:
    if ambassador.membership.user_id != getattr(by, "pk", None):
        raise ValidationError(_("Only the member themselves can answer this."))


@transaction.atomic
def accept_ambassador_invitation(ambassador: Ambassador, *, by, request=None) -> Ambassador:
    ambassador = (
        Ambassador.objects.select_for_update(of=("self",))
        .select_related("membership__user", "organisation", "team")
        .get(pk=ambassador.pk)
    )
    _own(ambassador, by)
    if ambassador.status != AmbassadorStatus.INVITED:
        raise ValidationError(_("There is no open invitation to accept."))
    ambassador.status = AmbassadorStatus.ACTIVE
    ambassador.joined_at = timezone.now()
    ambassador.save(update_fields=["status", "joined_at"])
    record_event(
        ambassador.organisation,
        action=Action.AMBASSADOR_JOINED,
        by=by,
        request=request,
        target=str(ambassador.membership.user),
        details={
            "ambassador": ambassador.pk,
            "team": ambassador.team.name if ambassador.team else "",
        },
    )
    return ambassador


@transaction.atomic
def decline_ambassador(ambassador: Ambassador, *, by, request=None) -> Ambassador:
    """The member says no: to an invitation, to being a candidate, or, as an ambassador,
    to going on. They can put their name forward again later."""
    ambassador = (
        Ambassador.objects.select_for_update(of=("self",))
        .select_related("membership__user", "organisation")
        .get(pk=ambassador.pk)
    )
    _own(ambassador, by)
    if ambassador.status == AmbassadorStatus.DECLINED:
        raise ValidationError(_("There is nothing to decline."))
    was = ambassador.status
    ambassador.status = AmbassadorStatus.DECLINED
    ambassador.team = None
    ambassador.save(update_fields=["status", "team"])
    record_event(
        ambassador.organisation,
        action=Action.AMBASSADOR_DECLINED,
        by=by,
        request=request,
        target=str(ambassador.membership.user),
        details={"ambassador": ambassador.pk, "was": was},
    )
    return ambassador


@transaction.atomic
def update_ambassador_profile(
    ambassador: Ambassador, *, interests: str, channels: list[str], by
) -> Ambassador:
    """An active ambassador edits their own profile."""
    _own(ambassador, by)
    if ambassador.status != AmbassadorStatus.ACTIVE:
        raise ValidationError(_("Only an active ambassador has a profile."))
    unknown = sorted(set(channels) - set(PLATFORMS))
    if unknown:
        raise ValidationError({"channels": _("Unknown channel: %s.") % ", ".join(unknown)})
    ambassador.interests = interests.strip()
    # Stored in the platforms' own order, so that profiles read alike.
    ambassador.channels = [p for p in PLATFORMS if p in set(channels)]
    ambassador.save(update_fields=["interests", "channels"])
    return ambassador


# --- the network at a glance ----------------------------------------------------------


@dataclass
class DepartmentCoverage:
    """How one department is represented in the network."""

    name: str
    members: int
    active: int = 0
    invited: int = 0
    candidates: int = 0

    @property
    def is_covered(self) -> bool:
        return self.active > 0


@dataclass
class TeamView:
    team: AmbassadorTeam
    active: list[Ambassador] = field(default_factory=list)
    invited: list[Ambassador] = field(default_factory=list)

    @property
    def departments(self) -> list[str]:
        names = {
            a.membership.department.name
            for a in self.active + self.invited
            if a.membership.department is not None
        }
        return sorted(names)


def coverage(organisation, ambassadors: list[Ambassador]) -> list[DepartmentCoverage]:
    """Per department (and "no department" when anyone has none): members, active and
    invited ambassadors and candidates. Departments without an active ambassador first,
    so the gap is what one reads first."""
    counts = dict(
        Membership.objects.for_org(organisation)
        .filter(role__in=ELIGIBLE_ROLES)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    rows = {
        d.pk: DepartmentCoverage(d.name, counts.get(d.pk, 0))
        for d in Department.objects.filter(organisation=organisation)
    }
    if counts.get(None):
        rows[None] = DepartmentCoverage(_("No department"), counts[None])
    for ambassador in ambassadors:
        row = rows.get(ambassador.membership.department_id)
        if row is None:
            continue
        if ambassador.status == AmbassadorStatus.ACTIVE:
            row.active += 1
        elif ambassador.status == AmbassadorStatus.INVITED:
            row.invited += 1
        elif ambassador.status == AmbassadorStatus.CANDIDATE:
            row.candidates += 1
    return sorted(rows.values(), key=lambda r: (r.is_covered, r.name.lower()))


def teams_with_members(organisation, ambassadors: list[Ambassador]) -> list[TeamView]:
    teams = {t.pk: TeamView(t) for t in AmbassadorTeam.objects.filter(organisation=organisation)}
    for ambassador in ambassadors:
        view = teams.get(ambassador.team_id)
        if view is None:
            continue
        if ambassador.status == AmbassadorStatus.ACTIVE:
            view.active.append(ambassador)
        elif ambassador.status == AmbassadorStatus.INVITED:
            view.invited.append(ambassador)
    return list(teams.values())


def network_of(organisation) -> list[Ambassador]:
    return list(
        Ambassador.objects.for_org(organisation)
        .select_related("membership__user", "membership__department", "team")
        .order_by("membership__user__name", "membership__user__email")
    )


# --- maturity -------------------------------------------------------------------------


def quarter_of(moment: datetime, zone) -> str:
    """The quarter a moment falls in, in the organisation's time zone: "2026-Q4"."""
    local = timezone.localtime(moment, zone)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def current_quarter(organisation) -> str:
    return quarter_of(timezone.now(), organisation.zone)


def find_evidence(organisation) -> maturity.Evidence:
    """What Koers knows now: the published strategy and its sign-off, the overall
    draagvlak index of the latest closed wave (None when its results cannot be shown),
    and the share of members who acknowledged every current guideline (None while the
    organisation has no guidelines)."""
    version = current_version(organisation)
    index = None
    wave = latest_closed(organisation)
    if wave is not None:
        results = wave_results(wave)
        if results.shown and results.overall is not None:
            index = results.overall.index
    return maturity.Evidence(
        strategy_published=version is not None,
        strategy_signed_off=version is not None and version.is_signed_off,
        draagvlak_index=index,
        guideline_ack_rate=acknowledgement_rates(organisation)[0],
    )


def _stored_evidence(result: maturity.Result, language: str) -> dict:
    return {
        d.key: {
            "level": d.cap.level,
            "because": d.cap.because(language),
            "reason": d.cap.reason,
            "params": d.cap.params,
            "effective": d.effective,
        }
        for d in result.dimensions
    }


@transaction.atomic
def save_maturity_assessment(
    organisation, *, levels: dict[str, int], by, notes: str = "", request=None
) -> MaturityAssessment:
    """Store (or update) this quarter's self-assessment with the evidence Koers finds
    now and the stage that follows."""
    try:
        result = maturity.assess(levels, find_evidence(organisation))
    except ValueError as error:
        raise ValidationError(str(error)) from None
    quarter = current_quarter(organisation)
    assessment, created = MaturityAssessment.objects.update_or_create(
        organisation=organisation,
        quarter=quarter,
        defaults={
            "levels": {d.key: d.assessed for d in result.dimensions},
            "evidence": _stored_evidence(result, organisation.default_language),
            "stage": result.stage,
            "notes": notes.strip(),
            "assessed_by": by,
            "updated_at": timezone.now(),
        },
    )
    record_event(
        organisation,
        action=Action.MATURITY_ASSESSED,
        by=by,
        request=request,
        target=quarter,
        details={
            "stage": result.stage,
            "levels": assessment.levels,
            "effective": {d.key: d.effective for d in result.dimensions},
            "updated": not created,
        },
    )
    return assessment


@dataclass
class AssessmentRow:
    """One quarter for the history table."""

    assessment: MaturityAssessment
    stage: maturity.Stage
    effective: list[int]

    @property
    def quarter(self) -> str:
        return self.assessment.quarter


def history(organisation) -> list[AssessmentRow]:
    """Every quarter's assessment, newest first, with per dimension the effective level
    (in DIMENSION_KEYS order)."""
    rows = []
    for assessment in MaturityAssessment.objects.filter(organisation=organisation):
        effective = []
        for key in maturity.DIMENSION_KEYS:
            stored = assessment.evidence.get(key, {})
            assessed = assessment.levels.get(key)
            effective.append(stored.get("effective", assessed))
        rows.append(AssessmentRow(assessment, maturity.stage(assessment.stage), effective))
    return rows


def assessment_reasons(assessment: MaturityAssessment, language: str) -> dict[str, str]:
    """Why each dimension of a stored assessment was capped, in the reader's language
    (falling back to the text stored at the time)."""
    reasons = {}
    for key, stored in assessment.evidence.items():
        reason = stored.get("reason")
        if reason in maturity.REASONS:
            cap = maturity.Cap(stored.get("level"), reason, stored.get("params") or {})
            reasons[key] = cap.because(language)
        else:
            reasons[key] = stored.get("because", "")
    return reasons

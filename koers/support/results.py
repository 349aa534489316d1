"""Results of waves, with the small-group rule applied in one place.

Every page, export and API answer that shows draagvlak figures gets them from here, so
no path can show a group that is too small: groups below the wave's minimum are folded
into "other" (see index.fold_small_groups), and a filter only ever narrows down to
groups that are shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from koers.orgs.models import Department
from koers.strategy.models import Status as StrategyStatus
from koers.strategy.models import StrategyVersion
from koers.support import index
from koers.support.models import Response, Ticket, TicketStatus, Wave, WaveStatus

MANAGEMENT = "management"
NO_DEPARTMENT = "none"
GO_INDEX = 60
GO_DEPARTMENT = 50
GO_RESPONSE_RATE = 0.5
GAP_WARNING = 25


def group_of(department_id: int | None, is_management: bool) -> str:
    if is_management:
        return MANAGEMENT
    return f"d{department_id}" if department_id else NO_DEPARTMENT


@dataclass
class GroupResult:
    key: str
    label: str
    responses: int
    components: index.Components
    index: int | None
    is_department: bool = True

    @property
    def component_values(self) -> dict[str, float | None]:
        return self.components.as_dict()


@dataclass
class WaveResults:
    wave: Wave
    responses: int
    shown: bool  # False: wave still open, or fewer responses than the minimum
    overall: GroupResult | None
    groups: list[GroupResult] = field(default_factory=list)  # never below the minimum
    folded: list[str] = field(default_factory=list)  # labels that went into "other"
    # While a wave runs no figures are shown at all: comparing them before and after one
    # person answers would give away that person's answers.
    waiting_for_close: bool = False

    def group(self, key: str) -> GroupResult | None:
        return next((g for g in self.groups if g.key == key), None)


def _labels(wave: Wave) -> dict[str, str]:
    labels = {
        f"d{d.pk}": d.name for d in Department.objects.filter(organisation_id=wave.organisation_id)
    }
    labels[MANAGEMENT] = _("Management")
    labels[NO_DEPARTMENT] = _("No department")
    labels[index.OTHER] = _("Other (small groups together)")
    return labels


def _participation(wave: Wave) -> float | None:
    if wave.status != WaveStatus.CLOSED:
        return None
    return index.participation_score(wave.active_members, wave.member_count)


def _result(key, label, rows, participation, *, is_department=True) -> GroupResult:
    components = index.Components(
        support=index.mean(r["support_score"] for r in rows),
        understanding=index.mean(r["understanding_score"] for r in rows),
        participation=participation,
        example=index.mean(r["example_score"] for r in rows),
    )
    return GroupResult(
        key=key,
        label=label,
        responses=len(rows),
        components=components,
        index=index.draagvlak_index(components),
        is_department=is_department,
    )


def wave_results(wave: Wave) -> WaveResults:
    """Index and components overall and per shown group, for the wave's complete
    responses."""
    rows = list(
        Response.objects.filter(wave=wave, is_complete=True).values(
            "department_id",
            "is_management",
            "support_score",
            "understanding_score",
            "example_score",
        )
    )
    by_group: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_group[group_of(row["department_id"], row["is_management"])].append(row)
    counts = {group: len(members) for group, members in by_group.items()}
    mapping = index.fold_small_groups(counts, wave.min_group_size)
    if wave.status != WaveStatus.CLOSED:
        return WaveResults(
            wave=wave, responses=len(rows), shown=False, overall=None, waiting_for_close=True
        )
    labels = _labels(wave)
    participation = _participation(wave)
    if not rows or any(target is None for target in mapping.values()):
        return WaveResults(wave=wave, responses=len(rows), shown=False, overall=None)
    reported: dict[str, list[dict]] = defaultdict(list)
    for group, members in by_group.items():
        reported[mapping[group]].extend(members)
    groups = [
        _result(
            key,
            labels.get(key, key),
            members,
            participation,
            is_department=key not in {MANAGEMENT, index.OTHER},
        )
        for key, members in reported.items()
    ]
    groups.sort(key=lambda g: (g.key == index.OTHER, g.key == MANAGEMENT, g.label))
    folded = sorted(labels.get(g, g) for g, target in mapping.items() if target == index.OTHER)
    overall = _result("overall", _("Whole organisation"), rows, participation, is_department=False)
    return WaveResults(
        wave=wave, responses=len(rows), shown=True, overall=overall, groups=groups, folded=folded
    )


@dataclass
class ResponseRate:
    key: str
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.invited if self.invited else 0.0


def response_rates(wave: Wave) -> tuple[ResponseRate, list[ResponseRate]]:
    """Overall and per department, from the tickets (who answered, not what)."""
    labels = _labels(wave)
    per = (
        Ticket.objects.filter(wave=wave)
        .values("department_id", "is_management")
        .annotate(
            invited=Count("pk"), answered=Count("pk", filter=Q(status=TicketStatus.COMPLETED))
        )
    )
    totals: Counter = Counter()
    answered: Counter = Counter()
    for row in per:
        key = group_of(row["department_id"], row["is_management"])
        totals[key] += row["invited"]
        answered[key] += row["answered"]
    rates = [ResponseRate(key, labels.get(key, key), totals[key], answered[key]) for key in totals]
    rates.sort(key=lambda r: (r.key == MANAGEMENT, r.label))
    overall = ResponseRate(
        "overall", _("Whole organisation"), sum(totals.values()), sum(answered.values())
    )
    return overall, rates


@dataclass
class Gap:
    label: str
    employees: float
    management: float

    @property
    def points(self) -> float:
        return self.management - self.employees


def understanding_gaps(results: WaveResults) -> tuple[float | None, list[Gap]]:
    """Management's understanding against each shown department's. Management is
    compared only when it is a shown group itself (enough managers answered)."""
    management = results.group(MANAGEMENT)
    if management is None or management.components.understanding is None:
        return None, []
    reference = management.components.understanding
    gaps = [
        Gap(g.label, g.components.understanding, reference)
        for g in results.groups
        if g.is_department and g.components.understanding is not None
    ]
    return reference, gaps


def history(organisation) -> list[WaveResults]:
    """Results of every closed wave, oldest first (for the trend)."""
    return [wave_results(w) for w in Wave.objects.for_org(organisation).closed().order_by("number")]


def latest_closed(organisation) -> Wave | None:
    return Wave.objects.for_org(organisation).closed().order_by("-number").first()


@dataclass
class Verdict:
    go: bool
    reasons: list[str]
    steps: list[str]
    wave: Wave | None = None


def readiness(organisation) -> Verdict:
    """ "Go", or "build support first" with the reasons and what to do next."""
    reasons, steps = [], []
    strategy = (
        StrategyVersion.objects.for_org(organisation)
        .filter(status=StrategyStatus.PUBLISHED)
        .first()
    )
    if strategy is None:
        reasons.append(_("There is no published strategy yet."))
        steps.append(_("Write the strategy with the wizard and publish it."))
    elif not strategy.is_signed_off:
        reasons.append(
            _("No owner or manager has signed off the strategy: there is no executive sponsor.")
        )
        steps.append(_("Ask an owner or manager to sign off the published strategy."))
    wave = latest_closed(organisation)
    if wave is None:
        reasons.append(_("Support has not been measured yet."))
        steps.append(_("Launch a pulse survey among all employees."))
        return Verdict(go=False, reasons=reasons, steps=steps)
    results = wave_results(wave)
    overall_rate, _rates = response_rates(wave)
    if overall_rate.rate < GO_RESPONSE_RATE:
        reasons.append(
            _("Only %(rate)d%% of the employees answered the last survey.")
            % {"rate": round(overall_rate.rate * 100)}
        )
        steps.append(
            _("Ask managers to make time for the next survey, and send a reminder halfway.")
        )
    if not results.shown:
        reasons.append(_("Too few answers to show any result."))
        return Verdict(go=False, reasons=reasons, steps=steps, wave=wave)
    if results.overall.index is not None and results.overall.index < GO_INDEX:
        reasons.append(
            _("The draagvlak index is %(index)d, below %(threshold)d.")
            % {"index": results.overall.index, "threshold": GO_INDEX}
        )
    for group in results.groups:
        if group.is_department and group.index is not None and group.index < GO_DEPARTMENT:
            reasons.append(
                _("%(group)s is at %(index)d, below %(threshold)d.")
                % {"group": group.label, "index": group.index, "threshold": GO_DEPARTMENT}
            )
            weakest = min(
                (
                    k
                    for k, v in group.component_values.items()
                    if v is not None and k != "participation"
                ),
                key=lambda k: group.component_values[k],
                default=None,
            )
            if weakest == "understanding":
                steps.append(
                    _(
                        "Explain the strategy in %(group)s: a short session with the "
                        "strategy page, and the goals their work serves."
                    )
                    % {"group": group.label}
                )
            elif weakest == "example":
                steps.append(
                    _(
                        "Ask the manager of %(group)s to set the example: share a "
                        "post, submit an idea."
                    )
                    % {"group": group.label}
                )
            else:
                steps.append(
                    _(
                        "Talk with %(group)s about what holds them back, and find an "
                        "enthusiast there to become an ambassador."
                    )
                    % {"group": group.label}
                )
    _reference, gaps = understanding_gaps(results)
    for gap in gaps:
        if gap.points > GAP_WARNING:
            # The classic symptom: management explains the strategy fluently, the
            # department gives another answer. Support built on that does not hold.
            reasons.append(
                _("%(group)s understands the strategy %(points)d points less than management.")
                % {"group": gap.label, "points": round(gap.points)}
            )
            steps.append(
                _(
                    "%(group)s understands the strategy much less than management "
                    "(%(points)d points): explain it there first."
                )
                % {"group": gap.label, "points": round(gap.points)}
            )
    return Verdict(go=not reasons, reasons=reasons, steps=steps, wave=wave)

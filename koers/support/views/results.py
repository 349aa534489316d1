"""Draagvlak results (owner, manager, strategist, advisor): the dashboard with the
readiness verdict, the heatmap, the understanding gap and the trend; one wave's results
with a summary per question; the CSV export and the trend chart.

Every index figure comes from ``support.results``, which applies the small-group rule.
The summary per question reads the answers itself, so it folds the groups with the same
``index.fold_small_groups``, and it shows a figure per group only when every group has
enough answers to that question: otherwise a small group's answers could be worked out
by subtracting the other groups from the whole. The ``?group=`` filter accepts only the
key of a group that is shown, and one at a time.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from csp.decorators import csp_update
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koers.adapters import spreadsheet_safe
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.orgs import access
from koers.orgs.access import org_view
from koers.support import charts, index, results
from koers.support.models import QuestionKind, Response, Wave, WaveStatus

# Colour bands of the heatmap (lower bounds of the rounded score). The number is always
# printed in the cell; the colour only helps to scan.
BANDS = ((80, "band-high"), (60, "band-good"), (40, "band-mid"), (0, "band-low"))
CHOICE_KINDS = {
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.DISCIPLINE,
    QuestionKind.TOP_GOALS,
}


def band(value: float | None) -> str:
    if value is None:
        return "band-none"
    rounded = round(value)
    return next(name for floor, name in BANDS if rounded >= floor)


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


@dataclass
class Cell:
    value: int | None
    band: str


@dataclass
class HeatmapRow:
    group: results.GroupResult
    cells: list[Cell]


def _row(group: results.GroupResult) -> HeatmapRow:
    values = [group.component_values[name] for name in index.COMPONENTS] + [group.index]
    return HeatmapRow(group, [Cell(_whole(v), band(v)) for v in values])


@dataclass
class GapRow:
    label: str
    employees: int
    management: int
    points: int
    is_large: bool


def _figures(figures: results.WaveResults) -> dict:
    """Context for results_figures.html: overall, heatmap and understanding gap."""
    if not figures.shown:
        return {"figures": figures}
    labels = charts.component_labels()
    reference, gaps = results.understanding_gaps(figures)
    management = figures.group(results.MANAGEMENT)
    return {
        "figures": figures,
        "overall_row": _row(figures.overall),
        "components": [
            (labels[name], _whole(figures.overall.component_values[name]), band(value))
            for name, value in figures.overall.component_values.items()
        ],
        "component_names": [labels[name] for name in index.COMPONENTS],
        "rows": [_row(group) for group in figures.groups],
        "has_other": figures.group(index.OTHER) is not None,
        "management_shown": management is not None,
        "gap_reference": _whole(reference),
        "gaps": [
            GapRow(
                gap.label,
                round(gap.employees),
                round(gap.management),
                round(gap.points),
                gap.points > results.GAP_WARNING,
            )
            for gap in gaps
        ],
    }


@dataclass
class RateRow:
    label: str
    invited: int
    answered: int

    @property
    def percent(self) -> int | None:
        return round(self.answered * 100 / self.invited) if self.invited else None


def _rates(wave: Wave, figures: results.WaveResults) -> tuple[RateRow, list[RateRow]]:
    """The response rate overall and per shown group; every other group (too few
    responses, or none yet) is counted in one "other" row, so the rates name no group
    whose results are hidden."""
    overall, rates = results.response_rates(wave)
    shown = {g.key: g.label for g in figures.groups if g.key != index.OTHER}
    rows, other = [], RateRow(_("Other (small groups together)"), 0, 0)
    for rate in rates:
        if rate.key in shown:
            rows.append(RateRow(shown[rate.key], rate.invited, rate.answered))
        else:
            other.invited += rate.invited
            other.answered += rate.answered
    if not figures.shown:
        rows = []
    elif other.invited:
        rows.append(other)
    return RateRow(overall.label, overall.invited, overall.answered), rows


def _visible_wave(request, number: int) -> Wave:
    """A launched or closed wave; a wave in preparation has no results."""
    wave = access.get_wave(request, number)
    if wave.status == WaveStatus.DRAFT:
        raise Http404
    return wave


def _waves(organisation):
    """Every launched and closed wave, newest first, with its number of responses."""
    return (
        Wave.objects.for_org(organisation)
        .exclude(status=WaveStatus.DRAFT)
        .annotate(response_count=Count("responses", filter=Q(responses__is_complete=True)))
        .order_by("-number")
    )


@dataclass
class TrendRow:
    wave: Wave
    index: int | None
    components: list[int | None]


@require_GET
@org_view("support.view")
def dashboard(request):
    """The draagvlak page: verdict, index and components, heatmap, understanding gap,
    trend and the formula, for the latest closed wave or ``?wave=<number>``."""
    number = request.GET.get("wave", "")
    if number:
        if not number.isdigit():
            raise Http404
        wave = _visible_wave(request, int(number))
    else:
        wave = results.latest_closed(request.org)
    history = results.history(request.org)
    figures = None
    if wave is not None:
        figures = next((r for r in history if r.wave.pk == wave.pk), None)
        figures = figures or results.wave_results(wave)
    waves = list(_waves(request.org))
    context = {
        "verdict": results.readiness(request.org),
        "wave": wave,
        "waves": waves,
        "open_waves": [w for w in waves if w.status == WaveStatus.OPEN],
        "trend": [
            TrendRow(
                r.wave,
                r.overall.index,
                [_whole(v) for v in r.overall.component_values.values()],
            )
            for r in history
            if r.shown
        ],
        "component_names": [charts.component_labels()[n] for n in index.COMPONENTS],
        "formula": [
            (name, charts.component_labels()[name], f"{weight:.2f}", round(weight * 100))
            for name, weight in index.WEIGHTS.items()
        ],
        "minimum": wave.min_group_size if wave else index.DEFAULT_MINIMUM_GROUP,
        "absolute_minimum": index.ABSOLUTE_MINIMUM_GROUP,
    }
    if figures is not None:
        context.update(_figures(figures))
        context["rate"], _rows = _rates(wave, figures)
    return render(request, "support/dashboard.html", context)


@require_GET
@org_view("support.view")
@csp_update({"style-src": ["'unsafe-inline'"]})
def trend_chart(request):
    """The trend across closed waves as SVG (``?size=narrow`` for phones). pygal styles
    the chart with a ``<style>`` element inside the SVG; only this response allows it."""
    narrow = request.GET.get("size") == "narrow"
    svg = charts.trend_svg(results.history(request.org), narrow=narrow)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


# --- one wave -------------------------------------------------------------------------


@dataclass
class GroupMean:
    label: str
    mean: float | None  # 1–5, None when too few answered to show it
    answered: int


@dataclass
class QuestionSummary:
    question: object
    kind: str  # "likert", "choice" or "text"
    answered: int
    shown: bool  # enough answers to show anything for this question
    mean: float | None = None
    selected: GroupMean | None = None
    groups: list[GroupMean] = field(default_factory=list)
    per_group_hidden: bool = False
    options: list[dict] = field(default_factory=list)


class AnswerSummary:
    """The answers of one wave's complete responses, per reported group.

    The groups are folded exactly as in ``results.wave_results``; ``keys`` are the
    groups that may be shown (each has at least the minimum of responses)."""

    def __init__(self, wave: Wave, figures: results.WaveResults):
        self.wave = wave
        self.minimum = max(wave.min_group_size, index.ABSOLUTE_MINIMUM_GROUP)
        rows = list(
            Response.objects.filter(wave=wave, is_complete=True).values_list(
                "department_id", "is_management", "answers"
            )
        )
        raw = [results.group_of(department, management) for department, management, _a in rows]
        mapping = index.fold_small_groups(Counter(raw), self.minimum)
        self.by_group: dict[str, list[dict]] = defaultdict(list)
        if rows and all(target is not None for target in mapping.values()):
            for key, (_department, _management, answers) in zip(raw, rows, strict=True):
                self.by_group[mapping[key]].append(answers or {})
        labels = {g.key: g.label for g in figures.groups}
        # Only groups that both this reading and the results show (an open wave may get
        # a response between the two queries).
        self.keys = [g.key for g in figures.groups if g.key in self.by_group]
        self.labels = labels

    def questions(self, questions, *, group: str | None = None, ours: set[str] = frozenset()):
        return [self._summary(q, group, ours) for q in questions]

    def _values(self, question, answers_list) -> list:
        return [a[question.key] for a in answers_list if a.get(question.key) not in (None, "")]

    def _summary(self, question, group, ours) -> QuestionSummary:
        everyone = [a for members in self.by_group.values() for a in members]
        values = self._values(question, everyone)
        enough = len(values) >= self.minimum
        if question.kind == QuestionKind.LIKERT:
            return self._likert(question, values, group)
        if question.kind in CHOICE_KINDS:
            summary = QuestionSummary(question, "choice", len(values), enough)
            if enough:
                counts: Counter = Counter()
                for value in values:
                    counts.update(value if isinstance(value, list) else [value])
                summary.options = [
                    {
                        "label": option.get("label") or option["value"],
                        "count": counts[option["value"]],
                        "percent": round(counts[option["value"]] * 100 / len(values)),
                        "is_ours": option["value"] in ours,
                    }
                    for option in question.options
                ]
            return summary
        return QuestionSummary(question, "text", len(values), False)

    def _likert(self, question, values, group) -> QuestionSummary:
        numbers = [v for v in values if isinstance(v, int) and 1 <= v <= 5]
        summary = QuestionSummary(question, "likert", len(numbers), len(numbers) >= self.minimum)
        if not summary.shown:
            return summary
        summary.mean = round(sum(numbers) / len(numbers), 1)
        per_group = {}
        for key in self.by_group:
            answered = [
                v
                for v in self._values(question, self.by_group[key])
                if isinstance(v, int) and 1 <= v <= 5
            ]
            per_group[key] = answered
        # Per group only when every group has enough answers to this question: one
        # group hidden while the others and the whole are shown could be subtracted.
        if any(len(answered) < self.minimum for answered in per_group.values()):
            summary.per_group_hidden = True
            return summary
        means = {
            key: GroupMean(self.labels.get(key, key), round(sum(v) / len(v), 1), len(v))
            for key, v in per_group.items()
        }
        if group is not None:
            summary.selected = means[group]
        else:
            summary.groups = [means[key] for key in self.keys]
        return summary


def _group_filter(request, keys: list[str]) -> str | None:
    """The ``?group=`` filter: one key of a shown group, or none. Anything else is a
    404, so no combination of filters can single out a group that is not shown."""
    values = [v for v in request.GET.getlist("group") if v]
    if not values:
        return None
    if len(values) > 1 or values[0] not in keys:
        raise Http404
    return values[0]


def _our_answers(wave: Wave) -> set[str]:
    """The answers of the strategy the understanding questions were asked against: its
    value discipline and the keys of its social goals."""
    strategy = wave.strategy_version
    if strategy is None:
        return set()
    goals = strategy.socialgoals.filter(parent__isnull=True).values_list("key", flat=True)
    return {strategy.primary_discipline, *(str(key) for key in goals)}


@require_GET
@org_view("support.view")
def wave_results(request, number):
    """One wave's results (while it is open: only the response rate), with a summary per
    question; ``?group=<key>`` narrows the summary to one shown group."""
    wave = _visible_wave(request, number)
    figures = results.wave_results(wave)
    summary = AnswerSummary(wave, figures)
    group = _group_filter(request, summary.keys)
    questions = list(wave.questions.all())
    context = {
        "wave": wave,
        "rate_overall": None,
        "group": group,
        "group_label": summary.labels.get(group) if group else None,
        "group_choices": [(key, summary.labels[key]) for key in summary.keys],
        "summaries": summary.questions(
            questions,
            group=group,
            ours=_our_answers(wave) if any(q.kind in CHOICE_KINDS for q in questions) else set(),
        )
        if figures.shown
        else [],
        "minimum": summary.minimum,
        **_figures(figures),
    }
    context["rate_overall"], context["rates"] = _rates(wave, figures)
    return render(request, "support/results_wave.html", context)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@require_GET
@org_view("support.view")
def export_csv(request, number):
    """The wave's figures per shown group (and "other") as CSV; recorded in the audit
    log."""
    wave = _visible_wave(request, number)
    figures = results.wave_results(wave)
    record_event(
        request.org,
        action=Action.EXPORT,
        by=request.user,
        request=request,
        target=f"draagvlak wave {wave.number} csv",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"koers-draagvlak-{request.org.slug}-wave-{wave.number}.csv"
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    labels = charts.component_labels()
    writer.writerow(
        [_("Group"), _("Responses"), *(labels[n] for n in index.COMPONENTS), _("Index")]
    )
    if figures.shown:
        for group in [figures.overall, *figures.groups]:
            writer.writerow(
                [
                    spreadsheet_safe(group.label),
                    group.responses,
                    *(_number(group.component_values[n]) for n in index.COMPONENTS),
                    "" if group.index is None else group.index,
                ]
            )
    return response

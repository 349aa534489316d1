"""The mix per goal: how the planned and published items of a month or quarter divide
over the goals of the published strategy, against the planned shares."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koers.adapters import add_errors
from koers.content import actions, workflow
from koers.content.models import MixTarget
from koers.content.planning_forms import MONTH, QUARTER, MixPeriodForm, MixTargetsForm
from koers.orgs.access import org_view
from koers.orgs.capabilities import can

# A share this many percentage points from its target is marked.
OFF_TARGET_POINTS = 10


def period_bounds(period: str, anchor: date) -> tuple[date, date]:
    """The first and last day of the month or quarter that holds ``anchor``."""
    first_month = anchor.month if period == MONTH else (anchor.month - 1) // 3 * 3 + 1
    last_month = first_month if period == MONTH else first_month + 2
    last_day = pycalendar.monthrange(anchor.year, last_month)[1]
    return date(anchor.year, first_month, 1), date(anchor.year, last_month, last_day)


def _shift(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


@dataclass
class Row:
    mix: actions.MixRow

    @staticmethod
    def _difference(share, target):
        if share is None or target is None:
            return None
        return round(share - target)

    @property
    def planned_difference(self):
        return self._difference(self.mix.planned_share, self.mix.target)

    @property
    def published_difference(self):
        return self._difference(self.mix.published_share, self.mix.target)

    @property
    def planned_off(self) -> bool:
        return abs(self.planned_difference or 0) > OFF_TARGET_POINTS

    @property
    def published_off(self) -> bool:
        return abs(self.published_difference or 0) > OFF_TARGET_POINTS


def _render_mix(request, period_form: MixPeriodForm, *, targets_form=None, status=200):
    context = {"period_form": period_form}
    if not period_form.is_valid():
        return render(request, "content/mix.html", context, status=400)
    period = period_form.cleaned_data["period"] or MONTH
    anchor = period_form.cleaned_data["date"] or timezone.localdate()
    start, end = period_bounds(period, anchor)
    choices = actions.strategy_choices(request.org)
    rows = [Row(mix) for mix in actions.goal_mix(request.org, start, end)]
    without_goal = next((r.mix for r in rows if r.mix.key is None), None)
    months = 1 if period == MONTH else 3
    base = reverse("content:mix", args=[request.org.slug])
    if targets_form is None and can(request.membership, "strategy.edit") and choices.goals:
        targets = dict(
            MixTarget.objects.filter(organisation=request.org).values_list("goal_key", "share")
        )
        targets_form = MixTargetsForm(
            goals=choices.goals,
            targets=targets,
            initial={"period": period, "date": anchor.isoformat()},
        )
    context.update(
        {
            "period": period,
            "start": start,
            "end": end,
            "rows": rows,
            "goals": choices.goals,
            "without_goal": without_goal,
            "without_goal_count": (
                without_goal.planned + without_goal.published if without_goal else 0
            ),
            "target_total": sum(r.mix.target or 0 for r in rows),
            "previous_url": f"{base}?period={period}&date={_shift(start, -months).isoformat()}",
            "next_url": f"{base}?period={period}&date={_shift(start, months).isoformat()}",
            "month_url": f"{base}?period={MONTH}&date={anchor.isoformat()}",
            "quarter_url": f"{base}?period={QUARTER}&date={anchor.isoformat()}",
            "targets_form": targets_form,
            "off_target_points": OFF_TARGET_POINTS,
        }
    )
    return render(request, "content/mix.html", context, status=status)


@require_GET
@org_view("content.view")
def mix(request):
    return _render_mix(request, MixPeriodForm(request.GET))


@require_POST
@org_view("strategy.edit")
def mix_targets(request):
    """Save the planned share per goal; all or nothing."""
    goals = actions.strategy_choices(request.org).goals
    form = MixTargetsForm(request.POST, goals=goals, targets={})
    period_form = MixPeriodForm(
        {"period": request.POST.get("period", ""), "date": request.POST.get("date", "")}
    )
    if not period_form.is_valid():
        period_form = MixPeriodForm({})
    if form.is_valid():
        try:
            actions.set_mix_targets(request.org, form.targets(), by=request.membership)
        except workflow.TransitionRefused as error:
            form.add_error(None, actions.refusal_message(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The planned mix is saved."))
            url = reverse("content:mix", args=[request.org.slug])
            query = urlencode({k: v for k, v in period_form.data.items() if v})
            return redirect(f"{url}?{query}" if query else url)
    return _render_mix(request, period_form, targets_form=form, status=400)

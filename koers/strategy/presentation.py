"""Turning strategy data into text for people: labels for the diff, SMART hints and
discipline names, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from koers.strategy import smart
from koers.strategy.diff import Change
from koers.strategy.models import (
    MEASURE_LABELS,
    PLATFORM_LABELS,
    Direction,
    Discipline,
    Source,
)

SECTION_LABELS = {
    "profile": _("Business strategy"),
    "business_goals": _("Business goal"),
    "social_goals": _("Social goal"),
    "kpis": _("KPI"),
    "audiences": _("Audience"),
    "channels": _("Channel"),
    "pillars": _("Content pillar"),
}

ACTION_LABELS = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}

FIELD_LABELS = {
    "mission": _("mission"),
    "vision": _("vision"),
    "primary_discipline": _("value discipline"),
    "secondary_discipline": _("second value discipline"),
    "webcare_role": _("role of webcare"),
    "title": _("title"),
    "name": _("name"),
    "description": _("description"),
    "owner": _("owner"),
    "horizon": _("horizon"),
    "business_goal": _("business goal"),
    "parent": _("part of"),
    "social_goal": _("social goal"),
    "unit": _("unit"),
    "direction": _("direction"),
    "baseline": _("baseline"),
    "target": _("target"),
    "period_start": _("from"),
    "period_end": _("until"),
    "source": _("measured"),
    "measure": _("measurement"),
    "platform": _("platform"),
    "purpose": _("purpose"),
}

SMART_HINTS = {
    smart.NO_TARGET: _("No target: say what number counts as success."),
    smart.NO_DEADLINE: _("No deadline: say by when the target must be reached."),
    smart.NOT_MEASURABLE: _("Not measurable: give a unit and say how it is measured."),
    smart.NO_BASELINE: _("No baseline: without today's figure nobody can see progress."),
    smart.NO_OWNER: _("No owner: name the person who answers for this KPI."),
    smart.TARGET_NOT_AMBITIOUS: _(
        "The target is not better than the baseline in the chosen direction."
    ),
}

_CHOICE_LABELS = {
    "primary_discipline": dict(Discipline.choices),
    "secondary_discipline": dict(Discipline.choices),
    "direction": dict(Direction.choices),
    "source": dict(Source.choices),
    "measure": MEASURE_LABELS,
    "platform": PLATFORM_LABELS,
}


def _shown(field: str, value):
    if value is None:
        return "—"
    return _CHOICE_LABELS.get(field, {}).get(value, value)


def describe_changes(changes: list[Change]) -> list[dict]:
    """Display-ready rows: section, action, label and the changed fields."""
    return [
        {
            "section": SECTION_LABELS[change.section],
            "action": change.action,
            "action_label": ACTION_LABELS[change.action],
            "label": ""
            if change.section == "profile"
            else (
                PLATFORM_LABELS.get(change.label, change.label)
                if change.section == "channels"
                else change.label
            ),
            "fields": [
                {
                    "name": FIELD_LABELS.get(f.field, f.field),
                    "before": _shown(f.field, f.before),
                    "after": _shown(f.field, f.after),
                }
                for f in change.fields
            ],
        }
        for change in changes
    ]


def smart_messages(codes: list[str]) -> list[dict]:
    return [
        {"code": code, "text": SMART_HINTS[code], "blocking": code in smart.BLOCKING}
        for code in codes
    ]

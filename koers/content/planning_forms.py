"""Forms of the planning pages: the calendar's settings and filters, moving an item,
filling a slot from the evergreen queue, and the mix per goal.

They only parse what the browser sends; the rules (no moment in the past, shares
together at most 100%) are the actions'.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.content.models import CHANNEL_CHOICES

MONTH, WEEK = "month", "week"
QUARTER = "quarter"
# A moved item without a time of its own goes out at the start of the working day.
DEFAULT_TIME = time(9, 0)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_INPUT)


def _moment_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=MomentInput(),
    )


class CalendarForm(forms.Form):
    """The calendar's view, the date it shows and its filters (all from the query
    string; every field may be left out)."""

    view = forms.ChoiceField(
        label=_("Show"), choices=[(MONTH, _("Month")), (WEEK, _("Week"))], required=False
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=uuid.UUID, required=False)
    pillar = forms.TypedChoiceField(label=_("Content pillar"), coerce=uuid.UUID, required=False)
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False)

    def __init__(self, data, *, choices, people, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["channel"].choices = [("", _("All channels")), *CHANNEL_CHOICES]
        self.fields["goal"].choices = [("", _("All goals"))] + [
            (str(g.key), g.title) for g in choices.goals
        ]
        self.fields["pillar"].choices = [("", _("All pillars"))] + [
            (str(p.key), p.name) for p in choices.pillars
        ]
        self.fields["person"].choices = [("", _("Everyone"))] + [
            (str(user.pk), user.name or user.email) for user in people
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"] or None,
            "goal": data["goal"] or None,
            "pillar": data["pillar"] or None,
            "person": data["person"] or None,
        }


class RescheduleForm(forms.Form):
    """A new day (keeping the item's time of day: what dragging does) or a new moment
    (the "Move to" form)."""

    date = forms.DateField(label=_("Day"), required=False, widget=DateInput())
    scheduled_at = _moment_field(_("Move to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled_at"].required = False

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("date") and not data.get("scheduled_at"):
            raise forms.ValidationError(_("Choose a day or a moment to move the item to."))
        return data

    def moment(self, current: datetime | None) -> datetime:
        """The new moment, in the active (the organisation's) time zone."""
        if self.cleaned_data.get("scheduled_at"):
            return self.cleaned_data["scheduled_at"]
        at = timezone.localtime(current).time().replace(tzinfo=None) if current else DEFAULT_TIME
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], at))


class EvergreenUseForm(forms.Form):
    scheduled_at = _moment_field(_("Plan on"))


class MixPeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(MONTH, _("Month")), (QUARTER, _("Quarter"))],
        required=False,
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())


class MixTargetsForm(forms.Form):
    """One share field per goal of the published strategy; empty means no target."""

    period = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, goals, targets: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[self.field_name(goal.key)] = forms.IntegerField(
                label=goal.title,
                required=False,
                min_value=0,
                max_value=100,
                initial=targets.get(goal.key),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    @staticmethod
    def field_name(key) -> str:
        return f"goal_{key}"

    def share_fields(self):
        return [self[self.field_name(goal.key)] for goal in self.goals]

    def targets(self) -> dict:
        return {goal.key: self.cleaned_data[self.field_name(goal.key)] for goal in self.goals}

"""Forms for role tasks: they parse input; the rules (advisors have no tasks, once per
period) live in ``content/actions.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.content.models import Frequency
from koers.orgs.capabilities import Role

# Advisors work from outside the organisation: no role tasks for them.
ROLE_CHOICES = [("", _("Every member"))] + [
    (value, label) for value, label in Role.choices if value != Role.ADVISOR
]


class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("Anything worth knowing, such as which compliment you reported."),
    )


class RoleTaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("How and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Members read this on their task list and in the reminder."),
    )
    role = forms.ChoiceField(label=_("For"), choices=ROLE_CHOICES, required=False)
    frequency = forms.TypedChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        coerce=int,
        initial=Frequency.MONTHLY,
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Inactive tasks are not shown to members and not reminded of."),
    )

    @classmethod
    def initial_for(cls, task) -> dict:
        return {name: getattr(task, name) for name in cls.base_fields}

    def values(self) -> dict:
        return dict(self.cleaned_data)

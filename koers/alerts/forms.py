"""Forms for alert rules, alerts and incidents: they parse input and offer only the
organisation's own queries, channels and members; what a rule may be is decided in
``actions.validate_rule``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.alerts.actions import KIND_FIELDS
from koers.alerts.models import AlertStatus, Channel, IncidentStatus, RuleKind, Sensitivity
from koers.listening.models import Group, SavedQuery

SEVERITIES = [
    (1, _("1 – low")),
    (2, _("2")),
    (3, _("3 – noticeable")),
    (4, _("4 – serious (ignores quiet hours)")),
    (5, _("5 – critical (ignores quiet hours)")),
]
# Fields every kind has, in the order the page shows them.
COMMON = (
    "name",
    "query",
    "severity",
    "cooldown_minutes",
    "quiet_from",
    "quiet_until",
    "digest",
    "digest_minutes",
    "channels",
    "is_active",
)


class RuleForm(forms.Form):
    """One rule; ``kind`` is fixed by the page (chosen before the form is shown), and
    only the fields that kind uses are kept (``fields_for``)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    query = forms.ModelChoiceField(
        label=_("Saved query"),
        queryset=SavedQuery.objects.none(),
        required=False,
        empty_label=_("All mentions of the organisation"),
        help_text=_("The mentions this rule watches."),
    )
    competitor_query = forms.ModelChoiceField(
        label=_("Competitor's saved query"),
        queryset=SavedQuery.objects.none(),
        required=False,
        help_text=_("Koers alerts when this query's share of the two overtakes yours."),
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"), choices=Sensitivity.choices, initial=Sensitivity.NORMAL
    )
    min_reach = forms.IntegerField(
        label=_("Minimum followers"),
        required=False,
        min_value=0,
        help_text=_("Alert on a mention by an author with at least this many followers."),
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("Any author")), *Group.choices],
        help_text=_("Or by an author in this group of your stakeholders."),
    )
    min_threat = forms.FloatField(
        label=_("Minimum threat score"),
        required=False,
        help_text=_(
            "From 0 (harmless) to 1 (most threatening), e.g. 0.7: the mentions page shows "
            "threat scores out of 100, so 0.7 means a threat of 70 or more."
        ),
    )
    term = forms.CharField(
        label=_("Term"),
        max_length=500,
        required=False,
        strip=False,
        help_text=_('In the query language, e.g. datalek OR "data leak".'),
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "query-text"}),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=SEVERITIES, coerce=int, initial=3
    )
    cooldown_minutes = forms.IntegerField(
        label=_("Cooldown (minutes)"),
        initial=60,
        help_text=_("No new alert of this rule for this long after one (at most a week)."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Alerts below severity 4 wait until the quiet hours end."),
    )
    digest = forms.BooleanField(
        label=_("Send as a digest"),
        required=False,
        help_text=_("Collect this rule's alerts and send them together once per period."),
    )
    digest_minutes = forms.IntegerField(label=_("Digest period (minutes)"), initial=60)
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Without a channel, the members who handle alerts are told in Koers."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisation, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        queries = SavedQuery.objects.for_org(organisation)
        self.fields["query"].queryset = queries
        self.fields["competitor_query"].queryset = queries
        self.fields["channels"].queryset = Channel.objects.for_org(organisation)
        keep = set(COMMON) | set(KIND_FIELDS.get(kind, ()))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if kind == RuleKind.SHARE_OF_VOICE:
            self.fields["query"].label = _("Your brand's saved query")
            self.fields["query"].empty_label = None
            self.fields["competitor_query"].empty_label = None

    def values(self) -> dict:
        return {"kind": self.kind, **self.cleaned_data}

    @staticmethod
    def initial_for(rule) -> dict:
        initial = {
            name: getattr(rule, name)
            for name in (*COMMON, *KIND_FIELDS[rule.kind])
            if name not in ("channels",)
        }
        initial["channels"] = list(rule.channels.all())
        return initial


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not resolved")), ("all", _("All")), *AlertStatus.choices],
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *[(n, str(n)) for n in range(1, 6)]],
    )


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int, required=False)

    def __init__(self, *args, responders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody"))] + [
            (m.user_id, m.user.name or m.user.email) for m in responders
        ]


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    status = forms.ChoiceField(label=_("Status"), choices=IncidentStatus.choices)

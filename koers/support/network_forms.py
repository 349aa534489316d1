"""Forms of the ambassador network and the maturity assessment. They parse and validate
input; the rules live in koers/support/network.py and koers/support/maturity.py."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from koers.strategy.models import PLATFORM_LABELS
from koers.strategy.playbook_types import PLATFORMS
from koers.support import maturity
from koers.support.models import AmbassadorTeam
from koers.support.network import proposable_members


class ProposeForm(forms.Form):
    """Put a member of the organisation on the candidate list. Only the organisation's
    own members (not in the network yet) are choices: any other id is an invalid
    choice."""

    membership = forms.ModelChoiceField(
        label=_("Member"),
        queryset=None,
        empty_label=_("Choose a member"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = proposable_members(organisation)
        field.label_from_instance = _member_label


def _member_label(membership) -> str:
    if membership.department is not None:
        return f"{membership.user} ({membership.department.name})"
    return str(membership.user)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=120)
    description = forms.CharField(
        label=_("What the team does"),
        required=False,
        max_length=300,
    )


class InviteForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = AmbassadorTeam.objects.filter(organisation=organisation)


class ProfileForm(forms.Form):
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Topics you like to share about."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels you use"),
        required=False,
        choices=[(key, PLATFORM_LABELS[key]) for key in PLATFORMS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "channel-choices"}),
    )


class AssessmentForm(forms.Form):
    """Per dimension of the maturity model, the level that fits best (1–5), with the
    level descriptions in the reader's language."""

    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you based the assessment on, for whoever reads it next quarter."),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in maturity.DIMENSIONS:
            self.fields[dimension.key] = forms.TypedChoiceField(
                label=dimension.name.get(language),
                help_text=dimension.question.get(language),
                coerce=int,
                choices=[
                    (
                        level,
                        format_html(
                            '<span class="level-number">{}</span> '
                            '<span class="level-text">{}</span>',
                            level,
                            dimension.level(level).get(language),
                        ),
                    )
                    for level in maturity.LEVELS
                ],
                widget=forms.RadioSelect(attrs={"class": "level-choices"}),
                error_messages={"required": _("Choose the level that fits best.")},
            )
        # The notes come last.
        self.order_fields([*maturity.DIMENSION_KEYS, "notes"])

    def dimension_fields(self):
        return [self[key] for key in maturity.DIMENSION_KEYS]

    @property
    def levels(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in maturity.DIMENSION_KEYS}

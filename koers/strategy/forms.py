"""Forms for the strategy editor: they parse and validate input; the rules live in the
models (``clean``) and in ``strategy/actions.py``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from koers.strategy.models import (
    Audience,
    BusinessGoal,
    Channel,
    ContentPillar,
    Kpi,
    SocialGoal,
    StrategyVersion,
)
from koers.strategy.playbook_types import DISCIPLINES
from koers.strategy.playbooks import get_playbook

# ISO dates: what <input type="date"> sends and expects, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_INPUT = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class WizardForm(forms.Form):
    """The four questions of the strategy wizard. Discipline names and summaries come
    from the playbooks, in the reader's language."""

    primary_discipline = forms.ChoiceField(
        label=_("Value discipline"),
        widget=forms.RadioSelect(attrs={"class": "discipline-choices"}),
        help_text=_(
            "What the organisation wants to be best at; it decides what social media is for."
        ),
    )
    secondary_discipline = forms.ChoiceField(
        label=_("Second value discipline (optional)"),
        required=False,
        help_text=_("Adds the most important social goal of a second discipline."),
    )
    mission = forms.CharField(
        label=_("Mission"),
        required=False,
        widget=_textarea(3),
        help_text=_("Why the organisation exists, in one or two sentences."),
    )
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        widget=_textarea(3),
        help_text=_("Where the organisation wants to be in a few years."),
    )
    business_goal_1 = forms.CharField(label=_("Business goal 1"), max_length=200, required=False)
    business_goal_2 = forms.CharField(label=_("Business goal 2"), max_length=200, required=False)
    business_goal_3 = forms.CharField(label=_("Business goal 3"), max_length=200, required=False)

    GOAL_FIELDS = ("business_goal_1", "business_goal_2", "business_goal_3")

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        playbooks = [get_playbook(discipline) for discipline in DISCIPLINES]
        self.fields["primary_discipline"].choices = [
            (
                playbook.discipline,
                format_html(
                    '<span class="choice-name">{}</span> <span class="choice-summary">{}</span>',
                    playbook.name.get(language),
                    playbook.summary.get(language),
                ),
            )
            for playbook in playbooks
        ]
        self.fields["secondary_discipline"].choices = [("", _("None"))] + [
            (playbook.discipline, playbook.name.get(language)) for playbook in playbooks
        ]

    @property
    def goal_fields(self):
        return [self[name] for name in self.GOAL_FIELDS]

    def business_goals(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.GOAL_FIELDS]


class ProfileForm(forms.ModelForm):
    """The business strategy profile of a draft (saved through ``update_profile``)."""

    class Meta:
        model = StrategyVersion
        fields = ["mission", "vision", "primary_discipline", "secondary_discipline", "webcare_role"]
        widgets = {
            "mission": _textarea(3),
            "vision": _textarea(3),
            "webcare_role": _textarea(4),
        }
        help_texts = {
            "webcare_role": _(
                "What webcare does for this strategy: which questions it "
                "answers, how fast, and what it passes on."
            ),
        }


class MemberChoiceField(forms.ModelChoiceField):
    """A person who is a member of the organisation (set ``queryset`` per form)."""

    def label_from_instance(self, obj) -> str:
        return obj.name or obj.email


class DraftItemForm(forms.ModelForm):
    """An item of one draft: references only reach the draft's own items and the
    organisation's members. Create forms get an instance with ``version`` set, so the
    model's ``clean`` can compare versions."""

    def __init__(self, *args, draft: StrategyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        if "owner" in self.fields:
            self.fields["owner"].queryset = (
                get_user_model()
                .objects.filter(memberships__organisation=draft.organisation)
                .order_by("name", "email")
            )


class BusinessGoalForm(DraftItemForm):
    class Meta:
        model = BusinessGoal
        fields = ["title", "description", "owner", "horizon"]
        field_classes = {"owner": MemberChoiceField}
        widgets = {"description": _textarea(2), "horizon": DATE_INPUT}


class SocialGoalForm(DraftItemForm):
    class Meta:
        model = SocialGoal
        fields = ["business_goal", "parent", "title", "description"]
        widgets = {"description": _textarea(2)}
        help_texts = {
            "parent": _("Optional: the broader social goal this one is part of."),
        }

    def __init__(self, *args, draft: StrategyVersion, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        self.fields["business_goal"].queryset = draft.businessgoals.all()
        goals = list(draft.socialgoals.all())
        # Every goal of the draft stays a valid choice, so a POST that names the goal
        # itself (or a sub-goal) reaches the model's clean and gets its specific error;
        # the list shown leaves those out.
        self.fields["parent"].queryset = draft.socialgoals.all()
        excluded = _self_and_descendants(self.instance.pk, goals)
        self.fields["parent"].widget.choices = [("", self.fields["parent"].empty_label)] + [
            (goal.pk, goal.title) for goal in goals if goal.pk not in excluded
        ]


def _self_and_descendants(pk: int | None, goals: list[SocialGoal]) -> set[int]:
    if pk is None:
        return set()
    children: dict[int, list[int]] = {}
    for goal in goals:
        if goal.parent_id:
            children.setdefault(goal.parent_id, []).append(goal.pk)
    found, todo = set(), [pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


class KpiForm(DraftItemForm):
    class Meta:
        model = Kpi
        fields = [
            "social_goal",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "period_start",
            "period_end",
            "owner",
            "source",
            "measure",
        ]
        field_classes = {"owner": MemberChoiceField}
        widgets = {
            "baseline": NUMBER_INPUT,
            "target": NUMBER_INPUT,
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
        }
        help_texts = {
            "unit": _("For example: minutes, percent, ideas."),
            "baseline": _("Today's figure."),
            "target": _("The figure that counts as success at the end of the period."),
            "measure": _("Only when Koers measures it."),
        }

    def __init__(self, *args, draft: StrategyVersion, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        self.fields["social_goal"].queryset = draft.socialgoals.all()


class AudienceForm(DraftItemForm):
    class Meta:
        model = Audience
        fields = ["name", "description"]
        widgets = {"description": _textarea(2)}


class ChannelForm(DraftItemForm):
    class Meta:
        model = Channel
        fields = ["platform", "purpose"]
        widgets = {"purpose": _textarea(2)}
        help_texts = {"purpose": _("What this channel is for in the strategy.")}


class ContentPillarForm(DraftItemForm):
    class Meta:
        model = ContentPillar
        fields = ["name", "description"]
        widgets = {"description": _textarea(2)}


# URL kind (models.ITEM_KINDS) → its form.
ITEM_FORMS: dict[str, type[DraftItemForm]] = {
    "business-goal": BusinessGoalForm,
    "social-goal": SocialGoalForm,
    "kpi": KpiForm,
    "audience": AudienceForm,
    "channel": ChannelForm,
    "pillar": ContentPillarForm,
}


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=_textarea(3),
        help_text=_("Members see this note with the new version."),
    )

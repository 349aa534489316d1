"""Forms for approval: a decision (by a member or through a review link), a review link
for someone outside Koers, and the approval rule's steps. They only parse; the rules
(who may decide, which step is next) live in ``actions.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.content.models import ApprovalStep, Decision

MAX_COMMENT = 5000


class DecisionForm(forms.Form):
    """Approve or reject; a rejection says what has to change."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you reject: say what has to change."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REJECT and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what has to change."))
        return data


class ReviewLinkForm(forms.Form):
    name = forms.CharField(label=_("Reviewer's name"), max_length=200)
    email = forms.EmailField(label=_("Reviewer's e-mail address"))
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=30, initial=7, required=False
    )

    def clean_days(self):
        return self.cleaned_data.get("days") or 7


class ApprovalStepForm(forms.ModelForm):
    class Meta:
        model = ApprovalStep
        fields = ["name", "approver", "mode", "condition"]
        help_texts = {
            "name": _("For example “Communication manager” or “Legal”."),
            "mode": _("“All” means every member with that role, or every reviewer a link went to."),
        }


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

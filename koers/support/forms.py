"""Forms for running pulse surveys. They parse and validate input; the rules live in
``support/actions.py`` (and the model validators)."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from koers.support.index import ABSOLUTE_MINIMUM_GROUP
from koers.support.models import Question, QuestionKind, Wave

# What <input type="datetime-local"> sends and expects, whatever the language; the
# value is read and shown in the organisation's time zone (active during the request).
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# The kinds a person can write by hand; discipline and top_goals come from the bank,
# with options that only the published strategy can supply.
CUSTOM_KINDS = (QuestionKind.LIKERT, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TEXT)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
# Answered with several values (checkboxes): request.POST.getlist().
LIST_KINDS = (QuestionKind.MULTIPLE, QuestionKind.TOP_GOALS)


class WaveForm(forms.ModelForm):
    """Title, introduction, closing time and the smallest group shown."""

    class Meta:
        model = Wave
        fields = ["title", "intro", "closes_at", "min_group_size"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "closes_at": DATETIME_INPUT,
        }
        help_texts = {
            "intro": _("Shown above the questions: why you ask, and what you do with it."),
            "closes_at": _("After this moment no more answers are accepted."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        size = self.fields["min_group_size"]
        size.min_value = ABSOLUTE_MINIMUM_GROUP
        size.widget.attrs["min"] = ABSOLUTE_MINIMUM_GROUP
        size.help_text = _(
            "Results of a department with fewer responses are never shown on their own; "
            "they are counted with other small groups. At least 3."
        )


def options_from_lines(text: str, existing: list[dict] | None = None) -> list[dict]:
    """One option per line → [{"value": ..., "label": ...}]. A label that was there
    before keeps its value; new values are slugs, made unique."""
    known = {option["label"]: option["value"] for option in existing or []}
    options, used = [], set()
    for line in text.splitlines():
        label = line.strip()
        if not label or label in {o["label"] for o in options}:
            continue
        value = known.get(label) or slugify(label)[:50] or "option"
        base, n = value, 2
        while value in used:
            value, n = f"{base}-{n}", n + 1
        used.add(value)
        options.append({"value": value, "label": label})
    return options


class QuestionForm(forms.ModelForm):
    """A question of a wave in preparation. Options are typed one per line."""

    options_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One option per line. Only for one choice and several choices."),
    )

    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "component", "required"]
        help_texts = {
            "help_text": _("Optional: a short explanation under the question."),
            "component": _(
                "Agree-or-disagree questions that measure support or management "
                "example count in the draagvlak index."
            ),
            "required": _("People cannot send their answers without answering this one."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        if kind and kind not in CUSTOM_KINDS:
            # A bank question about the strategy: its kind and options are fixed.
            self.fields["kind"].choices = [(kind, QuestionKind(kind).label)]
            self.fields["kind"].disabled = True
            del self.fields["options_text"]
        else:
            self.fields["kind"].choices = [(k.value, k.label) for k in CUSTOM_KINDS]
            self.fields["options_text"].initial = "\n".join(
                option["label"] for option in self.instance.options or []
            )

    def clean(self):
        data = super().clean()
        if "options_text" in self.fields:
            if data.get("kind") in CHOICE_KINDS:
                self.instance.options = options_from_lines(
                    data.get("options_text", ""), self.instance.options
                )
            else:
                self.instance.options = []
        return data


class AmbassadorForm(forms.Form):
    ambassador = forms.BooleanField(
        label=_("Yes, put my name forward for the ambassador team"), required=False
    )


def collect_answers(questions, data) -> dict:
    """The answers in a POST of the survey page, keyed by question key."""
    return {
        question.key: data.getlist(question.key)
        if question.kind in LIST_KINDS
        else data.get(question.key)
        for question in questions
    }

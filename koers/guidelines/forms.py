"""Forms for the guideline library: they parse input; the rules (terms required for
confidential guidelines, known detectors, what counts as a new version) live in the
model and in ``guidelines/actions.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.guidelines.models import Guideline, Kind, Severity
from koers.nlp import personal_data

# The personal data kinds of koers.nlp.personal_data, in its order, for people.
DETECTOR_LABELS = {
    personal_data.BSN: _("BSN (citizen service number)"),
    personal_data.IBAN: _("IBAN (bank account)"),
    personal_data.KVK: _("KvK number"),
    personal_data.PHONE: _("Phone number"),
    personal_data.EMAIL: _("E-mail address"),
    personal_data.POSTCODE: _("Postcode and house number (home address)"),
}
assert tuple(DETECTOR_LABELS) == personal_data.KINDS

# The values a guideline form edits, as update_guideline takes them.
VALUE_FIELDS = (
    "title",
    "kind",
    "severity",
    "rationale",
    "example",
    "origin",
    "terms",
    "detectors",
    "allowed_domains",
    "disclosure_tags",
)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _text(value: str) -> str:
    """Browsers send line breaks as CRLF; store LF, so an unchanged text compares equal."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(value: str) -> str:
    """One entry per line, without blank lines or surrounding spaces."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


class GuidelineForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        initial=Severity.WARN,
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Why"),
        widget=_textarea(3),
        help_text=_("Why this rule exists: members read this before they acknowledge it."),
    )
    example = forms.CharField(
        label=_("Example"),
        required=False,
        widget=_textarea(2),
        help_text=_("A post that breaks the rule, or one that follows it."),
    )
    origin = forms.CharField(
        label=_("Origin"),
        max_length=300,
        required=False,
        help_text=_("Where the rule comes from, e.g. an incident."),
    )
    terms = forms.CharField(
        label=_("Confidential terms"),
        required=False,
        widget=_textarea(4),
        help_text=_(
            "For confidential terms: one term per line; variants in spelling are found too."
        ),
    )
    detectors = forms.MultipleChoiceField(
        label=_("Personal data to find"),
        required=False,
        choices=list(DETECTOR_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For personal data: when none is chosen, Koers looks for all of them."),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed domains"),
        required=False,
        widget=_textarea(3),
        help_text=_("For links: one domain per line, e.g. example.nl (subdomains included)."),
    )
    disclosure_tags = forms.CharField(
        label=_("Disclosure tags"),
        max_length=200,
        required=False,
        help_text=_("For paid content: one of these tags must be in the post, e.g. #ad."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "disclosure_tags" not in self.initial:
            self.initial["disclosure_tags"] = Guideline._meta.get_field(
                "disclosure_tags"
            ).get_default()

    def clean_rationale(self) -> str:
        return _text(self.cleaned_data["rationale"])

    def clean_example(self) -> str:
        return _text(self.cleaned_data["example"])

    def clean_terms(self) -> str:
        return _lines(self.cleaned_data["terms"])

    def clean_allowed_domains(self) -> str:
        return _lines(self.cleaned_data["allowed_domains"])

    def clean_disclosure_tags(self) -> str:
        return " ".join(self.cleaned_data["disclosure_tags"].split())

    def clean_detectors(self) -> list[str]:
        # In a fixed order, so the same choice never reads as a change.
        chosen = set(self.cleaned_data["detectors"])
        return [kind for kind in personal_data.KINDS if kind in chosen]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in VALUE_FIELDS}


class GuidelineEditForm(GuidelineForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Inactive guidelines are not checked and need no acknowledgement."),
    )
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=_textarea(2),
        help_text=_("Members see this note when a change asks them to read the guideline again."),
    )

    @classmethod
    def initial_for(cls, guideline: Guideline) -> dict:
        initial = {name: getattr(guideline, name) for name in VALUE_FIELDS}
        initial["is_active"] = guideline.is_active
        return initial

    def clean_change_note(self) -> str:
        return _text(self.cleaned_data["change_note"])


class AcknowledgeForm(forms.Form):
    version = forms.IntegerField(min_value=1)

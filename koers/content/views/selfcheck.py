"""Content views. Now: "check my own post", for every member."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from koers.content.selfcheck import basic_ruleset, lengths
from koers.guidelines.actions import ruleset_for
from koers.orgs.access import org_view
from koers.strategy.models import PLATFORM_LABELS

MAX_LENGTH = 10_000

# What a finding is, in words.
PERSONAL_DATA = {
    "bsn": _("a BSN (citizen service number)"),
    "iban": _("a bank account number (IBAN)"),
    "kvk": _("a KvK number"),
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
    "postcode": _("a home address"),
}


def _describe(finding) -> str:
    if finding.kind == "personal_data":
        return PERSONAL_DATA.get(finding.detail, finding.detail)
    if finding.kind == "abuse":
        return _("abusive or offensive language")
    if finding.kind == "disclosure":
        return _("paid content needs a tag such as #ad or #advertentie")
    if finding.kind == "confidential":
        return _("a confidential term")
    if finding.kind == "links":
        return _("a link to a domain that is not on the allowed list")
    return finding.kind


class SelfCheckForm(forms.Form):
    text = forms.CharField(
        label=_("Your text"),
        max_length=MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    paid = forms.BooleanField(label=_("This is paid content or a paid partnership"), required=False)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("org.view")
def self_check(request):
    """Paste a text meant for your own account and see what the guidelines say. The
    text is checked in memory and never stored or logged."""
    form = SelfCheckForm(request.POST or None)
    context = {"form": form, "checked": False}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        # The organisation's own guidelines; the basic rules until it has any.
        ruleset = ruleset_for(request.org) or basic_ruleset()
        result = ruleset.check(text, paid=form.cleaned_data["paid"])
        context.update(
            checked=True,
            result=result,
            findings=[
                {"finding": f, "what": _describe(f), "excerpt": text[f.start : f.end]}
                for f in result.findings
            ],
            lengths=[
                {"length": m, "label": PLATFORM_LABELS.get(m.platform, m.platform)}
                for m in lengths(text)
            ],
        )
    template = "content/_self_check_result.html" if request.htmx else "content/self_check.html"
    status = 400 if form.errors and not request.htmx else 200
    return render(request, template, context, status=status)

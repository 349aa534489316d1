"""The guideline library: every member reads the guidelines and acknowledges new
versions; owners and strategists write them and follow the acknowledgement rates.

Thin adapters: resolve through ``orgs/access.py``, parse with ``guidelines/forms.py``,
change through ``guidelines/actions.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.adapters import add_errors
from koers.guidelines import actions
from koers.guidelines.forms import (
    DETECTOR_LABELS,
    AcknowledgeForm,
    GuidelineEditForm,
    GuidelineForm,
)
from koers.guidelines.models import Guideline
from koers.orgs import access
from koers.orgs.access import org_view
from koers.orgs.capabilities import can


@require_GET
@org_view("org.view")
def library(request):
    guidelines = list(Guideline.objects.for_org(request.org))
    pending = actions.pending_for(request.membership)
    to_read = {version.guideline_id for version in pending}
    for guideline in guidelines:
        guideline.to_read = guideline.pk in to_read
    manage = can(request.membership, "guidelines.manage")
    return render(
        request,
        "guidelines/library.html",
        {
            "guidelines": [g for g in guidelines if g.is_active],
            # Only those who write guidelines see (and can switch back on) inactive ones.
            "inactive": [g for g in guidelines if not g.is_active] if manage else [],
            "pending_count": len(pending),
        },
    )


@require_GET
@org_view("org.view")
def guideline_detail(request, pk: int):
    guideline = access.get_guideline(request, pk)
    versions = list(guideline.versions.select_related("changed_by"))
    return render(
        request,
        "guidelines/detail.html",
        {
            "guideline": guideline,
            "versions": versions,
            "terms": guideline.terms.splitlines(),
            "domains": guideline.allowed_domains.splitlines(),
            "detectors": [DETECTOR_LABELS[kind] for kind in guideline.detectors],
        },
    )


@require_http_methods(["GET", "POST"])
@org_view("guidelines.manage")
def guideline_create(request):
    form = GuidelineForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            guideline = actions.create_guideline(
                request.org, by=request.user, request=request, **form.values()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Guideline “%(title)s” added.") % {"title": guideline.title}
            )
            return redirect("guidelines:detail", org_slug=request.org.slug, pk=guideline.pk)
    return render(
        request,
        "guidelines/form.html",
        {"form": form, "guideline": None, "title": _("New guideline")},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@org_view("guidelines.manage")
def guideline_edit(request, pk: int):
    guideline = access.get_guideline(request, pk, write=True)
    if request.method == "POST":
        form = GuidelineEditForm(request.POST)
    else:
        form = GuidelineEditForm(initial=GuidelineEditForm.initial_for(guideline))
    if form.is_valid():
        try:
            updated = actions.update_guideline(
                guideline,
                by=request.user,
                request=request,
                change_note=form.cleaned_data["change_note"],
                is_active=form.cleaned_data["is_active"],
                **form.values(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if updated.version != guideline.version:
                messages.success(
                    request,
                    _("Saved as version %(number)s. Members are asked to read the guideline again.")
                    % {"number": updated.version},
                )
            else:
                messages.success(request, _("Guideline saved."))
            return redirect("guidelines:detail", org_slug=request.org.slug, pk=guideline.pk)
    return render(
        request,
        "guidelines/form.html",
        {"form": form, "guideline": guideline, "title": _("Edit guideline")},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@org_view("org.view")
def acknowledge(request):
    """The member's guideline versions still to read, each with "I have read this"."""
    if request.method == "POST":
        form = AcknowledgeForm(request.POST)
        if form.is_valid():
            version = access.get_guideline_version(request, form.cleaned_data["version"])
            try:
                actions.acknowledge(request.membership, version, request=request)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Thank you: you have read “%(title)s”.") % {"title": version.title},
                )
            return redirect("guidelines:acknowledge", org_slug=request.org.slug)
    return render(
        request,
        "guidelines/acknowledge.html",
        {"pending": actions.pending_for(request.membership)},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@org_view("guidelines.manage")
def rates(request):
    overall, per_department = actions.acknowledgement_rates(request.org)
    return render(
        request,
        "guidelines/rates.html",
        {
            "overall": _percent(overall),
            "departments": [
                (name, _percent(rate)) for name, rate in sorted(per_department.items())
            ],
        },
    )


def _percent(rate: float | None) -> int | None:
    return None if rate is None else round(rate * 100)

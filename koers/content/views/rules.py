"""The organisation's approval rule: its steps in order, who approves each, whether one
or all of them must, and which items a step applies to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.adapters import add_errors
from koers.content import actions
from koers.content.models import ApprovalStep
from koers.content.review_forms import ApprovalStepForm, MoveForm
from koers.orgs import access
from koers.orgs.access import org_view


def _rules(request):
    return redirect("content:approval_rules", org_slug=request.org.slug)


@require_http_methods(["GET", "POST"])
@org_view("content.manage_rules")
def approval_rules(request):
    form = ApprovalStepForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            step = actions.add_approval_step(
                request.org, by=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Step “%(name)s” added.") % {"name": step.name})
            return _rules(request)
    return render(
        request,
        "content/approval_rules.html",
        {"steps": list(ApprovalStep.objects.for_org(request.org)), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@org_view("content.manage_rules")
def approval_rule_delete(request, pk: int):
    step = access.get_approval_step(request, pk)
    actions.delete_approval_step(step, by=request.membership, request=request)
    messages.success(request, _("Step “%(name)s” removed.") % {"name": step.name})
    return _rules(request)


@require_POST
@org_view("content.manage_rules")
def approval_rule_move(request, pk: int):
    step = access.get_approval_step(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a step up or down."))
        return _rules(request)
    try:
        actions.move_approval_step(
            step, by=request.membership, direction=form.cleaned_data["direction"], request=request
        )
    except ValidationError:
        messages.error(request, _("Move a step up or down."))
    return _rules(request)

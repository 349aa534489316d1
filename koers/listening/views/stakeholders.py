"""Stakeholders: the authors the organisation knows, per group (journalists, critics,
employees…), usable as ``group:journalist`` in queries and in the explorer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koers.adapters import add_errors
from koers.listening import actions
from koers.listening.forms import StakeholderForm
from koers.listening.models import Group, Stakeholder
from koers.orgs.access import get_stakeholder, org_view


def _render(request, form, status=200):
    by_group = {value: [] for value in Group.values}
    for stakeholder in Stakeholder.objects.filter(organisation=request.org).order_by(
        "group", "author"
    ):
        by_group.setdefault(stakeholder.group, []).append(stakeholder)
    groups = [
        {"key": value, "label": label, "members": by_group.get(value, [])}
        for value, label in Group.choices
    ]
    return render(
        request,
        "listening/stakeholders.html",
        {"form": form, "groups": groups, "total": sum(len(g["members"]) for g in groups)},
        status=status,
    )


@require_GET
@org_view("listening.view")
def stakeholder_list(request):
    return _render(request, StakeholderForm())


@require_POST
@org_view("listening.manage")
def stakeholder_add(request):
    form = StakeholderForm(request.POST)
    if form.is_valid():
        try:
            stakeholder = actions.add_stakeholder(
                request.org, by=request.membership, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(author)s is added to %(group)s.")
                % {"author": stakeholder.author, "group": stakeholder.get_group_display()},
            )
            return redirect("listening:stakeholders", org_slug=request.org.slug)
    return _render(request, form, status=400)


@require_POST
@org_view("listening.manage")
def stakeholder_remove(request, pk):
    stakeholder = get_stakeholder(request, pk, write=True)
    author, group = stakeholder.author, stakeholder.get_group_display()
    actions.remove_stakeholder(stakeholder, by=request.membership)
    messages.success(
        request, _("%(author)s is removed from %(group)s.") % {"author": author, "group": group}
    )
    return redirect("listening:stakeholders", org_slug=request.org.slug)

"""Incidents, a simple record for now: the list, and one incident with its linked
alerts, whose title, description and status those who handle alerts can change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koers.adapters import add_errors
from koers.alerts import actions
from koers.alerts.forms import IncidentForm
from koers.alerts.models import Incident
from koers.orgs.access import get_incident, org_view
from koers.orgs.capabilities import can

PAGE_SIZE = 50


@require_GET
@org_view("alerts.view")
def incident_list(request):
    incidents = (
        Incident.objects.for_org(request.org)
        .select_related("opened_by")
        .annotate(alert_count=Count("alerts"))
        .order_by("-opened_at", "-pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "alerts/incident_list.html", {"page": page, "incidents": page.object_list}
    )


@require_http_methods(["GET", "POST"])
@org_view("alerts.view")
def incident_detail(request, pk):
    incident = get_incident(request, pk, write=request.method == "POST")
    status = 200
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                actions.update_incident(
                    incident, by=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The incident is saved."))
                return redirect("alerts:incident", org_slug=request.org.slug, pk=incident.pk)
        status = 400
    else:
        form = IncidentForm(
            initial={
                "title": incident.title,
                "description": incident.description,
                "status": incident.status,
            }
        )
    return render(
        request,
        "alerts/incident_detail.html",
        {
            "incident": incident,
            "form": form,
            "alerts": incident.alerts.select_related("rule").order_by("-created_at"),
            "may_respond": can(request.membership, "alerts.respond"),
        },
        status=status,
    )

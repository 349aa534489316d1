"""The audit log for owners: a filtered list and a CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from koers.adapters import spreadsheet_safe
from koers.audit.actions import record_event
from koers.audit.models import Action, AuditEvent
from koers.orgs.access import org_view


def _filtered(request):
    events = AuditEvent.objects.for_org(request.org)
    action = request.GET.get("action", "")
    if action in Action.values:
        events = events.filter(action=action)
    person = request.GET.get("person", "").strip()
    if person:
        events = events.filter(actor_email__icontains=person)
    return events, {"action": action if action in Action.values else "", "person": person}


@require_GET
@org_view("audit.view")
def log(request):
    events, filters = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "filters": filters,
            "actions": Action.choices,
        },
    )


class _Echo:
    def write(self, value):
        return value


@require_GET
@org_view("audit.view")
def export(request):
    events, filters = _filtered(request)
    record_event(
        request.org,
        action=Action.EXPORT,
        by=request.user,
        request=request,
        target="audit log",
        details=filters,
    )
    zone = request.org.zone
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            ["time", "person", "action", "target", "details", "ip_address", "user_agent"]
        )
        for event in events.iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    event.created_at.astimezone(zone).isoformat(timespec="seconds"),
                    event.actor_email,
                    event.action,
                    spreadsheet_safe(event.target),
                    spreadsheet_safe(str(event.details)),
                    event.ip_address or "",
                    spreadsheet_safe(event.user_agent),
                ]
            )

    stamp = timezone.now().astimezone(zone).strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="koers-audit-{request.org.slug}-{stamp}.csv"'
    )
    return response

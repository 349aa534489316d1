"""The member's own in-app notifications of alerts, newest first, unread ones marked."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from koers.alerts.channels.in_app import mark_read
from koers.alerts.models import Notification
from koers.orgs.access import org_view

PER_PAGE = 50


@require_GET
@org_view("alerts.view")
def notification_list(request):
    notifications = Notification.objects.filter(
        organisation=request.org, user=request.user
    ).select_related("alert")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    unread = sum(1 for notification in page if notification.read_at is None)
    return render(request, "alerts/notifications.html", {"page": page, "unread": unread})


@require_POST
@org_view("alerts.view")
def notifications_read(request):
    mark_read(request.user, request.org)
    return redirect("alerts:notifications", org_slug=request.org.slug)

"""Alerts: the list (open first, newest first, filtered by status and severity), one
alert with what triggered it, the mentions behind it and its series as a chart, and
what people do with it: acknowledge, assign, resolve, open an incident."""

from __future__ import annotations

from datetime import timedelta

import pygal
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from pygal.style import Style

from koers.adapters import add_errors
from koers.alerts import actions
from koers.alerts.evaluate import SERIES_KEY, chart_points
from koers.alerts.forms import AlertFilterForm, AssignForm
from koers.alerts.models import Alert, AlertStatus, RuleKind
from koers.orgs.access import get_alert, org_view
from koers.orgs.capabilities import can
from koers.support.charts import COLOURS, DASHES, FONT, svg_filter

PAGE_SIZE = 50
# The chart shows the series from this long before the alert to this long after.
CHART_BEFORE = timedelta(hours=12)
CHART_AFTER = timedelta(hours=3)


@require_GET
@org_view("alerts.view")
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    data = form.cleaned_data if request.GET and form.is_valid() else {}
    alerts = Alert.objects.for_org(request.org).select_related("rule", "assigned_to")
    status = data.get("status") or ""
    if status == "":
        alerts = alerts.open()
    elif status != "all":
        alerts = alerts.filter(status=status)
    if data.get("severity"):
        alerts = alerts.filter(severity=data["severity"])
    alerts = alerts.annotate(
        status_order=Case(
            When(status=AlertStatus.OPEN, then=Value(0)),
            When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("status_order", "-created_at", "-pk")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "alerts/alert_list.html",
        {"form": form, "page": page, "alerts": page.object_list, "filters": filters},
    )


def _window(alert: Alert, points):
    start, end = alert.observed_at - CHART_BEFORE, alert.observed_at + CHART_AFTER
    return [p for p in points if start <= p[0] <= end]


@require_GET
@org_view("alerts.view")
def alert_detail(request, pk):
    alert = get_alert(request, pk)
    mentions = [
        am.mention
        for am in alert.alert_mentions.select_related("mention__source").order_by(
            "-mention__author_reach", "-mention__pk"
        )
    ]
    points = _window(alert, chart_points(alert.rule, alert.kind))
    may_respond = can(request.membership, "alerts.respond")
    responders = actions.responders(request.org) if may_respond else []
    explorer = None
    if alert.kind in SERIES_KEY:
        day = timezone.localtime(alert.observed_at).date()
        explorer = {"since": day.isoformat(), "until": day.isoformat()}
        if alert.rule and alert.rule.kind == RuleKind.SHARE_OF_VOICE:
            explorer["query"] = alert.rule.competitor_query_id
        elif alert.rule and alert.rule.query_id:
            explorer["query"] = alert.rule.query_id
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "mentions": mentions,
            "has_chart": len(points) >= 2,
            "is_share": alert.kind == RuleKind.SHARE_OF_VOICE,
            "is_series": alert.kind in SERIES_KEY,
            "assign_form": AssignForm(
                initial={"assignee": alert.assigned_to_id}, responders=responders
            ),
            "may_respond": may_respond,
            "incidents": alert.incidents.all(),
            "explorer": explorer,
        },
    )


def chart_svg(alert: Alert, points) -> str:
    font = 14
    style = Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2a30",
        foreground_strong="#1d2a30",
        foreground_subtle="#d5dde0",
        opacity="1",
        opacity_hover="1",
        guide_stroke_color="#d5dde0",
        major_guide_stroke_color="#b7c3c7",
        colors=COLOURS,
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        tooltip_font_size=font,
        title_font_size=font + 2,
        no_data_font_size=font + 4,
    )
    chart = pygal.Line(
        style=style,
        width=900,
        height=360,
        js=[],
        disable_xml_declaration=True,
        show_dots=False,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(len(points) // 6, 1),
        truncate_label=-1,
        margin=12,
        no_data_text=_("No data for this period"),
    )
    if alert.kind == RuleKind.SHARE_OF_VOICE:
        value_label = _("Competitor's share, last hour (%)")
        baseline_label = _("Competitor's share, the 24 hours before (%)")
    elif alert.kind == RuleKind.SENTIMENT_DIP:
        value_label = _("Negative mentions per 5 minutes")
        baseline_label = _("Usual at this hour (average of the previous 7 days)")
    else:
        value_label = _("Mentions per 5 minutes")
        baseline_label = _("Usual at this hour (average of the previous 7 days)")
    chart.add_xml_filter(svg_filter(alert.title))
    chart.x_labels = [timezone.localtime(p[0]).strftime("%d-%m %H:%M") for p in points]
    chart.add(value_label, [p[1] for p in points], stroke_style={"width": 2})
    chart.add(
        baseline_label,
        [p[2] for p in points],
        stroke_style={"width": 2, "dasharray": DASHES[1]},
    )
    return chart.render()


@require_GET
@org_view("alerts.view")
@csp_update({"style-src": ["'unsafe-inline'"]})
def alert_chart(request, pk):
    """The alert's series around the moment it fired, as SVG (pygal; its styles are a
    ``<style>`` element inside the SVG, which only this response allows). Labels are
    escaped by pygal's XML writer."""
    alert = get_alert(request, pk)
    points = _window(alert, chart_points(alert.rule, alert.kind))
    response = HttpResponse(chart_svg(alert, points), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


def _back(request, alert):
    return redirect("alerts:detail", org_slug=request.org.slug, pk=alert.pk)


@require_POST
@org_view("alerts.view")
def alert_acknowledge(request, pk):
    alert = get_alert(request, pk, write=True)
    actions.acknowledge_alert(alert, by=request.user, request=request)
    messages.success(request, _("You acknowledged this alert."))
    return _back(request, alert)


@require_POST
@org_view("alerts.view")
def alert_assign(request, pk):
    alert = get_alert(request, pk, write=True)
    responders = actions.responders(request.org)
    form = AssignForm(request.POST, responders=responders)
    if form.is_valid():
        by_id = {m.user_id: m.user for m in responders}
        assignee = by_id.get(form.cleaned_data["assignee"])
        try:
            actions.assign_alert(alert, assignee=assignee, by=request.user, request=request)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        messages.error(request, _("Choose a member of this organisation who may handle alerts."))
        return _back(request, alert)
    messages.success(request, _("The alert's assignee is saved."))
    return _back(request, alert)


@require_POST
@org_view("alerts.view")
def alert_resolve(request, pk):
    alert = get_alert(request, pk, write=True)
    actions.resolve_alert(alert, by=request.user, request=request)
    messages.success(request, _("The alert is resolved."))
    return _back(request, alert)


@require_POST
@org_view("alerts.view")
def alert_open_incident(request, pk):
    alert = get_alert(request, pk, write=True)
    incident = actions.open_incident(alert, by=request.user, request=request)
    messages.success(request, _("The incident is open."))
    return redirect("alerts:incident", org_slug=request.org.slug, pk=incident.pk)

"""The alert pages: the list (open first, filters, bounded queries), one alert with its
facts, mentions and chart, and acknowledging, assigning and resolving; who may do what
(an outsider gets 404, a read-only role 403, and nothing changes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.alerts.evaluate import evaluate_organisation
from koers.alerts.models import Alert, AlertRule, AlertStatus, RuleKind
from koers.alerts.series import bucket_start
from koers.alerts.tests.replay import NOW, add_mentions, burst, steady
from koers.audit.models import AuditEvent
from koers.orgs.capabilities import Role
from koers.tests.cast import make_alerts, make_listening

pytestmark = pytest.mark.django_db


def url(org, path=""):
    return f"/o/{org.slug}/alerts/{path}"


def _alert(org, rule, **values):
    values.setdefault("title", "Alert")
    return Alert.objects.create(
        organisation=org,
        rule=rule,
        kind=rule.kind,
        severity=values.pop("severity", 3),
        observed_at=timezone.now(),
        **values,
    )


def test_list_puts_open_alerts_first_and_filters(client, cast):
    org = cast.a.org
    alerts = make_alerts(org)
    resolved = _alert(org, alerts.rule, title="Opgelost", status=AlertStatus.RESOLVED)
    acknowledged = _alert(org, alerts.rule, title="Gezien", status=AlertStatus.ACKNOWLEDGED)
    newest_open = _alert(org, alerts.rule, title="Nieuwste", severity=5)
    make_alerts(cast.b.org)  # another organisation's alert is never listed
    client.force_login(cast.a[Role.WEBCARE].user)

    response = client.get(url(org))
    assert response.status_code == 200
    assert list(response.context["alerts"]) == [newest_open, alerts.alert, acknowledged]
    everything = client.get(url(org), {"status": "all"}).context["alerts"]
    assert list(everything) == [newest_open, alerts.alert, acknowledged, resolved]
    assert list(client.get(url(org), {"status": "resolved"}).context["alerts"]) == [resolved]
    assert list(client.get(url(org), {"severity": "5"}).context["alerts"]) == [newest_open]


def test_list_query_count_does_not_grow(client, cast):
    org = cast.a.org
    alerts = make_alerts(org)
    client.force_login(cast.a[Role.OWNER].user)
    client.get(url(org))
    with CaptureQueriesContext(connection) as few:
        client.get(url(org))
    for number in range(20):
        _alert(org, alerts.rule, title=f"A{number}", assigned_to=cast.a[Role.EDITOR].user)
    with CaptureQueriesContext(connection) as many:
        client.get(url(org))
    assert len(many) <= len(few) + 1


def test_detail_shows_what_triggered_it_and_draws_the_series(client, cast):
    org = cast.a.org
    listening = make_listening(org)
    rule = AlertRule.objects.create(
        organisation=org, name="Piek", kind=RuleKind.VOLUME_SPIKE, query=listening.query
    )
    # A fixed moment: whether a burst fires must not depend on the time of day the
    # suite runs (the detector knows the hour of the day).
    now = NOW
    add_mentions(
        listening.source,
        steady(now - timedelta(hours=30), now, 5, 8),
        query=listening.query,
    )
    add_mentions(
        listening.source,
        burst(bucket_start(now - timedelta(minutes=40)), 60),
        query=listening.query,
        text="<script>alert(1)</script>",
    )
    (alert,) = evaluate_organisation(org.pk, now)
    assert alert.rule == rule
    client.force_login(cast.a[Role.ADVISOR].user)

    response = client.get(url(org, f"{alert.pk}/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert alert.title in page
    assert "Piek" in page
    assert response.context["has_chart"]
    assert len(response.context["mentions"]) == 10
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    # Read-only: no buttons.
    assert "alert-acknowledge" not in page

    chart = client.get(url(org, f"{alert.pk}/chart.svg"))
    assert chart.status_code == 200
    assert chart["Content-Type"].startswith("image/svg+xml")
    svg = chart.content.decode()
    assert "<script" not in svg
    assert "Mentions per 5 minutes" in svg
    assert "average of the previous 7 days" in svg


def test_acknowledge_assign_resolve(client, cast):
    org = cast.a.org
    alerts = make_alerts(org)
    editor = cast.a[Role.EDITOR].user
    client.force_login(editor)
    base = url(org, f"{alerts.alert.pk}/")

    assert client.get(base + "acknowledge/").status_code == 405
    assert client.post(base + "acknowledge/").status_code == 302
    alerts.alert.refresh_from_db()
    assert alerts.alert.status == AlertStatus.ACKNOWLEDGED
    assert alerts.alert.acknowledged_by == editor

    webcare = cast.a[Role.WEBCARE].user
    assert client.post(base + "assign/", {"assignee": webcare.pk}).status_code == 302
    alerts.alert.refresh_from_db()
    assert alerts.alert.assigned_to == webcare
    # Only members who may respond can be assigned: not the advisor, not an outsider.
    for nobody in (cast.a[Role.ADVISOR].user, cast.outsider.user):
        client.post(base + "assign/", {"assignee": nobody.pk})
        alerts.alert.refresh_from_db()
        assert alerts.alert.assigned_to == webcare

    assert client.post(base + "resolve/").status_code == 302
    alerts.alert.refresh_from_db()
    assert alerts.alert.status == AlertStatus.RESOLVED
    actions = set(AuditEvent.objects.filter(organisation=org).values_list("action", flat=True))
    assert {"alert_acknowledged", "alert_assigned", "alert_resolved"} <= actions


@pytest.mark.parametrize("action", ["acknowledge/", "assign/", "resolve/", "incident/"])
def test_read_only_roles_and_outsiders_change_nothing(client, cast, action):
    org = cast.a.org
    alerts = make_alerts(org)
    base = url(org, f"{alerts.alert.pk}/")
    data = {"assignee": cast.a[Role.ADVISOR].user.pk}
    client.force_login(cast.a[Role.ADVISOR].user)  # sees alerts, may not respond
    assert client.get(base).status_code == 200
    assert client.post(base + action, data).status_code == 403
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(base).status_code == 403
    assert client.post(base + action, data).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(base).status_code == 404
    assert client.get(base + "chart.svg").status_code == 404
    assert client.post(base + action, data).status_code == 404
    # The outsider's own organisation does not reach another's alert either.
    assert client.post(url(cast.b.org, f"{alerts.alert.pk}/") + action, data).status_code == 404
    alerts.alert.refresh_from_db()
    assert alerts.alert.status == AlertStatus.OPEN
    assert alerts.alert.assigned_to is None
    assert alerts.alert.incidents.count() == 1


def test_list_and_pages_for_the_outsider(client, cast):
    make_alerts(cast.a.org)
    client.force_login(cast.outsider.user)
    assert client.get(url(cast.a.org)).status_code == 404
    assert client.get(f"/o/{cast.a.org.slug}/incidents/").status_code == 404

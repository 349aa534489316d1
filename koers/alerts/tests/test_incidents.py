"""Incidents: opened from an alert (titled after it, linked to it), listed, edited by
those who respond to alerts; closed and reopened."""

from __future__ import annotations

import pytest

from koers.alerts.models import AlertStatus, Incident, IncidentStatus
from koers.orgs.capabilities import Role
from koers.tests.cast import make_alerts

pytestmark = pytest.mark.django_db


def test_open_an_incident_from_an_alert(client, cast):
    org = cast.a.org
    alerts = make_alerts(org)
    alerts.incident.alerts.clear()
    client.force_login(cast.a[Role.WEBCARE].user)

    response = client.post(f"/o/{org.slug}/alerts/{alerts.alert.pk}/incident/")
    incident = Incident.objects.exclude(pk=alerts.incident.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/o/{org.slug}/incidents/{incident.pk}/"
    assert incident.title == alerts.alert.title
    assert list(incident.alerts.all()) == [alerts.alert]
    assert incident.opened_by == cast.a[Role.WEBCARE].user
    alerts.alert.refresh_from_db()
    assert alerts.alert.status == AlertStatus.ACKNOWLEDGED
    # Again: the same open incident, not a second one.
    client.post(f"/o/{org.slug}/alerts/{alerts.alert.pk}/incident/")
    assert Incident.objects.filter(alerts=alerts.alert).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert alerts.alert.title in page
    listing = client.get(f"/o/{org.slug}/incidents/").content.decode()
    assert incident.title in listing


def test_edit_close_and_refuse(client, cast):
    org = cast.a.org
    alerts = make_alerts(org)
    incident = alerts.incident
    path = f"/o/{org.slug}/incidents/{incident.pk}/"
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.post(
        path, {"title": "Webshop plat", "description": "Oorzaak: DNS.", "status": "closed"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Webshop plat", IncidentStatus.CLOSED)
    assert incident.closed_at is not None
    response = client.post(path, {"title": "", "description": "", "status": "open"})
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    incident.refresh_from_db()
    assert incident.title == "Webshop plat"


def test_who_may_see_and_edit_incidents(client, cast):
    org = cast.a.org
    incident = make_alerts(org).incident
    path = f"/o/{org.slug}/incidents/{incident.pk}/"
    data = {"title": "Anders", "description": "", "status": "closed"}
    client.force_login(cast.a[Role.ADVISOR].user)
    assert client.get(path).status_code == 200
    assert client.post(path, data).status_code == 403
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(f"/o/{org.slug}/incidents/").status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(path).status_code == 404
    assert client.post(path, data).status_code == 404
    assert client.get(f"/o/{cast.b.org.slug}/incidents/{incident.pk}/").status_code == 404
    incident.refresh_from_db()
    assert (incident.title, incident.status) == ("Storing in de webshop", IncidentStatus.OPEN)

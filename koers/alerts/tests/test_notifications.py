"""The notifications page: a member's own notifications only, newest first, unread ones
marked, "mark all as read", and the unread count for the menu."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.alerts.channels.in_app import mark_read, notify, unread_count
from koers.alerts.models import Notification
from koers.alerts.tests.channel_cast import make_alert, make_rule
from koers.orgs.capabilities import Role

pytestmark = pytest.mark.django_db


def url(org, path=""):
    return f"/o/{org.slug}/alerts/notifications/{path}"


@pytest.fixture
def notified(cast):
    """Two alerts for the webcare agent (the older one read), one for the owner."""
    rule = make_rule(cast.a.org)
    older = make_alert(rule, title="Older <b>spike</b>")
    newer = make_alert(rule, title="Newer dip")
    webcare = cast.a[Role.WEBCARE].user
    Notification.objects.create(
        organisation=cast.a.org,
        user=webcare,
        alert=older,
        created_at=timezone.now() - timedelta(hours=1),
        read_at=timezone.now(),
    )
    Notification.objects.create(organisation=cast.a.org, user=webcare, alert=newer)
    notify(cast.a.org, [older.pk], [cast.a[Role.OWNER].user])
    return older, newer


def test_a_member_sees_their_own_notifications_newest_first(client, cast, notified):
    older, newer = notified
    client.force_login(cast.a[Role.WEBCARE].user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(cast.a.org))
    assert response.status_code == 200
    assert len(queries) <= 10
    rows = list(response.context["page"])
    assert [n.alert for n in rows] == [newer, older]
    assert response.context["unread"] == 1
    page = response.content.decode()
    assert page.index("Newer dip") < page.index("Older &lt;b&gt;spike&lt;/b&gt;")
    assert "<b>spike</b>" not in page
    assert f"/o/org-a/alerts/{newer.pk}/" in page
    assert "notification-unread" in page and "notification-read" in page
    assert "Mark all as read" in page


def test_mark_all_as_read_touches_only_ones_own(client, cast, notified):
    client.force_login(cast.a[Role.WEBCARE].user)
    response = client.post(url(cast.a.org, "read/"))
    assert response.status_code == 302
    assert unread_count(cast.a[Role.WEBCARE].user, cast.a.org) == 0
    assert unread_count(cast.a[Role.OWNER].user, cast.a.org) == 1
    assert client.get(url(cast.a.org, "read/")).status_code == 405


def test_unread_count_and_mark_read_per_alert(cast, notified):
    older, newer = notified
    webcare = cast.a[Role.WEBCARE].user
    assert unread_count(webcare, cast.a.org) == 1
    assert unread_count(webcare, cast.b.org) == 0
    assert mark_read(webcare, cast.a.org, alert=older) == 0  # already read
    assert mark_read(webcare, cast.a.org, alert=newer) == 1
    assert unread_count(webcare, cast.a.org) == 0


def test_who_may_open_the_page(client, cast, notified):
    client.force_login(cast.a[Role.ADVISOR].user)
    assert client.get(url(cast.a.org)).status_code == 200
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(url(cast.a.org)).status_code == 403
    assert client.post(url(cast.a.org, "read/")).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(url(cast.a.org)).status_code == 404
    assert client.post(url(cast.a.org, "read/")).status_code == 404
    # The outsider's own page in B shows nothing of A.
    assert list(client.get(url(cast.b.org)).context["page"]) == []
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_an_empty_page_says_so(client, cast):
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.get(url(cast.a.org))
    assert "No notifications" in response.content.decode()
    assert "Mark all as read" not in response.content.decode()

"""The audit log page and its CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from koers.audit.actions import record_event
from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role

pytestmark = pytest.mark.django_db


def _export(client, org, **params):
    response = client.get(reverse("audit:export", args=[org.slug]), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_owner_sees_only_their_organisations_events(owner_client, cast):
    record_event(cast.a.org, action=Action.SETTINGS_CHANGED, target="in A")
    record_event(cast.b.org, action=Action.SETTINGS_CHANGED, target="in B")
    page = owner_client.get(reverse("audit:log", args=[cast.a.org.slug])).content.decode()
    assert "in A" in page and "in B" not in page


def test_filter_by_action_and_person(owner_client, cast):
    record_event(
        cast.a.org, action=Action.EXPORT, actor_email="iemand@example.nl", target="doel-één"
    )
    record_event(
        cast.a.org, action=Action.EXPORT, actor_email="ander@example.nl", target="doel-twee-ß"
    )
    record_event(
        cast.a.org, action=Action.LOGIN, actor_email="iemand@example.nl", target="doel-drie-ø"
    )
    page = owner_client.get(
        reverse("audit:log", args=[cast.a.org.slug]), {"action": "export", "person": "iemand"}
    ).content.decode()
    assert "doel-één" in page and "doel-twee-ß" not in page and "doel-drie-ø" not in page


def test_csv_export_has_every_event_and_is_itself_logged(owner_client, cast):
    record_event(
        cast.a.org,
        action=Action.ROLE_CHANGED,
        actor_email="a@example.nl",
        target="b@example.nl",
        details={"before": {"role": "employee"}},
    )
    rows = _export(owner_client, cast.a.org)
    assert rows[0] == ["time", "person", "action", "target", "details", "ip_address", "user_agent"]
    # Newest first: the export itself, then the change, then the owner's login.
    assert [r[2] for r in rows[1:]] == ["export", "role_changed", "login"]
    assert rows[2][3] == "b@example.nl"
    assert rows[2][0].endswith(("+01:00", "+02:00")), "times in the organisation's zone"
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert (export.actor, export.organisation) == (cast.a[Role.OWNER].user, cast.a.org)


def test_csv_cells_cannot_carry_spreadsheet_formulas(owner_client, cast):
    record_event(cast.a.org, action=Action.INVITATION_SENT, target='=HYPERLINK("http://x")')
    rows = _export(owner_client, cast.a.org, action="invitation_sent")
    assert rows[1][3] == '\'=HYPERLINK("http://x")'


def test_list_is_paginated_with_a_bounded_number_of_queries(
    owner_client, cast, django_assert_max_num_queries
):
    AuditEvent.objects.bulk_create(
        AuditEvent(organisation=cast.a.org, action=Action.LOGIN, actor_email=f"p{n}@x.nl")
        for n in range(120)
    )
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("audit:log", args=[cast.a.org.slug]))
    assert response.content.decode().count("<time ") == 50


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry may be forged
        (2, "203.0.113.9", "10.0.0.2"),
        (1, "not-an-address", None),
    ],
)
def test_client_address_behind_proxies(rf, settings, proxies, forwarded, expected):
    from koers.audit.actions import client_address

    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected

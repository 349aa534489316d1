"""The channel pages through the test client: who may manage channels, the address
refused with its reason (and nothing saved), secrets never shown back (a generated one
shown once), the test message, deletion and the audit log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.alerts.models import Channel, ChannelKind
from koers.alerts.tests.channel_cast import (
    english,  # noqa: F401 (fixture)
    make_channel,
    private_ok,  # noqa: F401 (fixture)
)
from koers.audit.models import AuditEvent
from koers.listening.secrets import decrypt
from koers.orgs.capabilities import Role
from koers.platforms.tests.receiver import receive
from koers.platforms.tests.servers import Reply

pytestmark = pytest.mark.django_db

SLACK_URL = "https://hooks.slack.com/services/T000/B000/very-secret-key"


def url(org, path=""):
    return f"/o/{org.slug}/alerts/channels/{path}"


def login(client, cast, role, org="a"):
    client.force_login(getattr(cast, org)[role].user)
    return client


def test_managers_of_alerts_see_the_pages_others_do_not(client, cast):
    channel = make_channel(cast.a.org, ChannelKind.SLACK, url=SLACK_URL)
    paths = ["", "new/?kind=slack", f"{channel.pk}/"]
    for role in (Role.OWNER, Role.STRATEGIST):
        for path in paths:
            assert login(client, cast, role).get(url(cast.a.org, path)).status_code == 200, path
    for role in (Role.EDITOR, Role.MANAGER, Role.WEBCARE, Role.EMPLOYEE):
        for path in paths:
            assert login(client, cast, role).get(url(cast.a.org, path)).status_code == 403, path
    # The outsider owns organisation B: A's channels do not exist for them.
    client.force_login(cast.outsider.user)
    for path in paths:
        assert client.get(url(cast.a.org, path)).status_code == 404, path
    assert client.get(url(cast.b.org, f"{channel.pk}/")).status_code == 404


def test_writes_are_refused_and_change_nothing(client, cast):
    channel = make_channel(cast.a.org, ChannelKind.SLACK, url=SLACK_URL, name="Webcare")
    data = {"name": "Taken over", "url": "https://evil.example/x", "is_active": "on"}
    for client_role, org, expected in ((Role.EDITOR, "a", 403), (Role.OWNER, "b", 404)):
        login(client, cast, client_role, org)
        for path in (f"{channel.pk}/", f"{channel.pk}/test/", f"{channel.pk}/delete/"):
            assert client.post(url(cast.a.org, path), data).status_code == expected, path
        response = client.post(url(cast.a.org, "new/"), {"kind": "slack", **data})
        assert response.status_code == expected
    channel.refresh_from_db()
    assert channel.name == "Webcare"
    assert decrypt(channel.url_encrypted) == SLACK_URL
    assert Channel.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="alert_channel").exists()


@pytest.mark.usefixtures("english")
def test_the_list_shows_the_host_and_the_last_error_never_the_address(client, cast):
    channel = make_channel(
        cast.a.org,
        ChannelKind.SLACK,
        url=SLACK_URL,
        url_host="hooks.slack.com",
        last_error="The server answered 500.",
        last_error_at="2025-03-10T10:00:00Z",
    )
    make_channel(cast.a.org, ChannelKind.EMAIL)
    make_channel(cast.a.org, ChannelKind.IN_APP).recipients.set([cast.a[Role.OWNER].user])
    login(client, cast, Role.OWNER)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url(cast.a.org)).content.decode()
    assert len(queries) <= 12
    assert "hooks.slack.com" in page
    assert "very-secret-key" not in page
    assert "The server answered 500." in page
    assert "members who respond to alerts" in page
    assert "1 member" in page
    edit = client.get(url(cast.a.org, f"{channel.pk}/")).content.decode()
    assert "very-secret-key" not in edit
    assert "The server answered 500." in edit


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1 is on a private or internal network"),
        ("https://10.20.30.40/hook", "10.20.30.40 is on a private or internal network"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is on a private"),
        ("https://localhost/hook", "localhost (127.0.0.1) is on a private or internal"),
        ("not an address", "This is not a valid web address."),
        ("http://hooks.example.org/x", "Use an address that starts with https://"),
    ],
)
def test_an_internal_or_malformed_address_is_refused_with_the_reason(
    client, cast, settings, address, reason
):
    settings.OUTGOING_ALLOW_PRIVATE = False
    login(client, cast, Role.OWNER)
    data = {"kind": "slack", "name": "Slack", "url": address, "is_active": "on"}
    response = client.post(url(cast.a.org, "new/"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["url"]
    assert reason in errors[0]
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert not Channel.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="alert_channel").exists()


@pytest.mark.usefixtures("english")
def test_a_webhook_needs_an_address(client, cast):
    login(client, cast, Role.OWNER)
    response = client.post(url(cast.a.org, "new/"), {"kind": "teams", "name": "Teams"})
    assert response.status_code == 400
    assert response.context["form"].errors["url"] == [
        "Paste the webhook address the service gave you."
    ]
    assert not Channel.objects.exists()


@pytest.mark.usefixtures("english", "private_ok")
def test_a_json_webhook_gets_a_secret_shown_once(client, cast):
    login(client, cast, Role.OWNER)
    data = {"kind": "webhook", "name": "SIEM", "url": "http://127.0.0.1:9/in", "is_active": "on"}
    response = client.post(url(cast.a.org, "new/"), data)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    channel = Channel.objects.get()
    secret = decrypt(channel.secret_encrypted)
    assert len(secret) >= 40
    assert secret in response.content.decode()
    assert decrypt(channel.url_encrypted) == "http://127.0.0.1:9/in"
    assert channel.url_host == "127.0.0.1"
    # Not again: the edit page keeps it (and the address) to itself.
    edit = client.get(url(cast.a.org, f"{channel.pk}/")).content.decode()
    assert secret not in edit and "127.0.0.1:9/in" not in edit
    # Saving without a new address or secret keeps both.
    response = client.post(url(cast.a.org, f"{channel.pk}/"), {"name": "SIEM 2"})
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "SIEM 2" and not channel.is_active
    assert decrypt(channel.secret_encrypted) == secret
    assert decrypt(channel.url_encrypted) == "http://127.0.0.1:9/in"
    # A secret of one's own is kept and not shown; a renewal is shown once.
    client.post(url(cast.a.org, f"{channel.pk}/"), {"name": "SIEM", "secret": "short"})
    assert decrypt(Channel.objects.get().secret_encrypted) == secret
    response = client.post(
        url(cast.a.org, f"{channel.pk}/"), {"name": "SIEM", "renew_secret": "on"}
    )
    renewed = decrypt(Channel.objects.get().secret_encrypted)
    assert renewed != secret and renewed in response.content.decode()


@pytest.mark.usefixtures("english")
def test_recipients_are_members_who_may_see_alerts(client, cast):
    login(client, cast, Role.OWNER)
    webcare = cast.a[Role.WEBCARE].user
    data = {
        "kind": "email",
        "name": "Mail",
        "recipients": [webcare.pk],
        "is_active": "on",
        # Fields of other kinds are ignored, not stored.
        "url": "https://hooks.example.org/x",
        "secret": "a secret that is long enough",
    }
    assert client.post(url(cast.a.org, "new/"), data).status_code == 302
    channel = Channel.objects.get()
    assert list(channel.recipients.all()) == [webcare]
    assert channel.url_encrypted == "" and channel.url_host == ""
    assert channel.secret_encrypted == ""
    # An employee (no alerts.view) and someone of organisation B cannot be chosen.
    for outsider in (cast.a[Role.EMPLOYEE].user, cast.b[Role.OWNER].user):
        data = {"name": "Mail", "recipients": [outsider.pk], "is_active": "on"}
        response = client.post(url(cast.a.org, f"{channel.pk}/"), data)
        assert response.status_code == 400
        assert "recipients" in response.context["form"].errors
    assert list(Channel.objects.get().recipients.all()) == [webcare]


@pytest.mark.usefixtures("english", "private_ok")
def test_create_edit_and_delete_are_audited(client, cast):
    login(client, cast, Role.STRATEGIST)
    data = {"kind": "mattermost", "name": "MM", "url": "http://127.0.0.1:9/hooks/abc"}
    assert client.post(url(cast.a.org, "new/"), {**data, "is_active": "on"}).status_code == 302
    channel = Channel.objects.get()
    client.post(url(cast.a.org, f"{channel.pk}/"), {"name": "MM", "url": "http://127.0.0.1:8/h"})
    assert client.post(url(cast.a.org, f"{channel.pk}/delete/")).status_code == 302
    assert not Channel.objects.exists()
    events = AuditEvent.objects.for_org(cast.a.org).filter(action__startswith="alert_channel")
    assert [e.action for e in events.order_by("id")] == [
        "alert_channel_created",
        "alert_channel_changed",
        "alert_channel_deleted",
    ]
    changed = events.get(action="alert_channel_changed")
    assert changed.details["changed"] == ["address"]
    assert changed.actor == cast.a[Role.STRATEGIST].user
    assert all("hooks/abc" not in str(e.details) for e in events)


@pytest.mark.usefixtures("english", "private_ok")
def test_a_test_message_shows_its_outcome(client, cast):
    login(client, cast, Role.OWNER)
    with receive(Reply(404, "no_service"), Reply(200)) as receiver:
        channel = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url, name="Slack")
        response = client.post(url(cast.a.org, f"{channel.pk}/test/"), follow=True)
        assert "The test message to “Slack” failed: The address was not found (404)." in (
            response.content.decode()
        )
        response = client.post(url(cast.a.org, f"{channel.pk}/test/"), follow=True)
        assert "A test message went to “Slack”." in response.content.decode()
    assert len(receiver.requests) == 2
    assert receiver.requests[1].json()["text"] == "Koers: test message"
    channel.refresh_from_db()
    assert channel.last_delivery_at is not None
    assert channel.last_error.startswith("The address was not found (404).")


@pytest.mark.usefixtures("english")
def test_a_test_of_an_in_app_channel_names_who_sees_it(client, cast):
    login(client, cast, Role.OWNER)
    channel = make_channel(cast.a.org, ChannelKind.IN_APP, name="Koers")
    channel.recipients.set([cast.a[Role.WEBCARE].user])
    response = client.post(url(cast.a.org, f"{channel.pk}/test/"), follow=True)
    assert "alerts are shown in Koers to webcare@org-a.example" in response.content.decode()


def test_get_is_not_allowed_on_post_only_pages(client, cast):
    channel = make_channel(cast.a.org, ChannelKind.IN_APP)
    login(client, cast, Role.OWNER)
    for path in (f"{channel.pk}/test/", f"{channel.pk}/delete/"):
        assert client.get(url(cast.a.org, path)).status_code == 405
    assert Channel.objects.filter(pk=channel.pk).exists()


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("in_app", {"recipients"}),
        ("email", {"recipients"}),
        ("slack", {"url"}),
        ("teams", {"url"}),
        ("mattermost", {"url"}),
        ("webhook", {"url", "secret"}),
    ],
)
def test_the_form_shows_what_the_kind_needs(client, cast, kind, fields):
    login(client, cast, Role.OWNER)
    response = client.get(url(cast.a.org, f"new/?kind={kind}"))
    assert response.status_code == 200
    assert response.context["shown"] == fields
    page = response.content.decode()
    assert ('name="url"' in page) is ("url" in fields)
    assert ('name="recipients"' in page) is ("recipients" in fields)
    assert f'name="kind" value="{kind}"' in page

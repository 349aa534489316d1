"""Each channel kind's message, as the receiving service gets it: Slack, Teams and
Mattermost payloads with user text escaped, the signed JSON webhook (verified the way
docs/alerts-channels.md tells a receiver to), e-mail and in-app notifications; and the
address check at save time."""

import hashlib
import hmac
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError

from koers.alerts import delivery
from koers.alerts.channels import get_kind
from koers.alerts.channels.base import check_url
from koers.alerts.channels.mattermost import escape as mattermost_escape
from koers.alerts.models import ChannelKind, Notification
from koers.alerts.tests.channel_cast import (
    SECRET,
    english,  # noqa: F401 (fixture)
    make_alert,
    make_channel,
    make_rule,
    private_ok,  # noqa: F401 (fixture)
)
from koers.orgs.capabilities import Role
from koers.platforms.tests.receiver import receive

NASTY = "<!channel> *bold* & <https://evil.example|click> @all [x](https://evil.example)"


def sent(channel, alerts, *, digest=False):
    """Send through the channel to a receiver and return the request it got."""
    with receive() as receiver:
        channel.url_encrypted = make_channel(channel.organisation, url=receiver.url).url_encrypted
        channel.save()
        delivery.send(channel, alerts, digest=digest)
    [request] = receiver.requests
    return request


@pytest.mark.usefixtures("english", "private_ok")
def test_slack_escapes_user_text_and_links_to_the_alert(cast):
    rule = make_rule(cast.a.org)
    alert = make_alert(rule, title=NASTY)
    channel = make_channel(cast.a.org, ChannelKind.SLACK)
    payload = sent(channel, [alert]).json()
    assert payload["text"].startswith("Koers alert: &lt;!channel&gt; *bold* &amp; &lt;https")
    header, section, context = payload["blocks"]
    # Plain text (the header) is shown as it is; only mrkdwn reads control characters.
    assert header["text"]["type"] == "plain_text" and len(header["text"]["text"]) <= 150
    text = section["text"]["text"]
    assert "<!channel>" not in text and "<https://evil" not in text
    assert text.startswith("*&lt;!channel&gt;")
    assert "Severity 3 of 5" in text
    assert "42 mentions in 5 minutes; normally 10." in text
    assert "Observed 42; normally 10.50." in text
    link = f"<{settings.BASE_URL}/o/{cast.a.org.slug}/alerts/{alert.pk}/|Open in Koers>"
    assert link in context["elements"][0]["text"]


@pytest.mark.usefixtures("english", "private_ok")
def test_teams_sends_an_adaptive_card_with_literal_text(cast):
    alert = make_alert(make_rule(cast.a.org, severity=5), title="**Storm** <b>")
    payload = sent(make_channel(cast.a.org, ChannelKind.TEAMS), [alert]).json()
    assert payload["type"] == "message"
    [attachment] = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    container = card["body"][1]
    runs = [block["inlines"][0]["text"] for block in container["items"] if "inlines" in block]
    # TextRuns are never read as Markdown: the title goes as it is.
    assert runs[0] == "**Storm** <b>"
    assert runs[1].startswith("Severity 5 of 5 · ")
    [action] = container["items"][-1]["actions"]
    assert action == {
        "type": "Action.OpenUrl",
        "title": "Open in Koers",
        "url": f"{settings.BASE_URL}/o/{cast.a.org.slug}/alerts/{alert.pk}/",
    }


@pytest.mark.usefixtures("english", "private_ok")
def test_mattermost_sends_escaped_markdown(cast):
    alert = make_alert(make_rule(cast.a.org), title=NASTY)
    payload = sent(make_channel(cast.a.org, ChannelKind.MATTERMOST), [alert]).json()
    assert payload["username"] == "Koers"
    text = payload["text"]
    assert text.startswith("#### Koers alert: \\<\\!channel\\> \\*bold\\* & ")
    assert "@all" not in text and "@\u200ball" in text
    assert "\\[x\\]\\(https://evil.example\\)" in text
    assert f"[Open in Koers]({settings.BASE_URL}/o/{cast.a.org.slug}/alerts/{alert.pk}/)" in text
    assert mattermost_escape("a_b") == "a\\_b"


def verify(secret: str, headers: dict, body: bytes, *, tolerance: int = 300) -> bool:
    """What a receiver does (docs/alerts-channels.md)."""
    timestamp = headers["x-koers-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), headers["x-koers-signature"])


@pytest.mark.usefixtures("english", "private_ok")
def test_the_json_webhook_is_signed_and_follows_the_schema(cast):
    rule = make_rule(cast.a.org, name="Volume webcare")
    alert = make_alert(rule)
    request = sent(make_channel(cast.a.org, ChannelKind.WEBHOOK), [alert])
    assert verify(SECRET, request.headers, request.body)
    assert not verify("another secret", request.headers, request.body)
    assert not verify(SECRET, request.headers, request.body + b" ")
    assert request.headers["x-koers-event"] == "alert"
    payload = request.json()
    assert payload == {
        "version": 1,
        "event": "alert",
        "organisation": "org-a",
        "alerts": [
            {
                "id": alert.pk,
                "kind": "volume_spike",
                "severity": 3,
                "title": alert.title,
                "summary": alert.summary,
                "value": 42.0,
                "baseline": 10.5,
                "score": 5.2,
                "observed_at": alert.observed_at.isoformat(),
                "created_at": alert.created_at.isoformat(),
                "rule": "Volume webcare",
                "url": f"{settings.BASE_URL}/o/org-a/alerts/{alert.pk}/",
            }
        ],
    }


@pytest.mark.usefixtures("english", "private_ok")
def test_a_digest_writes_out_every_alert_most_severe_first(cast):
    rule = make_rule(cast.a.org, digest=True)
    alerts = [make_alert(rule, title="Mild", severity=2), make_alert(rule, title="Bad", severity=5)]
    payload = sent(make_channel(cast.a.org, ChannelKind.SLACK), alerts, digest=True).json()
    assert payload["text"] == "Koers: 2 alerts"
    titles = [b["text"]["text"].split("\n")[0] for b in payload["blocks"] if b["type"] == "section"]
    assert titles == ["*Bad*", "*Mild*"]
    webhook = sent(make_channel(cast.a.org, ChannelKind.WEBHOOK), alerts, digest=True).json()
    assert webhook["event"] == "digest"
    assert [a["title"] for a in webhook["alerts"]] == ["Mild", "Bad"]


def test_email_goes_to_each_recipient_in_the_organisation_language(cast):
    cast.a.org.default_language = "nl"
    cast.a.org.save()
    alert = make_alert(make_rule(cast.a.org), title="Piek <script>")
    channel = make_channel(cast.a.org, ChannelKind.EMAIL)
    channel.recipients.set([cast.a[Role.OWNER].user, cast.a[Role.WEBCARE].user])
    delivery.send(channel, [alert], digest=False)
    assert sorted(m.to[0] for m in mail.outbox) == ["owner@org-a.example", "webcare@org-a.example"]
    message = mail.outbox[0]
    assert message.subject.endswith(": Piek <script>")
    assert "Piek <script>" in message.body
    assert "42 mentions in 5 minutes; normally 10." in message.body
    assert "10,50" in message.body  # Dutch number format
    assert f"{settings.BASE_URL}/o/org-a/alerts/{alert.pk}/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "Piek &lt;script&gt;" in html and "<script>" not in html
    assert '<html lang="nl">' in html


@pytest.mark.usefixtures("english")
def test_email_without_recipients_goes_to_the_responders(cast):
    alert = make_alert(make_rule(cast.a.org))
    delivery.send(make_channel(cast.a.org, ChannelKind.EMAIL), [alert], digest=False)
    got = sorted(m.to[0].split("@")[0] for m in mail.outbox)
    assert got == ["editor", "manager", "owner", "strategist", "webcare"]


@pytest.mark.usefixtures("english")
def test_named_recipients_who_left_hear_nothing(cast):
    alert = make_alert(make_rule(cast.a.org))
    channel = make_channel(cast.a.org, ChannelKind.EMAIL)
    channel.recipients.set([cast.a[Role.OWNER].user, cast.a[Role.EDITOR].user])
    cast.a[Role.EDITOR].delete()
    delivery.send(channel, [alert], digest=False)
    assert [m.to for m in mail.outbox] == [["owner@org-a.example"]]


def test_in_app_notifies_the_recipients_once(cast):
    alert = make_alert(make_rule(cast.a.org))
    channel = make_channel(cast.a.org, ChannelKind.IN_APP)
    channel.recipients.set([cast.a[Role.WEBCARE].user])
    get_kind(ChannelKind.IN_APP).send(channel, [alert.pk])
    get_kind(ChannelKind.IN_APP).send(channel, [alert.pk])  # a retry adds nothing
    rows = Notification.objects.filter(alert=alert)
    assert [(n.user, n.organisation) for n in rows] == [(cast.a[Role.WEBCARE].user, cast.a.org)]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://127.0.0.1/hook", "127.0.0.1 is on a private or internal network"),
        ("https://10.0.0.8/hook", "10.0.0.8 is on a private or internal network"),
        ("https://169.254.169.254/latest", "169.254.169.254 is on a private or internal"),
        ("https://[::1]/hook", "::1 is on a private or internal network"),
        ("https://localhost/hook", "localhost (127.0.0.1) is on a private or internal"),
        ("http://hooks.example.org/x", "Use an address that starts with https://"),
        ("hooks.slack.com/services/x", "This is not a valid web address"),
        ("https://", "This is not a valid web address"),
        ("ftp://example.org/x", "This is not a valid web address"),
        ("https://user:pw@example.org/x", "Put no user name or password in the address."),
    ],
)
def test_addresses_refused_at_save_time(settings, url, reason):
    settings.OUTGOING_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as caught:
        check_url(url)
    assert reason in caught.value.messages[0]


def test_the_administrator_may_allow_internal_addresses(settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    assert check_url(" http://127.0.0.1:8080/hook ") == ("http://127.0.0.1:8080/hook", "127.0.0.1")

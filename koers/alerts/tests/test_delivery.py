"""The outbox with the real database and a real receiver on 127.0.0.1: what enqueue
makes (quiet hours, digests, the in-app fallback), claiming, retries with backoff, time-
outs, giving up, and what the channel shows meanwhile."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from koers.alerts import delivery, tasks
from koers.alerts.models import ChannelKind, Delivery, DeliveryStatus, Notification
from koers.alerts.tests.channel_cast import (
    english,  # noqa: F401 (fixture)
    local,
    make_alert,
    make_channel,
    make_rule,
    private_ok,  # noqa: F401 (fixture)
)
from koers.orgs.capabilities import Role
from koers.platforms.tests.receiver import receive
from koers.platforms.tests.servers import Reply


def enqueue(alert, capture):
    """As the alert's creator does: inside its transaction, sending after the commit."""
    with capture(execute=True):
        return delivery.enqueue(alert)


# --- timing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quiet", "moment", "end"),
    [
        # Across midnight: late evening waits for the next morning, the night for this one.
        ((22, 7), (2025, 3, 10, 23, 30), (2025, 3, 11, 7, 0)),
        ((22, 7), (2025, 3, 11, 3, 0), (2025, 3, 11, 7, 0)),
        ((22, 7), (2025, 3, 11, 7, 0), None),
        ((22, 7), (2025, 3, 11, 12, 0), None),
        ((22, 7), (2025, 3, 11, 22, 0), (2025, 3, 12, 7, 0)),
        # Within a day.
        ((12, 14), (2025, 3, 11, 13, 59), (2025, 3, 11, 14, 0)),
        ((12, 14), (2025, 3, 11, 11, 0), None),
    ],
)
def test_quiet_hours_end(cast, quiet, moment, end):
    rule = make_rule(cast.a.org, quiet_from=time(quiet[0]), quiet_until=time(quiet[1]))
    expected = local(cast.a.org, *end) if end else None
    assert delivery.quiet_end(rule, local(cast.a.org, *moment)) == expected


def test_quiet_hours_are_in_the_organisation_time_zone(cast):
    rule = make_rule(cast.a.org, quiet_from=time(22), quiet_until=time(7))
    utc = timezone.get_fixed_timezone(0)
    # 21:30 UTC is 22:30 in Amsterdam (winter time): quiet.
    from datetime import datetime

    moment = datetime(2025, 1, 10, 21, 30, tzinfo=utc)
    assert delivery.quiet_end(rule, moment) == local(cast.a.org, 2025, 1, 11, 7, 0)


def test_severity_four_ignores_quiet_hours(cast):
    rule = make_rule(cast.a.org, quiet_from=time(22), quiet_until=time(7))
    night = local(cast.a.org, 2025, 3, 10, 23, 30)
    assert delivery.due_at(rule, 3, night) == local(cast.a.org, 2025, 3, 11, 7, 0)
    assert delivery.due_at(rule, 4, night) == night
    assert delivery.due_at(rule, 5, night) == night


@pytest.mark.parametrize(
    ("minutes", "moment", "end"),
    [
        (60, (2025, 3, 10, 10, 17), (2025, 3, 10, 11, 0)),
        (15, (2025, 3, 10, 10, 15), (2025, 3, 10, 10, 30)),
        (25, (2025, 3, 10, 23, 50), (2025, 3, 11, 0, 0)),
    ],
)
def test_digest_periods_start_at_midnight(cast, minutes, moment, end):
    rule = make_rule(cast.a.org, digest=True, digest_minutes=minutes)
    assert delivery.digest_end(rule, local(cast.a.org, *moment)) == local(cast.a.org, *end)


def test_a_digest_ending_in_quiet_hours_waits_for_their_end(cast):
    rule = make_rule(
        cast.a.org, digest=True, digest_minutes=60, quiet_from=time(22), quiet_until=time(7)
    )
    evening = local(cast.a.org, 2025, 3, 10, 21, 40)
    assert delivery.due_at(rule, 3, evening) == local(cast.a.org, 2025, 3, 11, 7, 0)


def test_backoff_doubles_to_an_hour_and_gives_up_after_a_day():
    assert [delivery.retry_delay(n).total_seconds() for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]
    assert delivery.retry_delay(40) == timedelta(hours=1)
    tries = next(n for n in range(1, 100) if delivery.gives_up(n))
    waited = sum((delivery.retry_delay(n) for n in range(1, tries)), timedelta())
    assert timedelta(hours=23) <= waited < timedelta(hours=24)


# --- enqueue ----------------------------------------------------------------------------


@pytest.mark.usefixtures("english", "private_ok")
def test_an_alert_reaches_its_channels_right_after_the_commit(
    cast, django_capture_on_commit_callbacks
):
    rule = make_rule(cast.a.org)
    with receive() as receiver:
        hook = make_channel(cast.a.org, ChannelKind.MATTERMOST, url=receiver.url + "/hooks/x")
        paused = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url, is_active=False)
        other_rule_only = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url)
        rule.channels.set([hook, paused])
        make_rule(cast.a.org, name="Other").channels.set([other_rule_only])
        alert = make_alert(rule)
        [row] = enqueue(alert, django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.channel == hook and list(row.alerts.all()) == [alert]
    assert row.status == DeliveryStatus.SENT and row.attempts == 1
    assert row.response_status == 200 and row.sent_at is not None
    assert [r.path for r in receiver.requests] == ["/hooks/x"]
    hook.refresh_from_db()
    assert hook.last_delivery_at >= row.sent_at
    assert hook.last_error == ""


def test_without_channels_the_responders_are_notified_in_koers(
    cast, django_capture_on_commit_callbacks
):
    rule = make_rule(cast.a.org)
    alert = make_alert(rule)
    assert enqueue(alert, django_capture_on_commit_callbacks) == []
    assert not Delivery.objects.exists()
    notified = set(Notification.objects.filter(alert=alert).values_list("user__email", flat=True))
    assert notified == {
        f"{role}@org-a.example"
        for role in (Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE)
    }


def test_in_quiet_hours_a_mild_alert_waits_and_a_severe_one_goes_now(
    cast, django_capture_on_commit_callbacks
):
    now = timezone.localtime(timezone.now(), cast.a.org.zone)
    # Quiet from an hour ago to an hour from now (across midnight when it is late).
    until = (now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    rule = make_rule(cast.a.org, quiet_from=(now - timedelta(hours=1)).time(), quiet_until=until)
    rule.channels.set([make_channel(cast.a.org, ChannelKind.IN_APP)])
    [mild] = enqueue(make_alert(rule, severity=3), django_capture_on_commit_callbacks)
    [severe] = enqueue(make_alert(rule, severity=4), django_capture_on_commit_callbacks)
    mild.refresh_from_db()
    severe.refresh_from_db()
    assert mild.status == DeliveryStatus.PENDING
    assert timezone.localtime(mild.due_at, cast.a.org.zone).time() == until
    assert mild.due_at > timezone.now()
    assert severe.status == DeliveryStatus.SENT
    # At the end of the quiet hours the sweep sends the waiting one.
    assert delivery.deliver_due(mild.due_at) == 1
    mild.refresh_from_db()
    assert mild.status == DeliveryStatus.SENT


@pytest.mark.usefixtures("english", "private_ok")
def test_a_digest_collects_alerts_into_one_delivery(cast, django_capture_on_commit_callbacks):
    rule = make_rule(cast.a.org, digest=True, digest_minutes=60)
    with receive() as receiver:
        rule.channels.set([make_channel(cast.a.org, ChannelKind.WEBHOOK, url=receiver.url)])
        before = timezone.now()
        [first] = enqueue(make_alert(rule, title="One"), django_capture_on_commit_callbacks)
        [second] = enqueue(make_alert(rule, title="Two"), django_capture_on_commit_callbacks)
        assert first.pk == second.pk
        assert first.is_digest
        assert first.due_at == delivery.digest_end(rule, before)
        assert delivery.deliver_due() == 0  # not before the period ends
        assert delivery.deliver_due(first.due_at) == 1
        # The next alert starts a new digest.
        [third] = enqueue(make_alert(rule, title="Three"), django_capture_on_commit_callbacks)
    assert third.pk != first.pk
    [request] = receiver.requests
    body = request.json()
    assert body["event"] == "digest"
    assert [alert["title"] for alert in body["alerts"]] == ["One", "Two"]


def test_an_alert_does_not_join_a_digest_already_being_sent(
    cast, django_capture_on_commit_callbacks
):
    rule = make_rule(cast.a.org, digest=True)
    rule.channels.set([make_channel(cast.a.org, ChannelKind.IN_APP)])
    [first] = enqueue(make_alert(rule), django_capture_on_commit_callbacks)
    assert delivery.claim(first.pk, first.due_at)
    [second] = enqueue(make_alert(rule), django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    assert first.alerts.count() == 1


# --- claiming and retrying --------------------------------------------------------------


def pending(channel, rule, **overrides):
    row = Delivery.objects.create(
        organisation=channel.organisation, channel=channel, rule=rule, **overrides
    )
    row.alerts.add(make_alert(rule))
    return row


def test_a_row_is_claimed_once(cast):
    rule = make_rule(cast.a.org)
    row = pending(make_channel(cast.a.org, ChannelKind.IN_APP), rule)
    now = timezone.now()
    assert delivery.claim(row.pk, now)
    assert not delivery.claim(row.pk, now)  # a second worker
    assert not delivery.claim(row.pk, now + timedelta(minutes=4))
    # A worker that died leaves it "sending"; after STUCK_AFTER it is taken again.
    assert delivery.claim(row.pk, now + timedelta(minutes=6))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENDING and row.attempts == 2


def test_a_row_that_is_not_due_is_not_claimed(cast):
    rule = make_rule(cast.a.org)
    row = pending(
        make_channel(cast.a.org, ChannelKind.IN_APP),
        rule,
        due_at=timezone.now() + timedelta(hours=1),
    )
    assert not delivery.claim(row.pk, timezone.now())
    assert delivery.deliver_due() == 0


@pytest.mark.usefixtures("private_ok")
def test_a_receiver_answering_500_is_retried_and_the_error_shown_meanwhile(cast):
    rule = make_rule(cast.a.org)
    with receive(Reply(500, "down for maintenance"), Reply(200)) as receiver:
        channel = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url)
        row = pending(channel, rule)
        now = timezone.now()
        assert delivery.deliver_due(now) == 0
        row.refresh_from_db()
        channel.refresh_from_db()
        assert row.status == DeliveryStatus.FAILED
        assert row.attempts == 1
        assert row.last_error == "The server answered 500. down for maintenance"
        assert row.response_status == 500
        assert row.due_at == now + timedelta(seconds=30)
        assert channel.last_error == row.last_error and channel.last_error_at is not None
        assert channel.last_delivery_at is None

        assert delivery.deliver_due(now + timedelta(seconds=29)) == 0
        assert delivery.deliver_due(now + timedelta(seconds=30)) == 1
    row.refresh_from_db()
    channel.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2
    assert len(receiver.requests) == 2
    assert channel.last_delivery_at is not None
    assert channel.last_delivery_at > channel.last_error_at


@pytest.mark.usefixtures("private_ok")
def test_a_receiver_that_times_out_is_retried(cast):
    rule = make_rule(cast.a.org)
    with receive(Reply(hang=True), Reply(200)) as receiver:
        row = pending(make_channel(cast.a.org, ChannelKind.TEAMS, url=receiver.url), rule)
        now = timezone.now()
        delivery.deliver_due(now)
        row.refresh_from_db()
        assert row.status == DeliveryStatus.FAILED
        assert row.last_error == "Time-out after 0.5 s."
        delivery.deliver_due(now + timedelta(minutes=1))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2


@pytest.mark.usefixtures("private_ok")
def test_a_refusing_receiver_is_not_retried(cast):
    rule = make_rule(cast.a.org)
    with receive(Reply(404, "no_service")) as receiver:
        channel = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url)
        row = pending(channel, rule)
        now = timezone.now()
        delivery.deliver_due(now)
        delivery.deliver_due(now + timedelta(days=1))
    assert len(receiver.requests) == 1
    row.refresh_from_db()
    channel.refresh_from_db()
    assert row.status == DeliveryStatus.GAVE_UP
    assert row.last_error == "The address was not found (404). no_service"
    assert channel.last_error == row.last_error


@pytest.mark.usefixtures("private_ok")
def test_retry_after_is_honoured(cast):
    rule = make_rule(cast.a.org)
    with receive(Reply(429, headers={"Retry-After": "120"})) as receiver:
        row = pending(make_channel(cast.a.org, ChannelKind.WEBHOOK, url=receiver.url), rule)
        now = timezone.now()
        delivery.deliver_due(now)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert row.due_at == now + timedelta(seconds=120)
    assert row.last_error == "The server asks Koers to slow down (429)."


@pytest.mark.usefixtures("private_ok")
def test_a_transient_failure_gives_up_after_a_day_of_tries(cast):
    rule = make_rule(cast.a.org)
    tries = next(n for n in range(1, 100) if delivery.gives_up(n))
    with receive(Reply(503)) as receiver:
        channel = make_channel(cast.a.org, ChannelKind.SLACK, url=receiver.url)
        row = pending(channel, rule, attempts=tries - 2)
        now = timezone.now()
        delivery.deliver_due(now)
        row.refresh_from_db()
        assert row.status == DeliveryStatus.FAILED
        delivery.deliver_due(now + timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == DeliveryStatus.GAVE_UP and row.attempts == tries
    assert row.last_error == "The server answered 503."


def test_a_switched_off_channel_gives_up_with_the_reason(cast):
    rule = make_rule(cast.a.org)
    row = pending(make_channel(cast.a.org, ChannelKind.IN_APP, is_active=False), rule)
    delivery.deliver_due()
    row.refresh_from_db()
    assert row.status == DeliveryStatus.GAVE_UP
    assert row.last_error == "The channel is switched off."
    assert not Notification.objects.exists()


def test_the_delivery_task_sends_what_is_due(cast):
    rule = make_rule(cast.a.org)
    channel = make_channel(cast.a.org, ChannelKind.IN_APP)
    channel.recipients.set([cast.a[Role.OWNER].user])
    row = pending(channel, rule)
    assert tasks.deliver_alerts()() == 1  # immediate mode: the result is there at once
    assert tasks.deliver_alerts()() == 0
    assert tasks.sweep_alert_outbox.call_local() == 0
    assert Notification.objects.filter(alert__in=row.alerts.all()).count() == 1


# --- test messages ----------------------------------------------------------------------


@pytest.mark.usefixtures("english", "private_ok")
def test_a_test_message_records_its_outcome_on_the_channel(cast):
    with receive(Reply(500), Reply(200)) as receiver:
        channel = make_channel(cast.a.org, ChannelKind.WEBHOOK, url=receiver.url)
        assert delivery.send_test_message(channel) == "The server answered 500."
        channel.refresh_from_db()
        assert channel.last_error == "The server answered 500."
        assert channel.last_delivery_at is None
        assert delivery.send_test_message(channel) == ""
    channel.refresh_from_db()
    assert channel.last_delivery_at is not None
    body = receiver.requests[1].json()
    assert body["event"] == "test"
    assert body["alerts"][0]["id"] is None
    assert body["alerts"][0]["title"] == "Test message from Koers"
    assert not Delivery.objects.exists()

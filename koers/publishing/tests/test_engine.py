"""The outbox: scheduling, publishing at the moment in the organisation's time zone,
retries and failures as the editor sees them, results and the submitter's credit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.content.models import State, Transition
from koers.orgs.capabilities import Role
from koers.publishing import engine
from koers.publishing.models import (
    AccountStatus,
    MetricSnapshot,
    Publication,
    PublicationStatus,
)
from koers.publishing.results import REPORT_AFTER, pull_metrics
from koers.publishing.tests.builders import (
    bluesky_account,
    make_account,
    make_scheduled,
    mastodon_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(cast):
    return cast.a.org


def test_schedule_item_makes_one_publication_per_variant_and_serving_account(org, mastodon):
    toot = mastodon_account(org, mastodon)
    make_account(org, "mastodon", name="Uit", address=mastodon.url, is_active=False)
    hook = make_account(org, "webhook", serves="linkedin", secrets={"url": "https://h.example"})
    item = make_scheduled(org, {"mastodon": "Hallo", "linkedin": "Hallo LinkedIn", "x": "Hoi"})
    rows = engine.schedule_item(item)
    assert {(r.variant.channel, r.account_id) for r in rows} == {
        ("mastodon", toot.pk),
        ("linkedin", hook.pk),
    }
    assert all(r.due_at == item.scheduled_at and r.status == "scheduled" for r in rows)
    assert engine.unserved_channels(item) == ["x"]
    # Moved: the same rows (and keys), due at the new moment.
    keys = {r.pk: r.idempotency_key for r in rows}
    item.scheduled_at += timedelta(days=1)
    again = engine.schedule_item(item)
    assert {r.pk: r.idempotency_key for r in again} == keys
    assert {r.due_at for r in again} == {item.scheduled_at}
    assert engine.withdraw_item(item) == 2
    assert not Publication.objects.exists()


def test_schedule_item_refuses_what_a_platform_would_refuse_and_writes_nothing(org, bluesky):
    bluesky_account(org, bluesky)
    item = make_scheduled(org, {"bluesky": "b" * 301})
    with pytest.raises(ValidationError) as refused:
        engine.schedule_item(item)
    assert "301 characters long; bluesky allows 300" in refused.value.messages[0]
    assert not Publication.objects.exists()


def test_a_post_goes_out_at_its_local_moment_across_a_daylight_saving_change(org, mastodon):
    """Planned on Saturday (winter time) for Sunday 09:00 after the clocks moved
    forward: out at 07:00 UTC, not at 08:00 as a naive "+1 day" would have it."""
    assert org.time_zone == "Europe/Amsterdam"
    when = engine.local_moment(org, datetime(2026, 3, 29, 9, 0))
    assert when.astimezone(UTC) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    # 02:30 does not exist that night: it becomes 03:30 summer time.
    skipped = engine.local_moment(org, datetime(2026, 3, 29, 2, 30))
    assert skipped.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    mastodon_account(org, mastodon)
    item = make_scheduled(org, {"mastodon": "Zondagochtend"}, when=when)
    engine.schedule_item(item)
    assert engine.publish_due(now=datetime(2026, 3, 29, 6, 59, 59, tzinfo=UTC)) == 0
    assert engine.publish_due(now=datetime(2026, 3, 29, 7, 0, tzinfo=UTC)) == 1
    assert mastodon.count() == 1


def test_published_rows_and_item_as_koers_itself(org, mastodon):
    mastodon_account(org, mastodon)
    item = make_scheduled(org, {"mastodon": "Het gaat eruit"})
    [row] = engine.schedule_item(item)
    assert engine.publish_due() == 1
    row.refresh_from_db()
    [status] = mastodon.statuses()
    assert (row.status, row.external_id, row.url) == ("published", status["id"], status["url"])
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and item.published_at
    last = Transition.objects.filter(item=item).last()
    assert (last.to_state, last.by) == (State.PUBLISHED, None)
    assert engine.publish_due() == 0 and mastodon.count() == 1


def test_429_waits_for_retry_after(org, mastodon):
    mastodon_account(org, mastodon)
    [row] = engine.schedule_item(make_scheduled(org, {"mastodon": "Even wachten"}))
    now = timezone.now()
    mastodon.fail(429, headers={"Retry-After": "120"})
    assert engine.publish_due(now=now) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.due_at) == ("scheduled", 1, now + timedelta(seconds=120))
    assert "429" in row.last_error
    assert engine.publish_due(now=now + timedelta(seconds=119)) == 0
    assert engine.publish_due(now=now + timedelta(seconds=120)) == 1
    assert mastodon.count() == 1


def test_5xx_backs_off_exponentially_then_fails_with_the_reason(org, mastodon):
    mastodon_account(org, mastodon)
    [row] = engine.schedule_item(make_scheduled(org, {"mastodon": "Storing"}))
    mastodon.fail(502, count=engine.MAX_ATTEMPTS)
    now = timezone.now()
    delays = []
    for _ in range(engine.MAX_ATTEMPTS):
        engine.publish_due(now=now)
        row.refresh_from_db()
        if row.status == "failed":
            break
        delays.append(row.due_at - now)
        now = row.due_at
    assert delays[:3] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert max(delays) <= engine.BACKOFF_CAP
    assert (row.status, row.attempts) == ("failed", engine.MAX_ATTEMPTS)
    assert "502" in row.last_error
    assert mastodon.count() == 0


def test_4xx_fails_at_once_with_the_platforms_words(org, mastodon):
    mastodon_account(org, mastodon)
    [row] = engine.schedule_item(make_scheduled(org, {"mastodon": "Verboden woord"}))
    mastodon.fail(422, body={"error": "Validation failed: Text contains a forbidden word"})
    engine.publish_due()
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 1
    assert "Validation failed: Text contains a forbidden word" in row.last_error


def test_revoked_token_marks_the_account_and_tells_the_owners_once(cast, org, mastodon):
    account = mastodon_account(org, mastodon)
    engine.schedule_item(make_scheduled(org, {"mastodon": "Een"}))
    engine.schedule_item(make_scheduled(org, {"mastodon": "Twee"}, title="Tweede"))
    mastodon.fail(401, count=2, body={"error": "The access token was revoked"})
    engine.publish_due()
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT and "revoked" in account.last_error
    assert set(Publication.objects.values_list("status", flat=True)) == {"failed"}
    [message] = mail.outbox
    assert message.to == [cast.a[Role.OWNER].user.email]
    # In the organisation's language (Dutch here), naming the account and the
    # platform's own reason.
    assert "mastodon account" in message.subject and "opnieuw" in message.subject
    assert "revoked" in message.body


def test_an_unreachable_instance_is_retried_and_shown(org, settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    account = make_account(
        org, "mastodon", address="http://127.0.0.1:9", secrets={"access_token": "t"}
    )
    [row] = engine.schedule_item(make_scheduled(org, {"mastodon": "Iemand thuis?"}))
    engine.publish_due()
    row.refresh_from_db()
    account.refresh_from_db()
    assert row.status == "scheduled" and row.attempts == 1 and row.last_error
    assert account.status == AccountStatus.UNREACHABLE and account.last_error == row.last_error


def test_manual_channel_waits_for_the_person_and_reminds_them(cast, org):
    person = cast.a[Role.EDITOR].user
    make_account(org, "manual", serves="linkedin", responsible=person)
    [row] = engine.schedule_item(make_scheduled(org, {"linkedin": "Zelf plaatsen"}))
    engine.publish_due()
    row.refresh_from_db()
    assert row.status == PublicationStatus.WAITING
    [message] = mail.outbox
    assert message.to == [person.email] and "Zelf plaatsen" in message.body


def test_results_come_back_and_the_submitter_hears_once(cast, org, mastodon):
    submitter = cast.a[Role.EMPLOYEE].user
    mastodon_account(org, mastodon)
    item = make_scheduled(org, {"mastodon": "Jouw idee"}, submitted_by=submitter)
    [row] = engine.schedule_item(item)
    engine.publish_due()
    row.refresh_from_db()
    mastodon.react(row.external_id, favourite=True, boost=True, reply="Mooi!")
    now = timezone.now()
    assert pull_metrics(now=now) == 1
    assert pull_metrics(now=now + timedelta(minutes=5)) == 0  # pulled a moment ago
    row.refresh_from_db()
    assert (row.likes, row.reposts, row.replies) == (1, 1, 1)
    [snapshot] = MetricSnapshot.objects.filter(publication=row)
    assert (snapshot.likes, snapshot.reposts, snapshot.replies, snapshot.at) == (1, 1, 1, now)
    assert not mail.outbox
    later = now + REPORT_AFTER + timedelta(minutes=1)
    assert pull_metrics(now=later) == 1
    assert MetricSnapshot.objects.filter(publication=row).count() == 2
    item.refresh_from_db()
    assert item.state == State.MEASURED
    [message] = mail.outbox
    # In the organisation's language: likes, reposts and replies together.
    assert message.to == [submitter.email] and "3 interacties" in message.body
    pull_metrics(now=later + timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_the_sweep_schedules_what_the_hook_missed_and_leaves_the_rest(org, mastodon):
    """A scheduled item without publications (the after-commit hook failed, or the
    account was connected later) is put on the outbox by the periodic sweep; an item
    already on it, or one no account serves, is left alone."""
    item = make_scheduled(org, {"mastodon": "Hallo", "x": "Alleen voor X"})
    toot = mastodon_account(org, mastodon)  # connected after the item was scheduled
    assert not Publication.objects.exists()
    assert engine.schedule_missing() == 1
    (row,) = Publication.objects.all()
    assert (row.variant.item_id, row.account_id, row.status) == (item.pk, toot.pk, "scheduled")
    # Nothing left to do: a second sweep changes nothing.
    assert engine.schedule_missing() == 0
    assert Publication.objects.count() == 1
    # Draft items are not published, whatever their accounts.
    make_scheduled(org, {"mastodon": "Nog niet"}, state=State.DRAFT)
    assert engine.schedule_missing() == 0

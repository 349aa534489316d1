"""Exactly once, proved by stopping the worker at every step.

The engine calls ``engine._fault(step, publication)`` after claiming a row, before
the request, after the platform answered (before Koers stored the answer) and after
storing it. Here it raises ``WorkerDied`` (a BaseException, as a killed process would
not run any ``except Exception``) the first time; the next run comes after the lease
ran out. The local peer counts what it received: one post per variant, every time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from koers.content.models import State
from koers.publishing import engine
from koers.publishing.connectors.bluesky import record_key
from koers.publishing.models import Publication
from koers.publishing.tests.builders import bluesky_account, make_scheduled, mastodon_account
from koers.publishing.tests.peers import mastodon_statuses_by_text

pytestmark = pytest.mark.django_db

STEPS = ["claimed", "before_request", "answered", "stored"]


class WorkerDied(BaseException):
    pass


@pytest.fixture
def die_once(monkeypatch):
    def arm(step: str):
        fired = []

        def fault(name, publication):
            if name == step and not fired:
                fired.append(publication.pk)
                raise WorkerDied(step)

        monkeypatch.setattr(engine, "_fault", fault)
        return fired

    return arm


def _run_with_a_crash(step: str, die_once) -> None:
    fired = die_once(step)
    now = timezone.now()
    with pytest.raises(WorkerDied):
        engine.publish_due(now=now)
    assert fired
    # Nothing is claimed again while the lease holds...
    engine.publish_due(now=now + engine.LEASE - timedelta(seconds=1))
    # ...and after it, the next run finishes the job.
    engine.publish_due(now=now + engine.LEASE + timedelta(seconds=1))
    engine.publish_due(now=now + engine.LEASE * 3)


@pytest.mark.parametrize("step", STEPS)
def test_mastodon_posts_each_variant_once_whatever_step_the_worker_dies_at(
    step, cast, mastodon, die_once
):
    org = cast.a.org
    mastodon_account(org, mastodon)
    items = [make_scheduled(org, {"mastodon": f"Bericht {n}"}, title=f"{n}") for n in range(3)]
    for item in items:
        engine.schedule_item(item)
    _run_with_a_crash(step, die_once)
    assert mastodon_statuses_by_text(mastodon) == {f"Bericht {n}": 1 for n in range(3)}
    by_id = {s["id"]: s for s in mastodon.statuses()}
    for row in Publication.objects.select_related("variant"):
        assert row.status == "published"
        assert by_id[row.external_id]["url"] == row.url
    for item in items:
        item.refresh_from_db()
        assert item.state == State.PUBLISHED


@pytest.mark.parametrize("step", STEPS)
def test_bluesky_posts_each_variant_once_whatever_step_the_worker_dies_at(
    step, cast, bluesky, die_once
):
    org = cast.a.org
    bluesky_account(org, bluesky)
    items = [make_scheduled(org, {"bluesky": f"Post {n}"}, title=f"{n}") for n in range(3)]
    for item in items:
        engine.schedule_item(item)
    _run_with_a_crash(step, die_once)
    assert sorted(bluesky.texts()) == ["Post 0", "Post 1", "Post 2"]
    for row in Publication.objects.all():
        rkey = record_key(str(row.idempotency_key), row.created_at)
        assert row.status == "published"
        assert row.external_id == f"at://{bluesky.did}/app.bsky.feed.post/{rkey}"
    for item in items:
        item.refresh_from_db()
        assert item.state == State.PUBLISHED


def test_bluesky_answer_lost_after_the_record_was_made(cast, bluesky):
    """The platform made the record, then the answer was a 500: the retry finds it."""
    org = cast.a.org
    bluesky_account(org, bluesky)
    [row] = engine.schedule_item(make_scheduled(org, {"bluesky": "Eén keer"}))
    bluesky.fail("com.atproto.repo.createRecord", 500, after=True)
    now = timezone.now()
    engine.publish_due(now=now)
    row.refresh_from_db()
    assert row.status == "scheduled" and row.attempts == 1
    engine.publish_due(now=row.due_at)
    row.refresh_from_db()
    assert row.status == "published" and bluesky.texts() == ["Eén keer"]
    assert "com.atproto.repo.getRecord" in bluesky.calls


def test_two_workers_never_publish_the_same_row(cast, mastodon, monkeypatch):
    """A second worker that runs while the first is between its request and its write
    finds nothing to claim."""
    org = cast.a.org
    mastodon_account(org, mastodon)
    engine.schedule_item(make_scheduled(org, {"mastodon": "Samen"}))
    inner = []

    def second_worker(name, publication):
        if name == "answered" and not inner:
            inner.append(engine.publish_due())

    monkeypatch.setattr(engine, "_fault", second_worker)
    assert engine.publish_due() == 1
    assert inner == [0] and mastodon.count() == 1

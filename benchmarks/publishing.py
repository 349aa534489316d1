"""Publishing, end to end against a local Mastodon peer: 1,000 scheduled variants go
out through the outbox while the peer answers some requests with 429 (Retry-After)
and 500, and the worker is stopped mid-publication now and then (after the platform
answered, before Koers stored the answer: the dangerous moment).

The clock the engine sees is moved on by the benchmark (``publish_due(now=...)``), so
Retry-After and backoff cost no real waiting; the figure is the work itself.

Figures: ``publishing.throughput.posts_per_s`` (variants published per second of
wall time, faults and retries included), ``publishing.exactly_once.posts_received``
(statuses the peer holds; target 1,000) and ``publishing.exactly_once.errors``
(posts missing or duplicated, plus rows not published; target 0).

``python -m benchmarks.publishing`` prints the figures.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from datetime import timedelta

VARIANTS = 1000
BATCH = 100
FAULTS_PER_BATCH = 4  # each of 429 and 500
CRASH_EVERY = 97
# Against the local peer (about 17 ms a request); a Mastodon account may post 300
# statuses in 3 hours, so even one post a second is far beyond what any account needs.
TARGET_THROUGHPUT = 10.0


def _prepare_environment() -> None:
    for name in list(os.environ):
        if name.startswith("KOERS_") or name == "DATABASE_URL":
            del os.environ[name]
    os.environ["KOERS_DATA_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ["KOERS_TASKS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "koers.settings"


class _WorkerDied(BaseException):
    pass


def _setup(peer, count: int):
    from django.core.management import call_command
    from django.utils import timezone

    from koers.content.models import ContentItem, State, Variant
    from koers.orgs.models import Organisation
    from koers.publishing import secrets
    from koers.publishing.models import ChannelAccount, Publication

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Publisher", slug=f"publisher-{time.time_ns()}")
    account = ChannelAccount.objects.create(
        organisation=org,
        kind="mastodon",
        name="Peer",
        serves="mastodon",
        address=peer.url,
        status="connected",
    )
    secrets.store(account, {"access_token": peer.token})
    due = timezone.now() - timedelta(minutes=1)
    items = ContentItem.objects.bulk_create(
        ContentItem(organisation=org, title=f"Post {n}", state=State.SCHEDULED, scheduled_at=due)
        for n in range(count)
    )
    variants = Variant.objects.bulk_create(
        Variant(organisation=org, item=item, channel="mastodon", text=f"Bericht nummer {n}")
        for n, item in enumerate(items)
    )
    Publication.objects.bulk_create(
        Publication(organisation=org, variant=v, account=account, due_at=due) for v in variants
    )
    return org, due


def _run(count: int) -> list[dict]:
    from koers.publishing import engine
    from koers.publishing.models import Publication, PublicationStatus
    from koers.publishing.tests.peers import MastodonPeer, mastodon_statuses_by_text

    peer = MastodonPeer()
    try:
        _org, now = _setup(peer, count)
        calls = {"n": 0}

        def crash(step, publication):
            if step == "answered":
                calls["n"] += 1
                if calls["n"] % CRASH_EVERY == 0:
                    raise _WorkerDied

        engine._fault = crash
        pending = Publication.objects.filter(
            status__in=[PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHING]
        )
        started = time.perf_counter()
        rounds = 0
        while pending.exists() and rounds < 500:
            rounds += 1
            if rounds <= count // BATCH:  # faults spread over the first pass
                peer.fail(429, count=FAULTS_PER_BATCH, headers={"Retry-After": "30"})
                peer.fail(500, count=FAULTS_PER_BATCH)
            with contextlib.suppress(_WorkerDied):
                engine.publish_due(now=now, limit=BATCH)
            # The engine's clock moves on: retries and expired leases become due.
            now += engine.LEASE + timedelta(seconds=1)
        elapsed = time.perf_counter() - started
        engine._fault = None
        received = peer.count()
        by_text = mastodon_statuses_by_text(peer)
        published = Publication.objects.filter(status=PublicationStatus.PUBLISHED).count()
    finally:
        engine._fault = None
        peer.stop()
    duplicates = sum(n - 1 for n in by_text.values() if n > 1)
    missing = count - len(by_text)
    errors = duplicates + max(missing, 0) + (count - published)
    return [
        {
            "name": "publishing.throughput.posts_per_s",
            "value": round(published / elapsed, 1),
            "unit": "posts/s",
            "target": TARGET_THROUGHPUT,
            "better": "higher",
        },
        {
            "name": "publishing.exactly_once.posts_received",
            "value": received,
            "unit": "posts",
            "target": count,
            "better": "higher",
        },
        {
            "name": "publishing.exactly_once.errors",
            "value": errors,
            "unit": "posts",
            "target": 0,
            "better": "lower",
        },
    ]


def run(count: int = VARIANTS) -> list[dict]:
    from django.test import override_settings

    # The peer listens on 127.0.0.1.
    with override_settings(OUTGOING_ALLOW_PRIVATE=True):
        return _run(count)


def main() -> int:
    _prepare_environment()
    import django

    django.setup()
    for result in run():
        print(f"{result['name']:<42} {result['value']:>10.2f} {result['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

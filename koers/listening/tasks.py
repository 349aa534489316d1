"""Listening's background work: every minute, fetch the sources that are due, and
start following each live stream that is not being followed.

Each source is claimed with a conditional update on ``next_fetch_at`` before it is
fetched, so two workers (or a periodic run overlapping the previous one, or "fetch
now") never fetch the same source twice; each is fetched in its own ``try``, so one
broken source never stops the others. When anything new came in, enrichment is queued.

A live stream (the Bluesky Jetstream) is followed by a task of its own for most of a
minute (``sources.STREAM_SECONDS``), so it never holds up the polled sources; each
stream keeps one task thread busy that long, so a worker needs a thread per stream
plus two for the rest (``KOERS_TASK_WORKERS``, docs/configuration.md).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.alerts import evaluate_tasks  # noqa: F401 (registers the alert evaluation)

# The modules, not their functions: actions.request_fetch looks up a task here by name,
# and a plain ``fetch_source`` (which takes a Source, not an id) must not be found.
# Importing enrich_tasks here also registers its periodic tasks with the worker (Huey
# looks only at modules named ``tasks``).
from koers.listening import enrich_tasks, import_tasks, sources  # noqa: F401 (import_tasks)
from koers.listening.models import Source

log = logging.getLogger(__name__)

# Sources per run; the rest are still due at the next minute.
BATCH = 100


def _queue_enrichment() -> None:
    # Enrichment runs as its own task (one at a time, behind a lock), not inside the
    # fetch; the per-minute sweep picks up anything this misses.
    try:
        enrich_tasks.enrich_mentions()
    except Exception:
        log.exception("could not queue enrichment")


def _fetch_claimed(source: Source) -> int:
    try:
        return sources.fetch_source(source)
    except Exception:
        # fetch_source records its own failures; this is the database failing under it.
        log.exception("fetching source %s failed", source.pk)
        return 0


@db_periodic_task(crontab(minute="*"))
def fetch_due_sources() -> int:
    """Fetch every due source once; returns the number of new mentions."""
    now = timezone.now()
    polled = Source.objects.due(now).exclude(kind__in=sources.STREAMED_KINDS)
    due = list(polled.order_by("next_fetch_at", "pk")[:BATCH])
    created = 0
    for source in due:
        if sources.claim_source(source, now):
            created += _fetch_claimed(source)
    if created:
        _queue_enrichment()
    return created


@db_periodic_task(crontab(minute="*"))
def follow_streams() -> int:
    """Queue a follow task for every live stream that is due (one that is being
    followed is not due: its claim holds it); returns how many were queued."""
    due = Source.objects.due().filter(kind__in=sources.STREAMED_KINDS)
    queued = 0
    for pk in due.values_list("pk", flat=True):
        fetch_source_task(pk)
        queued += 1
    return queued


@db_task()
def fetch_source_task(source_id: int) -> int:
    """ "Fetch now" for one source (queued by actions.request_fetch)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not sources.claim_source(source):
        return 0
    created = _fetch_claimed(source)
    if created:
        _queue_enrichment()
    return created

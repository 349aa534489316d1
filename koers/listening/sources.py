"""Fetching one source: pick the platform client by kind, ingest what it found, and
keep the source's bookkeeping (status, error, failures, cursor, next fetch).

A failure never escapes ``fetch_source``: it is recorded on the source, in words the
user can act on, and the source is tried again later. Transient trouble (a time-out, a
5xx, a rate limit) backs off exponentially: 5 minutes, 10, 20, … at most 6 hours.
Trouble a person must fix (a refused token, a web page instead of a feed, an address
on an internal network) pauses the source until someone changes it
(``actions.save_source`` and ``set_source_active`` make it due again).

A live stream (the Bluesky Jetstream) is followed for most of every minute rather than
fetched: what matches is ingested every ``FLUSH_SECONDS`` while the stream is read, with
its cursor, and ``after_ingest`` (enrichment, then the alert rules) runs on each batch,
so a post reaches the alert rules seconds after it appeared, not at the next poll.

The platform clients (koers/platforms) know nothing of Django; this module passes
them the source's address, terms, cursor and token, and
``settings.OUTGOING_ALLOW_PRIVATE`` for the outgoing-address guard.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from koers.listening.ingest import ingest
from koers.listening.models import Source, SourceKind, SourceStatus
from koers.listening.secrets import TokenUnreadable, get_token
from koers.platforms import bluesky, http, mastodon, rss
from koers.platforms.base import FetchResult, RawMention, SourceError

log = logging.getLogger(__name__)

# How often a healthy source is asked for news.
POLL_INTERVAL = {
    SourceKind.RSS: timedelta(minutes=15),
    SourceKind.MASTODON_TAG: timedelta(minutes=5),
    SourceKind.MASTODON_SEARCH: timedelta(minutes=5),
    SourceKind.BLUESKY_SEARCH: timedelta(minutes=5),
    # Due again as soon as a run ends: the per-minute run follows it for most of the
    # minute (``STREAM_SECONDS``).
    SourceKind.BLUESKY_STREAM: timedelta(0),
}
# Seconds one request may take, connecting and reading together.
TIMEOUT = http.DEFAULT_TIMEOUT
BACKOFF_START = timedelta(minutes=5)
BACKOFF_CAP = timedelta(hours=6)
# "Until a person changes the source": the schedule's far end.
PAUSED_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)
# A claimed source that is not done within this time (the worker died) is due again.
CLAIM_LEASE = timedelta(minutes=15)
# Sources that are followed live rather than polled (``tasks.follow_streams``).
STREAMED_KINDS = frozenset({SourceKind.BLUESKY_STREAM})
# A Bluesky stream source follows the stream for at most this long per run (the
# worker starts a run every minute), ingesting what matched every ``FLUSH_SECONDS``.
STREAM_SECONDS = 50.0
STREAM_EVENTS = 500_000
FLUSH_SECONDS = 1.0

Batch = Callable[[list[RawMention], dict], None]


def backoff(failures: int) -> timedelta:
    """The wait after the ``failures``-th failure in a row (1 → 5 minutes)."""
    # The exponent is capped too: a source failing for weeks must not overflow.
    return min(BACKOFF_START * 2 ** min(max(failures - 1, 0), 16), BACKOFF_CAP)


def claim_source(source: Source, now: datetime | None = None) -> bool:
    """Take a due source for this worker: a conditional update on ``next_fetch_at``, so
    of two workers that read the same due source, only one fetches it."""
    now = now or timezone.now()
    unchanged = (
        Q(next_fetch_at__isnull=True)
        if source.next_fetch_at is None
        else Q(next_fetch_at=source.next_fetch_at)
    )
    claimed = (
        Source.objects.filter(unchanged, pk=source.pk, is_active=True)
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .update(next_fetch_at=now + CLAIM_LEASE)
    )
    if claimed:
        source.next_fetch_at = now + CLAIM_LEASE
    return bool(claimed)


def _stream(source: Source, allow_private: bool, on_batch: Batch | None = None) -> FetchResult:
    """Follow the Jetstream from the stored cursor, keeping the posts that match the
    source's terms (a Koers query): the whole network is far too much to store. With
    ``on_batch``, what matched so far is handed over (with the cursor) every
    ``FLUSH_SECONDS`` and at the end (the result then holds only the cursor)."""
    from koers.query import Document, QuerySyntaxError, compile

    if not source.term.strip():
        raise SourceError("Give the terms to listen for.", transient=False)
    try:
        query = compile(source.term)
    except QuerySyntaxError as error:
        raise SourceError(f"The terms are not a valid query: {error}", transient=False) from None
    consumer = bluesky.Jetstream(
        source.url or bluesky.JETSTREAM_URL,
        cursor=source.cursor.get("time_us"),
        allow_private=allow_private,
        timeout=max(TIMEOUT, 30.0),
    )
    kept: list[RawMention] = []
    flushed = time.monotonic()
    for raw in consumer.read(max_seconds=STREAM_SECONDS, max_events=STREAM_EVENTS):
        document = Document(
            text=raw.text,
            author=raw.author,
            url=raw.url,
            lang=raw.language,
            hashtags=raw.hashtags,
            mentions=raw.mentions,
        )
        if query.matches(document):
            kept.append(raw)
        if on_batch is not None and kept and time.monotonic() - flushed >= FLUSH_SECONDS:
            on_batch(kept, {"time_us": consumer.cursor})
            kept = []
            flushed = time.monotonic()
    if on_batch is not None and kept:
        on_batch(kept, {"time_us": consumer.cursor})
        kept = []
    return FetchResult(kept, {"time_us": consumer.cursor} if consumer.cursor else {})


def _fetch(source: Source, on_batch: Batch | None = None) -> FetchResult:
    allow_private = bool(getattr(settings, "OUTGOING_ALLOW_PRIVATE", False))
    cursor = dict(source.cursor or {})
    kind = source.kind
    if kind == SourceKind.RSS:
        return rss.fetch(source.url, cursor=cursor, allow_private=allow_private, timeout=TIMEOUT)
    if kind in (SourceKind.MASTODON_TAG, SourceKind.MASTODON_SEARCH):
        if not source.url:
            raise SourceError("Give the address of the Mastodon server.", transient=False)
        call = mastodon.fetch_hashtag if kind == SourceKind.MASTODON_TAG else mastodon.search
        return call(
            source.url,
            source.term,
            cursor=cursor,
            token=get_token(source),
            allow_private=allow_private,
            timeout=TIMEOUT,
        )
    if kind == SourceKind.BLUESKY_SEARCH:
        return bluesky.search_posts(
            source.term,
            appview=source.url or bluesky.APPVIEW_URL,
            cursor=cursor,
            token=get_token(source),
            allow_private=allow_private,
            timeout=TIMEOUT,
        )
    if kind == SourceKind.BLUESKY_STREAM:
        return _stream(source, allow_private, on_batch)
    raise SourceError("This kind of source is not fetched; it receives mentions.", transient=False)


def after_ingest(organisation_id: int) -> None:
    """New mentions of a streamed batch: enrich them now, in the thread that follows
    the stream (behind enrichment's lock); the alert rules are queued by enrichment.
    Imported late: the tasks import this module."""
    from koers.listening import enrich_tasks

    enrich_tasks.enrich_mentions.call_local(organisation_id)


def fetch_source(source: Source) -> int:
    """Fetch ``source`` once, ingest what it gives and record how it went. Returns the
    number of new mentions (0 when it failed). A stream's batches are ingested while it
    is read, each with its cursor, so a failure later in the run keeps them."""
    now = timezone.now()
    source.last_fetched_at = now
    created = 0

    def batch(mentions: list[RawMention], cursor: dict) -> None:
        nonlocal created
        new = ingest(source, mentions).created
        created += new
        source.cursor = {**(source.cursor or {}), **cursor}
        Source.objects.filter(pk=source.pk).update(cursor=source.cursor)
        if new:
            after_ingest(source.organisation_id)

    try:
        result = _fetch(source, batch)
        if result.mentions:
            created += ingest(source, result.mentions).created
    except SourceError as error:
        _failed(source, str(error), transient=error.transient, now=now)
    except TokenUnreadable as error:
        _failed(source, str(error), transient=False, now=now)
    except Exception as error:
        # A bug or a payload no one foresaw: keep it visible, retry with backoff.
        log.exception("source %s (%s) failed", source.pk, source.kind)
        _failed(source, f"Unexpected error: {error.__class__.__name__}.", transient=True, now=now)
    else:
        source.status = SourceStatus.OK
        source.last_error = ""
        source.failures = 0
        source.last_success_at = now
        source.next_fetch_at = now + POLL_INTERVAL.get(source.kind, timedelta(minutes=15))
        source.cursor = {**(source.cursor or {}), **result.cursor}
    source.save(
        update_fields=[
            "status",
            "last_error",
            "failures",
            "last_fetched_at",
            "last_success_at",
            "next_fetch_at",
            "cursor",
        ]
    )
    return created


def _failed(source: Source, message: str, *, transient: bool, now: datetime) -> None:
    source.status = SourceStatus.FAILING
    source.last_error = message[:1000]
    source.failures += 1
    source.next_fetch_at = now + backoff(source.failures) if transient else PAUSED_UNTIL
    log.info("source %s failing (%s): %s", source.pk, source.failures, message)

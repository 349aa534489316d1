"""The outbox that publishes every approved variant exactly once.

``schedule_item(item)`` makes one ``Publication`` per variant and active account that
serves its channel, due at the item's ``scheduled_at``: an aware moment, stored in UTC,
so the organisation's daylight-saving changes cannot move it (``local_moment`` turns a
local date and time as a person enters it into that moment). ``withdraw_item`` takes
what has not gone out off the outbox again.

``publish_due(now)`` claims each due row with a conditional update (scheduled and due →
publishing, with a lease), publishes it through its connector and writes the outcome:

- published: the external id and URL; when all of an item's publications are out,
  the item moves scheduled → published (as Koers itself);
- a transient failure (429, 5xx, time-out, unreachable host): back to scheduled, due
  again after the Retry-After the platform asked for, or after an exponential backoff,
  until ``MAX_ATTEMPTS``; then failed, with the reason;
- any other refusal (4xx): failed at once, with the platform's own words;
- a refused token or password: failed, and the account is marked "reconnect needed"
  and its owners are told.

A worker that dies mid-way leaves the row "publishing"; after ``LEASE`` another run
claims it again and publishes with ``retry`` set and the same idempotency key, which
the connector uses so that the platform never gets a second post (docs/publishing.md).
``_fault``, None in production, lets the tests stop the worker at each step.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mimetypes
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from koers.platforms.limits import split_thread
from koers.publishing import notify
from koers.publishing.connectors import Media, Post, PublishError, get_connector
from koers.publishing.models import (
    AccountStatus,
    ChannelAccount,
    Publication,
    PublicationStatus,
)
from koers.publishing.results import pull_metrics  # noqa: F401  (part of the engine's API)

log = logging.getLogger(__name__)

# A claimed row whose worker has not finished after this long is claimed again.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)
# A Retry-After longer than this is not waited for in one go.
RETRY_AFTER_CAP = timedelta(hours=1)
# Rows one run publishes at most (the next run goes on).
BATCH = 200
# A line with only this splits a text into the posts of a thread.

# For tests only: called as _fault(step, publication) at "claimed", "before_request",
# "answered" and "stored"; raising there stops the worker at that step.
_fault: Callable[[str, Publication], None] | None = None


def _step(name: str, publication: Publication) -> None:
    if _fault is not None:
        _fault(name, publication)


def local_moment(organisation, naive: datetime) -> datetime:
    """The aware moment of a local date and time in the organisation's time zone. A
    time that does not exist (the hour skipped when summer time starts) becomes the
    same wall-clock time an hour later; an ambiguous one (the hour repeated in the
    autumn) is the first of the two."""
    zone = organisation.zone
    # fold=0 reads a skipped time with the offset from before the change, which lands
    # an hour later on the clock; the round trip through UTC makes that explicit.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def _image(item) -> Media | None:
    """The item's photo as the connectors take it, with its type read from the file
    itself (not from its name)."""
    if not item.photo:
        return None
    from PIL import Image, UnidentifiedImageError

    with item.photo.open("rb") as handle:
        data = handle.read()
    name = item.photo.name.rsplit("/", 1)[-1]
    try:
        kind = Image.MIME.get(Image.open(io.BytesIO(data)).format or "", "")
    except (UnidentifiedImageError, OSError):
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    url = settings.BASE_URL.rstrip("/") + item.photo.url if item.photo.url.startswith("/") else ""
    alt = getattr(item, "photo_alt", "") or ""
    return Media(data=data, content_type=kind, filename=name, alt=alt, url=url)


def build_post(publication: Publication, *, media: Media | bool | None = True) -> Post:
    variant = publication.variant
    item = variant.item
    image = _image(item) if media is True else (media or None)
    return Post(
        key=str(publication.idempotency_key),
        parts=split_thread(variant.text),
        created_at=publication.created_at,
        media=(image,) if image else (),
        retry=publication.attempts > 1,
        title=item.title,
        link=item.link,
        channel=variant.channel,
    )


def _accounts_for(item) -> dict[str, list[ChannelAccount]]:
    serving: dict[str, list[ChannelAccount]] = {}
    accounts = ChannelAccount.objects.for_org(item.organisation_id).filter(is_active=True)
    for account in accounts:
        serving.setdefault(account.serves, []).append(account)
    return serving


def check_item(item) -> list[str]:
    """What the accounts' platforms would refuse, per variant and account, in words;
    empty when the item can be scheduled."""
    problems = []
    serving = _accounts_for(item)
    image = _image(item)
    for variant in item.variants.all():
        for account in serving.get(variant.channel, []):
            probe = Publication(variant=variant, account=account, created_at=timezone.now())
            try:
                get_connector(account.kind).check(build_post(probe, media=image or False))
            except PublishError as error:
                problems.append(f"{account.name}: {error.message}")
    return problems


def unserved_channels(item) -> list[str]:
    """Channels the item has a text for but no active account publishes."""
    serving = _accounts_for(item)
    return [v.channel for v in item.variants.all() if not serving.get(v.channel)]


@transaction.atomic
def schedule_item(item) -> list[Publication]:
    """Put the item's variants on the outbox for every active account serving their
    channel, due at ``item.scheduled_at``. Call it when the item becomes scheduled (and
    again when its moment moves). ValidationError, and nothing written, when a platform
    would refuse a text or the photo. Rows already out are left alone."""
    if item.scheduled_at is None:
        raise ValidationError({"scheduled_at": "Choose a date and time to publish first."})
    problems = check_item(item)
    if problems:
        raise ValidationError(problems)
    serving = _accounts_for(item)
    rows = []
    for variant in item.variants.all():
        for account in serving.get(variant.channel, []):
            publication, created = Publication.objects.get_or_create(
                variant=variant,
                account=account,
                defaults={
                    "organisation_id": item.organisation_id,
                    "due_at": item.scheduled_at,
                    "revision": item.revision,
                },
            )
            if not created and publication.status in (
                PublicationStatus.SCHEDULED,
                PublicationStatus.FAILED,
            ):
                Publication.objects.filter(pk=publication.pk, status=publication.status).update(
                    status=PublicationStatus.SCHEDULED,
                    due_at=item.scheduled_at,
                    revision=item.revision,
                    attempts=0,
                    last_error="",
                )
                publication.refresh_from_db()
            rows.append(publication)
    if item.scheduled_at <= timezone.now() + timedelta(minutes=1):
        transaction.on_commit(_publish_soon)
    return rows


def schedule_missing() -> int:
    """Scheduled items with a text that an active account serves but no publication for
    it: the after-commit hook that schedules them failed or never ran (a crash, an
    account connected after the item was scheduled). Scheduled now; an item a platform
    would refuse is logged and left for the editor, who sees it on the item page.
    Returns how many items were scheduled."""
    from koers.content.models import ContentItem, State, Variant

    served = ChannelAccount.objects.filter(is_active=True)
    missing = (
        Variant.objects.filter(item__state=State.SCHEDULED, item__scheduled_at__isnull=False)
        .filter(
            Exists(
                served.filter(
                    organisation_id=OuterRef("organisation_id"), serves=OuterRef("channel")
                ).exclude(publications__variant=OuterRef("pk"))
            )
        )
        .values_list("item_id", flat=True)
        .distinct()
    )
    done = 0
    for item in ContentItem.objects.filter(pk__in=list(missing)):
        try:
            schedule_item(item)
        except ValidationError as error:
            log.warning("item %s cannot be scheduled for publishing: %s", item.pk, error)
            continue
        done += 1
    return done


def _publish_soon() -> None:
    from koers.adapters import queue
    from koers.publishing import tasks

    queue(tasks.publish_now)


def withdraw_item(item) -> int:
    """Take the item's publications that have not gone out off the outbox (the item
    went back to draft or off the calendar). A row being published right now stays:
    it is out, or about to be."""
    deleted, _ = Publication.objects.filter(
        variant__item=item,
        status__in=[
            PublicationStatus.SCHEDULED,
            PublicationStatus.FAILED,
            PublicationStatus.WAITING,
        ],
    ).delete()
    return deleted


def _claimable(now: datetime) -> Q:
    return Q(status=PublicationStatus.SCHEDULED, due_at__lte=now) | Q(
        status=PublicationStatus.PUBLISHING, claimed_at__lt=now - LEASE
    )


def publish_due(now: datetime | None = None, *, limit: int = BATCH) -> int:
    """Publish what is due; returns how many were published. Safe to run in several
    workers at once: each row is claimed by one."""
    now = now or timezone.now()
    published = 0
    due = list(
        Publication.objects.filter(_claimable(now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        claimed = Publication.objects.filter(_claimable(now), pk=pk).update(
            status=PublicationStatus.PUBLISHING, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed:
            published += publish_claimed(pk, now)
    _finish_items()
    return published


def _finish_items() -> None:
    """Items whose every publication is out but that are still scheduled: a worker
    stopped between storing the last result and moving the item."""
    from koers.content.models import ContentItem, State

    waiting = [s for s in PublicationStatus.values if s != PublicationStatus.PUBLISHED]
    stuck = (
        ContentItem.objects.filter(
            state=State.SCHEDULED, variants__publications__status=PublicationStatus.PUBLISHED
        )
        .exclude(variants__publications__status__in=waiting)
        .distinct()
    )
    for item in stuck:
        _item_out(item)


def publish_claimed(pk: int, now: datetime) -> int:
    """Publish one row this worker has claimed; 1 when it went out."""
    publication = Publication.objects.select_related(
        "account__organisation", "account__responsible", "variant__item__organisation"
    ).get(pk=pk)
    _step("claimed", publication)
    account = publication.account
    connector = get_connector(account.kind)
    if connector.manual:
        Publication.objects.filter(pk=pk, status=PublicationStatus.PUBLISHING).update(
            status=PublicationStatus.WAITING
        )
        notify.post_by_hand(publication)
        return 0
    try:
        post = build_post(publication)
        connector.check(post)
        _step("before_request", publication)
        result = connector.publish(account, post)
    except PublishError as error:
        _failed(publication, error, now)
        return 0
    except Exception as error:  # a bug or an answer nobody expected: retry, capped
        log.exception("publication %s", pk)
        _failed(publication, PublishError(f"Unexpected error: {error}", transient=True), now)
        return 0
    _step("answered", publication)
    stored = Publication.objects.filter(pk=pk, status=PublicationStatus.PUBLISHING).update(
        status=PublicationStatus.PUBLISHED,
        external_id=result.external_id[:300],
        url=result.url[:1000],
        published_at=timezone.now(),
        last_error="",
    )
    _step("stored", publication)
    if account.status != AccountStatus.CONNECTED:
        ChannelAccount.objects.filter(pk=account.pk).exclude(status=AccountStatus.RECONNECT).update(
            status=AccountStatus.CONNECTED, last_error=""
        )
    if stored:
        _item_out(publication.variant.item)
    return stored


def _item_out(item) -> None:
    """Scheduled → published once every publication of the item is out."""
    from koers.content import workflow
    from koers.content.actions import transition_item
    from koers.content.models import State

    rows = Publication.objects.filter(variant__item=item)
    if item.state != State.SCHEDULED or rows.exclude(status=PublicationStatus.PUBLISHED).exists():
        return
    # Another worker may have moved it first, or someone took it off the calendar.
    with contextlib.suppress(workflow.TransitionRefused):
        transition_item(item, State.PUBLISHED, system=True)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _failed(publication: Publication, error: PublishError, now: datetime) -> None:
    pk = publication.pk
    mine = Publication.objects.filter(pk=pk, status=PublicationStatus.PUBLISHING)
    account = publication.account
    if error.reconnect:
        mine.update(status=PublicationStatus.FAILED, last_error=error.message)
        notify.mark_reconnect(account, error.message, now)
        return
    if error.transient and publication.attempts < MAX_ATTEMPTS:
        if error.retry_after is not None:
            delay = min(timedelta(seconds=error.retry_after), RETRY_AFTER_CAP)
        else:
            delay = backoff(publication.attempts)
        mine.update(
            status=PublicationStatus.SCHEDULED, due_at=now + delay, last_error=error.message
        )
        if error.status is None:  # no answer at all: show the instance as unreachable
            ChannelAccount.objects.filter(pk=account.pk, status=AccountStatus.CONNECTED).update(
                status=AccountStatus.UNREACHABLE, last_error=error.message, last_error_at=now
            )
        return
    mine.update(status=PublicationStatus.FAILED, last_error=error.message)

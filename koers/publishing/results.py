"""Results back from the platforms: favourites/likes, boosts/reposts and replies of
every published post, pulled periodically into ``MetricSnapshot`` series (and the
latest counts on the publication), and the credit to the person whose idea it was.

A day after an item went out (``REPORT_AFTER``) it moves published → measured, as
Koers itself, and its submitter hears what it did. The platforms Koers publishes to
do not say how many people saw a post, so the mail gives the interactions (likes,
reposts and replies together) and says so; where a connector reports ``reach`` it
names people instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from koers.publishing import notify
from koers.publishing.connectors import PublishError, get_connector
from koers.publishing.models import (
    AccountStatus,
    MetricSnapshot,
    Publication,
    PublicationStatus,
)

log = logging.getLogger(__name__)

METRICS_EVERY = timedelta(minutes=15)
METRICS_FOR = timedelta(days=30)
REPORT_AFTER = timedelta(hours=24)
# A run that comes a little early still pulls (the periodic task is every 15 minutes).
_SLACK = timedelta(minutes=1)


def pull_metrics(now: datetime | None = None) -> int:
    """Pull the counts of recent published posts that were not pulled in the last
    quarter of an hour; returns how many were pulled. Then credit the submitters of
    items that have been out for a day."""
    now = now or timezone.now()
    rows = (
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED,
            published_at__gte=now - METRICS_FOR,
            published_at__lte=now,
        )
        .filter(Q(metrics_at__isnull=True) | Q(metrics_at__lte=now - METRICS_EVERY + _SLACK))
        .exclude(external_id="")
        .exclude(account__status=AccountStatus.RECONNECT)
        .select_related("account__organisation")
        .order_by("published_at", "pk")
    )
    pulled = 0
    for publication in rows:
        connector = get_connector(publication.account.kind)
        if not connector.has_metrics:
            continue
        try:
            metrics = connector.metrics(publication.account, publication.external_id)
        except PublishError as error:
            if error.reconnect:
                notify.mark_reconnect(publication.account, error.message, now)
            log.info("metrics of publication %s: %s", publication.pk, error.message)
            continue
        MetricSnapshot.objects.create(
            organisation_id=publication.organisation_id,
            publication=publication,
            at=now,
            likes=metrics.likes,
            reposts=metrics.reposts,
            replies=metrics.replies,
        )
        Publication.objects.filter(pk=publication.pk).update(
            likes=metrics.likes, reposts=metrics.reposts, replies=metrics.replies, metrics_at=now
        )
        pulled += 1
    report_reach(now)
    return pulled


def report_reach(now: datetime | None = None) -> int:
    """Items out for a day: published → measured, and the submitter is told. The
    transition happens once, so nobody hears it twice."""
    from koers.content import workflow
    from koers.content.actions import transition_item
    from koers.content.models import ContentItem, State

    now = now or timezone.now()
    told = 0
    items = ContentItem.objects.filter(
        state=State.PUBLISHED, published_at__lte=now - REPORT_AFTER
    ).select_related("organisation", "submitted_by")
    for item in items:
        rows = Publication.objects.filter(variant__item=item, status=PublicationStatus.PUBLISHED)
        interactions = sum(row.likes + row.reposts + row.replies for row in rows)
        try:
            transition_item(item, State.MEASURED, system=True)
        except workflow.TransitionRefused:
            continue
        told += notify.idea_reached(item, people=None, interactions=interactions)
    return told

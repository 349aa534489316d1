"""Background work for enrichment and the per-organisation classifier.

- ``enrich_mentions(organisation_id=None)``: queued by ingest after it stored a batch;
  one enrichment runs at a time (a Huey lock), and a sweep every minute picks up what a
  crash or a missed queueing left.
  After a batch it queues the alert evaluation
  (``koers.alerts.evaluate_tasks.evaluate_alerts``) of each organisation it enriched.
- ``train_classifier(organisation_id)``: queued after each correction; trains at most
  once per ``TRAINING_INTERVAL`` per organisation. Corrections made in between are
  picked up by ``train_stale_classifiers``, which runs every ten minutes and retrains
  every organisation with corrections newer than its model.

Huey discovers ``tasks`` modules only: ``koers.listening.tasks`` imports this one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Max
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from koers.listening import classifier
from koers.listening.enrich import enrich_pending
from koers.listening.models import Mention

log = logging.getLogger(__name__)

TRAINING_INTERVAL = timedelta(minutes=10)


def _waiting_organisations(organisation_id: int | None) -> list[int]:
    """The organisations with mentions waiting for enrichment (read from the partial
    index of waiting mentions, so it stays cheap)."""
    if organisation_id is not None:
        return [organisation_id]
    pending = Mention.objects.filter(is_enriched=False).order_by()
    return list(pending.values_list("organisation_id", flat=True).distinct())


def _queue_alert_evaluation(organisation_ids: list[int]) -> None:
    """Early warning looks at the new mentions right away (an alert must reach its
    channels within a minute); the per-minute sweep catches whatever this misses."""
    from koers.alerts.evaluate_tasks import evaluate_alerts, organisations_with_rules

    try:
        for pk in organisations_with_rules(organisation_ids):
            evaluate_alerts(pk)
    except Exception:
        log.exception("could not queue the alert evaluation")


@db_task()
def enrich_mentions(organisation_id: int | None = None) -> int:
    try:
        with HUEY.lock_task("listening-enrich"):
            organisations = _waiting_organisations(organisation_id)
            done = enrich_pending(organisation_id)
    except TaskLockedException:
        # Another run is busy and takes these mentions along (it reads until none is left).
        return 0
    if done:
        _queue_alert_evaluation(organisations)
    return done


@db_periodic_task(crontab(minute="*"))
def enrich_sweep() -> int:
    return enrich_mentions.call_local()


def train_if_due(organisation_id: int) -> bool:
    """Train the organisation's classifier unless it was trained in the last
    ``TRAINING_INTERVAL``; True when it trained."""
    key = f"listening:classifier-trained:{int(organisation_id)}"
    if not cache.add(key, 1, timeout=int(TRAINING_INTERVAL.total_seconds())):
        return False
    try:
        classifier.train(organisation_id)
    except Exception:
        cache.delete(key)
        raise
    return True


@db_task()
def train_classifier(organisation_id: int) -> bool:
    from koers.orgs.models import Organisation

    if not Organisation.objects.filter(pk=organisation_id).exists():
        return False
    return train_if_due(organisation_id)


@db_periodic_task(crontab(minute="*/10"))
def train_stale_classifiers() -> int:
    """Retrain every organisation whose newest correction is newer than its model."""
    from koers.listening.models import Correction

    trained = 0
    for row in Correction.objects.values("organisation_id").annotate(latest=Max("at")):
        organisation_id = row["organisation_id"]
        model = classifier.load(organisation_id)
        if (
            model is not None
            and model.trained_at
            and datetime.fromisoformat(model.trained_at) >= row["latest"]
        ):
            continue
        trained += train_if_due(organisation_id)
    return trained

"""Background work for early warning: evaluating the rules.

- ``evaluate_alerts(organisation_id=None)``: queued by enrichment right after a batch,
  for each organisation whose mentions it enriched (``None``: every organisation with
  an active rule).
- ``evaluate_alerts_sweep``: every minute, for every organisation with an active rule,
  so time-based work (a bucket that settles, a quiet hour) happens without new
  mentions too.

One evaluation per organisation at a time (a Huey lock): a second one finds it busy
and leaves the work to the one running and the next sweep. Huey discovers ``tasks``
modules only: ``koers.listening.tasks`` imports this one.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from koers.alerts.evaluate import evaluate_organisation
from koers.alerts.models import AlertRule

log = logging.getLogger(__name__)


def organisations_with_rules(organisation_ids=None) -> list[int]:
    rules = AlertRule.objects.filter(is_active=True)
    if organisation_ids is not None:
        rules = rules.filter(organisation_id__in=list(organisation_ids))
    return sorted(set(rules.values_list("organisation_id", flat=True)))


def evaluate_locked(organisation_id: int) -> int:
    """Evaluate one organisation unless another evaluation of it is running; returns
    how many alerts were raised."""
    try:
        with HUEY.lock_task(f"alerts-evaluate-{int(organisation_id)}"):
            return len(evaluate_organisation(organisation_id))
    except TaskLockedException:
        return 0


@db_task()
def evaluate_alerts(organisation_id: int | None = None) -> int:
    ids = [organisation_id] if organisation_id is not None else organisations_with_rules()
    raised = 0
    for pk in ids:
        try:
            raised += evaluate_locked(pk)
        except Exception:
            # evaluate_organisation guards each rule; this is the database failing.
            log.exception("evaluating the alerts of organisation %s failed", pk)
    return raised


@db_periodic_task(crontab(minute="*"))
def evaluate_alerts_sweep() -> int:
    return evaluate_alerts.call_local()

"""Alerts' background work: sending the outbox.

``deliver_alerts`` is queued after an alert is committed, so it reaches its channels
within seconds; ``sweep_alert_outbox`` runs every minute for retries, the end of quiet
hours and digests. Both only call ``delivery.deliver_due``, which claims each row
before sending it, so they may overlap safely.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.alerts import delivery


@db_task()
def deliver_alerts() -> int:
    return delivery.deliver_due()


@db_periodic_task(crontab(minute="*"))
def sweep_alert_outbox() -> int:
    return delivery.deliver_due()

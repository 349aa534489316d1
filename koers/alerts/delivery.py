"""The outbox: alerts become ``Delivery`` rows first, and a worker sends them.

``enqueue(alert)`` is called by whoever creates an alert, inside its transaction. It
adds one delivery per active channel of the alert's rule, due:

- now, as a rule;
- at the end of the rule's quiet hours (in the organisation's time zone; a window
  such as 22:00–07:00 crosses midnight) when the alert's severity is below 4;
- for a rule in digest mode, at the end of the current digest period (periods start
  at midnight, local time), by joining the pending digest delivery of that rule and
  channel rather than adding a row (and then past the quiet hours if it falls in
  them).

A rule without active channels notifies, in Koers itself, the members who may act on
alerts ("alerts.respond"): ``Notification`` rows right away, no delivery.

``deliver_due()`` claims due rows with a conditional update (pending or failed and
due, or "sending" for longer than ``STUCK_AFTER`` because a worker died), so two
workers never send the same row, then sends each and records the outcome on the row
and on its channel. A transient failure (5xx, 408, 429, time-out, no connection) is
retried with exponential backoff, 30 seconds doubling up to an hour, for at least
``GIVE_UP_AFTER``; a permanent one (another 4xx, a refused address) gives up at once.
Either way the channel shows the error.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.alerts.channels import DeliveryError, get_kind
from koers.alerts.channels.base import organisation_locale, responders
from koers.alerts.channels.in_app import notify
from koers.alerts.models import Alert, Channel, Delivery, DeliveryStatus, RuleKind

log = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
# Quiet hours do not hold back an alert this severe.
URGENT_SEVERITY = 4
# Rows per run; the rest are due at the next run.
BATCH = 100


# --- timing ------------------------------------------------------------------------------


def quiet_end(rule, when: datetime) -> datetime | None:
    """The end of the rule's quiet hours if ``when`` falls in them, else None."""
    start, end = rule.quiet_from, rule.quiet_until
    if start is None or end is None or start == end:
        return None
    zone = rule.organisation.zone
    local = when.astimezone(zone)
    moment = local.time()
    if start < end:
        if not start <= moment < end:
            return None
        day = local.date()
    else:  # across midnight, e.g. 22:00–07:00
        if end <= moment < start:
            return None
        day = local.date() if moment < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)


def digest_end(rule, when: datetime) -> datetime:
    """The end of the digest period ``when`` falls in; periods of ``digest_minutes``
    start at local midnight (the last one of a day ends at midnight)."""
    zone = rule.organisation.zone
    local = when.astimezone(zone)
    midnight = datetime.combine(local.date(), time(0), tzinfo=zone)
    period = max(rule.digest_minutes, 1)
    minutes = (local.hour * 60 + local.minute) // period * period + period
    return min(midnight + timedelta(minutes=minutes), midnight + timedelta(days=1))


def due_at(rule, severity: int, now: datetime) -> datetime:
    """When an alert of ``rule`` raised ``now`` should go out."""
    due = digest_end(rule, now) if rule.digest else now
    if severity < URGENT_SEVERITY:
        due = quiet_end(rule, due) or due
    return due


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min … 1 hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def gives_up(attempts: int) -> bool:
    """Whether ``attempts`` failed attempts have been retried for ``GIVE_UP_AFTER``."""
    waited = sum((retry_delay(n) for n in range(1, attempts + 1)), timedelta())
    return waited >= GIVE_UP_AFTER


# --- enqueue -----------------------------------------------------------------------------


def enqueue(alert: Alert) -> list[Delivery]:
    """Outbox rows for a new alert (see the module docstring); call it inside the
    transaction that creates the alert. Sending starts after the commit."""
    rule = alert.rule
    channels = list(rule.channels.filter(is_active=True)) if rule else []
    if not channels:
        notify(alert.organisation, [alert.pk], responders(alert.organisation))
        return []
    now = timezone.now()
    due = due_at(rule, alert.severity, now)
    deliveries = []
    for channel in channels:
        delivery = _join_digest(channel, rule, due) if rule.digest else None
        if delivery is None:
            delivery = Delivery.objects.create(
                organisation=alert.organisation,
                channel=channel,
                rule=rule,
                is_digest=rule.digest,
                due_at=due,
            )
        delivery.alerts.add(alert)
        deliveries.append(delivery)
    if due <= now:
        from koers.alerts.tasks import deliver_alerts

        transaction.on_commit(lambda: queue(deliver_alerts))
    return deliveries


def _join_digest(channel: Channel, rule, due: datetime) -> Delivery | None:
    pending = Delivery.objects.filter(
        channel=channel, rule=rule, is_digest=True, status=DeliveryStatus.PENDING, attempts=0
    ).order_by("pk")
    delivery = pending.first()
    if delivery is None:
        return None
    # Conditional: a worker may have claimed it since. The update also locks the row
    # until the caller's transaction commits, so a claim waits and then sends the
    # digest with this alert in it.
    due = min(delivery.due_at, due)
    if not pending.filter(pk=delivery.pk).update(due_at=due):
        return None
    delivery.due_at = due
    return delivery


# --- deliver -----------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], due_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    )


def claim(delivery_id: int, now: datetime) -> bool:
    """Take one due row for sending; False when another worker has it (or it is not due)."""
    return bool(
        Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def deliver_due(now: datetime | None = None) -> int:
    """Send every due delivery this worker can claim; returns how many went out."""
    now = now or timezone.now()
    due = Delivery.objects.filter(_claimable(now)).order_by("due_at", "pk")
    sent = 0
    for delivery_id in list(due.values_list("pk", flat=True)[:BATCH]):
        if claim(delivery_id, now):
            sent += _deliver(delivery_id, now)
    return sent


def _deliver(delivery_id: int, now: datetime) -> bool:
    delivery = Delivery.objects.select_related("channel__organisation").get(pk=delivery_id)
    channel = delivery.channel
    alerts = list(
        delivery.alerts.select_related("organisation", "rule").order_by("created_at", "pk")
    )
    try:
        if not channel.is_active:
            raise DeliveryError(_("The channel is switched off."), transient=False)
        if not alerts:
            raise DeliveryError(_("Nothing to send: the alerts were deleted."), transient=False)
        status = send(channel, alerts, digest=delivery.is_digest)
    except DeliveryError as error:
        _failed(delivery, error, now)
        return False
    except Exception as error:
        # A bug or the database: retried like any transient failure, and logged.
        log.exception("delivery %s failed", delivery_id)
        _failed(delivery, DeliveryError(f"Unexpected error: {error}"), now)
        return False
    mine = Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at)
    mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), response_status=status)
    Channel.objects.filter(pk=channel.pk).update(last_delivery_at=timezone.now())
    return True


def send(channel: Channel, alerts, *, digest: bool, test: bool = False) -> int | None:
    """Render and send ``alerts`` through ``channel`` (raises DeliveryError)."""
    kind = get_kind(channel.kind)
    with organisation_locale(channel.organisation):
        payload = kind.render(alerts, digest=digest, test=test)
    return kind.send(channel, payload)


def _failed(delivery: Delivery, error: DeliveryError, now: datetime) -> None:
    message = str(error)[:2000]
    if error.transient and not gives_up(delivery.attempts):
        wait = retry_delay(delivery.attempts)
        if error.retry_after is not None:
            wait = min(timedelta(seconds=error.retry_after), MAX_RETRY)
        status, due = DeliveryStatus.FAILED, now + wait
    else:
        status, due = DeliveryStatus.GAVE_UP, delivery.due_at
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(
        status=status, due_at=due, last_error=message, response_status=error.status
    )
    Channel.objects.filter(pk=delivery.channel_id).update(
        last_error=message, last_error_at=timezone.now()
    )


# --- test message ------------------------------------------------------------------------


def sample_alert(organisation) -> Alert:
    """An alert that is never saved, for a channel's test message."""
    now = timezone.now()
    return Alert(
        organisation=organisation,
        kind=RuleKind.VOLUME_SPIKE,
        severity=3,
        title=_("Test message from Koers"),
        summary=_("If you can read this, alerts reach this channel."),
        observed_at=now,
        created_at=now,
    )


def send_test_message(channel: Channel) -> str:
    """Send a test message now, through the same code as real deliveries, and record
    the outcome on the channel. Returns the error ('' when it went out)."""
    with organisation_locale(channel.organisation):
        alert = sample_alert(channel.organisation)
    try:
        send(channel, [alert], digest=False, test=True)
    except DeliveryError as error:
        message = str(error)[:2000]
        Channel.objects.filter(pk=channel.pk).update(
            last_error=message, last_error_at=timezone.now()
        )
        return message
    Channel.objects.filter(pk=channel.pk).update(last_delivery_at=timezone.now())
    return ""

"""Sending survey links and reminders; closing waves whose time is up.

Each ticket is claimed with a conditional update before its mail goes out, so a
duplicate task sends nobody a second link.
"""

import logging

from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.support.models import Ticket, TicketStatus, Wave, WaveStatus

log = logging.getLogger(__name__)


def _send(ticket: Ticket, template: str) -> None:
    wave, org = ticket.wave, ticket.organisation
    context = {
        "wave": wave,
        "organisation": org,
        "url": ticket.url,
        "person": ticket.membership.user,
    }
    with translation.override(wave.language), timezone.override(org.zone):
        subject = render_to_string(f"support/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"support/email/{template}.txt", context)
    EmailMessage(subject, body, to=[ticket.membership.user.email]).send()


@db_task(retries=3, retry_delay=120)
def send_wave_links(wave_id: int) -> int:
    """E-mail every invited member their personal link; returns how many were sent."""
    wave = Wave.objects.filter(pk=wave_id, status=WaveStatus.OPEN).first()
    if wave is None:
        return 0
    sent = 0
    for ticket_id in Ticket.objects.filter(wave=wave, sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        claimed = Ticket.objects.filter(pk=ticket_id, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        ticket = Ticket.objects.select_related("wave", "organisation", "membership__user").get(
            pk=ticket_id
        )
        try:
            _send(ticket, "link")
        except Exception:
            Ticket.objects.filter(pk=ticket_id).update(sent_at=None)
            log.exception("survey link for ticket %s not sent", ticket_id)
            raise
        sent += 1
    return sent


@db_task(retries=2, retry_delay=120)
def send_reminders(wave_id: int, ticket_ids: list[int]) -> int:
    wave = Wave.objects.filter(pk=wave_id, status=WaveStatus.OPEN).first()
    if wave is None:
        return 0
    sent = 0
    since = timezone.now() - timezone.timedelta(hours=20)
    for ticket_id in ticket_ids:
        claimed = (
            Ticket.objects.filter(pk=ticket_id, wave=wave)
            .exclude(status=TicketStatus.COMPLETED)
            .exclude(last_reminded_at__gt=since)
            .update(last_reminded_at=timezone.now(), reminders_sent=F("reminders_sent") + 1)
        )
        if not claimed:
            continue
        ticket = Ticket.objects.select_related("wave", "organisation", "membership__user").get(
            pk=ticket_id
        )
        _send(ticket, "reminder")
        sent += 1
    return sent


@db_periodic_task(crontab(minute="*/10"))
def close_expired_waves() -> int:
    from koers.support.actions import close_expired_waves as close

    return close()

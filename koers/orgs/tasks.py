"""Background work for organisations: sending invitation e-mail.

The invitation row is the outbox: the task re-reads it, claims it with a conditional
update so that two workers never send the same invitation twice, and records the last
error when the mail server refuses.
"""

import logging
import smtplib
import socket
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.orgs.models import Invitation

log = logging.getLogger(__name__)

# Mail server trouble that may pass; anything else is a bug and must not loop.
TRANSIENT = (smtplib.SMTPException, socket.error, TimeoutError)


# A worker that claimed an invitation and then died leaves a claim behind; after this
# long another worker may take it over. (Mail is at-least-once: a worker that dies after
# the mail server accepted the message but before recording it sends it once more.)
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10


@db_task(retries=5, retry_delay=60)
def send_invitation(invitation_id: int) -> bool:
    """E-mail the invitation link. Returns False when there is nothing (more) to send."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent_at or invitation.status != "pending":
        return False
    now = timezone.now()
    # The claim: of all workers holding this task (duplicates happen after a retry or a
    # re-queue), exactly one gets to send.
    claimed = (
        Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now, send_attempts=F("send_attempts") + 1)
    )
    if not claimed:
        return False
    org = invitation.organisation
    context = {"invitation": invitation, "organisation": org, "url": invitation.url}
    with translation.override(org.default_language), timezone.override(org.zone):
        subject = render_to_string("orgs/email/invitation_subject.txt", context).strip()
        body = render_to_string("orgs/email/invitation.txt", context)
        html = render_to_string("orgs/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:
        # Give the claim back so a retry, the sweep or a resend can send it.
        Invitation.objects.filter(pk=invitation.pk).update(
            claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        if isinstance(error, TRANSIENT):
            log.warning("invitation %s not sent, will retry: %s", invitation.pk, error)
            raise
        log.exception("invitation %s not sent", invitation.pk)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now(), last_error="")
    return True


@db_periodic_task(crontab(minute="*/5"))
def sweep_unsent_invitations() -> int:
    """Re-queue pending invitations whose e-mail was never sent: the queue was down when
    they were made, or the worker that claimed them died. Returns how many."""
    now = timezone.now()
    unsent = (
        Invitation.objects.pending()
        .filter(
            sent_at__isnull=True,
            send_attempts__lt=MAX_ATTEMPTS,
            created_at__lt=now - timedelta(minutes=2),
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .values_list("pk", flat=True)
    )
    count = 0
    for invitation_id in unsent:
        send_invitation(invitation_id)
        count += 1
    return count

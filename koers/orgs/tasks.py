"""Background work for organisations: sending invitation e-mail.

The invitation row is the outbox: the task re-reads it, claims it with a conditional
update so that two workers never send the same invitation twice, and records the last
error when the mail server refuses.
"""

import logging
import smtplib
import socket

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey.contrib.djhuey import db_task

from koers.orgs.models import Invitation

log = logging.getLogger(__name__)

# Mail server trouble that may pass; anything else is a bug and must not loop.
TRANSIENT = (smtplib.SMTPException, socket.error, TimeoutError)


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
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), send_attempts=F("send_attempts") + 1
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
        # Give the claim back so a retry (or a resend from the members page) can send it.
        Invitation.objects.filter(pk=invitation.pk).update(
            sent_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        if isinstance(error, TRANSIENT):
            log.warning("invitation %s not sent, will retry: %s", invitation.pk, error)
            raise
        log.exception("invitation %s not sent", invitation.pk)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(last_error="")
    return True

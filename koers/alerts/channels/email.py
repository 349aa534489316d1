"""E-mail: plain text with a simple HTML part, one message per recipient (recipients
do not see each other's addresses), in the organisation's language.

A mail server that fails is retried like a webhook; when it fails after some of the
messages went out, the retry sends to everyone again (a duplicate beats a silence).
"""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from koers.alerts.channels.base import (
    ChannelKindBase,
    DeliveryError,
    heading,
    recipients_of,
    register,
    shown,
)
from koers.alerts.models import ChannelKind


@register
class Email(ChannelKindBase):
    kind = ChannelKind.EMAIL
    needs_recipients = True

    def render(self, alerts, *, digest, test=False):
        items, more = shown(alerts)
        context = {
            "heading": heading(alerts, digest=digest, test=test),
            "items": items,
            "more": more,
            "test": test,
            "organisation": alerts[0].organisation,
        }
        return {
            "subject": " ".join(context["heading"].split()),
            "text": render_to_string("alerts/email/alert.txt", context),
            "html": render_to_string("alerts/email/alert.html", context),
        }

    def send(self, channel, payload):
        addresses = [user.email for user in recipients_of(channel) if user.email]
        if not addresses:
            raise DeliveryError("Nobody to send the e-mail to.", transient=False)
        messages = []
        for address in addresses:
            message = EmailMultiAlternatives(payload["subject"], payload["text"], to=[address])
            message.attach_alternative(payload["html"], "text/html")
            messages.append(message)
        try:
            get_connection().send_messages(messages)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"The mail server refused or failed: {error}") from None
        return None

"""Adding, changing and deleting channels (the writes behind the channels pages).

A webhook's address is checked before anything is saved (see ``base.check_url``) and
stored encrypted, with only its host in clear for the list; the JSON webhook's
signing secret is generated when none is given and returned once, to be shown once.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers.alerts.channels import get_kind
from koers.alerts.channels.base import check_url
from koers.alerts.models import Channel, ChannelKind
from koers.audit.actions import record_event
from koers.listening.secrets import encrypt
from koers.orgs.capabilities import ROLE_CAPABILITIES

# Audit actions (koers.audit.models.Action lists the labels).
CHANNEL_CREATED = "alert_channel_created"
CHANNEL_CHANGED = "alert_channel_changed"
CHANNEL_DELETED = "alert_channel_deleted"

MIN_SECRET = 16


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def possible_recipients(organisation):
    """Members who may be named as recipients: those who may see alerts."""
    from koers.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role__in=ROLE_CAPABILITIES["alerts.view"],
    ).order_by("name", "email")


def _check(organisation, channel, *, kind, url, secret, recipients) -> dict:
    errors: dict[str, list] = {}
    if get_kind(kind).needs_url:
        if url:
            try:
                check_url(url)
            except ValidationError as error:
                errors["url"] = error.error_list
        elif channel is None or not channel.url_encrypted:
            errors["url"] = [ValidationError(_("Paste the webhook address the service gave you."))]
    if kind == ChannelKind.WEBHOOK and secret and len(secret) < MIN_SECRET:
        errors["secret"] = [
            ValidationError(
                _("Use a secret of at least %(count)d characters, or leave it empty."),
                params={"count": MIN_SECRET},
            )
        ]
    allowed = set(possible_recipients(organisation).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in recipients):
        errors["recipients"] = [
            ValidationError(_("Choose recipients among the members who may see alerts."))
        ]
    return errors


def save_channel(
    organisation,
    *,
    by,
    kind: str,
    name: str,
    url: str = "",
    secret: str = "",
    renew_secret: bool = False,
    recipients=(),
    is_active: bool = True,
    channel: Channel | None = None,
    request=None,
) -> tuple[Channel, str]:
    """Add or change a channel. ``url`` and ``secret`` empty on a change: keep the
    stored ones. Returns the channel and the signing secret to show once ('' unless
    Koers generated one). Raises ValidationError (by field) before writing anything."""
    kind = channel.kind if channel else kind
    # Only what the kind uses is kept.
    url = url.strip() if get_kind(kind).needs_url else ""
    secret = secret if kind == ChannelKind.WEBHOOK else ""
    recipients = list(recipients) if get_kind(kind).needs_recipients else []
    errors = _check(organisation, channel, kind=kind, url=url, secret=secret, recipients=recipients)
    if errors:
        raise ValidationError(errors)
    shown = ""
    needs_secret = channel is None or renew_secret or not channel.secret_encrypted
    if kind == ChannelKind.WEBHOOK and not secret and needs_secret:
        secret = shown = new_secret()
    with transaction.atomic():
        created = channel is None
        if created:
            channel = Channel(organisation=organisation, kind=kind)
        channel.name = name.strip()
        channel.is_active = is_active
        changed = []
        if url:
            channel.url_encrypted = encrypt(url)
            channel.url_host = urlsplit(url).hostname or ""
            # The last error was about the old address.
            channel.last_error, channel.last_error_at = "", None
            changed.append("address")
        if secret:
            channel.secret_encrypted = encrypt(secret)
            changed.append("secret")
        channel.save()
        channel.recipients.set(recipients)
        record_event(
            organisation,
            action=CHANNEL_CREATED if created else CHANNEL_CHANGED,
            by=by,
            request=request,
            target=channel.name,
            details={
                "kind": kind,
                "host": channel.url_host,
                "active": channel.is_active,
                "changed": changed,
                "recipients": len(recipients),
            },
        )
    return channel, shown


@transaction.atomic
def delete_channel(channel: Channel, *, by, request=None) -> None:
    """Delete a channel and its outbox rows; rules that used it keep their other channels
    (a rule left with none notifies the responders in Koers)."""
    record_event(
        channel.organisation,
        action=CHANNEL_DELETED,
        by=by,
        request=request,
        target=channel.name,
        details={"kind": channel.kind, "host": channel.url_host},
    )
    channel.delete()

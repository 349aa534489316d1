"""The contract every channel kind fulfils, and what the kinds share.

A kind is one small class, registered under its ``ChannelKind`` value:

- ``render(alerts, *, digest, test=False)`` turns alerts into the kind's payload (a
  dict of JSON, a mail's parts, a list of alert ids). The outbox calls it with the
  organisation's language and time zone active, so texts and times read as theirs.
- ``send(channel, payload)`` delivers it and returns the receiver's HTTP status (or
  None where there is none), or raises ``DeliveryError``: ``transient`` (a 5xx, a
  time-out, a refused connection: the outbox retries with backoff) or not (a 4xx, an
  address that is refused: the outbox gives up at once and shows the reason).

``needs_url`` and ``needs_recipients`` say which fields the channel form shows.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.platforms import http
from koers.platforms.base import SourceError

# Seconds a receiver gets to answer (connect, send, answer); tests make it shorter.
TIMEOUT = 10.0
# Alerts written out in one message; a digest with more names how many it left out.
MAX_SHOWN = 20
# Characters of an alert's summary in chat messages.
MAX_SUMMARY = 500


class DeliveryError(Exception):
    """A channel could not deliver. ``transient``: try again later."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool = True,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


class ChannelKindBase:
    kind: str = ""
    needs_url = False
    needs_recipients = False

    def render(self, alerts: Sequence, *, digest: bool, test: bool = False):
        raise NotImplementedError

    def send(self, channel, payload) -> int | None:
        raise NotImplementedError


REGISTRY: dict[str, ChannelKindBase] = {}


def register(cls: type[ChannelKindBase]) -> type[ChannelKindBase]:
    REGISTRY[cls.kind] = cls()
    return cls


# --- texts every kind shows ------------------------------------------------------------


@contextmanager
def organisation_locale(organisation):
    """The organisation's language and time zone, for rendering a message."""
    with translation.override(organisation.default_language), timezone.override(organisation.zone):
        yield


def alert_url(alert) -> str:
    """The alert's page (the list of alerts for a test message, which has no page)."""
    slug = alert.organisation.slug
    if alert.pk is None:
        return settings.BASE_URL + reverse("alerts:list", args=[slug])
    return settings.BASE_URL + reverse("alerts:detail", args=[slug, alert.pk])


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value, decimal_pos=0 if float(value).is_integer() else 2)


@dataclass(frozen=True)
class Item:
    """One alert as every format writes it out."""

    title: str
    severity: str
    summary: str
    facts: str
    when: str
    url: str


def item(alert) -> Item:
    facts = ""
    if alert.value is not None and alert.baseline is not None:
        facts = _("Observed %(value)s; normally %(baseline)s.") % {
            "value": _number(alert.value),
            "baseline": _number(alert.baseline),
        }
    elif alert.value is not None:
        facts = _("Observed %(value)s.") % {"value": _number(alert.value)}
    summary = alert.summary.strip()
    if len(summary) > MAX_SUMMARY:
        summary = summary[: MAX_SUMMARY - 1].rstrip() + "…"
    return Item(
        title=alert.title,
        severity=_("Severity %(severity)d of 5") % {"severity": alert.severity},
        summary=summary,
        facts=facts,
        when=formats.date_format(timezone.localtime(alert.observed_at), "j M Y H:i"),
        url=alert_url(alert),
    )


def heading(alerts: Sequence, *, digest: bool, test: bool = False) -> str:
    """The first line of a message: the alert's title, or how many a digest holds."""
    if test:
        return _("Koers: test message")
    if digest or len(alerts) > 1:
        return _("Koers: %(count)d alerts") % {"count": len(alerts)}
    return _("Koers alert: %(title)s") % {"title": alerts[0].title}


def shown(alerts: Sequence) -> tuple[list[Item], int]:
    """The alerts written out (most severe first) and how many more there are."""
    ordered = sorted(alerts, key=lambda a: (-a.severity, a.observed_at))
    return [item(alert) for alert in ordered[:MAX_SHOWN]], max(len(alerts) - MAX_SHOWN, 0)


def more_text(count: int) -> str:
    return ngettext(
        "…and %(count)d more alert in Koers.", "…and %(count)d more alerts in Koers.", count
    ) % {"count": count}


def open_text() -> str:
    return _("Open in Koers")


# --- addresses ----------------------------------------------------------------------------


def check_url(url: str) -> tuple[str, str]:
    """A webhook address that Koers may send to: (the address, its host). Refuses, with
    the reason, a malformed address, one without https, and one whose host is (or
    resolves to) a private, loopback, link-local or reserved address, unless
    ``OUTGOING_ALLOW_PRIVATE`` is on (then plain http is allowed too, for local use)."""
    url = url.strip()
    allow_private = settings.OUTGOING_ALLOW_PRIVATE
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError(
            _("This is not a valid web address. Paste the full address, starting with https://."),
            code="malformed",
        ) from None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(_("Put no user name or password in the address."), code="userinfo")
    if parts.scheme != "https" and not allow_private:
        raise ValidationError(
            _("Use an address that starts with https://: alerts must not travel unencrypted."),
            code="scheme",
        )
    host = parts.hostname or ""
    if not allow_private:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise ValidationError(
                _("The host %(host)s could not be found. Check the address."),
                code="unknown_host",
                params={"host": host},
            ) from None
        for info in infos:
            address = str(info[4][0])
            if not http.address_allowed(address):
                shown_host = host if host == address else f"{host} ({address})"
                raise ValidationError(
                    _(
                        "%(host)s is on a private or internal network; Koers does not send "
                        "alerts there. An administrator can allow internal addresses "
                        "(KOERS_OUTGOING_ALLOW_PRIVATE)."
                    ),
                    code="internal",
                    params={"host": shown_host},
                )
    return url, host


def channel_url(channel) -> str:
    from koers.listening.secrets import TokenUnreadable, decrypt

    try:
        return decrypt(channel.url_encrypted)
    except TokenUnreadable:
        raise DeliveryError(
            "The stored address can no longer be read (the secret key changed); enter it again.",
            transient=False,
        ) from None


def post_json(channel, payload, *, headers: dict[str, str] | None = None) -> int:
    """POST ``payload`` (a dict, or bytes already encoded) to the channel's address."""
    body = payload if isinstance(payload, bytes) else json_bytes(payload)
    try:
        response = http.post(
            channel_url(channel),
            body,
            headers=headers,
            timeout=TIMEOUT,
            allow_private=settings.OUTGOING_ALLOW_PRIVATE,
        )
    except SourceError as error:
        raise DeliveryError(
            str(error),
            transient=error.transient,
            status=error.status,
            retry_after=getattr(error, "retry_after", None),
        ) from None
    return response.status


def json_bytes(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


# --- people -------------------------------------------------------------------------------


def responders(organisation) -> Iterable:
    """Active members who may act on alerts: whom an alert reaches when nobody is named."""
    from koers.accounts.models import User
    from koers.orgs.capabilities import ROLE_CAPABILITIES

    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role__in=ROLE_CAPABILITIES["alerts.respond"],
    ).order_by("pk")


def recipients_of(channel) -> list:
    """The channel's named recipients who are still members allowed to see alerts (a
    person who left, or whose role changed, hears nothing more). Nobody named, or
    nobody named left: the responders, so an alert never goes nowhere."""
    from koers.orgs.capabilities import ROLE_CAPABILITIES

    named = list(
        channel.recipients.filter(
            is_active=True,
            memberships__organisation_id=channel.organisation_id,
            memberships__role__in=ROLE_CAPABILITIES["alerts.view"],
        ).order_by("pk")
    )
    return named or list(responders(channel.organisation))

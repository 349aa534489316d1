"""A JSON webhook in Koers' own schema (docs/alerts-channels.md), signed with HMAC.

Headers: ``X-Koers-Timestamp`` (Unix seconds) and ``X-Koers-Signature:
sha256=<hex>``, the HMAC-SHA256 with the channel's secret of the timestamp, a dot and
the raw body. Signing the timestamp too lets a receiver refuse old messages replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from koers.alerts.channels.base import (
    ChannelKindBase,
    DeliveryError,
    alert_url,
    json_bytes,
    post_json,
    register,
)
from koers.alerts.models import ChannelKind

SCHEMA_VERSION = 1


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def alert_data(alert) -> dict:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "severity": alert.severity,
        "title": alert.title,
        "summary": alert.summary,
        "value": alert.value,
        "baseline": alert.baseline,
        "score": alert.score,
        "observed_at": _iso(alert.observed_at),
        "created_at": _iso(alert.created_at),
        "rule": alert.rule.name if alert.rule_id else None,
        "url": alert_url(alert),
    }


@register
class Webhook(ChannelKindBase):
    kind = ChannelKind.WEBHOOK
    needs_url = True

    def render(self, alerts, *, digest, test=False):
        return {
            "version": SCHEMA_VERSION,
            "event": "test" if test else ("digest" if digest else "alert"),
            "organisation": alerts[0].organisation.slug,
            "alerts": [alert_data(alert) for alert in alerts],
        }

    def send(self, channel, payload):
        from koers.listening.secrets import TokenUnreadable, decrypt

        try:
            secret = decrypt(channel.secret_encrypted)
        except TokenUnreadable:
            secret = ""
        if not secret:
            raise DeliveryError(
                "The signing secret can no longer be read; save the channel with a new one.",
                transient=False,
            )
        body = json_bytes(payload)
        timestamp = str(int(time.time()))
        headers = {
            "X-Koers-Event": payload["event"],
            "X-Koers-Timestamp": timestamp,
            "X-Koers-Signature": sign(secret, timestamp, body),
        }
        return post_json(channel, body, headers=headers)

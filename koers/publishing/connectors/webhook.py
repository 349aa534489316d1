"""A generic outgoing webhook (Zapier, n8n, Make): Koers POSTs each post as JSON and
the receiver publishes it wherever it likes.

The body is described in docs/publishing.md. Headers: ``Idempotency-Key`` (the same on
every attempt: a receiver that keeps the keys it has seen never posts twice),
``X-Koers-Timestamp`` and, when the account has a signing secret,
``X-Koers-Signature: sha256=<hex>``, the HMAC-SHA256 with it of the timestamp, a dot
and the raw body (as the alert webhooks). The address is ``url`` in the account's
secrets: it often carries a token of its own. A 2xx is success; the receiver may
answer ``{"id": ..., "url": ...}`` to tell Koers where the post is. Images go as
links (``media[].url``), with alt texts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from koers.platforms import http
from koers.platforms.base import SourceError
from koers.publishing import secrets
from koers.publishing.connectors import base
from koers.publishing.connectors.base import Connector, Post, Published, PublishError, register

NAME = "The webhook"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def payload(post: Post) -> dict:
    return {
        "event": "publish",
        "version": 1,
        "idempotency_key": post.key,
        "channel": post.channel,
        "title": post.title,
        "text": post.text,
        "thread": list(post.parts[1:]),
        "link": post.link,
        "media": [
            {"url": image.url, "alt": image.alt, "content_type": image.content_type}
            for image in post.media
        ],
    }


@register
class Webhook(Connector):
    kind = "webhook"
    has_metrics = False

    def publish(self, account, post: Post) -> Published:
        self.check(post)
        try:
            data = secrets.read(account)
        except secrets.SecretsUnreadable as error:
            raise PublishError(str(error), reconnect=True) from None
        if not data.get("url"):
            raise PublishError("The webhook has no address; enter it again.", reconnect=True)
        body = json.dumps(payload(post), ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {"Idempotency-Key": post.key, "X-Koers-Timestamp": timestamp}
        if data.get("secret"):
            headers["X-Koers-Signature"] = sign(data["secret"], timestamp, body)
        try:
            answer = http.post(
                data["url"],
                body,
                headers=headers,
                timeout=base.TIMEOUT,
                allow_private=base.allow_private(),
            )
        except SourceError as error:
            failure = base.from_source_error(error, NAME)
            # A receiver that refuses its secret is not a lapsed login: show it as is.
            failure.reconnect = False
            raise failure from None
        try:
            reply = json.loads(answer.body or b"{}")
        except ValueError:
            reply = {}
        if not isinstance(reply, dict):
            reply = {}
        url = reply.get("url") if isinstance(reply.get("url"), str) else ""
        return Published(str(reply.get("id") or post.key), url if url.startswith("http") else "")

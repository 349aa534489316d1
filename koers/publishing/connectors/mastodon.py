"""Mastodon: statuses with images, alt texts and threads, as the account whose token
``koers.publishing.actions`` stored (``access_token`` in the account's secrets, from
the OAuth authorisation-code flow).

Exactly once: every status goes with an ``Idempotency-Key`` header (the publication's
key; ``<key>-<n>`` for the n-th reply of a thread), so a second attempt returns the
status the first one made. Mastodon remembers a key for an hour only, so an attempt
after an unknown outcome (``post.retry``) first looks among the account's latest
statuses for one with the same text, posted since the publication was made.

Media are uploaded with ``POST /api/v2/media`` (``description`` is the alt text)
before the first status; an upload repeated after a crash leaves an unattached file,
which Mastodon removes itself, never a second post.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from urllib.parse import quote

from koers.platforms import http
from koers.platforms.base import SourceError
from koers.publishing import secrets
from koers.publishing.connectors import base
from koers.publishing.connectors.base import (
    Connector,
    Media,
    Metrics,
    Post,
    Published,
    PublishError,
    register,
)

NAME = "Mastodon"


def _base_url(account) -> str:
    address = (account.address or "").strip().rstrip("/")
    if not address:
        raise PublishError("The account has no instance address.")
    if "://" not in address:
        address = "https://" + address
    return address


def _call(method: str, url: str, *, token: str = "", body: bytes = b"", headers=None) -> dict:
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    try:
        if method == "GET":
            answer = http.get(
                url,
                headers=sent,
                timeout=base.TIMEOUT,
                max_bytes=base.MAX_ANSWER,
                allow_private=base.allow_private(),
            )
        else:
            answer = http.post(
                url,
                body,
                headers=sent,
                timeout=base.TIMEOUT,
                max_bytes=base.MAX_ANSWER,
                allow_private=base.allow_private(),
            )
    except SourceError as error:
        raise base.from_source_error(error, NAME) from None
    try:
        return json.loads(answer.body or b"{}")
    except ValueError:
        raise PublishError(f"{NAME} sent an answer that is not JSON.", transient=True) from None


def _json(data: dict) -> bytes:
    return json.dumps(data).encode()


def _token(account) -> str:
    try:
        token = secrets.read(account).get("access_token", "")
    except secrets.SecretsUnreadable as error:
        raise PublishError(str(error), reconnect=True) from None
    if not token:
        raise PublishError("The account is not connected yet.", reconnect=True)
    return token


def _multipart(image: Media) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    name = image.filename.replace('"', "")
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {image.content_type}\r\n\r\n".encode(),
        image.data,
        f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n'.encode(),
        image.alt.encode(),
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _same_text(content: str, text: str) -> bool:
    return " ".join(http.html_to_text(content).split()) == " ".join(text.split())


@register
class Mastodon(Connector):
    kind = "mastodon"
    platform = "mastodon"
    max_images = 4
    max_image_bytes = 16 * 1024 * 1024
    image_types = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})

    def _already_posted(self, root: str, token: str, account, post: Post) -> dict | None:
        """After an unknown outcome: the status this post made, if Koers finds it."""
        account_id = secrets.read(account).get("account_id")
        if not account_id:
            me = _call("GET", f"{root}/api/v1/accounts/verify_credentials", token=token)
            account_id = str(me.get("id") or "")
            if not account_id:
                return None
            secrets.update(account, account_id=account_id)
        latest = _call(
            "GET",
            f"{root}/api/v1/accounts/{quote(str(account_id))}/statuses?limit=40",
            token=token,
        )
        for status in latest if isinstance(latest, list) else []:
            created = status.get("created_at") or ""
            try:
                moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
            except ValueError:
                continue
            if (
                moment >= post.created_at
                and not status.get("in_reply_to_id")
                and _same_text(status.get("content", ""), post.text)
            ):
                return status
        return None

    def publish(self, account, post: Post) -> Published:
        self.check(post)
        root = _base_url(account)
        token = _token(account)
        first = self._already_posted(root, token, account, post) if post.retry else None
        if first is not None and len(post.parts) == 1:
            return Published(str(first["id"]), first.get("url") or "")
        media_ids = []
        if first is None:
            for image in post.media:
                body, kind = _multipart(image)
                media = _call(
                    "POST", f"{root}/api/v2/media", token=token, body=body,
                    headers={"Content-Type": kind},
                )  # fmt: skip
                media_ids.append(str(media["id"]))
        previous = str(first["id"]) if first else None
        for number, text in enumerate(post.parts):
            if number == 0 and first is not None:
                continue
            data: dict = {"status": text, "visibility": "public"}
            if number == 0 and media_ids:
                data["media_ids"] = media_ids
            if previous:
                data["in_reply_to_id"] = previous
            key = post.key if number == 0 else f"{post.key}-{number}"
            status = _call(
                "POST", f"{root}/api/v1/statuses", token=token, body=_json(data),
                headers={"Idempotency-Key": key},
            )  # fmt: skip
            if not status.get("id"):
                raise PublishError(f"{NAME} accepted the post but sent no id.", transient=True)
            previous = str(status["id"])
            first = first or status
        assert first is not None
        return Published(str(first["id"]), first.get("url") or first.get("uri") or "")

    def metrics(self, account, external_id: str) -> Metrics:
        status = _call(
            "GET",
            f"{_base_url(account)}/api/v1/statuses/{quote(external_id)}",
            token=_token(account),
        )
        return Metrics(
            likes=int(status.get("favourites_count") or 0),
            reposts=int(status.get("reblogs_count") or 0),
            replies=int(status.get("replies_count") or 0),
        )

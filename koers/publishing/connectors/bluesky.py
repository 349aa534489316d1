"""Bluesky: a session from the handle and app password that
``koers.publishing.actions`` stored (``identifier``, ``app_password``, ``did``,
``access_jwt``, ``refresh_jwt`` in the account's secrets; refreshed, or opened anew,
when it expires), posts as ``app.bsky.feed.post`` records with images, alt texts, link facets and
threads.

Exactly once: every record gets a record key derived from the publication's
idempotency key (``record_key``: a valid TID, 13 sortable base32 characters, fixed
when the publication was made), so the repository itself refuses a second record
under it. After an unknown outcome (``post.retry``) Koers first asks for the record
under that key (``com.atproto.repo.getRecord``) and takes it when it is there; a
create that is refused because the key is taken is looked up the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

from koers.platforms import http
from koers.platforms.base import SourceError
from koers.publishing import secrets
from koers.publishing.connectors import base
from koers.publishing.connectors.base import (
    Connector,
    Metrics,
    Post,
    Published,
    PublishError,
    register,
)

NAME = "Bluesky"
DEFAULT_SERVICE = "https://bsky.social"
COLLECTION = "app.bsky.feed.post"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_URL = re.compile(r"https?://[^\s<>\"]+")


def record_key(key: str, created_at: datetime, part: int = 0) -> str:
    """A TID for part ``part`` of the post with idempotency key ``key``: the moment
    the publication was made (to the second or so, so keys sort by time as TIDs
    should) with the low 20 bits of the microseconds and the 10-bit clock id taken from
    the key. The same publication always gets the same record key."""
    number = uuid.UUID(key).int
    if part:
        number = int.from_bytes(hashlib.sha256(f"{key}/{part}".encode()).digest()[:16], "big")
    micros = int(created_at.timestamp() * 1_000_000)
    micros = ((micros & ~0xFFFFF) | (number & 0xFFFFF)) & ((1 << 53) - 1)
    value = (micros << 10) | ((number >> 20) & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def _service(account) -> str:
    return (account.address or DEFAULT_SERVICE).strip().rstrip("/")


def _send(method: str, url: str, *, token: str = "", body: bytes = b"", kind: str = "") -> dict:
    """One XRPC call; SourceError as ``koers.platforms.http`` raises it."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    options = {"timeout": base.TIMEOUT, "allow_private": base.allow_private()}
    if method == "GET":
        answer = http.get(url, headers=headers, max_bytes=base.MAX_ANSWER, **options)
    else:
        headers["Content-Type"] = kind or "application/json"
        answer = http.post(url, body, headers=headers, max_bytes=base.MAX_ANSWER, **options)
    try:
        return json.loads(answer.body or b"{}")
    except ValueError:
        raise PublishError(f"{NAME} sent an answer that is not JSON.", transient=True) from None


def _expired(error: SourceError) -> bool:
    # An expired access token is a 400 "ExpiredToken" on the PDS (a 401 elsewhere).
    return error.status == 401 or (error.status == 400 and "ExpiredToken" in str(error))


def _login(account) -> dict:
    """A new session from the app password, stored with the account's secrets."""
    try:
        data = secrets.read(account)
    except secrets.SecretsUnreadable as error:
        raise PublishError(str(error), reconnect=True) from None
    if not data.get("app_password"):
        raise PublishError("The account has no app password; connect it again.", reconnect=True)
    body = json.dumps(
        {
            "identifier": data.get("identifier") or account.handle.lstrip("@"),
            "password": data["app_password"],
        }
    ).encode()
    try:
        session = _send(
            "POST", f"{_service(account)}/xrpc/com.atproto.server.createSession", body=body
        )
    except SourceError as error:
        if error.status in (400, 401):
            words = base.platform_words(error) or "handle or app password refused"
            raise PublishError(
                f"{NAME} refused the app password ({words}); connect the account again.",
                reconnect=True,
                status=error.status,
            ) from None
        raise base.from_source_error(error, NAME) from None
    return secrets.update(
        account,
        access_jwt=session.get("accessJwt"),
        refresh_jwt=session.get("refreshJwt"),
        did=session.get("did"),
    )


def _refresh(account, data: dict) -> dict:
    if data.get("refresh_jwt"):
        try:
            session = _send(
                "POST",
                f"{_service(account)}/xrpc/com.atproto.server.refreshSession",
                token=data["refresh_jwt"],
            )
        except SourceError as error:
            if not (error.status and 400 <= error.status < 500):
                raise base.from_source_error(error, NAME) from None
        else:
            return secrets.update(
                account,
                access_jwt=session.get("accessJwt"),
                refresh_jwt=session.get("refreshJwt"),
            )
    return _login(account)


def _xrpc(account, method: str, nsid: str, *, params=None, data=None, raw=None, kind=""):
    """An authenticated XRPC call, refreshing the session once when it has expired."""
    session = secrets.read(account)
    if not session.get("access_jwt"):
        session = _login(account)
    url = f"{_service(account)}/xrpc/{nsid}" + (f"?{urlencode(params)}" if params else "")
    body = raw if raw is not None else (json.dumps(data).encode() if data is not None else b"")
    for attempt in range(2):
        try:
            return _send(method, url, token=session["access_jwt"], body=body, kind=kind), session
        except SourceError as error:
            if attempt == 0 and _expired(error):
                session = _refresh(account, session)
                continue
            raise base.from_source_error(error, NAME) from None
    raise AssertionError("unreachable")


def facets(text: str) -> list[dict]:
    """Link facets (byte offsets in UTF-8), so addresses in the text are clickable."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        start = len(text[: match.start()].encode())
        found.append(
            {
                "index": {"byteStart": start, "byteEnd": start + len(url.encode())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )
    return found


@register
class Bluesky(Connector):
    kind = "bluesky"
    platform = "bluesky"
    max_images = 4
    max_image_bytes = 1_000_000
    image_types = frozenset({"image/jpeg", "image/png", "image/webp"})

    def _existing(self, account, did: str, rkey: str) -> dict | None:
        params = {"repo": did, "collection": COLLECTION, "rkey": rkey}
        url = f"{_service(account)}/xrpc/com.atproto.repo.getRecord?{urlencode(params)}"
        try:
            record = _send("GET", url)
        except SourceError as error:
            if error.status in (400, 404):  # RecordNotFound
                return None
            raise base.from_source_error(error, NAME) from None
        return {"uri": record["uri"], "cid": record["cid"]}

    def _images(self, account, post: Post) -> dict | None:
        images = []
        for image in post.media:
            answer, _session = _xrpc(
                account,
                "POST",
                "com.atproto.repo.uploadBlob",
                raw=image.data,
                kind=image.content_type,
            )
            images.append({"image": answer["blob"], "alt": image.alt})
        return {"$type": "app.bsky.embed.images", "images": images} if images else None

    def publish(self, account, post: Post) -> Published:
        self.check(post)
        session = secrets.read(account) if account.pk else {}
        if not session.get("did"):
            session = _login(account)
        did = session["did"]
        root = parent = None
        first_key = record_key(post.key, post.created_at)
        for number, text in enumerate(post.parts):
            rkey = record_key(post.key, post.created_at, number)
            ref = self._existing(account, did, rkey) if post.retry else None
            if ref is None:
                record: dict = {
                    "$type": COLLECTION,
                    "text": text,
                    "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                }
                if links := facets(text):
                    record["facets"] = links
                if number == 0 and (embed := self._images(account, post)):
                    record["embed"] = embed
                if parent:
                    record["reply"] = {"root": root, "parent": parent}
                data = {"repo": did, "collection": COLLECTION, "rkey": rkey, "record": record}
                try:
                    answer, _session = _xrpc(
                        account, "POST", "com.atproto.repo.createRecord", data=data
                    )
                    ref = {"uri": answer["uri"], "cid": answer["cid"]}
                except PublishError as error:
                    # Taken already: an earlier attempt made it.
                    ref = self._existing(account, did, rkey) if error.status == 400 else None
                    if ref is None:
                        raise
            root = root or ref
            parent = ref
        assert root is not None
        who = (account.handle or "").lstrip("@") or did
        return Published(root["uri"], f"https://bsky.app/profile/{who}/post/{first_key}")

    def metrics(self, account, external_id: str) -> Metrics:
        answer, _session = _xrpc(
            account, "GET", "app.bsky.feed.getPosts", params={"uris": external_id}
        )
        posts = answer.get("posts") or [{}]
        found = posts[0]
        return Metrics(
            likes=int(found.get("likeCount") or 0),
            reposts=int(found.get("repostCount") or 0) + int(found.get("quoteCount") or 0),
            replies=int(found.get("replyCount") or 0),
        )

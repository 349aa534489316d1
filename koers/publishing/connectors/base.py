"""The contract every publishing connector fulfils, and what the connectors share.

A connector is one small class per ``AccountKind``, registered with ``@register``:

- ``check(post)``: refuse, before anything is sent, what the platform would refuse
  (text over its limit, too many images, an image too large or of the wrong type),
  by raising ``PublishError`` (not transient) with the reason in words;
- ``publish(account, post) -> Published``: post it, exactly once. ``post.key`` is
  the publication's idempotency key and is the same on every attempt; the connector
  must make a second attempt with it harmless (Mastodon's Idempotency-Key header, a
  record key derived from it on Bluesky, a header the receiver deduplicates on for a
  webhook). ``post.retry`` says an earlier attempt may have reached the platform;
- ``metrics(account, external_id) -> Metrics``: the counts of a published post.

Trouble is a ``PublishError``: ``transient`` (a 429, a 5xx, a time-out, an unreachable
host: the engine tries again with backoff, honouring ``retry_after``), ``reconnect``
(the token or password was refused: the account needs a person) or neither (a 4xx:
failed for good, with the platform's own words in the message).

``docs/CONTRIBUTING.md`` ("Adding a publishing connector") has the recipe.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from koers.platforms.base import SourceError
from koers.platforms.limits import measure

# Seconds a platform gets for one request (connect, send, answer); tests make it shorter.
TIMEOUT = 10.0
# The largest answer read from a platform.
MAX_ANSWER = 1024 * 1024


class PublishError(Exception):
    """A post could not be published (now, or at all)."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool = False,
        retry_after: float | None = None,
        reconnect: bool = False,
        status: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.reconnect = reconnect
        self.status = status


@dataclass(frozen=True)
class Media:
    """An image with its description for people who cannot see it."""

    data: bytes
    content_type: str
    filename: str = "image"
    alt: str = ""
    url: str = ""  # where Koers serves it (for webhooks, which get a link)


@dataclass(frozen=True)
class Post:
    """What one publication sends. ``parts``: the first post and the replies that
    follow it as a thread (a text with a line "---" is split there)."""

    key: str
    parts: tuple[str, ...]
    created_at: datetime
    media: tuple[Media, ...] = ()
    retry: bool = False
    title: str = ""
    link: str = ""
    channel: str = ""

    @property
    def text(self) -> str:
        return self.parts[0] if self.parts else ""


@dataclass(frozen=True)
class Published:
    external_id: str
    url: str = ""


@dataclass(frozen=True)
class Metrics:
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    # People reached, where the platform says (none of the current ones does).
    reach: int | None = None


class Connector:
    """Base class: a kind, its limits, and the three methods."""

    kind = ""
    # The platform whose character count applies (koers.platforms.limits), if any.
    platform = ""
    max_images = 0
    max_image_bytes = 0
    image_types: frozenset[str] = frozenset()
    # Manual channels are not posted by Koers: a person posts and records the link.
    manual = False
    # Whether ``metrics`` can say anything (a webhook or a manual post cannot).
    has_metrics = True

    def check(self, post: Post) -> None:
        if not post.text.strip():
            raise PublishError(_("The text is empty."))
        if self.platform:
            for number, part in enumerate(post.parts, start=1):
                length = measure(self.platform, part)
                if length.over:
                    facts = {
                        "number": number,
                        "count": length.count,
                        "platform": self.kind,
                        "limit": length.limit,
                        "over": -length.remaining,
                    }
                    if len(post.parts) > 1:
                        message = _(
                            "Post %(number)s of the thread is %(count)s characters long; "
                            "%(platform)s allows %(limit)s. Shorten it by %(over)s."
                        )
                    else:
                        message = _(
                            "The text is %(count)s characters long; %(platform)s allows "
                            "%(limit)s. Shorten it by %(over)s."
                        )
                    raise PublishError(message % facts)
        if not post.media:
            return
        if not self.max_images:
            if self.manual or self.kind == "webhook":
                return
            raise PublishError(
                _("%(platform)s does not take images from Koers.") % {"platform": self.kind}
            )
        if len(post.media) > self.max_images:
            raise PublishError(
                _("%(platform)s takes at most %(count)s images per post.")
                % {"platform": self.kind, "count": self.max_images}
            )
        for image in post.media:
            if image.content_type not in self.image_types:
                allowed = ", ".join(sorted(t.split("/")[1].upper() for t in self.image_types))
                raise PublishError(
                    _("%(file)s is not an image %(platform)s accepts (use %(allowed)s).")
                    % {"file": image.filename, "platform": self.kind, "allowed": allowed}
                )
            if len(image.data) > self.max_image_bytes:
                raise PublishError(
                    _(
                        "%(file)s is %(size).1f MB; %(platform)s takes at most %(max).1f MB "
                        "per image."
                    )
                    % {
                        "file": image.filename,
                        "size": len(image.data) / 1e6,
                        "platform": self.kind,
                        "max": self.max_image_bytes / 1e6,
                    }
                )

    def publish(self, account, post: Post) -> Published:
        raise NotImplementedError

    def metrics(self, account, external_id: str) -> Metrics:
        raise NotImplementedError


REGISTRY: dict[str, Connector] = {}


def register(cls: type[Connector]) -> type[Connector]:
    REGISTRY[cls.kind] = cls()
    return cls


def get_connector(kind: str) -> Connector:
    """The connector for an ``AccountKind``; KeyError for an unknown kind."""
    return REGISTRY[kind]


def allow_private() -> bool:
    return bool(getattr(settings, "OUTGOING_ALLOW_PRIVATE", False))


_ERROR_FIELD = re.compile(r'"(?:error_description|message|error)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def platform_words(error: SourceError) -> str:
    """The platform's own explanation from an error answer, if it gave one."""
    text = str(error)
    start = text.find("{")
    if start >= 0:
        try:
            data = json.loads(text[start:])
        except ValueError:
            data = None
        if isinstance(data, dict):
            for name in ("error_description", "message", "error"):
                if isinstance(data.get(name), str) and data[name].strip():
                    return data[name].strip()
        match = _ERROR_FIELD.search(text[start:])
        if match:
            return match.group(1)
    return ""


def from_source_error(error: SourceError, platform: str) -> PublishError:
    """A ``PublishError`` for what ``koers.platforms.http`` raised."""
    status = error.status
    words = platform_words(error)
    retry_after = getattr(error, "retry_after", None)
    if status == 401:
        return PublishError(
            f"{platform} refused the account's access ({words or 'token invalid or revoked'}); "
            "connect the account again.",
            reconnect=True,
            status=status,
        )
    if status is None or status in (408, 429) or status >= 500:
        head = str(error).split(" {", 1)[0]
        message = f"{platform}: {head}" + (f" {words}" if words else "")
        return PublishError(message, transient=True, retry_after=retry_after, status=status)
    return PublishError(
        f"{platform} refused the post: {words or str(error)}", status=status, transient=False
    )

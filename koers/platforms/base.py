"""What every source client returns, without Django.

A client (``rss.py``, ``mastodon.py``, ``bluesky.py``) turns a platform's answer into
``RawMention`` rows plus the cursor to continue from, and signals trouble with
``SourceError``: ``transient`` (a timeout, a 5xx, a rate limit: try again later) or
not (a revoked token, HTML where a feed was expected: a person has to look).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class RawMention:
    """One post as a source delivers it, before Koers enriches it."""

    external_id: str
    text: str
    published_at: datetime  # aware
    url: str = ""
    author: str = ""
    author_name: str = ""
    author_reach: int = 0
    title: str = ""
    site: str = ""
    country: str = ""
    language: str = ""  # the platform's own hint, if any
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


@dataclass
class FetchResult:
    mentions: list[RawMention] = field(default_factory=list)
    # What to send next time (ETag, Last-Modified, min_id, …); merged into the source's.
    cursor: dict = field(default_factory=dict)
    not_modified: bool = False


class SourceError(Exception):
    """A source could not be read. ``transient``: retry with backoff."""

    def __init__(self, message: str, *, transient: bool = True, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status

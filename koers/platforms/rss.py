"""RSS and Atom feeds (feedparser), fetched with a conditional GET. No Django.

``fetch(url, cursor=...)`` sends the ETag and Last-Modified it got last time (kept in
the cursor as ``etag`` and ``modified``); a 304 comes back as ``not_modified``. A web
page where a feed was expected is a ``SourceError`` that is not transient: a person
has to give the feed's own address.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser

from koers.platforms import http
from koers.platforms.base import FetchResult, RawMention, SourceError

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


def fetch(
    url: str,
    *,
    cursor: dict | None = None,
    allow_private: bool = False,
    timeout: float = http.DEFAULT_TIMEOUT,
) -> FetchResult:
    """The feed's entries, or ``not_modified`` when the server says nothing changed."""
    cursor = cursor or {}
    headers = {"Accept": _ACCEPT}
    if cursor.get("etag"):
        headers["If-None-Match"] = cursor["etag"]
    if cursor.get("modified"):
        headers["If-Modified-Since"] = cursor["modified"]
    response = http.get(url, headers=headers, timeout=timeout, allow_private=allow_private)
    if response.not_modified:
        return FetchResult(not_modified=True)
    mentions = parse(response.body, content_type=response.content_type)
    new_cursor = {}
    if response.headers.get("etag"):
        new_cursor["etag"] = response.headers["etag"]
    if response.headers.get("last-modified"):
        new_cursor["modified"] = response.headers["last-modified"]
    return FetchResult(mentions=mentions, cursor=new_cursor)


def _looks_like_html(body: bytes, content_type: str) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    start = body[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def parse(body: bytes, *, content_type: str = "") -> list[RawMention]:
    """The entries of a feed document as ``RawMention`` rows."""
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        if _looks_like_html(body, content_type):
            raise SourceError("The address gives a web page, not a feed.", transient=False)
        raise SourceError(
            "The address does not give a feed that Koers can read (RSS or Atom).",
            transient=False,
        )
    fetched_at = datetime.now(UTC)
    language = parsed.feed.get("language", "") or ""
    return [_entry(entry, fetched_at, language) for entry in parsed.entries]


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            # feedparser gives a UTC struct_time; timegm reads it as UTC.
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _entry(entry, fetched_at: datetime, feed_language: str) -> RawMention:
    link = entry.get("link", "") or ""
    title = http.html_to_text(entry.get("title", "") or "")
    body = ""
    if entry.get("content"):
        body = entry.content[0].get("value", "")
    body = body or entry.get("summary", "") or ""
    text = http.html_to_text(body) or title
    external_id = entry.get("id") or link
    if not external_id:
        # Neither guid nor link: the title and date are all that tells entries apart.
        seed = f"{title}|{entry.get('published', '')}|{text[:200]}"
        external_id = "sha1:" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()
    host = (urlsplit(link).hostname or "") if link else ""
    return RawMention(
        external_id=external_id[:300],
        text=text,
        published_at=_when(entry) or fetched_at,
        url=link,
        author=entry.get("author", "") or "",
        title=title[:500],
        site=host.lower(),
        language=(entry.get("language") or feed_language).split("-", 1)[0].lower()[:8],
    )

"""Mastodon: hashtag timelines, status search and the hashtag stream. No Django.

Polling keeps the newest status id seen as the cursor (``min_id``). Mastodon answers a
``min_id`` request with the statuses just after it, oldest page first, and points at
the next page with a ``Link: <…?min_id=…>; rel="prev"`` header; Koers reads the id
from that header but always asks its own configured server, so a header cannot send
the worker to another host. At most ``MAX_PAGES`` pages are read per fetch; the rest
follows on the next fetch, from the cursor. A first fetch (no cursor) reads only the
newest page: listening starts now, it does not dig up the instance's history.

``stream_hashtag`` reads the streaming API (server-sent events) and yields a
``RawMention`` for every new status; reconnecting, with backoff, is the caller's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from koers.platforms import http
from koers.platforms.base import FetchResult, RawMention, SourceError

PAGE_SIZE = 40  # the most Mastodon gives per page
MAX_PAGES = 10
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([a-z]+)"?')


def _base(server: str) -> str:
    server = server.strip().rstrip("/")
    if not server.startswith(("http://", "https://")):
        server = "https://" + server
    return server


def _headers(token: str) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _id_key(status_id: str) -> tuple[int, str]:
    # Mastodon ids are numeric strings of growing length: compare as numbers.
    return (len(status_id), status_id)


def _newest(ids: list[str], current: str = "") -> str:
    candidates = [i for i in ids if i] + ([current] if current else [])
    return max(candidates, key=_id_key) if candidates else ""


def _json(response: http.Response):
    if response.content_type not in ("application/json", ""):
        raise SourceError(
            "The address does not answer like a Mastodon server (no JSON).", transient=False
        )
    try:
        return json.loads(response.body)
    except ValueError:
        raise SourceError(
            "The address does not answer like a Mastodon server (no JSON).", transient=False
        ) from None


def prev_min_id(link_header: str) -> str:
    """The ``min_id`` of the rel="prev" page in a Link header ('' if none)."""
    for target, rel in _LINK.findall(link_header or ""):
        if rel == "prev":
            values = parse_qs(urlsplit(target).query).get("min_id")
            if values:
                return values[0]
    return ""


def fetch_timeline(
    server: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    cursor: dict | None = None,
    token: str = "",
    allow_private: bool = False,
    timeout: float = http.DEFAULT_TIMEOUT,
    limit: int = PAGE_SIZE,
    max_pages: int = MAX_PAGES,
) -> FetchResult:
    """Statuses of a timeline endpoint newer than ``cursor["min_id"]``."""
    cursor = cursor or {}
    base = _base(server)
    min_id = str(cursor.get("min_id", ""))
    mentions: list[RawMention] = []
    newest = min_id
    for _page in range(max_pages):
        query = {"limit": str(limit), **(params or {})}
        if min_id:
            query["min_id"] = min_id
        response = http.get(
            f"{base}{path}?{urlencode(query)}",
            headers=_headers(token),
            timeout=timeout,
            allow_private=allow_private,
        )
        statuses = _json(response)
        if not isinstance(statuses, list):
            raise SourceError("The Mastodon server gave an unexpected answer.", transient=False)
        mentions += [parse_status(s, server=base) for s in statuses if isinstance(s, dict)]
        newest = _newest([str(s.get("id", "")) for s in statuses if isinstance(s, dict)], newest)
        following = prev_min_id(response.headers.get("link", ""))
        # Without a cursor only the newest page is read; an empty page is the end.
        if not min_id or not statuses or not following or following == min_id:
            break
        min_id = following
    return FetchResult(mentions=mentions, cursor={"min_id": newest} if newest else {})


def fetch_hashtag(server: str, tag: str, **options) -> FetchResult:
    """New public statuses with ``#tag`` on ``server`` (options as ``fetch_timeline``)."""
    tag = tag.strip().lstrip("#")
    if not tag:
        raise SourceError("Give the hashtag to follow.", transient=False)
    return fetch_timeline(server, f"/api/v1/timelines/tag/{quote(tag, safe='')}", **options)


def search(
    server: str,
    terms: str,
    *,
    cursor: dict | None = None,
    token: str = "",
    allow_private: bool = False,
    timeout: float = http.DEFAULT_TIMEOUT,
    limit: int = PAGE_SIZE,
) -> FetchResult:
    """Statuses matching ``terms`` newer than ``cursor["min_id"]`` (one page: search
    gives no Link header). Full-text search needs a token and an instance with search
    switched on; otherwise Mastodon only finds statuses by URL."""
    if not terms.strip():
        raise SourceError("Give the search terms.", transient=False)
    cursor = cursor or {}
    query = {"q": terms.strip(), "type": "statuses", "limit": str(limit)}
    if cursor.get("min_id"):
        query["min_id"] = str(cursor["min_id"])
    base = _base(server)
    response = http.get(
        f"{base}/api/v2/search?{urlencode(query)}",
        headers=_headers(token),
        timeout=timeout,
        allow_private=allow_private,
    )
    answer = _json(response)
    if not isinstance(answer, dict) or not isinstance(answer.get("statuses"), list):
        raise SourceError("The Mastodon server gave an unexpected answer.", transient=False)
    statuses = [s for s in answer["statuses"] if isinstance(s, dict)]
    newest = _newest([str(s.get("id", "")) for s in statuses], str(cursor.get("min_id", "")))
    return FetchResult(
        mentions=[parse_status(s, server=base) for s in statuses],
        cursor={"min_id": newest} if newest else {},
    )


def stream_hashtag(
    server: str,
    tag: str,
    *,
    token: str = "",
    allow_private: bool = False,
    timeout: float = 60.0,
    streaming_url: str = "",
) -> Iterator[RawMention]:
    """Yield each new status with ``#tag`` from the streaming API, as it arrives.

    ``streaming_url`` is the instance's streaming address when it differs from the
    server (the instance API names it). Raises ``SourceError`` when the stream breaks.
    """
    tag = tag.strip().lstrip("#")
    base = _base(streaming_url or server)
    url = f"{base}/api/v1/streaming/hashtag?{urlencode({'tag': tag})}"
    headers = {**_headers(token), "Accept": "text/event-stream"}
    lines = http.open_stream(url, headers=headers, timeout=timeout, allow_private=allow_private)
    try:
        for event, data in server_sent_events(lines):
            if event != "update":
                continue
            try:
                status = json.loads(data)
            except ValueError:
                continue
            if isinstance(status, dict):
                yield parse_status(status, server=_base(server))
    finally:
        lines.close()


def server_sent_events(lines: Iterator[bytes]) -> Iterator[tuple[str, str]]:
    """(event, data) pairs from the lines of a text/event-stream body."""
    event, data = "message", []
    for raw in lines:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue  # a comment: Mastodon's heartbeat
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
    if data:
        yield event, "\n".join(data)


def _handle(acct: str, home: str) -> str:
    acct = acct.lstrip("@")
    if "@" in acct or not home:
        return acct
    return f"{acct}@{home}"


def parse_status(status: dict, *, server: str = "") -> RawMention:
    """A Mastodon status (API JSON) as a ``RawMention``. A boost counts as the
    original status it boosts."""
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    account = status.get("account") or {}
    # A local account's acct has no domain: add the host of its profile (or the server).
    home = urlsplit(account.get("url") or "").hostname or urlsplit(server).hostname or ""
    url = status.get("url") or status.get("uri") or ""
    created = status.get("created_at") or ""
    try:
        published = datetime.fromisoformat(created).astimezone(UTC)
    except ValueError:
        published = datetime.now(UTC)
    return RawMention(
        external_id=str(status.get("id", "")),
        text=http.html_to_text(status.get("content") or ""),
        published_at=published,
        url=url,
        author="@" + _handle(account.get("acct") or account.get("username") or "", home),
        author_name=account.get("display_name") or "",
        author_reach=int(account.get("followers_count") or 0),
        title=status.get("spoiler_text") or "",
        site=(urlsplit(url).hostname or "").lower(),
        language=(status.get("language") or "")[:8],
        hashtags=tuple(t["name"].lower() for t in status.get("tags") or () if t.get("name")),
        mentions=tuple(
            _handle(m["acct"], urlsplit(m.get("url") or "").hostname or home)
            for m in status.get("mentions") or ()
            if m.get("acct")
        ),
    )

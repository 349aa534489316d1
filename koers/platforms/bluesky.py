"""Bluesky: the Jetstream stream of new posts, and post search. No Django.

Jetstream (bluesky-social/jetstream) serves the network's commits as JSON over a
WebSocket. ``Jetstream`` asks only for ``app.bsky.feed.post`` and keeps only
creations; likes, reposts, follows, deletions, identity and account events pass by.
Every event carries ``time_us``; the consumer keeps the highest seen as ``cursor`` and
a new connection resumes from it (Jetstream replays from a cursor, so a restart loses
nothing; a post seen twice is stored once, by its external id).

``search_posts`` polls ``app.bsky.feed.searchPosts`` on an AppView, newest first, and
keeps the time of the newest post seen as ``since`` for the next poll.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import connect

from koers.platforms import http
from koers.platforms.base import FetchResult, RawMention, SourceError

JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
APPVIEW_URL = "https://public.api.bsky.app"
POST = "app.bsky.feed.post"
SEARCH_PAGE = 100  # searchPosts' maximum
MAX_PAGES = 5


def _when(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # the lexicon requires a zone; be lenient all the same
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _facets(record: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Hashtags and mentioned handles from a post's facets (byte ranges in UTF-8)."""
    text = (record.get("text") or "").encode("utf-8")
    tags: list[str] = []
    mentioned: list[str] = []
    for facet in record.get("facets") or ():
        if not isinstance(facet, dict):
            continue
        index = facet.get("index") or {}
        for feature in facet.get("features") or ():
            kind = (feature or {}).get("$type", "")
            if kind == "app.bsky.richtext.facet#tag" and feature.get("tag"):
                tags.append(str(feature["tag"]).lstrip("#").lower())
            elif kind == "app.bsky.richtext.facet#mention":
                start, end = index.get("byteStart"), index.get("byteEnd")
                handle = ""
                if isinstance(start, int) and isinstance(end, int):
                    handle = text[start:end].decode("utf-8", errors="ignore").strip()
                handle = handle.lstrip("@") or str(feature.get("did", ""))
                if handle:
                    mentioned.append(handle.lower())
    return tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(mentioned))


def _mention(did: str, rkey: str, record: dict, *, author: str = "", name: str = "") -> RawMention:
    tags, mentioned = _facets(record)
    langs = record.get("langs") or []
    return RawMention(
        external_id=f"{did}/{rkey}",
        text=record.get("text") or "",
        published_at=_when(record.get("createdAt", "")) or datetime.now(UTC),
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        author=author or did,
        author_name=name,
        site="bsky.app",
        language=str(langs[0])[:8] if langs else "",
        hashtags=tags,
        mentions=mentioned,
    )


def parse_event(event: dict) -> RawMention | None:
    """A Jetstream event as a ``RawMention``, or None for anything but a new post."""
    if event.get("kind") != "commit":
        return None
    commit = event.get("commit") or {}
    record = commit.get("record")
    if (
        commit.get("collection") != POST
        or commit.get("operation") != "create"
        or not isinstance(record, dict)
        or not event.get("did")
        or not commit.get("rkey")
    ):
        return None
    return _mention(event["did"], commit["rkey"], record)


class Jetstream:
    """A connection to Jetstream that yields new posts and remembers where it was.

    ``cursor`` is the highest ``time_us`` read so far (any kind of event counts);
    store it, and pass it back to resume. Iterating raises ``SourceError`` when the
    connection fails; reconnecting is the caller's job.
    """

    def __init__(
        self,
        url: str = JETSTREAM_URL,
        *,
        cursor: int | None = None,
        allow_private: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.url = url
        self.cursor = cursor
        self.allow_private = allow_private
        self.timeout = timeout

    def _address(self) -> str:
        query = {"wantedCollections": POST}
        if self.cursor:
            query["cursor"] = str(self.cursor)
        return f"{self.url}?{urlencode(query)}"

    def _connect(self):
        parts = urlsplit(self.url)
        if parts.scheme not in ("ws", "wss") or not parts.hostname:
            raise SourceError(f"{self.url!r} is not a WebSocket address.", transient=False)
        port = parts.port or (443 if parts.scheme == "wss" else 80)
        sock = http.guarded_socket(
            parts.hostname, port, timeout=self.timeout, allow_private=self.allow_private
        )
        try:
            return connect(
                self._address(),
                sock=sock,
                proxy=None,
                open_timeout=self.timeout,
                user_agent_header=http.USER_AGENT,
                max_size=2**21,
            )
        except InvalidStatus as error:
            sock.close()
            raise http.status_error(error.response.status_code) from None
        except (OSError, WebSocketException) as error:
            sock.close()
            raise SourceError(f"Could not open the stream: {error}.") from None

    def read(
        self, *, max_seconds: float | None = None, max_events: int | None = None
    ) -> Iterator[RawMention]:
        """Yield new posts until the server closes, ``max_seconds`` pass or
        ``max_events`` events (of any kind) have been read."""
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        seen = 0
        with self._connect() as socket:
            while max_events is None or seen < max_events:
                wait = self.timeout
                if deadline is not None:
                    wait = min(wait, deadline - time.monotonic())
                    if wait <= 0:
                        return
                try:
                    message = socket.recv(timeout=wait)
                except TimeoutError:
                    if deadline is not None and time.monotonic() >= deadline:
                        return
                    raise SourceError(
                        f"No events for {self.timeout:g} s; the stream stalled."
                    ) from None
                except WebSocketException as error:
                    if getattr(error, "rcvd", None) is not None and error.rcvd.code == 1000:
                        return  # a clean close
                    raise SourceError(f"The stream broke off: {error}.") from None
                seen += 1
                try:
                    event = json.loads(message)
                except ValueError:
                    continue
                if not isinstance(event, dict):
                    continue
                stamp = event.get("time_us")
                if isinstance(stamp, int) and (self.cursor is None or stamp > self.cursor):
                    self.cursor = stamp
                mention = parse_event(event)
                if mention is not None:
                    yield mention

    def __iter__(self) -> Iterator[RawMention]:
        return self.read()


def _at_uri(uri: str) -> tuple[str, str] | None:
    """(did, rkey) of an at:// URI of a post."""
    if not uri.startswith("at://"):
        return None
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or parts[1] != POST:
        return None
    return parts[0], parts[2]


def parse_post_view(post: dict) -> RawMention | None:
    """An ``app.bsky.feed.defs#postView`` (as searchPosts returns) as a ``RawMention``."""
    ids = _at_uri(post.get("uri") or "")
    record = post.get("record")
    if ids is None or not isinstance(record, dict):
        return None
    author = post.get("author") or {}
    handle = author.get("handle") or ""
    return _mention(
        ids[0],
        ids[1],
        record,
        author=handle if handle and handle != "handle.invalid" else ids[0],
        name=author.get("displayName") or "",
    )


def _sort_at(post: dict) -> datetime | None:
    # The AppView sorts and filters (``since``) on sortAt = min(createdAt, indexedAt).
    stamps = [
        _when(post.get("indexedAt") or ""),
        _when((post.get("record") or {}).get("createdAt") or ""),
    ]
    known = [s for s in stamps if s is not None]
    return min(known) if known else None


def search_posts(
    terms: str,
    *,
    appview: str = APPVIEW_URL,
    cursor: dict | None = None,
    token: str = "",
    allow_private: bool = False,
    timeout: float = http.DEFAULT_TIMEOUT,
    max_pages: int = MAX_PAGES,
) -> FetchResult:
    """Posts matching ``terms`` since ``cursor["since"]``, newest first.

    Without a cursor only the newest page is read. With one, pages are followed
    (searchPosts' own ``cursor``) until the posts run out or ``max_pages``.
    """
    if not terms.strip():
        raise SourceError("Give the search terms.", transient=False)
    cursor = cursor or {}
    since = cursor.get("since", "")
    base = (appview or APPVIEW_URL).rstrip("/")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    mentions: list[RawMention] = []
    newest = _when(since) if since else None
    page_cursor = ""
    for _page in range(max_pages):
        query = {"q": terms.strip(), "sort": "latest", "limit": str(SEARCH_PAGE)}
        if since:
            query["since"] = since
        if page_cursor:
            query["cursor"] = page_cursor
        response = http.get(
            f"{base}/xrpc/app.bsky.feed.searchPosts?{urlencode(query)}",
            headers=headers,
            timeout=timeout,
            allow_private=allow_private,
        )
        try:
            answer = json.loads(response.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("posts"), list):
            raise SourceError("The AppView gave an unexpected answer.", transient=False)
        for post in answer["posts"]:
            if not isinstance(post, dict):
                continue
            mention = parse_post_view(post)
            if mention is not None:
                mentions.append(mention)
                stamp = _sort_at(post)
                if stamp is not None and (newest is None or stamp > newest):
                    newest = stamp
        page_cursor = answer.get("cursor") or ""
        if not since or not answer["posts"] or not page_cursor:
            break
    if newest is None:
        return FetchResult(mentions=mentions)
    text = newest.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return FetchResult(mentions=mentions, cursor={"since": text})

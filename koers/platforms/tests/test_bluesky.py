"""Bluesky: 152 real Jetstream v1 events replayed from a local WebSocket server, and
post search against a hand-made answer shaped by the app.bsky.feed.searchPosts
lexicon."""

import json
from datetime import UTC, datetime

import pytest

from koers.platforms import bluesky
from koers.platforms.base import SourceError
from koers.platforms.tests.servers import Reply, jetstream_events, serve, serve_jetstream


def _post_creates(events):
    return [
        e
        for e in events
        if e["kind"] == "commit"
        and e["commit"]["collection"] == "app.bsky.feed.post"
        and e["commit"]["operation"] == "create"
    ]


def test_jetstream_yields_only_new_posts():
    events = jetstream_events()
    posts = _post_creates(events)
    assert len(events) == 152 and len(posts) == 17
    with serve_jetstream(events) as server:
        consumer = bluesky.Jetstream(server.url, allow_private=True, timeout=5)
        mentions = list(consumer)
    assert server.paths == ["/subscribe?wantedCollections=app.bsky.feed.post"]
    # Likes, reposts, follows, blocks, statuses, the deleted post, identity and
    # account events all pass by.
    assert [m.external_id for m in mentions] == [f"{e['did']}/{e['commit']['rkey']}" for e in posts]
    assert consumer.cursor == max(e["time_us"] for e in events)

    first = mentions[0]
    did, rkey = first.external_id.split("/")
    assert first.url == f"https://bsky.app/profile/{did}/post/{rkey}"
    assert first.author == did
    assert first.text == "www.youtube.com/watch?v=V5lD..."
    assert first.language == "en"
    assert first.published_at == datetime(2026, 7, 4, 14, 38, 6, 240000, tzinfo=UTC)
    assert first.site == "bsky.app"
    tagged = next(m for m in mentions if m.text.startswith("#HowToTellAiToShutUp"))
    assert tagged.hashtags == ("howtotellaitoshutup", "indierebellion")
    assert tagged.language == "de"


def test_jetstream_resumes_from_its_cursor():
    events = jetstream_events()
    posts = _post_creates(events)
    resume_at = posts[10]["time_us"]
    with serve_jetstream(events) as server:
        consumer = bluesky.Jetstream(server.url, cursor=resume_at, allow_private=True, timeout=5)
        mentions = list(consumer)
    assert server.paths[0].endswith(f"&cursor={resume_at}")
    expected = [f"{e['did']}/{e['commit']['rkey']}" for e in posts if e["time_us"] >= resume_at]
    assert [m.external_id for m in mentions] == expected


def test_jetstream_read_stops_after_max_events():
    events = jetstream_events()
    with serve_jetstream(events) as server:
        consumer = bluesky.Jetstream(server.url, allow_private=True, timeout=5)
        mentions = list(consumer.read(max_events=3))
    assert len(mentions) == len(_post_creates(events[:3]))
    assert consumer.cursor == max(e["time_us"] for e in events[:3])


def test_mention_facets():
    text = "Hoi @anna.bsky.social, kijk #Koers"
    start = len(b"Hoi ")
    record = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2025-06-03T10:00:00.000Z",
        "langs": ["nl"],
        "facets": [
            {
                "index": {"byteStart": start, "byteEnd": start + len("@anna.bsky.social")},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:anna"}],
            },
            {
                "index": {"byteStart": 28, "byteEnd": 34},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Koers"}],
            },
        ],
    }
    event = {
        "did": "did:plc:me",
        "time_us": 1,
        "kind": "commit",
        "commit": {
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": "3abc",
            "record": record,
        },
    }
    mention = bluesky.parse_event(event)
    assert mention.mentions == ("anna.bsky.social",)
    assert mention.hashtags == ("koers",)
    assert mention.language == "nl"


def test_jetstream_refuses_an_internal_address_by_default():
    with serve_jetstream([]) as server, pytest.raises(SourceError, match="private or internal"):
        list(bluesky.Jetstream(server.url))
    assert server.paths == []


# Hand-made, following app.bsky.feed.searchPosts (output: cursor, hitsTotal, posts of
# app.bsky.feed.defs#postView); the texts are invented.
SEARCH_PAGE_1 = {
    "cursor": "25",
    "hitsTotal": 3,
    "posts": [
        {
            "uri": "at://did:plc:aaaa/app.bsky.feed.post/3lqnew",
            "cid": "bafyreiaaaa",
            "author": {
                "did": "did:plc:aaaa",
                "handle": "anna.bsky.social",
                "displayName": "Anna",
            },
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Koers helpt ons enorm #koers",
                "createdAt": "2025-06-03T10:00:00.000Z",
                "langs": ["nl"],
                "facets": [
                    {
                        "index": {"byteStart": 22, "byteEnd": 28},
                        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "koers"}],
                    }
                ],
            },
            "indexedAt": "2025-06-03T10:00:01.500Z",
            "likeCount": 2,
        },
        {
            "uri": "at://did:plc:bbbb/app.bsky.feed.post/3lqold",
            "cid": "bafyreibbbb",
            "author": {"did": "did:plc:bbbb", "handle": "handle.invalid"},
            "record": {
                "$type": "app.bsky.feed.post",
                "text": "Is Koers open source?",
                "createdAt": "2025-06-02T08:00:00.000Z",
            },
            "indexedAt": "2025-06-02T08:00:00.300Z",
        },
    ],
}
SEARCH_PAGE_2 = {"posts": []}


def test_search_posts():
    def answer(request):
        page = SEARCH_PAGE_2 if request.query.get("cursor") else SEARCH_PAGE_1
        return Reply(200, json.dumps(page), {"Content-Type": "application/json"})

    with serve({"/xrpc/app.bsky.feed.searchPosts": answer}) as server:
        first = bluesky.search_posts("koers", appview=server.url, allow_private=True)
        assert server.requests[0].query == {"q": "koers", "sort": "latest", "limit": "100"}
        # Without a cursor: only the newest page.
        assert len(server.requests) == 1
        newer = bluesky.search_posts(
            "koers", appview=server.url, cursor=first.cursor, token="jwt", allow_private=True
        )
    anna, other = first.mentions
    assert anna.external_id == "did:plc:aaaa/3lqnew"
    assert anna.url == "https://bsky.app/profile/did:plc:aaaa/post/3lqnew"
    assert anna.author == "anna.bsky.social"
    assert anna.author_name == "Anna"
    assert anna.hashtags == ("koers",)
    assert anna.language == "nl"
    assert other.author == "did:plc:bbbb"  # an invalid handle falls back to the DID
    # sortAt = min(createdAt, indexedAt) of the newest post.
    assert first.cursor == {"since": "2025-06-03T10:00:00.000Z"}
    # With a cursor: since=…, and the pages are followed until they run out.
    assert server.requests[1].query["since"] == "2025-06-03T10:00:00.000Z"
    assert server.requests[1].headers["authorization"] == "Bearer jwt"
    assert server.requests[2].query["cursor"] == "25"
    assert newer.cursor == first.cursor


def test_search_needs_terms_and_json():
    with pytest.raises(SourceError, match="search terms"):
        bluesky.search_posts("  ")
    routes = {"/xrpc/app.bsky.feed.searchPosts": Reply(200, "<html></html>")}
    with serve(routes) as server, pytest.raises(SourceError, match="unexpected") as caught:
        bluesky.search_posts("koers", appview=server.url, allow_private=True)
    assert not caught.value.transient

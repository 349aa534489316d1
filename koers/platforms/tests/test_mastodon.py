"""Mastodon against real responses recorded by Mastodon.py's test suite (a Mastodon 4.x
server on localhost:3000), replayed from a local server."""

import json
from datetime import UTC, datetime

import pytest

from koers.platforms import mastodon
from koers.platforms.base import SourceError
from koers.platforms.tests.servers import Reply, cassette_routes, load_cassette, serve

ACCOUNT_STATUSES = "/api/v1/accounts/117020565966271181/statuses"


def _recorded_json(cassette: str, path: str):
    for interaction in load_cassette(cassette):
        if interaction["request"]["uri"].endswith(path):
            return json.loads(interaction["response"]["body"]["string"])
    raise LookupError(path)


def test_hashtag_timeline_first_fetch():
    # Koers asks for 40 at a time; the recording asked for the default page.
    routes = cassette_routes("test_hashtag_tl.yaml", ignore=frozenset({"limit"}))
    with serve(routes) as server:
        result = mastodon.fetch_hashtag(
            server.url, "#hoot", token="__MASTODON_PY_TEST_ACCESS_TOKEN_3", allow_private=True
        )
    (request,) = server.requests
    assert request.path == "/api/v1/timelines/tag/hoot"
    assert request.query == {"limit": "40"}
    assert request.headers["authorization"] == "Bearer __MASTODON_PY_TEST_ACCESS_TOKEN_3"
    (status,) = result.mentions
    assert status.external_id == "117020593741189701"
    assert status.url == "http://localhost:3000/@mastodonpy_test_2/117020593741189701"
    assert status.text == "#hoot (hashtag toot)"
    assert status.author == "@mastodonpy_test_2@localhost"
    assert status.author_reach == 0
    assert status.language == "ja"
    assert status.hashtags == ("hoot",)
    assert status.site == "localhost"
    assert status.published_at == datetime(2026, 8, 1, 13, 55, 55, 867000, tzinfo=UTC)
    assert result.cursor == {"min_id": "117020593741189701"}


def test_min_id_paging_follows_the_link_header():
    # The account timeline pages like every timeline: the recording asked for
    # min_id=117020580481736214 and got five statuses with a rel="prev" link.
    routes = cassette_routes("test_fetch_next_previous.yaml")
    empty_after = "117020580518794573"
    recorded = routes[ACCOUNT_STATUSES]

    def timeline(request):
        if request.query.get("min_id") == empty_after:
            # Hand-made: nothing newer yet, which Mastodon answers with [].
            return Reply(200, "[]", {"Content-Type": "application/json; charset=utf-8"})
        return recorded(request)

    routes[ACCOUNT_STATUSES] = timeline
    with serve(routes) as server:
        result = mastodon.fetch_timeline(
            server.url,
            ACCOUNT_STATUSES,
            cursor={"min_id": "117020580481736214"},
            limit=5,
            allow_private=True,
        )
    assert [r.query.get("min_id") for r in server.requests] == [
        "117020580481736214",
        empty_after,
    ]
    # The Link header named localhost:3000; Koers kept asking its own server.
    assert len(result.mentions) == 5
    assert max(int(m.external_id) for m in result.mentions) == int(empty_after)
    assert all(int(m.external_id) > 117020580481736214 for m in result.mentions)
    assert result.cursor == {"min_id": empty_after}


def test_paging_stops_at_max_pages_and_keeps_the_cursor():
    routes = cassette_routes("test_fetch_next_previous.yaml")
    with serve(routes) as server:
        result = mastodon.fetch_timeline(
            server.url,
            ACCOUNT_STATUSES,
            cursor={"min_id": "117020580481736214"},
            limit=5,
            max_pages=1,
            allow_private=True,
        )
    assert len(server.requests) == 1
    assert result.cursor == {"min_id": "117020580518794573"}


def test_prev_min_id():
    header = (
        '<http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117020593741189701>; rel="next", '
        '<http://localhost:3000/api/v1/timelines/tag/hoot?min_id=117020593741189701>; rel="prev"'
    )
    assert mastodon.prev_min_id(header) == "117020593741189701"
    assert mastodon.prev_min_id("") == ""


def test_mentions_in_public_timeline_statuses():
    statuses = _recorded_json("test_public_tl.yaml", "/api/v1/timelines/public")
    parsed = [mastodon.parse_status(s, server="http://localhost:3000") for s in statuses]
    mentioning = [m for m in parsed if m.mentions]
    assert mentioning
    assert all(m.mentions == ("mastodonpy_test@localhost",) for m in mentioning)
    assert all("@mastodonpy_test" in m.text for m in mentioning)
    assert all(m.author.startswith("@") and m.author.endswith("@localhost") for m in parsed)


def test_a_remote_account_keeps_its_own_domain():
    (status,) = _recorded_json("test_hashtag_tl.yaml", "/api/v1/timelines/tag/hoot")
    # The recorded status with its account made remote, as another instance's post is.
    status["account"] = {
        **status["account"],
        "acct": "anna@mastodon.example.nl",
        "url": "https://mastodon.example.nl/@anna",
        "display_name": "Anna",
        "followers_count": 1234,
    }
    mention = mastodon.parse_status(status, server="https://mastodon.social")
    assert mention.author == "@anna@mastodon.example.nl"
    assert mention.author_name == "Anna"
    assert mention.author_reach == 1234


def test_search_statuses():
    # The recorded search found no statuses (the test server had search switched off).
    routes = cassette_routes(
        "test_search.yaml", ignore=frozenset({"limit", "resolve", "exclude_unreviewed"})
    )
    with serve(routes) as server:
        result = mastodon.search(server.url, "mastodonpy_test", allow_private=True)
    assert server.requests[0].query["type"] == "statuses"
    assert result.mentions == []
    assert result.cursor == {}


def test_search_keeps_the_newest_id():
    # Hand-assembled: a search answer holding the recorded public-timeline statuses.
    statuses = _recorded_json("test_public_tl.yaml", "/api/v1/timelines/public")
    body = json.dumps({"accounts": [], "statuses": statuses, "hashtags": []})
    routes = {"/api/v2/search": Reply(200, body, {"Content-Type": "application/json"})}
    with serve(routes) as server:
        result = mastodon.search(
            server.url, "koers", cursor={"min_id": "1"}, token="t", allow_private=True
        )
    assert server.requests[0].query["min_id"] == "1"
    assert len(result.mentions) == len(statuses)
    assert result.cursor == {"min_id": max((s["id"] for s in statuses), key=int)}


def test_refused_token_and_missing_server():
    routes = {
        "/api/v1/timelines/tag/koers": Reply(401, '{"error":"The access token is invalid"}'),
        "/api/v1/timelines/tag/html": Reply(200, "<html></html>", {"Content-Type": "text/html"}),
    }
    with serve(routes) as server:
        with pytest.raises(SourceError) as caught:
            mastodon.fetch_hashtag(server.url, "koers", token="revoked", allow_private=True)
        assert str(caught.value) == "The access token was refused (401)."
        assert not caught.value.transient
        with pytest.raises(SourceError, match="Mastodon server") as caught:
            mastodon.fetch_hashtag(server.url, "html", allow_private=True)
        assert not caught.value.transient


def test_streaming_hashtag():
    # The recorded stream is the user stream; the hashtag stream sends the same
    # server-sent events ("update" with a status), so it answers for it here.
    routes = cassette_routes(
        "test_stream_user_local.yaml",
        paths={"/api/v1/streaming/hashtag": "/api/v1/streaming/user"},
        ignore=frozenset({"tag"}),
    )
    with serve(routes) as server:
        stream = mastodon.stream_hashtag(server.url, "#koers", token="t", allow_private=True)
        mentions = list(stream)
    assert server.requests[0].query == {"tag": "koers"}
    assert server.requests[0].headers["accept"] == "text/event-stream"
    (mention,) = mentions
    assert mention.external_id == "117024248092393661"
    assert mention.text == "it's cool guy"
    assert mention.author == "@mastodonpy_test@localhost"


def test_server_sent_events_parsing():
    lines = [b":)\n", b"event: delete\n", b"data: 123\n", b"\n", b"event: update\n"]
    lines += [b'data: {"a":\n', b"data: 1}\n", b"\n", b": thump\n"]
    assert list(mastodon.server_sent_events(iter(lines))) == [
        ("delete", "123"),
        ("update", '{"a":\n1}'),
    ]

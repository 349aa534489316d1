"""Fetching sources with the real database: status, errors the user can read, backoff,
cursor bookkeeping, claiming, and tokens encrypted at rest. The platforms answer from
local servers on 127.0.0.1 (hand-made feeds, recorded Mastodon and Jetstream data)."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from koers.listening import secrets, sources, tasks
from koers.listening.models import Mention, Source, SourceKind, SourceStatus
from koers.platforms.tests.servers import (
    Reply,
    cassette_routes,
    jetstream_events,
    serve,
    serve_jetstream,
)
from koers.platforms.tests.test_rss import ATOM, HTML, RSS

FEED = {"Content-Type": "application/rss+xml", "ETag": '"v1"'}


@pytest.fixture
def private_ok(settings):
    """The local servers live on 127.0.0.1, which production refuses by default."""
    settings.OUTGOING_ALLOW_PRIVATE = True


def make_source(org, url="", kind=SourceKind.RSS, **overrides):
    return Source.objects.create(organisation=org, kind=kind, name="Bron", url=url, **overrides)


def conditional_feed(request):
    if request.headers.get("if-none-match") == '"v1"':
        return Reply(304)
    return Reply(200, RSS, FEED)


def test_a_feed_is_fetched_ingested_and_then_not_modified(cast, private_ok):
    with serve({"/feed": conditional_feed}) as server:
        source = make_source(cast.a.org, server.url + "/feed")
        assert sources.fetch_source(source) == 2
        source.refresh_from_db()
        assert source.status == SourceStatus.OK
        assert source.last_error == ""
        assert source.failures == 0
        assert source.cursor == {"etag": '"v1"'}
        assert source.last_success_at == source.last_fetched_at
        assert source.next_fetch_at == source.last_success_at + timedelta(minutes=15)
        assert Mention.objects.filter(source=source, organisation=cast.a.org).count() == 2

        assert sources.fetch_source(source) == 0
    source.refresh_from_db()
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert source.status == SourceStatus.OK
    assert source.cursor == {"etag": '"v1"'}
    assert Mention.objects.filter(source=source).count() == 2


def test_the_cursor_is_merged(cast, private_ok):
    modified = "Tue, 03 Jun 2025 08:00:00 GMT"
    routes = {
        "/feed": Reply(200, RSS, {"Content-Type": "application/rss+xml", "Last-Modified": modified})
    }
    with serve(routes) as server:
        source = make_source(cast.a.org, server.url + "/feed", cursor={"etag": '"old"'})
        sources.fetch_source(source)
    source.refresh_from_db()
    assert source.cursor == {"etag": '"old"', "modified": modified}


def test_an_internal_address_is_refused_unless_the_setting_allows_it(cast, settings):
    settings.OUTGOING_ALLOW_PRIVATE = False
    with serve({"/feed": Reply(200, RSS, FEED)}) as server:
        source = make_source(cast.a.org, server.url + "/feed")
        assert sources.fetch_source(source) == 0
        assert server.requests == []
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILING
    assert "private or internal network" in source.last_error
    assert source.next_fetch_at == sources.PAUSED_UNTIL


def test_a_web_page_pauses_the_source_until_it_is_changed(cast, private_ok):
    routes = {"/": Reply(200, HTML, {"Content-Type": "text/html"})}
    with serve(routes) as server:
        source = make_source(cast.a.org, server.url + "/")
        sources.fetch_source(source)
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILING
    assert source.last_error == "The address gives a web page, not a feed."
    assert source.failures == 1
    assert source.next_fetch_at == sources.PAUSED_UNTIL
    assert not Source.objects.due().filter(pk=source.pk).exists()


def test_503_backs_off_and_success_resets(cast, private_ok):
    routes = {
        "/feed": [
            Reply(503),
            Reply(503),
            Reply(200, ATOM, {"Content-Type": "application/atom+xml"}),
        ]
    }
    with serve(routes) as server:
        source = make_source(cast.a.org, server.url + "/feed")
        for failures, wait in ((1, 5), (2, 10)):
            sources.fetch_source(source)
            source.refresh_from_db()
            assert source.status == SourceStatus.FAILING
            assert source.last_error == "The server answered 503."
            assert source.failures == failures
            assert source.next_fetch_at == source.last_fetched_at + timedelta(minutes=wait)
        assert sources.fetch_source(source) == 1
    source.refresh_from_db()
    assert (source.status, source.failures, source.last_error) == (SourceStatus.OK, 0, "")


def test_a_time_out_is_reported_in_words(cast, private_ok, monkeypatch):
    monkeypatch.setattr(sources, "TIMEOUT", 0.5)
    with serve({"/feed": Reply(hang=True)}) as server:
        source = make_source(cast.a.org, server.url + "/feed")
        sources.fetch_source(source)
    source.refresh_from_db()
    assert source.last_error == "Time-out after 0.5 s."
    assert source.status == SourceStatus.FAILING
    assert source.next_fetch_at == source.last_fetched_at + timedelta(minutes=5)


def test_backoff_doubles_up_to_six_hours():
    assert [sources.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=m) for m in (5, 10, 20, 40)
    ]
    assert sources.backoff(8) == timedelta(hours=6)
    assert sources.backoff(50) == timedelta(hours=6)


def test_an_unexpected_error_is_kept_visible(cast, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("entries")

    monkeypatch.setattr(sources.rss, "fetch", broken)
    source = make_source(cast.a.org, "https://feeds.example.org/rss")
    assert sources.fetch_source(source) == 0
    source.refresh_from_db()
    assert source.last_error == "Unexpected error: KeyError."
    assert source.next_fetch_at == source.last_fetched_at + timedelta(minutes=5)


def test_mastodon_hashtag_with_an_encrypted_token(cast, private_ok):
    routes = cassette_routes("test_hashtag_tl.yaml", ignore=frozenset({"limit"}))
    with serve(routes) as server:
        source = make_source(cast.a.org, server.url, SourceKind.MASTODON_TAG, term="hoot")
        secrets.set_token(source, "__MASTODON_PY_TEST_ACCESS_TOKEN_3")
        assert sources.fetch_source(source) == 1
    assert server.requests[0].headers["authorization"] == (
        "Bearer __MASTODON_PY_TEST_ACCESS_TOKEN_3"
    )
    source.refresh_from_db()
    assert source.cursor == {"min_id": "117020593741189701"}
    mention = Mention.objects.get(source=source)
    assert mention.author == "@mastodonpy_test_2@localhost"
    assert mention.text == "#hoot (hashtag toot)"


def test_a_refused_token(cast, private_ok):
    routes = {"/api/v1/timelines/tag/koers": Reply(401, '{"error":"invalid token"}')}
    with serve(routes) as server:
        source = make_source(cast.a.org, server.url, SourceKind.MASTODON_TAG, term="koers")
        secrets.set_token(source, "revoked")
        sources.fetch_source(source)
    source.refresh_from_db()
    assert source.last_error == "The access token was refused (401)."
    assert source.next_fetch_at == sources.PAUSED_UNTIL


def test_bluesky_stream_keeps_the_posts_matching_its_terms(cast, private_ok):
    events = jetstream_events()
    with serve_jetstream(events) as server:
        source = make_source(
            cast.a.org, server.url, SourceKind.BLUESKY_STREAM, term="election OR government"
        )
        assert sources.fetch_source(source) == 3
    source.refresh_from_db()
    assert source.cursor == {"time_us": max(e["time_us"] for e in events)}
    assert all(
        "election" in m.text or "government" in m.text
        for m in Mention.objects.filter(source=source)
    )


def test_one_failing_source_does_not_stop_the_others(cast, private_ok, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.enrich_tasks, "enrich_mentions", lambda: queued.append(True))
    routes = {
        "/a-broken": Reply(200, HTML, {"Content-Type": "text/html"}),
        "/b-good": Reply(200, RSS, FEED),
    }
    with serve(routes) as server:
        broken = make_source(cast.a.org, server.url + "/a-broken")
        good = make_source(cast.b.org, server.url + "/b-good")
        later = make_source(
            cast.a.org, server.url + "/b-good", next_fetch_at=timezone.now() + timedelta(hours=1)
        )
        assert tasks.fetch_due_sources.call_local() == 2
    broken.refresh_from_db()
    good.refresh_from_db()
    assert broken.status == SourceStatus.FAILING
    assert good.status == SourceStatus.OK
    assert Mention.objects.filter(source=good).count() == 2
    assert not Mention.objects.filter(source=later).exists()
    assert queued == [True]


def test_a_source_is_claimed_once(cast):
    source = make_source(cast.a.org, "https://feeds.example.org/rss")
    other_worker = Source.objects.get(pk=source.pk)
    assert sources.claim_source(source)
    assert not sources.claim_source(other_worker)
    source.refresh_from_db()
    assert source.next_fetch_at > timezone.now()


def test_fetch_now_task(cast, private_ok):
    with serve({"/feed": Reply(200, RSS, FEED)}) as server:
        source = make_source(cast.a.org, server.url + "/feed")
        assert tasks.fetch_source_task.call_local(source.pk) == 2
        # Just fetched, so no longer due: a second "fetch now" claims nothing.
        assert tasks.fetch_source_task.call_local(source.pk) == 0
    assert tasks.fetch_source_task.call_local(999_999) == 0


def test_token_round_trip_and_at_rest(cast):
    source = make_source(cast.a.org, "https://mastodon.example", SourceKind.MASTODON_TAG)
    secrets.set_token(source, "s3cret-token-value")
    source.refresh_from_db()
    assert source.token_encrypted
    assert "s3cret-token-value" not in source.token_encrypted
    assert secrets.get_token(source) == "s3cret-token-value"
    secrets.set_token(source, "")
    source.refresh_from_db()
    assert source.token_encrypted == "" and secrets.get_token(source) == ""


def test_a_token_under_another_secret_key(cast, settings):
    source = make_source(cast.a.org, "https://mastodon.example", SourceKind.MASTODON_TAG)
    secrets.set_token(source, "abc")
    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="x" * 50, SECRET_KEY_FALLBACKS=[old_key]):
        assert secrets.get_token(source) == "abc"  # a rotated key still reads it
    with (
        override_settings(SECRET_KEY="y" * 50, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(secrets.TokenUnreadable),
    ):
        secrets.get_token(source)


def test_a_stream_is_ingested_and_enriched_while_it_is_read(cast, private_ok, monkeypatch):
    """A live stream is not ingested at the end of the run: what matched is stored
    (with the cursor) and enriched every FLUSH_SECONDS while the stream goes on."""
    events = jetstream_events()
    texts = [json.dumps(e.get("commit", {}).get("record", {})).lower() for e in events]
    first = next(i for i, text in enumerate(texts) if "election" in text or "government" in text)
    # The stream goes quiet for a while after the first matching post.
    monkeypatch.setattr(sources, "FLUSH_SECONDS", 0.2)
    seen = []
    real_after_ingest = sources.after_ingest

    def after_ingest(organisation_id):
        real_after_ingest(organisation_id)
        stored = Mention.objects.filter(source__organisation_id=organisation_id)
        seen.append((stored.count(), stored.filter(is_enriched=True).count()))

    monkeypatch.setattr(sources, "after_ingest", after_ingest)
    with serve_jetstream(events, pauses={first + 1: 0.5}) as server:
        source = make_source(
            cast.a.org, server.url, SourceKind.BLUESKY_STREAM, term="election OR government"
        )
        assert sources.fetch_source(source) == 3
    # The first post was stored and enriched on its own, before the rest came in.
    assert seen[0] == (1, 1)
    assert len(seen) >= 2
    assert Mention.objects.filter(source=source, is_enriched=True).count() == 3
    source.refresh_from_db()
    assert source.cursor == {"time_us": max(e["time_us"] for e in events)}
    assert source.next_fetch_at <= timezone.now()


def test_streams_are_followed_by_their_own_task_not_the_polling_round(cast, private_ok):
    """A stream is followed for most of a minute: the polling round leaves it to its own
    task, so the feeds due in that round are not held up by it."""
    routes = {"/feed": Reply(200, RSS, FEED)}
    with serve(routes) as feeds, serve_jetstream(jetstream_events()) as stream:
        feed = make_source(cast.a.org, feeds.url + "/feed")
        live = make_source(
            cast.a.org, stream.url, SourceKind.BLUESKY_STREAM, term="election OR government"
        )
        assert tasks.fetch_due_sources.call_local() == 2  # the feed's two items only
        assert not Mention.objects.filter(source=live).exists()
        assert tasks.follow_streams.call_local() == 1
    assert Mention.objects.filter(source=feed).count() == 2
    assert Mention.objects.filter(source=live, is_enriched=True).count() == 3
    live.refresh_from_db()
    assert live.status == SourceStatus.OK and live.next_fetch_at <= timezone.now()

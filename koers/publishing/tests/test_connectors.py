"""The connectors against local peers: what they send, what they make of refusals,
and that a second attempt never makes a second post."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from koers.platforms.tests.receiver import receive
from koers.platforms.tests.servers import Reply
from koers.publishing import secrets
from koers.publishing.connectors import Media, Post, PublishError, get_connector
from koers.publishing.connectors.bluesky import facets, record_key
from koers.publishing.tests.builders import (
    bluesky_account,
    make_account,
    mastodon_account,
)
from koers.tests.cast import tiny_png

pytestmark = pytest.mark.django_db

TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def post(*parts: str, media=(), retry=False, key=None) -> Post:
    return Post(
        key=key or str(uuid.uuid4()),
        parts=parts,
        created_at=datetime.now(UTC),
        media=media,
        retry=retry,
        title="Klantverhaal",
        channel="mastodon",
    )


def png(alt="Een blauwe fiets") -> Media:
    return Media(data=tiny_png(), content_type="image/png", filename="fiets.png", alt=alt)


@pytest.fixture
def org(cast):
    return cast.a.org


def test_mastodon_posts_a_thread_with_an_image_and_its_alt_text(org, mastodon):
    account = mastodon_account(org, mastodon)
    result = get_connector("mastodon").publish(
        account, post("Deel één", "Deel twee", "Deel drie", media=(png(),))
    )
    statuses = {s["id"]: s for s in mastodon.statuses()}
    assert len(statuses) == 3
    first = statuses[result.external_id]
    assert first["media_attachments"][0]["description"] == "Een blauwe fiets"
    assert result.url == first["url"]
    replies = [s for s in statuses.values() if s["in_reply_to_id"]]
    assert {s["in_reply_to_id"] for s in replies} == {result.external_id} | {
        s["id"] for s in replies if s["in_reply_to_id"] == result.external_id
    }


def test_mastodon_second_attempt_with_the_same_key_posts_nothing_new(org, mastodon):
    account = mastodon_account(org, mastodon)
    same = post("Eén keer", "Met een reactie")
    first = get_connector("mastodon").publish(account, same)
    again = get_connector("mastodon").publish(account, same)
    assert again == first
    assert mastodon.count() == 2


def test_mastodon_retry_finds_the_status_when_the_key_was_forgotten(org, mastodon):
    """Mastodon forgets an Idempotency-Key after an hour: a retry first looks."""
    account = mastodon_account(org, mastodon)
    earlier = post("Al geplaatst")
    first = get_connector("mastodon").publish(account, earlier)
    forgotten = Post(key=str(uuid.uuid4()), parts=earlier.parts, created_at=earlier.created_at)
    retried = get_connector("mastodon").publish(
        account, Post(**{**forgotten.__dict__, "retry": True})
    )
    assert retried.external_id == first.external_id
    assert mastodon.count() == 1


def test_mastodon_refusals(org, mastodon):
    account = mastodon_account(org, mastodon)
    connector = get_connector("mastodon")
    mastodon.fail(429, headers={"Retry-After": "120"})
    with pytest.raises(PublishError) as limited:
        connector.publish(account, post("Te snel"))
    assert limited.value.transient and limited.value.retry_after == 120
    mastodon.fail(503)
    with pytest.raises(PublishError) as down:
        connector.publish(account, post("Storing"))
    assert down.value.transient and not down.value.reconnect
    mastodon.fail(422, body={"error": "Validation failed: Text contains a blocked word"})
    with pytest.raises(PublishError) as refused:
        connector.publish(account, post("Verboden"))
    assert not refused.value.transient
    assert "Validation failed: Text contains a blocked word" in refused.value.message
    mastodon.fail(401, body={"error": "The access token was revoked"})
    with pytest.raises(PublishError) as revoked:
        connector.publish(account, post("Ingetrokken"))
    assert revoked.value.reconnect and "revoked" in revoked.value.message
    assert mastodon.count() == 0


def test_text_over_the_limit_and_wrong_media_are_refused_before_sending(org, mastodon, bluesky):
    account = mastodon_account(org, mastodon)
    with pytest.raises(PublishError, match="501 characters long; mastodon allows 500"):
        get_connector("mastodon").publish(account, post("x" * 501))
    assert mastodon.count() == 0
    sky = bluesky_account(org, bluesky)
    with pytest.raises(PublishError, match="Post 2 of the thread is 301"):
        get_connector("bluesky").publish(sky, post("kort", "y" * 301))
    large = Media(data=b"\0" * 1_000_001, content_type="image/png", filename="groot.png")
    with pytest.raises(PublishError, match=r"groot.png is 1.0 MB; bluesky takes at most 1.0 MB"):
        get_connector("bluesky").check(post("Foto", media=(large,)))
    gif = Media(data=b"GIF89a", content_type="image/gif", filename="bewegend.gif")
    with pytest.raises(PublishError, match=r"bewegend\.gif is not an image bluesky accepts"):
        get_connector("bluesky").check(post("Foto", media=(gif,)))
    assert bluesky.calls == []


def test_record_key_is_a_valid_tid_fixed_by_the_idempotency_key():
    key, moment = str(uuid.uuid4()), datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert record_key(key, moment) == record_key(key, moment)
    assert TID.match(record_key(key, moment))
    assert record_key(key, moment, 1) != record_key(key, moment)
    assert record_key(str(uuid.uuid4()), moment) != record_key(key, moment)
    # Sorts by the moment the publication was made, as TIDs do.
    later = datetime(2026, 5, 2, 12, tzinfo=UTC)
    assert record_key(key, later) > record_key(key, moment)


def test_bluesky_posts_a_thread_with_an_image_alt_text_and_link(org, bluesky):
    account = bluesky_account(org, bluesky)
    sent = post("Lees https://example.nl/verhaal.", "En verder", media=(png(),))
    result = get_connector("bluesky").publish(account, sent)
    rkey = record_key(sent.key, sent.created_at)
    assert result.external_id == f"at://{bluesky.did}/app.bsky.feed.post/{rkey}"
    assert result.url == f"https://bsky.app/profile/{bluesky.handle}/post/{rkey}"
    first, second = bluesky.records[rkey], bluesky.records[record_key(sent.key, sent.created_at, 1)]
    assert first["embed"]["images"][0]["alt"] == "Een blauwe fiets"
    assert first["facets"][0]["features"][0]["uri"] == "https://example.nl/verhaal"
    assert second["reply"]["root"]["uri"] == result.external_id
    assert bluesky.blobs[0]["mimeType"] == "image/png"
    # Stored: the session, so the next post needs no new one.
    assert secrets.read(account)["did"] == bluesky.did


def test_facets_count_bytes_not_characters():
    [link] = facets("Één 👍 https://x.nl")
    assert link["index"] == {"byteStart": 11, "byteEnd": 11 + len("https://x.nl")}


def test_bluesky_refreshes_an_expired_session_and_reconnects_when_revoked(org, bluesky):
    account = bluesky_account(org, bluesky)
    connector = get_connector("bluesky")
    connector.publish(account, post("Eerste"))
    bluesky.expire_access()
    connector.publish(account, post("Na verlopen token"))
    assert bluesky.sessions == 2 and "com.atproto.server.refreshSession" in bluesky.calls
    bluesky.revoke()
    with pytest.raises(PublishError) as revoked:
        connector.publish(account, post("Ingetrokken"))
    assert revoked.value.reconnect and "Invalid password" in revoked.value.message
    assert bluesky.texts() == ["Eerste", "Na verlopen token"]


def test_bluesky_retry_after_an_accepted_but_failed_answer_posts_once(org, bluesky):
    account = bluesky_account(org, bluesky)
    connector = get_connector("bluesky")
    sent = post("Precies één keer")
    bluesky.fail("com.atproto.repo.createRecord", 500, after=True)
    with pytest.raises(PublishError) as failed:
        connector.publish(account, sent)
    assert failed.value.transient
    # The next attempt looks up the record first; even without that, the key is taken.
    assert connector.publish(account, Post(**{**sent.__dict__, "retry": True})).external_id
    again = connector.publish(account, sent)
    assert again.external_id.endswith(record_key(sent.key, sent.created_at))
    assert bluesky.texts() == ["Precies één keer"]


def test_bluesky_metrics(org, bluesky):
    account = bluesky_account(org, bluesky)
    result = get_connector("bluesky").publish(account, post("Meten"))
    bluesky.counts[result.external_id] = {"likeCount": 4, "repostCount": 2, "replyCount": 1}
    metrics = get_connector("bluesky").metrics(account, result.external_id)
    assert (metrics.likes, metrics.reposts, metrics.replies) == (4, 2, 1)


def test_webhook_sends_the_post_with_its_idempotency_key(org, settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    accepted = Reply(200, '{"id": "z-1", "url": "https://z.example/1"}')
    with receive(Reply(500, "busy"), accepted) as r:
        account = make_account(
            org, "webhook", serves="linkedin", secrets={"url": r.url + "/hook", "secret": "s"}
        )
        sent = post("Voor LinkedIn", media=(png(),))
        with pytest.raises(PublishError) as busy:
            get_connector("webhook").publish(account, sent)
        assert busy.value.transient
        result = get_connector("webhook").publish(account, sent)
    assert (result.external_id, result.url) == ("z-1", "https://z.example/1")
    first, second = r.requests
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == sent.key
    assert second.headers["x-koers-signature"].startswith("sha256=")
    body = json.loads(second.body)
    assert body["text"] == "Voor LinkedIn" and body["media"][0]["alt"] == "Een blauwe fiets"

"""The safe POST helper for webhooks: the same address guard and time-outs as GET, no
redirects followed, and failures that say whether to try again."""

import pytest

from koers.platforms import http
from koers.platforms.base import SourceError
from koers.platforms.tests.receiver import receive
from koers.platforms.tests.servers import Reply


def test_the_body_and_headers_arrive():
    with receive(Reply(200, "ok")) as receiver:
        response = http.post(
            receiver.url + "/hook?x=1",
            b'{"text": "hallo"}',
            headers={"X-Koers-Signature": "sha256=abc"},
            allow_private=True,
        )
    assert response.status == 200
    assert response.body == b"ok"
    [request] = receiver.requests
    assert request.method == "POST"
    assert request.path == "/hook?x=1"
    assert request.body == b'{"text": "hallo"}'
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-koers-signature"] == "sha256=abc"
    assert request.headers["user-agent"] == http.USER_AGENT


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
    ],
)
def test_internal_addresses_are_refused_before_connecting(url):
    with pytest.raises(SourceError, match="private or internal network") as caught:
        http.post(url, b"{}", timeout=0.5)
    assert not caught.value.transient


def test_the_guard_holds_for_a_listening_receiver():
    with receive() as receiver:
        with pytest.raises(SourceError, match="private or internal"):
            http.post(receiver.url + "/hook", b"{}")
        assert receiver.requests == []


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_not_followed(status):
    moved = Reply(status, headers={"Location": "https://elsewhere.example/hook"})
    with receive(moved) as r, pytest.raises(SourceError) as caught:
        http.post(r.url + "/hook", b"{}", allow_private=True)
    assert len(r.requests) == 1
    assert not caught.value.transient
    assert caught.value.status == status
    assert "https://elsewhere.example/hook" in str(caught.value)
    assert "does not follow redirects" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "transient"),
    [(500, True), (503, True), (408, True), (429, True), (400, False), (404, False)],
)
def test_failing_statuses_say_whether_to_retry(status, transient):
    with receive(Reply(status, "invalid_payload")) as r, pytest.raises(SourceError) as caught:
        http.post(r.url + "/", b"{}", allow_private=True)
    assert caught.value.transient is transient
    assert caught.value.status == status
    # What the receiver said is part of the message.
    assert str(caught.value).endswith("invalid_payload")


def test_retry_after_is_passed_on():
    slow_down = Reply(429, headers={"Retry-After": "120"})
    with receive(slow_down) as receiver, pytest.raises(SourceError) as caught:
        http.post(receiver.url + "/", b"{}", allow_private=True)
    assert caught.value.retry_after == 120
    with receive(Reply(503)) as receiver, pytest.raises(SourceError) as caught:
        http.post(receiver.url + "/", b"{}", allow_private=True)
    assert caught.value.retry_after is None


def test_a_receiver_that_never_answers_times_out():
    with receive(Reply(hang=True)) as receiver, pytest.raises(SourceError) as caught:
        http.post(receiver.url + "/", b"{}", timeout=0.3, allow_private=True)
    assert caught.value.transient
    assert str(caught.value) == "Time-out after 0.3 s."


def test_only_web_addresses():
    with pytest.raises(SourceError, match="not a web address"):
        http.post("ftp://example.org/hook", b"{}")

"""The safe GET helper: the outgoing-address guard, redirects, time-outs, size cap and
how HTTP failures become SourceError."""

import gzip

import pytest

from koers.platforms import http
from koers.platforms.base import SourceError
from koers.platforms.tests.servers import Reply, serve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.5.5.5",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_internal_addresses_are_not_allowed(address):
    assert not http.address_allowed(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "::ffff:1.1.1.1"])
def test_public_addresses_are_allowed(address):
    assert http.address_allowed(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://10.0.0.1/feed",
        "http://[::1]/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/feed",
        "http://localhost/feed",
    ],
)
def test_get_refuses_internal_addresses_before_connecting(url):
    with pytest.raises(SourceError) as caught:
        http.get(url, timeout=0.5)
    assert not caught.value.transient
    assert "private or internal network" in str(caught.value)


def test_the_guard_holds_for_a_listening_local_server():
    with serve({"/feed": Reply(200, "hello")}) as server:
        with pytest.raises(SourceError, match="private or internal"):
            http.get(server.url + "/feed")
        assert server.requests == []
        # allow_private (the KOERS_OUTGOING_ALLOW_PRIVATE setting) lets it through.
        response = http.get(server.url + "/feed", allow_private=True)
    assert response.body == b"hello"


def test_a_redirect_to_an_internal_address_is_refused(monkeypatch):
    # 127.0.0.2 plays a public host (only that one address is let through); it sends
    # the client on to 127.0.0.1 and to localhost, which the real guard must stop.
    real = http.address_allowed
    monkeypatch.setattr(http, "address_allowed", lambda a: a == "127.0.0.2" or real(a))
    with serve({"/secret": Reply(200, "internal")}) as inside:
        routes = {
            "/to-ip": Reply(302, headers={"Location": f"{inside.url}/secret"}),
            "/to-name": Reply(301, headers={"Location": f"http://localhost:{inside.port}/secret"}),
            "/ok": Reply(200, "public"),
        }
        with serve(routes, host="127.0.0.2") as outside:
            assert http.get(outside.url + "/ok").body == b"public"
            for path in ("/to-ip", "/to-name"):
                with pytest.raises(SourceError, match="private or internal") as caught:
                    http.get(outside.url + path)
                assert not caught.value.transient
        assert inside.requests == []


def test_redirects_are_followed_up_to_five():
    routes = {f"/hop{i}": Reply(307, headers={"Location": f"/hop{i + 1}"}) for i in range(7)}
    routes["/hop5"] = Reply(200, "arrived")
    with serve(routes) as server:
        response = http.get(server.url + "/hop0", allow_private=True)
        assert response.body == b"arrived"
        assert response.url == server.url + "/hop5"
        routes["/hop5"] = Reply(307, headers={"Location": "/hop6"})
        with pytest.raises(SourceError, match="More than 5 redirects"):
            http.get(server.url + "/hop0", allow_private=True)


def test_user_agent_and_conditional_headers_are_sent():
    with serve({"/": Reply(304)}) as server:
        response = http.get(server.url + "/", headers={"If-None-Match": '"v1"'}, allow_private=True)
    assert response.not_modified and response.body == b""
    sent = server.requests[0].headers
    assert sent["user-agent"] == "Koers/0.1 (+listening)"
    assert sent["if-none-match"] == '"v1"'


@pytest.mark.parametrize(
    ("status", "transient", "message"),
    [
        (500, True, "The server answered 500."),
        (503, True, "The server answered 503."),
        (429, True, "The server asks Koers to slow down (429)."),
        (401, False, "The server refused access (401)."),
        (403, False, "The server refused access (403)."),
        (404, False, "The address was not found (404)."),
        (410, False, "The address is gone for good (410)."),
        (400, False, "The server answered 400."),
    ],
)
def test_failing_statuses(status, transient, message):
    with serve({"/": Reply(status, "no")}) as server, pytest.raises(SourceError) as caught:
        http.get(server.url + "/", allow_private=True)
    assert caught.value.transient is transient
    assert caught.value.status == status
    assert str(caught.value) == message


def test_a_refused_token_is_named_as_such():
    with serve({"/": Reply(401)}) as server, pytest.raises(SourceError) as caught:
        http.get(server.url + "/", headers={"Authorization": "Bearer x"}, allow_private=True)
    assert str(caught.value) == "The access token was refused (401)."


def test_a_server_that_never_answers_times_out():
    with serve({"/": Reply(hang=True)}) as server, pytest.raises(SourceError) as caught:
        http.get(server.url + "/", timeout=0.5, allow_private=True)
    assert caught.value.transient
    assert str(caught.value) == "Time-out after 0.5 s."


def test_nothing_listening_is_a_transient_error():
    with serve({}) as server:
        url = server.url
    with pytest.raises(SourceError) as caught:
        http.get(url + "/", timeout=0.5, allow_private=True)
    assert caught.value.transient


def test_a_body_over_the_cap_is_refused():
    with serve(
        {
            "/big": Reply(200, b"x" * 3000),
            "/zip": Reply(200, gzip.compress(b"y" * 100_000), {"Content-Encoding": "gzip"}),
        }
    ) as server:
        with pytest.raises(SourceError, match="larger than") as caught:
            http.get(server.url + "/big", max_bytes=2048, allow_private=True)
        assert not caught.value.transient
        # A small compressed answer that unpacks past the cap is caught too.
        with pytest.raises(SourceError, match="larger than"):
            http.get(server.url + "/zip", max_bytes=50_000, allow_private=True)
        assert http.get(server.url + "/zip", allow_private=True).body == b"y" * 100_000


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x"])
def test_only_web_addresses(url):
    with pytest.raises(SourceError, match="not a web address") as caught:
        http.get(url)
    assert not caught.value.transient


def test_open_stream_yields_lines():
    with serve(
        {"/s": Reply(200, "event: a\ndata: 1\n\n", {"Content-Type": "text/event-stream"})}
    ) as server:
        lines = list(http.open_stream(server.url + "/s", allow_private=True))
    assert lines == [b"event: a\n", b"data: 1\n", b"\n"]


def test_html_to_text():
    html = "<p>Hallo <b>wereld</b> &amp; co</p><p>tweede<br>regel</p><script>x()</script>"
    assert http.html_to_text(html) == "Hallo wereld & co\ntweede\nregel"
    assert http.html_to_text("plain") == "plain"

"""RSS and Atom through feedparser, with a conditional GET, against a local server.

The feeds are hand-made (a Dutch news-style RSS 2.0 feed and an Atom feed); the
failure cases are what real hosts do: a web page instead of a feed, a 503, silence.
"""

from datetime import UTC, datetime

import pytest

from koers.platforms import rss
from koers.platforms.base import SourceError
from koers.platforms.tests.servers import Reply, serve

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Nieuws uit de regio</title>
  <link>https://nieuws.example.nl/</link>
  <language>nl-NL</language>
  <item>
    <title>Gemeente opent nieuw &lt;b&gt;servicepunt&lt;/b&gt;</title>
    <link>https://www.nieuws.example.nl/artikel/123</link>
    <guid isPermaLink="false">nieuws-123</guid>
    <description><![CDATA[<p>Het servicepunt van <a href="https://x.example">Koers</a>
      is open.</p><p>Reacties zijn positief &amp; enthousiast.</p>]]></description>
    <dc:creator>Anna de Vries</dc:creator>
    <pubDate>Tue, 03 Jun 2025 09:15:00 +0200</pubDate>
  </item>
  <item>
    <title>Zonder guid</title>
    <link>https://nieuws.example.nl/artikel/124</link>
    <description>Alleen tekst.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example blog</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2025-06-01T18:30:02Z</updated>
  <entry>
    <title>Koers reviewed</title>
    <link href="https://blog.example.com/2025/koers"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-06-01T18:30:02Z</updated>
    <author><name>Sam Writer</name></author>
    <content type="html">&lt;p&gt;A &lt;em&gt;fine&lt;/em&gt; tool.&lt;/p&gt;</content>
  </entry>
</feed>
"""

HTML = """<!DOCTYPE html><html><head><title>Welkom</title></head>
<body><h1>Onze website</h1><p>Dit is geen feed.</p></body></html>"""


def test_rss_entries_become_raw_mentions():
    routes = {"/feed.xml": Reply(200, RSS, {"Content-Type": "application/rss+xml"})}
    with serve(routes) as server:
        result = rss.fetch(server.url + "/feed.xml", allow_private=True)
    assert not result.not_modified
    first, second = result.mentions
    assert first.external_id == "nieuws-123"
    assert first.title == "Gemeente opent nieuw servicepunt"
    assert first.text == "Het servicepunt van Koers is open.\nReacties zijn positief & enthousiast."
    assert first.author == "Anna de Vries"
    assert first.url == "https://www.nieuws.example.nl/artikel/123"
    assert first.site == "www.nieuws.example.nl"
    assert first.published_at == datetime(2025, 6, 3, 7, 15, tzinfo=UTC)
    assert first.language == "nl"
    # Without a guid the link identifies the entry; without a date, the fetch time.
    assert second.external_id == "https://nieuws.example.nl/artikel/124"
    assert second.published_at.tzinfo is not None
    assert result.cursor == {}


def test_atom_entries_become_raw_mentions():
    routes = {"/atom": Reply(200, ATOM, {"Content-Type": "application/atom+xml"})}
    with serve(routes) as server:
        (entry,) = rss.fetch(server.url + "/atom", allow_private=True).mentions
    assert entry.external_id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert entry.text == "A fine tool."
    assert entry.title == "Koers reviewed"
    assert entry.author == "Sam Writer"
    assert entry.site == "blog.example.com"
    assert entry.published_at == datetime(2025, 6, 1, 18, 30, 2, tzinfo=UTC)
    assert entry.language == "en"


def test_conditional_get_with_etag_and_last_modified():
    modified = "Tue, 03 Jun 2025 08:00:00 GMT"

    def feed(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(
            200,
            RSS,
            {"Content-Type": "application/rss+xml", "ETag": '"v1"', "Last-Modified": modified},
        )

    with serve({"/feed": feed}) as server:
        first = rss.fetch(server.url + "/feed", allow_private=True)
        assert first.cursor == {"etag": '"v1"', "modified": modified}
        second = rss.fetch(server.url + "/feed", cursor=first.cursor, allow_private=True)
    assert second.not_modified
    assert second.mentions == []
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert server.requests[1].headers["if-modified-since"] == modified


def test_a_web_page_instead_of_a_feed():
    routes = {
        "/": Reply(200, HTML, {"Content-Type": "text/html; charset=utf-8"}),
        # Mislabelled as XML: still recognised by its content.
        "/mislabelled": Reply(200, HTML, {"Content-Type": "application/xml"}),
    }
    with serve(routes) as server:
        for path in ("/", "/mislabelled"):
            with pytest.raises(SourceError) as caught:
                rss.fetch(server.url + path, allow_private=True)
            assert not caught.value.transient
            assert str(caught.value) == "The address gives a web page, not a feed."


def test_something_else_than_a_feed():
    routes = {"/data": Reply(200, '{"a": 1}', {"Content-Type": "application/json"})}
    with serve(routes) as server, pytest.raises(SourceError, match="does not give a feed"):
        rss.fetch(server.url + "/data", allow_private=True)


def test_a_503_then_success():
    routes = {
        "/feed": [
            Reply(503, "busy"),
            Reply(200, ATOM, {"Content-Type": "application/atom+xml"}),
        ]
    }
    with serve(routes) as server:
        with pytest.raises(SourceError) as caught:
            rss.fetch(server.url + "/feed", allow_private=True)
        assert caught.value.transient
        assert str(caught.value) == "The server answered 503."
        assert len(rss.fetch(server.url + "/feed", allow_private=True).mentions) == 1


def test_a_feed_that_never_answers():
    with serve({"/feed": Reply(hang=True)}) as server, pytest.raises(SourceError) as caught:
        rss.fetch(server.url + "/feed", timeout=0.5, allow_private=True)
    assert caught.value.transient
    assert str(caught.value) == "Time-out after 0.5 s."


def test_a_feed_on_an_internal_address_is_refused_by_default():
    with serve({"/feed": Reply(200, RSS)}) as server, pytest.raises(SourceError) as caught:
        rss.fetch(server.url + "/feed")
    assert not caught.value.transient
    assert server.requests == []

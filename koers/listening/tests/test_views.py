"""The listening pages through the test client: who may do what, the query editor's
refusals and live check, the explorer's filters, search, corrections and export, the
sources, the stakeholders and the share of voice."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.listening.models import (
    Category,
    Correction,
    Group,
    Mention,
    MentionMatch,
    QueryRole,
    SavedQuery,
    Sentiment,
    Source,
    SourceKind,
    SourceStatus,
    Stakeholder,
)
from koers.orgs.capabilities import Role
from koers.tests.cast import make_listening

pytestmark = pytest.mark.django_db


def url(org, path=""):
    return f"/o/{org.slug}/listening/{path}"


def _source(org, **overrides):
    values = {"kind": SourceKind.RSS, "name": "Feed", "url": "https://feed.example/rss"}
    values.update(overrides)
    return Source.objects.create(organisation=org, **values)


def _mention(org, source, text, *, days_ago=0.1, **overrides):
    number = Mention.objects.count() + 1
    values = {
        "external_id": f"m{number}",
        "author": f"@auteur{number}@mastodon.nl",
        "published_at": timezone.now() - timedelta(days=days_ago),
        "language": "nl",
        "is_enriched": True,
    }
    values.update(overrides)
    return Mention.objects.create(organisation=org, source=source, text=text, **values)


def _query(org, name, text, role=QueryRole.BRAND, mentions=()):
    query = SavedQuery.objects.create(organisation=org, name=name, text=text, role=role)
    MentionMatch.objects.bulk_create(
        MentionMatch(organisation=org, mention=m, query=query) for m in mentions
    )
    return query


@pytest.fixture
def listening(cast):
    return make_listening(cast.a.org)


def login(client, cast, role):
    client.force_login(cast.a[role].user)
    return client


# --- access ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "queries/", "sources/", "stakeholders/", "share-of-voice/"])
def test_readers_see_the_pages_employees_do_not_outsiders_get_404(client, cast, listening, path):
    for role in (Role.OWNER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE, Role.ADVISOR):
        assert login(client, cast, role).get(url(cast.a.org, path)).status_code == 200, role
    assert login(client, cast, Role.EMPLOYEE).get(url(cast.a.org, path)).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(url(cast.a.org, path)).status_code == 404


def test_employee_lands_on_the_about_page_from_the_navigation(client, cast):
    login(client, cast, Role.EMPLOYEE)
    page = client.get(f"/o/{cast.a.org.slug}/").content.decode()
    assert url(cast.a.org, "about/") in page
    response = client.get(url(cast.a.org, "about/"))
    assert response.status_code == 200
    assert "no access to the mentions" in response.content.decode()
    login(client, cast, Role.ADVISOR)
    page = client.get(f"/o/{cast.a.org.slug}/").content.decode()
    assert f'href="{url(cast.a.org)}"' in page


def test_advisor_reads_but_may_not_write(client, cast, listening):
    login(client, cast, Role.ADVISOR)
    org = cast.a.org
    before = (SavedQuery.objects.count(), Stakeholder.objects.count(), Correction.objects.count())
    writes = [
        ("queries/new/", {"name": "x", "text": "fiets", "role": "brand"}),
        (f"queries/{listening.query.pk}/", {"name": "x", "text": "fiets", "role": "brand"}),
        (f"queries/{listening.query.pk}/delete/", {}),
        ("queries/check/", {"text": "fiets"}),
        ("sources/new/", {"kind": "rss", "name": "x", "url": "https://x.example/"}),
        (f"sources/{listening.source.pk}/pause/", {}),
        (f"sources/{listening.source.pk}/fetch/", {}),
        ("stakeholders/add/", {"author": "@x", "group": "critic"}),
        (f"stakeholders/{listening.stakeholder.pk}/remove/", {}),
        (f"mentions/{listening.mention.pk}/correct/", {"field": "sentiment", "value": "negative"}),
    ]
    for path, data in writes:
        assert client.post(url(org, path), data).status_code == 403, path
    after = (SavedQuery.objects.count(), Stakeholder.objects.count(), Correction.objects.count())
    assert before == after
    listening.source.refresh_from_db()
    assert listening.source.is_active


def test_webcare_and_editor_correct_but_do_not_manage(client, cast, listening):
    for role in (Role.WEBCARE, Role.EDITOR):
        login(client, cast, role)
        response = client.post(
            url(cast.a.org, f"mentions/{listening.mention.pk}/correct/"),
            {"field": "category", "value": "complaint"},
        )
        assert response.status_code == 302, role
        assert client.get(url(cast.a.org, "queries/new/")).status_code == 403
    assert Correction.objects.filter(mention=listening.mention).count() == 2


# --- the query editor --------------------------------------------------------------------


def test_invalid_query_is_refused_with_position_and_message(client, cast):
    login(client, cast, Role.STRATEGIST)
    response = client.post(
        url(cast.a.org, "queries/new/"),
        {"name": "Merk", "role": "brand", "text": "koers AND fiets OR auto", "is_active": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "AND and OR are mixed without parentheses" in page
    assert "At character 17" in page  # "OR" starts at offset 16
    assert '<mark class="query-position"' in page
    assert not SavedQuery.objects.filter(organisation=cast.a.org).exists()


def test_invalid_query_message_in_dutch(client, cast):
    client.cookies["koers_language"] = "nl"
    login(client, cast, Role.STRATEGIST)
    response = client.post(
        url(cast.a.org, "queries/new/"), {"name": "Merk", "role": "brand", "text": "(koers"}
    )
    assert response.status_code == 400
    assert "Dit openingshaakje wordt nergens gesloten." in response.content.decode()
    assert not SavedQuery.objects.exists()


def test_saving_a_valid_query_matches_recent_mentions(client, cast):
    org = cast.a.org
    source = _source(org)
    hit = _mention(org, source, "Mijn nieuwe fiets van Van Dijk")
    _mention(org, source, "Iets heel anders")
    login(client, cast, Role.STRATEGIST)
    response = client.post(
        url(org, "queries/new/"),
        {"name": "Merk", "role": "brand", "text": '"van dijk" AND fiets', "is_active": "on"},
    )
    assert response.status_code == 302
    query = SavedQuery.objects.get(organisation=org)
    assert query.created_by == cast.a[Role.STRATEGIST].user
    assert list(query.mentions.all()) == [hit]
    page = client.get(url(org, "queries/")).content.decode()
    assert "Merk" in page and f"?query={query.pk}" in page


def test_editing_a_query_rematches(client, cast, listening):
    org = cast.a.org
    other = _mention(org, listening.source, "Gezien in de krant: koers wijzigt")
    login(client, cast, Role.OWNER)
    response = client.post(
        url(org, f"queries/{listening.query.pk}/"),
        {"name": "Koers", "role": "topic", "text": "koers", "is_active": "on"},
    )
    assert response.status_code == 302
    listening.query.refresh_from_db()
    assert listening.query.role == "topic"
    assert list(listening.query.mentions.all()) == [other]


def test_live_check_shows_error_warnings_and_preview(client, cast):
    org = cast.a.org
    source = _source(org)
    for n in range(3):
        _mention(org, source, f"Bezorging van mijn e-bike duurt lang ({n})", days_ago=n)
    _mention(org, source, "Over iets anders")
    login(client, cast, Role.STRATEGIST)
    check = url(org, "queries/check/")

    error = client.post(check, {"text": 'fiets AND "lekke band'}).content.decode()
    assert "This quote is never closed." in error
    assert "character 11" in error
    assert 'fiets AND <mark class="query-position"' in error

    ok = client.post(check, {"text": "e-bike AND bezorging"}).content.decode()
    assert "The query is valid." in ok
    assert "3 of your last 4 mentions match" in ok
    assert "duurt lang (0)" in ok and "Over iets anders" not in ok

    warned = client.post(check, {"text": "koers OR koers*"}).content.decode()
    assert "already covered by" in warned
    assert not SavedQuery.objects.exists()


def test_preview_looks_at_the_organisations_own_mentions_only(client, cast):
    _mention(cast.b.org, _source(cast.b.org), "fiets van B")
    login(client, cast, Role.STRATEGIST)
    page = client.post(url(cast.a.org, "queries/check/"), {"text": "fiets"}).content.decode()
    assert "fiets van B" not in page
    assert "There are no mentions yet" in page


def test_query_list_counts_the_last_seven_days(client, cast):
    org = cast.a.org
    source = _source(org)
    recent = [_mention(org, source, f"fiets {n}", days_ago=n) for n in range(3)]
    old = _mention(org, source, "fiets oud", days_ago=20)
    query = _query(org, "Fietsen", "fiets", mentions=[*recent, old])
    login(client, cast, Role.ADVISOR)
    page = client.get(url(org, "queries/")).content.decode()
    assert f'?query={query.pk}" aria-label="3 mentions of Fietsen">3</a>' in page
    assert "New query" not in page


# --- the explorer ------------------------------------------------------------------------


@pytest.fixture
def explored(cast):
    org = cast.a.org
    feed = _source(org, name="Nieuwsfeed")
    toots = _source(org, name="Mastodon", kind=SourceKind.MASTODON_TAG, term="fiets")
    negative = _mention(
        org,
        feed,
        "De levering van mijn e-bike is weer te laat",
        sentiment=Sentiment.NEGATIVE,
        category=Category.COMPLAINT,
        author="@criticus@mastodon.nl",
        days_ago=2,
    )
    positive = _mention(
        org,
        toots,
        "Super geholpen met mijn lekke band",
        sentiment=Sentiment.POSITIVE,
        category=Category.PRAISE,
        language="en",
        days_ago=5,
    )
    question = _mention(
        org,
        toots,
        "Zijn jullie op zondag open?",
        sentiment=Sentiment.NEUTRAL,
        category=Category.QUESTION,
        days_ago=40,
    )
    Stakeholder.objects.create(organisation=org, author="@Criticus@mastodon.nl", group="critic")
    brand = _query(org, "Merk", "levering OR band", mentions=[negative, positive])
    return {
        "org": org,
        "feed": feed,
        "toots": toots,
        "negative": negative,
        "positive": positive,
        "question": question,
        "brand": brand,
    }


def _shown(response) -> set[int]:
    return {m.pk for m in response.context["mentions"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"negative", "positive", "question"}),
        ({"sentiment": "negative"}, {"negative"}),
        ({"category": "question"}, {"question"}),
        ({"language": "en"}, {"positive"}),
        ({"source": "toots"}, {"positive", "question"}),
        ({"query": "brand"}, {"negative", "positive"}),
        ({"group": "critic"}, {"negative"}),
        ({"since": 10}, {"negative", "positive"}),
        ({"until": 30}, {"question"}),
        ({"q": "lekke band"}, {"positive"}),
        ({"q": "e-bike", "sentiment": "positive"}, set()),
    ],
)
def test_explorer_filters(client, cast, explored, filters, expected):
    data = {}
    for key, value in filters.items():
        if key in ("source", "query"):
            data[key] = explored[value].pk
        elif key in ("since", "until"):
            data[key] = (timezone.localdate() - timedelta(days=value)).isoformat()
        else:
            data[key] = value
    login(client, cast, Role.ADVISOR)
    response = client.get(url(explored["org"]), data)
    assert response.status_code == 200
    assert _shown(response) == {explored[name].pk for name in expected}


def test_explorer_shows_a_mention_escaped_with_its_details(client, cast, explored):
    org = explored["org"]
    _mention(
        org,
        explored["feed"],
        "<script>alert(1)</script> fiets",
        author_name="Piet <b>",
        author_reach=1234,
        threat_score=75.4,
        duplicate_of=explored["negative"],
        url="https://nieuws.example/artikel",
    )
    login(client, cast, Role.WEBCARE)
    page = client.get(url(org)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fiets" in page
    assert "Piet &lt;b&gt;" in page
    assert "reach 1234" in page and "threat 75" in page and "Duplicate" in page
    by_threat = client.get(url(org), {"order": "threat"})
    assert by_threat.context["mentions"][0].text.endswith("fiets")
    assert "Nieuwsfeed" in page and "Merk" in page
    assert 'href="https://nieuws.example/artikel"' in page
    assert 'aria-pressed="true">Negative</button>' in page


def test_explorer_query_count_does_not_grow(client, cast, explored):
    org = explored["org"]
    login(client, cast, Role.OWNER)
    client.get(url(org))  # warm the session and caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(org)).status_code == 200
        return len(queries)

    few = count()
    for n in range(60):
        mention = _mention(org, explored["feed"], f"levering {n}")
        MentionMatch.objects.create(organisation=org, mention=mention, query=explored["brand"])
    assert count() == few


def test_explorer_paginates_by_fifty(client, cast, explored):
    org = explored["org"]
    for n in range(60):
        _mention(org, explored["feed"], f"bericht {n}", days_ago=0.01)
    login(client, cast, Role.OWNER)
    first = client.get(url(org))
    assert len(first.context["mentions"]) == 50
    second = client.get(url(org), {"page": 2})
    assert len(second.context["mentions"]) == 13
    assert "page 2 of 2" in second.content.decode()


def test_explorer_rejects_another_organisations_query_filter(client, cast, explored):
    other = _query(cast.b.org, "Van B", "fiets")
    login(client, cast, Role.OWNER)
    response = client.get(url(explored["org"]), {"query": other.pk})
    assert response.status_code == 400


def test_correction_updates_the_row_and_records_it(client, cast, explored):
    mention = explored["negative"]
    login(client, cast, Role.WEBCARE)
    response = client.post(
        url(explored["org"], f"mentions/{mention.pk}/correct/"),
        {"field": "sentiment", "value": "neutral", "next": url(explored["org"])},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith('<article class="mention mention-neutral')
    assert 'aria-pressed="true">Neutral</button>' in row
    assert "Koers learns from it" in row
    mention.refresh_from_db()
    assert mention.sentiment == Sentiment.NEUTRAL and mention.is_corrected
    correction = Correction.objects.get(mention=mention)
    assert (correction.field, correction.old_value, correction.new_value) == (
        "sentiment",
        "negative",
        "neutral",
    )
    assert correction.by == cast.a[Role.WEBCARE].user


def test_correction_queues_training_after_commit(client, cast, explored, monkeypatch):
    queued = []

    class FakeTask:
        def __call__(self, organisation_id):
            queued.append(organisation_id)

    import koers.listening.enrich_tasks as enrich_tasks

    monkeypatch.setattr(enrich_tasks, "train_classifier", FakeTask())
    login(client, cast, Role.EDITOR)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            url(explored["org"], f"mentions/{explored['question'].pk}/correct/"),
            {"field": "category", "value": "idea"},
        )
    assert queued == [explored["org"].pk]


def test_correction_refuses_unknown_values(client, cast, explored):
    login(client, cast, Role.WEBCARE)
    response = client.post(
        url(explored["org"], f"mentions/{explored['negative'].pk}/correct/"),
        {"field": "sentiment", "value": "furious"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert not Correction.objects.exists()


def test_another_organisations_mention_cannot_be_corrected(client, cast, explored):
    client.force_login(cast.outsider.user)
    response = client.post(
        url(cast.b.org, f"mentions/{explored['negative'].pk}/correct/"),
        {"field": "sentiment", "value": "positive"},
    )
    assert response.status_code == 404
    assert not Correction.objects.exists()


def test_csv_export_neutralises_formulas(client, cast, explored):
    org = explored["org"]
    _mention(
        org,
        explored["feed"],
        "=cmd()|' /C calc'!A0",
        author="@attacker",
        author_name="+31 6 1234",
        sentiment=Sentiment.NEGATIVE,
    )
    login(client, cast, Role.ADVISOR)
    response = client.get(url(org, "export.csv"), {"sentiment": "negative"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Published"
    texts = [row[12] for row in rows[1:]]
    assert "'=cmd()|' /C calc'!A0" in texts
    assert "De levering van mijn e-bike is weer te laat" in texts
    assert len(rows) == 3  # header and the two negative mentions
    attacker = next(row for row in rows if row[12].startswith("'="))
    assert attacker[1] == "'@attacker" and attacker[2] == "'+31 6 1234"
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+-@"


def test_csv_export_guards_handles_too(client, cast, explored):
    """Handles start with @, which spreadsheets read as a formula: guarded too."""
    login(client, cast, Role.ADVISOR)
    response = client.get(url(explored["org"], "export.csv"), {"group": "critic"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == "'@criticus@mastodon.nl"


# --- sources -----------------------------------------------------------------------------


def test_add_sources_per_kind(client, cast):
    org = cast.a.org
    login(client, cast, Role.STRATEGIST)
    assert (
        "Hashtag or search terms"
        in client.get(url(org, "sources/new/"), {"kind": "mastodon_tag"}).content.decode()
    )
    response = client.post(
        url(org, "sources/new/"),
        {"kind": "rss", "name": "Stentor", "url": "https://www.destentor.example/rss"},
    )
    assert response.status_code == 302
    response = client.post(
        url(org, "sources/new/"),
        {
            "kind": "mastodon_tag",
            "name": "Mastodon",
            "url": "https://mastodon.nl",
            "term": "#fietsen",
            "token": "geheim-token",
        },
    )
    assert response.status_code == 302
    mastodon = Source.objects.get(organisation=org, kind="mastodon_tag")
    assert mastodon.term == "fietsen"
    assert mastodon.token_encrypted and "geheim-token" not in mastodon.token_encrypted
    from koers.listening.secrets import get_token

    assert get_token(mastodon) == "geheim-token"
    edit = client.get(url(org, f"sources/{mastodon.pk}/")).content.decode()
    assert "geheim-token" not in edit and "A token is stored." in edit

    response = client.post(url(org, "sources/new/"), {"kind": "push", "name": "Reviews"})
    push = Source.objects.get(organisation=org, kind="push")
    assert response["Location"].endswith(f"sources/{push.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "POST http://testserver/api/v1/listening/mentions" in page
    assert "&quot;source&quot;: &quot;Reviews&quot;" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "rss", "url": "javascript:alert(1)"}, "Enter a full web address"),
        ({"kind": "rss", "url": "ftp://feed.example/rss"}, "Enter a full web address"),
        ({"kind": "rss", "url": ""}, "This kind of source needs an address."),
        ({"kind": "mastodon_tag", "url": "https://mastodon.nl"}, "needs a hashtag"),
        ({"kind": "mastodon_tag", "url": "https://m.nl", "term": "a b"}, "letters, digits"),
        ({"kind": "bluesky_stream", "term": "fiets AND"}, "AND needs a term after it."),
    ],
)
def test_source_addresses_and_terms_are_checked(client, cast, data, error):
    login(client, cast, Role.OWNER)
    response = client.post(url(cast.a.org, "sources/new/"), {"name": "Bron", **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Source.objects.exists()


def test_edit_pause_resume_and_fetch(client, cast, listening, monkeypatch):
    org = cast.a.org
    source = listening.source
    source.status, source.cursor = SourceStatus.OK, {"etag": "abc"}
    source.save()
    login(client, cast, Role.STRATEGIST)
    response = client.post(
        url(org, f"sources/{source.pk}/"),
        {"name": "Nieuws Zwolle", "url": "https://nieuws.example/zwolle.rss"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.url, source.cursor, source.status) == (
        "Nieuws Zwolle",
        "https://nieuws.example/zwolle.rss",
        {},
        SourceStatus.NEW,
    )
    client.post(url(org, f"sources/{source.pk}/pause/"))
    source.refresh_from_db()
    assert not source.is_active and source.status == SourceStatus.PAUSED
    assert "Resume" in client.get(url(org, "sources/")).content.decode()
    client.post(url(org, f"sources/{source.pk}/resume/"))
    source.refresh_from_db()
    assert source.is_active and source.next_fetch_at is not None

    queued = []
    import koers.listening.tasks as tasks

    monkeypatch.setattr(tasks, "fetch_source_task", lambda pk: queued.append(pk))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url(org, f"sources/{source.pk}/fetch/"))
    assert response.status_code == 302
    assert queued == [source.pk]


def test_failing_source_shows_its_error_in_full(client, cast, listening):
    error = "HTTP 503 from https://nieuws.example/rss: Service Unavailable. " + "x" * 600
    Source.objects.filter(pk=listening.source.pk).update(
        status=SourceStatus.FAILING,
        last_error=error,
        failures=4,
        last_success_at=timezone.now() - timedelta(days=1),
        next_fetch_at=timezone.now() + timedelta(minutes=40),
    )
    login(client, cast, Role.ADVISOR)
    page = client.get(url(cast.a.org, "sources/")).content.decode()
    assert error in page
    assert "Failing" in page and "Failed 4 times in a row." in page
    assert "Fetch now" not in page  # the advisor only reads


def test_deleting_a_source_keeps_duplicates_elsewhere(client, cast, listening):
    org = cast.a.org
    other = _source(org, name="Ander")
    copy = _mention(org, other, "Een nieuwe fiets gekocht", duplicate_of=listening.mention)
    login(client, cast, Role.OWNER)
    assert client.post(url(org, f"sources/{listening.source.pk}/delete/")).status_code == 302
    assert not Source.objects.filter(pk=listening.source.pk).exists()
    copy.refresh_from_db()
    assert copy.duplicate_of is None


# --- stakeholders --------------------------------------------------------------------------


def test_add_and_remove_stakeholders(client, cast, explored):
    org = explored["org"]
    login(client, cast, Role.STRATEGIST)
    response = client.post(
        url(org, "stakeholders/add/"),
        {"author": explored["positive"].author, "name": "Klant", "group": Group.AMBASSADOR},
    )
    assert response.status_code == 302
    explored["positive"].refresh_from_db()
    assert explored["positive"].groups == [Group.AMBASSADOR]
    again = client.post(
        url(org, "stakeholders/add/"),
        {"author": explored["positive"].author.upper(), "group": Group.AMBASSADOR},
    )
    assert again.status_code == 400
    assert "already in that group" in again.content.decode()
    page = client.get(url(org, "stakeholders/")).content.decode()
    assert "Ambassador" in page and explored["positive"].author in page
    stakeholder = Stakeholder.objects.get(organisation=org, group=Group.AMBASSADOR)
    response = client.post(url(org, f"stakeholders/{stakeholder.pk}/remove/"))
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    explored["positive"].refresh_from_db()
    assert explored["positive"].groups == []


# --- share of voice ------------------------------------------------------------------------


def test_share_of_voice_figures(client, cast):
    org = cast.a.org
    source = _source(org)
    ours = [
        _mention(org, source, f"wij {n}", sentiment=s, days_ago=n)
        for n, s in enumerate(["positive"] * 3 + ["negative"] + ["neutral"] * 2)
    ]
    theirs = [_mention(org, source, f"zij {n}", days_ago=n) for n in range(4)]
    old = _mention(org, source, "oud", days_ago=60)
    _query(org, "Wij", "wij", QueryRole.BRAND, mentions=[*ours, old])
    _query(org, "Zij", "zij", QueryRole.COMPETITOR, mentions=theirs)
    _query(org, "Onderwerp", "oud", QueryRole.TOPIC, mentions=[old])
    login(client, cast, Role.ADVISOR)
    response = client.get(url(org, "share-of-voice/"), {"days": 30})
    voices = {v.query.name: v for v in response.context["voices"]}
    assert set(voices) == {"Wij", "Zij"}
    assert (voices["Wij"].count, voices["Wij"].share) == (6, 60.0)
    assert (voices["Zij"].count, voices["Zij"].share) == (4, 40.0)
    split = {row["key"]: row["percent"] for row in voices["Wij"].sentiment_rows}
    assert split == {"positive": 50, "neutral": 33, "negative": 17}
    page = response.content.decode()
    assert "60.0%" in page and "40.0%" in page
    ninety = client.get(url(org, "share-of-voice/"), {"days": 90}).context["voices"]
    assert {v.query.name: v.count for v in ninety} == {"Wij": 7, "Zij": 4}


def test_share_of_voice_chart_is_a_standalone_svg(client, cast, listening):
    login(client, cast, Role.ADVISOR)
    response = client.get(url(cast.a.org, "share-of-voice/chart.svg"), {"days": 7})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg
    assert "Merk" in svg
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    page = client.get(url(cast.a.org, "share-of-voice/"))
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


# --- file imports ----------------------------------------------------------------------------

CSV_WITH_AN_ERROR = (
    "Datum;Auteur;Bericht;Volgers\n"
    "01-05-2025 10:00;@klant1;Fiets opgehaald, top service;120\n"
    "31-02-2025 11:00;@klant2;Datum klopt niet;80\n"
    '02-05-2025 12:30;@klant3;=HYPERLINK("x") levering duurt lang;15\n'
).encode("cp1252")


def _upload(client, org, content=CSV_WITH_AN_ERROR, name="export.csv", **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url(org, "imports/"), {"file": SimpleUploadedFile(name, content), **data})


def test_import_upload_mapping_dry_run_and_valid_rows(client, cast, settings, tmp_path):
    from django.test import TestCase

    from koers.listening.models import ImportJob, ImportStatus

    settings.DATA_DIR = tmp_path
    org = cast.a.org
    login(client, cast, Role.STRATEGIST)
    response = _upload(client, org, source_name="Coosto-export")
    assert response.status_code == 302
    job = ImportJob.objects.get(organisation=org)
    assert job.status == ImportStatus.DRAFT

    page = client.get(response["Location"])
    assert page.status_code == 200
    form = page.context["form"]
    mapping = {name: field.initial for name, field in form.fields.items()}
    assert mapping["map_text"] == "Bericht" and mapping["map_published_at"] == "Datum"
    data = {**{k: v or "" for k, v in mapping.items()}, "name": "Coosto-export"}

    checked = client.post(url(org, f"imports/{job.pk}/"), data)
    assert checked.status_code == 200
    text = checked.content.decode()
    assert "2 of 3 rows can be imported." in text
    assert "Row 3" in text  # the impossible date, with its row
    assert "Import the 2 valid rows" in text
    assert not Mention.objects.filter(organisation=org).exists()

    refused = client.post(url(org, f"imports/{job.pk}/run/"), {**data, "mode": "all"})
    assert refused.status_code == 400
    assert "nothing is imported" in refused.content.decode()
    assert not Mention.objects.filter(organisation=org).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(url(org, f"imports/{job.pk}/run/"), {**data, "mode": "valid_rows"})
    assert started.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 2
    mentions = Mention.objects.filter(organisation=org)
    assert mentions.count() == 2
    assert mentions.first().source.name == "Coosto-export"
    progress = client.get(url(org, f"imports/{job.pk}/progress/")).content.decode()
    assert "2 new mentions" in progress and "hx-trigger" not in progress


def test_import_of_a_file_too_large_is_refused(client, cast, settings, tmp_path):
    from koers.listening.models import ImportJob

    settings.DATA_DIR = tmp_path
    settings.LISTENING_IMPORT_MAX_BYTES = 100
    login(client, cast, Role.OWNER)
    response = _upload(client, cast.a.org, content=b"x;y\n" * 100)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_import_progress_polls_while_running(client, cast, listening):
    from koers.listening.models import ImportStatus

    job = listening.import_job
    job.status, job.total_rows, job.processed_rows = ImportStatus.RUNNING, 4000, 1000
    job.save()
    login(client, cast, Role.OWNER)
    progress = client.get(url(cast.a.org, f"imports/{job.pk}/progress/")).content.decode()
    assert 'hx-trigger="every 1s"' in progress
    assert "1000 of 4000 rows" in progress and 'value="25"' in progress

"""Ingest: raw mentions stored in bulk, once per (source, external id), counted honestly."""

from datetime import UTC, datetime

import pytest

from koers.listening.ingest import IngestResult, ingest
from koers.listening.models import Mention, Source, SourceKind
from koers.platforms.base import RawMention

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def make_source(org, name="Feed", kind=SourceKind.RSS):
    return Source.objects.create(organisation=org, kind=kind, name=name)


def raw(external_id, text="Mijn fiets is kapot", **overrides):
    overrides.setdefault("published_at", WHEN)
    return RawMention(external_id=external_id, text=text, **overrides)


def test_the_same_mention_twice_is_stored_once(cast):
    source = make_source(cast.a.org)
    first = ingest(source, [raw("1"), raw("2")])
    again = ingest(source, [raw("2"), raw("3"), raw("3")])
    assert first == IngestResult(created=2, duplicates=0)
    assert again == IngestResult(created=1, duplicates=2)
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["1", "2", "3"]
    source.refresh_from_db()
    assert source.fetched_total == 3


def test_counts_hold_across_chunks(cast):
    source = make_source(cast.a.org)
    ingest(source, [raw(str(n)) for n in range(0, 50, 2)])  # the even ones
    result = ingest(source, [raw(str(n)) for n in range(50)], chunk_size=7)
    assert result == IngestResult(created=25, duplicates=25)
    assert Mention.objects.count() == 50


def test_the_same_external_id_in_another_source_is_another_mention(cast):
    one, other = make_source(cast.a.org, "Een"), make_source(cast.a.org, "Twee")
    assert ingest(one, [raw("1")]).created == 1
    assert ingest(other, [raw("1")]).created == 1


def test_rows_are_unenriched_and_belong_to_the_sources_organisation(cast):
    source = make_source(cast.b.org)
    ingest(source, [raw("1", url="https://www.example.nl/a", language="nl", hashtags=("fiets",))])
    mention = Mention.objects.get()
    assert mention.organisation == cast.b.org
    assert mention.is_enriched is False
    assert mention.site == "example.nl"
    assert mention.language == "nl" and mention.hashtags == ["fiets"]


def test_over_long_and_odd_fields_are_cut_safely(cast):
    source = make_source(cast.a.org)
    long_id = "x" * 400
    ingest(
        source,
        [
            raw(
                long_id,
                text="tekst\x00met nul " + "é" * 30_000,
                author="a" * 400,
                title="t" * 600,
                url="https://example.nl/" + "p" * 2000,
                country="Nederland",
                language="qme",
                published_at=datetime(2026, 3, 2, 9, 30),  # naive: taken as UTC
            )
        ],
    )
    mention = Mention.objects.get()
    assert len(mention.external_id) <= 300 and mention.external_id.startswith("sha256:")
    assert "\x00" not in mention.text and len(mention.text) == 20_000
    assert len(mention.author) == 300 and len(mention.title) == 500
    assert mention.url == "", "a cut URL would point elsewhere"
    assert mention.country == "" and mention.language == ""
    assert mention.published_at == WHEN
    # The long id is hashed stably: the same mention again is a duplicate.
    assert ingest(source, [raw(long_id)]) == IngestResult(created=0, duplicates=1)

"""Full-text search: the same interface and the same answers on SQLite (FTS5) and
PostgreSQL (Dutch and English configurations); the second CI pass runs this file on
PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from koers.listening.models import Mention, Source, SourceKind
from koers.listening.search import fts5_query, missing_triggers, repair_index, search

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming is PostgreSQL's (Dutch and English configurations); FTS5 folds "
    "accents and case but does not stem",
)


def make_mention(org, text, n=[0], **overrides):  # noqa: B006  (a counter for unique ids)
    n[0] += 1
    source = Source.objects.filter(organisation=org).first() or Source.objects.create(
        organisation=org, kind=SourceKind.PUSH, name="Test"
    )
    values = {
        "organisation": org,
        "source": source,
        "external_id": str(n[0]),
        "text": text,
        "published_at": datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=n[0]),
    }
    values.update(overrides)
    return Mention.objects.create(**values)


def found(org, text, **options):
    return list(search(Mention.objects.for_org(org), text, **options))


def test_words_must_all_occur_best_match_first(cast):
    org = cast.a.org
    once = make_mention(org, "De levering van mijn fiets duurde lang")
    title = make_mention(org, "Vraag over de levering", title="Levering fiets te laat")
    other = make_mention(org, "Mooie fiets, snel geleverd")
    assert set(found(org, "levering fiets")) == {once, title}
    assert found(org, "levering fiets")[0] == title, "a hit in the title counts more"
    assert other not in found(org, "levering")


def test_accents_and_case_are_folded(cast):
    org = cast.a.org
    cafe = make_mention(org, "Koffie bij het CAFÉ op de hoek")
    naive = make_mention(org, "A naïve reading of the coöperatie")
    assert found(org, "cafe") == [cafe]
    assert found(org, "Café") == [cafe]
    assert found(org, "naive") == [naive]
    assert found(org, "cooperatie") == [naive]


def test_phrases_exclusion_and_or(cast):
    org = cast.a.org
    slow = make_mention(org, "De klantenservice reageert traag")
    fast = make_mention(org, "Traag? Nee, de klantenservice reageert snel")
    shop = make_mention(org, "De winkel in Zwolle is dicht")
    assert set(found(org, '"klantenservice reageert traag"')) == {slow}
    assert set(found(org, "klantenservice -snel")) == {slow}
    assert set(found(org, "zwolle or snel")) == {fast, shop}


def test_author_and_title_are_searched(cast):
    org = cast.a.org
    by = make_mention(org, "Hallo allemaal", author="@fietsfan@mastodon.social")
    titled = make_mention(org, "Lees verder", title="Verkeersveiligheid in Kampen")
    assert found(org, "fietsfan") == [by]
    assert found(org, "kampen") == [titled]


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        "AND(",
        "NEAR(fiets kapot)",
        "text:fiets",
        "fiets*",
        "^fiets",
        "'); DROP TABLE listening_mention; --",
        "fiets OR",
        "-",
        "(((",
        "a:b:c { } [ ] ~ ! & | < >",
        "\x00",
        "fiets\x00kapot",
    ],
)
def test_hostile_input_cannot_break_the_search(cast, hostile):
    org = cast.a.org
    mention = make_mention(org, "Fish and chips: mijn fiets is kapot, text blijft text")
    result = found(org, hostile)
    assert result in ([], [mention])
    assert Mention.objects.filter(pk=mention.pk).exists()


def test_operator_words_are_searched_as_words(cast):
    org = cast.a.org
    mention = make_mention(org, "Fish and chips bij de snackbar")
    make_mention(org, "Alleen chips")
    assert found(org, 'AND("') == [mention]
    assert found(org, "near") == []


def test_text_without_words_finds_nothing(cast):
    make_mention(cast.a.org, "Iets")
    assert found(cast.a.org, "  ") == [] and found(cast.a.org, "!?") == []


def test_search_keeps_the_querysets_filters(cast):
    mine = make_mention(cast.a.org, "Fiets gestolen")
    make_mention(cast.b.org, "Fiets gestolen")
    assert found(cast.a.org, "gestolen") == [mine]


def test_unranked_keeps_the_querysets_order(cast):
    org = cast.a.org
    old = make_mention(org, "fiets", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    new = make_mention(org, "fiets fiets fiets", published_at=datetime(2026, 2, 1, tzinfo=UTC))
    assert found(org, "fiets", ranked=False) == [new, old]


def test_the_index_follows_updates_and_deletes(cast):
    org = cast.a.org
    mention = make_mention(org, "Een oude tekst")
    mention.text = "Een nieuwe tekst"
    mention.save(update_fields=["text"])
    assert found(org, "oude") == [] and found(org, "nieuwe") == [mention]
    # Enrichment updates other columns in bulk: the text stays findable.
    Mention.objects.filter(pk=mention.pk).update(sentiment="negative", is_enriched=True)
    assert found(org, "nieuwe") == [mention]
    mention.delete()
    assert found(org, "nieuwe") == []


def test_the_index_triggers_survive_every_migration(cast):
    # Django rebuilds tables on SQLite for some schema changes, which drops triggers; a
    # migration that does so to listening_mention must call search.repair_index().
    assert missing_triggers() == []
    if connection.vendor != "sqlite":
        return
    # As after such a table rebuild: a trigger gone, rows written meanwhile unindexed.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER listening_mention_fts_insert")
    mention = make_mention(cast.a.org, "Herbouwd")
    assert missing_triggers() == ["listening_mention_fts_insert"]
    assert found(cast.a.org, "herbouwd") == []
    repair_index()
    assert missing_triggers() == []
    assert found(cast.a.org, "herbouwd") == [mention]
    later = make_mention(cast.a.org, "Herbouwd en later")
    assert set(found(cast.a.org, "herbouwd")) == {mention, later}


@postgres_only
def test_dutch_and_english_word_forms(cast):
    org = cast.a.org
    dutch = make_mention(org, "Twee klachten over de bestellingen bij het station")
    english = make_mention(org, "My bike was stolen at the station")
    assert found(org, "klacht bestelling") == [dutch]
    assert found(org, "bikes") == [english]
    assert set(found(org, "stations")) == {dutch, english}


def test_fts5_expression_quotes_every_word():
    assert fts5_query("fiets kapot") == '"fiets" AND "kapot"'
    assert fts5_query('"fiets kapot" -snel') == '("fiets kapot") NOT ("snel")'
    assert fts5_query("a or b c") == '"a" OR ("b" AND "c")'
    assert fts5_query('AND( " NEAR') == '"AND" AND "NEAR"'
    assert fts5_query("e-bike") == '"e bike"'
    assert fts5_query("-") == fts5_query('"') == ""


def fts_is_consistent() -> bool:
    """SQLite: FTS5's own check that the index holds exactly the mentions' words."""
    from django.db.utils import DatabaseError

    with connection.cursor() as cursor:
        try:
            cursor.execute(
                "INSERT INTO listening_mention_fts(listening_mention_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )
        except DatabaseError:
            return False
    return True


def test_bulk_ingest_indexes_its_rows_once_and_other_writes_still_by_trigger(cast):
    from koers.listening.ingest import ingest
    from koers.platforms.base import RawMention

    org = cast.a.org
    source = Source.objects.create(organisation=org, kind=SourceKind.PUSH, name="Bulk")
    when = datetime(2026, 3, 1, tzinfo=UTC)
    before = make_mention(org, "Voor de bulk een fietsbel")
    raws = [RawMention(f"b{n}", f"Bulk fietsbel nummer {n}", when, title="Bel") for n in range(5)]
    assert ingest(source, raws[:3], chunk_size=2).created == 3
    # Duplicates are skipped by the insert and not indexed a second time.
    assert ingest(source, raws, chunk_size=2).created == 2
    after = make_mention(org, "Na de bulk een fietsbel")
    bulk = set(Mention.objects.filter(source=source, external_id__startswith="b"))
    assert len(bulk) == 5
    assert set(found(org, "fietsbel")) == {before, after, *bulk}
    assert set(found(org, "bulk nummer")) == bulk
    # The bulk rows follow updates and deletes like any other.
    first = Mention.objects.get(source=source, external_id="b0")
    first.text = "Een toeter"
    first.save(update_fields=["text"])
    Mention.objects.filter(source=source, external_id="b1").delete()
    assert len(found(org, "bulk nummer")) == 3 and found(org, "toeter") == [first]
    if connection.vendor == "sqlite":
        assert fts_is_consistent()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM listening_mention_fts_bulk")
            assert cursor.fetchone()[0] == 0  # nothing left to skip other inserts


def test_an_ingest_that_fails_leaves_no_entry_behind(cast):
    if connection.vendor != "sqlite":
        return
    from django.db import transaction

    from koers.listening.search import index_bulk_chunk

    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        connection.cursor() as cursor,
        index_bulk_chunk(cursor, "2026-03-01 00:00:00"),
    ):
        raise RuntimeError("insert failed")
    # The entry went with the transaction: a mention with that fetch time is indexed.
    mention = make_mention(
        cast.a.org, "Gewoon gevonden", fetched_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert found(cast.a.org, "gewoon") == [mention]
    assert fts_is_consistent()

"""Full-text search over mentions, one interface for SQLite and PostgreSQL.

``search(Mention.objects.for_org(org), "fietsen kapot")`` returns the queryset filtered
to matching mentions, best match first (``ranked=False`` keeps the queryset's own order,
newest first, which is cheaper for very common words).

The search text follows the web search convention on both databases: words must all
occur, ``"a phrase"`` in that order, ``-word`` excludes, ``or`` between words offers a
choice. It never reaches the SQL as SQL: on PostgreSQL it is a parameter to
``websearch_to_tsquery`` (which accepts any text); for SQLite FTS5 it is parsed here and
every word is written as a quoted FTS5 string, so input such as ``"`` or ``AND(`` is
searched for as words and cannot break the MATCH syntax.

- SQLite: an FTS5 external-content table (``listening_mention_fts``, migration 0003)
  with the unicode61 tokenizer and ``remove_diacritics 2``: case and accents are folded
  ("cafe" finds "café"), words are not stemmed. Triggers keep it in step: every
  insert, update of text, title or author, and delete, whatever code writes it (the
  ORM, the demo, tests, a SQL shell).

  Bulk ingest (``koers.listening.ingest``) is the one exception, because indexing row
  by row from a trigger costs more than the insert itself: it fills the index once per
  chunk with ``INSERT … SELECT``. SQLite cannot switch a trigger off, so the insert
  trigger carries a condition instead (migration 0004): it skips a row whose
  ``fetched_at`` is listed in ``listening_mention_fts_bulk``. Ingest, in one write
  transaction per chunk, lists its chunk's fetch time (unique per chunk), inserts the
  rows, removes the entry and indexes the rows inserted with that fetch time (ids
  above the largest before the insert). The table is empty outside that transaction,
  and SQLite has one writer at a time, so no other write can be skipped by it: every
  other insert is indexed by the trigger as before, and a crash rolls the entry back
  with the rows. ``index_bulk_chunk`` is the bulk path's only door.
- PostgreSQL: a stored generated ``tsvector`` column, ``search_document``, combining
  the Dutch and the English configuration (with unaccent), and one GIN index. We chose
  a generated column over two expression indexes because one ``@@`` on one index
  serves both languages, and ranking reads the stored vector instead of parsing every
  matching text again (ranking is what makes common words slow). The price is disk: the
  vector is stored beside the text. Both languages' stems are in one vector, so
  "fietsen" finds "fiets" (Dutch) and "bikes" finds "bike" (English), whatever language
  the mention is in.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "listening_mention_fts"
# Fetch times of bulk chunks being inserted (only ever inside their transaction).
BULK_TABLE = "listening_mention_fts_bulk"
# Words as the unicode61 tokenizer sees them: letters and digits (accents included).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A phrase in double quotes, or a run of other characters.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def search(queryset: QuerySet, text: str, *, ranked: bool = True) -> QuerySet:
    """``queryset`` (of Mention) narrowed to mentions matching ``text``; best match
    first unless ``ranked`` is false. Text without any word matches nothing."""
    text = (text or "").replace("\x00", " ")  # PostgreSQL refuses NUL in text
    if connection.vendor == "postgresql":
        return _search_postgres(queryset, text, ranked=ranked)
    if connection.vendor == "sqlite":
        return _search_sqlite(queryset, text, ranked=ranked)
    raise NotImplementedError(f"No full-text search for {connection.vendor}.")


# --- SQLite FTS5 ---------------------------------------------------------------------


def _fts_string(words: list[str]) -> str:
    # Words come from _WORD, so they hold no quote; quoting still makes every word a
    # plain string to FTS5 (AND, OR, NOT, NEAR and column names lose their meaning).
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


def fts5_query(text: str) -> str:
    """The web-search text as a safe FTS5 MATCH expression ("" when it has no word).

    ``a b`` → both; ``"a b"`` → the phrase; ``-a`` → not a; ``a or b`` → either."""
    groups: list[list[str]] = [[]]  # OR of AND-groups
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negative, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or":
            pending_or = bool(groups[-1])
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negative, bare = "-", bare[1:]
        words = _WORD.findall(phrase if bare is None else bare)
        if not words:
            continue
        if negative:
            excluded.append(_fts_string(words))
            continue
        # A bare word with punctuation inside ("e-bike", "o'neill") is a phrase of its
        # parts, as the tokenizer indexed it.
        term = _fts_string(words)
        if pending_or:
            groups.append([term])
            pending_or = False
        else:
            groups[-1].append(term)
    groups = [group for group in groups if group]
    if not groups:
        return ""
    expression = " OR ".join(
        "(" + " AND ".join(group) + ")"
        if len(group) > 1 and len(groups) > 1
        else " AND ".join(group)
        for group in groups
    )
    if excluded:
        # FTS5's NOT is binary: "(wanted) NOT (unwanted OR unwanted)".
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


def _search_sqlite(queryset: QuerySet, text: str, *, ranked: bool) -> QuerySet:
    expression = fts5_query(text)
    if not expression:
        return queryset.none()
    matching = RawSQL(
        "SELECT rowid FROM listening_mention_fts WHERE listening_mention_fts MATCH %s",
        (expression,),
    )
    queryset = queryset.filter(pk__in=matching)
    if not ranked:
        return queryset
    # bm25: lower is better; the title counts double, the author half.
    rank = RawSQL(
        "SELECT bm25(listening_mention_fts, 1.0, 2.0, 0.5) FROM listening_mention_fts "
        'WHERE listening_mention_fts MATCH %s AND rowid = "listening_mention"."id"',
        (expression,),
        output_field=FloatField(),
    )
    return queryset.annotate(search_rank=rank).order_by("search_rank", "-published_at", "-pk")


# --- PostgreSQL ------------------------------------------------------------------------

# The SQL below is constant: the user's text only ever travels as the %s parameters.


def _search_postgres(queryset: QuerySet, text: str, *, ranked: bool) -> QuerySet:
    if not _WORD.search(text):
        return queryset.none()
    matches = RawSQL(
        '"listening_mention"."search_document" @@ '
        "(websearch_to_tsquery('koers_dutch'::regconfig, %s) "
        "|| websearch_to_tsquery('koers_english'::regconfig, %s))",
        (text, text),
        output_field=BooleanField(),
    )
    queryset = queryset.filter(matches)
    if not ranked:
        return queryset
    rank = RawSQL(
        'ts_rank_cd("listening_mention"."search_document", '
        "websearch_to_tsquery('koers_dutch'::regconfig, %s) "
        "|| websearch_to_tsquery('koers_english'::regconfig, %s))",
        (text, text),
        output_field=FloatField(),
    )
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-pk")


# --- maintenance -----------------------------------------------------------------------

_SQLITE_TRIGGERS = {
    "listening_mention_fts_insert": """CREATE TRIGGER listening_mention_fts_insert AFTER INSERT
        ON listening_mention
        WHEN NOT EXISTS (SELECT 1 FROM listening_mention_fts_bulk
            WHERE fetched_at = new.fetched_at)
        BEGIN
        INSERT INTO listening_mention_fts(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END""",
    "listening_mention_fts_delete": """CREATE TRIGGER listening_mention_fts_delete AFTER DELETE
        ON listening_mention BEGIN
        INSERT INTO listening_mention_fts(listening_mention_fts, rowid, text, title,
            author) VALUES ('delete', old.id, old.text, old.title, old.author);
    END""",
    "listening_mention_fts_update": """CREATE TRIGGER listening_mention_fts_update
        AFTER UPDATE OF text, title, author ON listening_mention BEGIN
        INSERT INTO listening_mention_fts(listening_mention_fts, rowid, text, title,
            author) VALUES ('delete', old.id, old.text, old.title, old.author);
        INSERT INTO listening_mention_fts(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END""",
}


def missing_triggers() -> list[str]:
    """SQLite: the index triggers that are not there. Django rebuilds a table on SQLite
    for some schema changes (copy, drop, rename), which drops its triggers: a later
    migration that does so to listening_mention must call ``repair_index()``."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ("listening_mention",),
        )
        present = {row[0] for row in cursor.fetchall()}
    return sorted(set(_SQLITE_TRIGGERS) - present)


def repair_index() -> None:
    """Recreate missing SQLite triggers and rebuild the FTS5 index from the mentions.
    On PostgreSQL the generated column needs no care."""
    if connection.vendor != "sqlite":
        return
    missing = missing_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BULK_TABLE} (fetched_at TEXT PRIMARY KEY) WITHOUT ROWID"
        )
        for name in missing:
            cursor.execute(_SQLITE_TRIGGERS[name])
        cursor.execute(
            "INSERT INTO listening_mention_fts(listening_mention_fts) VALUES ('rebuild')"
        )


class index_bulk_chunk:
    """Around the insert of one bulk chunk whose rows all carry the fetch time
    ``fetched_at`` (as stored: the backend's adapted value), inside a transaction: on
    SQLite the insert trigger skips those rows and they are indexed in one statement on
    leaving; ``created`` is then the number of rows the chunk inserted. Elsewhere it
    does nothing (``created`` stays None)."""

    def __init__(self, cursor, fetched_at) -> None:
        self.cursor, self.fetched_at, self.created = cursor, fetched_at, None
        self.active = connection.vendor == "sqlite"

    def __enter__(self):
        if self.active:
            if not connection.in_atomic_block:
                raise RuntimeError("index_bulk_chunk needs a transaction")
            self.cursor.execute("SELECT coalesce(max(id), 0) FROM listening_mention")
            self.before = self.cursor.fetchone()[0]
            self.cursor.execute(
                f"INSERT INTO {BULK_TABLE} (fetched_at) VALUES (%s)",  # noqa: S608
                (self.fetched_at,),
            )
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if not self.active or kind is not None:
            return  # the transaction rolls the entry back with the rows
        self.cursor.execute(
            f"DELETE FROM {BULK_TABLE} WHERE fetched_at = %s",  # noqa: S608
            (self.fetched_at,),
        )
        self.cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, text, title, author) "  # noqa: S608
            "SELECT id, text, title, author FROM listening_mention "
            "WHERE id > %s AND fetched_at = %s",
            (self.before, self.fetched_at),
        )
        self.cursor.execute(
            "SELECT count(*) FROM listening_mention WHERE id > %s AND fetched_at = %s",
            (self.before, self.fetched_at),
        )
        self.created = self.cursor.fetchone()[0]


def optimize_index() -> None:
    """Merge the SQLite index's segments (worth doing after a large import)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO listening_mention_fts(listening_mention_fts) VALUES ('optimize')"
        )

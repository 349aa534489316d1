# SQLite: bulk ingest fills the FTS5 index once per chunk instead of once per row.
#
# The insert trigger now skips rows whose fetched_at is listed in
# listening_mention_fts_bulk, a table that is empty outside a bulk ingest's own
# transaction: koers.listening.ingest lists its chunk's fetch time there, inserts the
# chunk, removes the entry and indexes the chunk's new rows with one INSERT … SELECT,
# all in one write transaction (SQLite has one writer at a time, so no other connection
# ever sees the entry). Every other write keeps the trigger as before. See search.py.
#
# PostgreSQL: nothing to do (its generated column needs no trigger).

from django.db import migrations

FTS_TABLE = "listening_mention_fts"
BULK_TABLE = "listening_mention_fts_bulk"

# As search._SQLITE_TRIGGERS (copied: a migration must not change when that does).
NEW_INSERT_TRIGGER = """CREATE TRIGGER listening_mention_fts_insert
    AFTER INSERT ON listening_mention
    WHEN NOT EXISTS (SELECT 1 FROM listening_mention_fts_bulk WHERE fetched_at = new.fetched_at)
    BEGIN
        INSERT INTO listening_mention_fts(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END"""

OLD_INSERT_TRIGGER = """CREATE TRIGGER listening_mention_fts_insert
    AFTER INSERT ON listening_mention
    BEGIN
        INSERT INTO listening_mention_fts(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BULK_TABLE} (fetched_at TEXT PRIMARY KEY) WITHOUT ROWID"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert")
        cursor.execute(NEW_INSERT_TRIGGER)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert")
        cursor.execute(OLD_INSERT_TRIGGER)
        cursor.execute(f"DROP TABLE IF EXISTS {BULK_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0003_mention_search"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

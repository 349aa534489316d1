# Full-text search over mentions (koers.listening.search), one way per database:
#
# SQLite: an FTS5 external-content table over listening_mention(text, title, author)
# with the unicode61 tokenizer (remove_diacritics 2: "cafe" finds "café"), kept in step
# by triggers. The update trigger fires only when text, title or author change, so the
# enrichment batch (which updates sentiment, category… in bulk) never touches the index.
#
# PostgreSQL: a stored generated tsvector column combining a Dutch and an English
# configuration (both with unaccent), with one GIN index. See search.py for why a
# generated column rather than two expression indexes. The author is split on
# punctuation first ("@fietsfan@mastodon.social" → fietsfan mastodon social), as FTS5
# does, so a handle is found by its name.

from django.db import migrations

FTS_TABLE = "listening_mention_fts"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text, title, author,
        content='listening_mention', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2"
    )""",
    f"""CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON listening_mention BEGIN
        INSERT INTO {FTS_TABLE}(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON listening_mention BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, title, author)
        VALUES ('delete', old.id, old.text, old.title, old.author);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF text, title, author
        ON listening_mention BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, title, author)
        VALUES ('delete', old.id, old.text, old.title, old.author);
        INSERT INTO {FTS_TABLE}(rowid, text, title, author)
        VALUES (new.id, new.text, new.title, new.author);
    END""",
    # Mentions stored before this migration.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _postgres_configurations(cursor) -> list[str]:
    """koers_dutch and koers_english: the built-in configurations with accents folded
    when the unaccent extension can be had (it is a trusted extension since
    PostgreSQL 13, so a database owner may install it)."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    has_unaccent = cursor.fetchone() is not None
    if has_unaccent:
        cursor.execute("SAVEPOINT koers_unaccent")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT koers_unaccent")
            has_unaccent = False
        else:
            cursor.execute("RELEASE SAVEPOINT koers_unaccent")
    statements = []
    for name, base in (("koers_dutch", "dutch"), ("koers_english", "english")):
        statements.append(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        statements.append(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base})")
        if has_unaccent:
            statements.append(
                f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                f"hword, hword_part, word WITH unaccent, {base}_stem"
            )
    return statements


POSTGRES_COLUMN = """
    ALTER TABLE listening_mention ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('koers_dutch'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('koers_dutch'::regconfig, coalesce(text, '')), 'B')
        || setweight(to_tsvector('koers_english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('koers_english'::regconfig, coalesce(text, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig,
            regexp_replace(coalesce(author, ''), '[^[:alnum:]]+', ' ', 'g')), 'C')
    ) STORED
"""

POSTGRES_INDEX = (
    "CREATE INDEX listening_mention_search ON listening_mention USING gin (search_document)"
)


def create_search(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_CREATE:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for statement in [*_postgres_configurations(cursor), POSTGRES_COLUMN, POSTGRES_INDEX]:
                cursor.execute(statement)


def drop_search(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS listening_mention_search")
            cursor.execute("ALTER TABLE listening_mention DROP COLUMN IF EXISTS search_document")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS koers_dutch")
            cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS koers_english")


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0002_importjob"),
    ]

    operations = [
        migrations.RunPython(create_search, drop_search),
    ]

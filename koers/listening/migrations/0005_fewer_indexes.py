# Fewer indexes on mentions and their matches: each is written for every one of
# thousands of mentions a second (see the models). The organisation and source
# foreign keys lose their own index (indexes below start with them), the enrichment
# queue and duplicates are indexed only where they apply, and sentiment and category
# are no longer indexed (lists filter them within the organisation's newest mentions).
#
# SQLite rebuilds a table to change a column's index, and the full-text triggers on
# listening_mention (migrations 0003 and 0004) go with the old table, so they are
# made again at the end. The index itself is keyed by id, which the rebuild keeps.

import django.db.models.deletion
from django.db import migrations, models

FTS_TABLE = "listening_mention_fts"

# The triggers as migrations 0003 and 0004 left them (copied: a migration must not
# change when search.py does).
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {FTS_TABLE}_insert
    AFTER INSERT ON listening_mention
    WHEN NOT EXISTS (SELECT 1 FROM listening_mention_fts_bulk WHERE fetched_at = new.fetched_at)
    BEGIN
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
]


def restore_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("listening", "0004_mention_search_bulk"),
        ("orgs", "0002_invitation_claimed_at"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="mention",
            name="listening_m_organis_c374f5_idx",
        ),
        migrations.RemoveIndex(
            model_name="mention",
            name="listening_m_organis_b9d367_idx",
        ),
        migrations.RemoveIndex(
            model_name="mention",
            name="listening_m_organis_5edf2b_idx",
        ),
        migrations.RemoveIndex(
            model_name="mentionmatch",
            name="listening_m_organis_08b7b1_idx",
        ),
        migrations.AlterField(
            model_name="mention",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="duplicates",
                to="listening.mention",
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="mentions",
                to="orgs.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="source",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="mentions",
                to="listening.source",
            ),
        ),
        migrations.AlterField(
            model_name="mentionmatch",
            name="mention",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="matches",
                to="listening.mention",
            ),
        ),
        migrations.AlterField(
            model_name="mentionmatch",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="orgs.organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("is_enriched", False)),
                fields=["id"],
                name="mention_pending",
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("is_enriched", False)),
                fields=["organisation", "id"],
                name="mention_pending_org",
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)),
                fields=["duplicate_of"],
                name="mention_duplicate_of",
            ),
        ),
        # Both ways: undoing the field changes rebuilds the table again.
        migrations.RunPython(restore_triggers, restore_triggers),
    ]

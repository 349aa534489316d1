"""File import: every format with real or realistic samples, the mapping step, the dry
run with errors per row, "import the valid rows", the size limit and the worker job."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from koers.listening.imports import (
    FileRefused,
    check_size,
    detect_format,
    import_source,
    import_table,
    open_table,
    parse_date,
    preview,
    preview_job,
    stage_upload,
    start_import,
    suggest_mapping,
    suggested_mapping,
)
from koers.listening.imports.jobs import imports_dir
from koers.listening.models import ImportJob, ImportStatus, Mention
from koers.orgs.capabilities import Role
from koers.tests.needs import shared_data

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
X_ARCHIVE = ("platforms", "twitter_archive", "tweets.js")

# What Excel on a Dutch Windows writes for "CSV (gescheiden door lijstscheidingsteken)":
# cp1252, semicolons, DD-MM-YYYY HH:MM.
DUTCH_CSV = (
    "Datum;Auteur;Bericht;Link;Volgers\r\n"
    "02-03-2026 09:15;@jan;Café De Fiets rekent € 4,50 voor koffie. Duur!;"
    "https://mastodon.social/@jan/1;1.250\r\n"
    '03-03-2026 14:02;@els;"Reactie op de prijs; ""belachelijk"" vind ik het";'
    "https://mastodon.social/@els/2;87\r\n"
    ";;\r\n"
    "04/03/2026 08:00;@piet;Snelle levering, één dag! 👍 niet in cp1252;;0\r\n"
).replace("👍 niet in cp1252", "top")


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def source_of(org, name="Import"):
    return import_source(org, name)


# --- CSV -------------------------------------------------------------------------------


def test_dutch_excel_csv_in_cp1252_with_semicolons(tmp_path, cast):
    path = write(tmp_path, "export.csv", DUTCH_CSV.encode("cp1252"))
    table = open_table(path, detect_format(path))
    assert (table.format, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
    assert table.columns == ["Datum", "Auteur", "Bericht", "Link", "Volgers"]
    mapping = suggest_mapping(table.columns)
    assert mapping == {
        "published_at": "Datum",
        "author": "Auteur",
        "text": "Bericht",
        "url": "Link",
        "author_reach": "Volgers",
    }
    outcome = import_table(table, mapping, source_of(cast.a.org))
    assert (outcome.created, outcome.duplicates, outcome.error_count) == (3, 0, 0)
    cafe = Mention.objects.get(author="@jan")
    assert cafe.text == "Café De Fiets rekent € 4,50 voor koffie. Duur!"
    assert cafe.published_at == datetime(2026, 3, 2, 9, 15, tzinfo=AMSTERDAM)
    assert cafe.author_reach == 1250
    quoted = Mention.objects.get(author="@els")
    assert quoted.text == 'Reactie op de prijs; "belachelijk" vind ik het'
    assert Mention.objects.get(author="@piet").published_at.date().isoformat() == "2026-03-04"


def test_utf8_csv_with_bom_and_commas(tmp_path, cast):
    content = "\ufeffdate,author,text,url,id\n2026-03-05T10:00:00Z,@anna,Great service 😀,,A-1\n"
    path = write(tmp_path, "mentions.csv", content.encode("utf-8"))
    table = open_table(path, "csv")
    assert (table.encoding, table.delimiter, table.columns[0]) == ("utf-8-sig", ",", "date")
    outcome = import_table(table, suggest_mapping(table.columns), source_of(cast.a.org))
    assert outcome.created == 1
    mention = Mention.objects.get()
    assert (mention.external_id, mention.text) == ("A-1", "Great service 😀")
    assert mention.published_at == datetime(2026, 3, 5, 10, tzinfo=UTC)


def test_importing_the_same_file_twice_stores_it_once(tmp_path, cast):
    # No id column: the external id is a stable hash of (author, date, text).
    path = write(tmp_path, "export.csv", DUTCH_CSV.encode("cp1252"))
    source = source_of(cast.a.org)
    for expected in ((3, 0), (0, 3)):
        table = open_table(path, "csv")
        outcome = import_table(table, suggest_mapping(table.columns), source)
        assert (outcome.created, outcome.duplicates) == expected
    assert Mention.objects.count() == 3


# --- the mapping step and the dry run --------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["Bericht", "Datum", "Auteur", "Link"],
            {"text": "Bericht", "published_at": "Datum", "author": "Auteur", "url": "Link"},
        ),
        (
            ["Publicatiedatum", "Naam", "Gebruikersnaam", "Tekst", "Titel", "Taal", "Land"],
            {
                "published_at": "Publicatiedatum",
                "author_name": "Naam",
                "author": "Gebruikersnaam",
                "text": "Tekst",
                "title": "Titel",
                "language": "Taal",
                "country": "Land",
            },
        ),
        (
            ["Date", "Author", "Hit Sentence", "URL", "Tweet Id", "Reach"],
            {
                "published_at": "Date",
                "author": "Author",
                "text": "Hit Sentence",
                "url": "URL",
                "external_id": "Tweet Id",
                "author_reach": "Reach",
            },
        ),
        (["Datum bericht", "Kolom 2"], {"published_at": "Datum bericht"}),
    ],
)
def test_mapping_suggestions(columns, expected):
    assert suggest_mapping(columns) == expected


BAD_CSV = (
    "Datum;Auteur;Bericht;Link\n"
    "01-03-2026;@a;Goed geholpen;https://example.nl/1\n"
    "31-02-2026;@b;Slecht geholpen;https://example.nl/2\n"
    "02-03-2026;@c;;https://example.nl/3\n"
    "03-03-2026;@d;Link kapot;example\n"
)


def test_dry_run_lists_errors_per_row_and_stores_nothing(tmp_path, cast):
    path = write(tmp_path, "fout.csv", BAD_CSV)
    table = open_table(path, "csv")
    result = preview(table, suggest_mapping(table.columns), time_zone=AMSTERDAM)
    assert (result.total_rows, result.valid_rows, result.error_count) == (4, 1, 3)
    messages = [str(error) for error in result.errors]
    assert messages[0] == (
        "Row 3, column Datum: '31-02-2026' is not a date; use DD-MM-YYYY or YYYY-MM-DD"
    )
    assert messages[1].startswith("Row 4, column Bericht: there is no text;")
    assert messages[2].startswith("Row 5, column Link: 'example' is not a web address;")
    assert [m.text for m in result.sample] == ["Goed geholpen"]
    assert not Mention.objects.exists()

    outcome = import_table(table, suggest_mapping(table.columns), source_of(cast.a.org))
    assert outcome.imported is False and outcome.error_count == 3
    assert not Mention.objects.exists(), "a file with errors imports nothing by default"


def test_import_valid_rows_stores_the_good_ones(tmp_path, cast):
    path = write(tmp_path, "fout.csv", BAD_CSV)
    table = open_table(path, "csv")
    outcome = import_table(
        table, suggest_mapping(table.columns), source_of(cast.a.org), import_valid_rows=True
    )
    assert outcome.imported and outcome.created == 1 and outcome.error_count == 3
    assert list(Mention.objects.values_list("text", flat=True)) == ["Goed geholpen"]


def test_a_mapping_without_text_is_refused(tmp_path):
    from koers.listening.imports import MappingRefused

    table = open_table(write(tmp_path, "a.csv", BAD_CSV), "csv")
    with pytest.raises(MappingRefused):
        preview(table, {"published_at": "Datum"})
    with pytest.raises(MappingRefused):
        preview(table, {"text": "Niet er"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31-03-2026", datetime(2026, 3, 31, tzinfo=AMSTERDAM)),
        ("31/03/2026 14:05", datetime(2026, 3, 31, 14, 5, tzinfo=AMSTERDAM)),
        ("1-3-2026 9:05:07", datetime(2026, 3, 1, 9, 5, 7, tzinfo=AMSTERDAM)),
        ("31.03.2026", datetime(2026, 3, 31, tzinfo=AMSTERDAM)),
        ("2026-03-31", datetime(2026, 3, 31, tzinfo=AMSTERDAM)),
        ("2026-03-31T14:05:00Z", datetime(2026, 3, 31, 14, 5, tzinfo=UTC)),
        ("2026-03-31 14:05:00+02:00", datetime(2026, 3, 31, 12, 5, tzinfo=UTC)),
        ("Tue, 31 Mar 2026 12:05:00 GMT", datetime(2026, 3, 31, 12, 5, tzinfo=UTC)),
        ("31-02-2026", None),
        ("03/31/2026", None),
        ("gisteren", None),
        ("", None),
    ],
)
def test_dates_in_dutch_forms_and_iso(value, expected):
    assert parse_date(value, AMSTERDAM) == expected


# --- XLSX, JSON, JSONL -----------------------------------------------------------------


def test_xlsx_with_date_cells(tmp_path, cast):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Datum", "Auteur", "Bericht", "Bericht-ID"])
    sheet.append([datetime(2026, 3, 2, 9, 15), "@jan", "Mooie winkel in Zwolle", 1234567])
    sheet.append([None, None, None, None])
    sheet.append(["03-03-2026", "@els", "Wanneer gaan jullie open?", 1234568])
    path = tmp_path / "export.xlsx"
    workbook.save(path)

    table = open_table(path, detect_format(path))
    assert table.columns == ["Datum", "Auteur", "Bericht", "Bericht-ID"]
    mapping = suggest_mapping(table.columns)
    assert mapping["external_id"] == "Bericht-ID"
    outcome = import_table(table, mapping, source_of(cast.a.org))
    assert outcome.created == 2
    first = Mention.objects.get(external_id="1234567")
    assert first.published_at == datetime(2026, 3, 2, 9, 15, tzinfo=AMSTERDAM)


def test_json_list_with_nested_author(tmp_path, cast):
    items = [
        {
            "id": 1,
            "text": "Weer vertraging op het spoor",
            "created_at": "2026-03-02T08:00:00+01:00",
            "user": {"screen_name": "reiziger", "name": "Reiziger", "followers_count": 12},
            "lang": "nl",
        },
        {
            "id": 2,
            "text": "Train delayed again",
            "created_at": "2026-03-02T09:00:00+01:00",
            "user": {"screen_name": "traveller", "name": "T", "followers_count": 3},
            "lang": "en",
        },
    ]
    path = write(tmp_path, "export.json", json.dumps(items))
    table = open_table(path, detect_format(path))
    mapping = suggest_mapping(table.columns)
    assert mapping["author"] == "user.screen_name"
    assert mapping["author_reach"] == "user.followers_count"
    assert import_table(table, mapping, source_of(cast.a.org)).created == 2
    assert Mention.objects.get(external_id="2").language == "en"


def test_jsonl_with_a_broken_line(tmp_path, cast):
    lines = [
        json.dumps({"id": "a", "text": "Eerste", "date": "2026-03-01"}),
        "{niet: json",
        json.dumps({"id": "b", "text": "Tweede", "date": "2026-03-02"}),
    ]
    path = write(tmp_path, "export.jsonl", "\n".join(lines) + "\n")
    assert detect_format(path) == "jsonl"
    table = open_table(path, "jsonl")
    result = preview(table, suggest_mapping(table.columns))
    assert (result.valid_rows, result.error_count) == (2, 1)
    assert str(result.errors[0]).startswith("Row 2, column text: this line is not a JSON object")


def test_invalid_json_is_refused_as_a_whole(tmp_path):
    path = write(tmp_path, "kapot.json", '[{"text": "a"')
    with pytest.raises(FileRefused, match="not valid JSON"):
        open_table(path, "json")


# --- the X archive and a Mastodon outbox ----------------------------------------------


def test_real_x_archive(tmp_path, cast):
    archive = shared_data(*X_ARCHIVE)
    assert detect_format(archive) == "x_archive"
    table = open_table(archive, "x_archive")
    result = preview(table, suggest_mapping(table.columns))
    assert (result.total_rows, result.valid_rows, result.error_count) == (2045, 2045, 0)

    outcome = import_table(table, suggest_mapping(table.columns), source_of(cast.a.org))
    assert outcome.created == 2045
    tweet = Mention.objects.get(external_id="2029612798058148140")
    assert tweet.text.startswith("@KimDotcom > X is censored"), "X's &gt; is undone"
    assert tweet.published_at == datetime(2026, 3, 5, 17, 39, 34, tzinfo=UTC)
    assert tweet.url == "https://x.com/i/web/status/2029612798058148140"
    assert tweet.language == "en"
    assert Mention.objects.filter(language="").count() >= 68, "qme/und are no language"


# Hand-made, following ActivityStreams 2.0 as Mastodon exports it (outbox.json of an
# account archive): Create activities of Notes, and a boost (Announce) to be skipped.
MASTODON_OUTBOX = {
    "@context": "https://www.w3.org/ns/activitystreams",
    "id": "outbox.json",
    "type": "OrderedCollection",
    "totalItems": 3,
    "orderedItems": [
        {
            "id": "https://mastodon.nl/users/vandijk/statuses/111/activity",
            "type": "Create",
            "actor": "https://mastodon.nl/users/vandijk",
            "published": "2026-03-02T09:15:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": "https://mastodon.nl/users/vandijk/statuses/111",
                "type": "Note",
                "summary": None,
                "published": "2026-03-02T09:15:00Z",
                "url": "https://mastodon.nl/@vandijk/111",
                "attributedTo": "https://mastodon.nl/users/vandijk",
                "content": '<p>Nieuwe <a href="https://mastodon.nl/tags/fietsen" '
                'class="mention hashtag" rel="tag">#<span>fietsen</span></a> binnen!</p>'
                "<p>Kom langs &amp; proefrijden.<br />Tot zaterdag.</p>",
                "contentMap": {"nl": "<p>Nieuwe #fietsen binnen!</p>"},
                "tag": [
                    {
                        "type": "Hashtag",
                        "href": "https://mastodon.nl/tags/fietsen",
                        "name": "#fietsen",
                    }
                ],
            },
        },
        {
            "id": "https://mastodon.nl/users/vandijk/statuses/112/activity",
            "type": "Announce",
            "actor": "https://mastodon.nl/users/vandijk",
            "published": "2026-03-03T10:00:00Z",
            "object": "https://mastodon.social/users/iemand/statuses/999",
        },
        {
            "id": "https://mastodon.nl/users/vandijk/statuses/113/activity",
            "type": "Create",
            "actor": "https://mastodon.nl/users/vandijk",
            "published": "2026-03-04T12:00:00Z",
            "object": {
                "id": "https://mastodon.nl/users/vandijk/statuses/113",
                "type": "Note",
                "summary": "Prijzen",
                "published": "2026-03-04T12:00:00Z",
                "url": "https://mastodon.nl/@vandijk/113",
                "attributedTo": "https://mastodon.nl/users/vandijk",
                "content": "<p>Our prices go up in April.</p>",
                "contentMap": {"en": "<p>Our prices go up in April.</p>"},
            },
        },
    ],
}


def test_mastodon_outbox(tmp_path, cast):
    path = write(tmp_path, "outbox.json", json.dumps(MASTODON_OUTBOX))
    assert detect_format(path) == "mastodon_outbox"
    table = open_table(path, "mastodon_outbox")
    outcome = import_table(table, suggest_mapping(table.columns), source_of(cast.a.org))
    assert outcome.created == 2, "the boost is not the account's own post"
    first = Mention.objects.get(external_id="https://mastodon.nl/users/vandijk/statuses/111")
    assert first.text == "Nieuwe #fietsen binnen!\n\nKom langs & proefrijden.\nTot zaterdag."
    assert (first.author, first.language) == ("@vandijk@mastodon.nl", "nl")
    assert first.url == "https://mastodon.nl/@vandijk/111"
    assert Mention.objects.get(title="Prijzen").language == "en"


# --- the size limit and the job --------------------------------------------------------


class UnreadableUpload:
    """An upload that fails the test if anything reads it."""

    name = "groot.csv"
    size = 60 * 1024 * 1024

    def chunks(self):
        raise AssertionError("read before the size was checked")

    read = chunks


def test_a_file_over_the_limit_is_refused_before_it_is_read(cast, settings):
    settings.LISTENING_IMPORT_MAX_BYTES = 50 * 1024 * 1024
    before = set(imports_dir().iterdir())
    with pytest.raises(FileRefused, match="limit is 50 MB"):
        stage_upload(cast.a.org, UnreadableUpload(), by=cast.a[Role.OWNER])
    assert not ImportJob.objects.exists() and set(imports_dir().iterdir()) == before
    with pytest.raises(FileRefused):
        check_size(0)


def test_a_client_that_lies_about_the_size_is_stopped(cast, settings):
    settings.LISTENING_IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("a.csv", b"text\n" + b"x" * 500)
    upload.size = 10
    before = set(imports_dir().iterdir())
    with pytest.raises(FileRefused):
        stage_upload(cast.a.org, upload, by=cast.a[Role.OWNER])
    assert set(imports_dir().iterdir()) == before


def test_job_from_upload_to_import(cast, django_capture_on_commit_callbacks):
    owner = cast.a[Role.OWNER]
    upload = SimpleUploadedFile("export.csv", DUTCH_CSV.encode("cp1252"))
    job = stage_upload(cast.a.org, upload, by=owner)
    assert (job.status, job.format, job.filename) == (ImportStatus.DRAFT, "csv", "export.csv")
    stored = imports_dir() / job.stored_name
    assert stored.exists()

    _columns, mapping = suggested_mapping(job)
    assert mapping["text"] == "Bericht"
    dry = preview_job(job, mapping)
    assert dry.valid_rows == 3 and not Mention.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        start_import(
            job,
            mapping=mapping,
            import_valid_rows=False,
            source=import_source(cast.a.org, "Excel maart"),
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert (job.total_rows, job.processed_rows, job.created, job.duplicates) == (3, 3, 3, 0)
    assert job.percent == 100 and job.finished_at and job.stored_name == ""
    assert not stored.exists(), "the upload is deleted after the job"
    assert Mention.objects.filter(source__name="Excel maart", organisation=cast.a.org).count() == 3


def test_job_with_errors_is_refused_and_its_file_deleted(cast, django_capture_on_commit_callbacks):
    job = stage_upload(
        cast.a.org, SimpleUploadedFile("fout.csv", BAD_CSV.encode()), by=cast.a[Role.OWNER]
    )
    stored = imports_dir() / job.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        start_import(
            job,
            mapping=suggested_mapping(job)[1],
            import_valid_rows=False,
            source=import_source(cast.a.org, "Fout"),
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.REFUSED and job.error_count == 3
    assert job.errors[0]["row"] == 3 and "is not a date" in job.errors[0]["message"]
    assert not Mention.objects.exists() and not stored.exists()


def test_progress_is_reported_per_chunk(tmp_path, cast):
    lines = ["id;Bericht;Datum"] + [f"{n};Bericht nummer {n};01-03-2026" for n in range(2500)]
    path = write(tmp_path, "groot.csv", "\n".join(lines))
    table = open_table(path, "csv")
    seen = []
    outcome = import_table(
        table,
        suggest_mapping(table.columns),
        source_of(cast.a.org),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert outcome.created == 2500
    importing = [(done, total) for stage, done, total in seen if stage == "importing"]
    assert importing[0] == (1000, 2500) and importing[-1] == (2500, 2500)
    assert ("checking", 2000, 0) in seen


def test_old_excel_files_are_refused_with_advice(tmp_path):
    path = write(tmp_path, "oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(FileRefused, match=r"\.xlsx or \.csv"):
        detect_format(path)


def test_the_file_is_read_and_checked_once(tmp_path, cast, monkeypatch):
    from koers.listening.imports import core

    lines = ["id;Bericht;Datum"] + [f"{n};Bericht nummer {n};01-03-2026" for n in range(25)]
    lines.append("25;;01-03-2026")  # no text: an error
    table = open_table(write(tmp_path, "eenmaal.csv", "\n".join(lines)), "csv")
    converted = []
    convert_row = core.convert_row
    monkeypatch.setattr(
        core,
        "convert_row",
        lambda number, *a, **k: converted.append(number) or convert_row(number, *a, **k),
    )
    outcome = import_table(
        table,
        suggest_mapping(table.columns),
        source_of(cast.a.org),
        import_valid_rows=True,
        chunk_size=10,
    )
    assert outcome.created == 25 and outcome.error_count == 1 and outcome.imported
    assert len(converted) == 26 == len(set(converted))
    assert Mention.objects.count() == 25

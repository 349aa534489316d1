"""Ingest: raw mentions from any source (a client, the push API, a file) into the
database, in bulk, unenriched.

The same mention arriving twice is stored once: (source, external id) is unique and
rows that already exist are skipped by the database (``ignore_conflicts``), so two
ingests of the same source may run at once. The counts are exact: every chunk is
inserted with a fetch time of its own, and the rows carrying it afterwards are the ones
this chunk created. Enrichment picks the rows up later (``is_enriched`` false), so a
crash between ingest and enrichment loses nothing.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import islice
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from koers.listening.models import Mention, Source
from koers.listening.search import index_bulk_chunk
from koers.platforms.base import RawMention

CHUNK_SIZE = 1000
# Longer than any post; RSS items can carry whole articles.
MAX_TEXT = 20_000
# Platform hints that say "no language" rather than naming one (X uses these).
NO_LANGUAGE = {"und", "qme", "qam", "qht", "qst", "zxx", "mul"}


@dataclass(frozen=True)
class IngestResult:
    created: int = 0
    duplicates: int = 0

    def __add__(self, other: IngestResult) -> IngestResult:
        return IngestResult(self.created + other.created, self.duplicates + other.duplicates)


def ingest(
    source: Source,
    raws: Iterable[RawMention],
    *,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[IngestResult], None] | None = None,
) -> IngestResult:
    """Store ``raws`` as mentions of ``source`` (and its organisation), in chunks of
    ``chunk_size``, each in its own transaction. ``progress`` is called after every
    chunk with the totals so far. Adds the created count to ``source.fetched_total``."""
    total = IngestResult()
    iterator = iter(raws)
    while chunk := list(islice(iterator, chunk_size)):
        total += _ingest_chunk(source, chunk)
        if progress is not None:
            progress(total)
    return total


_marker_lock = threading.Lock()
_last_marker: datetime | None = None


def _chunk_marker() -> datetime:
    """A fetch time no other chunk of this process uses (microsecond resolution)."""
    global _last_marker
    with _marker_lock:
        now = timezone.now()
        if _last_marker is not None and now <= _last_marker:
            now = _last_marker + timedelta(microseconds=1)
        _last_marker = now
        return now


def _ingest_chunk(source: Source, chunk: list[RawMention]) -> IngestResult:
    marker = _chunk_marker()
    rows = [mention_values(source, raw, fetched_at=marker) for raw in chunk]
    sql, params, stored_marker = _insert_statement(rows, marker)
    with transaction.atomic():
        with connection.cursor() as cursor, index_bulk_chunk(cursor, stored_marker) as bulk:
            cursor.executemany(sql, params)
        created = bulk.created
        if created is None:
            ids = {row["external_id"] for row in rows}
            created = Mention.objects.filter(
                source=source, external_id__in=ids, fetched_at=marker
            ).count()
        if created:
            Source.objects.filter(pk=source.pk).update(fetched_total=F("fetched_total") + created)
    source.fetched_total += created
    return IngestResult(created=created, duplicates=len(rows) - created)


def _insert_statement(rows: list[dict], marker: datetime) -> tuple[str, list[tuple], object]:
    """One ``INSERT … ON CONFLICT DO NOTHING`` for all rows (SQLite and PostgreSQL both
    speak it), its parameters, and the fetch time as stored. This is
    ``bulk_create(ignore_conflicts=True)`` without building a model instance and
    compiling SQL per row, which cost more than the insert itself (see
    benchmarks/listening_pipeline.py). Every row has the keys of ``mention_values``;
    per row only the values that need the backend's adaptation (dates, JSON) are
    converted, the fetch time (the chunk's) once, and the other columns take their
    defaults as constants."""
    sql, names, converted, defaults, marker_at, fetched_at = _insert_plan(tuple(rows[0]))
    stored_marker = fetched_at(marker)
    pick = itemgetter(*names)
    params = []
    append = params.append
    for row in rows:
        values = list(pick(row))
        for position, convert in converted:
            values[position] = convert(values[position])
        if marker_at is not None:
            values[marker_at] = stored_marker
        append((*values, *defaults))
    return sql, params, stored_marker


_PLAN: dict[tuple, tuple] = {}


def _insert_plan(names: tuple[str, ...]):
    """For rows with the attributes ``names``: the INSERT (those columns, then the
    rest with their defaults), which positions need converting and how (dates and JSON
    need the backend's adaptation), the defaults as the database takes them, the
    position of the fetch time (the chunk's, converted once) and its converter."""
    key = (connection.vendor, names)
    if key not in _PLAN:
        fields = {field.attname: field for field in Mention._meta.concrete_fields}
        given = [fields[name] for name in names]
        rest = [
            field
            for field in Mention._meta.concrete_fields
            if not field.primary_key and field.attname not in names
        ]
        converted = []
        marker_at, fetched_at = None, _converter(fields["fetched_at"])
        for position, field in enumerate(given):
            convert = _converter(field)
            if field.attname == "fetched_at":
                marker_at = position
            elif convert is not _same:
                converted.append((position, convert))
        # What Django would write when the value is not given ("" for text).
        defaults = tuple(_converter(field)(field.get_default()) for field in rest)
        quote = connection.ops.quote_name
        columns = [*given, *rest]
        sql = (
            f"INSERT INTO {quote(Mention._meta.db_table)} "  # noqa: S608  (names from the model)
            f"({', '.join(quote(field.column) for field in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING"
        )
        _PLAN[key] = (sql, names, converted, defaults, marker_at, fetched_at)
    return _PLAN[key]


def _converter(field):
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "JSONField":
        return _json_converter(field)
    return _same


def _same(value):
    return value


def _json_converter(field):
    prepare = partial(field.get_db_prep_save, connection=connection)
    empty = prepare([])

    def convert(value):
        # Most mentions carry no hashtags yet: adapt the empty list once.
        return prepare(value) if value else empty

    return convert


def mention_values(source: Source, raw: RawMention, *, fetched_at: datetime) -> dict:
    """The columns of a new mention for ``raw`` (by attribute name), every field cut to
    what its column holds; the rest take their defaults."""
    url = _clean(raw.url, 1000, cut=False)
    if url and not url.lower().startswith(("http://", "https://")):
        url = ""
    return {
        "organisation_id": source.organisation_id,
        "source_id": source.pk,
        "external_id": external_id(raw.external_id),
        "url": url,
        "author": _clean(raw.author, 300),
        "author_name": _clean(raw.author_name, 300),
        "author_reach": max(0, min(int(raw.author_reach or 0), 2**62)),
        "title": _clean(raw.title, 500),
        "text": _clean(raw.text, MAX_TEXT),
        "site": _clean(raw.site, 300) or site_of(url),
        "country": _code(raw.country, 2).upper(),
        "published_at": _aware(raw.published_at),
        "fetched_at": fetched_at,
        "is_enriched": False,
        "language": _language(raw.language),
        "hashtags": [_clean(tag, 200) for tag in raw.hashtags][:100],
        "mentioned": [_clean(handle, 300) for handle in raw.mentions][:100],
    }


def external_id(value: str) -> str:
    """The id as stored: as given when it fits, else a stable digest of it (cutting
    would make different long ids collide)."""
    value = _clean(str(value), 10_000, cut=True)
    if len(value) <= 300:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)", re.IGNORECASE)


def site_of(url: str) -> str:
    """The host of a URL without "www.", for ``site:`` queries."""
    match = _HOST.match(url) if url else None
    if match is None:
        return ""
    return match.group(1).lower().removeprefix("www.")[:300]


def _clean(value: str | None, limit: int, *, cut: bool = True) -> str:
    """Text without NUL characters (PostgreSQL refuses them), cut at ``limit``
    characters; with ``cut`` false an over-long value becomes empty (a cut URL would
    point somewhere else)."""
    if not value:
        return ""
    value = str(value).replace("\x00", "").strip()
    if len(value) > limit:
        return value[:limit] if cut else ""
    return value


def _code(value: str | None, size: int) -> str:
    value = _clean(value, 20)
    return value if len(value) == size and value.isalpha() and value.isascii() else ""


def _language(value: str | None) -> str:
    value = _clean(value, 20).lower()
    if not value or value in NO_LANGUAGE or len(value) > 8:
        return ""
    return value


def _aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value

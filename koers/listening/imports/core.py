"""Checking and importing a file: the dry run and the import itself.

A file is read and checked once. The check pass converts every row and counts them
(nothing is stored yet); when a row is wrong and the user did not choose "import the
valid rows", nothing is imported and the errors per row say what to fix. The import
keeps the valid rows the check pass converted, pickled chunk by chunk in an anonymous
temporary file, and then stores them through ``koers.listening.ingest`` in chunks,
reporting progress after each. The spill file keeps memory flat for large files (the
rows are never all in memory) and transactions short, without reading and converting
the file a second time.
"""

from __future__ import annotations

import pickle
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from django.utils import timezone

from koers.listening.imports.mapping import REQUIRED, RowError, convert_row
from koers.listening.imports.readers import Table
from koers.listening.ingest import CHUNK_SIZE, IngestResult, ingest
from koers.listening.models import Source

# How many errors are kept to show (all are counted).
MAX_ERRORS = 200
SAMPLE_SIZE = 20

# progress(stage, done, total): stage "checking" (total 0: not known yet) or "importing".
Progress = Callable[[str, int, int], None]


class MappingRefused(ValueError):
    """The mapping misses a required field or names a column the file lacks."""


@dataclass
class Preview:
    """What an import would do: the first mentions as they would be stored, how many
    rows there are, how many are valid, and the errors per row."""

    columns: list[str]
    mapping: dict[str, str]
    total_rows: int = 0
    valid_rows: int = 0
    sample: list = field(default_factory=list)  # RawMention
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


@dataclass
class ImportOutcome:
    total_rows: int = 0
    valid_rows: int = 0
    created: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # False when nothing was stored because of errors (and valid rows were not asked for).
    imported: bool = False


def check_mapping(table: Table, mapping: dict[str, str]) -> None:
    missing = [name for name in REQUIRED if not mapping.get(name)]
    if missing:
        raise MappingRefused("Choose the column that holds the text of the mentions.")
    unknown = [column for column in mapping.values() if column and column not in table.columns]
    if unknown:
        raise MappingRefused(f"The file has no column {unknown[0]!r}.")


def _zone(owner) -> zoneinfo.ZoneInfo:
    """The time zone of an organisation, or of the organisation of a source or job:
    times in a file without a zone are local times there."""
    organisation = getattr(owner, "organisation", owner)
    name = getattr(organisation, "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name or "Europe/Amsterdam")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Europe/Amsterdam")


def _rows(table: Table, mapping: dict[str, str], tz, now: datetime):
    mapping = {name: column for name, column in mapping.items() if column}
    for number, row in table.rows():
        raw, errors = convert_row(number, row, mapping, tz=tz, now=now)
        yield number, raw, errors


def preview(
    table: Table,
    mapping: dict[str, str],
    *,
    time_zone: zoneinfo.ZoneInfo | None = None,
    sample_size: int = SAMPLE_SIZE,
    progress: Progress | None = None,
) -> Preview:
    """The dry run: every row checked, nothing stored."""
    return _check(
        table,
        mapping,
        tz=time_zone or zoneinfo.ZoneInfo("Europe/Amsterdam"),
        sample_size=sample_size,
        progress=progress,
    )


def _check(
    table: Table,
    mapping: dict[str, str],
    *,
    tz,
    sample_size: int,
    progress: Progress | None,
    keep: IO[bytes] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Preview:
    """Every row checked. With ``keep``, the valid rows are written to it as pickled
    ``(rows read so far, [RawMention, …])`` chunks of up to ``chunk_size`` mentions."""
    check_mapping(table, mapping)
    result = Preview(columns=table.columns, mapping=dict(mapping))
    kept: list = []
    for _number, raw, errors in _rows(table, mapping, tz, timezone.now()):
        result.total_rows += 1
        if errors:
            result.error_count += len(errors)
            room = MAX_ERRORS - len(result.errors)
            result.errors.extend(errors[: max(room, 0)])
        else:
            result.valid_rows += 1
            if len(result.sample) < sample_size:
                result.sample.append(raw)
            if keep is not None:
                kept.append(raw)
                if len(kept) >= chunk_size:
                    pickle.dump((result.total_rows, kept), keep, pickle.HIGHEST_PROTOCOL)
                    kept = []
        if progress is not None and result.total_rows % CHUNK_SIZE == 0:
            progress("checking", result.total_rows, 0)
    if keep is not None and kept:
        pickle.dump((result.total_rows, kept), keep, pickle.HIGHEST_PROTOCOL)
    return result


def _kept(keep: IO[bytes]) -> Iterator[tuple[int, list]]:
    keep.seek(0)
    while True:
        try:
            yield pickle.load(keep)  # noqa: S301  (our own file, written just before)
        except EOFError:
            return


def import_table(
    table: Table,
    mapping: dict[str, str],
    source: Source,
    *,
    import_valid_rows: bool = False,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportOutcome:
    """Check ``table``; store its rows as mentions of ``source`` unless a row is wrong
    and ``import_valid_rows`` is false."""
    tz = _zone(source)
    with tempfile.TemporaryFile(prefix="koers-import-") as keep:
        checked = _check(
            table,
            mapping,
            tz=tz,
            sample_size=0,
            progress=progress,
            keep=keep,
            chunk_size=chunk_size,
        )
        outcome = ImportOutcome(
            total_rows=checked.total_rows,
            valid_rows=checked.valid_rows,
            errors=checked.errors,
            error_count=checked.error_count,
        )
        if checked.has_errors and not import_valid_rows:
            return outcome
        done = 0

        def valid():
            nonlocal done
            for read, raws in _kept(keep):
                done = read
                yield from raws

        def report(totals: IngestResult) -> None:
            if progress is not None:
                progress("importing", min(done, checked.total_rows), checked.total_rows)

        result = ingest(source, valid(), chunk_size=chunk_size, progress=report)
    if progress is not None:
        progress("importing", checked.total_rows, checked.total_rows)
    outcome.created, outcome.duplicates, outcome.imported = (
        result.created,
        result.duplicates,
        True,
    )
    return outcome


def source_time_zone(owner) -> zoneinfo.ZoneInfo:
    return _zone(owner)


def read_path(path: Path, fmt: str, filename: str = "") -> Table:
    from koers.listening.imports.readers import open_table

    return open_table(path, fmt, filename=filename)

"""Import jobs: an uploaded file kept under ``DATA_DIR/imports`` while the user maps
its columns and looks at the dry run, then imported by the worker
(``koers.listening.import_tasks.run_import``) with its progress on the ``ImportJob``.
The file is deleted when the job ends or is discarded.

The size limit (``settings.LISTENING_IMPORT_MAX_BYTES``, 50 MB unless set) is checked
on the upload's declared size, before a byte of it is read.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.listening.imports.core import (
    MAX_ERRORS,
    ImportOutcome,
    Preview,
    import_table,
    preview,
    source_time_zone,
)
from koers.listening.imports.mapping import suggest_mapping
from koers.listening.imports.readers import FileRefused, Table, detect_format, open_table
from koers.listening.models import ImportJob, ImportStatus, Source, SourceKind

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson", ".js"}


def max_bytes() -> int:
    return int(getattr(settings, "LISTENING_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def imports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_size(size: int | None) -> None:
    """Refuse a file over the limit (or of unknown size) before reading it."""
    limit = max_bytes()
    if size is None:
        raise FileRefused(_("The size of the file is unknown; upload it again."))
    if size > limit:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": f"{size / 1_048_576:.1f}", "limit": f"{limit / 1_048_576:.0f}"}
        )
    if size == 0:
        raise FileRefused(_("The file is empty."))


def stage_upload(organisation, upload, *, by) -> ImportJob:
    """Keep an uploaded file (a Django ``UploadedFile``) for an import: checks its
    size first, stores it, detects its format. Raises ``FileRefused``."""
    check_size(getattr(upload, "size", None))
    filename = Path(upload.name or "upload").name[:255]
    suffix = Path(filename).suffix.lower()
    stored_name = uuid.uuid4().hex + (suffix if suffix in SUFFIXES else "")
    path = imports_dir() / stored_name
    written = 0
    with path.open("wb") as handle:
        for block in upload.chunks():
            written += len(block)
            if written > max_bytes():  # a client that lied about the size
                handle.close()
                path.unlink(missing_ok=True)
                check_size(written)
            handle.write(block)
    try:
        fmt = detect_format(path, filename)
    except FileRefused:
        path.unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(
        organisation=organisation,
        filename=filename,
        format=fmt,
        stored_name=stored_name,
        created_by=getattr(by, "user", by),
    )


def job_path(job: ImportJob) -> Path:
    return imports_dir() / job.stored_name


def job_table(job: ImportJob) -> Table:
    if not job.stored_name or not job_path(job).exists():
        raise FileRefused(_("The uploaded file is gone; upload it again."))
    return open_table(job_path(job), job.format, filename=job.filename)


def suggested_mapping(job: ImportJob) -> tuple[list[str], dict[str, str]]:
    """The file's columns and the mapping Koers suggests for them."""
    table = job_table(job)
    return table.columns, suggest_mapping(table.columns)


def preview_job(job: ImportJob, mapping: dict[str, str] | None = None) -> Preview:
    """The dry run for a staged job (with the suggested mapping when none is given)."""
    table = job_table(job)
    mapping = mapping if mapping is not None else suggest_mapping(table.columns)
    return preview(table, mapping, time_zone=source_time_zone(job))


def import_source(organisation, name: str) -> Source:
    """The organisation's file-import source of that name, made on first use."""
    name = (name or "").strip()[:200] or _("File import")
    source = Source.objects.filter(
        organisation=organisation, kind=SourceKind.IMPORT, name=name
    ).first()
    return source or Source.objects.create(
        organisation=organisation, kind=SourceKind.IMPORT, name=name
    )


def start_import(
    job: ImportJob, *, mapping: dict[str, str], import_valid_rows: bool, source: Source
) -> ImportJob:
    """Queue a staged job for the worker (after the transaction commits)."""
    from koers.listening.import_tasks import run_import

    if source.organisation_id != job.organisation_id:
        raise ValueError("The source belongs to another organisation.")
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DRAFT).update(
        status=ImportStatus.PENDING,
        mapping=mapping,
        import_valid_rows=import_valid_rows,
        source=source,
    )
    job.refresh_from_db()
    if updated:
        transaction.on_commit(lambda: run_import(job.pk))
    return job


def run_job(job: ImportJob) -> ImportOutcome | None:
    """Import a queued job's file now (the worker calls this). Claims the job with a
    conditional update, so a second run of the same task does nothing."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return None
    job.refresh_from_db()
    last = {"at": 0}

    def progress(stage: str, done: int, total: int) -> None:
        # Write at most every 1,000 rows: the page polls, it needs no more.
        if stage == "importing" and (done - last["at"] >= 1000 or done == total):
            last["at"] = done
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    outcome = None
    try:
        table = job_table(job)
        outcome = import_table(
            table,
            job.mapping,
            job.source,
            import_valid_rows=job.import_valid_rows,
            progress=progress,
        )
    except (FileRefused, ValueError) as error:
        _finish(job, status=ImportStatus.FAILED, message=str(error))
    except Exception:
        _finish(job, status=ImportStatus.FAILED, message=_("The import stopped unexpectedly."))
        raise
    else:
        _finish(
            job,
            status=ImportStatus.DONE if outcome.imported else ImportStatus.REFUSED,
            total_rows=outcome.total_rows,
            processed_rows=outcome.total_rows if outcome.imported else 0,
            created=outcome.created,
            duplicates=outcome.duplicates,
            errors=[error.as_dict() for error in outcome.errors[:MAX_ERRORS]],
            error_count=outcome.error_count,
        )
    return outcome


def _finish(job: ImportJob, **values) -> None:
    if job.stored_name:
        job_path(job).unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(stored_name="", finished_at=timezone.now(), **values)
    job.refresh_from_db()


def discard_job(job: ImportJob) -> None:
    """Forget a staged job that was not started, and its file."""
    if job.status != ImportStatus.DRAFT:
        return
    if job.stored_name:
        job_path(job).unlink(missing_ok=True)
    job.delete()


def discard_stale_drafts(*, older_than_hours: int = 24) -> int:
    """Delete staged uploads nobody started (the worker runs this hourly)."""
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    count = 0
    for job in ImportJob.objects.filter(status=ImportStatus.DRAFT, created_at__lt=cutoff):
        discard_job(job)
        count += 1
    return count

"""File import: CSV, XLSX, JSON, JSONL, the X archive ``tweets.js`` and a Mastodon
``outbox.json`` → mentions, with a column-mapping step and a dry run.

The steps, as the import page takes them (see docs/listening-import.md):

1. ``stage_upload(organisation, upload, by=member)`` refuses a file over the size limit
   before reading it, keeps it under ``DATA_DIR/imports`` and detects its format →
   an ``ImportJob`` in status ``draft``.
2. ``suggested_mapping(job)`` → the file's columns and the suggested mapping (mention
   field → column); ``preview_job(job, mapping)`` → the dry run: total and valid rows,
   the first mentions as they would be stored, and the errors per row.
3. ``start_import(job, mapping=…, import_valid_rows=…, source=import_source(org, name))``
   queues the worker task, which updates the job's progress and deletes the file.

``read_path``/``preview``/``import_table`` do the same without a job (tests, scripts,
the benchmark).
"""

from koers.listening.imports.core import (
    ImportOutcome,
    MappingRefused,
    Preview,
    import_table,
    preview,
    read_path,
)
from koers.listening.imports.jobs import (
    check_size,
    discard_job,
    discard_stale_drafts,
    import_source,
    max_bytes,
    preview_job,
    run_job,
    stage_upload,
    start_import,
    suggested_mapping,
)
from koers.listening.imports.mapping import FIELDS, RowError, parse_date, suggest_mapping
from koers.listening.imports.readers import FORMATS, FileRefused, Table, detect_format, open_table

__all__ = [
    "FIELDS",
    "FORMATS",
    "FileRefused",
    "ImportOutcome",
    "MappingRefused",
    "Preview",
    "RowError",
    "Table",
    "check_size",
    "detect_format",
    "discard_job",
    "discard_stale_drafts",
    "import_source",
    "import_table",
    "max_bytes",
    "open_table",
    "parse_date",
    "preview",
    "preview_job",
    "read_path",
    "run_job",
    "stage_upload",
    "start_import",
    "suggest_mapping",
    "suggested_mapping",
]

"""Background work for file imports. The worker finds Huey tasks in ``tasks`` modules,
so koers/listening/tasks.py imports this module."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.listening.models import ImportJob


@db_task()
def run_import(job_id: int) -> None:
    """Import a queued file. Not retried: a file that failed once fails again, and
    the job records why; a second run of the same job does nothing."""
    from koers.listening.imports import run_job

    job = ImportJob.objects.select_related("source__organisation").filter(pk=job_id).first()
    if job is None:
        return
    run_job(job)


@db_periodic_task(crontab(minute="17"))
def discard_stale_imports() -> None:
    """Uploads that were staged but never started are deleted after a day."""
    from koers.listening.imports import discard_stale_drafts

    discard_stale_drafts()

"""The publishing worker: the outbox every minute (and right after something was
scheduled for now), results every quarter of an hour. Each run claims its rows with
conditional updates, so overlapping runs and several workers are safe."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*"))
def publish_due() -> int:
    from koers.publishing.engine import publish_due as run
    from koers.publishing.engine import schedule_missing

    # First what should be on the outbox and is not (a hook that failed), then the
    # outbox itself.
    schedule_missing()
    return run()


@db_task()
def publish_now() -> int:
    from koers.publishing.engine import publish_due as run

    return run()


@db_periodic_task(crontab(minute="*/15"))
def pull_metrics() -> int:
    from koers.publishing.results import pull_metrics as run

    return run()

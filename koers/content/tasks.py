"""Mail for the editorial pipeline: review links for external reviewers and reminders
about due role tasks.

Both are rows first (an outbox): the row is claimed with a conditional update before
the mail goes out, so a task that runs twice sends nobody a second mail.
"""

import logging

from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from koers.content.models import ReviewLink, TaskReminder

log = logging.getLogger(__name__)

# A member hears about due tasks at most once a week.
REMINDER_INTERVAL_DAYS = 7


def _mail(template: str, context: dict, *, to: str, language: str, zone) -> None:
    with translation.override(language), timezone.override(zone):
        subject = render_to_string(f"content/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"content/email/{template}.txt", context)
    EmailMessage(subject, body, to=[to]).send()


@db_task(retries=3, retry_delay=120)
def send_review_link(link_id: int) -> bool:
    claimed = ReviewLink.objects.filter(pk=link_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    link = ReviewLink.objects.select_related("item", "organisation", "created_by").get(pk=link_id)
    org = link.organisation
    try:
        _mail(
            "review_link",
            {"link": link, "item": link.item, "organisation": org, "url": link.url},
            to=link.email,
            language=org.default_language,
            zone=org.zone,
        )
    except Exception:
        ReviewLink.objects.filter(pk=link_id).update(sent_at=None)
        log.exception("review link %s not sent", link_id)
        raise
    return True


@db_task(retries=2, retry_delay=300)
def send_task_reminder(reminder_id: int) -> bool:
    claimed = TaskReminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    reminder = TaskReminder.objects.select_related("membership__user", "organisation").get(
        pk=reminder_id
    )
    org = reminder.organisation
    try:
        _mail(
            "task_reminder",
            {
                "person": reminder.membership.user,
                "organisation": org,
                "tasks": reminder.tasks,
                "url": reminder_url(org),
            },
            to=reminder.membership.user.email,
            language=org.default_language,
            zone=org.zone,
        )
    except Exception as error:
        TaskReminder.objects.filter(pk=reminder_id).update(
            sent_at=None, last_error=str(error)[:500]
        )
        log.exception("task reminder %s not sent", reminder_id)
        raise
    return True


def reminder_url(organisation) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.BASE_URL + reverse("content:my_tasks", args=[organisation.slug])


@db_periodic_task(crontab(minute="15", hour="8"))
def remind_due_tasks() -> int:
    from koers.content.actions import queue_task_reminders

    return queue_task_reminders()


@db_task(retries=2, retry_delay=60)
def recheck_variants(organisation_id: int) -> int:
    """After the guideline library changed: the pipeline's badges follow it."""
    from koers.content.actions import recheck_variants as recheck
    from koers.orgs.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return recheck(organisation) if organisation else 0

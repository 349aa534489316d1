"""Telling members that a new strategy version was published.

The version row is the outbox: ``notified_at`` is claimed with a conditional update,
so a duplicate task (after a retry or a crash) mails nobody twice.
"""

import logging

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from huey.contrib.djhuey import db_task

from koers.orgs.models import Membership
from koers.strategy.models import Status, StrategyVersion

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=120)
def notify_published(version_id: int) -> int:
    """E-mail every member of the organisation about the new version; returns how many."""
    version = (
        StrategyVersion.objects.select_related("organisation", "published_by")
        .filter(pk=version_id, status=Status.PUBLISHED)
        .first()
    )
    if version is None:
        return 0
    claimed = StrategyVersion.objects.filter(pk=version.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    org = version.organisation
    url = settings.BASE_URL + reverse("strategy:page", args=[org.slug])
    context = {"version": version, "organisation": org, "url": url}
    with translation.override(org.default_language):
        subject = render_to_string("strategy/email/published_subject.txt", context).strip()
        body = render_to_string("strategy/email/published.txt", context)
    recipients = list(
        Membership.objects.for_org(org)
        .filter(user__is_active=True)
        .exclude(Q(user=version.published_by))
        .values_list("user__email", flat=True)
    )
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    try:
        sent = send_mass_mail(messages, fail_silently=False, connection=get_connection())
    except Exception:
        # Give the claim back: the retry sends again (to everyone: the mail server took
        # none or some; a double mail beats a missing one).
        StrategyVersion.objects.filter(pk=version.pk).update(
            notified_at=None, notify_attempts=F("notify_attempts") + 1
        )
        log.exception("strategy v%s: members not notified", version.number)
        raise
    return sent

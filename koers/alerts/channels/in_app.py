"""In-app notifications: a ``Notification`` row per recipient and alert, shown on the
member's notifications page. Also the helpers the rest of Koers uses to read them."""

from __future__ import annotations

from django.utils import timezone

from koers.alerts.channels.base import ChannelKindBase, recipients_of, register
from koers.alerts.models import ChannelKind, Notification


def notify(organisation, alert_ids, users) -> None:
    """Notification rows for ``users``, each once per alert (a retry adds no second)."""
    rows = [
        Notification(organisation=organisation, user=user, alert_id=alert_id)
        for alert_id in alert_ids
        for user in users
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def unread_count(user, organisation) -> int:
    """The member's unread notifications in the organisation (for a badge in the menu)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        organisation=organisation, user=user, read_at__isnull=True
    ).count()


def mark_read(user, organisation, *, alert=None) -> int:
    """Mark the member's notifications read: all of them, or those of one alert (for the
    alert page to call when the member opens it)."""
    rows = Notification.objects.filter(organisation=organisation, user=user, read_at__isnull=True)
    if alert is not None:
        rows = rows.filter(alert=alert)
    return rows.update(read_at=timezone.now())


@register
class InApp(ChannelKindBase):
    kind = ChannelKind.IN_APP
    needs_recipients = True

    def render(self, alerts, *, digest, test=False):
        # A test message has no alert row to point at: it notifies nobody.
        return [alert.pk for alert in alerts if alert.pk is not None]

    def send(self, channel, payload):
        if payload:
            notify(channel.organisation, payload, recipients_of(channel))
        return None

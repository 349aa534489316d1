"""Publishing: the organisation's channel accounts, one publication per approved variant
and account (the outbox that publishes each exactly once), and the results that come
back from the platforms.

- A ``ChannelAccount`` is where posts go: a Mastodon account (instance and OAuth
  token), a Bluesky account (handle and app password, with its session), a generic
  outgoing webhook (Zapier, n8n, Make) or a "manual" channel (Koers reminds a person,
  who records the link of what they posted). It publishes the variants written for
  the content channel it ``serves`` (``Variant.channel``). Secrets are encrypted at
  rest (``koers.publishing.secrets``).
- When an approved item is scheduled, the worker makes one ``Publication`` per variant
  and active account serving its channel. Each has its own idempotency key, fixed when
  the row is made, which goes to the platform with every attempt (Mastodon's
  ``Idempotency-Key``; for Bluesky a record key derived from it), so a retry after a
  crash never posts twice.
- ``MetricSnapshot`` rows are the results pulled back periodically: KPI-ready series per
  publication.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    MASTODON = "mastodon", _("Mastodon")
    BLUESKY = "bluesky", _("Bluesky")
    WEBHOOK = "webhook", _("Outgoing webhook (Zapier, n8n, Make)")
    MANUAL = "manual", _("Manual (a person posts it)")


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("Not connected yet")
    CONNECTED = "connected", _("Connected")
    RECONNECT = "reconnect", _("Reconnect needed")
    UNREACHABLE = "unreachable", _("Unreachable, retrying")


class ChannelAccountQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class ChannelAccount(models.Model):
    """Where posts go. ``serves`` is the content channel whose variants it publishes
    (mastodon, bluesky, linkedin, …); a webhook or manual account may serve any."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="channel_accounts"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    name = models.CharField(_("name"), max_length=200)
    serves = models.CharField(_("publishes the texts for"), max_length=20)
    # The Mastodon instance, the Bluesky service (PDS) or the webhook's host as the
    # user gave it; never a secret (a webhook's full address is in ``secrets``).
    address = models.URLField(_("address"), max_length=500, blank=True)
    handle = models.CharField(_("account"), max_length=300, blank=True)
    # Encrypted JSON: tokens, app credentials, app password, session, webhook URL.
    secrets_encrypted = models.TextField(blank=True, editable=False)
    # For the manual kind: who is reminded to post.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person who posts"),
    )
    status = models.CharField(
        max_length=12, choices=AccountStatus.choices, default=AccountStatus.PENDING
    )
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChannelAccountQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "serves"])]

    def __str__(self) -> str:
        return self.name


class PublicationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    # Manual channels: waiting for the person to post and record the link.
    WAITING = "waiting", _("Waiting for the person who posts")


class PublicationQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Publication(models.Model):
    """One variant on one account: the outbox row that is published exactly once.

    Claimed by a conditional update (scheduled and due → publishing, or publishing with
    a claim older than the lease: the worker died), so two workers never publish the
    same row at once; the idempotency key makes the platform ignore a second attempt
    after a crash between its answer and our write."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    variant = models.ForeignKey(
        "content.Variant", on_delete=models.CASCADE, related_name="publications"
    )
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, related_name="publications"
    )
    # The revision of the item that was approved; a later edit takes the item back
    # through approval and withdraws the publication before it goes out.
    revision = models.PositiveIntegerField(default=1)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.SCHEDULED
    )
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    # The platform's own words when it refused, shown to the editor.
    last_error = models.TextField(blank=True)
    # Latest results (the series is in MetricSnapshot).
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    metrics_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["organisation", "-due_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "account"], name="publication_once_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} → {self.account_id}: {self.status}"


class MetricSnapshot(models.Model):
    """Results of one publication at one moment (likes = favourites on Mastodon,
    reposts = boosts)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="snapshots")
    at = models.DateTimeField(default=timezone.now)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organisation", "publication", "at"])]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.at:%Y-%m-%d %H:%M}"

"""Early warning: rules that watch the organisation's mentions, the alerts they raise,
where alerts go (channels), the outbox that delivers them, in-app notifications and a
first, simple incident record.

How the parts meet:

- An ``AlertRule`` watches a series (mention volume of a saved query per 5 minutes, its
  negative share, share of voice against a competitor's query) or single mentions
  (an influential author, a threat score, a term that must never go unnoticed). The
  worker evaluates the rules after every enrichment batch and once a minute; the
  detector's state per series is kept in ``SeriesState``.
- A rule that fires creates an ``Alert`` (unless it is cooling down) with the mentions
  behind it (``AlertMention``), and one ``Delivery`` row per channel: the outbox. In
  quiet hours an alert below severity 4 waits until they end; a rule in digest mode
  collects its alerts into one delivery per digest period.
- The delivery worker claims due outbox rows with a conditional update, sends them and
  records the outcome on the row and on the channel (last delivery, last error). A
  receiver that is down delays a delivery (retries with backoff), never drops it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    VOLUME_SPIKE = "volume_spike", _("Volume spike")
    SENTIMENT_DIP = "sentiment_dip", _("Sentiment dip")
    INFLUENTIAL_AUTHOR = "influential_author", _("Influential author")
    THREAT = "threat", _("Threat score")
    SHARE_OF_VOICE = "share_of_voice", _("Competitor overtakes us")
    TERM = "term", _("Term that must never go unnoticed")


class Sensitivity(models.TextChoices):
    LOW = "low", _("Low: only clear outliers")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High: early, more false alarms")


class AlertRuleQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(is_active=True)


class AlertRule(models.Model):
    """What to watch, how sure to be, how bad it is and where to tell it.

    Which fields a kind uses: every kind may narrow to ``query`` (a saved query; empty:
    all the organisation's mentions). ``share_of_voice`` compares ``query`` (us) with
    ``competitor_query``. ``influential_author`` fires on a mention whose author has at
    least ``min_reach`` followers or is in ``stakeholder_group``. ``threat`` fires on a
    mention whose threat score is at least ``min_threat``. ``term`` fires on every
    mention matching ``term`` (in the query language). The series kinds
    (``volume_spike``, ``sentiment_dip``, ``share_of_voice``) use ``sensitivity``.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="alert_rules"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=RuleKind.choices)
    query = models.ForeignKey(
        "listening.SavedQuery",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_rules",
        verbose_name=_("saved query"),
    )
    competitor_query = models.ForeignKey(
        "listening.SavedQuery",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="competitor_alert_rules",
        verbose_name=_("competitor's saved query"),
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=8, choices=Sensitivity.choices, default=Sensitivity.NORMAL
    )
    min_reach = models.PositiveBigIntegerField(_("minimum followers"), null=True, blank=True)
    stakeholder_group = models.CharField(_("stakeholder group"), max_length=20, blank=True)
    min_threat = models.FloatField(
        _("minimum threat score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    term = models.CharField(_("term"), max_length=500, blank=True)
    severity = models.PositiveSmallIntegerField(
        _("severity"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("cooldown (minutes)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(7 * 24 * 60)],
    )
    # Quiet hours in the organisation's time zone; severity 4 and 5 ignore them.
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    # Digest: alerts are collected and sent together once per ``digest_minutes``.
    digest = models.BooleanField(_("digest"), default=False)
    digest_minutes = models.PositiveIntegerField(
        _("digest period (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    channels = models.ManyToManyField(
        "alerts.Channel", blank=True, related_name="rules", verbose_name=_("channels")
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_fired_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertRuleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.name


class SeriesState(models.Model):
    """The detector's memory for one series of one rule: its state (plain JSON from
    ``koers.detect``), the last complete 5-minute bucket it has seen, and the recent
    points (value, baseline, score) the alert page draws."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="series")
    key = models.CharField(max_length=100)  # e.g. "volume", "negative_share", "sov"
    state = models.JSONField(default=dict, blank=True)
    last_bucket = models.DateTimeField(null=True, blank=True)
    points = models.JSONField(default=list, blank=True)  # [[iso time, value, baseline, score]]
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "rule"])]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], name="series_state_once_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.key}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class AlertQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def open(self):
        return self.exclude(status=AlertStatus.RESOLVED)


class Alert(models.Model):
    """One firing of a rule: what triggered it, how far from normal, who handles it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="alerts"
    )
    rule = models.ForeignKey(AlertRule, on_delete=models.SET_NULL, null=True, related_name="alerts")
    kind = models.CharField(max_length=24, choices=RuleKind.choices)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(max_length=300)
    # The facts behind it in words and numbers: the observed value, the baseline, the
    # detector's score, the bucket (series kinds); the author and reach (mention kinds).
    summary = models.TextField(blank=True)
    value = models.FloatField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    # The moment in the data (the bucket or the mention's time) and when Koers noticed.
    observed_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    mentions = models.ManyToManyField(
        "listening.Mention", through="AlertMention", related_name="alerts"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class AlertMention(models.Model):
    """A mention behind an alert (the top ones by reach)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="alert_mentions")
    mention = models.ForeignKey(
        "listening.Mention", on_delete=models.CASCADE, related_name="alert_mentions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "mention"], name="alert_mention_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} ~ {self.mention_id}"


class ChannelKind(models.TextChoices):
    IN_APP = "in_app", _("In Koers (notification)")
    EMAIL = "email", _("E-mail")
    SLACK = "slack", _("Slack webhook")
    TEAMS = "teams", _("Microsoft Teams webhook")
    MATTERMOST = "mattermost", _("Mattermost webhook")
    WEBHOOK = "webhook", _("Webhook (JSON, signed with HMAC)")


class ChannelQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Channel(models.Model):
    """Where alerts go. A webhook's address is kept encrypted (Slack and Teams put
    their secret in it), as is the JSON webhook's signing secret. ``recipients`` are
    the members an in-app or e-mail channel tells (empty: everyone who may see
    alerts)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="alert_channels"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ChannelKind.choices)
    url_encrypted = models.TextField(blank=True, editable=False)
    # The host of the address, shown instead of the secret address itself.
    url_host = models.CharField(max_length=255, blank=True, editable=False)
    secret_encrypted = models.TextField(blank=True, editable=False)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("recipients")
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed for good")


class Delivery(models.Model):
    """The outbox: one row per alert (or digest of alerts) per channel. Claimed by a
    conditional update (pending or failed and due → sending), so two workers never
    send the same row; a row stuck in "sending" (a worker died) is claimed again after
    ``STUCK_AFTER``."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    alerts = models.ManyToManyField(Alert, related_name="deliveries")
    rule = models.ForeignKey(
        AlertRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_digest = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # Not before this moment: quiet hours, a digest period, or the next retry.
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.status}"


class Notification(models.Model):
    """An in-app notification of an alert for one member."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_notifications"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "alert"], name="notification_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.alert_id}"


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class IncidentQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Incident(models.Model):
    """A simple incident record opened from an alert (the full incident workspace, with
    timeline and lessons, comes later)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="incidents"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    alerts = models.ManyToManyField(Alert, blank=True, related_name="incidents")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-opened_at"])]

    def __str__(self) -> str:
        return self.title

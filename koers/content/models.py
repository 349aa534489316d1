"""The editorial pipeline: content items with their channel variants, transitions,
approvals (internal and by external reviewers), guideline overrides, mix targets per
goal and recurring role tasks.

An idea is a ``ContentItem`` in state "idea": the same row carries it from the idea
inbox to the published post, so the person who submitted it stays credited. The state
machine is ``workflow.py``; writes go through ``actions.py``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.content import workflow
from koers.orgs.capabilities import Role
from koers.platforms.limits import LIMITS
from koers.strategy.models import PLATFORM_LABELS

REVIEW_SALT = "koers.content.review"


class State(models.TextChoices):
    IDEA = workflow.IDEA, _("Idea")
    DRAFT = workflow.DRAFT, _("Draft")
    IN_REVIEW = workflow.IN_REVIEW, _("In review")
    APPROVED = workflow.APPROVED, _("Approved")
    SCHEDULED = workflow.SCHEDULED, _("Scheduled")
    PUBLISHED = workflow.PUBLISHED, _("Published")
    MEASURED = workflow.MEASURED, _("Measured")
    REJECTED = workflow.REJECTED, _("Rejected")
    ARCHIVED = workflow.ARCHIVED, _("Archived")


assert tuple(State.values) == workflow.STATES

# The channels a variant can be written for: those whose limits Koers knows.
CHANNEL_CHOICES = [(key, PLATFORM_LABELS[key]) for key in LIMITS]

# States in which the item's content may still be changed.
EDITABLE_STATES = (State.IDEA, State.DRAFT, State.IN_REVIEW, State.APPROVED, State.SCHEDULED)
# States that belong on the calendar.
CALENDAR_STATES = (State.SCHEDULED, State.PUBLISHED, State.MEASURED)


class Repeat(models.TextChoices):
    NONE = "", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class ContentItemQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def ideas(self):
        return self.filter(state=State.IDEA)

    def on_calendar(self):
        return self.filter(state__in=CALENDAR_STATES, scheduled_at__isnull=False)

    def evergreen_queue(self):
        """Approved evergreen items waiting for a free slot, the longest-unused first."""
        return self.filter(is_evergreen=True, state=State.APPROVED).order_by(
            models.F("last_used_at").asc(nulls_first=True), "pk"
        )


class ContentItem(models.Model):
    """One piece of content, from idea to measured post."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="content_items"
    )
    title = models.CharField(_("title"), max_length=200)
    idea = models.TextField(
        _("idea"), blank=True, help_text=_("What is it about, and why would people care?")
    )
    link = models.URLField(_("link"), blank=True, max_length=500)
    photo = models.ImageField(_("photo"), upload_to="content/%Y/%m/", blank=True)
    # Published with the photo for people who use a screen reader (Mastodon allows 1,500).
    photo_alt = models.TextField(
        _("description of the photo (alt text)"), max_length=1500, blank=True
    )
    # The goal and pillar are strategy items, identified by their key: the key stays the
    # same across strategy versions, so a new version of the strategy keeps the link.
    goal_key = models.UUIDField(_("goal"), null=True, blank=True)
    pillar_key = models.UUIDField(_("content pillar"), null=True, blank=True)
    is_paid = models.BooleanField(_("paid content or paid partnership"), default=False)
    has_product_claim = models.BooleanField(
        _("makes a claim about a product or service"),
        default=False,
        help_text=_("Claims about what a product does or costs get an extra approval step."),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.IDEA)
    # Raised on every change of what would be published; approvals and review links are
    # for one revision, so a change afterwards makes them lapse.
    revision = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("idea by"),
    )
    # A copy of the name: the credit stays after the account is gone.
    submitter_name = models.CharField(max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("editor"),
    )
    scheduled_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_evergreen = models.BooleanField(
        _("evergreen"),
        default=False,
        help_text=_("Timeless content that can fill a quiet day; it returns to the queue."),
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.NONE, blank=True
    )
    repeat_until = models.DateField(_("until"), null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField(_("times"), null=True, blank=True)
    # An occurrence of a recurring item points at the item it repeats.
    series = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["organisation", "scheduled_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def credit(self) -> str:
        if self.submitted_by_id and self.submitted_by:
            return self.submitted_by.name or self.submitted_by.email
        return self.submitter_name


class Variant(models.Model):
    """The text of an item for one channel; checked against the guidelines and the
    channel's limit as it is written."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="variants")
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    text = models.TextField(_("text"))
    # The last check's outcome, kept for lists; transitions always check again.
    is_blocked = models.BooleanField(default=False)
    warning_count = models.PositiveSmallIntegerField(default=0)
    is_over_limit = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "channel"]
        indexes = [models.Index(fields=["organisation", "item"])]
        constraints = [
            models.UniqueConstraint(fields=["item", "channel"], name="variant_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.channel})"


class Transition(models.Model):
    """One change of state: who (a member, an external reviewer or Koers) and when."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organisation", "item"])]

    def __str__(self) -> str:
        return f"{self.item}: {self.from_state} → {self.to_state}"


class Mode(models.TextChoices):
    ANY = "any", _("One of them approves")
    ALL = "all", _("All of them approve")


class Condition(models.TextChoices):
    ALWAYS = "always", _("Every item")
    PRODUCT_CLAIM = "product_claim", _("Items with a product claim")
    PAID = "paid", _("Paid content")


EXTERNAL = "external"
APPROVER_CHOICES = [
    (Role.OWNER.value, Role.OWNER.label),
    (Role.MANAGER.value, Role.MANAGER.label),
    (Role.STRATEGIST.value, Role.STRATEGIST.label),
    (Role.EDITOR.value, Role.EDITOR.label),
    (EXTERNAL, _("External reviewer (link by e-mail)")),
]


class ApprovalStepQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class ApprovalStep(models.Model):
    """One step of the organisation's approval rule, in order. With no steps at all,
    one approval by anyone who may approve suffices."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="approval_steps"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    approver = models.CharField(_("who approves"), max_length=20, choices=APPROVER_CHOICES)
    mode = models.CharField(_("how many"), max_length=5, choices=Mode.choices, default=Mode.ANY)
    condition = models.CharField(
        _("applies to"), max_length=20, choices=Condition.choices, default=Condition.ALWAYS
    )

    objects = ApprovalStepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "position"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.approver == EXTERNAL

    def applies_to(self, item: ContentItem) -> bool:
        if self.condition == Condition.PRODUCT_CLAIM:
            return item.has_product_claim
        if self.condition == Condition.PAID:
            return item.is_paid
        return True


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")


class Approval(models.Model):
    """A decision on one revision of an item for one step (``step`` empty: the default
    single step). Only decisions on the item's current revision count."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="approvals")
    step = models.ForeignKey(
        ApprovalStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step_name = models.CharField(max_length=120, blank=True)
    revision = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer_name = models.CharField(max_length=200, blank=True)
    review_link = models.ForeignKey(
        "ReviewLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organisation", "item"])]
        constraints = [
            # One decision per person per step per revision (a double click, two tabs).
            models.UniqueConstraint(
                fields=["item", "step", "revision", "by"],
                condition=Q(by__isnull=False),
                name="approval_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["review_link"],
                condition=Q(review_link__isnull=False),
                name="approval_once_per_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} r{self.revision}: {self.decision}"


class ReviewLink(models.Model):
    """An expiring, single-use link with which someone outside Koers approves or rejects
    one revision of one item. The link carries a signature over (id, key), as an
    invitation does."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="review_links")
    step = models.ForeignKey(
        ApprovalStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("reviewer's name"), max_length=200)
    email = models.EmailField(_("reviewer's e-mail address"))
    revision = models.PositiveIntegerField()
    key = models.CharField(max_length=64, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "item"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.item}"

    DEFAULT_VALIDITY = timedelta(days=7)

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        # No timestamp in the signature (the expiry is on the row): the same link gives
        # the same token every time, in the mail and on the editor's screen.
        return signing.Signer(salt=REVIEW_SALT).sign_object([self.pk, self.key], compress=True)

    @property
    def url(self) -> str:
        from django.urls import reverse

        return settings.BASE_URL + reverse("content:review", args=[self.item_id, self.token])

    def status(self) -> str:
        """pending, used, revoked, expired or outdated (the content changed since)."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.revision != self.item.revision:
            return "outdated"
        return "pending"


def find_review_link(token: str) -> ReviewLink | None:
    """The review link a token points at, or None for a tampered or unknown token."""
    try:
        pk, key = signing.Signer(salt=REVIEW_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    link = ReviewLink.objects.select_related("item", "organisation").filter(pk=pk).first()
    if link is None or not secrets.compare_digest(link.key, str(key)):
        return None
    return link


class GuidelineOverride(models.Model):
    """Someone went ahead despite a "warn" finding, with a reason (also in the audit
    log). Valid for the revision it was given on."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="overrides")
    revision = models.PositiveIntegerField()
    channel = models.CharField(max_length=20)
    rule_key = models.CharField(max_length=40)
    rule_title = models.CharField(max_length=200, blank=True)
    excerpt = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["organisation", "item"])]

    def __str__(self) -> str:
        return f"{self.item}: {self.rule_title} ({self.reason})"


class MixTarget(models.Model):
    """The share of content a social goal should get (the planned mix)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    goal_key = models.UUIDField()
    share = models.PositiveSmallIntegerField(_("share (%)"))

    class Meta:
        indexes = [models.Index(fields=["organisation", "goal_key"])]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "goal_key"], name="mix_target_once"),
            models.CheckConstraint(condition=Q(share__lte=100), name="mix_target_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_key}: {self.share}%"


class Frequency(models.IntegerChoices):
    """How often a role task comes back, in months."""

    MONTHLY = 1, _("Every month")
    QUARTERLY = 3, _("Every three months")
    HALF_YEARLY = 6, _("Every six months")
    YEARLY = 12, _("Every year")


class RoleTaskQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(is_active=True)

    def for_role(self, role: str):
        return self.filter(Q(role="") | Q(role=role))


class RoleTask(models.Model):
    """A small recurring task for every member with a role (or everyone), e.g. "report
    one customer compliment a month". Doing it counts as taking part in the draagvlak."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="role_tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("how and why"), blank=True)
    role = models.CharField(
        _("for"),
        max_length=20,
        choices=[("", _("Every member")), *Role.choices],
        blank=True,
        default="",
    )
    frequency = models.PositiveSmallIntegerField(
        _("how often"), choices=Frequency.choices, default=Frequency.MONTHLY
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoleTaskQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.title


class TaskCompletion(models.Model):
    """A member did a role task (once per period)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(RoleTask, on_delete=models.CASCADE, related_name="completions")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="task_completions"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_at"]
        indexes = [
            models.Index(fields=["organisation", "done_at"]),
            models.Index(fields=["membership", "task"]),
        ]

    def __str__(self) -> str:
        return f"{self.membership} did {self.task}"


class TaskReminder(models.Model):
    """A reminder mail about due role tasks, one per member per day at most (the
    outbox row is claimed before the mail goes out)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="task_reminders"
    )
    day = models.DateField()
    tasks = models.JSONField(default=list)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "day"])]
        constraints = [
            models.UniqueConstraint(fields=["membership", "day"], name="task_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.membership} on {self.day}"

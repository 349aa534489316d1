"""Listening: where mentions come from (sources), what the organisation listens for
(saved queries), who is who (stakeholders), and the mentions themselves.

Ingest writes raw mentions in bulk (``is_enriched`` false); the worker enriches them in
batches (language, sentiment, category, threat, duplicates, matching queries). A crash
between the two loses nothing: unenriched rows are simply picked up again. The same
mention arriving twice is stored once: (source, external id) is unique.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS or Atom feed")
    MASTODON_TAG = "mastodon_tag", _("Mastodon hashtag")
    MASTODON_SEARCH = "mastodon_search", _("Mastodon search")
    BLUESKY_SEARCH = "bluesky_search", _("Bluesky search")
    BLUESKY_STREAM = "bluesky_stream", _("Bluesky live stream (Jetstream)")
    PUSH = "push", _("Push API")
    IMPORT = "import", _("File import")


class SourceStatus(models.TextChoices):
    NEW = "new", _("Not fetched yet")
    OK = "ok", _("Working")
    FAILING = "failing", _("Failing")
    PAUSED = "paused", _("Paused")


class SourceQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def due(self, now=None):
        """Active polled sources whose next fetch is due."""
        now = now or timezone.now()
        # The Bluesky stream is read in bounded catch-ups from its cursor, like a poll.
        return (
            self.filter(is_active=True)
            .exclude(kind__in=(SourceKind.PUSH, SourceKind.IMPORT))
            .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        )


class Source(models.Model):
    """A place mentions come from. Polled sources keep their cursor (ETag,
    Last-Modified, min_id…) and, when failing, the error and when to try again."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="listening_sources"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # The feed URL, the Mastodon or Bluesky server, … as the user configured it.
    url = models.URLField(_("address"), max_length=500, blank=True)
    # The hashtag or search terms, for the kinds that need them.
    term = models.CharField(_("hashtag or search terms"), max_length=300, blank=True)
    # An access token where a platform needs one, encrypted (koers.listening.secrets).
    token_encrypted = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    status = models.CharField(max_length=10, choices=SourceStatus.choices, default=SourceStatus.NEW)
    cursor = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    fetched_total = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            models.Index(fields=["is_active", "next_fetch_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class QueryRole(models.TextChoices):
    BRAND = "brand", _("Our brand")
    COMPETITOR = "competitor", _("Competitor")
    TOPIC = "topic", _("Topic")


class SavedQueryQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(is_active=True)


class SavedQuery(models.Model):
    """A Boolean query (koers.query) the organisation listens for. Only a query that
    compiles can be saved."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="listening_queries"
    )
    name = models.CharField(_("name"), max_length=200)
    text = models.TextField(_("query"))
    role = models.CharField(
        _("what it listens for"), max_length=12, choices=QueryRole.choices, default=QueryRole.BRAND
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SavedQueryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.name


class Group(models.TextChoices):
    CRITIC = "critic", _("Critic")
    JOURNALIST = "journalist", _("Journalist")
    COMPETITOR = "competitor", _("Competitor")
    AMBASSADOR = "ambassador", _("Ambassador")
    EMPLOYEE = "employee", _("Employee")
    CUSTOMER = "customer", _("Customer")


class Stakeholder(models.Model):
    """An author the organisation knows, with the group they belong to: usable as
    ``group:journalist`` in queries and weighed in the threat score."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="stakeholders"
    )
    # As the author appears on mentions: "@name@server", "name.bsky.social", a site…
    author = models.CharField(_("author"), max_length=300)
    name = models.CharField(_("name"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)

    class Meta:
        ordering = ["author"]
        indexes = [models.Index(fields=["organisation", "author"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "author", "group"], name="stakeholder_once_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} ({self.group})"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Category(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    IDEA = "idea", _("Idea")
    OTHER = "other", _("Other")


class MentionQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def enriched(self):
        return self.filter(is_enriched=True)

    def unenriched(self):
        return self.filter(is_enriched=False)


class Mention(models.Model):
    """One post, article or comment from a source.

    Few indexes, because every one of them is written for each of thousands of mentions
    a second: the organisation and the source are the first columns of indexes below
    (no separate ones), unenriched mentions are indexed only while they wait, and
    duplicates only where there is one."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    author_reach = models.PositiveBigIntegerField(default=0)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    site = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True)
    published_at = models.DateTimeField()
    fetched_at = models.DateTimeField(default=timezone.now)
    # Enrichment (filled by the worker in batches).
    is_enriched = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)  # -1 … 1
    sentiment_confidence = models.FloatField(null=True, blank=True)  # 0 … 1
    category = models.CharField(max_length=10, choices=Category.choices, blank=True)
    # A person corrected the sentiment or category: kept, and used to train.
    is_corrected = models.BooleanField(default=False)
    threat_score = models.FloatField(default=0)
    hashtags = models.JSONField(default=list, blank=True)
    mentioned = models.JSONField(default=list, blank=True)
    groups = models.JSONField(default=list, blank=True)
    # Reposts and near-duplicates point at the first of their kind.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        db_index=False,
    )
    queries = models.ManyToManyField(SavedQuery, through="MentionMatch", related_name="mentions")

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-published_at"]),
            # The worker's queue: only the mentions still waiting for enrichment, in
            # the order it takes them (for all organisations at once, or one).
            models.Index(
                fields=["id"],
                condition=models.Q(is_enriched=False),
                name="mention_pending",
            ),
            models.Index(
                fields=["organisation", "id"],
                condition=models.Q(is_enriched=False),
                name="mention_pending_org",
            ),
            models.Index(
                fields=["duplicate_of"],
                condition=models.Q(duplicate_of__isnull=False),
                name="mention_duplicate_of",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="mention_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:60]}"


class MentionMatch(models.Model):
    """A mention matched a saved query (written in bulk by the enrichment batch).

    Two indexes, as every match of thousands of mentions a second writes each: the
    unique (mention, query) and the query's own. A query belongs to one organisation,
    so the query's index also serves "this organisation's matches of this query"."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    mention = models.ForeignKey(
        Mention, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    query = models.ForeignKey(SavedQuery, on_delete=models.CASCADE, related_name="matches")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "query"], name="mention_match_once")
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.query_id}"


class Correction(models.Model):
    """A person corrected a mention's sentiment or category (the classifier learns
    from these)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=10)  # "sentiment" or "category"
    old_value = models.CharField(max_length=10, blank=True)
    new_value = models.CharField(max_length=10)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["organisation", "field"])]

    def __str__(self) -> str:
        return f"{self.mention_id}: {self.field} {self.old_value} → {self.new_value}"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Uploaded, not started")
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Not imported: the file has errors")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file being imported in the background (koers.listening.import_tasks).

    The file lies under ``DATA_DIR/imports`` while the job runs and is deleted after.
    ``errors`` holds the first problems per row (``error_count`` all of them); a file
    with errors imports nothing unless ``import_valid_rows`` was chosen."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="listening_imports"
    )
    # Chosen when the import starts (a source of kind "import").
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="imports"
    )
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(max_length=20)
    # The stored upload's name inside DATA_DIR/imports; empty once it is deleted.
    stored_name = models.CharField(max_length=100, blank=True)
    # Mention field → the file's column, as the user confirmed it.
    mapping = models.JSONField(default=dict, blank=True)
    import_valid_rows = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # Why the whole job failed (an unreadable file), for the user.
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        """How far the import is, 0–100 (0 while the file is still being checked)."""
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

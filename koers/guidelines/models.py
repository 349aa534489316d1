"""The guideline library: rules with their reasons, versioned, acknowledged by members.

A ``Guideline`` holds the current text and settings; every change that matters makes a
new ``GuidelineVersion`` (a frozen copy), and members acknowledge versions. The check
engine (``engine.py``) gets its rules from the active guidelines.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.guidelines import engine


class Kind(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential terms")
    PERSONAL_DATA = "personal_data", _("Personal data")
    ABUSE = "abuse", _("Profanity and abuse")
    DISCLOSURE = "disclosure", _("Required disclosure for paid content")
    LINKS = "links", _("Links only to allowed domains")


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARN = "warn", _("Warning (can be overridden with a reason)")
    BLOCK = "block", _("Block")


assert set(Kind.values) == set(engine.KINDS) and set(Severity.values) == set(engine.SEVERITIES)


class GuidelineQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def active(self):
        return self.filter(is_active=True)


class Guideline(models.Model):
    """One rule of the organisation's social media guidelines."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="guidelines"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARN
    )
    rationale = models.TextField(_("why"), help_text=_("Why this rule exists."))
    example = models.TextField(_("example"), blank=True)
    origin = models.CharField(
        _("origin"),
        max_length=300,
        blank=True,
        help_text=_("Where the rule comes from, e.g. an incident."),
    )
    # Settings per kind: terms (confidential, one per line), detectors (personal data),
    # allowed domains (links), tags (disclosure).
    terms = models.TextField(
        _("terms"), blank=True, help_text=_("One term per line; variants are found too.")
    )
    detectors = models.JSONField(_("personal data to find"), default=list, blank=True)
    allowed_domains = models.TextField(
        _("allowed domains"), blank=True, help_text=_("One domain per line, e.g. example.nl.")
    )
    disclosure_tags = models.CharField(
        _("disclosure tags"),
        max_length=200,
        blank=True,
        default=" ".join(engine.DEFAULT_DISCLOSURE_TAGS),
    )
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "is_active"])]

    def __str__(self) -> str:
        return self.title

    def as_rule(self) -> engine.Rule:
        def lines(value: str) -> tuple[str, ...]:
            return tuple(line.strip() for line in value.splitlines() if line.strip())

        return engine.Rule(
            key=f"g{self.pk}",
            kind=self.kind,
            severity=self.severity,
            terms=lines(self.terms),
            detectors=tuple(self.detectors),
            allowed_domains=lines(self.allowed_domains),
            disclosure_tags=tuple(self.disclosure_tags.split()) or engine.DEFAULT_DISCLOSURE_TAGS,
        )


class GuidelineVersion(models.Model):
    """A frozen copy of a guideline as it was at one version; members acknowledge it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    rationale = models.TextField()
    example = models.TextField(blank=True)
    change_note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["guideline", "-number"]
        indexes = [models.Index(fields=["organisation", "guideline"])]
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="guideline_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class Acknowledgement(models.Model):
    """A member read and accepted one version of a guideline."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        GuidelineVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "version"])]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "version"], name="acknowledge_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} acknowledged {self.version}"

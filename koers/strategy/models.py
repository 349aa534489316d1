"""The strategy: a versioned profile and goal tree per organisation.

A version holds the business strategy profile (mission, vision, value discipline) and
its tree: business goals → social goals → KPIs, plus audiences, channels and content
pillars. Only a draft can be edited; publishing makes it the version everyone sees.

Every item carries a ``key`` that survives copying into the next draft, so a social
goal or KPI keeps its identity across versions: the diff pairs items by key, and later
parts of Koers (content items, webcare, alerts, KPI measurements) refer to a goal or
KPI by its key, not by the row of one version.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.strategy import smart
from koers.strategy.playbook_types import MEASURES, PLATFORMS


class Discipline(models.TextChoices):
    OPERATIONAL_EXCELLENCE = "operational_excellence", _("Operational excellence")
    CUSTOMER_INTIMACY = "customer_intimacy", _("Customer intimacy")
    PRODUCT_LEADERSHIP = "product_leadership", _("Product leadership")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Earlier version")


class StrategyVersionQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def draft(self):
        return self.filter(status=Status.DRAFT)

    def history(self):
        return self.exclude(status=Status.DRAFT).order_by("-number")


class StrategyVersion(models.Model):
    """One version of an organisation's strategy (at most one draft and one published)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="strategy_versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    primary_discipline = models.CharField(
        _("value discipline"), max_length=30, choices=Discipline.choices, blank=True
    )
    secondary_discipline = models.CharField(
        _("second value discipline"), max_length=30, choices=Discipline.choices, blank=True
    )
    webcare_role = models.TextField(_("role of webcare"), blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # Outbox of the "new version published" e-mail (see tasks.notify_published).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notify_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = StrategyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="strategy_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="draft"),
                name="strategy_one_draft_per_org",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="published"),
                name="strategy_one_published_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} v{self.number} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    def clean(self):
        if self.secondary_discipline and self.secondary_discipline == self.primary_discipline:
            raise ValidationError(
                {
                    "secondary_discipline": _(
                        "Choose a different discipline than the first, or none."
                    )
                }
            )
        if self.secondary_discipline and not self.primary_discipline:
            raise ValidationError(
                {"primary_discipline": _("Choose the main value discipline first.")}
            )


class StrategyItem(models.Model):
    """What every part of a version shares: organisation, version, key and order."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="%(class)ss"
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def clean(self):
        if self.version_id and self.organisation_id != self.version.organisation_id:
            raise ValidationError("The item and its version belong to different organisations.")


class BusinessGoal(StrategyItem):
    """A goal of the business itself, which social goals serve."""

    title = models.CharField(_("business goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    horizon = models.DateField(
        _("horizon"), null=True, blank=True, help_text=_("When the goal should be reached.")
    )

    class Meta(StrategyItem.Meta):
        indexes = [models.Index(fields=["organisation", "version"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="business_goal_key_per_version")
        ]

    def __str__(self) -> str:
        return self.title


class SocialGoal(StrategyItem):
    """What social media must achieve for a business goal; may refine another social
    goal of the same version (``parent``)."""

    business_goal = models.ForeignKey(
        BusinessGoal,
        on_delete=models.CASCADE,
        related_name="social_goals",
        verbose_name=_("serves business goal"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of social goal"),
    )
    title = models.CharField(_("social goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    playbook_key = models.CharField(max_length=60, blank=True, editable=False)

    class Meta(StrategyItem.Meta):
        indexes = [models.Index(fields=["organisation", "version"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="social_goal_key_per_version")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.business_goal_id and self.business_goal.version_id != self.version_id:
            raise ValidationError({"business_goal": _("Choose a business goal of this version.")})
        if self.parent_id and self.parent.business_goal_id != self.business_goal_id:
            raise ValidationError(
                {"parent": _("A sub-goal serves the same business goal as the goal it is part of.")}
            )
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A goal cannot be part of itself.")})
            if self.parent.version_id != self.version_id:
                raise ValidationError({"parent": _("Choose a goal of this version.")})
            ancestor, seen = self.parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if self.pk and ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("A goal cannot be part of one of its own sub-goals.")}
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Source(models.TextChoices):
    KOERS = "koers", _("Measured by Koers")
    MANUAL = "manual", _("Entered by hand")


# What Koers will measure, in words (the keys are in playbook_types.MEASURES).
MEASURE_LABELS = {
    "webcare.first_response_minutes": _("Webcare: median minutes to the first reply"),
    "webcare.handled_within_sla_share": _("Webcare: share answered within the target time"),
    "webcare.contacts": _("Webcare: contacts handled"),
    "listening.mentions": _("Listening: number of mentions"),
    "listening.positive_share": _("Listening: share of positive mentions"),
    "listening.negative_share": _("Listening: share of negative mentions"),
    "listening.share_of_voice": _("Listening: share of voice against named competitors"),
    "listening.questions_and_ideas": _("Listening: questions and ideas from customers"),
    "publishing.engagement_rate": _("Publishing: engagement per impression"),
    "publishing.reach": _("Publishing: reach of our own posts"),
    "content.ideas_submitted": _("Content: ideas submitted by employees"),
    "content.ideas_published": _("Content: employee ideas that became posts"),
    "support.ambassadors": _("Support: employees who share approved content"),
}
assert set(MEASURE_LABELS) == set(MEASURES), "every measurement needs a label"
MEASURE_CHOICES = list(MEASURE_LABELS.items())

PLATFORM_LABELS = {
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "whatsapp": "WhatsApp",
    "website": _("Website"),
}
assert set(PLATFORM_LABELS) == set(PLATFORMS), "every platform needs a label"


class Kpi(StrategyItem):
    """How a social goal is measured: unit, direction, baseline, target and period."""

    social_goal = models.ForeignKey(
        SocialGoal, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("social goal")
    )
    name = models.CharField(_("KPI"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    source = models.CharField(
        _("measured"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    measure = models.CharField(_("measurement"), max_length=60, blank=True, choices=MEASURE_CHOICES)
    playbook_key = models.CharField(max_length=60, blank=True, editable=False)

    class Meta(StrategyItem.Meta):
        verbose_name = "KPI"
        indexes = [models.Index(fields=["organisation", "version"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="kpi_key_per_version")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.social_goal_id and self.social_goal.version_id != self.version_id:
            errors["social_goal"] = _("Choose a social goal of this version.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The end lies before the start.")
        if self.source == Source.KOERS and not self.measure:
            errors["measure"] = _("Choose what Koers measures, or enter it by hand.")
        if self.source == Source.MANUAL and self.measure:
            errors["measure"] = _("A KPI entered by hand has no Koers measurement.")
        if errors:
            raise ValidationError(errors)

    def smart_hints(self) -> list[str]:
        """SMART hint codes (see koers/strategy/smart.py)."""
        return smart.hints(
            smart.KpiFacts(
                has_target=self.target is not None,
                has_deadline=self.period_end is not None,
                has_unit=bool(self.unit.strip()),
                has_measurement=self.source == Source.MANUAL or bool(self.measure),
                has_baseline=self.baseline is not None,
                has_owner=self.owner_id is not None,
                target_beats_baseline=_beats(self.baseline, self.target, self.direction),
            )
        )


def _beats(baseline: Decimal | None, target: Decimal | None, direction: str) -> bool | None:
    if baseline is None or target is None:
        return None
    return target > baseline if direction == Direction.INCREASE else target < baseline


class Audience(StrategyItem):
    name = models.CharField(_("audience"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(StrategyItem.Meta):
        indexes = [models.Index(fields=["organisation", "version"])]

    def __str__(self) -> str:
        return self.name


class Channel(StrategyItem):
    """A channel the organisation uses, with the purpose it serves."""

    platform = models.CharField(_("platform"), max_length=20, choices=list(PLATFORM_LABELS.items()))
    purpose = models.TextField(_("purpose"))

    class Meta(StrategyItem.Meta):
        indexes = [models.Index(fields=["organisation", "version"])]

    def __str__(self) -> str:
        return self.get_platform_display()


class ContentPillar(StrategyItem):
    name = models.CharField(_("content pillar"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(StrategyItem.Meta):
        indexes = [models.Index(fields=["organisation", "version"])]

    def __str__(self) -> str:
        return self.name


# URL name of each kind of item → its model (the editor's URLs and the chokepoint).
ITEM_KINDS: dict[str, type[StrategyItem]] = {
    "business-goal": BusinessGoal,
    "social-goal": SocialGoal,
    "kpi": Kpi,
    "audience": Audience,
    "channel": Channel,
    "pillar": ContentPillar,
}


class StrategyReader(models.Model):
    """Which published version a member last read, so the strategy page can tell them
    what changed since."""

    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="strategy_reader"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "membership"])]

    def __str__(self) -> str:
        return f"{self.membership} read v{self.last_read_number}"


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def snapshot(version: StrategyVersion) -> dict:
    """The version as plain data (for the diff and the exports), in a fixed number of
    queries."""

    def person(user):
        return (user.name or user.email) if user is not None else None

    goals = list(version.businessgoals.select_related("owner"))
    social = list(version.socialgoals.select_related("business_goal", "parent"))
    kpis = list(version.kpis.select_related("social_goal", "owner"))
    return {
        "number": version.number,
        "status": version.status,
        "mission": version.mission,
        "vision": version.vision,
        "primary_discipline": version.primary_discipline,
        "secondary_discipline": version.secondary_discipline,
        "webcare_role": version.webcare_role,
        "business_goals": [
            {
                "key": str(g.key),
                "title": g.title,
                "description": g.description,
                "owner": person(g.owner),
                "horizon": _text(g.horizon),
            }
            for g in goals
        ],
        "social_goals": [
            {
                "key": str(s.key),
                "title": s.title,
                "description": s.description,
                "business_goal": str(s.business_goal.key),
                "parent": str(s.parent.key) if s.parent else None,
            }
            for s in social
        ],
        "kpis": [
            {
                "key": str(k.key),
                "name": k.name,
                "social_goal": str(k.social_goal.key),
                "unit": k.unit,
                "direction": k.direction,
                "baseline": _text(k.baseline),
                "target": _text(k.target),
                "period_start": _text(k.period_start),
                "period_end": _text(k.period_end),
                "owner": person(k.owner),
                "source": k.source,
                "measure": k.measure or None,
            }
            for k in kpis
        ],
        "audiences": [
            {"key": str(a.key), "name": a.name, "description": a.description}
            for a in version.audiences.all()
        ],
        "channels": [
            {"key": str(c.key), "platform": c.platform, "purpose": c.purpose}
            for c in version.channels.all()
        ],
        "pillars": [
            {"key": str(p.key), "name": p.name, "description": p.description}
            for p in version.contentpillars.all()
        ],
    }

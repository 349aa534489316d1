"""Draagvlak: pulse-survey waves, personal links, anonymous responses.

Anonymity is structural. A ``Ticket`` (one per invited member) knows the person and
whether they finished; a ``Response`` knows only the wave, the group it counts for
(department, or management) and the answers. Nothing in a response points at a ticket,
a membership or a user, and responses carry no time: the order of answering cannot be
matched with anything either. The link the member holds is the only bridge: it is derived
from the ticket with the server secret (so a reminder can repeat it) and never stored;
an unfinished response is found again through an HMAC of the link (``resume_key``),
which is cleared when the response is submitted and when the wave closes.

What this does and does not protect: no row links a finished response to a person, not
even for someone holding the database and the secret key. Someone with database access
can still reason from counts: if only one member of a department has finished, the one
response of that department is theirs. The small-group rule keeps such groups out of
every page, export and API answer; the raw database is for administrators only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koers.support.index import ABSOLUTE_MINIMUM_GROUP, DEFAULT_MINIMUM_GROUP


class WaveStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class WaveQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def closed(self):
        return self.filter(status=WaveStatus.CLOSED)


class Wave(models.Model):
    """One round of the pulse survey."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="waves"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    # The language the questions were written in; the links and reminders use it too.
    language = models.CharField(max_length=2, default="nl")
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.DRAFT)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=DEFAULT_MINIMUM_GROUP,
        validators=[MinValueValidator(ABSOLUTE_MINIMUM_GROUP)],
        help_text=_("Results of a group with fewer responses are never shown on their own."),
    )
    # The published strategy the understanding questions were asked against.
    strategy_version = models.ForeignKey(
        "strategy.StrategyVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Participation (activity in Koers) at closing, for the index: members active in the
    # wave's period, and members then.
    active_members = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(default=0)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="wave_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} wave {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == WaveStatus.OPEN and (
            self.closes_at is None or self.closes_at > timezone.now()
        )


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agree or disagree (1–5)")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Open answer")
    DISCIPLINE = "discipline", _("Name the value discipline")
    TOP_GOALS = "top_goals", _("Pick the top goals")


class Component(models.TextChoices):
    SUPPORT = "support", pgettext_lazy("draagvlak component", "Support")
    UNDERSTANDING = "understanding", _("Understanding")
    EXAMPLE = "example", _("Management example")
    USE = "use", _("Own social media use")
    CONTRIBUTION = "contribution", _("Willingness to contribute")
    OTHER = "other", _("Other")


class Question(models.Model):
    """A question of one wave (copied from the question bank, or written by hand)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    component = models.CharField(
        _("measures"), max_length=14, choices=Component.choices, default=Component.OTHER
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    # [{"value": "...", "label": "..."}] for single and multiple choice.
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(default=0)
    bank_key = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "wave"])]
        constraints = [
            models.UniqueConstraint(fields=["wave", "key"], name="question_unique_key_per_wave")
        ]

    def __str__(self) -> str:
        return self.text


def _mac(purpose: str, value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"koers.support.{purpose}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def resume_key_for(token: str) -> str:
    """Finds an unfinished response again from the member's link. Cleared when the
    response is submitted, so a finished response cannot be found from anything."""
    return _mac("resume", token)


def _salt() -> str:
    return secrets.token_hex(16)


class TicketStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Answered")


class TicketQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Ticket(models.Model):
    """A member's personal link to a wave: who was invited and whether they finished.
    Never connected to their answers."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="tickets")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="survey_tickets"
    )
    # The group the member's answers count for, fixed at launch.
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_management = models.BooleanField(default=False)
    # The link is derived from the id and this salt with the server secret, so that a
    # reminder can send the same link again; it is never stored itself.
    salt = models.CharField(max_length=32, default=_salt, editable=False)
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.INVITED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # An explicit, non-anonymous choice made after the survey: "put my name forward
    # for the ambassador team". Kept here, never with the answers.
    ambassador_opt_in = models.BooleanField(default=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "wave", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "membership"], name="ticket_one_per_member_per_wave"
            )
        ]

    def __str__(self) -> str:
        return f"ticket {self.pk} for wave {self.wave_id}"

    @property
    def token(self) -> str:
        return f"{self.pk}-{_mac('ticket', f'{self.pk}:{self.salt}')[:40]}"

    @property
    def url(self) -> str:
        from django.urls import reverse

        return settings.BASE_URL + reverse("support:answer", args=[self.token])


def find_ticket(token: str) -> Ticket | None:
    """The ticket a link belongs to, or None for a tampered or unknown link."""
    pk, _sep, mac = token.partition("-")
    if not pk.isdigit() or not mac:
        return None
    ticket = Ticket.objects.select_related("wave", "organisation").filter(pk=int(pk)).first()
    if ticket is None or not hmac.compare_digest(ticket.token, token):
        return None
    return ticket


class ResponseQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def complete(self):
        return self.filter(is_complete=True)


class Response(models.Model):
    """The answers of one person to one wave, with no trace of who they are.

    ``department`` is None for management (owners and managers are one group across
    the organisation, so that no manager stands alone in a department) and for
    employees without a department.
    """

    # A random id: sequential numbers would tell the order in which people answered.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_management = models.BooleanField(default=False)
    resume_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    is_complete = models.BooleanField(default=False)
    # Component scores (0–100) worked out when the response is submitted.
    support_score = models.FloatField(null=True, blank=True)
    understanding_score = models.FloatField(null=True, blank=True)
    example_score = models.FloatField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "wave", "is_complete"])]

    def __str__(self) -> str:
        return f"response to wave {self.wave_id}"


class AmbassadorTeam(models.Model):
    """A team of ambassadors, usually across departments."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="ambassador_teams"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="ambassador_team_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AmbassadorStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Ambassador")
    DECLINED = "declined", _("Declined")


class AmbassadorSource(models.TextChoices):
    SURVEY = "survey", _("Put their name forward in a survey")
    ACTIVITY = "activity", _("Active in Koers")
    MANUAL = "manual", _("Proposed by the social media team")
    VOLUNTEERED = "volunteered", _("Volunteered on their ambassador page")


class AmbassadorQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class Ambassador(models.Model):
    """A member on the way to (or in) the ambassador network, with their profile."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="ambassador"
    )
    team = models.ForeignKey(
        AmbassadorTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ambassadors",
        verbose_name=_("team"),
    )
    status = models.CharField(
        max_length=10, choices=AmbassadorStatus.choices, default=AmbassadorStatus.CANDIDATE
    )
    source = models.CharField(
        max_length=12, choices=AmbassadorSource.choices, default=AmbassadorSource.MANUAL
    )
    interests = models.TextField(
        _("interests"), blank=True, help_text=_("Topics you like to share about.")
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.status})"


class MaturityAssessment(models.Model):
    """The organisation's self-assessment on the maturity model for one quarter, with
    the evidence Koers found at the time."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="maturity_assessments"
    )
    quarter = models.CharField(max_length=7)  # "2026-Q4"
    # {dimension key: level 1–5}, as the organisation assessed itself.
    levels = models.JSONField(default=dict)
    # {dimension key: {"level": n, "because": "..."}}: what the evidence in Koers supports.
    evidence = models.JSONField(default=dict, blank=True)
    stage = models.PositiveSmallIntegerField()
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter"], name="maturity_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.quarter}: stage {self.stage}"

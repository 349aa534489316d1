"""Organisations (the tenants), their departments, members and invitations."""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.nlp.language import DEFAULT_LANGUAGES, MAX_LANGUAGES, OFFERED_LANGUAGES
from koers.orgs.capabilities import Role

INVITATION_SALT = "koers.orgs.invitation"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a known time zone; use a name such as Europe/Amsterdam."),
            params={"value": value},
        ) from None


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


# The names of the languages an organisation can monitor (koers.nlp.language.OFFERED_LANGUAGES),
# in the order offered.
MONITORED_LANGUAGE_NAMES = {
    "nl": _("Dutch"),
    "en": _("English"),
    "de": _("German"),
    "fr": _("French"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "pt": _("Portuguese"),
    "pl": _("Polish"),
    "tr": _("Turkish"),
    "ar": _("Arabic"),
}


def default_monitored_languages() -> list[str]:
    return list(DEFAULT_LANGUAGES)


def validate_monitored_languages(value) -> None:
    """Known codes only, each once, at most MAX_LANGUAGES (none at all is the field's
    "blank" error: validators do not see empty values)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Choose the languages from the list."))
    unknown = [code for code in value if code not in MONITORED_LANGUAGE_NAMES]
    if unknown:
        raise ValidationError(
            _("“%(code)s” is not one of the languages offered; choose from the list."),
            params={"code": unknown[0]},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Choose each language only once."))
    if len(value) > MAX_LANGUAGES:
        raise ValidationError(
            _(
                "Choose at most %(max)d languages: each extra language makes detection "
                "slower and less sure."
            ),
            params={"max": MAX_LANGUAGES},
        )


def in_offered_order(codes):
    """``codes`` in the order languages are offered, so that the same choice is always
    stored the same way. What is not a list of codes comes back as it is, and unknown
    codes go last: the validator refuses both."""
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        return codes
    order = {code: i for i, code in enumerate(OFFERED_LANGUAGES)}
    return sorted(codes, key=lambda code: order.get(code, len(order)))


class Organisation(models.Model):
    """A tenant: everything in Koers belongs to exactly one organisation."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Amsterdam",
        validators=[validate_time_zone],
    )
    require_two_factor_for_owners = models.BooleanField(
        _("owners must use two-factor authentication"), default=False
    )
    # ISO 639-1 codes, in the order of OFFERED_LANGUAGES: language detection in
    # listening chooses only among these.
    monitored_languages = models.JSONField(
        _("monitored languages"),
        default=default_monitored_languages,
        validators=[validate_monitored_languages],
        error_messages={"blank": _("Choose at least one language.")},
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Department(models.Model):
    """A part of the organisation; support (draagvlak) is measured per department."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="department_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def owners(self):
        return self.filter(role=Role.OWNER)


class Membership(models.Model):
    """A user's place in one organisation: their role and department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_unique_user_per_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class InvitationQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed, expiring, single-use link to join an organisation with a role.

    The link carries a signature over (id, key): the key is random per invitation and
    the signature needs the server's secret, so the database alone cannot produce a
    working link, and the worker can still rebuild the link to send it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("department"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    key = models.CharField(max_length=64, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        return signing.dumps([self.pk, self.key], salt=INVITATION_SALT, compress=True)

    @property
    def url(self) -> str:
        from django.urls import reverse

        return settings.BASE_URL + reverse("orgs:invitation_accept", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"

    def get_status_display(self) -> str:
        return {
            "accepted": _("Accepted"),
            "revoked": _("Withdrawn"),
            "expired": _("Expired"),
            "pending": _("Pending"),
        }[self.status]


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link points at, or None for a tampered or unknown link."""
    try:
        pk, key = signing.loads(token, salt=INVITATION_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None or not secrets.compare_digest(invitation.key, str(key)):
        return None
    return invitation

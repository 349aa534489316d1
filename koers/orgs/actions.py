"""Writes on organisations, members, departments and invitations.

Each function is one transaction, records its audit event, and schedules side effects
(e-mail) after commit. Rules that protect an organisation live here, not in views:
the last owner stays an owner, an address is a member only once, an invitation is
used only once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.orgs.capabilities import Role
from koers.orgs.models import (
    Department,
    Invitation,
    Membership,
    Organisation,
    in_offered_order,
)

User = get_user_model()


class InvitationProblem(Exception):
    """Why an invitation link cannot be used; ``code`` picks the page shown."""

    def __init__(self, code: str, invitation: Invitation | None = None):
        super().__init__(code)
        self.code = code
        self.invitation = invitation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisatie"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def start_organisation(
    *,
    name: str,
    owner_email: str,
    slug: str = "",
    default_language: str = "nl",
    actor: str = "koers createorg",
) -> tuple[Organisation, Invitation]:
    """A new organisation and an invitation for its first owner, who then sets their own
    password. (Until the invitation is accepted the organisation has no members.)"""
    if slug and Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("The address name %(slug)s is taken.") % {"slug": slug}})
    org = Organisation(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        default_language=default_language,
        time_zone=settings.TIME_ZONE,
    )
    org.full_clean()
    org.save()
    record_event(org, action=Action.ORGANISATION_CREATED, target=org.name, actor_email=actor)
    invitation = invite_member(org, email=owner_email, role=Role.OWNER, by=None)
    return org, invitation


def _check_department(organisation, department) -> None:
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError(
            {"department": _("That department is not part of this organisation.")}
        )


@transaction.atomic
def invite_member(
    organisation: Organisation,
    *,
    email: str,
    role: str,
    by,
    department=None,
    request=None,
) -> Invitation:
    """Create an invitation and e-mail its link (after commit).

    A new invitation for an address with one still pending replaces the old one, so
    only the newest link works.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    _check_department(organisation, department)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of %(org)s.")
                % {"email": email, "org": organisation.name}
            }
        )
    now = timezone.now()
    Invitation.objects.for_org(organisation).pending().filter(email__iexact=email).update(
        revoked_at=now
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        department=department,
        invited_by=by,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    record_event(
        organisation,
        action=Action.INVITATION_SENT,
        by=by,
        request=request,
        target=email,
        details={"role": role, "department": department.name if department else None},
    )
    from koers.orgs.tasks import send_invitation

    transaction.on_commit(lambda: queue(send_invitation, invitation.pk))
    return invitation


@transaction.atomic
def resend_invitation(invitation: Invitation, *, by, request=None) -> Invitation:
    """Send a pending invitation again, with a fresh expiry date and a new link."""
    if invitation.status not in {"pending", "expired"}:
        raise ValidationError(_("This invitation was already used or withdrawn."))
    return invite_member(
        invitation.organisation,
        email=invitation.email,
        role=invitation.role,
        department=invitation.department,
        by=by,
        request=request,
    )


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by, request=None) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated:
        record_event(
            invitation.organisation,
            action=Action.INVITATION_REVOKED,
            by=by,
            request=request,
            target=invitation.email,
        )


def check_invitation(invitation: Invitation | None, *, user=None) -> Invitation:
    """Raise InvitationProblem unless the invitation can be accepted by ``user``
    (None: somebody not logged in, who will create or use the invited account)."""
    if invitation is None:
        raise InvitationProblem("invalid")
    if invitation.accepted_at:
        raise InvitationProblem("used", invitation)
    if invitation.revoked_at:
        raise InvitationProblem("revoked", invitation)
    if invitation.is_expired:
        raise InvitationProblem("expired", invitation)
    if user is not None and user.is_authenticated and user.email.lower() != invitation.email:
        raise InvitationProblem("foreign", invitation)
    if Membership.objects.filter(
        organisation=invitation.organisation, user__email__iexact=invitation.email
    ).exists():
        raise InvitationProblem("member", invitation)
    return invitation


@transaction.atomic
def accept_invitation(
    invitation: Invitation,
    *,
    user=None,
    name: str = "",
    password: str = "",
    request=None,
) -> Membership:
    """Join the organisation. Without ``user``, the account for the invited address is
    created with ``password`` (or, when it already exists, the caller must log in first).
    """
    # Lock the row: two clicks on the same link must not both succeed.
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    check_invitation(invitation, user=user)
    if user is None or not user.is_authenticated:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationProblem("login_required", invitation)
        user = User.objects.create_user(invitation.email, password, name=name.strip())
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not claimed:
        raise InvitationProblem("used", invitation)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                organisation=invitation.organisation,
                role=invitation.role,
                department=invitation.department,
            )
    except IntegrityError:
        raise InvitationProblem("member", invitation) from None
    record_event(
        invitation.organisation,
        action=Action.INVITATION_ACCEPTED,
        by=user,
        request=request,
        target=user.email,
        details={"role": invitation.role},
    )
    return membership


def _owner_count(organisation) -> int:
    return Membership.objects.for_org(organisation).owners().count()


@transaction.atomic
def change_membership(
    membership: Membership,
    *,
    role: str,
    department=None,
    by,
    request=None,
) -> Membership:
    """Change a member's role and department; the last owner stays owner."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    _check_department(membership.organisation, department)
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and _owner_count(membership.organisation) <= 1
    ):
        raise ValidationError(
            {
                "role": _("%(name)s is the only owner. Make someone else owner first.")
                % {"name": membership.user}
            }
        )
    before = {"role": membership.role, "department": str(membership.department or "")}
    membership.role = role
    membership.department = department
    membership.save(update_fields=["role", "department"])
    after = {"role": role, "department": str(department or "")}
    if before != after:
        record_event(
            membership.organisation,
            action=Action.ROLE_CHANGED,
            by=by,
            request=request,
            target=membership.user.email,
            details={"before": before, "after": after},
        )
    return membership


@transaction.atomic
def remove_member(membership: Membership, *, by, request=None) -> None:
    """Remove someone from the organisation (their account stays); never the last owner."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == Role.OWNER and _owner_count(membership.organisation) <= 1:
        raise ValidationError(
            _("%(name)s is the only owner and cannot be removed. Make someone else owner first.")
            % {"name": membership.user}
        )
    email = membership.user.email
    membership.delete()
    # Their API tokens act as them in this organisation: they go too.
    from koers.api.models import ApiToken

    ApiToken.objects.filter(
        organisation=membership.organisation, created_by=membership.user
    ).delete()
    record_event(
        membership.organisation, action=Action.MEMBER_REMOVED, by=by, request=request, target=email
    )


@transaction.atomic
def create_department(organisation, *, name: str, by, request=None) -> Department:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the department a name.")})
    if Department.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("There is already a department called %(name)s.") % {"name": name}}
        )
    department = Department.objects.create(organisation=organisation, name=name)
    record_event(
        organisation, action=Action.DEPARTMENT_CREATED, by=by, request=request, target=name
    )
    return department


@transaction.atomic
def rename_department(department: Department, *, name: str, by, request=None) -> Department:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the department a name.")})
    clash = Department.objects.filter(organisation=department.organisation, name__iexact=name)
    if clash.exclude(pk=department.pk).exists():
        raise ValidationError(
            {"name": _("There is already a department called %(name)s.") % {"name": name}}
        )
    old = department.name
    department.name = name
    department.save(update_fields=["name"])
    record_event(
        department.organisation,
        action=Action.DEPARTMENT_CHANGED,
        by=by,
        request=request,
        target=name,
        details={"before": old},
    )
    return department


@transaction.atomic
def delete_department(department: Department, *, by, request=None) -> None:
    """Delete a department; its members stay, without a department."""
    name, organisation = department.name, department.organisation
    members = department.memberships.count()
    department.delete()
    record_event(
        organisation,
        action=Action.DEPARTMENT_DELETED,
        by=by,
        request=request,
        target=name,
        details={"members_without_department": members},
    )


SETTINGS_FIELDS = (
    "name",
    "default_language",
    "time_zone",
    "require_two_factor_for_owners",
    "monitored_languages",
)


@transaction.atomic
def update_settings(organisation: Organisation, *, by, request=None, **values) -> Organisation:
    """Change the organisation's settings; the audit event lists what changed."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not a setting: {', '.join(sorted(unknown))}")
    if "monitored_languages" in values:
        # The same choice in another order is no change.
        values["monitored_languages"] = in_offered_order(values["monitored_languages"])
    changes = {}
    for field, value in values.items():
        old = getattr(organisation, field)
        if old != value:
            changes[field] = {"before": old, "after": value}
            setattr(organisation, field, value)
    if not changes:
        return organisation
    organisation.full_clean()
    organisation.save(update_fields=list(changes))
    record_event(
        organisation,
        action=Action.SETTINGS_CHANGED,
        by=by,
        request=request,
        target=organisation.name,
        details=changes,
    )
    return organisation

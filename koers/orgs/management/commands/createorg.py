"""koers createorg "Name" owner@example.nl — start a real organisation.

Creates the organisation and an owner invitation, and prints the invitation link
(it is also e-mailed), so the first owner sets their own password.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.orgs.capabilities import Role
from koers.orgs.models import Organisation


class Command(BaseCommand):
    help = "Create an organisation and invite its first owner."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument("owner_email", help="e-mail address of the first owner")
        parser.add_argument("--slug", default="", help="address name (default: from name)")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")

    def handle(self, name, owner_email, slug, language, **options):
        from koers.orgs.actions import _unique_slug, invite_member

        try:
            validate_email(owner_email)
        except ValidationError:
            raise CommandError(f"{owner_email!r} is not an e-mail address.") from None
        if not name.strip():
            raise CommandError("Give the organisation a name.")
        if slug and (slug != slugify(slug) or Organisation.objects.filter(slug=slug).exists()):
            raise CommandError(
                f"The address name {slug!r} is taken or not valid "
                "(lower-case letters, digits and hyphens)."
            )
        with transaction.atomic():
            org = Organisation(
                name=name.strip(), slug=slug or _unique_slug(name), default_language=language
            )
            try:
                org.full_clean()
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            org.save()
            record_event(
                org,
                action=Action.ORGANISATION_CREATED,
                target=org.name,
                actor_email="koers createorg",
            )
            invitation = invite_member(org, email=owner_email, role=Role.OWNER, by=None)
        self.stdout.write(f"Created {org.name} (/o/{org.slug}/).")
        self.stdout.write(
            f"Owner invitation for {invitation.email}, valid until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M %Z}:"
        )
        self.stdout.write(invitation.url)

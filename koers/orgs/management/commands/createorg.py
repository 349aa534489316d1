"""koers createorg "Name" owner@example.nl: start a real organisation.

Creates the organisation and an invitation for its first owner, and prints the
invitation link (it is also e-mailed), so the owner sets their own password.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from koers.orgs.actions import start_organisation


class Command(BaseCommand):
    help = "Create an organisation and invite its first owner."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument("owner_email", help="e-mail address of the first owner")
        parser.add_argument("--slug", default="", help="address name (default: from name)")
        parser.add_argument("--language", choices=["nl", "en"], default="nl")

    def handle(self, name, owner_email, slug, language, **options):
        try:
            validate_email(owner_email)
        except ValidationError:
            raise CommandError(f"{owner_email!r} is not an e-mail address.") from None
        if not name.strip():
            raise CommandError("Give the organisation a name.")
        try:
            org, invitation = start_organisation(
                name=name, owner_email=owner_email, slug=slug, default_language=language
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        expires = timezone.localtime(invitation.expires_at, org.zone)
        self.stdout.write(f"Created {org.name} (/o/{org.slug}/).")
        self.stdout.write(
            f"Owner invitation for {invitation.email}, valid until "
            f"{expires:%Y-%m-%d %H:%M} ({org.time_zone}):"
        )
        self.stdout.write(invitation.url)

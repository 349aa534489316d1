"""Re-encrypt every secret Koers keeps under the current SECRET_KEY.

To rotate the key: put the new key in KOERS_SECRET_KEY and the old one in
SECRET_KEY_FALLBACKS, run ``koers rotate_secrets``, then drop the old key. Values
already under the current key are left as they are, so running it twice is harmless;
a value no key can read is counted and left (its owner has to enter it again).
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from koers import crypto
from koers.listening import secrets as listening_secrets
from koers.publishing import secrets as publishing_secrets

# (app label, model, field, HKDF context of the key).
COLUMNS = [
    ("listening", "Source", "token_encrypted", listening_secrets.CONTEXT),
    ("alerts", "Channel", "url_encrypted", listening_secrets.CONTEXT),
    ("alerts", "Channel", "secret_encrypted", listening_secrets.CONTEXT),
    ("publishing", "ChannelAccount", "secrets_encrypted", publishing_secrets.CONTEXT),
]


def rotate_column(model, field: str, context: bytes) -> dict[str, int]:
    current = crypto.fernet(settings.SECRET_KEY, context)
    every_key = crypto.keys(context)
    counts = {"rotated": 0, "current": 0, "unreadable": 0}
    rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
    for pk, value in rows.iterator(chunk_size=500):
        token = value.encode("ascii")
        try:
            current.decrypt(token)
        except InvalidToken:
            pass
        else:
            counts["current"] += 1
            continue
        try:
            fresh = every_key.rotate(token).decode("ascii")
        except InvalidToken:
            counts["unreadable"] += 1
            continue
        # Only if nobody changed it meanwhile (a person saving a new token wins).
        with transaction.atomic():
            counts["rotated"] += model.objects.filter(pk=pk, **{field: value}).update(
                **{field: fresh}
            )
    return counts


class Command(BaseCommand):
    help = "Re-encrypt stored tokens and passwords under the current SECRET_KEY."

    def handle(self, *args, **options):
        totals = {"rotated": 0, "current": 0, "unreadable": 0}
        for label, name, field, context in COLUMNS:
            model = apps.get_model(label, name)
            counts = rotate_column(model, field, context)
            for key, value in counts.items():
                totals[key] += value
            self.stdout.write(
                f"{label}.{name}.{field}: {counts['rotated']} re-encrypted, "
                f"{counts['current']} already current, {counts['unreadable']} unreadable"
            )
        self.stdout.write(
            f"Total: {totals['rotated']} re-encrypted, {totals['current']} already current, "
            f"{totals['unreadable']} unreadable"
        )
        if totals["unreadable"]:
            self.stderr.write(
                "Values no key can read stay as they are; their owners must enter them again."
            )

"""Creating and revoking API tokens."""

from django.db import transaction
from django.utils import timezone

from koers.api.models import ApiToken
from koers.audit.actions import record_event
from koers.audit.models import Action


@transaction.atomic
def create_api_token(organisation, *, name: str, by, request=None) -> tuple[ApiToken, str]:
    """A new token for ``by`` in ``organisation``; the secret is returned only here."""
    token, prefix, digest = ApiToken.generate()
    row = ApiToken.objects.create(
        organisation=organisation,
        created_by=by,
        name=name.strip(),
        prefix=prefix,
        token_hash=digest,
    )
    record_event(
        organisation,
        action=Action.API_TOKEN_CREATED,
        by=by,
        request=request,
        target=f"{row.name} ({prefix}…)",
    )
    return row, token


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by, request=None) -> None:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record_event(
            token.organisation,
            action=Action.API_TOKEN_REVOKED,
            by=by,
            request=request,
            target=f"{token.name} ({token.prefix}…)",
        )

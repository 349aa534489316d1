"""Token authentication for the REST API and the capability check for endpoints."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from koers.api.models import ApiToken, hash_token
from koers.orgs.access import needs_two_factor
from koers.orgs.capabilities import CAPABILITIES, can
from koers.orgs.models import Membership


class TokenAuth(HttpBearer):
    """``Authorization: Bearer koers_…``: resolves the organisation and the member."""

    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("organisation")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None:
            return None
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation=row.organisation, user=row.created_by, user__is_active=True)
            .first()
        )
        if membership is None:
            return None
        if needs_two_factor(membership):
            raise HttpError(
                403,
                "Your organisation requires two-factor authentication for "
                "owners: set it up in Koers before using the API.",
            )
        now = timezone.now()
        # Write at most once a minute: a busy client must not turn reads into writes.
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.org = row.organisation
        request.membership = membership
        request.api_token = row
        return row


def capability(name: str):
    """Endpoint decorator: 403 unless the token's member has the capability."""
    if name not in CAPABILITIES:
        raise KeyError(f"Unknown capability {name!r}")

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not can(request.membership, name):
                raise HttpError(403, "Your role does not allow this.")
            return func(request, *args, **kwargs)

        wrapper.koers_access = ("org", name)
        return wrapper

    return decorator

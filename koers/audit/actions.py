"""Writing to the audit log."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

from koers.audit.models import AuditEvent


def client_address(request) -> str | None:
    """The client's address. Behind KOERS_PROXY_COUNT reverse proxies it is the entry
    that many places from the right in X-Forwarded-For: entries further left were
    written by the client itself and can be forged."""
    if request is None:
        return None
    proxies = settings.PROXY_COUNT
    if proxies:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [address.strip() for address in header.split(",") if address.strip()]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                return None
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    organisation,
    *,
    action: str,
    by=None,
    request=None,
    target: str = "",
    details: dict | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Add one event to the organisation's audit log."""
    return record_events(
        [organisation],
        action=action,
        by=by,
        request=request,
        target=target,
        details=details,
        actor_email=actor_email,
    )[0]


def record_events(
    organisations: Iterable,
    *,
    action: str,
    by=None,
    request=None,
    target: str = "",
    details: dict | None = None,
    actor_email: str = "",
) -> list[AuditEvent]:
    """The same event in several organisations' logs (a login shows up for every
    organisation the person belongs to, so each owner sees it)."""
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    email = actor_email or (user.email if user else "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    rows = [
        AuditEvent(
            organisation=organisation,
            actor=user,
            actor_email=email,
            action=action,
            target=target[:300],
            details=details or {},
            ip_address=client_address(request),
            user_agent=agent,
        )
        for organisation in organisations
    ]
    return AuditEvent.objects.bulk_create(rows)

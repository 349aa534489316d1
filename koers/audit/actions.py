"""Writing to the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from koers.audit.models import AuditEvent


def client_address(request) -> str | None:
    """The client's address. Behind a proxy, REMOTE_ADDR is the proxy's: configure the
    proxy to pass the real address (gunicorn --forwarded-allow-ips)."""
    if request is None:
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

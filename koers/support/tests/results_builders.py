"""Small builders for the results tests: complete responses and tickets, written
directly (the answering flow has its own tests)."""

from __future__ import annotations

from koers.orgs.capabilities import Role
from koers.support.models import Response, Ticket, TicketStatus
from koers.tests.cast import make_member


def add_responses(
    wave,
    count: int,
    *,
    department=None,
    management: bool = False,
    support: float | None = 60.0,
    understanding: float | None = 60.0,
    example: float | None = 60.0,
    answers: dict | None = None,
) -> None:
    Response.objects.bulk_create(
        Response(
            organisation=wave.organisation,
            wave=wave,
            department=None if management else department,
            is_management=management,
            is_complete=True,
            support_score=support,
            understanding_score=understanding,
            example_score=example,
            answers=dict(answers or {}),
        )
        for _ in range(count)
    )


def add_tickets(wave, *, invited: int, answered: int, department=None, management=False):
    """``invited`` new members with a ticket each, ``answered`` of them completed."""
    org = wave.organisation
    start = Ticket.objects.filter(wave=wave).count()
    tickets = []
    for n in range(invited):
        member = make_member(
            org,
            Role.MANAGER if management else Role.EMPLOYEE,
            email=f"w{wave.number}-{start + n}@{org.slug}.example",
            department=department,
        )
        tickets.append(
            Ticket(
                organisation=org,
                wave=wave,
                membership=member,
                department=department,
                is_management=management,
                status=TicketStatus.COMPLETED if n < answered else TicketStatus.INVITED,
            )
        )
    return Ticket.objects.bulk_create(tickets)

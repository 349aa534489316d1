"""The mails publishing sends: to the owners when an account needs reconnecting, to
the person who posts a manual channel's post, and to the submitter of an idea once
its post has been out for a day ("your idea reached N people").

Each goes out after the row that records it was written (the account's status, the
publication's, the item's transition), in the organisation's language and time zone;
a mail that fails is logged and does not undo that row.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger(__name__)


def _send(organisation, to: list[str], subject, body) -> bool:
    """``subject`` and ``body`` are callables, so they are translated in the
    organisation's language."""
    if not to:
        return False
    try:
        with (
            translation.override(organisation.default_language),
            timezone.override(organisation.zone),
        ):
            EmailMessage(f"[Koers] {subject()}", body(), to=to).send()
    except Exception:
        log.exception("publishing mail to %s not sent", to)
        return False
    return True


def mark_reconnect(account, message: str, now) -> bool:
    """Mark the account "reconnect needed" with the reason and tell its owners, once
    (not again while it stays so)."""
    from koers.publishing.models import AccountStatus, ChannelAccount

    marked = (
        ChannelAccount.objects.filter(pk=account.pk)
        .exclude(status=AccountStatus.RECONNECT)
        .update(status=AccountStatus.RECONNECT, last_error=message, last_error_at=now)
    )
    if marked:
        account.refresh_from_db()
        reconnect_needed(account)
    return bool(marked)


def reconnect_needed(account) -> bool:
    from koers.orgs.models import Membership

    organisation = account.organisation
    owners = [
        m.user.email
        for m in Membership.objects.for_org(organisation).owners().select_related("user")
        if m.user.email
    ]
    return _send(
        organisation,
        owners,
        lambda: _("Reconnect the account “%(name)s”") % {"name": account.name},
        lambda: (
            _(
                "Koers could not publish on “%(name)s”: %(reason)s\n\n"
                "Posts for this account wait until someone connects it again under "
                "Publishing → Accounts in Koers.\n%(url)s\n"
            )
            % {"name": account.name, "reason": account.last_error, "url": settings.BASE_URL}
        ),
    )


def post_by_hand(publication) -> bool:
    account = publication.account
    person = account.responsible
    if person is None or not person.email:
        return False
    item = publication.variant.item
    return _send(
        account.organisation,
        [person.email],
        lambda: (
            _("Time to post “%(title)s” on %(account)s")
            % {"title": item.title, "account": account.name}
        ),
        lambda: (
            _(
                "It is time to post this on %(account)s:\n\n%(text)s\n\n"
                "Afterwards, record the link of your post in Koers, so it counts.\n%(url)s\n"
            )
            % {"account": account.name, "text": publication.variant.text, "url": settings.BASE_URL}
        ),
    )


def idea_reached(item, *, people: int | None, interactions: int) -> bool:
    person = item.submitted_by
    if person is None or not person.email:
        return False

    def outcome() -> str:
        if people is not None:
            return ngettext(
                "It reached %(count)d person.", "It reached %(count)d people.", people
            ) % {"count": people}
        return ngettext(
            "People reacted to it %(count)d time (likes, reposts and replies together).",
            "People reacted to it %(count)d times (likes, reposts and replies together).",
            interactions,
        ) % {"count": interactions}

    return _send(
        item.organisation,
        [person.email],
        lambda: _("Your idea “%(title)s” is out") % {"title": item.title},
        lambda: (
            _("Your idea “%(title)s” was published a day ago. %(outcome)s\n\nThank you!\n")
            % {"title": item.title, "outcome": outcome()}
        ),
    )

"""Writes on listening that people make through the interface: saved queries, sources,
stakeholders and corrections of a mention's sentiment or category. Changes to what the
organisation listens to (queries, sources, stakeholders) go into the audit log;
corrections are their own record (``Correction``).

Ingest, enrichment and fetching live in their own modules (``ingest``, ``enrich``,
``sources``); this module calls them lazily, so the interface keeps working while a
part is switched off or not installed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.listening.models import (
    Correction,
    Mention,
    MentionMatch,
    SavedQuery,
    Source,
    SourceKind,
    SourceStatus,
    Stakeholder,
)
from koers.query import Document, QuerySyntaxError, analyse, compile

log = logging.getLogger(__name__)

# A new or changed query is matched against this much history right away, so its
# counts and the explorer are right before the next enrichment batch.
REMATCH_DAYS = 90
REMATCH_LIMIT = 20_000


def _audit(organisation, action: str, *, by, target: str, details: dict | None = None) -> None:
    """An audit event; ``by`` is the member who acted (None: the system or the API,
    whose token is then named in ``details``)."""
    record_event(
        organisation,
        action=action,
        by=getattr(by, "user", None),
        target=target,
        details=details,
    )


# --- reading mentions as the query language sees them ---------------------------------


def groups_by_author(organisation) -> dict[str, set[str]]:
    """The stakeholder groups of every known author (lower case) of the organisation."""
    groups: dict[str, set[str]] = defaultdict(set)
    for author, group in Stakeholder.objects.filter(organisation=organisation).values_list(
        "author", "group"
    ):
        groups[author.casefold()].add(group)
    return groups


def document_for(mention: Mention, groups: dict[str, set[str]] | None = None) -> Document:
    """The mention as a query-language document. ``groups`` (from ``groups_by_author``)
    gives the author's current stakeholder groups; without it, those stored on the
    mention by enrichment."""
    author_groups = (
        groups.get(mention.author.casefold(), ()) if groups is not None else mention.groups
    )
    return Document(
        text=mention.text,
        title=mention.title,
        author=mention.author,
        site=mention.site,
        url=mention.url,
        lang=mention.language,
        country=mention.country,
        hashtags=mention.hashtags or None,
        mentions=mention.mentioned or None,
        groups=frozenset(author_groups or ()),
    )


def preview_matches(organisation, query, *, window: int = 2000, shown: int = 20):
    """The organisation's most recent ``window`` mentions that ``query`` (compiled)
    matches: (how many matched, the newest ``shown`` of them)."""
    groups = groups_by_author(organisation)
    recent = (
        Mention.objects.for_org(organisation)
        .select_related("source")
        .only(
            "pk",
            "text",
            "title",
            "author",
            "author_name",
            "site",
            "url",
            "language",
            "country",
            "hashtags",
            "mentioned",
            "groups",
            "published_at",
            "sentiment",
            "source__name",
            "source__kind",
        )
        .order_by("-published_at", "-pk")[:window]
    )
    matched = []
    scanned = 0
    for mention in recent:
        scanned += 1
        if query.matches_analysed(analyse(document_for(mention, groups))):
            matched.append(mention)
    return len(matched), matched[:shown], scanned


# --- saved queries ---------------------------------------------------------------------


def save_query(
    organisation,
    *,
    by,
    name: str,
    text: str,
    role: str,
    is_active: bool = True,
    query: SavedQuery | None = None,
) -> SavedQuery:
    """Create or change a saved query. Only a query that compiles is saved: an invalid
    one raises ``QuerySyntaxError`` (position and message) and nothing is written."""
    compiled = compile(text)
    with transaction.atomic():
        if query is None:
            query = SavedQuery.objects.create(
                organisation=organisation,
                name=name,
                text=text,
                role=role,
                is_active=is_active,
                created_by=by.user if by else None,
            )
            changed = True
        else:
            changed = query.text != text
            query.name, query.text, query.role, query.is_active = name, text, role, is_active
            query.updated_at = timezone.now()
            query.save(update_fields=["name", "text", "role", "is_active", "updated_at"])
        if changed:
            rematch_query(query, compiled)
        _audit(
            organisation,
            Action.LISTENING_QUERY_SAVED,
            by=by,
            target=name,
            details={"query": query.pk, "text": text, "active": is_active},
        )
    return query


def rematch_query(query: SavedQuery, compiled=None) -> int:
    """Match a (new or changed) query against the organisation's recent mentions and
    store the matches; returns how many matched. Older history waits for a re-run of
    enrichment."""
    compiled = compiled or compile(query.text)
    since = timezone.now() - timedelta(days=REMATCH_DAYS)
    groups = groups_by_author(query.organisation)
    MentionMatch.objects.filter(query=query).delete()
    mentions = (
        Mention.objects.for_org(query.organisation)
        .filter(published_at__gte=since)
        .order_by("-published_at")
        .only(
            "pk",
            "text",
            "title",
            "author",
            "site",
            "url",
            "language",
            "country",
            "hashtags",
            "mentioned",
            "groups",
        )[:REMATCH_LIMIT]
    )
    rows = [
        MentionMatch(organisation_id=query.organisation_id, mention_id=m.pk, query=query)
        for m in mentions.iterator(chunk_size=2000)
        if compiled.matches_analysed(analyse(document_for(m, groups)))
    ]
    MentionMatch.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def delete_query(query: SavedQuery, *, by) -> None:
    with transaction.atomic():
        _audit(
            query.organisation,
            Action.LISTENING_QUERY_DELETED,
            by=by,
            target=query.name,
            details={"query": query.pk, "text": query.text},
        )
        query.delete()


def query_error_message(error: QuerySyntaxError, language: str | None) -> str:
    """The error in the member's language (the query language has its own Dutch)."""
    return error.message_nl if (language or "").startswith("nl") else error.message_en


# --- sources ---------------------------------------------------------------------------


def _store_token(source: Source, token: str) -> None:
    from koers.listening.secrets import set_token

    set_token(source, token)


def save_source(
    organisation,
    *,
    by,
    kind: str,
    name: str,
    url: str = "",
    term: str = "",
    token: str = "",
    remove_token: bool = False,
    source: Source | None = None,
) -> Source:
    """Add or change a source. A changed address or term starts afresh (cursor, status,
    failures); the token is stored encrypted and only replaced when a new one is given."""
    with transaction.atomic():
        if source is None:
            source = Source.objects.create(
                organisation=organisation, kind=kind, name=name, url=url, term=term
            )
        else:
            fields = ["name"]
            if (source.url, source.term) != (url, term):
                source.url, source.term = url, term
                source.cursor = {}
                source.failures = 0
                source.last_error = ""
                source.next_fetch_at = None
                if source.status != SourceStatus.PAUSED:
                    source.status = SourceStatus.NEW
                fields += ["url", "term", "cursor", "failures", "last_error", "next_fetch_at"]
                fields.append("status")
            source.name = name
            source.save(update_fields=fields)
        if token:
            _store_token(source, token)
        elif remove_token and source.token_encrypted:
            source.token_encrypted = ""
            source.save(update_fields=["token_encrypted"])
        # The address and terms, never the token.
        _audit(
            organisation,
            Action.LISTENING_SOURCE_SAVED,
            by=by,
            target=name,
            details={
                "source": source.pk,
                "kind": source.kind,
                "url": url,
                "term": term,
                "token": "replaced" if token else ("removed" if remove_token else "kept"),
            },
        )
    return source


def set_source_active(source: Source, *, active: bool, by) -> Source:
    """Pause or resume a source. A resumed source is fetched at the next round."""
    source.is_active = active
    if active:
        source.status = SourceStatus.OK if source.last_success_at else SourceStatus.NEW
        source.failures = 0
        source.last_error = ""
        source.next_fetch_at = timezone.now()
    else:
        source.status = SourceStatus.PAUSED
    with transaction.atomic():
        source.save(
            update_fields=["is_active", "status", "failures", "last_error", "next_fetch_at"]
        )
        _audit(
            source.organisation,
            Action.LISTENING_SOURCE_RESUMED if active else Action.LISTENING_SOURCE_PAUSED,
            by=by,
            target=source.name,
            details={"source": source.pk},
        )
    return source


# The worker fetches these when due; the live stream in bounded catch-ups from its cursor.
POLLED_KINDS = {
    SourceKind.RSS,
    SourceKind.MASTODON_TAG,
    SourceKind.MASTODON_SEARCH,
    SourceKind.BLUESKY_SEARCH,
    SourceKind.BLUESKY_STREAM,
}
# What "fetch now" works for.
FETCHED_KINDS = POLLED_KINDS


def request_fetch(source: Source, *, by) -> bool:
    """ "Fetch now": due at once, and queued for the worker when it has a task for it.
    Returns whether the source is one that is fetched (push and imports are not)."""
    if source.kind not in FETCHED_KINDS or not source.is_active:
        return False
    source.next_fetch_at = timezone.now()
    source.save(update_fields=["next_fetch_at"])
    # Imported here: the tasks module imports the fetchers, which use these actions.
    from koers.listening.tasks import fetch_source_task

    transaction.on_commit(lambda: queue(fetch_source_task, source.pk))
    return True


def delete_source(source: Source, *, by) -> None:
    with transaction.atomic():
        _audit(
            source.organisation,
            Action.LISTENING_SOURCE_DELETED,
            by=by,
            target=source.name,
            details={"source": source.pk, "kind": source.kind},
        )
        source.delete()


# --- stakeholders ----------------------------------------------------------------------


def _set_group_on_mentions(organisation, author: str, group: str, *, present: bool) -> None:
    """Keep the groups stored on the author's mentions in step (the explorer and the
    threat score read them)."""
    changed = []
    for mention in (
        Mention.objects.for_org(organisation).filter(author__iexact=author).only("pk", "groups")
    ):
        groups = list(mention.groups or [])
        if present and group not in groups:
            groups.append(group)
        elif not present and group in groups:
            groups.remove(group)
        else:
            continue
        mention.groups = sorted(groups)
        changed.append(mention)
    Mention.objects.bulk_update(changed, ["groups"], batch_size=500)


def add_stakeholder(organisation, *, by, author: str, name: str, group: str) -> Stakeholder:
    author = author.strip()
    if not author:
        raise ValidationError({"author": _("Enter the author as it appears on mentions.")})
    if Stakeholder.objects.filter(
        organisation=organisation, author__iexact=author, group=group
    ).exists():
        raise ValidationError({"author": _("This author is already in that group.")})
    try:
        with transaction.atomic():
            stakeholder = Stakeholder.objects.create(
                organisation=organisation, author=author, name=name.strip(), group=group
            )
            _set_group_on_mentions(organisation, author, group, present=True)
            _audit(
                organisation,
                Action.STAKEHOLDER_ADDED,
                by=by,
                target=author,
                details={"group": group, "name": stakeholder.name},
            )
    except IntegrityError as duplicate:
        raise ValidationError({"author": _("This author is already in that group.")}) from (
            duplicate
        )
    return stakeholder


def remove_stakeholder(stakeholder: Stakeholder, *, by) -> None:
    with transaction.atomic():
        organisation, author = stakeholder.organisation, stakeholder.author
        group = stakeholder.group
        stakeholder.delete()
        still = Stakeholder.objects.filter(
            organisation=organisation, author__iexact=author, group=group
        ).exists()
        if not still:
            _set_group_on_mentions(organisation, author, group, present=False)
        _audit(
            organisation,
            Action.STAKEHOLDER_REMOVED,
            by=by,
            target=author,
            details={"group": group},
        )


# --- corrections -----------------------------------------------------------------------

CORRECTABLE = ("sentiment", "category")


def correct_mention(mention: Mention, *, by, field: str, value: str) -> Correction:
    """A person sets a mention's sentiment or category. The correction is kept (the
    classifier learns from it) and the mention no longer changes by enrichment."""
    if field not in CORRECTABLE:
        raise ValidationError(_("Only the sentiment or the category can be corrected."))
    with transaction.atomic():
        locked = Mention.objects.select_for_update().get(pk=mention.pk)
        old = getattr(locked, field)
        correction = Correction.objects.create(
            organisation_id=locked.organisation_id,
            mention=locked,
            field=field,
            old_value=old,
            new_value=value,
            by=by.user if by else None,
        )
        setattr(locked, field, value)
        locked.is_corrected = True
        locked.save(update_fields=[field, "is_corrected"])
        setattr(mention, field, value)
        mention.is_corrected = True
        from koers.listening.enrich_tasks import train_classifier

        organisation_id = locked.organisation_id
        transaction.on_commit(lambda: queue(train_classifier, organisation_id))
    return correction

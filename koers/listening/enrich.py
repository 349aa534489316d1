"""Enrichment: the worker's second half of ingest, in batches.

``enrich_pending()`` takes unenriched mentions in primary-key order, ``batch_size`` at a
time, and for each batch, per organisation: language (among the organisation's
languages), sentiment, category (the organisation's classifier where it is sure, else
the rules), hashtags and mentioned handles when ingest left them empty, stakeholder
groups of the author, the saved queries that match (``MentionMatch``), repost and
near-duplicate collapse (``duplicate_of``), and the threat score. The computing is done
by the framework-free cores in ``koers.nlp`` and ``koers.query``.

Each batch is written in one transaction (matches and fields, ``is_enriched`` last), so
a crash leaves the batch unenriched and the next run does it again; matches are
inserted with ``ignore_conflicts`` on their unique (mention, query), so a rerun never
doubles them. A mention a person corrected keeps its sentiment and category.

Huey tasks that call this live in ``enrich_tasks``.
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connections, router, transaction
from django.db.models import Count, Max

from koers.listening import classifier
from koers.listening.models import Mention, MentionMatch, SavedQuery, Stakeholder
from koers.nlp.category import categorise
from koers.nlp.duplicates import DuplicateIndex, fingerprint
from koers.nlp.language import DEFAULT_LANGUAGES, detect_many
from koers.nlp.sentiment import NEGATIVE, NEUTRAL, POSITIVE, Sentiment, analyse
from koers.nlp.threat import threat_score
from koers.query import Document, Matcher, QuerySyntaxError, compile
from koers.query.tokenize import folded_tokens

log = logging.getLogger(__name__)

FIELDS = [
    "language",
    "sentiment",
    "sentiment_score",
    "sentiment_confidence",
    "category",
    "threat_score",
    "hashtags",
    "mentioned",
    "groups",
    "duplicate_of",
    "is_enriched",
]
# The languages sentiment is read in ("" is unknown: both are tried).
SENTIMENT_LANGUAGES = frozenset({"nl", "en", ""})
# Reposts and near-duplicates are looked for among this much earlier history.
DUPLICATE_WINDOW = timedelta(hours=48)
DUPLICATE_HISTORY_LIMIT = 20_000
DUPLICATE_INDEX_LIMIT = 100_000
# Velocity: posts by the same author in the last hour against the usual hourly rate
# over the week before.
VELOCITY_WINDOW = timedelta(hours=1)
VELOCITY_BASELINE = timedelta(days=7)


def languages_of(organisation) -> tuple[str, ...]:
    """The languages the organisation monitors (its setting, in the order stored);
    Dutch and English without an organisation."""
    if organisation is None or not organisation.monitored_languages:
        return DEFAULT_LANGUAGES
    return tuple(organisation.monitored_languages)


# --- per-organisation state kept between batches ----------------------------------------


@dataclass
class _Matching:
    key: tuple
    matcher: Matcher[int]


@dataclass
class _Duplicates:
    index: DuplicateIndex[int] = field(default_factory=DuplicateIndex)
    loaded_until: int = 0  # the highest primary key read from the database
    # The start of the period the index covers; it is rebuilt once batches move on, so
    # posts weeks apart (a backfill, a long-running worker) never count as duplicates.
    window_start: datetime | None = None


_matchers: dict[int, _Matching] = {}
_duplicates: dict[int, _Duplicates] = {}


def forget_caches(organisation_id: int | None = None) -> None:
    """Drop the kept matchers and duplicate indexes (all, or one organisation's)."""
    if organisation_id is None:
        _matchers.clear()
        _duplicates.clear()
    else:
        _matchers.pop(organisation_id, None)
        _duplicates.pop(organisation_id, None)


def matcher_for(organisation_id: int) -> Matcher[int]:
    """All active saved queries of the organisation in one matcher, rebuilt only when a
    query was added, changed, switched or removed."""
    active = SavedQuery.objects.filter(organisation_id=organisation_id, is_active=True)
    state = active.aggregate(latest=Max("updated_at"), count=Count("pk"))
    key = (state["latest"], state["count"])
    kept = _matchers.get(organisation_id)
    if kept is not None and kept.key == key:
        return kept.matcher
    compiled = {}
    for pk, text in active.values_list("pk", "text"):
        try:
            compiled[pk] = compile(text)
        except QuerySyntaxError:
            # Saving refuses invalid queries; one that the language no longer accepts
            # is skipped rather than stopping everyone's enrichment.
            log.warning("saved query %s does not compile; skipped", pk)
    matcher = Matcher(compiled)
    _matchers[organisation_id] = _Matching(key, matcher)
    return matcher


def _stakeholder_groups(organisation_id: int) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for author, group in Stakeholder.objects.filter(organisation_id=organisation_id).values_list(
        "author", "group"
    ):
        groups[author.casefold()].add(group)
    return groups


def _groups_for(author: str, stakeholders: dict[str, set[str]]) -> list[str]:
    key = author.casefold()
    found = stakeholders.get(key) or stakeholders.get(key.lstrip("@")) or set()
    if not found and not key.startswith("@"):
        found = stakeholders.get("@" + key, set())
    return sorted(found)


def _duplicate_index(organisation_id: int, batch: list[Mention]) -> DuplicateIndex[int]:
    """The organisation's duplicate index, brought up to date with mentions enriched
    since (by another run, or before this process started)."""
    since = min(m.published_at for m in batch) - DUPLICATE_WINDOW
    kept = _duplicates.get(organisation_id)
    # When the index is started afresh, the posts it already fingerprinted are not
    # fingerprinted again (the window moves on every two days on a long backfill).
    known: DuplicateIndex[int] | None = None
    if (
        kept is None
        or len(kept.index) > DUPLICATE_INDEX_LIMIT
        or kept.window_start is None
        or since < kept.window_start
        or since > kept.window_start + DUPLICATE_WINDOW
    ):
        known = kept.index if kept is not None else None
        kept = _duplicates[organisation_id] = _Duplicates(window_start=since)
    earlier = list(
        Mention.objects.filter(
            organisation_id=organisation_id,
            is_enriched=True,
            pk__gt=kept.loaded_until,
            published_at__gte=since,
        )
        .order_by("-pk")
        .values_list("pk", "text", "duplicate_of_id")[:DUPLICATE_HISTORY_LIMIT]
    )
    index = kept.index
    for pk, text, original in reversed(earlier):
        # The batches this process enriched are in the index already.
        if pk not in index:
            fp = known.fingerprint_of(pk) if known is not None else None
            index.add(pk, fp if fp is not None else fingerprint(text), original)
    if earlier:
        kept.loaded_until = max(kept.loaded_until, earlier[0][0])
    return kept.index


def _velocity(organisation_id: int, mentions: list[Mention]) -> dict[int, tuple[float, float]]:
    """For each mention: (posts by its author in the hour before it, usual posts per
    hour in the week before that). One query for the whole batch."""
    authors = {m.author for m in mentions if m.author}
    if not authors:
        return {}
    start = min(m.published_at for m in mentions) - VELOCITY_BASELINE
    end = max(m.published_at for m in mentions)
    times: dict[str, list] = defaultdict(list)
    for author, published in Mention.objects.filter(
        organisation_id=organisation_id,
        author__in=authors,
        published_at__gte=start,
        published_at__lte=end,
    ).values_list("author", "published_at"):
        times[author].append(published)
    hours = (VELOCITY_BASELINE - VELOCITY_WINDOW) / timedelta(hours=1)
    result = {}
    for m in mentions:
        moments = sorted(times.get(m.author, ()))
        if not moments:
            continue
        now = bisect.bisect_right(moments, m.published_at)
        hour_ago = bisect.bisect_right(moments, m.published_at - VELOCITY_WINDOW)
        week_ago = bisect.bisect_left(moments, m.published_at - VELOCITY_BASELINE)
        # The mention itself is not part of its own burst.
        recent = max(0, now - hour_ago - 1)
        baseline = (hour_ago - week_ago) / hours
        result[m.pk] = (recent, baseline)
    return result


# --- the batch ------------------------------------------------------------------------------


def _sentiment_from(prediction: classifier.Prediction, rules: Sentiment) -> Sentiment:
    """The classifier's label, with a score that agrees with it."""
    if prediction.label == NEUTRAL:
        return Sentiment(NEUTRAL, 0.0, round(prediction.probability, 4))
    sign = 1.0 if prediction.label == POSITIVE else -1.0
    magnitude = max(abs(rules.score), prediction.probability - 0.5)
    return Sentiment(prediction.label, round(sign * magnitude, 4), round(prediction.probability, 4))


def _enrich_organisation(
    organisation_id: int, mentions: list[Mention]
) -> list[tuple[int, int, int]]:
    from koers.orgs.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    languages = languages_of(organisation)
    stakeholders = _stakeholder_groups(organisation_id)
    matcher = matcher_for(organisation_id)
    model = classifier.load(organisation_id)
    index = _duplicate_index(organisation_id, mentions)

    texts = [f"{m.title}\n{m.text}" if m.title else m.text for m in mentions]
    langs = detect_many(texts, languages)
    matches: list[tuple[int, int, int]] = []
    for mention, text, detected in zip(mentions, texts, langs, strict=True):
        # Too short or unsure: the platform's own label, where it gave one, stands.
        lang = mention.language = detected or mention.language
        if not mention.is_corrected:
            sentiment = analyse(text, lang)
            category = categorise(text, sentiment)
            label = category.label
            if model is not None:
                # Sentiment is read in Dutch and English only; a post in another
                # monitored language stays neutral rather than get a guess.
                predicted = (
                    model.predict("sentiment", text) if lang in SENTIMENT_LANGUAGES else None
                )
                if predicted is not None:
                    sentiment = _sentiment_from(predicted, sentiment)
                predicted = model.predict("category", text)
                if predicted is not None:
                    label = predicted.label
            mention.sentiment = sentiment.label
            mention.sentiment_score = sentiment.score
            mention.sentiment_confidence = sentiment.confidence
            mention.category = label
        if not mention.hashtags or not mention.mentioned:
            # The text is cut into tokens once for both.
            tokens = folded_tokens(mention.text)
            if not mention.hashtags:
                mention.hashtags = sorted({t[1:] for t in tokens if t[0] == "#"})
            if not mention.mentioned:
                mention.mentioned = sorted({t[1:] for t in tokens if t[0] == "@"})
        mention.groups = _groups_for(mention.author, stakeholders)
        document = Document(
            text=mention.text,
            title=mention.title,
            author=mention.author,
            site=mention.site,
            url=mention.url,
            lang=lang,
            country=mention.country,
            hashtags=mention.hashtags or None,
            mentions=mention.mentioned or None,
            groups=frozenset(mention.groups),
        )
        matches.extend((organisation_id, mention.pk, query) for query in matcher.match(document))
        original = index.check_and_add(mention.pk, fingerprint(mention.text))
        mention.duplicate_of_id = original if original != mention.pk else None
        mention.is_enriched = True
    negative = [m for m in mentions if m.sentiment == NEGATIVE]
    velocity = _velocity(organisation_id, negative)
    for mention in mentions:
        recent, baseline = velocity.get(mention.pk, (0, 0))
        mention.threat_score = threat_score(
            followers=mention.author_reach,
            sentiment_score=mention.sentiment_score,
            sentiment_confidence=mention.sentiment_confidence,
            recent=recent,
            baseline=baseline,
            groups=mention.groups,
        )
    return matches


def _update_plan(connection) -> tuple[str, list]:
    """The UPDATE statement for the enrichment fields and, per field, how its value is
    prepared: JSON through the model field (so it is stored exactly as the ORM would),
    the rest (text, numbers, booleans, ids) as they are."""
    plan = _UPDATE_PLANS.get(connection.alias)
    if plan is None:
        quote = connection.ops.quote_name
        fields = [Mention._meta.get_field(name) for name in FIELDS]
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
        # Only the model's own table and column names go into the text; values are
        # parameters.
        sql = (
            f"UPDATE {quote(Mention._meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {quote(Mention._meta.pk.column)} = %s"
        )
        converters = []
        for field in fields:
            if field.get_internal_type() == "JSONField":
                converters.append((field.attname, _json_converter(field, connection)))
            else:
                converters.append((field.attname, None))
        plan = _UPDATE_PLANS[connection.alias] = (sql, converters)
    return plan


_UPDATE_PLANS: dict[str, tuple[str, list]] = {}


def _json_converter(field, connection):
    empty = field.get_db_prep_save([], connection)

    def convert(value):
        # Most mentions have no hashtags, handles or groups: adapt the empty list once.
        return field.get_db_prep_save(value, connection) if value else empty

    return convert


def _update_mentions(mentions: list[Mention]) -> None:
    """Write the enrichment fields of ``mentions``: one prepared UPDATE, run for every
    row. Django's ``bulk_update`` builds a CASE expression per field per row and spent
    95 % of a batch's time doing so (about 270 mentions a second); this is the same
    write at database speed."""
    connection = connections[router.db_for_write(Mention)]
    sql, converters = _update_plan(connection)
    rows = [
        [
            getattr(m, name) if convert is None else convert(getattr(m, name))
            for name, convert in converters
        ]
        + [m.pk]
        for m in mentions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_matches(matches: list[tuple[int, int, int]]) -> None:
    """(organisation, mention, query) rows, one prepared ``INSERT … ON CONFLICT DO
    NOTHING`` for all (``bulk_create(ignore_conflicts=True)`` without a model instance
    and compiled SQL per row); the unique (mention, query) keeps a rerun from doubling
    them."""
    if not matches:
        return
    connection = connections[router.db_for_write(MentionMatch)]
    quote = connection.ops.quote_name
    meta = MentionMatch._meta
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("organisation", "mention", "query")
    )
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608  (names from the model)
        "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, matches)


def _write_batch(mentions: list[Mention], matches: list[tuple[int, int, int]]) -> None:
    with transaction.atomic(using=router.db_for_write(Mention)):
        _insert_matches(matches)
        _update_mentions(mentions)


def enrich_batch(mentions: list[Mention]) -> None:
    """Enrich ``mentions`` (rows already in the database: model instances, or the
    lighter rows ``enrich_pending`` reads) and store the results."""
    by_organisation: dict[int, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_organisation[mention.organisation_id].append(mention)
    matches: list[tuple[int, int, int]] = []
    try:
        for organisation_id, group in by_organisation.items():
            matches += _enrich_organisation(organisation_id, group)
        _write_batch(mentions, matches)
        # The batch is in the duplicate indexes already: the next batch need not read
        # it back from the database.
        for organisation_id, group in by_organisation.items():
            kept = _duplicates.get(organisation_id)
            if kept is not None:
                kept.loaded_until = max(kept.loaded_until, max(m.pk for m in group))
    except BaseException:
        # The duplicate index may hold mentions that were not stored: start it afresh.
        for organisation_id in by_organisation:
            _duplicates.pop(organisation_id, None)
        raise


# What enrichment reads of a mention and writes back (``_Row`` carries them).
_READ = (
    "pk",
    "organisation_id",
    "title",
    "text",
    "author",
    "author_reach",
    "site",
    "url",
    "country",
    "published_at",
    "is_corrected",
    "language",
    "sentiment",
    "sentiment_score",
    "sentiment_confidence",
    "category",
    "hashtags",
    "mentioned",
)


class _Row:
    """A pending mention as enrichment needs it: the columns of ``_READ`` and the
    fields it writes, without building a model instance per row."""

    __slots__ = (*_READ, "threat_score", "groups", "duplicate_of_id", "is_enriched")

    def __init__(self, values: tuple) -> None:
        for name, value in zip(_READ, values, strict=True):
            setattr(self, name, value)


def enrich_pending(
    organisation_id: int | None = None,
    batch_size: int = 1000,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Enrich every unenriched mention (of one organisation, or all); returns how many.

    Batches follow the primary key, so a run that is interrupted leaves the rest
    unenriched for the next run and mentions ingested meanwhile are picked up too.
    """
    done = 0
    after = 0
    while True:
        pending = Mention.objects.filter(is_enriched=False, pk__gt=after)
        if organisation_id is not None:
            pending = pending.filter(organisation_id=organisation_id)
        batch = [_Row(values) for values in pending.order_by("pk").values_list(*_READ)[:batch_size]]
        if not batch:
            return done
        after = batch[-1].pk
        enrich_batch(batch)
        done += len(batch)
        if progress is not None:
            progress(done)

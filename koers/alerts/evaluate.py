"""The early-warning engine: ``evaluate_organisation(organisation_id)`` runs every active
rule of one organisation once. The worker calls it right after an enrichment batch and
once a minute (``koers.alerts.evaluate_tasks``).

Series kinds (volume spike, sentiment dip, share of voice) count the rule's mentions
(matching its saved query, or all the organisation's mentions without one; reposts and
near-duplicates left out) per 5-minute bucket of ``published_at``:

- A bucket is *settled* once it ended ``SETTLE`` ago (polled sources deliver mentions a
  few minutes late); settled buckets are fed to the detector in order and stored in
  the rule's ``SeriesState``. On the first evaluation up to ``BACKFILL`` of history is
  fed, so the detector knows the daily and weekly pattern from the start.
- The buckets not yet settled, the current one included, are scored on a *copy* of the
  detector that is thrown away: a surge is reported while it is still under way, at
  the evaluation right after the mention that makes it cross the threshold.
- No series alert for a bucket with fewer than ``MIN_BUCKET_MENTIONS`` (too little to
  mean anything), nor for a bucket older than ``ALERT_HORIZON`` (history that is being
  caught up; only the demo and tests ask for those with ``include_history``).

Mention kinds (influential author, threat, term) look at the mentions enriched since
the previous evaluation: a cursor (the highest mention id looked at) is kept in a
``SeriesState`` with key ``"cursor"``. It never passes a mention still waiting for
enrichment, so one enriched late is not skipped.

Each rule is evaluated in its own transaction with its row locked, so two workers do
not feed the same buckets twice; ``actions.raise_alert`` applies the cooldown.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from koers.alerts import actions
from koers.alerts.models import AlertRule, RuleKind, SeriesState
from koers.alerts.series import (
    BUCKET,
    Series,
    bucket_start,
    buckets,
    prune_points,
    threshold,
)
from koers.listening.actions import document_for
from koers.listening.models import Mention, Sentiment
from koers.orgs.models import Organisation
from koers.query import QuerySyntaxError, analyse, compile

log = logging.getLogger(__name__)

# A series alert needs at least this many mentions (volume) or negative mentions
# (sentiment dip) in its bucket: below it, a "surge" is a handful of posts.
MIN_BUCKET_MENTIONS = 5
# A bucket is fed to the detector (for good) once it ended this long ago.
SETTLE = timedelta(minutes=10)
# No alert for a bucket or mention older than this (catching up on history).
ALERT_HORIZON = timedelta(hours=2)
# How much history a new series learns from on its first evaluation.
BACKFILL = timedelta(days=14)
# Share of voice: the competitor's share of the two queries' mentions over the last
# hour, against the day before it.
SOV_WINDOW = timedelta(hours=1)
SOV_PREVIOUS = timedelta(hours=24)
SOV_MIN_MENTIONS = 10
# The competitor's share of the last hour above which it "overtakes" us, per
# sensitivity (high: as soon as it is ahead at all).
SOV_SHARE = {"high": 0.5, "normal": 0.55, "low": 0.6}
# Mentions looked at per mention rule per evaluation; the rest wait for the next one.
MENTION_BATCH = 5000

SERIES_KEY = {
    RuleKind.VOLUME_SPIKE: "volume",
    RuleKind.SENTIMENT_DIP: "negative",
    RuleKind.SHARE_OF_VOICE: "sov",
}
CURSOR_KEY = "cursor"
MENTION_FIELDS = (
    "pk",
    "organisation_id",
    "text",
    "title",
    "author",
    "author_name",
    "author_reach",
    "site",
    "url",
    "language",
    "country",
    "hashtags",
    "mentioned",
    "groups",
    "threat_score",
    "published_at",
)


def evaluate_organisation(
    organisation_id: int, now: datetime | None = None, *, include_history: bool = False
) -> list:
    """Evaluate every active rule of the organisation; returns the alerts raised.

    ``include_history``: also raise alerts for buckets and mentions older than
    ``ALERT_HORIZON`` (the demo and tests replay history with it; the worker never
    does)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return []
    now = now or timezone.now()
    raised = []
    rules = (
        AlertRule.objects.for_org(organisation)
        .active()
        .select_related("query", "competitor_query", "organisation")
    )
    # Titles and summaries are written in the organisation's language: they go out
    # to e-mail, chat and webhooks as they are.
    with translation.override(organisation.default_language):
        for rule in rules:
            try:
                raised += evaluate_rule(rule, now, include_history=include_history)
            except Exception:
                # One broken rule must not stop the others; the next run tries again.
                log.exception("evaluating alert rule %s failed", rule.pk)
    return raised


def evaluate_rule(rule: AlertRule, now: datetime, *, include_history: bool = False) -> list:
    with transaction.atomic():
        # Locks the rule for the evaluation (PostgreSQL); SQLite has one writer anyway.
        if not AlertRule.objects.select_for_update().filter(pk=rule.pk, is_active=True).exists():
            return []
        context = _Context(rule, now, include_history, rule.organisation.zone)
        if rule.kind in (RuleKind.VOLUME_SPIKE, RuleKind.SENTIMENT_DIP):
            return _evaluate_series(context)
        if rule.kind == RuleKind.SHARE_OF_VOICE:
            return _evaluate_share_of_voice(context)
        return _evaluate_mentions(context)


@dataclass
class _Context:
    rule: AlertRule
    now: datetime
    history: bool
    zone: object

    def may_alert(self, moment: datetime) -> bool:
        return self.history or moment >= self.now - ALERT_HORIZON

    def fired_at(self, moment: datetime) -> datetime:
        """When the alert counts as fired: now, or the data's moment when replaying."""
        return min(moment, self.now) if self.history else self.now

    def local(self, moment: datetime) -> str:
        return formats.date_format(timezone.localtime(moment, self.zone), "j M Y H:i")


def _state_row(rule: AlertRule, key: str) -> SeriesState:
    row, _created = SeriesState.objects.get_or_create(
        rule=rule, key=key, defaults={"organisation_id": rule.organisation_id}
    )
    return row


def _mentions_of(rule: AlertRule, query, start: datetime, end: datetime):
    """The rule's mentions published in [start, end), reposts and near-duplicates left
    out: those matching ``query``, or all the organisation's without one."""
    mentions = Mention.objects.filter(
        organisation_id=rule.organisation_id,
        published_at__gte=start,
        published_at__lt=end,
        duplicate_of__isnull=True,
    )
    if query is not None:
        mentions = mentions.filter(matches__query=query)
    return mentions


def _count(rule: AlertRule, query, start: datetime, end: datetime) -> dict:
    """Per bucket start: [mentions, negative, rated (with a sentiment)]."""
    counts: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = _mentions_of(rule, query, start, end).values_list("published_at", "sentiment")
    for published_at, sentiment in rows.iterator(chunk_size=5000):
        row = counts[bucket_start(published_at)]
        row[0] += 1
        if sentiment:
            row[2] += 1
            if sentiment == Sentiment.NEGATIVE:
                row[1] += 1
    return counts


def _first_bucket(rule: AlertRule, row: SeriesState, settled_until: datetime) -> datetime:
    """The first bucket to feed: the one after the last fed; on the first evaluation,
    the bucket of the earliest mention within ``BACKFILL`` (a series that starts
    with days of nothing is not a series that is usually empty)."""
    oldest = bucket_start(settled_until - BACKFILL)
    if row.last_bucket is not None:
        return max(row.last_bucket + BUCKET, oldest)
    earliest = None
    for query in (rule.query, rule.competitor_query):
        if query is None and earliest is not None:
            continue
        first = (
            _mentions_of(rule, query, oldest, settled_until)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if first is not None and (earliest is None or first < earliest):
            earliest = first
        if rule.kind != RuleKind.SHARE_OF_VOICE:
            break
    return bucket_start(earliest) if earliest is not None else bucket_start(settled_until)


# --- volume spike and sentiment dip ---------------------------------------------------


def _signal(kind: str, counts: list[int]) -> tuple[int, float]:
    """(the value shown, the signal the detector learns from) of one bucket.

    Volume: the number of mentions, both. Sentiment dip: shown is the number of
    negative mentions; the detector gets the negatives weighted by their share of the
    rated mentions (negatives² / rated), so a surge of negatives stands out when their
    share grows too, and a busy hour with the usual share of negatives counts less."""
    total, negative, rated = counts
    if kind == RuleKind.VOLUME_SPIKE:
        return total, float(total)
    return negative, (negative * negative / rated) if rated else 0.0


def _evaluate_series(context: _Context) -> list:
    rule, now = context.rule, context.now
    row = _state_row(rule, SERIES_KEY[rule.kind])
    series = Series(row.state, row.points, context.zone)
    settled_until = bucket_start(now - SETTLE)
    first = _first_bucket(rule, row, settled_until)
    counts = _count(rule, rule.query, first, now)
    fired = series.extra.get("fired") or ""
    limit = threshold(rule.sensitivity)
    candidates = []
    for start in buckets(first, settled_until):
        value, signal = _signal(rule.kind, counts.get(start, [0, 0, 0]))
        score, baseline = series.feed(start, value, signal)
        row.last_bucket = start
        if score >= limit and value >= MIN_BUCKET_MENTIONS:
            iso = start.isoformat()
            if iso > fired:
                fired = iso
                if context.may_alert(start + BUCKET):
                    candidates.append((start, value, baseline, score))
    # The buckets still open: scored on a copy, not stored.
    open_buckets = buckets(settled_until, bucket_start(now) + BUCKET)
    rows = [(s, *_signal(rule.kind, counts.get(s, [0, 0, 0]))) for s in open_buckets]
    for (start, value, _signal_value), (score, baseline) in zip(
        rows, series.peek(rows), strict=True
    ):
        iso = start.isoformat()
        if score >= limit and value >= MIN_BUCKET_MENTIONS and iso > fired:
            fired = iso
            candidates.append((start, value, baseline, score))
    series.extra["fired"] = fired
    row.state, row.points = series.dump(now)
    row.save(update_fields=["state", "points", "last_bucket", "updated_at"])
    raised = []
    for start, value, baseline, score in candidates:
        alert = _raise_series_alert(context, start, value, baseline, score, limit)
        if alert is not None:
            raised.append(alert)
    return raised


def _raise_series_alert(context, start, value, baseline, score, limit):
    rule = context.rule
    end = start + BUCKET
    mentions = _mentions_of(rule, rule.query, start, end).order_by("-author_reach", "-pk")
    if rule.kind == RuleKind.SENTIMENT_DIP:
        mentions = mentions.filter(sentiment=Sentiment.NEGATIVE)
    about = rule.query.name if rule.query else _("all mentions")
    facts = {
        "value": value,
        "time": context.local(start),
        "baseline": "–" if baseline is None else f"{baseline:.1f}",
        "score": f"{score:.2f}",
        "threshold": f"{limit:.2f}",
    }
    if rule.kind == RuleKind.VOLUME_SPIKE:
        title = _("Unusually many mentions: %(about)s") % {"about": about}
        summary = (
            _(
                "%(value)s mentions in the 5 minutes from %(time)s; usually %(baseline)s at "
                "this hour. Detector score %(score)s (alerts from %(threshold)s)."
            )
            % facts
        )
    else:
        title = _("Negative mentions pile up: %(about)s") % {"about": about}
        summary = (
            _(
                "%(value)s negative mentions in the 5 minutes from %(time)s; usually "
                "%(baseline)s at this hour. Detector score %(score)s (alerts from %(threshold)s)."
            )
            % facts
        )
    return actions.raise_alert(
        rule,
        title=title,
        summary=summary,
        observed_at=start,
        value=value,
        baseline=baseline,
        score=score,
        mentions=list(mentions.only("pk", "author_reach")[: actions.TOP_MENTIONS]),
        now=context.fired_at(end),
    )


# --- share of voice -------------------------------------------------------------------


def _evaluate_share_of_voice(context: _Context) -> list:
    """The competitor overtakes us: over the last hour its share of the two queries'
    mentions is above ``SOV_SHARE[sensitivity]`` (with at least ``SOV_MIN_MENTIONS`` of
    its own), while over the 24 hours before that we were ahead. Fires once per
    overtaking: again only after we were ahead again."""
    rule, now = context.rule, context.now
    row = _state_row(rule, SERIES_KEY[rule.kind])
    state = dict(row.state or {})
    kept: dict[str, list[int]] = dict(state.get("buckets") or {})
    settled_until = bucket_start(now - SETTLE)
    first = _first_bucket(rule, row, settled_until)
    # The first time, also the SOV_WINDOW + SOV_PREVIOUS before the first bucket, so
    # the very first windows have their history; after that the kept counts hold it.
    since = first - SOV_WINDOW - SOV_PREVIOUS if row.last_bucket is None else first
    ours = _count(rule, rule.query, since, now)
    theirs = _count(rule, rule.competitor_query, since, now)
    for start in buckets(since, first):
        kept[start.isoformat()] = [ours.get(start, [0])[0], theirs.get(start, [0])[0]]

    # Running sums over the whole timeline (kept history, the buckets settling now and
    # those still open), so a window of a day costs two look-ups, not 288 additions
    # per bucket: the first evaluation replays two weeks of buckets.
    open_counts = {
        start: [ours.get(start, [0])[0], theirs.get(start, [0])[0]]
        for start in buckets(settled_until, bucket_start(now) + BUCKET)
    }
    timeline = buckets(first - SOV_WINDOW - SOV_PREVIOUS, bucket_start(now) + BUCKET)
    position = {start: i for i, start in enumerate(timeline)}
    sums = [(0, 0)]
    for start in timeline:
        if start >= settled_until:
            counts = open_counts.get(start) or [0, 0]
        elif start >= first:
            counts = [ours.get(start, [0])[0], theirs.get(start, [0])[0]]
        else:
            counts = kept.get(start.isoformat()) or [0, 0]
        us_sum, them_sum = sums[-1]
        sums.append((us_sum + counts[0], them_sum + counts[1]))

    def window(end: datetime, length: timedelta) -> tuple[int, int]:
        low = max(position.get(end - length, 0), 0)
        high = position.get(end, len(timeline))
        return sums[high][0] - sums[low][0], sums[high][1] - sums[low][1]

    share_limit = SOV_SHARE.get(rule.sensitivity, SOV_SHARE["normal"])
    overtaken_at = state.get("overtaken_at") or ""
    points = list(row.points or [])
    candidates = []

    def check(end: datetime, *, still_open: bool = False) -> None:
        nonlocal overtaken_at
        us, them = window(end, SOV_WINDOW)
        before_us, before_them = window(end - SOV_WINDOW, SOV_PREVIOUS)
        share = them / (us + them) if us + them else None
        before = before_them / (before_us + before_them) if before_us + before_them else None
        if not still_open:
            points.append(
                [
                    (end - BUCKET).isoformat(),
                    None if share is None else round(100 * share, 1),
                    None if before is None else round(100 * before, 1),
                    None,
                ]
            )
        if share is None:
            return
        key = end.isoformat()
        if overtaken_at and share < 0.5 and key > overtaken_at:
            overtaken_at = ""  # we are ahead again: a next overtaking is news
        if (
            not overtaken_at
            and them >= SOV_MIN_MENTIONS
            and share > share_limit
            and before is not None
            and before < 0.5
        ):
            overtaken_at = key
            if context.may_alert(end):
                candidates.append((end, us, them, share, before))

    for start in buckets(first, settled_until):
        kept[start.isoformat()] = [ours.get(start, [0])[0], theirs.get(start, [0])[0]]
        row.last_bucket = start
        check(start + BUCKET)
    # The hour up to now, with the buckets still open counted as they are.
    check(bucket_start(now) + BUCKET, still_open=True)

    oldest = (settled_until - SOV_WINDOW - SOV_PREVIOUS - BUCKET).isoformat()
    state["buckets"] = {k: v for k, v in kept.items() if k >= oldest}
    state["overtaken_at"] = overtaken_at
    row.state, row.points = state, prune_points(points, now)
    row.save(update_fields=["state", "points", "last_bucket", "updated_at"])

    raised = []
    for end, us, them, share, before in candidates:
        mentions = _mentions_of(rule, rule.competitor_query, end - SOV_WINDOW, end).order_by(
            "-author_reach", "-pk"
        )
        title = _("%(competitor)s overtakes %(us)s in share of voice") % {
            "competitor": rule.competitor_query.name,
            "us": rule.query.name,
        }
        summary = _(
            "In the hour up to %(time)s: %(them)s mentions of %(competitor)s against "
            "%(us_count)s of %(us)s, a share of %(share)s%%. In the 24 hours before, "
            "%(competitor)s had %(before)s%%."
        ) % {
            "time": context.local(end),
            "them": them,
            "us_count": us,
            "competitor": rule.competitor_query.name,
            "us": rule.query.name,
            "share": round(100 * share),
            "before": round(100 * before),
        }
        alert = actions.raise_alert(
            rule,
            title=title,
            summary=summary,
            observed_at=end - BUCKET,
            value=round(100 * share, 1),
            baseline=round(100 * before, 1),
            mentions=list(mentions.only("pk", "author_reach")[: actions.TOP_MENTIONS]),
            now=context.fired_at(end),
        )
        if alert is not None:
            raised.append(alert)
    return raised


# --- single mentions: influential author, threat, term --------------------------------


def threat_floor(rule: AlertRule) -> float:
    """The rule's minimum threat (0 … 1) on the mentions' scale (0 … 100)."""
    return 100.0 * (rule.min_threat or 0.0)


def _qualifies(rule: AlertRule, mention: Mention, term) -> bool:
    if rule.kind == RuleKind.INFLUENTIAL_AUTHOR:
        by_reach = rule.min_reach is not None and mention.author_reach >= rule.min_reach
        by_group = bool(rule.stakeholder_group) and rule.stakeholder_group in (mention.groups or [])
        return by_reach or by_group
    if rule.kind == RuleKind.THREAT:
        return rule.min_threat is not None and mention.threat_score >= threat_floor(rule)
    if rule.kind == RuleKind.TERM:
        return term is not None and term.matches_analysed(analyse(document_for(mention)))
    return False


def _evaluate_mentions(context: _Context) -> list:
    rule, now = context.rule, context.now
    row = _state_row(rule, CURSOR_KEY)
    after = (row.state or {}).get("after")
    org_mentions = Mention.objects.filter(organisation_id=rule.organisation_id)
    # Never move past a mention that still waits for enrichment.
    pending = (
        org_mentions.filter(is_enriched=False).order_by("pk").values_list("pk", flat=True).first()
    )
    mentions = org_mentions.filter(is_enriched=True)
    if pending is not None:
        mentions = mentions.filter(pk__lt=pending)
    if after is None:
        # First look: only what is recent enough to alert on (all the replayed history
        # with include_history).
        mentions = mentions.filter(
            published_at__gte=now - (BACKFILL if context.history else ALERT_HORIZON)
        )
    else:
        mentions = mentions.filter(pk__gt=after)
    ids = list(mentions.order_by("pk").values_list("pk", flat=True)[:MENTION_BATCH])
    if not ids:
        return []
    row.state = {"after": ids[-1]}
    row.save(update_fields=["state", "updated_at"])

    candidates = Mention.objects.filter(pk__in=ids).only(*MENTION_FIELDS)
    if rule.query_id:
        candidates = candidates.filter(matches__query_id=rule.query_id)
    if rule.kind == RuleKind.THREAT and rule.min_threat is not None:
        candidates = candidates.filter(threat_score__gte=threat_floor(rule))
    if rule.kind == RuleKind.INFLUENTIAL_AUTHOR and not rule.stakeholder_group:
        candidates = candidates.filter(author_reach__gte=rule.min_reach or 0)
    term = None
    if rule.kind == RuleKind.TERM:
        try:
            term = compile(rule.term)
        except QuerySyntaxError:
            log.warning("alert rule %s: its term no longer compiles", rule.pk)
            return []
    qualifying = [
        m
        for m in candidates.order_by("published_at", "pk")
        if context.may_alert(m.published_at) and _qualifies(rule, m, term)
    ]
    raised = []
    for mention in qualifying:
        alert = _raise_mention_alert(context, mention)
        if alert is not None:
            raised.append(alert)
    return raised


def _raise_mention_alert(context: _Context, mention: Mention):
    rule = context.rule
    author = mention.author_name or mention.author or _("an unknown author")
    facts = {
        "author": author,
        "reach": mention.author_reach,
        "time": context.local(mention.published_at),
        "threat": f"{mention.threat_score:.0f}",
        "term": rule.term,
    }
    value = None
    if rule.kind == RuleKind.INFLUENTIAL_AUTHOR:
        title = _("Influential author: %(author)s") % facts
        groups = ", ".join(mention.groups or [])
        summary = _("%(author)s (%(reach)s followers) posted at %(time)s.") % facts
        if groups:
            summary += " " + _("Stakeholder group: %(groups)s.") % {"groups": groups}
        value = float(mention.author_reach)
    elif rule.kind == RuleKind.THREAT:
        title = _("Threatening mention by %(author)s") % facts
        summary = (
            _(
                "Threat score %(threat)s (of 100) for a post by %(author)s (%(reach)s followers) "
                "at %(time)s."
            )
            % facts
        )
        value = mention.threat_score
    else:
        title = _("“%(term)s” mentioned by %(author)s") % facts
        summary = (
            _("A post by %(author)s (%(reach)s followers) at %(time)s matches “%(term)s”.") % facts
        )
    excerpt = (mention.title + ": " if mention.title else "") + mention.text
    summary += "\n\n" + excerpt[:500]
    return actions.raise_alert(
        rule,
        title=title,
        summary=summary,
        observed_at=mention.published_at,
        value=value,
        mentions=[mention],
        now=context.fired_at(mention.published_at),
    )


def chart_points(rule: AlertRule | None, kind: str) -> list:
    """The stored points of the rule's series (the last two days), as
    [(time, value, baseline, score)]."""
    key = SERIES_KEY.get(kind)
    if rule is None or key is None:
        return []
    row = SeriesState.objects.filter(rule=rule, key=key).only("points").first()
    if row is None:
        return []
    return [
        (datetime.fromisoformat(p[0]).astimezone(UTC), p[1], p[2], p[3]) for p in row.points or []
    ]

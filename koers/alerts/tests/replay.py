"""Mentions for the alert tests: history and bursts written straight to the database
as enrichment leaves them (enriched, matched to a saved query), in bulk."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from koers.listening.models import Mention, MentionMatch, Sentiment

# A Monday afternoon; every replay is relative to it.
NOW = datetime(2025, 6, 2, 14, 2, 30, tzinfo=UTC)
BUCKET = timedelta(minutes=5)
_numbers = itertools.count(1)


def add_mentions(
    source,
    moments,
    *,
    query=None,
    sentiment=Sentiment.NEUTRAL,
    reach=100,
    text="Een fiets",
    **fields,
) -> list[Mention]:
    """One enriched mention per moment, matched to ``query`` when given."""
    rows = []
    for moment in moments:
        number = next(_numbers)
        rows.append(
            Mention(
                organisation_id=source.organisation_id,
                source=source,
                external_id=f"replay-{number}",
                author=f"@auteur{number % 50}@mastodon.nl",
                author_reach=reach,
                text=f"{text} {number}",
                published_at=moment,
                language="nl",
                sentiment=sentiment,
                is_enriched=True,
                **fields,
            )
        )
    mentions = Mention.objects.bulk_create(rows, batch_size=2000)
    if query is not None:
        MentionMatch.objects.bulk_create(
            [
                MentionMatch(organisation_id=source.organisation_id, mention=m, query=query)
                for m in mentions
            ],
            batch_size=2000,
        )
    return mentions


def steady(start: datetime, end: datetime, low: int, high: int, seed: int = 7):
    """Moments for ``low``…``high`` mentions in every 5 minutes from start to end."""
    chance = random.Random(seed)  # noqa: S311 (test data)
    moment = start
    while moment < end:
        for _ in range(chance.randint(low, high)):
            yield moment + timedelta(seconds=chance.randint(0, 299))
        moment += BUCKET


def burst(start: datetime, count: int, seconds: int = 290):
    """``count`` moments spread over ``seconds`` from ``start``."""
    return [start + timedelta(seconds=i * seconds // max(count, 1)) for i in range(count)]

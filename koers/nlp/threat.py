"""Threat score: how urgently a mention deserves attention, 0 … 100.

    raw    = reach × negativity × velocity × stakeholder
    threat = 100 × (1 − e^(−raw))

Each factor on its own scale, so that one can be read and argued about separately:

- reach, 0.05 … 1: log-scaled followers, ``log10(1 + followers) / 6``; 1,000 followers
  gives 0.5, a million or more 1. Never zero: an account without followers can still be
  screenshotted and shared.
- negativity, 0 … 1: ``max(0, −score) × confidence`` from ``koers.nlp.sentiment``;
  positive and neutral posts are no threat whoever writes them.
- velocity, 1 … 3: how much more the author (or topic) is posting now than usual,
  ``1 + ½ log2(recent / baseline)``, using the count in the last hour and the usual
  count per hour, both passed in by the caller (they need the database). Four times
  the usual rate gives 2, sixteen times or more 3; a normal or slow hour gives 1.
- stakeholder, 0.5 … 2: the strongest multiplier among the author's groups
  (``STAKEHOLDER_WEIGHTS``): a journalist's complaint travels furthest; a critic's
  finds an audience waiting for it; an employee complaining in public matters more than
  a customer; an ambassador's grumble is usually a friendly warning.

The exponential curve keeps the score in 0 … 100 without a hard ceiling: an ordinary
customer with 200 followers who is clearly negative (score −0.8, confidence 0.8)
scores about 22; a journalist with 50,000 followers, equally negative, about 63; the same
journalist posting eight times in an hour where they usually post once every two hours,
about 90.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

STAKEHOLDER_WEIGHTS = {
    "journalist": 2.0,
    "critic": 1.8,
    "employee": 1.5,
    "competitor": 1.2,
    "customer": 1.0,
    "ambassador": 0.5,
}
DEFAULT_WEIGHT = 1.0
REACH_FLOOR = 0.05
# log10(1 + 1,000,000): a million followers is full reach.
REACH_DECADES = 6.0
VELOCITY_CAP = 3.0


def reach_factor(followers: int) -> float:
    followers = max(0, followers or 0)
    return max(REACH_FLOOR, min(1.0, math.log10(1 + followers) / REACH_DECADES))


def negativity_factor(score: float | None, confidence: float | None) -> float:
    if score is None:
        return 0.0
    confidence = 1.0 if confidence is None else max(0.0, min(1.0, confidence))
    return max(0.0, min(1.0, -score)) * confidence


def velocity_factor(recent: float = 0, baseline: float = 0) -> float:
    """``recent``: posts in the last hour; ``baseline``: the usual posts per hour."""
    # +1 on both sides: one post from a quiet author is no burst.
    ratio = (max(0.0, recent) + 1) / (max(0.0, baseline) + 1)
    if ratio <= 1:
        return 1.0
    return min(VELOCITY_CAP, 1.0 + 0.5 * math.log2(ratio))


def stakeholder_factor(groups: Iterable[str] = ()) -> float:
    weights = [STAKEHOLDER_WEIGHTS[g] for g in groups if g in STAKEHOLDER_WEIGHTS]
    if not weights:
        return DEFAULT_WEIGHT
    # An author in several groups counts by the one that matters most — except that an
    # ambassador who is also a journalist is still a journalist.
    return max(weights)


def threat_score(
    *,
    followers: int,
    sentiment_score: float | None,
    sentiment_confidence: float | None,
    recent: float = 0,
    baseline: float = 0,
    groups: Iterable[str] = (),
) -> float:
    """The threat score, 0 … 100, rounded to one decimal."""
    raw = (
        reach_factor(followers)
        * negativity_factor(sentiment_score, sentiment_confidence)
        * velocity_factor(recent, baseline)
        * stakeholder_factor(groups)
    )
    return round(100.0 * (1.0 - math.exp(-raw)), 1)

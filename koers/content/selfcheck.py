"""The rules "check my own post" applies until the organisation has its own guideline
library: Dutch personal data and abuse block, paid content needs a disclosure tag, and
the lengths per channel are shown."""

from __future__ import annotations

from functools import lru_cache

from koers.guidelines.engine import Rule, RuleSet
from koers.platforms.limits import LIMITS, measure

BASIC_RULES = (
    Rule("personal-data", "personal_data", "block"),
    Rule("abuse", "abuse", "warn"),
    Rule("disclosure", "disclosure", "block"),
)

CHANNELS = ("linkedin", "x", "mastodon", "bluesky", "instagram", "facebook")


@lru_cache(maxsize=1)
def basic_ruleset() -> RuleSet:
    return RuleSet(BASIC_RULES)


def lengths(text: str) -> list:
    return [measure(channel, text) for channel in CHANNELS if channel in LIMITS]

"""The five categories of abuse, their order of severity, and what a match looks like."""

from __future__ import annotations

from dataclasses import dataclass

PROFANITY = "profanity"
INSULT = "insult"
SLUR = "slur"
THREAT = "threat"
DEHUMANISING = "dehumanising"

CATEGORIES = (PROFANITY, INSULT, SLUR, THREAT, DEHUMANISING)

# When two findings cover the same span, the more serious category is kept.
_SEVERITY = {PROFANITY: 0, INSULT: 1, DEHUMANISING: 2, SLUR: 3, THREAT: 4}


@dataclass(frozen=True)
class AbuseMatch:
    """One abusive word or phrase: ``text[start:end]``, the lexicon term or pattern name
    that matched, and its category."""

    start: int
    end: int
    term: str
    category: str


# A finding before offsets are mapped back: (start, end, term, category).
_Found = tuple[int, int, str, str]

"""The draagvlak index and the small-group rule, without Django.

Components, each 0–100:

- support: enthusiasm and belief, the mean of the support Likert answers (1 → 0,
  5 → 100);
- understanding: half for naming the value discipline of the published strategy, half
  for picking its goals (each right pick counts, each wrong pick cancels one), per
  response, averaged;
- participation: the share of members who did something in Koers in the period (ideas,
  shares, replies); 0 until those parts of Koers exist;
- example: whether managers set the example, the mean of the example Likert answers.

index = 0.30 · support + 0.30 · understanding + 0.20 · participation + 0.20 · example,
over the components that have a value (weights re-scaled), rounded half up.

Groups (departments, management) with fewer responses than the wave's minimum are
never shown alone: they are folded into "other", which is made large enough (if need be
by adding the smallest shown group) that no small group can be worked out by
subtraction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WEIGHTS = {"support": 0.30, "understanding": 0.30, "participation": 0.20, "example": 0.20}
COMPONENTS = tuple(WEIGHTS)
ABSOLUTE_MINIMUM_GROUP = 3
DEFAULT_MINIMUM_GROUP = 5
OTHER = "other"


def likert_score(values: Iterable[int]) -> float | None:
    """Mean of 1–5 answers as 0–100; None without answers."""
    answers = [v for v in values if v is not None]
    if not answers:
        return None
    for value in answers:
        if not 1 <= value <= 5:
            raise ValueError(f"Likert answer {value!r} is not between 1 and 5")
    return (sum(answers) / len(answers) - 1) / 4 * 100


def understanding_score(
    *,
    named_discipline: str | None,
    discipline: str | None,
    picked_goals: Iterable[str],
    goals: Iterable[str],
) -> float | None:
    """0–100 for one response against the reference (the published strategy, or
    management's consensus). None when there is no reference at all."""
    goals = set(goals)
    picked = set(picked_goals)
    parts = []
    if discipline:
        parts.append(100.0 if named_discipline == discipline else 0.0)
    if goals:
        right, wrong = len(picked & goals), len(picked - goals)
        parts.append(max(0.0, (right - wrong) / len(goals)) * 100)
    if not parts:
        return None
    return sum(parts) / len(parts)


def participation_score(active_members: int, members: int) -> float | None:
    if members <= 0:
        return None
    return min(active_members, members) / members * 100


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


@dataclass(frozen=True)
class Components:
    support: float | None = None
    understanding: float | None = None
    participation: float | None = None
    example: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in COMPONENTS}


def draagvlak_index(components: Components) -> int | None:
    """The weighted index 0–100 over the components that have a value."""
    present = {k: v for k, v in components.as_dict().items() if v is not None}
    if not present:
        return None
    weight = sum(WEIGHTS[k] for k in present)
    value = sum(WEIGHTS[k] * v for k, v in present.items()) / weight
    # Half up, as people round (Python's round() goes to even: 42.5 → 42); the tiny
    # margin absorbs float noise such as 42.49999999.
    return math.floor(value + 0.5 + 1e-9)


def fold_small_groups(counts: Mapping[str, int], minimum: int) -> dict[str, str | None]:
    """Which reported group each group's responses count towards.

    A group with at least ``minimum`` responses is shown as itself; smaller groups go
    to OTHER. When OTHER would still be too small, the smallest shown group joins it:
    otherwise the small group could be worked out by subtracting the shown groups from
    the total. Only when all responses together are too few is everything hidden (None).
    """
    minimum = max(minimum, ABSOLUTE_MINIMUM_GROUP)
    if sum(counts.values()) < minimum:
        return {group: None for group in counts}
    shown = {group for group, n in counts.items() if n >= minimum}
    other = sum(n for group, n in counts.items() if group not in shown)
    while 0 < other < minimum and shown:
        smallest = min(shown, key=lambda group: (counts[group], group))
        shown.discard(smallest)
        other += counts[smallest]
    return {group: (group if group in shown else OTHER) for group in counts}

"""Our own implementation of the Numenta Anomaly Benchmark (NAB) scorer.

The rules, as NAB applies them to one series:

- A *detection* is a row whose anomaly score is at or above the threshold.
- The first ``min(floor(15 % of the rows), 750)`` rows are a probationary period: the
  detector is still learning, so nothing in them is scored.
- Each labelled window counts once, by its earliest detection. A detection at row
  ``i`` of a window whose last row is ``R`` and whose width is ``W`` rows is worth
  ``tpWeight · σ(−(R − i + 1)/W) / σ(−1)`` with the scaled sigmoid
  ``σ(x) = 2/(1 + e^{5x}) − 1``: the full ``tpWeight`` at the left edge, about 0 at the
  right edge. A window without any detection is worth ``−fnWeight``.
- A detection outside every window is a false positive worth ``fpWeight · σ(x)``
  where ``x`` is its distance in rows past the preceding window's last row divided by
  that window's width minus one (a little less bad just after a window, where the
  anomaly may still be settling); with no preceding window, or ``x > 3``, it is worth
  ``−fpWeight``.

Per-row values are booked as NAB's ``S(t)_<profile>`` columns: a window's value on the
window's first row, each false positive on its own row, 0 elsewhere; their sum is the
series' raw score. Over several series the normalised score is
``100 · (raw − null) / (perfect − null)`` where *null* never fires (every window
``−fnWeight``) and *perfect* detects every window at its left edge.

Everything here is plain Python on plain data: timestamps may be ``datetime`` objects
or ISO strings (``"2015-03-03 04:37:53"`` or with microseconds, as NAB writes them).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROBATION_FRACTION = 0.15
PROBATION_CAP = 750  # NAB: 15 % of a 5,000-row reference length


@dataclass(frozen=True)
class Profile:
    """A NAB cost profile: what a hit, a miss and a false alarm are worth."""

    name: str
    tp_weight: float
    fn_weight: float
    fp_weight: float


STANDARD = Profile("standard", 1.0, 1.0, 0.11)
REWARD_LOW_FP_RATE = Profile("reward_low_FP_rate", 1.0, 1.0, 0.22)
REWARD_LOW_FN_RATE = Profile("reward_low_FN_rate", 1.0, 2.0, 0.11)
PROFILES = (STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE)


def load_profiles(path: str | Path) -> dict[str, Profile]:
    """Read NAB's ``profiles.json`` (``{name: {"CostMatrix": {"tpWeight": ...}}}``)."""
    data = json.loads(Path(path).read_text())
    return {
        name: Profile(
            name,
            float(entry["CostMatrix"]["tpWeight"]),
            float(entry["CostMatrix"]["fnWeight"]),
            float(entry["CostMatrix"]["fpWeight"]),
        )
        for name, entry in data.items()
    }


def parse_timestamp(value: datetime | str) -> datetime:
    """A ``datetime`` from a ``datetime`` or an ISO string as NAB writes them."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def scaled_sigmoid(x: float) -> float:
    """NAB's σ(x) = 2/(1 + e^{5x}) − 1, and −1 beyond x > 3."""
    if x > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * x)) - 1.0


def probation_rows(length: int) -> int:
    """How many leading rows are not scored."""
    return min(math.floor(PROBATION_FRACTION * length), PROBATION_CAP)


@dataclass(frozen=True)
class Layout:
    """Where the windows of one series lie, independent of the detector.

    ``window_of[i]`` is the index of the window that row ``i`` lies in, or -1;
    ``tp_value[i]`` is ``σ(x)/σ(−1)`` for a row in a window (its worth per unit of
    tpWeight); ``fp_value[i]`` is ``σ(x)`` for a row outside (its worth per unit of
    fpWeight, negative). ``first_row[w]`` is where window ``w`` is booked.
    """

    length: int
    probation: int
    window_of: tuple[int, ...]
    tp_value: tuple[float, ...]
    fp_value: tuple[float, ...]
    first_row: tuple[int, ...]

    @property
    def windows(self) -> int:
        return len(self.first_row)


def layout(
    timestamps: Sequence[datetime | str],
    windows: Iterable[Sequence[datetime | str]],
) -> Layout:
    """Place labelled windows ``[(start, end), ...]`` (inclusive) on the rows."""
    times = [parse_timestamp(t) for t in timestamps]
    length = len(times)
    limits = sorted((parse_timestamp(w[0]), parse_timestamp(w[1])) for w in windows)
    window_of = [-1] * length
    first_row: list[int] = []
    last_row: list[int] = []
    for index, (start, end) in enumerate(limits):
        first = bisect_left(times, start)
        last = first
        while last < length and times[last] <= end:
            window_of[last] = index
            last += 1
        if last == first:
            continue  # a window with no rows in it cannot be detected or missed here
        first_row.append(first)
        last_row.append(last - 1)
    # Re-number so that windows without rows leave no gaps.
    renumber = {}
    for row in first_row:
        renumber[window_of[row]] = len(renumber)
    window_of = [renumber.get(w, -1) if w >= 0 else -1 for w in window_of]

    tp_value = [0.0] * length
    fp_value = [0.0] * length
    left_edge = scaled_sigmoid(-1.0)
    previous = -1  # the window whose last row precedes the current row
    for i in range(length):
        w = window_of[i]
        if w >= 0:
            width = last_row[w] - first_row[w] + 1
            tp_value[i] = scaled_sigmoid(-(last_row[w] - i + 1) / width) / left_edge
            previous = w
        elif previous < 0:
            fp_value[i] = -1.0
        else:
            width = last_row[previous] - first_row[previous] + 1
            if width > 1:
                fp_value[i] = scaled_sigmoid((i - last_row[previous]) / (width - 1))
            else:
                fp_value[i] = -1.0
    return Layout(
        length=length,
        probation=probation_rows(length),
        window_of=tuple(window_of),
        tp_value=tuple(tp_value),
        fp_value=tuple(fp_value),
        first_row=tuple(first_row),
    )


@dataclass(frozen=True)
class SeriesScore:
    """The outcome on one series at one threshold under one profile."""

    rows: tuple[float, ...]  # NAB's S(t)_<profile> column
    raw: float
    windows: int
    detected: int
    false_positives: int
    profile: Profile

    @property
    def null(self) -> float:
        return -self.profile.fn_weight * self.windows

    @property
    def perfect(self) -> float:
        return self.profile.tp_weight * self.windows


def score_layout(
    plan: Layout, scores: Sequence[float], threshold: float, profile: Profile
) -> SeriesScore:
    """Score anomaly ``scores`` (one per row) on a prepared ``Layout``."""
    if len(scores) != plan.length:
        raise ValueError(f"{len(scores)} scores for {plan.length} rows")
    rows = [0.0] * plan.length
    earliest: list[int | None] = [None] * plan.windows
    false_positives = 0
    for i in range(plan.probation, plan.length):
        if scores[i] < threshold:
            continue
        w = plan.window_of[i]
        if w >= 0:
            if earliest[w] is None:
                earliest[w] = i
        else:
            rows[i] = profile.fp_weight * plan.fp_value[i]
            false_positives += 1
    detected = 0
    for w, first in enumerate(plan.first_row):
        hit = earliest[w]
        if hit is None:
            rows[first] = -profile.fn_weight
        else:
            rows[first] = profile.tp_weight * plan.tp_value[hit]
            detected += 1
    return SeriesScore(
        rows=tuple(rows),
        raw=math.fsum(rows),
        windows=plan.windows,
        detected=detected,
        false_positives=false_positives,
        profile=profile,
    )


def score_series(
    timestamps: Sequence[datetime | str],
    scores: Sequence[float],
    windows: Iterable[Sequence[datetime | str]],
    threshold: float,
    profile: Profile,
) -> SeriesScore:
    """Score one series: per-row values as NAB books them, and the raw total."""
    return score_layout(layout(timestamps, windows), scores, threshold, profile)


def normalised(results: Iterable[SeriesScore]) -> float:
    """NAB's normalised score, 100 · (raw − null) / (perfect − null), over series."""
    results = list(results)
    raw = math.fsum(r.raw for r in results)
    null = math.fsum(r.null for r in results)
    perfect = math.fsum(r.perfect for r in results)
    if perfect == null:
        return 0.0
    return 100.0 * (raw - null) / (perfect - null)


def sweep(
    plans: Sequence[Layout], scores: Sequence[Sequence[float]], profile: Profile
) -> tuple[float, float]:
    """The best threshold over several series and its normalised score.

    Every distinct score value is a candidate threshold (as in NAB's own sweep); the
    rows are visited once in falling score order, so the cost is a sort, not a rescore
    per candidate. Returns ``(threshold, normalised score)``; ties go to the highest
    threshold. A threshold above every score (nothing fires) scores 0.
    """
    null = -profile.fn_weight * sum(p.windows for p in plans)
    perfect = profile.tp_weight * sum(p.windows for p in plans)
    span = perfect - null
    if span == 0:
        return 1.0, 0.0
    entries: list[tuple[float, int, int]] = []
    for s, (plan, values) in enumerate(zip(plans, scores, strict=True)):
        if len(values) != plan.length:
            raise ValueError(f"{len(values)} scores for {plan.length} rows")
        entries.extend((values[i], s, i) for i in range(plan.probation, plan.length))
    entries.sort(key=lambda e: -e[0])
    earliest: list[list[int | None]] = [[None] * p.windows for p in plans]
    raw = null
    best_threshold, best_raw = math.inf, null
    k = 0
    while k < len(entries):
        value = entries[k][0]
        # Add every row with this exact score before evaluating the threshold.
        while k < len(entries) and entries[k][0] == value:
            _, s, i = entries[k]
            plan = plans[s]
            w = plan.window_of[i]
            if w >= 0:
                before = earliest[s][w]
                if before is None or i < before:
                    old = (
                        -profile.fn_weight
                        if before is None
                        else profile.tp_weight * plan.tp_value[before]
                    )
                    raw += profile.tp_weight * plan.tp_value[i] - old
                    earliest[s][w] = i
            else:
                raw += profile.fp_weight * plan.fp_value[i]
            k += 1
        if raw > best_raw:
            best_threshold, best_raw = value, raw
    if best_threshold == math.inf:
        best_threshold = 1.0 + 1e-9
    return best_threshold, 100.0 * (best_raw - null) / span

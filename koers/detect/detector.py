"""Online anomaly detectors for mention volume (counts per interval).

Each detector handles one series: ``update(timestamp, value)`` takes the next point
and returns an anomaly score in [0, 1] computed from that point and the past only.
Its whole memory is a small ``state()`` dict of plain numbers and lists that
``from_state()`` restores, so a worker can keep it in a database row per series.

- ``SurgeDetector`` (Koers' own): a robust expectation per time of day and day of the
  week in log space; the score grows with how far the recent volume lies above that
  expectation in units of its usual spread, and a surge that is already under way is
  not announced again for a few hours. See docs/early-warning-detector.md.
- ``ZScoreDetector``: the textbook baseline, |z| against the last day of points.
- ``NullDetector``: never alarms; NAB's zero point.
"""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime
from typing import Any

# One sensitivity setting for users; each maps to the score threshold at which an
# alert fires. "normal" is the threshold chosen on the NAB Twitter-volume series
# (benchmarks/nab.py, docs/early-warning-detector.md); the others are one notch
# less and more strict around it.
SENSITIVITY_THRESHOLDS = {"low": 0.8, "normal": 0.73, "high": 0.65}
DEFAULT_THRESHOLD = SENSITIVITY_THRESHOLDS["normal"]

# The fixed threshold of the z-score baseline, chosen the same way.
ZSCORE_THRESHOLD = 0.8

HOUR = 3600.0
DAY = 24 * HOUR


def threshold_for(sensitivity: str) -> float:
    """The score at which an alert fires for a sensitivity ("low", "normal", "high")."""
    try:
        return SENSITIVITY_THRESHOLDS[sensitivity]
    except KeyError:
        choices = ", ".join(SENSITIVITY_THRESHOLDS)
        raise ValueError(f"sensitivity must be one of {choices}, not {sensitivity!r}") from None


def _seconds(timestamp: datetime) -> float:
    return timestamp.timestamp()


def _fraction(elapsed: float, half_life: float) -> float:
    """The weight of a new observation in an exponential average after ``elapsed`` s."""
    if elapsed <= 0:
        elapsed = 1.0
    return 1.0 - 0.5 ** (elapsed / half_life)


class SurgeDetector:
    """Scores how unusually *high* mention volume is, for one series.

    The model, in log(1 + count) space, so that doubling means the same everywhere:

    - expectation = level + an offset for the hour of the day + an offset for the
      weekday. The level follows slowly (half-life ``LEVEL_HALF_LIFE``); each offset
      is an average over the past weeks of that same hour or weekday
      (``SEASON_HALF_LIFE``), so an ordinary evening peak or quiet Sunday is expected.
    - Every update moves the model by the residual *clipped* to ``CLIP`` spreads (a
      Huber-style robust update), so a spike hardly moves its own baseline.
    - The deviation z is the largest of: this point's residual and two short averages
      of recent residuals (``HORIZONS``), each over its own robust spread (a clipped
      mean absolute deviation). Only rises count: a drop is usually a collection gap.
    - A surge already reported must grow to be reported again: z is reduced by a
      memory of recent deviations (z less ``MARGIN``), fading with half-life
      ``QUIET_HALF_LIFE``.
    - Series differ in how spiky they are, so the remaining surprise is divided by the
      *typical daily peak* of z (an average of z's recent maximum): ratio 1 means "as
      big as the biggest blip of an ordinary day".
    - score = ratio² / (ratio² + 1): 0.5 at an ordinary day's peak, 0.8 at twice it,
      0.9 at three times.
    """

    LEVEL_HALF_LIFE = 1.0 * DAY
    SEASON_HALF_LIFE = 7.0 * DAY
    SPREAD_HALF_LIFE = 2.0 * DAY
    HORIZONS = (0.0, 0.5 * HOUR, 3.0 * HOUR)  # the point itself, ~30 min, ~3 h
    CLIP = 3.0
    MARGIN = 3.0
    QUIET_HALF_LIFE = 2.0 * HOUR
    PEAK_HALF_LIFE = 12.0 * HOUR
    TYPICAL_HALF_LIFE = 7.0 * DAY
    MIN_TYPICAL = 1.0
    MIN_SPREAD = 0.1
    WARM_UP = 12  # points before any score other than 0

    def __init__(self) -> None:
        self.count = 0
        self.last: float | None = None
        self.level = 0.0
        self.averages = [0.0] * len(self.HORIZONS)
        self.spreads = [0.0] * len(self.HORIZONS)
        self.memory = 0.0
        self.peak = 0.0
        self.typical = 0.0
        self.daily = [0.0] * 24
        self.daily_seen = [0] * 24
        self.weekly = [0.0] * 7
        self.weekly_seen = [0] * 7

    # -- state ---------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything the detector remembers, as plain JSON-compatible data."""
        return {
            "kind": "surge",
            "count": self.count,
            "last": self.last,
            "level": self.level,
            "averages": list(self.averages),
            "spreads": list(self.spreads),
            "memory": self.memory,
            "peak": self.peak,
            "typical": self.typical,
            "daily": list(self.daily),
            "daily_seen": list(self.daily_seen),
            "weekly": list(self.weekly),
            "weekly_seen": list(self.weekly_seen),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SurgeDetector:
        detector = cls()
        detector.count = int(state["count"])
        detector.last = state["last"]
        detector.level = float(state["level"])
        detector.averages = [float(v) for v in state["averages"]]
        detector.spreads = [float(v) for v in state["spreads"]]
        detector.memory = float(state["memory"])
        detector.peak = float(state["peak"])
        detector.typical = float(state["typical"])
        detector.daily = [float(v) for v in state["daily"]]
        detector.daily_seen = [int(v) for v in state["daily_seen"]]
        detector.weekly = [float(v) for v in state["weekly"]]
        detector.weekly_seen = [int(v) for v in state["weekly_seen"]]
        return detector

    # -- scoring -------------------------------------------------------------------

    def update(self, timestamp: datetime, value: float) -> float:
        """Take the next point and return its anomaly score in [0, 1]."""
        now = _seconds(timestamp)
        y = math.log1p(value) if value > 0 and math.isfinite(value) else 0.0
        hour = timestamp.hour
        weekday = timestamp.weekday()
        elapsed = now - self.last if self.last is not None else 0.0
        self.last = now
        self.count += 1

        if self.count == 1:
            self.level = y
            return 0.0

        expected = self.level + self.daily[hour] + self.weekly[weekday]
        residual = y - expected
        spread = max(self.spreads[0] * 1.25, self.MIN_SPREAD)
        limit = self.CLIP * spread
        clipped = min(max(residual, -limit), limit)

        # The surprise: the largest of this point's residual and short averages of
        # recent residuals, each in units of its own usual spread (averages of
        # neighbouring residuals vary less, but not by 1/sqrt(n): they correlate).
        z = 0.0
        warm = self.count <= self.WARM_UP
        for k, half_life in enumerate(self.HORIZONS):
            if half_life > 0:
                weight = _fraction(elapsed, half_life)
                self.averages[k] += weight * (residual - self.averages[k])
            else:
                self.averages[k] = residual
            scale = max(self.spreads[k] * 1.25, self.MIN_SPREAD)
            z = max(z, self.averages[k] / scale)
            bound = self.CLIP * scale
            deviation = min(abs(self.averages[k]), bound)
            rate = max(1.0 / self.count, _fraction(elapsed, self.SPREAD_HALF_LIFE))
            self.spreads[k] += rate * (deviation - self.spreads[k])

        # A surge already reported must grow to be reported again: the surprise is
        # what exceeds the decaying memory of recent surprises (less a margin, so
        # ordinary ups and downs leave no memory).
        decay = max(elapsed, 0.0)
        self.memory *= 0.5 ** (decay / self.QUIET_HALF_LIFE)
        surprise = max(z - self.memory, 0.0)
        self.memory = max(self.memory, z - self.MARGIN)

        # How large is it next to the largest surprises of ordinary days? Series
        # differ in how spiky they are; this puts them on one scale.
        self.peak = max(z, self.peak * 0.5 ** (decay / self.PEAK_HALF_LIFE))
        typical = max(self.typical, self.MIN_TYPICAL)
        ratio = surprise / typical
        rate = max(1.0 / self.count, _fraction(elapsed, self.TYPICAL_HALF_LIFE))
        self.typical += rate * (min(self.peak, self.CLIP * typical) - self.typical)
        score = 0.0 if warm else ratio * ratio / (ratio * ratio + 1.0)

        # Learn, with warm-up averages first and exponential forgetting after.
        alpha = max(1.0 / self.count, _fraction(elapsed, self.LEVEL_HALF_LIFE))
        self.level += alpha * clipped
        # Each hour of the day is seen 1/24 of the time, each weekday 1/7.
        remainder = clipped * (1.0 - alpha)
        self.daily_seen[hour] += 1
        season = max(
            1.0 / self.daily_seen[hour],
            _fraction(max(elapsed, 1.0) * 24.0, self.SEASON_HALF_LIFE),
        )
        self.daily[hour] += season * remainder
        self.weekly_seen[weekday] += 1
        week = max(
            1.0 / self.weekly_seen[weekday],
            _fraction(max(elapsed, 1.0) * 7.0, self.SEASON_HALF_LIFE),
        )
        self.weekly[weekday] += week * remainder
        return min(max(score, 0.0), 1.0)


class ZScoreDetector:
    """Baseline: |z| of the point against the mean and deviation of the last day.

    Keeps the last ``WINDOW`` points (one day of five-minute points); score =
    |z| / (|z| + 5): 0.5 at five standard deviations, approaching 1 without ever
    saturating (so thresholds above 8 standard deviations stay distinct).
    """

    WINDOW = 288

    def __init__(self) -> None:
        self.values: deque[float] = deque()
        self.total = 0.0
        self.squares = 0.0

    def state(self) -> dict[str, Any]:
        return {"kind": "zscore", "values": list(self.values)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ZScoreDetector:
        detector = cls()
        for value in state["values"]:
            detector._push(float(value))
        return detector

    def _push(self, value: float) -> None:
        self.values.append(value)
        self.total += value
        self.squares += value * value
        if len(self.values) > self.WINDOW:
            old = self.values.popleft()
            self.total -= old
            self.squares -= old * old

    def update(self, timestamp: datetime, value: float) -> float:
        value = float(value) if math.isfinite(value) else 0.0
        n = len(self.values)
        score = 0.0
        if n >= 2:
            mean = self.total / n
            variance = max(self.squares / n - mean * mean, 0.0)
            deviation = math.sqrt(variance)
            if deviation > 0:
                z = abs(value - mean) / deviation
                score = z / (z + 5.0)
            elif value != mean:
                score = 1.0
        self._push(value)
        return score


class NullDetector:
    """Never alarms: NAB's zero point."""

    def state(self) -> dict[str, Any]:
        return {"kind": "null"}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NullDetector:
        return cls()

    def update(self, timestamp: datetime, value: float) -> float:
        return 0.0

"""One watched series of 5-minute buckets: the surge detector's memory, the hourly
totals the chart's baseline is computed from, and the recent points the alert page
draws. The only module of the alerts app that talks to ``koers.detect``.

A series lives in a ``SeriesState`` row between evaluations as plain JSON:
``state = {"detector": <SurgeDetector.state()>, "hours": {"<UTC hour>": total}, ...}``
(the evaluation may keep a few keys of its own next to these) and
``points = [[iso bucket start, value, baseline, score], ...]`` for the last two days.

The baseline shown next to a value is *not* the detector's own expectation (that is
internal to the detector, in log space): it is the average per 5 minutes in the same
hour of the day over the previous 7 days, from the hourly totals kept here. The page
says so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from koers.detect import SurgeDetector, threshold_for

BUCKET = timedelta(minutes=5)
BUCKETS_PER_HOUR = 12
POINTS_KEPT = timedelta(days=2)
BASELINE_DAYS = 7
HOURS_KEPT = timedelta(days=BASELINE_DAYS + 1)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def bucket_start(moment: datetime) -> datetime:
    """The start of the 5-minute bucket ``moment`` falls in (UTC). Every time zone's
    offset is a multiple of 5 minutes, so these are the local buckets too."""
    seconds = int((moment - _EPOCH).total_seconds()) // 300 * 300
    return _EPOCH + timedelta(seconds=seconds)


def buckets(start: datetime, end: datetime) -> list[datetime]:
    """The bucket starts from ``start`` (a bucket start) up to, not including, ``end``."""
    out = []
    moment = start
    while moment < end:
        out.append(moment)
        moment += BUCKET
    return out


def threshold(sensitivity: str) -> float:
    return threshold_for(sensitivity)


def _hour_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H")


def prune_points(points: list, now: datetime) -> list:
    """Keep the points of the last two days (ISO strings sort like their times)."""
    oldest = (now - POINTS_KEPT).astimezone(UTC).isoformat()
    return [point for point in points if point[0] >= oldest]


class Series:
    """The detector and the chart data of one series, restored from a SeriesState."""

    def __init__(self, state: dict[str, Any], points: list, zone) -> None:
        detector_state = state.get("detector")
        self.detector = (
            SurgeDetector.from_state(detector_state) if detector_state else SurgeDetector()
        )
        self.hours: dict[str, float] = dict(state.get("hours") or {})
        self.points = list(points or [])
        self.zone = zone
        self.extra = {k: v for k, v in state.items() if k not in ("detector", "hours")}

    def baseline(self, start: datetime) -> float | None:
        """The average value per 5 minutes in the same hour of the day (local wall time)
        over the previous 7 days; None until a day of history is known."""
        local = start.astimezone(self.zone)
        totals = []
        for days in range(1, BASELINE_DAYS + 1):
            key = _hour_key((local - timedelta(days=days)).astimezone(UTC))
            if key in self.hours:
                totals.append(self.hours[key])
        if not totals:
            return None
        return sum(totals) / (len(totals) * BUCKETS_PER_HOUR)

    def feed(self, start: datetime, value: float, signal: float | None = None):
        """Feed one complete bucket (in order): the detector learns from it (``signal``,
        or ``value`` when there is none). Returns (score, baseline)."""
        baseline = self.baseline(start)
        score = self.detector.update(
            start.astimezone(self.zone), value if signal is None else signal
        )
        key = _hour_key(start)
        self.hours[key] = self.hours.get(key, 0) + value
        self.points.append(
            [
                start.astimezone(UTC).isoformat(),
                value,
                None if baseline is None else round(baseline, 2),
                round(score, 3),
            ]
        )
        return score, baseline

    def peek(self, rows: list[tuple[datetime, float, float | None]]):
        """Score buckets that are not complete yet (the current one and those that may
        still receive late mentions) on a copy of the detector, in order, without
        learning from them. Returns [(score, baseline)] per row."""
        copy = SurgeDetector.from_state(self.detector.state())
        out = []
        for start, value, signal in rows:
            score = copy.update(start.astimezone(self.zone), value if signal is None else signal)
            out.append((score, self.baseline(start)))
        return out

    def dump(self, now: datetime) -> tuple[dict[str, Any], list]:
        """(state, points) to store, pruned to what is still needed."""
        oldest = _hour_key(now - HOURS_KEPT)
        hours = {k: v for k, v in self.hours.items() if k >= oldest}
        state = {**self.extra, "detector": self.detector.state(), "hours": hours}
        return state, prune_points(self.points, now)

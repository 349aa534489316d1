"""The online detectors: no look-ahead, state round-trip, daily pattern, robustness."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.detect import (
    DEFAULT_THRESHOLD,
    NullDetector,
    SurgeDetector,
    ZScoreDetector,
    threshold_for,
)

START = datetime(2024, 3, 4)  # a Monday
STEP = timedelta(minutes=5)
PER_DAY = 288
DETECTORS = [SurgeDetector, ZScoreDetector, NullDetector]


def daily_series(days, seed=1):
    """Counts per 5 minutes with a daily cycle (quiet nights, busy evenings) and noise."""
    rng = random.Random(seed)  # noqa: S311  (test data, not security)
    times, values = [], []
    for i in range(days * PER_DAY):
        t = START + i * STEP
        hour = t.hour + t.minute / 60
        expected = 60 + 50 * math.sin((hour - 9) / 24 * 2 * math.pi)
        values.append(max(0.0, round(rng.gauss(expected, math.sqrt(expected) * 1.5))))
        times.append(t)
    return times, values


def run(detector, times, values):
    return [detector.update(t, v) for t, v in zip(times, values, strict=True)]


@pytest.mark.parametrize("kind", DETECTORS)
def test_no_look_ahead(kind):
    times, values = daily_series(6)
    values[4 * PER_DAY + 100] *= 6
    full = run(kind(), times, values)
    prefix = run(kind(), times[: 4 * PER_DAY], values[: 4 * PER_DAY])
    assert full[: len(prefix)] == prefix


@pytest.mark.parametrize("kind", DETECTORS)
def test_state_round_trip(kind):
    times, values = daily_series(5)
    values[3 * PER_DAY] *= 5
    whole = run(kind(), times, values)
    first = kind()
    middle = 2 * PER_DAY + 17
    head = run(first, times[:middle], values[:middle])
    stored = json.loads(json.dumps(first.state()))
    restored = kind.from_state(stored)
    assert head + run(restored, times[middle:], values[middle:]) == whole


def test_spike_scores_high_and_daily_peaks_low():
    times, values = daily_series(10)
    spike = 8 * PER_DAY + 6 * 12  # 06:00 on day 8, a quiet hour
    values[spike] = 400
    scores = run(SurgeDetector(), times, values)
    assert scores[spike] >= threshold_for("low")
    # Each day's evening peak (15:00 ± 1 hour) stays below the alert threshold.
    for day in range(3, 10):
        peak = day * PER_DAY + 15 * 12
        assert max(scores[peak - 12 : peak + 12]) < DEFAULT_THRESHOLD, day


def test_a_huge_outlier_does_not_blind_it_to_a_spike_a_day_later():
    times, values = daily_series(10)
    outlier = 7 * PER_DAY + 20 * 12
    values[outlier] = 100_000
    spike = outlier + PER_DAY
    values[spike] = values[spike] * 4
    scores = run(SurgeDetector(), times, values)
    assert scores[outlier] > 0.95
    assert scores[spike] >= DEFAULT_THRESHOLD


def test_sensitivity_settings():
    assert threshold_for("high") < threshold_for("normal") < threshold_for("low")
    assert threshold_for("normal") == DEFAULT_THRESHOLD
    with pytest.raises(ValueError, match="sensitivity"):
        threshold_for("extreme")


@pytest.mark.parametrize("kind", DETECTORS)
@pytest.mark.parametrize("constant", [0.0, 1.0, 250.0])
def test_constant_series(kind, constant):
    times = [START + i * STEP for i in range(3 * PER_DAY)]
    scores = run(kind(), times, [constant] * len(times))
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert max(scores[PER_DAY:]) < 0.5


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(min_value=0, max_value=5),
            st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=400,
    ),
    st.integers(min_value=1, max_value=3600),
)
def test_scores_are_in_unit_interval(values, step_seconds):
    times = [START + timedelta(seconds=step_seconds * i) for i in range(len(values))]
    for kind in DETECTORS:
        for score in run(kind(), times, [float(v) for v in values]):
            assert 0.0 <= score <= 1.0
            assert not math.isnan(score)

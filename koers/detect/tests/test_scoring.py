"""Our NAB scorer against NAB's own published per-row scores, and small cases by hand."""

from __future__ import annotations

import csv
import json
import math
from datetime import datetime, timedelta

import pytest

from koers.detect import scoring
from koers.tests.needs import shared_data

# The published thresholds the reference outputs were scored at (one per detector,
# the same for all three profiles: checked row by row below).
REFERENCE_THRESHOLDS = {"numenta": 0.542, "windowedGaussian": 1.0, "null": 1.0}
SERIES = ["AAPL", "AMZN", "CRM", "CVS", "FB"]


@pytest.mark.parametrize("detector", sorted(REFERENCE_THRESHOLDS))
def test_reference_outputs_row_by_row(detector):
    nab = shared_data("nab")
    windows = json.loads((nab / "windows.json").read_text())
    profiles = scoring.load_profiles(nab / "profiles.json")
    assert set(profiles) == {p.name for p in scoring.PROFILES}
    for series in SERIES:
        name = f"Twitter_volume_{series}.csv"
        path = shared_data("nab", "reference_outputs", f"{detector}_{name}")
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        plan = scoring.layout([row["timestamp"] for row in rows], windows[name])
        assert [int(row["label"]) for row in rows] == [int(w >= 0) for w in plan.window_of]
        values = [float(row["anomaly_score"]) for row in rows]
        for profile in profiles.values():
            result = scoring.score_layout(plan, values, REFERENCE_THRESHOLDS[detector], profile)
            expected = [float(row[f"S(t)_{profile.name}"]) for row in rows]
            for i, (ours, theirs) in enumerate(zip(result.rows, expected, strict=True)):
                assert ours == pytest.approx(theirs, abs=1e-9), (detector, name, profile, i)
            assert result.raw == pytest.approx(math.fsum(expected), abs=1e-9)


def test_probation_is_fifteen_percent_capped_at_750():
    assert scoring.probation_rows(1000) == 150
    assert scoring.probation_rows(15902) == 750
    assert scoring.probation_rows(7) == 1


START = datetime(2024, 1, 1)


def _times(n):
    return [START + timedelta(minutes=5 * i) for i in range(n)]


def _window(times, first, last):
    return (times[first].isoformat(sep=" "), times[last].isoformat(sep=" "))


def _score(n, window_rows, fired, profile=scoring.STANDARD, threshold=0.5):
    times = _times(n)
    scores = [1.0 if i in fired else 0.0 for i in range(n)]
    windows = [_window(times, a, b) for a, b in window_rows]
    return scoring.score_series(times, scores, windows, threshold, profile)


def test_detection_at_left_edge_is_worth_tp_weight():
    result = _score(200, [(100, 139)], {100})
    assert result.rows[100] == pytest.approx(1.0)
    assert result.raw == pytest.approx(1.0)
    assert result.detected == 1


def test_miss_is_worth_minus_fn_weight_on_the_first_row():
    result = _score(200, [(100, 139)], set(), profile=scoring.REWARD_LOW_FN_RATE)
    assert result.rows[100] == -2.0
    assert result.raw == -2.0


def test_false_positive_without_preceding_window():
    result = _score(200, [(150, 189)], {60})
    assert result.rows[60] == pytest.approx(-0.11)
    assert result.false_positives == 1
    assert result.raw == pytest.approx(-0.11 - 1.0)


def test_false_positive_just_after_a_window_costs_less():
    result = _score(300, [(100, 139)], {141, 290})
    # 2 rows past the window's last row, width 40: x = 2/39.
    assert result.rows[141] == pytest.approx(0.11 * scoring.scaled_sigmoid(2 / 39))
    assert -0.11 < result.rows[141] < 0
    # More than three widths later it is a full false positive.
    assert result.rows[290] == pytest.approx(-0.11)


def test_only_the_earliest_detection_in_a_window_counts():
    early = _score(200, [(100, 139)], {110, 120, 130})
    alone = _score(200, [(100, 139)], {110})
    assert early.raw == pytest.approx(alone.raw)
    assert early.rows[100] == pytest.approx(
        scoring.scaled_sigmoid(-30 / 40) / scoring.scaled_sigmoid(-1)
    )
    assert early.false_positives == 0
    # Later in the window is worth less, down to about 0 at the right edge.
    late = _score(200, [(100, 139)], {139})
    assert 0 < late.raw < 0.15 < alone.raw


def test_detections_in_probation_are_not_scored():
    result = _score(200, [(100, 139)], {5})
    assert result.raw == -1.0
    assert result.false_positives == 0


def test_normalised_score():
    perfect = _score(200, [(100, 139)], {100})
    silent = _score(200, [(100, 139)], set())
    assert scoring.normalised([perfect, silent]) == pytest.approx(50.0)
    assert scoring.normalised([silent]) == 0.0


def test_sweep_finds_the_best_threshold():
    times = _times(200)
    windows = [_window(times, 100, 139)]
    plan = scoring.layout(times, windows)
    scores = [0.0] * 200
    scores[60] = 0.9  # a false alarm, higher than the hit
    scores[105] = 0.7
    threshold, best = scoring.sweep([plan], [scores], scoring.STANDARD)
    assert threshold == 0.7
    expected = scoring.score_layout(plan, scores, 0.7, scoring.STANDARD)
    assert best == pytest.approx(scoring.normalised([expected]))

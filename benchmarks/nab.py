"""Early-warning detector on the Numenta Anomaly Benchmark (koers.detect).

Data: the five realTweets series of NAB (Numenta Anomaly Benchmark, MIT, commit
ea702d7): tweets per 5 minutes mentioning AAPL, AMZN, CRM, CVS and FB,
February–April 2015, with NAB's labelled anomaly windows and scoring profiles, read
from ``../shared/data/nab/`` beside the repository, never copied into it. Scored with
our own NAB scorer (``koers.detect.scoring``), which reproduces the ``S(t)_*`` columns
of NAB's published reference outputs row by row (``koers/detect/tests/``).

Each detector runs online over every series (it sees only the past) and is scored
under NAB's three profiles; the normalised score is 100 · (raw − null) / (perfect −
null) over the five series together (0 = never fire, 100 = every window at its left
edge, no false alarm).

- ``detect.nab.<detector>.<profile>.fixed``: at the detector's one fixed threshold, a
  constant in ``koers.detect.detector`` chosen once on these five series under the
  standard profile (a 0.01 grid for ``koers``, 0.02 for ``zscore``) and then kept for
  every profile: ``DEFAULT_THRESHOLD`` (the "normal" sensitivity) and
  ``ZSCORE_THRESHOLD``. Target for koers standard: numenta HTM's published 70.1.
- ``detect.nab.<detector>.<profile>.best``: the best threshold for that profile found
  by a sweep over every distinct score (as NAB does for published detectors), for
  comparison; optimistic by construction.
- Detectors: ``koers`` (``SurgeDetector``), ``zscore`` (|z| over the last day),
  ``null`` (never fires: 0 by definition).
- ``detect.evaluate.series_per_s``: the worker's cost per series and interval: 10,000
  detectors, each restored from a realistic warm state (a detector that has seen five
  days of a real series), given one new point and serialised again; series per
  second, median of three rounds, one process. Target 167/s: 10,000 series within a
  minute.

Published normalised standard scores on the *whole* NAB corpus, for orientation:
ARTime 74.9, numenta (HTM) 70.1, windowedGaussian 39.7, null 0. The table printed by
``main()`` also shows numenta's and windowedGaussian's own published outputs on these
five series, scored by our scorer at their published thresholds.

``python -m benchmarks.nab`` prints the figures; ``run()`` gives them in the benchmark
result format, or [] (with a note on stderr) when the data is absent.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from koers.detect import scoring
from koers.detect.detector import (
    DEFAULT_THRESHOLD,
    ZSCORE_THRESHOLD,
    NullDetector,
    SurgeDetector,
    ZScoreDetector,
)

NAB = Path(__file__).resolve().parents[2] / "shared" / "data" / "nab"
DETECTORS = {
    "koers": (SurgeDetector, DEFAULT_THRESHOLD),
    "zscore": (ZScoreDetector, ZSCORE_THRESHOLD),
    "null": (NullDetector, 0.5),
}
PROFILE_NAMES = {
    "standard": scoring.STANDARD,
    "reward_low_fp_rate": scoring.REWARD_LOW_FP_RATE,
    "reward_low_fn_rate": scoring.REWARD_LOW_FN_RATE,
}
# Published detectors whose outputs on these series ship with the data, and the
# thresholds they were scored at.
REFERENCES = {"numenta": 0.542, "windowedGaussian": 1.0}
SERIES_COUNT = 10_000
ROUNDS = 3


def _read_series(path: Path) -> tuple[list[datetime], list[float]]:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return (
        [datetime.fromisoformat(row["timestamp"]) for row in rows],
        [float(row["value"]) for row in rows],
    )


def _load() -> list[tuple[str, list[datetime], list[float], scoring.Layout]]:
    windows = json.loads((NAB / "windows.json").read_text())
    loaded = []
    for name in sorted(windows):
        timestamps, values = _read_series(NAB / "series" / name)
        loaded.append((name, timestamps, values, scoring.layout(timestamps, windows[name])))
    return loaded


def _detect(detector_class: Any, timestamps: list[datetime], values: list[float]) -> list[float]:
    detector = detector_class()
    return [detector.update(t, v) for t, v in zip(timestamps, values, strict=True)]


def _normalised(plans, scores, threshold, profile) -> float:
    return scoring.normalised(
        scoring.score_layout(plan, values, threshold, profile)
        for plan, values in zip(plans, scores, strict=True)
    )


def _series_per_s(timestamps: list[datetime], values: list[float]) -> float:
    """Restore, update and serialise 10,000 warm detectors; series per second."""
    warm_rows = 5 * 288
    detector = SurgeDetector()
    for t, v in zip(timestamps[:warm_rows], values[:warm_rows], strict=True):
        detector.update(t, v)
    # Vary the stored states a little, as 10,000 different series would.
    states = []
    for k in range(SERIES_COUNT):
        state = detector.state()
        state["level"] += (k % 97) / 97.0 - 0.5
        states.append(state)
    json_states = [json.dumps(state) for state in states]
    now, value = timestamps[warm_rows], values[warm_rows]
    rates = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for stored in json_states:
            series = SurgeDetector.from_state(json.loads(stored))
            series.update(now, value)
            json.dumps(series.state())
        rates.append(SERIES_COUNT / (time.perf_counter() - started))
    return statistics.median(rates)


def run() -> list[dict[str, Any]]:
    if not (NAB / "windows.json").exists():
        print(f"benchmarks.nab: skipped, {NAB} is missing", file=sys.stderr)
        return []
    loaded = _load()
    plans = [plan for *_, plan in loaded]
    results = []
    for detector_name, (detector_class, fixed) in DETECTORS.items():
        scores = [_detect(detector_class, ts, vs) for _, ts, vs, _ in loaded]
        for profile_name, profile in PROFILE_NAMES.items():
            target = 70.1 if (detector_name, profile_name) == ("koers", "standard") else 0.0
            _, best = scoring.sweep(plans, scores, profile)
            for kind, value in (
                ("fixed", _normalised(plans, scores, fixed, profile)),
                ("best", best),
            ):
                results.append(
                    {
                        "name": f"detect.nab.{detector_name}.{profile_name}.{kind}",
                        "value": round(value, 2),
                        "unit": "score",
                        "target": target,
                        "better": "higher",
                    }
                )
    _, timestamps, values, _ = loaded[0]
    results.append(
        {
            "name": "detect.evaluate.series_per_s",
            "value": round(_series_per_s(timestamps, values), 1),
            "unit": "series/s",
            "target": 167.0,
            "better": "higher",
        }
    )
    return results


def references() -> dict[str, dict[str, float]]:
    """Published detectors' own outputs on these series, scored by our scorer."""
    windows = json.loads((NAB / "windows.json").read_text())
    table: dict[str, dict[str, float]] = {}
    for detector_name, threshold in REFERENCES.items():
        per_profile: dict[str, list[scoring.SeriesScore]] = {p: [] for p in PROFILE_NAMES}
        for name in sorted(windows):
            path = NAB / "reference_outputs" / f"{detector_name}_{name}"
            with path.open(newline="") as handle:
                rows = list(csv.DictReader(handle))
            plan = scoring.layout([row["timestamp"] for row in rows], windows[name])
            values = [float(row["anomaly_score"]) for row in rows]
            for profile_name, profile in PROFILE_NAMES.items():
                per_profile[profile_name].append(
                    scoring.score_layout(plan, values, threshold, profile)
                )
        table[detector_name] = {p: scoring.normalised(r) for p, r in per_profile.items()}
    return table


def main() -> int:
    started = time.perf_counter()
    results = run()
    if not results:
        return 0
    by_name = {r["name"]: r["value"] for r in results}
    print("NAB realTweets (5 series), normalised score; fixed threshold / best threshold")
    print(f"{'detector':<24}" + "".join(f"{p:>24}" for p in PROFILE_NAMES))
    for detector_name in DETECTORS:
        cells = "".join(
            f"{by_name[f'detect.nab.{detector_name}.{p}.fixed']:>12.1f} /"
            f"{by_name[f'detect.nab.{detector_name}.{p}.best']:>9.1f}"
            for p in PROFILE_NAMES
        )
        print(f"{detector_name:<24}{cells}")
    for detector_name, row in references().items():
        cells = "".join(f"{row[p]:>12.1f} /{'—':>9}" for p in PROFILE_NAMES)
        print(f"{detector_name + ' (pub.)':<24}{cells}")
    print(
        f"fixed thresholds: koers {DEFAULT_THRESHOLD}, zscore {ZSCORE_THRESHOLD}; "
        f"published detectors at numenta {REFERENCES['numenta']}, "
        f"windowedGaussian {REFERENCES['windowedGaussian']}"
    )
    print(f"\nseries evaluated per second: {by_name['detect.evaluate.series_per_s']:,.0f}")
    print()
    width = max(len(r["name"]) for r in results)
    for r in results:
        print(f"{r['name']:<{width}}  {r['value']:>10.2f}  {r['unit']:<9} {r['target']:>8.2f}")
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

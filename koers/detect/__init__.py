"""Early warning for mention volume, without Django.

``SurgeDetector`` scores each new point of a series (counts per interval) for how
unusually high it is, from the past only, with a small serialisable state;
``scoring`` is our own implementation of the Numenta Anomaly Benchmark scorer used to
evaluate it (benchmarks/nab.py). docs/early-warning-detector.md explains the method.
"""

from koers.detect.detector import (
    DEFAULT_THRESHOLD,
    SENSITIVITY_THRESHOLDS,
    ZSCORE_THRESHOLD,
    NullDetector,
    SurgeDetector,
    ZScoreDetector,
    threshold_for,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "SENSITIVITY_THRESHOLDS",
    "ZSCORE_THRESHOLD",
    "NullDetector",
    "SurgeDetector",
    "ZScoreDetector",
    "threshold_for",
]

"""The SMART check on a KPI, without Django: which concrete hints apply.

Each hint is a code; the web app turns codes into sentences in the reader's language.
``BLOCKING`` hints stop a version from being published; the others are advice.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_TARGET = "no_target"
NO_DEADLINE = "no_deadline"
NOT_MEASURABLE = "not_measurable"
NO_BASELINE = "no_baseline"
NO_OWNER = "no_owner"
TARGET_NOT_AMBITIOUS = "target_not_ambitious"

BLOCKING = frozenset({NO_TARGET})


@dataclass(frozen=True)
class KpiFacts:
    has_target: bool
    has_deadline: bool
    has_unit: bool
    has_measurement: bool
    has_baseline: bool
    has_owner: bool
    # None when baseline or target is missing.
    target_beats_baseline: bool | None


def hints(facts: KpiFacts) -> list[str]:
    """The SMART hints for one KPI, most important first."""
    found = []
    if not facts.has_target:
        found.append(NO_TARGET)
    if not facts.has_deadline:
        found.append(NO_DEADLINE)
    if not (facts.has_unit and facts.has_measurement):
        found.append(NOT_MEASURABLE)
    if not facts.has_baseline:
        found.append(NO_BASELINE)
    if not facts.has_owner:
        found.append(NO_OWNER)
    if facts.target_beats_baseline is False:
        found.append(TARGET_NOT_AMBITIOUS)
    return found

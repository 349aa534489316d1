"""Differences between two strategy versions, without Django.

Works on the plain snapshots that ``StrategyVersion.snapshot()`` produces. Items are
paired by their ``key`` (kept when a version is copied into the next draft), so a
renamed goal shows as changed, not as removed and added. References to other items
(a social goal's business goal, a KPI's social goal) are compared by the referenced
item's title, which is what a reader recognises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROFILE_FIELDS = ("mission", "vision", "primary_discipline", "secondary_discipline", "webcare_role")

# section → (the field that names an item, the fields compared, reference fields)
SECTIONS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "business_goals": ("title", ("title", "description", "owner", "horizon"), {}),
    "social_goals": (
        "title",
        ("title", "description", "business_goal", "parent"),
        {"business_goal": "business_goals", "parent": "social_goals"},
    ),
    "kpis": (
        "name",
        (
            "name",
            "social_goal",
            "unit",
            "direction",
            "baseline",
            "target",
            "period_start",
            "period_end",
            "owner",
            "source",
            "measure",
        ),
        {"social_goal": "social_goals"},
    ),
    "audiences": ("name", ("name", "description"), {}),
    "channels": ("platform", ("platform", "purpose"), {}),
    "pillars": ("name", ("name", "description"), {}),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Change:
    section: str  # "profile" or a key of SECTIONS
    action: str  # "added", "removed" or "changed"
    label: str
    fields: tuple[FieldChange, ...] = field(default_factory=tuple)


def _titles(snapshot: dict) -> dict[str, dict[str, str]]:
    return {
        section: {item["key"]: item[SECTIONS[section][0]] for item in snapshot.get(section, [])}
        for section in SECTIONS
    }


def _value(item: dict, name: str, refs: dict[str, str], titles) -> str | None:
    value = item.get(name)
    if name in refs and value is not None:
        return titles[refs[name]].get(value, value)
    return None if value in (None, "") else str(value)


def diff(old: dict | None, new: dict) -> list[Change]:
    """What changed from ``old`` to ``new`` (``old`` None: everything is added)."""
    old = old or {}
    changes: list[Change] = []
    profile = tuple(
        FieldChange(name, old.get(name) or None, new.get(name) or None)
        for name in PROFILE_FIELDS
        if (old.get(name) or None) != (new.get(name) or None)
    )
    if profile:
        changes.append(Change("profile", "changed", "profile", profile))
    old_titles, new_titles = _titles(old), _titles(new)
    for section, (label_field, fields, refs) in SECTIONS.items():
        before = {item["key"]: item for item in old.get(section, [])}
        after = {item["key"]: item for item in new.get(section, [])}
        for key, item in after.items():
            if key not in before:
                changes.append(Change(section, "added", item[label_field]))
                continue
            moved = tuple(
                FieldChange(
                    name,
                    _value(before[key], name, refs, old_titles),
                    _value(item, name, refs, new_titles),
                )
                for name in fields
                if _value(before[key], name, refs, old_titles)
                != _value(item, name, refs, new_titles)
            )
            if moved:
                changes.append(Change(section, "changed", item[label_field], moved))
        for key, item in before.items():
            if key not in after:
                changes.append(Change(section, "removed", item[label_field]))
    return changes

"""The strategy playbooks: complete, bilingual and consistent with what Koers measures.

Plain data, so no database.
"""

import dataclasses
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from koers.strategy.playbook_types import (
    DISCIPLINES,
    MEASURES,
    PLATFORMS,
    KpiProposal,
    Playbook,
    Text,
)
from koers.strategy.playbooks import PLAYBOOKS, get_playbook

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def texts(value: object) -> Iterator[Text]:
    """Every Text inside a playbook, however deeply nested."""
    if isinstance(value, Text):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from texts(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from texts(getattr(value, field.name))


def all_kpis() -> list[KpiProposal]:
    return [
        kpi
        for playbook in PLAYBOOKS.values()
        for goal in playbook.social_goals
        for kpi in goal.kpis
    ]


def test_exactly_one_playbook_per_discipline():
    assert set(PLAYBOOKS) == set(DISCIPLINES)
    for discipline, playbook in PLAYBOOKS.items():
        assert isinstance(playbook, Playbook)
        assert playbook.discipline == discipline
        assert get_playbook(discipline) is playbook


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_every_text_is_written_in_both_languages(discipline):
    found = list(texts(PLAYBOOKS[discipline]))
    assert len(found) > 50
    for text in found:
        assert text.nl.strip(), text
        assert text.en.strip(), text
        if len(text.nl.split()) > 3 or len(text.en.split()) > 3:
            assert text.nl != text.en, f"untranslated: {text.nl!r}"


def test_goal_keys_are_unique_snake_case():
    keys = [goal.key for playbook in PLAYBOOKS.values() for goal in playbook.social_goals]
    assert len(keys) == len(set(keys))
    assert all(SNAKE_CASE.match(key) for key in keys), keys


def test_kpi_keys_are_unique_snake_case():
    keys = [kpi.key for kpi in all_kpis()]
    assert len(keys) == len(set(keys))
    assert all(SNAKE_CASE.match(key) for key in keys), keys


def test_kpi_source_and_measure_agree():
    for kpi in all_kpis():
        assert kpi.source in ("koers", "manual"), kpi.key
        if kpi.source == "koers":
            assert kpi.measure in MEASURES, kpi.key
        else:
            assert kpi.measure is None, kpi.key


def test_kpi_direction_and_target_are_well_formed():
    for kpi in all_kpis():
        assert kpi.direction in ("increase", "decrease"), kpi.key
        if kpi.suggested_target is not None:
            assert isinstance(kpi.suggested_target, Decimal), kpi.key
            assert kpi.suggested_target > 0, kpi.key
            if kpi.unit.en == "%":
                assert kpi.suggested_target <= 100, kpi.key


def test_channel_platforms_are_known_and_not_repeated():
    for playbook in PLAYBOOKS.values():
        platforms = [channel.platform for channel in playbook.channels]
        assert set(platforms) <= set(PLATFORMS), platforms
        assert len(platforms) == len(set(platforms)), platforms


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_playbook_is_complete(discipline):
    playbook = PLAYBOOKS[discipline]
    assert 3 <= len(playbook.social_goals) <= 4
    for goal in playbook.social_goals:
        assert 2 <= len(goal.kpis) <= 3, goal.key
    assert 3 <= len(playbook.audiences) <= 4
    assert 3 <= len(playbook.channels) <= 5
    assert 3 <= len(playbook.pillars) <= 5
    assert playbook.webcare_role.nl and playbook.webcare_role.en


def test_operational_excellence_measures_first_response_time():
    kpis = [
        kpi
        for goal in get_playbook("operational_excellence").social_goals
        for kpi in goal.kpis
        if kpi.measure == "webcare.first_response_minutes"
    ]
    assert len(kpis) == 1
    (first_response,) = kpis
    assert first_response.source == "koers"
    assert first_response.direction == "decrease"
    # Dutch webcare practice: a first reply within the hour during opening hours.
    assert first_response.suggested_target == Decimal("60")


def test_product_leadership_measures_share_of_voice():
    measures = {
        kpi.measure for goal in get_playbook("product_leadership").social_goals for kpi in goal.kpis
    }
    assert "listening.share_of_voice" in measures


def test_unknown_discipline_names_the_allowed_ones():
    with pytest.raises(KeyError) as raised:
        get_playbook("nonsense")
    message = str(raised.value)
    assert "nonsense" in message
    for discipline in DISCIPLINES:
        assert discipline in message


def test_text_get_returns_the_requested_language():
    text = Text("Eerste reactietijd", "First response time")
    assert text.get("nl") == "Eerste reactietijd"
    assert text.get("en") == "First response time"
    playbook = get_playbook("customer_intimacy")
    assert playbook.name.get("nl") == "Klantintimiteit"
    assert playbook.name.get("en") == "Customer intimacy"

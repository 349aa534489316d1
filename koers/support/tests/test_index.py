"""The draagvlak index maths against cases worked out by hand."""

import pytest

from koers.support import index
from koers.support.index import Components, draagvlak_index
from koers.support.results import wave_results
from koers.support.tests.results_builders import add_responses
from koers.tests.cast import make_waves


def test_weights_add_up_to_one():
    assert index.WEIGHTS == {
        "support": 0.30,
        "understanding": 0.30,
        "participation": 0.20,
        "example": 0.20,
    }
    assert sum(index.WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([1], 0.0),  # strongly disagree
        ([5], 100.0),  # strongly agree
        ([3], 50.0),
        ([1, 5], 50.0),  # mean 3 → (3 − 1) / 4
        ([4, 4, 5], (13 / 3 - 1) / 4 * 100),  # mean 4.333… → 83.33…
        ([2, 3, 3, 4], 50.0),
        ([None, 4], 75.0),  # an unanswered statement does not count
    ],
)
def test_likert_score(answers, expected):
    assert index.likert_score(answers) == pytest.approx(expected)


def test_likert_score_without_answers_is_none():
    assert index.likert_score([]) is None
    assert index.likert_score([None, None]) is None


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_likert_score_refuses_answers_off_the_scale(bad):
    with pytest.raises(ValueError):
        index.likert_score([3, bad])


GOALS = {"klanten", "service", "werving"}


@pytest.mark.parametrize(
    ("named", "picked", "expected"),
    [
        # Right discipline (100) and all three goals (100).
        ("customer_intimacy", {"klanten", "service", "werving"}, 100.0),
        # Right discipline (100), two of three goals (66.67) → 83.33.
        ("customer_intimacy", {"klanten", "service"}, (100 + 200 / 3) / 2),
        # Right discipline, two right and one wrong pick: (2 − 1) / 3 = 33.33 → 66.67.
        ("customer_intimacy", {"klanten", "service", "x-lead"}, (100 + 100 / 3) / 2),
        # Wrong discipline (0), one right one wrong (0) → 0.
        ("product_leadership", {"klanten", "x-lead"}, 0.0),
        # More wrong picks than right ones never go below zero.
        ("customer_intimacy", {"klanten", "x-a", "x-b", "x-c"}, 50.0),
        # Nothing named, all goals picked: 0 and 100.
        (None, {"klanten", "service", "werving"}, 50.0),
        # Picking everything offered is no way round it: 3 right, 3 wrong → 0.
        ("customer_intimacy", GOALS | {"x-a", "x-b", "x-c"}, 50.0),
    ],
)
def test_understanding_score(named, picked, expected):
    score = index.understanding_score(
        named_discipline=named,
        discipline="customer_intimacy",
        picked_goals=picked,
        goals=GOALS,
    )
    assert score == pytest.approx(expected)


def test_understanding_score_with_one_reference_only():
    # Only the discipline was asked: all or nothing.
    assert (
        index.understanding_score(
            named_discipline="customer_intimacy",
            discipline="customer_intimacy",
            picked_goals=[],
            goals=[],
        )
        == 100.0
    )
    # Only the goals were asked: one of two right → 50.
    assert index.understanding_score(
        named_discipline=None, discipline=None, picked_goals=["a"], goals=["a", "b"]
    ) == pytest.approx(50.0)
    # No reference at all: no score, rather than a zero.
    assert (
        index.understanding_score(
            named_discipline="x", discipline=None, picked_goals=["a"], goals=[]
        )
        is None
    )


@pytest.mark.parametrize(
    ("active", "members", "expected"),
    [(3, 12, 25.0), (0, 10, 0.0), (10, 10, 100.0), (15, 10, 100.0), (1, 3, 100 / 3)],
)
def test_participation_score(active, members, expected):
    assert index.participation_score(active, members) == pytest.approx(expected)


def test_participation_without_members_is_not_measured():
    assert index.participation_score(0, 0) is None


def test_index_with_all_four_components():
    # 0.30 × 80 + 0.30 × 60 + 0.20 × 0 + 0.20 × 50 = 24 + 18 + 0 + 10 = 52
    components = Components(support=80, understanding=60, participation=0, example=50)
    assert draagvlak_index(components) == 52


def test_index_reweights_missing_components():
    # Participation not measured: (24 + 18 + 10) / 0.80 = 65
    assert draagvlak_index(Components(support=80, understanding=60, example=50)) == 65
    # Only support and example: (0.30 × 90 + 0.20 × 40) / 0.50 = (27 + 8) / 0.5 = 70
    assert draagvlak_index(Components(support=90, example=40)) == 70
    # One component alone is the index.
    assert draagvlak_index(Components(understanding=37)) == 37


def test_index_is_rounded_to_a_whole_number():
    # (0.30 × 70 + 0.30 × 65 + 0.20 × 61) / 0.80 = (21 + 19.5 + 12.2) / 0.8 = 65.875 → 66
    assert draagvlak_index(Components(support=70, understanding=65, example=61)) == 66
    # 0.30 × 71 + 0.30 × 41 + 0.20 × 10 + 0.20 × 33 = 21.3 + 12.3 + 2 + 6.6 = 42.2 → 42
    assert draagvlak_index(Components(71, 41, 10, 33)) == 42
    assert isinstance(draagvlak_index(Components(71, 41, 10, 33)), int)


def test_index_without_any_component_is_none():
    assert draagvlak_index(Components()) is None


def test_index_extremes():
    assert draagvlak_index(Components(0, 0, 0, 0)) == 0
    assert draagvlak_index(Components(100, 100, 100, 100)) == 100


@pytest.mark.django_db
def test_wave_results_per_group_by_hand(cast):
    """Components are the mean of the responses' scores; participation comes from the
    wave; the index re-weights what is missing."""
    org = cast.a.org
    wave = make_waves(org).closed
    wave.active_members, wave.member_count = 3, 12  # participation 25
    wave.save(update_fields=["active_members", "member_count"])
    sales = cast.a.department
    for support in (60, 70, 80, 90, 100):  # mean 80
        add_responses(wave, 1, department=sales, support=support, understanding=50, example=None)
    add_responses(wave, 5, management=True, support=40, understanding=90, example=70)

    figures = wave_results(wave)

    group = figures.group(f"d{sales.pk}")
    assert group.responses == 5
    assert group.components.support == pytest.approx(80)
    assert group.components.understanding == pytest.approx(50)
    assert group.components.participation == pytest.approx(25)
    assert group.components.example is None
    # (0.30 × 80 + 0.30 × 50 + 0.20 × 25) / 0.80 = (24 + 15 + 5) / 0.8 = 55
    assert group.index == 55

    management = figures.group("management")
    # 0.30 × 40 + 0.30 × 90 + 0.20 × 25 + 0.20 × 70 = 12 + 27 + 5 + 14 = 58
    assert management.index == 58

    # Whole organisation: support (80 × 5 + 40 × 5) / 10 = 60, understanding 70,
    # example only management's 70, participation 25:
    # 0.30 × 60 + 0.30 × 70 + 0.20 × 25 + 0.20 × 70 = 18 + 21 + 5 + 14 = 58
    assert figures.overall.components.support == pytest.approx(60)
    assert figures.overall.components.understanding == pytest.approx(70)
    assert figures.overall.index == 58
    assert figures.responses == 10


@pytest.mark.django_db
def test_an_open_wave_shows_no_figures_until_it_closes(cast):
    """While people are still answering, figures before and after one submission would
    give that person's answers away: nothing is shown until the wave closes."""
    waves = make_waves(cast.a.org)
    add_responses(
        waves.open, 5, department=cast.a.department, support=80, understanding=60, example=70
    )
    figures = wave_results(waves.open)
    assert (figures.shown, figures.overall, figures.groups) == (False, None, [])
    assert figures.waiting_for_close and figures.responses == 5

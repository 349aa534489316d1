"""The draagvlak demo: three closed waves in which Van Dijk Fietsen grows, and one
department (Productie & Werkplaats) clearly lags behind."""

import pytest

from koers.orgs import demo
from koers.orgs.capabilities import Role
from koers.support import results
from koers.support.models import (
    QuestionKind,
    Response,
    Ticket,
    TicketStatus,
    Wave,
    WaveStatus,
)
from koers.support.question_bank import standard_questions

pytestmark = pytest.mark.django_db

LAGGING = "Productie & Werkplaats"


@pytest.fixture(scope="module")
def org(django_db_setup, django_db_blocker):
    """The demo, built once for the module (it takes seconds): the tests below only
    read it (one builds it again inside its own transaction, which is rolled back)."""
    with django_db_blocker.unblock():
        yield demo.refresh_demo()
        demo.remove_demo()


def _figures(org) -> list:
    """Every figure the pages show, rounded (the mean of the same numbers in another
    order may differ in the last bit)."""
    figures = []
    for wave_results in results.history(org):
        overall, rates = results.response_rates(wave_results.wave)
        figures.append(
            (
                wave_results.wave.number,
                wave_results.wave.title,
                wave_results.responses,
                (overall.invited, overall.answered),
                sorted((r.label, r.invited, r.answered) for r in rates),
                [
                    (
                        g.label,
                        g.responses,
                        g.index,
                        {k: round(v, 6) for k, v in g.component_values.items() if v is not None},
                    )
                    for g in [wave_results.overall, *wave_results.groups]
                ],
                wave_results.folded,
            )
        )
    verdict = results.readiness(org)
    figures.append((verdict.go, verdict.reasons, verdict.steps))
    return figures


def test_three_closed_waves_with_the_standard_questions(org):
    waves = list(Wave.objects.for_org(org).order_by("number"))
    assert [w.number for w in waves] == [1, 2, 3]
    assert all(w.status == WaveStatus.CLOSED for w in waves)
    assert [w.closed_at.date().isoformat() for w in waves] == [
        "2026-02-15",
        "2026-05-15",
        "2026-09-15",
    ]
    surveyed = org.memberships.exclude(role=Role.ADVISOR).count()
    for wave in waves:
        assert wave.launched_at < wave.closes_at == wave.closed_at
        assert wave.strategy_version is not None
        assert wave.member_count == surveyed == wave.tickets.count()
        assert wave.active_members == 0
        assert [q.key for q in wave.questions.all()] == [b.key for b in standard_questions()]
        goals = wave.questions.get(kind=QuestionKind.TOP_GOALS)
        assert any(o["value"].startswith("x-") for o in goals.options), "distractors"
        assert len(wave.questions.get(kind=QuestionKind.DISCIPLINE).options) == 3
    assert not Ticket.objects.filter(wave__in=waves, membership__role=Role.ADVISOR).exists()
    assert not Response.objects.filter(wave__in=waves, resume_key__isnull=False).exists()


def test_response_rate_between_sixty_and_ninety_percent(org):
    for wave in Wave.objects.for_org(org):
        overall, _rates = results.response_rates(wave)
        assert 0.6 <= overall.rate <= 0.9, (wave.number, overall.rate)
        complete = Response.objects.filter(wave=wave, is_complete=True)
        assert complete.count() == overall.answered
        assert all(r.support_score is not None for r in complete)
        assert all(r.understanding_score is not None for r in complete)
        assert all(r.example_score is not None for r in complete)


def test_answers_are_plausible_and_valid(org):
    from koers.support.actions import _clean_answer

    wave = results.latest_closed(org)
    questions = {q.key: q for q in wave.questions.all()}
    responses = list(Response.objects.filter(wave=wave, is_complete=True))
    for response in responses:
        assert {"discipline", "top_goals"} <= set(response.answers)
        for key, value in response.answers.items():
            assert _clean_answer(questions[key], value) == value, (key, value)
    wants = [r.answers.get("become_ambassador") for r in responses]
    assert 0 < wants.count("yes") < len(responses) / 2
    opted_in = Ticket.objects.filter(wave=wave, ambassador_opt_in=True)
    assert opted_in.count() == 4
    assert all(t.status == TicketStatus.COMPLETED for t in opted_in)
    assert not opted_in.filter(membership__department__name="Directie").exists()
    assert opted_in.values("department").distinct().count() == 4


def test_management_answers_as_one_group_and_understands_the_strategy(org):
    wave = results.latest_closed(org)
    tickets = Ticket.objects.filter(wave=wave)
    management = tickets.filter(is_management=True)
    assert set(management.values_list("membership__role", flat=True)) == {
        Role.OWNER,
        Role.MANAGER,
    }
    # Directie is owners and a manager only: it never shows up as a department.
    directie = tickets.filter(department__name="Directie")
    assert directie.count() == 3 and not directie.filter(is_management=False).exists()
    latest = results.wave_results(wave)
    group = latest.group(results.MANAGEMENT)
    assert group is not None and group.components.understanding >= 85
    assert all(g.label != "Directie" for g in latest.groups)


def test_the_workshop_lags_in_every_wave(org):
    history = results.history(org)
    assert all(r.shown for r in history)
    for wave_results in history:
        departments = [g for g in wave_results.groups if g.is_department]
        lagging = next(g for g in departments if g.label == LAGGING)
        assert lagging.responses >= wave_results.wave.min_group_size
        assert lagging.index < 50
        assert lagging.index == min(g.index for g in departments)
        assert all(g.index - lagging.index >= 10 for g in departments if g is not lagging)


def test_latest_wave_shows_every_department(org):
    latest = results.wave_results(results.latest_closed(org))
    assert latest.shown and not latest.folded
    labels = {g.label for g in latest.groups if g.is_department}
    assert labels == {"Marketing & Communicatie", "Klantenservice", LAGGING, "Financiën & HR"}
    assert all(g.responses >= 5 for g in latest.groups)


def test_a_small_group_is_folded_in_the_first_wave(org):
    first = results.history(org)[0]
    assert "Financiën & HR" in first.folded
    other = first.group("other")
    assert other is not None and other.responses >= first.wave.min_group_size
    assert all(g.responses >= first.wave.min_group_size for g in first.groups)


def test_the_organisation_grows_across_the_waves(org):
    indexes = [r.overall.index for r in results.history(org)]
    assert len(indexes) == 3
    assert indexes[0] < indexes[1] < indexes[2], indexes
    assert 40 <= indexes[0] <= 50 and 58 <= indexes[2] <= 68, indexes


def test_readiness_says_build_support_first_in_the_workshop(org):
    verdict = results.readiness(org)
    assert not verdict.go
    assert any(LAGGING in reason for reason in verdict.reasons)
    assert all(LAGGING in reason for reason in verdict.reasons), verdict.reasons
    assert any(LAGGING in step for step in verdict.steps)


def test_demo_is_deterministic(org):
    first = _figures(org)
    again = demo.refresh_demo()
    assert _figures(again) == first

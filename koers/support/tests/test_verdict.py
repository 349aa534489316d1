"""The readiness verdict: "go", or "build support first" with every reason and the
next step that fits it."""

import pytest
from django.urls import reverse

from koers.orgs.capabilities import Role
from koers.strategy.models import StrategyVersion
from koers.support.results import readiness
from koers.support.tests.results_builders import add_responses, add_tickets
from koers.tests.cast import make_department, make_strategy, make_waves

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(cast):
    """A signed-off strategy and a closed wave that everybody answered, with good
    scores in Verkoop and in management: "go"."""
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)
    waves = make_waves(org)
    cast.a.wave = waves.closed
    add_responses(
        waves.closed, 6, department=cast.a.department, support=80, understanding=80, example=80
    )
    add_responses(waves.closed, 5, management=True, support=85, understanding=85, example=85)
    add_tickets(waves.closed, invited=6, answered=6, department=cast.a.department)
    add_tickets(waves.closed, invited=5, answered=5, management=True)
    return cast


def test_go(ready):
    verdict = readiness(ready.a.org)
    assert verdict.go is True
    assert verdict.reasons == [] and verdict.steps == []
    assert verdict.wave == ready.a.wave


def test_no_strategy(ready):
    StrategyVersion.objects.filter(organisation=ready.a.org).delete()
    verdict = readiness(ready.a.org)
    assert verdict.go is False
    assert verdict.reasons == ["There is no published strategy yet."]
    assert verdict.steps == ["Write the strategy with the wizard and publish it."]


def test_strategy_not_signed_off(ready):
    StrategyVersion.objects.filter(organisation=ready.a.org).update(
        signed_off_at=None, signed_off_by=None
    )
    verdict = readiness(ready.a.org)
    assert verdict.go is False
    assert verdict.reasons == [
        "No owner or manager has signed off the strategy: there is no executive sponsor."
    ]
    assert verdict.steps == ["Ask an owner or manager to sign off the published strategy."]


def test_support_never_measured(cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    verdict = readiness(cast.a.org)
    assert verdict.go is False
    assert verdict.reasons == ["Support has not been measured yet."]
    assert verdict.steps == ["Launch a pulse survey among all employees."]
    assert verdict.wave is None


def test_only_an_open_wave_is_not_a_measurement(cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    waves = make_waves(cast.a.org)
    waves.closed.delete()
    add_responses(waves.open, 10, department=cast.a.department, support=90)
    assert readiness(cast.a.org).reasons == ["Support has not been measured yet."]


def test_low_response_rate(ready):
    # 11 of 25 invited answered: 44%.
    add_tickets(ready.a.wave, invited=14, answered=0, department=ready.a.department)
    verdict = readiness(ready.a.org)
    assert verdict.go is False
    assert verdict.reasons == ["Only 44% of the employees answered the last survey."]
    assert verdict.steps == [
        "Ask managers to make time for the next survey, and send a reminder halfway."
    ]


def test_too_few_responses(cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    wave = make_waves(cast.a.org).closed
    add_responses(wave, 3, department=cast.a.department)
    add_tickets(wave, invited=3, answered=3, department=cast.a.department)
    verdict = readiness(cast.a.org)
    assert verdict.go is False
    assert verdict.reasons == ["Too few answers to show any result."]


def test_low_index(cast):
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)
    wave = make_waves(org).closed
    # Everyone at 55: the index is 55, below 60; Verkoop (55) is above 50.
    add_responses(wave, 6, department=cast.a.department, support=55, understanding=55, example=55)
    add_tickets(wave, invited=6, answered=6, department=cast.a.department)
    verdict = readiness(org)
    assert verdict.go is False
    assert verdict.reasons == ["The draagvlak index is 55, below 60."]


@pytest.mark.parametrize(
    ("scores", "index", "step"),
    [
        # (0.30 × 50 + 0.30 × 20 + 0.20 × 45) / 0.80 = (15 + 6 + 9) / 0.8 = 37.5 → 38
        (
            {"support": 50, "understanding": 20, "example": 45},
            38,
            "Explain the strategy in ICT: a short session with the strategy page, and the "
            "goals their work serves.",
        ),
        # (0.30 × 50 + 0.30 × 45 + 0.20 × 10) / 0.80 = (15 + 13.5 + 2) / 0.8 = 38.1 → 38
        (
            {"support": 50, "understanding": 45, "example": 10},
            38,
            "Ask the manager of ICT to set the example: share a post, submit an idea.",
        ),
        # (0.30 × 10 + 0.30 × 45 + 0.20 × 50) / 0.80 = (3 + 13.5 + 10) / 0.8 = 33.1 → 33
        (
            {"support": 10, "understanding": 45, "example": 50},
            33,
            "Talk with ICT about what holds them back, and find an enthusiast there to "
            "become an ambassador.",
        ),
    ],
)
def test_lagging_department_gets_the_step_for_its_weakest_component(ready, scores, index, step):
    ict = make_department(ready.a.org, "ICT")
    add_responses(ready.a.wave, 5, department=ict, **scores)
    add_tickets(ready.a.wave, invited=5, answered=5, department=ict)
    verdict = readiness(ready.a.org)
    assert verdict.go is False
    assert f"ICT is at {index}, below 50." in verdict.reasons
    assert step in verdict.steps


def test_a_small_lagging_department_is_not_named(ready):
    """Below the minimum a department goes to "other": the verdict cannot name it."""
    legal = make_department(ready.a.org, "Juridisch")
    add_responses(ready.a.wave, 2, department=legal, support=5, understanding=5, example=5)
    verdict = readiness(ready.a.org)
    assert not any("Juridisch" in text for text in [*verdict.reasons, *verdict.steps])


def _gap(ready):
    """Verkoop: 6 × 80 and 6 × 40 → understanding 60; management: 5 × 85 and 5 × 99 →
    92; a gap of 32 points."""
    add_responses(
        ready.a.wave, 6, department=ready.a.department, support=90, understanding=40, example=90
    )
    add_responses(ready.a.wave, 5, management=True, support=90, understanding=99, example=90)
    add_tickets(ready.a.wave, invited=11, answered=11, department=ready.a.department)


def test_large_understanding_gap_gives_a_step(ready):
    _gap(ready)
    verdict = readiness(ready.a.org)
    assert (
        "Verkoop understands the strategy much less than management (32 points): explain "
        "it there first." in verdict.steps
    )


def test_large_understanding_gap_is_a_reason(ready):
    _gap(ready)
    verdict = readiness(ready.a.org)
    assert verdict.go is False
    assert any("understand" in reason for reason in verdict.reasons)


def test_no_gap_when_management_is_too_small(ready):
    """With fewer than five managers management is not shown, so there is no gap."""
    for response in ready.a.wave.responses.filter(is_management=True)[:3]:
        response.delete()
    add_responses(ready.a.wave, 6, department=ready.a.department, understanding=10)
    verdict = readiness(ready.a.org)
    assert not any("than management" in step for step in verdict.steps)


def test_dashboard_shows_the_verdict(client, ready):
    ict = make_department(ready.a.org, "ICT")
    add_responses(ready.a.wave, 5, department=ict, support=50, understanding=20, example=45)
    add_tickets(ready.a.wave, invited=5, answered=5, department=ict)
    client.force_login(ready.a[Role.ADVISOR].user)
    html = client.get(reverse("support:dashboard", args=[ready.a.org.slug])).content.decode()
    verdict = html.split('id="verdict-heading"')[1].split("</section>")[0]
    assert "Build support first" in verdict
    assert "ICT is at 38, below 50." in verdict
    assert "Explain the strategy in ICT" in verdict
    assert "Based on the latest closed survey: 1. Voorjaar." in verdict


def test_dashboard_says_go(client, ready):
    client.force_login(ready.a[Role.OWNER].user)
    html = client.get(reverse("support:dashboard", args=[ready.a.org.slug])).content.decode()
    verdict = html.split('id="verdict-heading"')[1].split("</section>")[0]
    assert ">Go<" in verdict
    assert "Build support first" not in verdict

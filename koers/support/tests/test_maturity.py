"""The maturity model (hand-computed cases) and the pages that assess and track it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.support import maturity, network
from koers.support.maturity import Evidence, assess, caps
from koers.support.models import MaturityAssessment, Response
from koers.tests.cast import make_strategy, make_waves
from koers.tests.test_tenancy import fingerprint

NOTHING = Evidence(
    strategy_published=False,
    strategy_signed_off=False,
    draagvlak_index=None,
    guideline_ack_rate=None,
)
EVERYTHING = Evidence(
    strategy_published=True,
    strategy_signed_off=True,
    draagvlak_index=85,
    guideline_ack_rate=0.95,
)


def _levels(strategy=3, support=3, process=3, measurement=3, learning=3) -> dict[str, int]:
    return {
        "strategy": strategy,
        "support": support,
        "process": process,
        "measurement": measurement,
        "learning": learning,
    }


def _evidence(**changes) -> Evidence:
    values = {
        "strategy_published": True,
        "strategy_signed_off": True,
        "draagvlak_index": 85,
        "guideline_ack_rate": None,
    }
    values.update(changes)
    return Evidence(**values)


# --- the model ------------------------------------------------------------------------


def test_the_model_has_five_stages_and_five_dimensions_in_both_languages():
    assert [s.name.en for s in maturity.STAGES] == [
        "Ad hoc",
        "Experimenting",
        "Structured",
        "Integrated",
        "Strategic",
    ]
    assert [s.name.nl for s in maturity.STAGES] == [
        "Ad hoc",
        "Experimenterend",
        "Gestructureerd",
        "Geïntegreerd",
        "Strategisch",
    ]
    assert maturity.DIMENSION_KEYS == ("strategy", "support", "process", "measurement", "learning")
    for dimension in maturity.DIMENSIONS:
        assert len(dimension.levels) == 5
        for language in ("nl", "en"):
            texts = [level.get(language) for level in dimension.levels]
            assert all(texts) and len(set(texts)) == 5, (dimension.key, language)
        assert dimension.name.nl != dimension.name.en or dimension.key == "strategy"


def test_nothing_in_koers_caps_strategy_support_and_measurement_at_two():
    # Self 4 everywhere; evidence: 2, 2, none, 2, none → 2 + 2 + 4 + 2 + 4 = 14 → 2.8 → 2.
    result = assess(_levels(4, 4, 4, 4, 4), NOTHING)
    assert [d.effective for d in result.dimensions] == [2, 2, 4, 2, 4]
    assert result.mean == pytest.approx(2.8)
    assert result.stage == 2
    assert result.dimension("strategy").cap.reason == "strategy.none"
    assert result.dimension("support").cap.reason == "support.not_measured"
    assert result.dimension("process").cap.level is None
    assert result.dimension("strategy").is_capped
    assert not result.dimension("process").is_capped


def test_everything_in_place_caps_nothing():
    result = assess(_levels(5, 5, 5, 5, 5), EVERYTHING)
    assert [d.effective for d in result.dimensions] == [5, 5, 5, 5, 5]
    assert result.stage == 5


def test_the_cap_never_raises_a_level():
    result = assess(_levels(1, 1, 1, 1, 1), NOTHING)
    assert [d.effective for d in result.dimensions] == [1, 1, 1, 1, 1]
    assert result.stage == 1


@pytest.mark.parametrize(
    ("published", "signed_off", "cap"),
    [(False, False, 2), (True, False, 3), (True, True, None)],
)
def test_strategy_cap(published, signed_off, cap):
    found = caps(_evidence(strategy_published=published, strategy_signed_off=signed_off))
    assert found["strategy"].level == cap


@pytest.mark.parametrize(
    ("index", "cap"),
    [(None, 2), (0, 2), (39, 2), (40, 3), (59, 3), (60, 4), (79, 4), (80, 5), (100, 5)],
)
def test_support_cap_follows_the_draagvlak_index(index, cap):
    assert caps(_evidence(draagvlak_index=index))["support"].level == cap


@pytest.mark.parametrize(
    ("rate", "cap"),
    [(None, None), (0.0, 2), (0.49, 2), (0.5, 3), (0.69, 3), (0.7, 4), (0.89, 4), (0.9, 5)],
)
def test_process_cap_follows_guideline_acknowledgement(rate, cap):
    assert caps(_evidence(guideline_ack_rate=rate))["process"].level == cap


def test_measurement_needs_a_published_strategy():
    assert caps(_evidence(strategy_published=False))["measurement"].level == 2
    assert caps(_evidence())["measurement"].level is None
    assert caps(_evidence())["learning"].level is None


def test_stage_is_the_floor_of_the_mean():
    # 4 + 4 + 4 + 4 + 3 = 19 → 3.8 → stage 3: one dimension holds the stage back.
    assert assess(_levels(4, 4, 4, 4, 3), EVERYTHING).stage == 3
    # 3 + 3 + 4 + 2 + 3 = 15 → 3.0 → stage 3.
    assert assess(_levels(3, 3, 4, 2, 3), EVERYTHING).stage == 3
    # 5 + 5 + 5 + 5 + 4 = 24 → 4.8 → stage 4.
    assert assess(_levels(5, 5, 5, 5, 4), EVERYTHING).stage == 4
    # Published but not signed off, index 55: strategy 5 → 3, support 5 → 3;
    # 3 + 3 + 5 + 5 + 5 = 21 → 4.2 → stage 4.
    mixed = _evidence(strategy_signed_off=False, draagvlak_index=55)
    result = assess(_levels(5, 5, 5, 5, 5), mixed)
    assert [d.effective for d in result.dimensions] == [3, 3, 5, 5, 5]
    assert result.stage == 4


def test_reasons_in_both_languages():
    found = caps(_evidence(draagvlak_index=57, guideline_ack_rate=0.634))
    assert found["support"].because("en") == (
        "Draagvlak index of the latest survey: 57 (at most level 3)."
    )
    assert found["support"].because("nl") == (
        "Draagvlakindex van de laatste peiling: 57 (hoogstens niveau 3)."
    )
    assert found["process"].because("en").startswith("63% of the employees")
    for cap in caps(NOTHING).values():
        assert cap.because("nl") and cap.because("en")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({**_levels(), "strategy": 0}, "'strategy'"),
        ({**_levels(), "support": 6}, "'support'"),
        ({**_levels(), "process": "3"}, "'process'"),
        ({**_levels(), "measurement": 3.0}, "'measurement'"),
        ({**_levels(), "learning": True}, "'learning'"),
        ({**_levels(), "budget": 3}, "unknown dimension 'budget'"),
        ({k: v for k, v in _levels().items() if k != "learning"}, "missing dimension 'learning'"),
    ],
)
def test_invalid_levels_name_the_problem(levels, message):
    with pytest.raises(ValueError, match=message):
        assess(levels, EVERYTHING)


def test_evidence_out_of_range_is_refused():
    with pytest.raises(ValueError, match="draagvlak_index"):
        caps(_evidence(draagvlak_index=101))
    with pytest.raises(ValueError, match="guideline_ack_rate"):
        caps(_evidence(guideline_ack_rate=1.5))


def test_quarter_in_the_organisations_time_zone():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    # 23:30 UTC on New Year's Eve is already the new year in Amsterdam.
    assert network.quarter_of(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), amsterdam) == "2027-Q1"
    assert network.quarter_of(datetime(2026, 12, 31, 22, 30, tzinfo=UTC), amsterdam) == "2026-Q4"
    assert network.quarter_of(datetime(2026, 4, 1, 0, 0, tzinfo=amsterdam), amsterdam) == "2026-Q2"
    assert network.quarter_of(datetime(2026, 9, 30, 12, 0, tzinfo=UTC), amsterdam) == "2026-Q3"


# --- the pages ------------------------------------------------------------------------

pages = pytest.mark.django_db


def _url(cast, name):
    return reverse(f"support:{name}", args=[cast.a.org.slug])


def _form(*levels, **named) -> dict:
    return {**_levels(*levels, **named), "notes": "Na de hei-sessie"}


def _close_wave_with_index(org, score: float):
    """Five responses of one department with every component at ``score``: the
    overall index is ``score`` (participation is unknown: nobody was counted)."""
    waves = make_waves(org)
    department = org.departments.first()
    for _n in range(5):
        Response.objects.create(
            organisation=org,
            wave=waves.closed,
            department=department,
            is_complete=True,
            support_score=score,
            understanding_score=score,
            example_score=score,
        )
    return waves


@pages
def test_evidence_from_koers(cast):
    org = cast.a.org
    assert network.find_evidence(org) == NOTHING
    make_strategy(org, by=cast.a[Role.OWNER].user)
    _close_wave_with_index(org, 70)
    assert network.find_evidence(org) == Evidence(
        strategy_published=True,
        strategy_signed_off=True,
        draagvlak_index=70,
        guideline_ack_rate=None,
    )


@pages
def test_assess_shows_the_evidence(owner_client, cast):
    page = owner_client.get(_url(cast, "maturity_assess")).content.decode()
    assert "There is no published strategy." in page
    assert "Support has not been measured in a closed survey yet." in page
    assert "Guideline acknowledgement: not measured yet." in page
    # The five level descriptions of each dimension are the choices.
    assert maturity.dimension("learning").level(5).en in page
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    _close_wave_with_index(cast.a.org, 70)
    page = owner_client.get(_url(cast, "maturity_assess")).content.decode()
    assert "The strategy is published and signed off by management." in page
    assert "Draagvlak index of the latest closed survey: 70." in page


@pages
def test_assess_saves_one_row_per_quarter_and_updates_it(owner_client, cast):
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)
    _close_wave_with_index(org, 70)
    response = owner_client.post(_url(cast, "maturity_assess"), _form(strategy=5, support=5))
    assert response.status_code == 302
    quarter = network.current_quarter(org)
    assessment = MaturityAssessment.objects.get(organisation=org)
    assert assessment.quarter == quarter
    assert assessment.levels == _levels(strategy=5, support=5)
    # Support 5 is capped at 4 by index 70: 5 + 4 + 3 + 3 + 3 = 18 → 3.6 → stage 3.
    assert assessment.evidence["support"]["level"] == 4
    assert assessment.evidence["support"]["effective"] == 4
    assert assessment.evidence["strategy"]["level"] is None
    assert assessment.stage == 3
    assert assessment.notes == "Na de hei-sessie"
    assert assessment.assessed_by == cast.a[Role.OWNER].user

    response = owner_client.post(_url(cast, "maturity_assess"), _form(4, 4, 4, 4, 4))
    assert response.status_code == 302
    assert MaturityAssessment.objects.filter(organisation=org).count() == 1
    assessment.refresh_from_db()
    assert assessment.levels == _levels(4, 4, 4, 4, 4)
    assert assessment.stage == 4
    events = AuditEvent.objects.for_org(org).filter(action=Action.MATURITY_ASSESSED)
    assert [e.target for e in events] == [quarter, quarter]
    assert events[0].details["updated"] is True and events[1].details["updated"] is False


@pages
def test_assess_starts_from_the_saved_answers(owner_client, cast):
    owner_client.post(_url(cast, "maturity_assess"), _form(2, 1, 3, 1, 2))
    page = owner_client.get(_url(cast, "maturity_assess")).content.decode()
    checked = re.findall(r'name="(\w+)" value="(\d)"[^>]* checked', page)
    assert dict(checked) == {
        "strategy": "2",
        "support": "1",
        "process": "3",
        "measurement": "1",
        "learning": "2",
    }
    assert "saving replaces it" in page


@pytest.mark.parametrize(
    "data",
    [
        {k: v for k, v in _form().items() if k != "learning"},
        {**_form(), "process": "7"},
        {**_form(), "support": "veel"},
    ],
)
@pages
def test_invalid_assessment_saves_nothing(owner_client, cast, data):
    before = fingerprint()
    response = owner_client.post(_url(cast, "maturity_assess"), data)
    assert response.status_code == 400
    assert fingerprint() == before


@pages
def test_maturity_page_explains_the_model_and_shows_the_history(owner_client, cast):
    org = cast.a.org
    page = owner_client.get(_url(cast, "maturity")).content.decode()
    for stage in maturity.STAGES:
        assert stage.name.en in page
    assert "rounded down" in page
    assert "There is no assessment for" in page

    def stored(effective):
        return {
            key: {"level": None, "reason": "learning.not_measured", "effective": e}
            for key, e in zip(maturity.DIMENSION_KEYS, effective, strict=True)
        }

    MaturityAssessment.objects.create(
        organisation=org,
        quarter="2025-Q3",
        levels=_levels(2, 2, 2, 2, 2),
        evidence=stored([2, 1, 2, 2, 1]),
        stage=1,
    )
    MaturityAssessment.objects.create(
        organisation=org,
        quarter="2026-Q1",
        levels=_levels(3, 3, 3, 3, 3),
        evidence=stored([3, 2, 3, 3, 3]),
        stage=2,
    )
    owner_client.post(_url(cast, "maturity_assess"), _form(4, 4, 4, 4, 4))
    page = owner_client.get(_url(cast, "maturity")).content.decode()
    history = page[page.index('class="maturity-history"') :]
    quarter = network.current_quarter(org)
    assert history.index(quarter) < history.index("2026-Q1") < history.index("2025-Q3")
    assert "1 · Ad hoc" in history and "2 · Experimenting" in history
    row = history[history.index("2026-Q1") : history.index("2025-Q3")]
    assert [cell.split(">")[1] for cell in row.split('<td class="level')[1:]] == [
        "3</td",
        "2</td",
        "3</td",
        "3</td",
        "3</td",
    ]
    # This quarter, with the reasons in the reader's language.
    assert (
        "Stage 2: Experimenting" in page
    )  # 4 4 4 4 4 capped: strategy 2, support 2, measurement 2
    assert "There is no published strategy yet: at most level 2." in page


@pages
def test_advisor_reads_but_does_not_assess(cast):
    advisor = Client()
    advisor.cookies["koers_language"] = "en"
    advisor.force_login(cast.a[Role.ADVISOR].user)
    page = advisor.get(_url(cast, "maturity"))
    assert page.status_code == 200
    assert _url(cast, "maturity_assess") not in page.content.decode()
    before = fingerprint()
    assert advisor.get(_url(cast, "maturity_assess")).status_code == 403
    assert advisor.post(_url(cast, "maturity_assess"), _form()).status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize("role", [Role.EDITOR, Role.WEBCARE, Role.EMPLOYEE])
@pages
def test_roles_without_support_view_get_403(client, cast, role):
    client.force_login(cast.a[role].user)
    before = fingerprint()
    assert client.get(_url(cast, "maturity")).status_code == 403
    assert client.post(_url(cast, "maturity_assess"), _form()).status_code == 403
    assert fingerprint() == before


@pages
def test_another_organisation_gets_404(client, cast):
    client.force_login(cast.outsider.user)
    assert client.get(_url(cast, "maturity")).status_code == 404
    assert client.post(_url(cast, "maturity_assess"), _form()).status_code == 404
    assert not MaturityAssessment.objects.exists()

"""The draagvlak dashboard, one wave's results, the CSV export, the trend chart and the
results API."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.support.models import Component, Question, QuestionKind, Wave, WaveStatus
from koers.support.tests.results_builders import add_responses, add_tickets
from koers.tests.cast import make_department, make_strategy, make_token, make_waves

pytestmark = pytest.mark.django_db


def _url(name, org, *args):
    return reverse(f"support:{name}", args=[org.slug, *args])


@pytest.fixture
def measured(cast):
    """A closed wave with Verkoop (6), ICT (5) and management (5), a signed-off strategy,
    and questions of every kind."""
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    waves = make_waves(org)
    wave = waves.closed
    ict = make_department(org, "ICT")
    Question.objects.bulk_create(
        [
            Question(
                organisation=org,
                wave=wave,
                key="trots",
                kind=QuestionKind.LIKERT,
                component=Component.SUPPORT,
                text="Ik ben trots op onze organisatie.",
                position=1,
            ),
            Question(
                organisation=org,
                wave=wave,
                key="discipline",
                kind=QuestionKind.DISCIPLINE,
                component=Component.UNDERSTANDING,
                text="Waar willen we de beste in zijn?",
                options=[
                    {"value": "customer_intimacy", "label": "Klantpartnerschap"},
                    {"value": "product_leadership", "label": "Productleiderschap"},
                ],
                position=2,
            ),
            Question(
                organisation=org,
                wave=wave,
                key="opmerking",
                kind=QuestionKind.TEXT,
                text="Wil je nog iets kwijt?",
                position=3,
            ),
        ]
    )
    wave.strategy_version = strategy.published
    wave.save(update_fields=["strategy_version"])
    add_responses(
        wave,
        6,
        department=cast.a.department,
        support=85,
        understanding=70,
        example=82,
        answers={"trots": 4, "discipline": "customer_intimacy", "opmerking": "Geheim verhaal"},
    )
    add_responses(
        wave,
        5,
        department=ict,
        support=35,
        understanding=45,
        example=52,
        answers={"trots": 2, "discipline": "product_leadership"},
    )
    add_responses(
        wave,
        5,
        management=True,
        support=90,
        understanding=95,
        example=65,
        answers={"trots": 5, "discipline": "customer_intimacy"},
    )
    add_tickets(wave, invited=8, answered=6, department=cast.a.department)
    add_tickets(wave, invited=5, answered=5, department=ict)
    add_tickets(wave, invited=5, answered=5, management=True)
    cast.a.waves, cast.a.ict = waves, ict
    return cast


def _heatmap_rows(html):
    table = html.split('class="heatmap"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        label = re.search(r'<th scope="row">\s*(.*?)\s*</th>', row)
        if label:
            cells = re.findall(r'<td class="heat ([a-z-]+)[^"]*">\s*(.*?)\s*</td>', row)
            rows[label.group(1)] = cells
    return rows


# --- dashboard ------------------------------------------------------------------------


def test_dashboard_without_a_closed_wave_explains_and_links_to_the_waves(client, cast):
    make_waves(cast.a.org).closed.delete()
    client.force_login(cast.a[Role.STRATEGIST].user)
    html = client.get(_url("dashboard", cast.a.org)).content.decode()
    assert "No survey has been closed yet" in html
    assert f'href="{_url("waves", cast.a.org)}"' in html
    # The running survey is linked, for its response rate.
    assert _url("wave_results", cast.a.org, 2) in html


def test_advisor_gets_no_link_to_manage_waves(client, measured):
    client.force_login(measured.a[Role.ADVISOR].user)
    html = client.get(_url("dashboard", measured.a.org)).content.decode()
    manage = f'href="{_url("waves", measured.a.org)}"'
    assert manage not in html
    client.force_login(measured.a[Role.MANAGER].user)
    html = client.get(_url("dashboard", measured.a.org)).content.decode()
    assert manage in html


def test_employee_and_editor_may_not_see_results(client, measured):
    for role in (Role.EMPLOYEE, Role.EDITOR, Role.WEBCARE):
        client.force_login(measured.a[role].user)
        assert client.get(_url("dashboard", measured.a.org)).status_code == 403
        assert client.get(_url("wave_results", measured.a.org, 1)).status_code == 403


def test_dashboard_shows_index_heatmap_gap_trend_and_formula(client, measured):
    client.force_login(measured.a[Role.OWNER].user)
    response = client.get(_url("dashboard", measured.a.org))
    assert response.status_code == 200
    html = response.content.decode()

    # Overall: support (6 × 85 + 5 × 35 + 5 × 90) / 16 = 70.94, understanding
    # (6 × 70 + 5 × 45 + 5 × 95) / 16 = 70, example (6 × 82 + 5 × 52 + 5 × 65) / 16 =
    # 67.31, participation not measured:
    # (0.3 × 70.94 + 0.3 × 70 + 0.2 × 67.31) / 0.8 = 55.74 / 0.8 = 69.7 → 70
    assert '<span class="index-number">70</span>' in html

    rows = _heatmap_rows(html)
    assert list(rows) == ["ICT", "Verkoop", "Management", "Whole organisation"]
    # ICT: 35, 45, —, 52; index (10.5 + 13.5 + 10.4) / 0.8 = 43
    assert [value for _band, value in rows["ICT"]] == ["35", "45", "—", "52", "43"]
    assert rows["ICT"][0][0] == "band-low"
    assert rows["ICT"][1][0] == "band-mid"
    assert rows["ICT"][2][0] == "band-none"
    # Verkoop: 85 (≥ 80), 70, —, 82; index (25.5 + 21 + 16.4) / 0.8 = 78.6 → 79
    assert rows["Verkoop"] == [
        ("band-high", "85"),
        ("band-good", "70"),
        ("band-none", "—"),
        ("band-high", "82"),
        ("band-good", "79"),
    ]
    assert "below 40" in html and "80 and up" in html  # the legend
    assert 'class="folded-note"' not in html  # nothing folded

    # The understanding gap: management 95; ICT 45 (50 points), Verkoop 70 (25).
    gap = html.split("Understanding gap")[1].split("</table>")[0]
    assert "Management scores 95 out of 100" in gap
    assert re.search(r"ICT</th>\s*<td[^>]*>45</td>\s*<td[^>]*>50 <", gap)
    assert re.search(r"Verkoop</th>\s*<td[^>]*>70</td>\s*<td[^>]*>25</td>", gap)
    assert gap.count("large gap") == 1

    # Trend: the chart and its table.
    assert f'src="{_url("trend_chart", measured.a.org)}"' in html
    assert f'srcset="{_url("trend_chart", measured.a.org)}?size=narrow"' in html
    assert re.search(r'<img [^>]*alt="Line chart of the draagvlak index', html)
    assert "The figures of the chart" in html

    # The formula in words.
    formula = html.split('id="formula-heading"')[1].split("</section>")[0]
    for weight in ("0.30", "0.20"):
        assert weight in formula
    assert "It stays 0 until those parts of Koers are in use" in formula
    assert "at least 5 responses" in formula

    # Links to every wave's results, the CSV and the manage page.
    assert _url("wave_results", measured.a.org, 1) in html
    assert _url("wave_results", measured.a.org, 2) in html
    assert _url("wave_results", measured.a.org, 3) not in html  # draft
    assert _url("export_csv", measured.a.org, 1) in html
    assert f'href="{_url("waves", measured.a.org)}"' in html


def test_dashboard_shows_the_other_group_with_what_it_holds(client, measured):
    legal = make_department(measured.a.org, "Juridisch")
    add_responses(measured.a.waves.closed, 2, department=legal)
    client.force_login(measured.a[Role.OWNER].user)
    html = client.get(_url("dashboard", measured.a.org)).content.decode()
    rows = _heatmap_rows(html)
    assert "Other (small groups together)" in rows
    assert "Juridisch" not in rows
    note = re.search(r'<p class="folded-note">(.*?)</p>', html, flags=re.S).group(1)
    assert "Juridisch" in note


def test_dashboard_for_another_wave(client, measured):
    waves = measured.a.waves
    add_responses(waves.open, 5, department=measured.a.department, support=20)
    client.force_login(measured.a[Role.OWNER].user)
    html = client.get(_url("dashboard", measured.a.org), {"wave": 2}).content.decode()
    assert "Survey 2: Zomer" in html
    assert "Results follow when the survey closes" in html
    assert "Preliminary figures" not in html
    # The verdict stays about the latest closed wave.
    assert "Based on the latest closed survey: 1. Voorjaar." in html
    for bad in ("3", "99", "abc", "-1", "1.0"):
        assert client.get(_url("dashboard", measured.a.org), {"wave": bad}).status_code == 404


def test_dashboard_with_too_few_responses(client, cast):
    wave = make_waves(cast.a.org).closed
    add_responses(wave, 3, department=cast.a.department)
    client.force_login(cast.a[Role.OWNER].user)
    html = client.get(_url("dashboard", cast.a.org)).content.decode()
    assert "Not enough responses to show results" in html
    assert "3 responses so far. Results are shown from 5 responses" in html
    assert 'class="heatmap"' not in html


def _several(cast, departments: int, waves: int):
    org = cast.a.org
    groups = [make_department(org, f"Afdeling {n}") for n in range(departments)]
    for number in range(10, 10 + waves):
        wave = Wave.objects.create(
            organisation=org, number=number, title=f"Peiling {number}", status=WaveStatus.CLOSED
        )
        for department in groups:
            add_responses(wave, 5, department=department)
            add_tickets(wave, invited=6, answered=5, department=department)
        add_responses(wave, 5, management=True)


def _dashboard_queries(client, cast) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("dashboard", cast.a.org)).status_code == 200
    return len(queries)


def test_dashboard_query_count_is_bounded(client, cast, django_assert_max_num_queries):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    _several(cast, departments=4, waves=3)
    client.force_login(cast.a[Role.OWNER].user)
    # 3 per closed wave (its responses, and the labels in results.wave_results); none
    # per department.
    with django_assert_max_num_queries(35):
        client.get(_url("dashboard", cast.a.org))
    few = _dashboard_queries(client, cast)
    # More departments cost no extra queries.
    for n in range(6):
        department = make_department(cast.a.org, f"Nog een {n}")
        for wave in Wave.objects.filter(organisation=cast.a.org, status=WaveStatus.CLOSED):
            add_responses(wave, 5, department=department)
    assert _dashboard_queries(client, cast) == few


# --- the trend chart -------------------------------------------------------------------


def test_trend_chart_is_an_svg_without_scripts(client, measured):
    waves = measured.a.waves
    add_responses(waves.open, 10, department=measured.a.department)
    too_few = Wave.objects.create(
        organisation=measured.a.org, number=7, title="Te weinig", status=WaveStatus.CLOSED
    )
    add_responses(too_few, 2, department=measured.a.department)
    client.force_login(measured.a[Role.STRATEGIST].user)
    response = client.get(_url("trend_chart", measured.a.org))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<script" not in svg and "<?xml" not in svg
    assert "Voorjaar" in svg  # the closed wave
    assert "Zomer" not in svg  # open
    assert "Te weinig" not in svg  # too few responses
    assert "Draagvlak index" in svg and "Management example" in svg
    # Only this response may use the <style> element inside the SVG.
    policy = response["Content-Security-Policy"]
    # Directives come in no fixed order: compare them as a mapping.
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["script-src"] == ["'self'"]
    page = client.get(_url("dashboard", measured.a.org))
    assert "unsafe-inline" not in page["Content-Security-Policy"]

    narrow = client.get(_url("trend_chart", measured.a.org), {"size": "narrow"})
    assert 'viewBox="0 0 380 460"' in narrow.content.decode()


def test_trend_chart_without_closed_waves(client, cast):
    client.force_login(cast.a[Role.OWNER].user)
    response = client.get(_url("trend_chart", cast.a.org))
    assert response.status_code == 200
    assert "No closed survey with results yet" in response.content.decode()


# --- one wave ------------------------------------------------------------------------


def test_wave_results_per_question(client, measured):
    client.force_login(measured.a[Role.OWNER].user)
    response = client.get(_url("wave_results", measured.a.org, 1))
    assert response.status_code == 200
    html = response.content.decode()

    likert = html.split("Ik ben trots op onze organisatie.")[1].split("</article>")[0]
    means = re.findall(r'<th scope="row">\s*(.*?)\s*</th>\s*<td class="num">([\d.]+)', likert)
    # Whole: (6 × 4 + 5 × 2 + 5 × 5) / 16 = 59 / 16 = 3.7
    assert means == [
        ("ICT", "2.0"),
        ("Verkoop", "4.0"),
        ("Management", "5.0"),
        ("Whole organisation", "3.7"),
    ]

    choice = html.split("Waar willen we de beste in zijn?")[1].split("</article>")[0]
    # 11 of 16 (69%) named customer intimacy, our strategy's discipline.
    assert re.search(r"Klantpartnerschap <span class=\"badge badge-ours\">", choice)
    assert re.search(r"Klantpartnerschap.*?<td class=\"num\">11</td>\s*<td[^>]*>69%", choice, re.S)
    assert re.search(r"Productleiderschap.*?<td class=\"num\">5</td>\s*<td[^>]*>31%", choice, re.S)

    text = html.split("Wil je nog iets kwijt?")[1].split("</article>")[0]
    assert "Open answers are not shown" in text
    assert "Geheim verhaal" not in html

    # The response rate per group: 6 of 8 in Verkoop.
    rates = html.split('id="rate-heading"')[1].split("</table>")[0]
    assert re.search(r"Verkoop</th>\s*<td[^>]*>8</td>\s*<td[^>]*>6</td>\s*<td[^>]*>75%", rates)
    assert re.search(r"Whole organisation</th>\s*<td[^>]*>18</td>\s*<td[^>]*>16</td>", rates)


def test_wave_results_for_one_group(client, measured):
    client.force_login(measured.a[Role.OWNER].user)
    key = f"d{measured.a.ict.pk}"
    html = client.get(_url("wave_results", measured.a.org, 1), {"group": key}).content.decode()
    likert = html.split("Ik ben trots op onze organisatie.")[1].split("</article>")[0]
    rows = re.findall(r'<th scope="row">\s*(.*?)\s*</th>', likert)
    assert rows == ["ICT", "Whole organisation"]
    assert f'<option value="{key}" selected>' in html


def test_open_wave_shows_the_response_rate_but_no_figures(client, measured):
    waves = measured.a.waves
    add_tickets(waves.open, invited=10, answered=3, department=measured.a.department)
    add_responses(waves.open, 3, department=measured.a.department)
    client.force_login(measured.a[Role.OWNER].user)
    html = client.get(_url("wave_results", measured.a.org, 2)).content.decode()
    assert "3 of 10 invited answered (30%)" in html

    add_tickets(waves.open, invited=3, answered=3, department=measured.a.department)
    add_responses(waves.open, 3, department=measured.a.department)
    html = client.get(_url("wave_results", measured.a.org, 2)).content.decode()
    assert "6 of 13 invited answered (46%)" in html
    # Enough answers, but the wave is open: one more answer must not show in the figures.
    assert "Results follow when the survey closes" in html
    assert "Preliminary figures" not in html
    assert 'class="heatmap"' not in html


def test_draft_wave_has_no_results(client, measured):
    client.force_login(measured.a[Role.OWNER].user)
    assert client.get(_url("wave_results", measured.a.org, 3)).status_code == 404
    assert client.get(_url("export_csv", measured.a.org, 3)).status_code == 404
    assert client.get(_url("wave_results", measured.a.org, 42)).status_code == 404


# --- CSV and API -----------------------------------------------------------------------


def test_export_csv(client, measured):
    client.force_login(measured.a[Role.ADVISOR].user)
    response = client.get(_url("export_csv", measured.a.org, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Group",
        "Responses",
        "Support",
        "Understanding",
        "Participation",
        "Management example",
        "Index",
    ]
    by_group = {row[0]: row[1:] for row in rows[1:]}
    assert list(by_group) == ["Whole organisation", "ICT", "Verkoop", "Management"]
    assert by_group["ICT"] == ["5", "35.0", "45.0", "", "52.0", "43"]
    assert by_group["Verkoop"] == ["6", "85.0", "70.0", "", "82.0", "79"]
    event = AuditEvent.objects.get(organisation=measured.a.org, action=Action.EXPORT)
    assert event.actor == measured.a[Role.ADVISOR].user
    assert event.target == "draagvlak wave 1 csv"


def test_export_csv_neutralises_formulas_in_names(client, measured):
    measured.a.ict.name = "=HYPERLINK(1)"
    measured.a.ict.save(update_fields=["name"])
    client.force_login(measured.a[Role.OWNER].user)
    text = client.get(_url("export_csv", measured.a.org, 1)).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_api_wave_results(client, measured):
    _token, secret = make_token(measured.a[Role.STRATEGIST])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.get("/api/v1/support/waves/1/results", **headers)
    assert response.status_code == 200
    data = response.json()
    assert data["number"] == 1 and data["status"] == "closed" and data["shown"] is True
    assert data["responses"] == 16 and data["min_group_size"] == 5
    groups = {g["name"]: g for g in data["groups"]}
    assert list(groups) == ["ICT", "Verkoop", "Management"]
    assert groups["ICT"]["key"] == f"d{measured.a.ict.pk}"
    assert groups["ICT"]["index"] == 43
    assert groups["ICT"]["components"] == {
        "support": 35.0,
        "understanding": 45.0,
        "participation": None,
        "example": 52.0,
    }
    assert data["overall"]["responses"] == 16
    assert data["other_includes"] == []

    assert client.get("/api/v1/support/waves/3/results", **headers).status_code == 404
    assert client.get("/api/v1/support/waves/99/results", **headers).status_code == 404

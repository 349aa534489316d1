"""The small-group rule: a group with fewer responses than the minimum is never shown on
its own, on any page, in the export, in the API or through a filter, and cannot be
worked out by subtraction."""

import csv
import io
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.orgs.capabilities import Role
from koers.support import index
from koers.support.models import Component, Question, QuestionKind, Wave
from koers.support.results import wave_results
from koers.support.tests.results_builders import add_responses, add_tickets
from koers.tests.cast import make_department, make_token, make_waves

pytestmark = pytest.mark.django_db

# Scores no shown group has, so that they would stand out if the small group leaked.
SMALL = {"support": 11.0, "understanding": 23.0, "example": 29.0}


# --- the rule itself --------------------------------------------------------------------


def _check_fold(counts: dict[str, int], minimum: int) -> None:
    mapping = index.fold_small_groups(counts, minimum)
    floor = max(minimum, index.ABSOLUTE_MINIMUM_GROUP)
    if sum(counts.values()) < floor:
        assert set(mapping.values()) == {None}, counts
        return
    sizes: dict[str, int] = {}
    for group, target in mapping.items():
        sizes[target] = sizes.get(target, 0) + counts[group]
        if counts[group] < floor:
            assert target == index.OTHER, (counts, group)
    # Every reported group, "other" included, reaches the minimum…
    assert all(size >= floor for size in sizes.values()), (counts, sizes)
    # …and together they hold every response exactly once.
    assert sum(sizes.values()) == sum(counts.values())


def test_fold_small_groups_over_many_combinations():
    for a, b, c, management in itertools.product(range(0, 8), range(0, 8), range(0, 8), (0, 2, 6)):
        counts = {"d1": a, "d2": b, "d3": c, "management": management}
        counts = {k: v for k, v in counts.items() if v}
        if counts:
            _check_fold(counts, 5)
            _check_fold(counts, 3)


def test_subtraction_case_ten_ten_two():
    """Shown 10 and 10 with the total 22 would give the 2 away: one 10 joins "other"."""
    mapping = index.fold_small_groups({"d1": 10, "d2": 10, "d3": 2}, 5)
    assert mapping["d3"] == index.OTHER
    assert sorted(mapping.values()).count(index.OTHER) == 2
    _check_fold({"d1": 10, "d2": 10, "d3": 2}, 5)


def test_minimum_is_never_below_three():
    # Asked for a minimum of 1 or 2, the rule still uses 3.
    for minimum in (0, 1, 2):
        mapping = index.fold_small_groups({"d1": 2, "d2": 10}, minimum)
        assert mapping["d1"] == index.OTHER
        assert index.fold_small_groups({"d1": 2}, minimum) == {"d1": None}


def test_wave_refuses_a_minimum_below_three(cast):
    wave = make_waves(cast.a.org).draft
    wave.min_group_size = 2
    with pytest.raises(ValidationError) as error:
        wave.full_clean()
    assert "min_group_size" in error.value.message_dict


def test_a_minimum_below_three_in_the_database_still_hides_small_groups(cast):
    org = cast.a.org
    wave = make_waves(org).closed
    Wave.objects.filter(pk=wave.pk).update(min_group_size=1)
    wave.refresh_from_db()
    legal = make_department(org, "Juridisch")
    add_responses(wave, 10, department=cast.a.department)
    add_responses(wave, 2, department=legal)
    figures = wave_results(wave)
    assert figures.group(f"d{legal.pk}") is None
    assert all(g.responses >= 3 for g in figures.groups)


# --- an organisation with a small department ---------------------------------------------


@pytest.fixture
def small(cast):
    """Verkoop 10, ICT 10 and Juridisch 2 responses (and 2 managers): Juridisch and
    management go to "other", and one ten joins them so that nothing can be subtracted."""
    org = cast.a.org
    waves = make_waves(org)
    wave = waves.closed
    sales = cast.a.department
    ict = make_department(org, "ICT")
    legal = make_department(org, "Juridisch")
    Question.objects.create(
        organisation=org,
        wave=wave,
        key="trots",
        kind=QuestionKind.LIKERT,
        component=Component.SUPPORT,
        text="Ik ben trots op onze organisatie.",
    )
    add_responses(
        wave, 10, department=sales, support=70, understanding=60, example=55, answers={"trots": 4}
    )
    add_responses(
        wave, 10, department=ict, support=50, understanding=45, example=40, answers={"trots": 3}
    )
    add_responses(wave, 2, department=legal, **SMALL, answers={"trots": 1})
    add_responses(
        wave, 2, management=True, support=90, understanding=95, example=80, answers={"trots": 5}
    )
    for department, invited, answered in ((sales, 12, 10), (ict, 11, 10), (legal, 3, 2)):
        add_tickets(wave, invited=invited, answered=answered, department=department)
    add_tickets(wave, invited=2, answered=2, management=True)
    cast.a.waves = waves
    cast.a.legal, cast.a.ict, cast.a.sales = legal, ict, sales
    return cast


def _folded_pair(cast):
    figures = wave_results(cast.a.waves.closed)
    shown = {g.key for g in figures.groups}
    big_in_other = next(d for d in (cast.a.sales, cast.a.ict) if f"d{d.pk}" not in shown)
    big_shown = next(d for d in (cast.a.sales, cast.a.ict) if f"d{d.pk}" in shown)
    return figures, big_shown, big_in_other


def test_results_groups_are_all_large_enough_and_add_up(small):
    figures, big_shown, big_in_other = _folded_pair(small)
    assert figures.responses == 24
    sizes = {g.key: g.responses for g in figures.groups}
    assert all(size >= 5 for size in sizes.values()), sizes
    assert sum(sizes.values()) == figures.responses
    assert sizes[index.OTHER] == 14  # 10 + 2 + 2: the 2s cannot be worked out
    assert set(sizes) == {f"d{big_shown.pk}", index.OTHER}
    assert sorted(figures.folded) == sorted(["Juridisch", "Management", big_in_other.name])


def _outside_note(html: str) -> str:
    """The page without the one sentence that names the groups inside "other" (and
    without the language form, which repeats the address that was asked for)."""
    text, removed = re.subn(r'<p class="folded-note">.*?</p>', "", html, flags=re.S)
    assert removed == 1
    return re.sub(r'<input type="hidden" name="next" value="[^"]*">', "", text)


def _assert_not_on_page(html: str, cast) -> None:
    page = _outside_note(html)
    legal = cast.a.legal
    assert "Juridisch" not in page
    # Its group key, as a link, filter value or data attribute (not inside the CSRF
    # token, where any short string can turn up by chance).
    assert not re.search(rf'[=/"?]d{legal.pk}\b', re.sub(r'"X-CSRFToken": "[^"]*"', "", page))
    # Its figures: no score of the small group, and no row with 2 responses.
    cells = re.findall(r'<td class="heat[^"]*">\s*(.*?)\s*</td>', page)
    assert cells
    for value in SMALL.values():
        assert str(int(value)) not in cells
    assert '<td class="num">2</td>' not in page
    # Management (2) is not a row of its own either.
    assert not re.search(r'<th scope="row">\s*Management\s*</th>', page)


def test_dashboard_never_shows_the_small_department(client, small):
    client.force_login(small.a[Role.OWNER].user)
    html = client.get(reverse("support:dashboard", args=[small.a.org.slug])).content.decode()
    _assert_not_on_page(html, small)
    note = re.search(r'<p class="folded-note">(.*?)</p>', html, flags=re.S).group(1)
    assert "Juridisch" in note  # named only as part of "other"
    assert "not compared with the departments" in html  # management too small


def test_wave_results_never_show_the_small_department(client, small):
    client.force_login(small.a[Role.STRATEGIST].user)
    url = reverse("support:wave_results", args=[small.a.org.slug, 1])
    html = client.get(url).content.decode()
    _assert_not_on_page(html, small)
    # The response rates name only shown groups too: Juridisch's 2 of 3 is in "other".
    assert ">3<" not in _outside_note(html).split('id="rate-heading"')[1].split("</table>")[0]


def test_filters_cannot_isolate_a_small_group(client, small):
    client.force_login(small.a[Role.OWNER].user)
    _figures, big_shown, big_in_other = _folded_pair(small)
    url = reverse("support:wave_results", args=[small.a.org.slug, 1])
    legal = f"d{small.a.legal.pk}"
    shown = f"d{big_shown.pk}"
    refused = [
        {"group": legal},
        {"group": "management"},
        {"group": f"d{big_in_other.pk}"},  # the ten that joined "other"
        {"group": "overall"},
        {"group": "none"},
        {"group": "d999999"},
        {"group": [shown, legal]},
        {"group": [shown, index.OTHER]},  # one group at a time, never a difference
        {"group": [legal, legal]},
    ]
    for params in refused:
        assert client.get(url, params).status_code == 404, params
    for params in ({"group": shown}, {"group": index.OTHER}, {"group": ""}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        _assert_not_on_page(response.content.decode(), small)
    # Other parameters are ignored, never a way in.
    for params in ({"department": legal}, {"wave": "1", "group": shown}):
        html = client.get(url, params).content.decode()
        _assert_not_on_page(html, small)
    dashboard = reverse("support:dashboard", args=[small.a.org.slug])
    for params in ({"group": legal}, {"wave": "1", "group": "management"}):
        html = client.get(dashboard, params).content.decode()
        _assert_not_on_page(html, small)


def test_per_question_means_show_only_large_groups(client, small):
    client.force_login(small.a[Role.OWNER].user)
    _figures, big_shown, _big_in_other = _folded_pair(small)
    url = reverse("support:wave_results", args=[small.a.org.slug, 1])
    html = client.get(url).content.decode()
    table = html.split("Ik ben trots op onze organisatie.")[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">\s*(.*?)\s*</th>', table)
    assert rows == [big_shown.name, "Other (small groups together)", "Whole organisation"]
    # The small department's only answer (1) is nowhere as a mean.
    assert ">1.0" not in table


def test_per_question_means_hidden_when_a_group_answered_too_little(client, small):
    """A question that only two people in "other" answered: showing the other groups and
    the whole would give those two answers away, so no group is shown."""
    wave = small.a.waves.closed
    Question.objects.create(
        organisation=small.a.org,
        wave=wave,
        key="extra",
        kind=QuestionKind.LIKERT,
        text="Een vraag die bijna niemand beantwoordde.",
    )
    # Verkoop now has 15 responses (5 answered this question); ICT (10) goes to "other",
    # where only Juridisch's 2 answered it.
    add_responses(wave, 5, department=small.a.sales, answers={"extra": 2})
    for response in wave.responses.filter(department=small.a.legal):
        response.answers = {**response.answers, "extra": 5}
        response.save(update_fields=["answers"])
    client.force_login(small.a[Role.OWNER].user)
    url = reverse("support:wave_results", args=[small.a.org.slug, 1])
    html = client.get(url).content.decode()
    block = html.split("Een vraag die bijna niemand beantwoordde.")[1].split("</article>")[0]
    assert "Not shown per group" in block
    assert "Whole organisation" in block
    keys = [g.key for g in wave_results(wave).groups]
    for key in keys:
        block = (
            client.get(url, {"group": key})
            .content.decode()
            .split("Een vraag die bijna niemand beantwoordde.")[1]
            .split("</article>")[0]
        )
        assert "Not shown per group" in block
        assert re.findall(r'<th scope="row">\s*(.*?)\s*</th>', block) == ["Whole organisation"]


def test_csv_never_shows_the_small_department(client, small):
    client.force_login(small.a[Role.OWNER].user)
    response = client.get(reverse("support:export_csv", args=[small.a.org.slug, 1]))
    text = response.content.decode()
    assert "Juridisch" not in text and "Management" not in text.split("\n", 1)[1]
    rows = list(csv.reader(io.StringIO(text)))
    responses = [int(row[1]) for row in rows[1:]]
    assert all(n >= 5 for n in responses)
    assert responses[0] == sum(responses[1:]) == 24
    for value in SMALL.values():
        assert f"{value:.1f}" not in text


def test_api_never_shows_the_small_department(client, small):
    _token, secret = make_token(small.a[Role.OWNER])
    response = client.get(
        "/api/v1/support/waves/1/results",
        {"group": f"d{small.a.legal.pk}"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    data = response.json()
    assert response.status_code == 200
    names = [g["name"] for g in data["groups"]]
    keys = [g["key"] for g in data["groups"]]
    assert "Juridisch" not in names and f"d{small.a.legal.pk}" not in keys
    assert "management" not in keys
    assert all(g["responses"] >= 5 for g in data["groups"])
    assert sum(g["responses"] for g in data["groups"]) == data["responses"] == 24
    assert "Juridisch" in data["other_includes"]
    text = response.content.decode().replace('"Juridisch"', "")
    assert "Juridisch" not in text
    for value in SMALL.values():
        assert f"{value}" not in text


def test_a_wave_with_too_few_responses_shows_nothing(client, cast):
    org = cast.a.org
    waves = make_waves(org)
    add_responses(waves.closed, 4, department=cast.a.department, **SMALL)
    client.force_login(cast.a[Role.OWNER].user)
    html = client.get(reverse("support:dashboard", args=[org.slug])).content.decode()
    assert "Not enough responses to show results" in html
    assert "Verkoop" not in html.split('id="wave-heading"')[1].split("All surveys")[0]
    page = client.get(reverse("support:wave_results", args=[org.slug, 1]))
    assert "Verkoop" not in page.content.decode().split("<main")[1]
    assert (
        client.get(
            reverse("support:wave_results", args=[org.slug, 1]),
            {"group": f"d{cast.a.department.pk}"},
        ).status_code
        == 404
    )
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("support:export_csv", args=[org.slug, 1])).content.decode()
            )
        )
    )
    assert len(rows) == 1  # the header only
    _token, secret = make_token(cast.a[Role.OWNER])
    data = client.get(
        "/api/v1/support/waves/1/results", HTTP_AUTHORIZATION=f"Bearer {secret}"
    ).json()
    assert data["shown"] is False
    assert data["overall"] is None and data["groups"] == [] and data["other_includes"] == []
    # Not plotted in the trend either.
    svg = client.get(reverse("support:trend_chart", args=[org.slug])).content.decode()
    assert "Voorjaar" not in svg

"""The mix per goal and its planned shares, over real HTTP with the cast."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.content.models import ContentItem, MixTarget, State
from koers.orgs.capabilities import Role
from koers.strategy.models import SocialGoal
from koers.tests.cast import make_strategy

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEAR = timezone.now().year + 1


def mix_url(org, **query) -> str:
    url = reverse("content:mix", args=[org.slug])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else url


def targets_url(org) -> str:
    return reverse("content:mix_targets", args=[org.slug])


def row(html: str, title: str) -> list[str]:
    """The cells of the table row for ``title``, as text."""
    match = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\">" + re.escape(title) + r"</th>(.*?)</tr>", html, re.S
    )
    assert match, f"no row for {title}"
    cells = re.findall(r"<td>(.*?)</td>", match.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


@pytest.fixture
def goals(cast):
    strategy = make_strategy(cast.a.org)
    first = strategy.items["published"]["social-goal"]
    second = SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.published,
        business_goal=first.business_goal,
        title="Naamsbekendheid",
    )
    return first, second


def make_items(org, goal_key, *, scheduled=0, published=0, month=3):
    for n in range(scheduled + published):
        ContentItem.objects.create(
            organisation=org,
            title=f"Post {n}",
            state=State.SCHEDULED if n < scheduled else State.PUBLISHED,
            scheduled_at=datetime(YEAR, month, 1 + n, 10, tzinfo=AMSTERDAM),
            goal_key=goal_key,
        )


def test_shares_from_scheduled_and_published_items(client, cast, goals):
    org = cast.a.org
    first, second = goals
    make_items(org, first.key, scheduled=3, published=1)
    make_items(org, second.key, scheduled=1, published=1)
    make_items(org, None, published=1)
    make_items(org, first.key, scheduled=5, month=4)  # another month: not counted
    MixTarget.objects.create(organisation=org, goal_key=first.key, share=50)
    MixTarget.objects.create(organisation=org, goal_key=second.key, share=30)

    client.force_login(cast.a[Role.MANAGER].user)
    response = client.get(mix_url(org, period="month", date=f"{YEAR}-03-15"))
    assert response.status_code == 200
    html = response.content.decode()
    # target, planned, planned share, vs target, published, published share, vs target
    assert row(html, first.title) == [
        "50%",
        "3",
        "75%",
        "+25 points off target",
        "1",
        "33%",
        "-17 points off target",
    ]
    assert row(html, "Naamsbekendheid") == ["30%", "1", "25%", "-5 points", "1", "33%", "+3 points"]
    assert row(html, "Without a goal") == ["none", "0", "0%", "–", "1", "33%", "–"]
    assert "1 item in this period has no goal of the strategy." in html
    assert reverse("content:pipeline", args=[org.slug]) + "?goal=none" in html
    # A manager does not set the planned mix.
    assert targets_url(org) not in html


def test_a_quarter_counts_three_months(client, cast, goals):
    org = cast.a.org
    first, _second = goals
    make_items(org, first.key, scheduled=2, month=1)
    make_items(org, first.key, scheduled=1, month=3)
    make_items(org, first.key, scheduled=4, month=4)
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(mix_url(org, period="quarter", date=f"{YEAR}-02-10")).content.decode()
    assert row(html, first.title)[1] == "3"
    assert f"1 January {YEAR} to 31 March {YEAR}" in html


def test_targets_are_saved(client, cast, goals):
    org = cast.a.org
    first, second = goals
    client.force_login(cast.a[Role.STRATEGIST].user)
    html = client.get(mix_url(org)).content.decode()
    assert targets_url(org) in html
    response = client.post(
        targets_url(org),
        {f"goal_{first.key}": "60", f"goal_{second.key}": "30", "period": "quarter"},
    )
    assert response.status_code == 302
    assert response["Location"] == mix_url(org, period="quarter")
    assert dict(MixTarget.objects.filter(organisation=org).values_list("goal_key", "share")) == {
        first.key: 60,
        second.key: 30,
    }
    # Emptying a share removes the target.
    response = client.post(targets_url(org), {f"goal_{first.key}": "70", f"goal_{second.key}": ""})
    assert response.status_code == 302
    assert dict(MixTarget.objects.filter(organisation=org).values_list("goal_key", "share")) == {
        first.key: 70
    }


def test_a_total_over_100_is_refused_and_nothing_is_saved(client, cast, goals):
    org = cast.a.org
    first, second = goals
    MixTarget.objects.create(organisation=org, goal_key=first.key, share=40)
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(
        targets_url(org), {f"goal_{first.key}": "60", f"goal_{second.key}": "50"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Together the shares come to more than 100%." in html
    assert "The planned mix was not saved." in html
    assert list(MixTarget.objects.filter(organisation=org).values_list("goal_key", "share")) == [
        (first.key, 40)
    ]


def test_a_share_over_100_is_refused(client, cast, goals):
    org = cast.a.org
    first, _second = goals
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(targets_url(org), {f"goal_{first.key}": "120"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not MixTarget.objects.filter(organisation=org).exists()


def test_who_may_see_and_set_the_mix(client, cast, goals):
    org = cast.a.org
    first, _second = goals
    data = {f"goal_{first.key}": "50"}
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(mix_url(org)).status_code == 403
    client.force_login(cast.a[Role.EDITOR].user)
    assert client.get(mix_url(org)).status_code == 200
    assert client.post(targets_url(org), data).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(mix_url(org)).status_code == 404
    assert client.post(targets_url(org), data).status_code == 404
    assert not MixTarget.objects.exists()


def test_without_a_published_strategy_the_page_explains(client, cast):
    org = cast.a.org
    client.force_login(cast.a[Role.STRATEGIST].user)
    response = client.get(mix_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The goals come from the published strategy." in html
    assert reverse("strategy:page", args=[org.slug]) in html
    assert targets_url(org) not in html


@pytest.mark.parametrize("query", [{"period": "year"}, {"date": "2025-02-30"}])
def test_an_invalid_period_is_a_clear_400(client, cast, query):
    client.force_login(cast.a[Role.EDITOR].user)
    response = client.get(mix_url(cast.a.org, **query))
    assert response.status_code == 400
    assert "This period cannot be shown" in response.content.decode()

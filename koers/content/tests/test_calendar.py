"""The content calendar, moving items on it, recurring items and the evergreen queue,
over real HTTP with the cast."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.content import actions
from koers.content.models import Approval, ContentItem, Decision, Repeat, State, Variant
from koers.orgs.capabilities import Role
from koers.tests.cast import make_strategy

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A year ahead: every moment in it is in the future, whenever the tests run.
YEAR = timezone.now().year + 1


def local(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def make_item(
    org, title="Klantverhaal", *, state=State.SCHEDULED, when=None, channel="linkedin", **fields
):
    """An item straight in ``state`` (a builder: the states that matter for a test are
    reached through actions there)."""
    item = ContentItem.objects.create(
        organisation=org, title=title, state=state, scheduled_at=when, **fields
    )
    if channel:
        Variant.objects.create(
            organisation=org, item=item, channel=channel, text="Een blije klant vertelt."
        )
    return item


def calendar_url(org, **query) -> str:
    url = reverse("content:calendar", args=[org.slug])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else url


def cell(html: str, day: date) -> str:
    """The HTML of one day of the calendar (up to the next day)."""
    marker = f'data-day="{day.isoformat()}"'
    assert marker in html, f"{day} is not on the calendar"
    return re.split(r'data-day="', html.split(marker, 1)[1], maxsplit=1)[0]


@pytest.fixture
def org(cast):
    cast.a.org.time_zone = "Europe/Amsterdam"
    cast.a.org.save(update_fields=["time_zone"])
    return cast.a.org


@pytest.fixture
def editor_client(client, cast):
    client.force_login(cast.a[Role.EDITOR].user)
    return client


# --- the calendar ------------------------------------------------------------------------


def test_month_puts_an_item_on_its_day_in_the_organisation_zone(editor_client, org):
    # 23:30 UTC on the 10th is past midnight in Amsterdam: the 11th there.
    make_item(org, "Laat op de avond", when=datetime(YEAR, 3, 10, 23, 30, tzinfo=UTC))
    response = editor_client.get(calendar_url(org, view="month", date=f"{YEAR}-03-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laat op de avond" in cell(html, date(YEAR, 3, 11))
    assert "Laat op de avond" not in cell(html, date(YEAR, 3, 10))
    assert "00:30" in cell(html, date(YEAR, 3, 11))
    # Weeks start on Monday: the first day shown is a Monday.
    first = re.search(r'data-day="([\d-]+)"', html).group(1)
    assert date.fromisoformat(first).weekday() == 0
    assert f"March {YEAR}" in html


def test_week_shows_seven_days_with_items_by_time(editor_client, org):
    make_item(org, "Middag", when=local(YEAR, 3, 11, 14))
    make_item(org, "Ochtend", when=local(YEAR, 3, 11, 8, 15))
    make_item(org, "Volgende week", when=local(YEAR, 3, 18, 9))
    response = editor_client.get(calendar_url(org, view="week", date=f"{YEAR}-03-12"))
    assert response.status_code == 200
    html = response.content.decode()
    days = re.findall(r'<section class="calendar-day[^"]*" data-day="([\d-]+)"', html)
    assert len(days) == 7 and date.fromisoformat(days[0]).weekday() == 0
    day = cell(html, date(YEAR, 3, 11))
    assert day.index("Ochtend") < day.index("Middag")
    assert "08:15" in day
    assert "Volgende week" not in html


def test_item_shows_state_channels_credit_and_links_to_the_item(editor_client, org, cast):
    employee = cast.a[Role.EMPLOYEE]
    item = make_item(
        org,
        "Van een collega",
        state=State.DRAFT,
        when=local(YEAR, 3, 5),
        submitted_by=employee.user,
        submitter_name="Els",
    )
    make_item(org, "Gepubliceerd", state=State.PUBLISHED, when=local(YEAR, 3, 6))
    html = editor_client.get(calendar_url(org, date=f"{YEAR}-03-01")).content.decode()
    draft = cell(html, date(YEAR, 3, 5))
    assert "Not approved yet" in draft
    assert "LinkedIn" in draft
    assert f"Idea by {employee.user.name or employee.user.email}" in draft
    assert reverse("content:detail", args=[org.slug, item.pk]) in draft
    assert "Published" in cell(html, date(YEAR, 3, 6))


def test_filters_include_and_exclude(editor_client, org, cast):
    goal = make_strategy(org).items["published"]["social-goal"]
    employee = cast.a[Role.EMPLOYEE]
    make_item(org, "Op LinkedIn met doel", when=local(YEAR, 3, 3), goal_key=goal.key)
    make_item(
        org,
        "Op Instagram van Els",
        when=local(YEAR, 3, 4),
        channel="instagram",
        submitted_by=employee.user,
    )

    def titles(**query):
        response = editor_client.get(calendar_url(org, date=f"{YEAR}-03-01", **query))
        assert response.status_code == 200
        html = response.content.decode()
        return {t for t in ("Op LinkedIn met doel", "Op Instagram van Els") if t in html}

    assert titles() == {"Op LinkedIn met doel", "Op Instagram van Els"}
    assert titles(channel="instagram") == {"Op Instagram van Els"}
    assert titles(goal=goal.key) == {"Op LinkedIn met doel"}
    assert titles(person=employee.user.pk) == {"Op Instagram van Els"}
    assert titles(person=cast.a[Role.OWNER].user.pk) == set()


@pytest.mark.parametrize(
    "query",
    [
        {"view": "year"},
        {"date": "2025-13-01"},
        {"channel": "fax"},
        {"goal": "not-a-goal"},
        {"person": "999999"},
    ],
)
def test_invalid_settings_give_a_clear_400(editor_client, org, query):
    response = editor_client.get(calendar_url(org, **query))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The calendar cannot show this" in html
    assert 'id="calendar-grid"' not in html


def test_query_count_does_not_grow_with_items(editor_client, org):
    goal = make_strategy(org).items["published"]["social-goal"]

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(calendar_url(org, date=f"{YEAR}-03-01"))
        assert response.status_code == 200
        return len(queries)

    for day in (2, 3):
        make_item(org, f"Post {day}", when=local(YEAR, 3, day), goal_key=goal.key)
    count_queries()  # the first request of a session writes the session's data
    few = count_queries()
    for day in range(4, 14):
        series = make_item(org, f"Post {day}", when=local(YEAR, 3, day), repeat=Repeat.WEEKLY)
        make_item(org, f"Herhaling {day}", when=local(YEAR, 3, day + 7), series=series)
    assert count_queries() == few


def test_htmx_calendar_request_gets_the_grid_only(editor_client, org):
    response = editor_client.get(calendar_url(org), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="calendar-grid"' in html and "<html" not in html


def test_who_sees_the_calendar(client, org, cast):
    url = calendar_url(org)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(url).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(cast.a[Role.ADVISOR].user)
    assert client.get(url).status_code == 200


def test_only_planners_can_drag_and_only_what_is_not_out(client, org, cast):
    make_item(org, "Gepland", when=local(YEAR, 3, 5))
    make_item(org, "Al uit", state=State.PUBLISHED, when=local(YEAR, 3, 6))
    client.force_login(cast.a[Role.EDITOR].user)
    html = client.get(calendar_url(org, date=f"{YEAR}-03-01")).content.decode()
    assert 'draggable="true"' in cell(html, date(YEAR, 3, 5))
    assert "Move to" in cell(html, date(YEAR, 3, 5))
    assert 'draggable="true"' not in cell(html, date(YEAR, 3, 6))
    assert 'data-drop-date="' in html
    assert "koers/content-calendar.js" in html
    client.force_login(cast.a[Role.MANAGER].user)
    html = client.get(calendar_url(org, date=f"{YEAR}-03-01")).content.decode()
    assert "Gepland" in html
    assert 'draggable="true"' not in html and "data-drop-date" not in html


# --- moving items -------------------------------------------------------------------------


def reschedule_url(item) -> str:
    return reverse("content:reschedule", args=[item.organisation.slug, item.pk])


def test_moving_to_another_day_keeps_the_time_of_day(editor_client, org):
    item = make_item(org, when=local(YEAR, 3, 10, 14, 15))
    query = f"view=month&date={YEAR}-03-01"
    response = editor_client.post(
        reschedule_url(item), {"date": f"{YEAR}-03-12", "calendar": query}
    )
    assert response.status_code == 302
    assert response["Location"] == calendar_url(org) + "?" + query
    item.refresh_from_db()
    assert item.scheduled_at == local(YEAR, 3, 12, 14, 15)
    assert item.state == State.SCHEDULED


def test_an_item_without_a_time_moves_to_nine_in_the_morning(editor_client, org):
    item = make_item(org, state=State.DRAFT, when=None)
    response = editor_client.post(reschedule_url(item), {"date": f"{YEAR}-03-12"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.scheduled_at == local(YEAR, 3, 12, 9, 0)
    assert item.state == State.DRAFT


def test_the_move_to_form_sets_date_and_time(editor_client, org):
    item = make_item(org, when=local(YEAR, 3, 10, 14, 15))
    response = editor_client.post(reschedule_url(item), {"scheduled_at": f"{YEAR}-04-02T10:45"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.scheduled_at == local(YEAR, 4, 2, 10, 45)


def test_moving_an_approved_item_schedules_it(editor_client, org):
    item = make_item(org, state=State.APPROVED, when=None)
    response = editor_client.post(reschedule_url(item), {"date": f"{YEAR}-03-12"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.SCHEDULED
    assert item.transitions.get().to_state == State.SCHEDULED


def test_a_day_in_the_past_is_refused(editor_client, org):
    when = local(YEAR, 3, 10, 14, 15)
    item = make_item(org, when=when)
    yesterday = timezone.localdate(timezone.now(), AMSTERDAM) - timedelta(days=1)
    response = editor_client.post(reschedule_url(item), {"date": yesterday.isoformat()})
    assert response.status_code == 400
    assert "Choose a moment in the future." in response.content.decode()
    item.refresh_from_db()
    assert item.scheduled_at == when


def test_a_published_item_is_not_moved(editor_client, org):
    when = local(YEAR, 3, 10, 14, 15)
    item = make_item(org, state=State.PUBLISHED, when=when)
    response = editor_client.post(reschedule_url(item), {"date": f"{YEAR}-03-12"})
    assert response.status_code == 409
    assert "A published or archived item can no longer be changed." in response.content.decode()
    item.refresh_from_db()
    assert item.scheduled_at == when


def test_nothing_to_move_to_is_a_400(editor_client, org):
    item = make_item(org, when=local(YEAR, 3, 10))
    response = editor_client.post(reschedule_url(item), {"date": "not a date"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.ADVISOR, Role.MANAGER])
def test_roles_that_do_not_plan_get_403(client, org, cast, role):
    when = local(YEAR, 3, 10)
    item = make_item(org, when=when)
    client.force_login(cast.a[role].user)
    assert client.post(reschedule_url(item), {"date": f"{YEAR}-03-12"}).status_code == 403
    item.refresh_from_db()
    assert item.scheduled_at == when


def test_outsider_gets_404_on_reschedule(client, org, cast):
    when = local(YEAR, 3, 10)
    item = make_item(org, when=when)
    client.force_login(cast.outsider.user)
    assert client.post(reschedule_url(item), {"date": f"{YEAR}-03-12"}).status_code == 404
    # Organisation B's address with A's item: also 404.
    url = reverse("content:reschedule", args=[cast.b.org.slug, item.pk])
    assert client.post(url, {"date": f"{YEAR}-03-12"}).status_code == 404
    item.refresh_from_db()
    assert item.scheduled_at == when


def test_htmx_move_returns_the_grid_with_the_item_on_its_new_day(editor_client, org):
    item = make_item(org, "Verhuisd", when=local(YEAR, 3, 10, 14, 15))
    response = editor_client.post(
        reschedule_url(item),
        {"date": f"{YEAR}-03-12", "calendar": f"view=month&date={YEAR}-03-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="calendar-grid"') and "<html" not in html
    assert "Verhuisd" in cell(html, date(YEAR, 3, 12))
    assert "Verhuisd" not in cell(html, date(YEAR, 3, 10))
    # The outcome, for the status area (an out-of-band swap).
    assert 'id="calendar-status" hx-swap-oob="innerHTML"' in html
    assert "“Verhuisd” is planned for" in html


def test_htmx_refusal_goes_to_the_status_area(editor_client, org):
    item = make_item(org, state=State.PUBLISHED, when=local(YEAR, 3, 10))
    response = editor_client.post(
        reschedule_url(item), {"date": f"{YEAR}-03-12"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#calendar-status"
    assert response["HX-Reswap"] == "innerHTML"
    assert "A published or archived item can no longer be changed." in response.content.decode()


def test_the_page_has_a_status_area_for_screen_readers(editor_client, org):
    html = editor_client.get(calendar_url(org)).content.decode()
    assert 'id="calendar-status" class="calendar-status" role="status" aria-live="polite"' in html
    assert "<script>" not in html and "style=" not in html


# --- recurring items ----------------------------------------------------------------------


def approved_recurring(org, when, **repeat) -> ContentItem:
    return make_item(org, "Elke week een tip", state=State.APPROVED, when=when, **repeat)


def test_weekly_three_times_makes_three_more_scheduled_items(editor_client, org, cast):
    item = approved_recurring(org, None, repeat=Repeat.WEEKLY, repeat_count=3)
    response = editor_client.post(reschedule_url(item), {"scheduled_at": f"{YEAR}-03-02T09:30"})
    assert response.status_code == 302
    copies = list(item.occurrences.order_by("scheduled_at"))
    assert [c.scheduled_at for c in copies] == [
        local(YEAR, 3, 9, 9, 30),
        local(YEAR, 3, 16, 9, 30),
        local(YEAR, 3, 23, 9, 30),
    ]
    assert {c.state for c in copies} == {State.SCHEDULED}
    assert all(c.variants.get().text == "Een blije klant vertelt." for c in copies)
    html = editor_client.get(calendar_url(org, date=f"{YEAR}-03-01")).content.decode()
    assert "Repeats" in cell(html, date(YEAR, 3, 16))
    assert "Elke week een tip" in cell(html, date(YEAR, 3, 23))


def test_monthly_until_a_date_stops_there(org, cast):
    item = approved_recurring(
        org, local(YEAR, 1, 15), repeat=Repeat.MONTHLY, repeat_until=date(YEAR, 4, 20)
    )
    actions.transition_item(item, State.SCHEDULED, by=cast.a[Role.EDITOR])
    moments = list(item.occurrences.order_by("scheduled_at").values_list("scheduled_at", flat=True))
    assert moments == [local(YEAR, 2, 15), local(YEAR, 3, 15), local(YEAR, 4, 15)]


def test_the_end_of_the_month_is_clamped(org, cast):
    item = approved_recurring(org, local(YEAR, 1, 31), repeat=Repeat.MONTHLY, repeat_count=3)
    actions.transition_item(item, State.SCHEDULED, by=cast.a[Role.EDITOR])
    days = [
        timezone.localtime(m, AMSTERDAM).date()
        for m in item.occurrences.order_by("scheduled_at").values_list("scheduled_at", flat=True)
    ]
    february = 29 if YEAR % 4 == 0 and (YEAR % 100 or YEAR % 400 == 0) else 28
    assert days == [date(YEAR, 2, february), date(YEAR, 3, 31), date(YEAR, 4, 30)]


def test_weekly_keeps_its_local_time_across_summer_time(org, cast):
    # Whatever zone happens to be active, the organisation's zone decides.
    item = approved_recurring(org, local(YEAR, 3, 20, 9), repeat=Repeat.WEEKLY, repeat_count=2)
    with timezone.override(ZoneInfo("UTC")):
        actions.transition_item(item, State.SCHEDULED, by=cast.a[Role.EDITOR])
    times = [
        timezone.localtime(m, AMSTERDAM).time()
        for m in item.occurrences.values_list("scheduled_at", flat=True)
    ]
    assert times == [time(9, 0), time(9, 0)]


def test_scheduling_twice_does_not_duplicate(org, cast):
    editor = cast.a[Role.EDITOR]
    when = local(YEAR, 3, 2)
    goal = make_strategy(org).items["published"]["social-goal"]
    item = approved_recurring(org, None, repeat=Repeat.WEEKLY, repeat_count=3, goal_key=goal.key)
    # The approval it got (taking it off the calendar checks it again).
    Approval.objects.create(
        organisation=org,
        item=item,
        revision=item.revision,
        decision=Decision.APPROVE,
        by=cast.a[Role.MANAGER].user,
    )
    actions.reschedule_item(item, when, by=editor)
    assert item.occurrences.count() == 3
    # Taken off the calendar and planned again on the same moment.
    actions.transition_item(item, State.APPROVED, by=editor)
    actions.reschedule_item(item, when, by=editor)
    assert item.occurrences.count() == 3
    assert actions.create_occurrences(ContentItem.objects.get(pk=item.pk)) == []
    assert item.occurrences.count() == 3


# --- the evergreen queue ------------------------------------------------------------------


def evergreen_url(org) -> str:
    return reverse("content:evergreen", args=[org.slug])


def use_url(item) -> str:
    return reverse("content:evergreen_use", args=[item.organisation.slug, item.pk])


def test_queue_shows_the_longest_unused_first_and_empty_days(editor_client, org):
    used = make_item(
        org,
        "Al eens gebruikt",
        state=State.APPROVED,
        is_evergreen=True,
        last_used_at=timezone.now() - timedelta(days=10),
    )
    make_item(org, "Nooit gebruikt", state=State.APPROVED, is_evergreen=True)
    make_item(org, "Geen evergreen", state=State.APPROVED)
    tomorrow = timezone.localdate(timezone.now(), AMSTERDAM) + timedelta(days=1)
    make_item(org, "Morgen", when=datetime.combine(tomorrow, time(12), tzinfo=AMSTERDAM))
    response = editor_client.get(evergreen_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Nooit gebruikt") < html.index("Al eens gebruikt")
    assert "Geen evergreen" not in html
    assert f"Last used {timezone.localtime(used.last_used_at, AMSTERDAM):%-d %B %Y}" in html
    assert "Not used yet" in html
    days = html.split('id="empty-days"', 1)[1].split("</section>", 1)[0]
    assert f'datetime="{tomorrow.isoformat()}"' not in days
    assert f'datetime="{(tomorrow + timedelta(days=1)).isoformat()}"' in days
    assert "Plan on" in html


def test_using_an_evergreen_item_plans_a_copy_and_moves_it_back(editor_client, org):
    older = make_item(
        org,
        "Al eens gebruikt",
        state=State.APPROVED,
        is_evergreen=True,
        last_used_at=timezone.now() - timedelta(days=10),
    )
    never = make_item(org, "Nooit gebruikt", state=State.APPROVED, is_evergreen=True)
    queue = ContentItem.objects.for_org(org).evergreen_queue
    assert list(queue()) == [never, older]

    response = editor_client.post(use_url(never), {"scheduled_at": f"{YEAR}-03-04T11:00"})
    assert response.status_code == 302
    copy = never.occurrences.get()
    assert copy.state == State.SCHEDULED
    assert copy.scheduled_at == local(YEAR, 3, 4, 11)
    assert not copy.is_evergreen
    never.refresh_from_db()
    assert never.state == State.APPROVED and never.last_used_at == local(YEAR, 3, 4, 11)
    assert list(queue()) == [older, never]
    html = editor_client.get(calendar_url(org, date=f"{YEAR}-03-01")).content.decode()
    assert "Nooit gebruikt" in cell(html, date(YEAR, 3, 4))
    assert "Evergreen" in cell(html, date(YEAR, 3, 4))


def test_using_an_item_that_is_no_evergreen_is_refused(editor_client, org):
    item = make_item(org, "Gewoon", state=State.APPROVED)
    response = editor_client.post(use_url(item), {"scheduled_at": f"{YEAR}-03-04T11:00"})
    assert response.status_code == 400
    assert "Only approved evergreen items can fill a slot." in response.content.decode()
    assert not item.occurrences.exists()


def test_using_an_evergreen_item_in_the_past_is_refused(editor_client, org):
    item = make_item(org, "Tijdloos", state=State.APPROVED, is_evergreen=True)
    response = editor_client.post(use_url(item), {"scheduled_at": "2020-03-04T11:00"})
    assert response.status_code == 400
    assert "Choose a moment in the future." in response.content.decode()
    item.refresh_from_db()
    assert item.last_used_at is None and not item.occurrences.exists()


def test_who_may_use_the_queue(client, org, cast):
    item = make_item(org, "Tijdloos", state=State.APPROVED, is_evergreen=True)
    data = {"scheduled_at": f"{YEAR}-03-04T11:00"}
    client.force_login(cast.a[Role.MANAGER].user)
    html = client.get(evergreen_url(org)).content.decode()
    assert "Tijdloos" in html and "Plan on" not in html
    assert client.post(use_url(item), data).status_code == 403
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(evergreen_url(org)).status_code == 403
    assert client.post(use_url(item), data).status_code == 403
    client.force_login(cast.outsider.user)
    assert client.get(evergreen_url(org)).status_code == 404
    assert client.post(use_url(item), data).status_code == 404
    assert not item.occurrences.exists()


# --- in a real browser --------------------------------------------------------------------


@pytest.mark.browser
def test_drag_an_item_to_another_day(page, browser_problems, live_server, transactional_db, cast):
    from playwright.sync_api import expect

    from koers.tests.browser import log_in, no_problems
    from koers.tests.cast import PASSWORD

    org = cast.a.org
    item = make_item(org, "Sleep mij", when=local(YEAR, 3, 10, 14, 15))
    log_in(page, cast.a[Role.EDITOR].user.email, PASSWORD)
    page.goto(calendar_url(org, view="month", date=f"{YEAR}-03-01"))
    moved = page.locator(f'td[data-day="{YEAR}-03-12"] li[data-item-id="{item.pk}"]')
    expect(moved).to_have_count(0)
    page.locator(f'li[data-item-id="{item.pk}"]').drag_to(
        page.locator(f'td[data-drop-date="{YEAR}-03-12"]')
    )
    expect(moved).to_have_count(1)
    expect(page.locator("#calendar-status .message-success")).to_have_count(1)
    item.refresh_from_db()
    assert item.scheduled_at == local(YEAR, 3, 12, 14, 15)

    # The "Move" form (keyboard users), into the past: refused, with the reason in the
    # status area, and the item stays where it was.
    moved.locator("summary").click()
    moved.locator('input[type="datetime-local"]').fill("2020-01-01T10:00")
    moved.locator('button[type="submit"]').click()
    expect(page.locator("#calendar-status .message-error")).to_have_count(1)
    expect(moved).to_have_count(1)
    item.refresh_from_db()
    assert item.scheduled_at == local(YEAR, 3, 12, 14, 15)

    # And to a moment in the future: the grid shows the item on its new day.
    moved.locator('input[type="datetime-local"]').fill(f"{YEAR}-03-20T08:30")
    moved.locator('button[type="submit"]').click()
    expect(page.locator(f'td[data-day="{YEAR}-03-20"] li[data-item-id="{item.pk}"]')).to_have_count(
        1
    )
    expect(page.locator("#calendar-status .message-success")).to_have_count(1)
    # The refusal's 400 is logged by the browser; nothing else may be (CSP violations).
    no_problems([p for p in browser_problems if "status of 400" not in p])

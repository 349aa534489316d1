"""The content calendar (month and week), moving items on it, and the evergreen queue.

Thin adapters: the organisation's time zone is active in every view (``org_view``),
so days are the organisation's days; items are read with ``actions.calendar_items``
and moved with ``actions.reschedule_item`` / ``actions.use_evergreen``.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koers.adapters import add_errors
from koers.content import actions, workflow
from koers.content.models import EDITABLE_STATES, ContentItem
from koers.content.planning_forms import (
    DEFAULT_TIME,
    MONTH,
    WEEK,
    CalendarForm,
    EvergreenUseForm,
    RescheduleForm,
)
from koers.orgs import access
from koers.orgs.access import org_view
from koers.orgs.capabilities import can
from koers.orgs.models import Membership

FILTERS = ("channel", "goal", "pillar", "person")
SUGGESTION_DAYS = 14


@dataclass
class Day:
    day: date
    entries: list = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False


@dataclass
class Entry:
    """An item on the calendar, with its moment in the organisation's zone."""

    item: ContentItem
    local: datetime
    movable: bool

    @property
    def local_input(self) -> str:
        return self.local.strftime("%Y-%m-%dT%H:%M")

    @property
    def channels(self) -> list[str]:
        return [v.get_channel_display() for v in self.item.variants.all()]

    @property
    def from_evergreen(self) -> bool:
        return bool(self.item.series_id and self.item.series.is_evergreen)

    @property
    def repeats(self) -> bool:
        """A recurring item, or one of its repetitions."""
        return bool(self.item.repeat or (self.item.series_id and not self.from_evergreen))


def _people(organisation) -> list:
    """The organisation's members (as users), for the person filter."""
    memberships = Membership.objects.for_org(organisation).select_related("user")
    return sorted((m.user for m in memberships), key=lambda u: (u.name or u.email).lower())


def _calendar_form(request, data) -> CalendarForm:
    return CalendarForm(
        data, choices=actions.strategy_choices(request.org), people=_people(request.org)
    )


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the active (the organisation's) zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _query(values: dict) -> str:
    query = QueryDict(mutable=True)
    for name, value in values.items():
        if value not in (None, ""):
            query[name] = str(value)
    return query.urlencode()


def _grid_context(request, form: CalendarForm) -> dict:
    """Everything the calendar grid (``_calendar.html``) shows, for a valid form."""
    data = form.cleaned_data
    view = data["view"] or MONTH
    today = timezone.localdate()
    anchor = data["date"] or today
    if view == MONTH:
        weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        first = anchor.replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    else:
        monday = anchor - timedelta(days=anchor.weekday())
        weeks = [[monday + timedelta(days=n) for n in range(7)]]
        previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
    days = {
        day: Day(day=day, in_month=view == WEEK or day.month == anchor.month, is_today=day == today)
        for week in weeks
        for day in week
    }
    may_plan = can(request.membership, "publishing.manage")
    items = actions.calendar_items(
        request.org,
        _start_of(weeks[0][0]),
        _start_of(weeks[-1][-1] + timedelta(days=1)),
        **form.filters(),
    ).select_related("series")
    for item in items:
        local = timezone.localtime(item.scheduled_at)
        cell = days.get(local.date())
        if cell is not None:
            cell.entries.append(
                Entry(item=item, local=local, movable=may_plan and item.state in EDITABLE_STATES)
            )

    filters = {name: data[name] for name in FILTERS}
    base = reverse("content:calendar", args=[request.org.slug])

    def link(**changes) -> str:
        return base + "?" + _query({"view": view, "date": anchor, **filters, **changes})

    return {
        "view": view,
        "anchor": anchor,
        "weeks": [[days[day] for day in week] for week in weeks],
        "week_days": [days[day] for day in weeks[0]],
        "first_day": weeks[0][0],
        "last_day": weeks[-1][-1],
        "calendar_query": _query({"view": view, "date": anchor, **filters}),
        "previous_url": link(date=previous),
        "next_url": link(date=following),
        "today_url": link(date=today),
        "month_url": link(view=MONTH),
        "week_url": link(view=WEEK),
        "clear_url": base + "?" + _query({"view": view, "date": anchor}),
        "may_plan": may_plan,
        "filtered": any(filters.values()),
    }


def _render_calendar(request, form: CalendarForm, *, partial=False, status=200, **extra):
    context = {"form": form, **extra}
    if form.is_valid():
        context.update(_grid_context(request, form))
    else:
        status = 400
    template = "content/_calendar.html" if partial else "content/calendar.html"
    return render(request, template, context, status=status)


@require_GET
@org_view("content.view")
def calendar(request):
    """The month or week of planned and published items, in the organisation's zone."""
    form = _calendar_form(request, request.GET)
    return _render_calendar(request, form, partial=bool(request.htmx))


def _moved_message(item: ContentItem) -> str:
    return _("“%(title)s” is planned for %(when)s.") % {
        "title": item.title,
        "when": formats.date_format(timezone.localtime(item.scheduled_at), "DATETIME_FORMAT"),
    }


@require_POST
@org_view("publishing.manage")
def reschedule(request, pk: int):
    """Move an item to another day (keeping its time) or moment. An approved item is
    scheduled with it. htmx gets the calendar grid back, or the reason in the status
    area; without JavaScript the calendar page is shown again."""
    item = access.get_content_item(request, pk)
    form = RescheduleForm(request.POST)
    status, message = 200, ""
    if form.is_valid():
        try:
            item = actions.reschedule_item(
                item, form.moment(item.scheduled_at), by=request.membership
            )
        except workflow.TransitionRefused as error:
            status, message = 409, actions.refusal_message(error)
        except ValidationError as error:
            status, message = 400, " ".join(error.messages)
        else:
            message = _moved_message(item)
    else:
        status = 400
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)

    if request.POST.get("from") == "detail" and not request.htmx:
        # Planned from the item's own page: on success show the week it landed in, else
        # back to the item with the reason.
        if status != 200:
            messages.error(request, message)
            return redirect("content:detail", request.org.slug, item.pk)
        messages.success(request, message)
        day = timezone.localdate(item.scheduled_at).isoformat()
        url = reverse("content:calendar", args=[request.org.slug])
        return redirect(f"{url}?view=week&date={day}")

    # The calendar page the move was made on (its query string), to show it again.
    calendar_form = _calendar_form(request, QueryDict(request.POST.get("calendar", "")[:500]))
    if not calendar_form.is_valid():
        calendar_form = _calendar_form(request, QueryDict())
    if request.htmx:
        if status != 200:
            response = render(
                request,
                "content/_calendar_status.html",
                {"status_message": message, "status_error": True},
                status=status,
            )
            # The grid stays as it is; the reason goes to the status area.
            response["HX-Retarget"] = "#calendar-status"
            response["HX-Reswap"] = "innerHTML"
            return response
        return _render_calendar(
            request, calendar_form, partial=True, status_message=message, refreshed=True
        )
    if status == 200:
        messages.success(request, message)
        url = reverse("content:calendar", args=[request.org.slug])
        query = calendar_form.data.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return _render_calendar(
        request, calendar_form, status=status, status_message=message, status_error=True
    )


# --- the evergreen queue ----------------------------------------------------------------


def _empty_days(organisation) -> list[date]:
    """The coming days (from tomorrow, in the organisation's zone) with nothing planned."""
    first = timezone.localdate() + timedelta(days=1)
    days = [first + timedelta(days=n) for n in range(SUGGESTION_DAYS)]
    moments = (
        actions.calendar_items(organisation, _start_of(days[0]), _start_of(days[-1] + timedelta(1)))
        .prefetch_related(None)
        .select_related(None)
        .values_list("scheduled_at", flat=True)
    )
    taken = {timezone.localtime(moment).date() for moment in moments}
    return [day for day in days if day not in taken]


def _render_evergreen(
    request, *, failed: tuple[ContentItem, EvergreenUseForm] | None = None, status=200
):
    queue = list(
        ContentItem.objects.for_org(request.org)
        .evergreen_queue()
        .select_related("submitted_by")
        .prefetch_related("variants")
    )
    empty_days = _empty_days(request.org)
    suggestion = timezone.make_aware(
        datetime.combine(
            empty_days[0] if empty_days else timezone.localdate() + timedelta(days=1),
            DEFAULT_TIME,
        )
    )
    may_plan = can(request.membership, "publishing.manage")
    rows = []
    for item in queue:
        if failed and failed[0].pk == item.pk:
            form = failed[1]
        else:
            form = EvergreenUseForm(
                initial={"scheduled_at": suggestion}, auto_id=f"id_%s_{item.pk}"
            )
        rows.append({"item": item, "form": form if may_plan else None})
    return render(
        request,
        "content/evergreen.html",
        {
            "rows": rows,
            "empty_days": empty_days,
            "may_plan": may_plan,
            "failed_item": failed[0] if failed else None,
            "failed_form": failed[1] if failed else None,
        },
        status=status,
    )


@require_GET
@org_view("content.view")
def evergreen(request):
    """Approved evergreen items, the longest-unused first, and the empty days to fill."""
    return _render_evergreen(request)


@require_POST
@org_view("publishing.manage")
def evergreen_use(request, pk: int):
    """Plan a copy of an evergreen item; the item goes to the back of the queue."""
    item = access.get_content_item(request, pk)
    form = EvergreenUseForm(request.POST, auto_id=f"id_%s_{item.pk}")
    status = 400
    if form.is_valid():
        try:
            copy = actions.use_evergreen(
                item, form.cleaned_data["scheduled_at"], by=request.membership
            )
        except workflow.TransitionRefused as error:
            form.add_error(None, actions.refusal_message(error))
            status = 409
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _moved_message(copy))
            return redirect("content:evergreen", org_slug=request.org.slug)
    return _render_evergreen(request, failed=(item, form), status=status)

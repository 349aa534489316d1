"""Role tasks: my tasks with "Done", managing the tasks with their done rates, and the
weekly reminder mail."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.content import actions
from koers.content.models import Frequency, RoleTask, TaskCompletion, TaskReminder
from koers.content.workflow import TransitionRefused
from koers.orgs.capabilities import Role


def _url(cast, name, **kwargs):
    return reverse(f"content:{name}", kwargs={"org_slug": cast.a.org.slug, **kwargs})


def _task(org, title="Meld één klantcompliment", **overrides):
    values = {"organisation": org, "title": title}
    values.update(overrides)
    return RoleTask.objects.create(**values)


def _done_at(membership, task, when):
    completion = actions.complete_task(membership, task)
    TaskCompletion.objects.filter(pk=completion.pk).update(done_at=when)
    return completion


# --- my tasks ---------------------------------------------------------------------------


def test_my_tasks_lists_due_tasks_first_and_done_ones_with_when_they_come_back(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    due = _task(cast.a.org, "Werk je LinkedIn-profiel bij", frequency=Frequency.HALF_YEARLY)
    done = _task(cast.a.org, "Deel één bericht van de organisatie")
    _task(cast.a.org, "Alleen voor redacteuren", role=Role.EDITOR)
    _task(cast.a.org, "Oude taak", is_active=False)
    _done_at(employee, done, timezone.now() - timedelta(days=3))
    client.force_login(employee.user)

    response = client.get(_url(cast, "my_tasks"))

    assert response.status_code == 200
    text = response.content.decode()
    assert due.title in text and "due since" in text
    assert done.title in text and "due again on" in text
    assert text.index(due.title) < text.index(done.title)
    assert "Alleen voor redacteuren" not in text and "Oude taak" not in text
    assert _url(cast, "task_done", pk=due.pk) in text
    assert _url(cast, "task_done", pk=done.pk) not in text
    assert "counts as taking part" in text and "draagvlak index" in text


def test_done_records_the_task_once_per_period(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    task = _task(cast.a.org)
    client.force_login(employee.user)

    response = client.post(_url(cast, "task_done", pk=task.pk), {"note": "Mevrouw was blij."})
    assert response.status_code == 302
    completion = TaskCompletion.objects.get(task=task)
    assert (completion.membership, completion.note) == (employee, "Mevrouw was blij.")

    response = client.post(_url(cast, "task_done", pk=task.pk), follow=True)
    assert "You already did this task for this period." in response.content.decode()
    assert TaskCompletion.objects.filter(task=task).count() == 1


def test_a_monthly_task_is_due_again_a_month_after_it_was_done(cast):
    employee = cast.a[Role.EMPLOYEE]
    task = _task(cast.a.org)
    _done_at(employee, task, timezone.now() - timedelta(days=40))
    [state] = actions.tasks_for(employee)
    assert state.is_due
    actions.complete_task(employee, task)
    [state] = actions.tasks_for(employee)
    assert not state.is_due
    assert actions.due_again(state) > timezone.now() + timedelta(days=27)


def test_advisors_have_no_tasks(client, cast):
    advisor = cast.a[Role.ADVISOR]
    task = _task(cast.a.org)
    client.force_login(advisor.user)

    response = client.get(_url(cast, "my_tasks"))
    assert "No tasks for advisors" in response.content.decode()
    assert task.title not in response.content.decode()

    response = client.post(_url(cast, "task_done", pk=task.pk), follow=True)
    assert "This task is not one of yours." in response.content.decode()
    assert not TaskCompletion.objects.exists()


def test_a_task_for_another_role_or_an_inactive_task_cannot_be_done(client, cast):
    for_editors = _task(cast.a.org, "Voor redacteuren", role=Role.EDITOR)
    inactive = _task(cast.a.org, "Oud", is_active=False)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    response = client.post(_url(cast, "task_done", pk=for_editors.pk), follow=True)
    assert "This task is for another role." in response.content.decode()
    response = client.post(_url(cast, "task_done", pk=inactive.pk), follow=True)
    assert "This task is not one of yours." in response.content.decode()
    assert not TaskCompletion.objects.exists()


def test_another_organisations_task_is_not_found(client, cast):
    task = _task(cast.a.org)
    client.force_login(cast.outsider.user)
    url = reverse("content:task_done", kwargs={"org_slug": cast.b.org.slug, "pk": task.pk})
    assert client.post(url).status_code == 404
    assert not TaskCompletion.objects.exists()


# --- managing role tasks ----------------------------------------------------------------


def test_a_strategist_adds_a_role_task(client, cast):
    client.force_login(cast.a[Role.STRATEGIST].user)
    response = client.post(
        _url(cast, "tasks_manage"),
        {
            "title": "Meld één klantcompliment",
            "description": "Via het ideeënformulier.",
            "role": Role.EMPLOYEE,
            "frequency": Frequency.MONTHLY,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    task = RoleTask.objects.get(organisation=cast.a.org)
    assert (task.title, task.role, task.frequency, task.is_active) == (
        "Meld één klantcompliment",
        Role.EMPLOYEE,
        Frequency.MONTHLY,
        True,
    )


def test_a_role_task_needs_a_title_and_cannot_be_for_advisors(client, cast):
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(
        _url(cast, "tasks_manage"), {"title": "", "role": Role.ADVISOR, "frequency": 1}
    )
    assert response.status_code == 400
    assert not RoleTask.objects.exists()
    with pytest.raises(ValidationError, match="Advisors have no role tasks"):
        actions.create_role_task(cast.a.org, by=cast.a[Role.OWNER], title="X", role=Role.ADVISOR)


def test_only_owners_and_strategists_manage_role_tasks(client, cast):
    task = _task(cast.a.org)
    client.force_login(cast.a[Role.EDITOR].user)
    assert client.get(_url(cast, "tasks_manage")).status_code == 403
    response = client.post(_url(cast, "task_edit", pk=task.pk), {"title": "Anders"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title == "Meld één klantcompliment"
    with pytest.raises(TransitionRefused):
        actions.create_role_task(cast.a.org, by=cast.a[Role.MANAGER], title="X")


def test_editing_a_role_task(client, cast):
    task = _task(cast.a.org)
    client.force_login(cast.a[Role.OWNER].user)
    response = client.get(_url(cast, "task_edit", pk=task.pk))
    assert response.status_code == 200 and task.title in response.content.decode()
    response = client.post(
        _url(cast, "task_edit", pk=task.pk),
        {"title": "Meld een compliment", "role": "", "frequency": Frequency.QUARTERLY},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.frequency, task.is_active) == (
        "Meld een compliment",
        Frequency.QUARTERLY,
        False,
    )


def test_the_manage_page_shows_how_many_members_did_each_task(client, cast):
    for_everyone = _task(cast.a.org, "Deel één bericht")
    for_employees = _task(cast.a.org, "Meld één klantcompliment", role=Role.EMPLOYEE)
    _done_at(cast.a[Role.EMPLOYEE], for_everyone, timezone.now() - timedelta(days=2))
    _done_at(cast.a[Role.EDITOR], for_everyone, timezone.now() - timedelta(days=45))  # lapsed
    _done_at(cast.a[Role.EMPLOYEE], for_employees, timezone.now() - timedelta(days=1))

    rates = {rate.task.pk: rate for rate in actions.role_task_rates(cast.a.org)}
    # Every member but the advisor: six; one employee in the cast.
    assert (rates[for_everyone.pk].members, rates[for_everyone.pk].done) == (6, 1)
    assert (rates[for_employees.pk].members, rates[for_employees.pk].done) == (1, 1)

    client.force_login(cast.a[Role.OWNER].user)
    text = client.get(_url(cast, "tasks_manage")).content.decode()
    assert "1 of 6 members (17%)" in text
    assert "1 of 1 members (100%)" in text


# --- reminders ---------------------------------------------------------------------------


def _mails_to(email):
    return [m for m in mail.outbox if email in m.to]


def test_members_with_due_tasks_get_one_reminder_a_week(cast):
    org = cast.a.org
    linkedin = _task(org, "Werk je LinkedIn-profiel bij", frequency=Frequency.HALF_YEARLY)
    compliment = _task(org, "Meld één klantcompliment", role=Role.EMPLOYEE)
    # The editor did the only task for them: nothing is due.
    actions.complete_task(cast.a[Role.EDITOR], linkedin)

    actions.queue_task_reminders()

    reminded = {m.to[0] for m in mail.outbox}
    expected = {
        cast.a[role].user.email
        for role in (Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.WEBCARE, Role.EMPLOYEE)
    }
    assert reminded == expected
    assert len(mail.outbox) == len(expected)
    [employee_mail] = _mails_to(cast.a[Role.EMPLOYEE].user.email)
    assert linkedin.title in employee_mail.body and compliment.title in employee_mail.body
    url = settings.BASE_URL + _url(cast, "my_tasks")
    assert url in employee_mail.body
    [owner_mail] = _mails_to(cast.a[Role.OWNER].user.email)
    assert compliment.title not in owner_mail.body
    assert not _mails_to(cast.a[Role.ADVISOR].user.email)
    assert TaskReminder.objects.filter(sent_at__isnull=False).count() == len(expected)

    # Again the same day, and within the week: nothing more.
    assert actions.queue_task_reminders() == 0
    assert actions.queue_task_reminders(timezone.now() + timedelta(days=6)) == 0
    assert len(mail.outbox) == len(expected)

    # A week later the tasks are still due: one more mail each.
    assert actions.queue_task_reminders(timezone.now() + timedelta(days=7)) == len(expected)
    assert len(mail.outbox) == 2 * len(expected)


def test_a_member_who_did_everything_and_deactivated_accounts_get_no_reminder(cast):
    task = _task(cast.a.org, "Meld één klantcompliment", role=Role.EMPLOYEE)
    actions.complete_task(cast.a[Role.EMPLOYEE], task)
    assert actions.queue_task_reminders() == 0
    assert mail.outbox == []

    TaskCompletion.objects.all().delete()
    user = cast.a[Role.EMPLOYEE].user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert actions.queue_task_reminders() == 0
    assert mail.outbox == []


def test_the_periodic_task_queues_the_reminders(cast):
    from koers.content.tasks import remind_due_tasks, send_task_reminder

    _task(cast.a.org, "Meld één klantcompliment", role=Role.EMPLOYEE)
    remind_due_tasks.call_local()
    assert [m.to for m in mail.outbox] == [[cast.a[Role.EMPLOYEE].user.email]]
    # Sending the same reminder twice mails nobody twice.
    reminder = TaskReminder.objects.get()
    assert send_task_reminder.call_local(reminder.pk) is False
    assert len(mail.outbox) == 1


def test_the_task_pages_take_the_same_number_of_queries_for_more_tasks(client, cast):
    client.force_login(cast.a[Role.OWNER].user)

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(cast, name)).status_code == 200
        return len(queries)

    first = _task(cast.a.org, "Taak 1")
    actions.complete_task(cast.a[Role.EMPLOYEE], first)
    client.get(_url(cast, "my_tasks"))  # the first visit remembers the organisation
    before = {name: count(name) for name in ("my_tasks", "tasks_manage")}
    for n in range(2, 6):
        task = _task(cast.a.org, f"Taak {n}", role=Role.EMPLOYEE if n % 2 else "")
        actions.complete_task(cast.a[Role.EMPLOYEE], task)
        if not task.role:
            actions.complete_task(cast.a[Role.OWNER], task)
    assert {name: count(name) for name in ("my_tasks", "tasks_manage")} == before

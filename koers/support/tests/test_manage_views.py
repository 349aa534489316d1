"""Running pulse surveys over HTTP: preparing a wave and its questions, launching (and
the reasons it is refused), response rates, reminders, closing, and who may do it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.orgs.capabilities import Role
from koers.support import actions
from koers.support.models import (
    Question,
    QuestionKind,
    Ticket,
    TicketStatus,
    Wave,
    WaveStatus,
)
from koers.support.question_bank import standard_questions
from koers.tests.cast import make_member, make_strategy, make_waves

pytestmark = pytest.mark.django_db


def url(cast, name, **kwargs):
    return reverse(f"support:{name}", kwargs={"org_slug": cast.a.org.slug, **kwargs})


def future(days: int = 14) -> datetime:
    return timezone.now() + timedelta(days=days)


def make_wave(cast, **overrides) -> Wave:
    values = {"title": "Najaar", "language": "en", "closes_at": future()}
    values.update(overrides)
    return actions.create_wave(cast.a.org, by=cast.a[Role.OWNER].user, **values)


def surveyed(cast) -> list:
    return [m for role, m in cast.a.members.items() if role != Role.ADVISOR]


# --- the list of waves ----------------------------------------------------------------


def test_waves_page_empty_explains_pulse_surveys(owner_client, cast):
    response = owner_client.get(url(cast, "waves"))
    assert response.status_code == 200
    assert "No pulse survey yet" in response.content.decode()
    assert url(cast, "wave_create") in response.content.decode()


def test_waves_page_lists_waves_with_response_rate(owner_client, cast, django_assert_num_queries):
    waves = make_waves(cast.a.org)
    for membership, status in zip(
        surveyed(cast)[:4],
        [TicketStatus.COMPLETED, TicketStatus.STARTED, TicketStatus.INVITED, TicketStatus.INVITED],
        strict=True,
    ):
        Ticket.objects.create(
            organisation=cast.a.org, wave=waves.open, membership=membership, status=status
        )
    owner_client.get(url(cast, "waves"))  # the session and language settle first
    with django_assert_num_queries(5):
        response = owner_client.get(url(cast, "waves"))
    text = response.content.decode()
    for wave in (waves.closed, waves.open, waves.draft):
        assert wave.title in text
        assert url(cast, "wave", number=wave.number) in text
    assert "1/4 (25%)" in text
    assert "0/0 (0%)" in text  # the closed wave of the cast invited nobody


# --- preparing a wave -----------------------------------------------------------------


def test_create_wave_with_the_standard_questions(owner_client, cast):
    response = owner_client.post(
        url(cast, "wave_create"),
        {
            "title": "Najaar 2030",
            "intro": "Hoe kijk jij ertegenaan?",
            "closes_at": "2030-01-15T17:30",
            "min_group_size": "5",
        },
    )
    wave = Wave.objects.get(organisation=cast.a.org)
    assert response.status_code == 302
    assert response["Location"] == url(cast, "wave", number=wave.number)
    assert (wave.number, wave.title, wave.status) == (1, "Najaar 2030", WaveStatus.DRAFT)
    # Entered in the organisation's time zone (Amsterdam: UTC+1 in January).
    assert wave.closes_at == datetime(2030, 1, 15, 16, 30, tzinfo=UTC)
    keys = list(wave.questions.values_list("key", flat=True))
    assert keys == [q.key for q in standard_questions()]

    page = owner_client.get(response["Location"]).content.decode()
    first = Question.objects.filter(wave=wave).first()
    assert first.text in page
    assert url(cast, "question_edit", number=wave.number, pk=first.pk) in page
    assert url(cast, "question_create", number=wave.number) in page
    assert "15 January 2030 17:30" in page


def test_create_wave_refuses_a_group_size_below_three(owner_client, cast):
    response = owner_client.post(
        url(cast, "wave_create"),
        {"title": "Klein", "intro": "", "closes_at": "", "min_group_size": "2"},
    )
    assert response.status_code == 400
    assert "greater than or equal to 3" in response.content.decode()
    assert not Wave.objects.filter(organisation=cast.a.org).exists()


def test_new_wave_form_defaults_to_groups_of_five(owner_client, cast):
    response = owner_client.get(url(cast, "wave_create"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'type="datetime-local"' in text
    assert 'name="min_group_size" value="5"' in text


def test_edit_wave_details(owner_client, cast):
    wave = make_wave(cast)
    response = owner_client.post(
        url(cast, "wave_edit", number=wave.number),
        {"title": "Anders", "intro": "", "closes_at": "2030-06-01T09:00", "min_group_size": "7"},
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert (wave.title, wave.min_group_size) == ("Anders", 7)
    assert wave.closes_at == datetime(2030, 6, 1, 7, 0, tzinfo=UTC)  # summer time


def test_edit_shows_the_closing_time_in_the_organisation_zone(owner_client, cast):
    wave = make_wave(cast, closes_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    text = owner_client.get(url(cast, "wave_edit", number=wave.number)).content.decode()
    assert 'value="2030-06-01T09:00"' in text


def test_launched_waves_cannot_be_edited(owner_client, cast):
    waves = make_waves(cast.a.org)
    question = Question.objects.create(
        organisation=cast.a.org, wave=waves.open, key="x", kind=QuestionKind.TEXT, text="X?"
    )
    for name, kwargs in [
        ("wave_edit", {"number": waves.open.number}),
        ("question_create", {"number": waves.open.number}),
        ("question_edit", {"number": waves.open.number, "pk": question.pk}),
        ("question_delete", {"number": waves.open.number, "pk": question.pk}),
        ("wave_edit", {"number": waves.closed.number}),
    ]:
        response = owner_client.post(url(cast, name, **kwargs), {"title": "Nee", "text": "Nee"})
        assert response.status_code == 404, name
    waves.open.refresh_from_db()
    question.refresh_from_db()
    assert (waves.open.title, question.text) == ("Zomer", "X?")


# --- questions ------------------------------------------------------------------------


def test_add_edit_and_remove_a_custom_question(owner_client, cast):
    wave = make_wave(cast)
    count = wave.questions.count()
    response = owner_client.post(
        url(cast, "question_create", number=wave.number),
        {
            "text": "Hoe vaak lees je onze nieuwsbrief?",
            "help_text": "",
            "kind": "single",
            "component": "use",
            "options_text": "Altijd\nSoms\n\nNooit\n",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = wave.questions.get(text="Hoe vaak lees je onze nieuwsbrief?")
    assert response["Location"].endswith(f"#question-{question.pk}")
    assert question.options == [
        {"value": "altijd", "label": "Altijd"},
        {"value": "soms", "label": "Soms"},
        {"value": "nooit", "label": "Nooit"},
    ]
    assert (question.kind, question.component, question.required) == ("single", "use", True)
    assert question.key == "hoe-vaak-lees-je-onze-nieuwsbrief"
    assert question.position > wave.questions.exclude(pk=question.pk).last().position
    assert wave.questions.count() == count + 1

    page = owner_client.get(url(cast, "question_edit", number=wave.number, pk=question.pk))
    assert "Altijd\nSoms\nNooit" in page.content.decode()
    response = owner_client.post(
        url(cast, "question_edit", number=wave.number, pk=question.pk),
        {
            "text": "Hoe vaak lees je de nieuwsbrief?",
            "kind": "multiple",
            "component": "use",
            "options_text": "Altijd\nVaak\nNooit",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Hoe vaak lees je de nieuwsbrief?"
    assert question.kind == "multiple"
    assert question.required is False
    # Unchanged labels keep their values.
    assert [o["value"] for o in question.options] == ["altijd", "vaak", "nooit"]

    response = owner_client.post(url(cast, "question_delete", number=wave.number, pk=question.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert wave.questions.count() == count


def test_a_choice_question_needs_two_options(owner_client, cast):
    wave = make_wave(cast)
    count = wave.questions.count()
    response = owner_client.post(
        url(cast, "question_create", number=wave.number),
        {"text": "Kies", "kind": "single", "component": "other", "options_text": "Alleen"},
    )
    assert response.status_code == 400
    assert "Give at least two options, one per line." in response.content.decode()
    assert wave.questions.count() == count


def test_a_likert_question_keeps_no_options(owner_client, cast):
    wave = make_wave(cast)
    response = owner_client.post(
        url(cast, "question_create", number=wave.number),
        {
            "text": "Ik deel graag.",
            "kind": "likert",
            "component": "support",
            "options_text": "a\nb",
        },
    )
    assert response.status_code == 302
    assert wave.questions.get(text="Ik deel graag.").options == []


def test_the_strategy_questions_keep_their_kind(owner_client, cast):
    wave = make_wave(cast)
    question = wave.questions.get(key="discipline")
    page = owner_client.get(url(cast, "question_edit", number=wave.number, pk=question.pk))
    assert "filled in from the published strategy" in page.content.decode()
    response = owner_client.post(
        url(cast, "question_edit", number=wave.number, pk=question.pk),
        {"text": "Waar zijn we goed in?", "kind": "text", "component": "understanding"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.kind) == ("Waar zijn we goed in?", "discipline")


def test_custom_questions_cannot_be_strategy_questions(owner_client, cast):
    wave = make_wave(cast)
    response = owner_client.post(
        url(cast, "question_create", number=wave.number),
        {"text": "Welke discipline?", "kind": "discipline", "component": "understanding"},
    )
    assert response.status_code == 400
    assert not wave.questions.filter(text="Welke discipline?").exists()


# --- launching ------------------------------------------------------------------------


def _refused(owner_client, cast, wave, reason):
    response = owner_client.post(url(cast, "launch", number=wave.number))
    assert response.status_code == 400
    assert "The wave was not launched" in response.content.decode()
    assert reason in response.content.decode()
    wave.refresh_from_db()
    assert wave.status == WaveStatus.DRAFT
    assert not Ticket.objects.filter(wave=wave).exists()
    assert mail.outbox == []


def test_launch_refused_without_closing_date(owner_client, cast):
    make_strategy(cast.a.org)
    wave = make_wave(cast, closes_at=None)
    page = owner_client.get(url(cast, "wave", number=wave.number)).content.decode()
    assert "Set a closing date in the future." in page
    assert url(cast, "launch", number=wave.number) not in page
    _refused(owner_client, cast, wave, "Set a closing date in the future.")


def test_launch_refused_with_closing_date_in_the_past(owner_client, cast):
    make_strategy(cast.a.org)
    wave = make_wave(cast, closes_at=timezone.now() - timedelta(hours=1))
    _refused(owner_client, cast, wave, "Set a closing date in the future.")


def test_launch_refused_without_published_strategy(owner_client, cast):
    wave = make_wave(cast)
    _refused(owner_client, cast, wave, "publish the strategy first")


def test_launch_without_strategy_works_once_the_understanding_questions_are_gone(
    owner_client, cast, sent_after_commit
):
    wave = make_wave(cast)
    wave.questions.filter(key__in=["discipline", "top_goals"]).delete()
    with sent_after_commit():
        response = owner_client.post(url(cast, "launch", number=wave.number))
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN


def test_launch_invites_every_member_except_advisors(owner_client, cast, sent_after_commit):
    strategy = make_strategy(cast.a.org)
    wave = make_wave(cast)
    assert (
        url(cast, "launch", number=wave.number)
        in owner_client.get(url(cast, "wave", number=wave.number)).content.decode()
    )
    with sent_after_commit():
        response = owner_client.post(url(cast, "launch", number=wave.number))
    assert response.status_code == 302
    assert response["Location"] == url(cast, "wave", number=wave.number)
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    assert wave.strategy_version == strategy.published

    tickets = Ticket.objects.filter(wave=wave).select_related("membership__user")
    assert sorted(t.membership.role for t in tickets) == sorted(m.role for m in surveyed(cast))
    page = owner_client.get(response["Location"]).content.decode()
    assert "Wave launched: 6 people invited." in page

    # Each member got their own link; the advisor got nothing.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.membership.user.email for t in tickets)
    for ticket in tickets:
        message = next(m for m in mail.outbox if m.to == [ticket.membership.user.email])
        assert ticket.url in message.body
    assert cast.a[Role.ADVISOR].user.email not in {m.to[0] for m in mail.outbox}

    # The understanding questions got their options from the published strategy.
    discipline = wave.questions.get(kind=QuestionKind.DISCIPLINE)
    assert {o["value"] for o in discipline.options} == {
        "operational_excellence",
        "customer_intimacy",
        "product_leadership",
    }
    goals = wave.questions.get(kind=QuestionKind.TOP_GOALS)
    social = strategy.items["published"]["social-goal"]
    assert {"value": str(social.key), "label": social.title} in goals.options
    assert len(goals.options) > 1  # with goals that are not ours among them


def test_launch_twice_is_refused(owner_client, cast, sent_after_commit):
    make_strategy(cast.a.org)
    wave = make_wave(cast)
    with sent_after_commit():
        owner_client.post(url(cast, "launch", number=wave.number))
    sent = len(mail.outbox)
    response = owner_client.post(url(cast, "launch", number=wave.number))
    assert response.status_code == 400
    assert "This wave has already been launched." in response.content.decode()
    assert Ticket.objects.filter(wave=wave).count() == 6
    assert len(mail.outbox) == sent


# --- while the wave runs --------------------------------------------------------------


@pytest.fixture
def running(owner_client, cast, sent_after_commit):
    make_strategy(cast.a.org)
    wave = make_wave(cast)
    with sent_after_commit():
        owner_client.post(url(cast, "launch", number=wave.number))
    mail.outbox.clear()
    wave.refresh_from_db()
    return wave


def _answer(ticket):
    goal = ticket.wave.questions.get(key="top_goals").options[0]["value"]
    answers = {"discipline": "customer_intimacy", "top_goals": [goal]}
    actions.save_answers(ticket.token, ticket, answers, submit=True)


def test_open_wave_shows_response_rates(owner_client, cast, running):
    employee = Ticket.objects.get(wave=running, membership=cast.a[Role.EMPLOYEE])
    _answer(employee)
    page = owner_client.get(url(cast, "wave", number=running.number)).content.decode()
    assert "1 of 6 people answered (17%)." in page
    assert "Verkoop" in page and "Management" in page
    assert url(cast, "remind", number=running.number) in page
    assert url(cast, "close", number=running.number) in page
    assert url(cast, "wave_results", number=running.number) in page
    # Questions are fixed: no more editing.
    assert url(cast, "question_create", number=running.number) not in page
    assert url(cast, "wave_edit", number=running.number) not in page


def test_remind_the_ones_who_have_not_answered(owner_client, cast, running, sent_after_commit):
    employee = Ticket.objects.get(wave=running, membership=cast.a[Role.EMPLOYEE])
    _answer(employee)
    with sent_after_commit():
        response = owner_client.post(url(cast, "remind", number=running.number))
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert "A reminder is on its way to 5 people." in page
    assert len(mail.outbox) == 5
    assert cast.a[Role.EMPLOYEE].user.email not in {m.to[0] for m in mail.outbox}

    # Reminded just now: not again today.
    with sent_after_commit():
        response = owner_client.post(url(cast, "remind", number=running.number))
    page = owner_client.get(response["Location"]).content.decode()
    assert "Nobody was reminded" in page
    assert len(mail.outbox) == 5


def test_close_the_wave(owner_client, cast, running):
    response = owner_client.post(url(cast, "close", number=running.number))
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == WaveStatus.CLOSED
    page = owner_client.get(response["Location"]).content.decode()
    assert "no more answers are accepted" in page
    assert url(cast, "wave_results", number=running.number) in page
    assert url(cast, "remind", number=running.number) not in page

    # Closing or reminding a closed wave is refused with a message, nothing changes.
    response = owner_client.post(url(cast, "remind", number=running.number), follow=True)
    assert "Only an open wave can send reminders." in response.content.decode()
    response = owner_client.post(url(cast, "close", number=running.number), follow=True)
    assert "Only an open wave can be closed." in response.content.decode()
    assert mail.outbox == []


# --- who may do it --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EDITOR, Role.EMPLOYEE, Role.WEBCARE, Role.ADVISOR])
def test_roles_without_support_manage_get_403(client, cast, role):
    waves = make_waves(cast.a.org)
    client.force_login(cast.a[role].user)
    assert client.get(url(cast, "waves")).status_code == 403
    assert client.get(url(cast, "wave", number=waves.draft.number)).status_code == 403
    assert client.post(url(cast, "wave_create"), {"title": "X"}).status_code == 403
    assert client.post(url(cast, "launch", number=waves.draft.number)).status_code == 403
    assert client.post(url(cast, "close", number=waves.open.number)).status_code == 403
    assert Wave.objects.filter(organisation=cast.a.org).count() == 3
    waves.open.refresh_from_db()
    assert waves.open.status == WaveStatus.OPEN


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STRATEGIST])
def test_managers_and_strategists_run_surveys(client, cast, role):
    client.force_login(cast.a[role].user)
    assert client.get(url(cast, "waves")).status_code == 200


def test_another_organisation_gets_404(client, cast):
    waves = make_waves(cast.a.org)
    client.force_login(cast.outsider.user)
    assert client.get(url(cast, "waves")).status_code == 404
    assert client.get(url(cast, "wave", number=waves.draft.number)).status_code == 404
    b_url = reverse(
        "support:wave", kwargs={"org_slug": cast.b.org.slug, "number": waves.draft.number}
    )
    assert client.get(b_url).status_code == 404
    assert client.post(url(cast, "close", number=waves.open.number)).status_code == 404
    waves.open.refresh_from_db()
    assert waves.open.status == WaveStatus.OPEN


def test_a_new_member_joins_the_next_wave_not_the_running_one(owner_client, cast, running):
    late = make_member(cast.a.org, Role.EMPLOYEE, "laat@org-a.example")
    assert not Ticket.objects.filter(wave=running, membership=late).exists()

"""Waves, launching, answering and closing: the rules in koers/support/actions.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.orgs.capabilities import Role
from koers.support import actions
from koers.support.models import (
    Question,
    QuestionKind,
    Response,
    Ticket,
    TicketStatus,
    WaveStatus,
    find_ticket,
)
from koers.support.question_bank import standard_questions
from koers.tests.cast import make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(cast):
    return actions.create_wave(
        cast.a.org,
        by=cast.a[Role.OWNER].user,
        title="Najaar",
        language="nl",
        closes_at=timezone.now() + timedelta(days=14),
    )


@pytest.fixture
def launched(cast, wave, sent_after_commit):
    make_strategy(cast.a.org)
    with sent_after_commit():
        return actions.launch_wave(wave, by=cast.a[Role.OWNER].user)


def _ticket(cast, role):
    return Ticket.objects.get(membership=cast.a[role])


def test_a_new_wave_has_the_standard_questions_in_the_chosen_language(cast, wave):
    bank = standard_questions()
    assert list(wave.questions.values_list("key", flat=True)) == [q.key for q in bank]
    assert wave.questions.get(key=bank[0].key).text == bank[0].text.nl
    english = actions.create_wave(cast.a.org, by=None, title="Autumn", language="en")
    assert english.number == wave.number + 1
    assert english.questions.get(key=bank[0].key).text == bank[0].text.en


def test_custom_questions_need_two_options_and_get_a_unique_key(wave):
    question = Question(
        wave=wave,
        kind=QuestionKind.SINGLE,
        text="Welke dag past?",
        options=[{"value": "ma", "label": "Maandag"}],
    )
    with pytest.raises(ValidationError) as error:
        actions.save_question(question, by=None)
    assert "options" in error.value.message_dict
    first = actions.save_question(
        Question(wave=wave, kind=QuestionKind.TEXT, text="Wat mis je?"), by=None
    )
    second = actions.save_question(
        Question(wave=wave, kind=QuestionKind.TEXT, text="Wat mis je?"), by=None
    )
    assert (first.key, second.key) == ("wat-mis-je", "wat-mis-je-2")


def test_launch_lists_every_problem(cast, wave):
    wave.closes_at = timezone.now() - timedelta(hours=1)
    wave.save()
    with pytest.raises(ValidationError) as error:
        actions.launch_wave(wave, by=None)
    assert error.value.messages == [
        "Set a closing date in the future.",
        "The understanding questions are scored against the published strategy: publish "
        "the strategy first, or remove them.",
    ]
    wave.refresh_from_db()
    assert wave.status == WaveStatus.DRAFT and not wave.tickets.exists()


def test_launch_invites_every_member_but_advisors_and_mails_each_once(cast, launched):
    from koers.support.tasks import send_wave_links

    tickets = Ticket.objects.filter(wave=launched)
    members = [m for role, m in cast.a.members.items() if role != Role.ADVISOR]
    assert sorted(t.membership_id for t in tickets) == sorted(m.pk for m in members)
    assert {t.membership.role for t in tickets.filter(is_management=True)} == {
        Role.OWNER,
        Role.MANAGER,
    }
    assert all(t.department_id == cast.a.department.pk for t in tickets)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)
    assert all(
        t.url in next(m.body for m in mail.outbox if m.to[0] == t.membership.user.email)
        for t in tickets
    )
    assert send_wave_links.call_local(launched.pk) == 0, "nobody gets a second link"
    assert launched.member_count == len(members)


def test_understanding_options_come_from_the_published_strategy(cast, launched):
    discipline = launched.questions.get(kind=QuestionKind.DISCIPLINE)
    assert [o["value"] for o in discipline.options] == [
        "operational_excellence",
        "customer_intimacy",
        "product_leadership",
    ]
    goals = launched.questions.get(kind=QuestionKind.TOP_GOALS).options
    strategy = launched.strategy_version
    real = {str(k) for k in strategy.socialgoals.values_list("key", flat=True)}
    assert real <= {o["value"] for o in goals}
    assert 1 <= len([o for o in goals if o["value"] not in real]) <= actions.DISTRACTORS


def test_the_link_finds_its_ticket_and_nothing_else(cast, launched):
    ticket = _ticket(cast, Role.EMPLOYEE)
    assert find_ticket(ticket.token) == ticket
    assert find_ticket(ticket.token[:-1] + ("a" if ticket.token[-1] != "a" else "b")) is None
    assert find_ticket(f"{ticket.pk + 1}-{ticket.token.split('-', 1)[1]}") is None
    assert find_ticket("nonsense") is None


def _answers(launched, *, discipline="customer_intimacy", likert=4):
    goals = launched.questions.get(kind=QuestionKind.TOP_GOALS)
    strategy_goal = str(launched.strategy_version.socialgoals.get().key)
    answers = {"discipline": discipline, goals.key: [strategy_goal]}
    for question in launched.questions.filter(kind=QuestionKind.LIKERT):
        answers[question.key] = likert
    return answers


def test_save_resume_and_submit(cast, launched):
    ticket = _ticket(cast, Role.EMPLOYEE)
    token = ticket.token
    likert = launched.questions.filter(kind=QuestionKind.LIKERT).first()
    actions.save_answers(token, ticket, {likert.key: "5"}, submit=False)
    assert actions.saved_answers(token) == {likert.key: 5}
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.STARTED

    with pytest.raises(ValidationError) as error:
        actions.save_answers(token, ticket, {}, submit=True)
    assert set(error.value.message_dict) == {"discipline", "top_goals"}
    assert not Response.objects.filter(is_complete=True).exists()

    response = actions.save_answers(token, ticket, _answers(launched), submit=True)
    assert response.is_complete and response.resume_key is None
    assert response.understanding_score == 100.0  # right discipline, the one right goal
    assert response.support_score == 75.0  # every support answer 4 of 5
    assert response.example_score == 75.0
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.COMPLETED
    with pytest.raises(actions.LinkProblem) as problem:
        actions.check_link(find_ticket(token))
    assert problem.value.code == "used"
    assert actions.saved_answers(token) == {}, "a finished response cannot be found again"


def test_a_wrong_answer_saves_nothing(cast, launched):
    ticket = _ticket(cast, Role.EDITOR)
    likert = launched.questions.filter(kind=QuestionKind.LIKERT).first()
    with pytest.raises(ValidationError) as error:
        actions.save_answers(
            ticket.token, ticket, {likert.key: "9", "discipline": "x"}, submit=False
        )
    assert set(error.value.message_dict) == {likert.key, "discipline"}
    assert not Response.objects.exists()


def test_wrong_discipline_and_wrong_goals_lower_understanding(cast, launched):
    ticket = _ticket(cast, Role.WEBCARE)
    goals = launched.questions.get(kind=QuestionKind.TOP_GOALS).options
    real = str(launched.strategy_version.socialgoals.get().key)
    wrong = next(o["value"] for o in goals if o["value"] != real)
    answers = {**_answers(launched, discipline="product_leadership"), "top_goals": [real, wrong]}
    response = actions.save_answers(ticket.token, ticket, answers, submit=True)
    assert response.understanding_score == 0.0  # discipline wrong; one right, one wrong


def test_management_answers_count_for_management_not_their_department(cast, launched):
    ticket = _ticket(cast, Role.MANAGER)
    response = actions.save_answers(ticket.token, ticket, _answers(launched), submit=True)
    assert (response.is_management, response.department_id) == (True, None)


def test_closing_ends_answering_and_forgets_unfinished_links(cast, launched):
    ticket = _ticket(cast, Role.EMPLOYEE)
    actions.save_answers(ticket.token, ticket, {"discipline": "customer_intimacy"}, submit=False)
    actions.close_wave(launched, by=None)
    assert not Response.objects.exclude(resume_key=None).exists()
    with pytest.raises(actions.LinkProblem) as problem:
        actions.check_link(find_ticket(ticket.token))
    assert problem.value.code == "closed"
    with pytest.raises(ValidationError):
        actions.close_wave(launched, by=None)


def test_an_expired_wave_is_closed_by_the_worker(cast, launched):
    type(launched).objects.filter(pk=launched.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert actions.close_expired_waves() == 1
    launched.refresh_from_db()
    assert launched.status == WaveStatus.CLOSED


def test_reminders_go_to_who_has_not_finished_at_most_once_a_day(cast, launched, sent_after_commit):
    done = _ticket(cast, Role.EMPLOYEE)
    actions.save_answers(done.token, done, _answers(launched), submit=True)
    mail.outbox.clear()
    with sent_after_commit():
        reminded = actions.remind(launched, by=None)
    assert reminded == Ticket.objects.filter(wave=launched).count() - 1
    assert done.membership.user.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == reminded
    with sent_after_commit():
        assert actions.remind(launched, by=None) == 0

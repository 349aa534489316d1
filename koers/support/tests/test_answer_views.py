"""Answering a pulse survey through the personal link from the e-mail: the page, saving
halfway and resuming, errors per question, sending, the pages for used, closed and
tampered links, and the ambassador choice afterwards."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from koers.orgs.capabilities import Role
from koers.support import actions
from koers.support.models import Response, Ticket, TicketStatus
from koers.tests.cast import make_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(cast, sent_after_commit):
    """An open wave with the standard questions, launched against a published strategy;
    every member has their link in the outbox."""
    make_strategy(cast.a.org)
    owner = cast.a[Role.OWNER].user
    wave = actions.create_wave(
        cast.a.org,
        by=owner,
        title="Najaar",
        intro="Vijf minuten, echt.",
        language="en",
        closes_at=timezone.now() + timedelta(days=7),
        min_group_size=6,
    )
    with sent_after_commit():
        actions.launch_wave(wave, by=owner)
    wave.refresh_from_db()
    return wave


def link_of(membership) -> str:
    """The path of the survey link in the member's e-mail."""
    message = next(m for m in mail.outbox if m.to == [membership.user.email])
    found = re.search(r"https?://\S+/survey/\S+/", message.body)
    return urlparse(found.group(0)).path


def ticket_of(wave, membership) -> Ticket:
    return Ticket.objects.get(wave=wave, membership=membership)


def goal_value(wave) -> str:
    return wave.questions.get(key="top_goals").options[0]["value"]


def full_answers(wave, **overrides) -> dict:
    data = {
        "discipline": "customer_intimacy",
        "top_goals": [goal_value(wave)],
        "enthusiastic": "4",
        "managers_take_part": "2",
        "platforms_used": ["linkedin", "instagram"],
        "what_should_change": "Meer uitleg graag.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def employee(cast):
    return cast.a[Role.EMPLOYEE]


# --- the survey page ------------------------------------------------------------------


def test_survey_page_through_the_link(client, wave, employee):
    response = client.get(link_of(employee))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Najaar" in text and "Vijf minuten, echt." in text
    assert (
        "Your answers are stored without your name. Results are only shown for groups "
        "of at least 6 people." in text
    )
    for question in wave.questions.all():
        assert escape(question.text) in text
    # Likert: five labelled radios in a fieldset whose legend is the question.
    enthusiastic = wave.questions.get(key="enthusiastic")
    assert f'<legend class="question-text">{escape(enthusiastic.text)}' in text
    assert text.count('name="enthusiastic"') == 5
    assert 'type="radio" id="q-enthusiastic-1" name="enthusiastic" value="1"' in text
    assert "Strongly disagree" in text and "Strongly agree" in text
    # Several choices: checkboxes; an open question: a labelled textarea.
    assert 'type="checkbox" id="q-platforms_used-1" name="platforms_used"' in text
    assert '<label class="question-text" for="q-what_should_change">' in text
    assert '<textarea id="q-what_should_change" name="what_should_change"' in text
    # The discipline question got its options at launch.
    assert 'name="discipline" value="customer_intimacy"' in text
    assert "Send my answers" in text and "Save and continue later" in text
    # Nothing about anyone: not even the person's own name or address.
    assert employee.user.email not in text


def test_survey_pages_are_not_cached_and_never_pass_the_link_on(client, wave, employee):
    link = link_of(employee)
    for response in (
        client.get(link),
        client.post(link, {"submit": "0"}),
        client.get("/survey/1-tampered/"),
    ):
        assert "no-store" in response["Cache-Control"]
        # Never the path (with the token) in a Referer header.
        assert response["Referrer-Policy"] == "strict-origin"


def test_works_for_a_logged_in_member_too(client, cast, wave, employee):
    client.force_login(cast.a[Role.OWNER].user)
    response = client.get(link_of(employee))
    assert response.status_code == 200
    assert "Send my answers" in response.content.decode()


# --- saving halfway and resuming ------------------------------------------------------


def test_save_halfway_and_continue_later(client, wave, employee):
    link = link_of(employee)
    response = client.post(
        link,
        {"submit": "0", "enthusiastic": "4", "platforms_used": ["linkedin", "x"]},
    )
    assert response.status_code == 302
    assert response["Location"] == link + "?saved=1"
    text = client.get(response["Location"]).content.decode()
    assert "Saved. You can close this page and continue later with the same link." in text

    assert ticket_of(wave, employee).status == TicketStatus.STARTED
    saved = Response.objects.get(wave=wave)
    assert saved.is_complete is False
    assert saved.answers == {"enthusiastic": 4, "platforms_used": ["linkedin", "x"]}

    # Later, a fresh browser with the same link: the answers are there.
    later = Client()
    text = later.get(link).content.decode()
    assert 'name="enthusiastic" value="4" checked' in text
    assert 'name="platforms_used" value="linkedin" checked' in text
    assert 'name="platforms_used" value="x" checked' in text
    assert 'name="platforms_used" value="instagram">' in text
    assert "Saved. You can close" not in text

    # The browser sends the page as it is: one answer added, the boxes unticked.
    later.post(link, {"submit": "0", "enthusiastic": "4", "managers_take_part": "3"})
    saved.refresh_from_db()
    assert saved.answers == {"enthusiastic": 4, "managers_take_part": 3}


def test_partial_answers_of_two_people_stay_apart(client, cast, wave, employee):
    client.post(link_of(employee), {"submit": "0", "enthusiastic": "5"})
    other = Client()
    text = other.get(link_of(cast.a[Role.EDITOR])).content.decode()
    assert 'value="5" checked' not in text


# --- errors ---------------------------------------------------------------------------


def test_missing_required_answer_is_shown_by_the_question(client, wave, employee):
    link = link_of(employee)
    client.post(link, {"submit": "0", "enthusiastic": "2"})
    before = list(Response.objects.values_list("answers", "is_complete"))

    data = full_answers(wave)
    del data["top_goals"]
    data["enthusiastic"] = "5"
    response = client.post(link, {**data, "submit": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    # Summary at the top, linked to the question; the error by the question itself.
    assert "One answer needs your attention" in text
    assert '<a href="#q-top_goals-1">Question 2: This question needs an answer.</a>' in text
    assert 'aria-describedby="q-top_goals-help q-top_goals-error"' in text
    assert 'id="q-top_goals-error"' in text
    # What was sent is still on the page, so nothing has to be typed again...
    assert 'name="enthusiastic" value="5" checked' in text
    assert "Meer uitleg graag." in text
    # ...but nothing was stored.
    assert list(Response.objects.values_list("answers", "is_complete")) == before
    assert ticket_of(wave, employee).status == TicketStatus.STARTED


def test_invalid_answers_are_refused_per_question(client, wave, employee):
    response = client.post(
        link_of(employee),
        {**full_answers(wave), "enthusiastic": "9", "discipline": "anything", "submit": "1"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "2 answers need your attention" in text
    assert "Choose one of the five answers." in text
    assert "Choose one of the options." in text
    assert not Response.objects.exists()
    assert ticket_of(wave, employee).status == TicketStatus.INVITED


def test_invalid_answer_refuses_a_partial_save_too(client, wave, employee):
    response = client.post(link_of(employee), {"submit": "0", "enthusiastic": "0"})
    assert response.status_code == 400
    assert not Response.objects.exists()


# --- sending --------------------------------------------------------------------------


def test_send_answers_then_the_link_is_used(client, wave, employee):
    link = link_of(employee)
    response = client.post(link, {**full_answers(wave), "submit": "1"})
    thanks = reverse("support:thanks", args=[ticket_of(wave, employee).token])
    assert response.status_code == 302
    assert response["Location"] == thanks
    assert ticket_of(wave, employee).status == TicketStatus.COMPLETED
    stored = Response.objects.get(wave=wave)
    assert stored.is_complete and stored.resume_key is None
    assert stored.answers["enthusiastic"] == 4
    assert stored.answers["platforms_used"] == ["instagram", "linkedin"]
    assert stored.understanding_score is not None

    page = client.get(thanks)
    assert page.status_code == 200
    assert "Thank you!" in page.content.decode()

    again = client.get(link)
    assert again.status_code == 410
    assert "You already answered this survey. Thank you!" in again.content.decode()
    # Sending again changes nothing.
    again = client.post(link, {**full_answers(wave), "enthusiastic": "1", "submit": "1"})
    assert again.status_code == 410
    assert Response.objects.get(wave=wave).answers["enthusiastic"] == 4


def test_closed_wave(client, cast, wave, employee):
    link = link_of(employee)
    client.post(link, {"submit": "0", "enthusiastic": "3"})
    actions.close_wave(wave, by=cast.a[Role.OWNER].user)
    response = client.get(link)
    assert response.status_code == 410
    assert "This survey has closed." in response.content.decode()
    response = client.post(link, {**full_answers(wave), "submit": "1"})
    assert response.status_code == 410
    assert not Response.objects.filter(is_complete=True).exists()


def test_wave_past_its_closing_time(client, wave, employee):
    wave.closes_at = timezone.now() - timedelta(minutes=1)
    wave.save(update_fields=["closes_at"])
    response = client.get(link_of(employee))
    assert response.status_code == 410
    assert "This survey has closed." in response.content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),
        lambda token: token.split("-")[0],
        lambda token: "x" + token,
        lambda token: str(int(token.split("-")[0]) + 1) + "-" + token.split("-")[1],
    ],
)
def test_tampered_link(client, wave, employee, mangle):
    token = ticket_of(wave, employee).token
    tampered = reverse("support:answer", args=[mangle(token)])
    response = client.get(tampered)
    assert response.status_code == 400
    assert "This survey link is not valid" in response.content.decode()
    response = client.post(tampered, {**full_answers(wave), "submit": "1"})
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert client.get(reverse("support:thanks", args=[mangle(token)])).status_code == 400


def test_thanks_only_after_sending(client, wave, employee):
    thanks = reverse("support:thanks", args=[ticket_of(wave, employee).token])
    response = client.get(thanks)
    assert response.status_code == 400
    assert client.post(thanks, {"ambassador": "on"}).status_code == 400
    assert ticket_of(wave, employee).ambassador_opt_in is False


# --- the ambassador choice ------------------------------------------------------------


def test_ambassador_opt_in_is_stored_on_the_ticket(client, wave, employee):
    client.post(link_of(employee), {**full_answers(wave), "submit": "1"})
    thanks = reverse("support:thanks", args=[ticket_of(wave, employee).token])
    text = client.get(thanks).content.decode()
    assert (
        "Would you like to join the ambassador team? If you tick this, your name is shared "
        "with the social media team — separately from your answers." in text
    )
    assert "not anonymous" in text

    response = client.post(thanks, {"ambassador": "on"})
    assert response.status_code == 302
    assert ticket_of(wave, employee).ambassador_opt_in is True
    text = client.get(response["Location"]).content.decode()
    assert "Your name is passed on to the social media team." in text
    assert (
        'name="ambassador" id="id_ambassador" aria-describedby="ambassador-explained" checked'
        in text
    )

    client.post(thanks, {})
    assert ticket_of(wave, employee).ambassador_opt_in is False
    # The choice is on the ticket only: the answers know nothing of it.
    assert "ambassador" not in Response.objects.get().answers


def test_the_used_link_page_offers_the_ambassador_choice(client, wave, employee):
    link = link_of(employee)
    client.post(link, {**full_answers(wave), "submit": "1"})
    text = client.get(link).content.decode()
    assert reverse("support:thanks", args=[ticket_of(wave, employee).token]) in text


def test_the_survey_speaks_the_wave_language_unless_chosen(wave, employee):
    """The questions and the e-mail are in the wave's language (here English); a visitor
    who chose a language keeps it."""
    assert wave.language == "en"
    assert '<html lang="en">' in Client().get(link_of(employee)).content.decode()
    dutch_browser = Client(HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="en">' in dutch_browser.get(link_of(employee)).content.decode()
    chose_dutch = Client()
    chose_dutch.cookies["koers_language"] = "nl"
    assert '<html lang="nl">' in chose_dutch.get(link_of(employee)).content.decode()

"""Answering a pulse survey through the personal link (no login needed).

The link is the credential: it is checked on every request, and these pages show
nothing but the survey itself, never anything about other people. The answers are
saved by ``actions.save_answers``, which keeps them apart from the person. Because the
token is in the address, the pages are not cached and never pass it on as a referrer.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from koers.orgs.access import public_view
from koers.support import actions
from koers.support.forms import AmbassadorForm, collect_answers
from koers.support.models import Question, QuestionKind, TicketStatus, find_ticket

LIKERT_SCALE = (
    ("1", _("Strongly disagree")),
    ("2", _("Disagree")),
    ("3", _("Neither agree nor disagree")),
    ("4", _("Agree")),
    ("5", _("Strongly agree")),
)

PROBLEM_STATUS = {"invalid": 400, "used": 410, "closed": 410}


def _private(view):
    """The token is in the address: no cache may keep the page, and no request from it
    may pass the address on. "strict-origin" sends at most the site's origin, never the
    path; "no-referrer" would do no more for the token, but makes browsers send
    ``Origin: null`` with the page's own forms, which the CSRF check refuses."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapper


def _settings_of(request, ticket) -> ExitStack:
    """The organisation's time zone, and the wave's language unless the visitor chose
    one: the questions and the e-mail with the link are in that language."""
    stack = ExitStack()
    stack.enter_context(timezone.override(ticket.organisation.zone))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        stack.enter_context(translation.override(ticket.wave.language))
    return stack


def _problem(request, code: str, ticket=None):
    return render(
        request,
        "support/answer_problem.html",
        {
            "problem": code,
            "wave": ticket.wave if ticket else None,
            "token": ticket.token if ticket else "",
        },
        status=PROBLEM_STATUS[code],
    )


@dataclass
class Item:
    """One question as the survey page draws it: its choices, what is chosen, errors."""

    question: Question
    number: int
    choices: list[tuple[str, str]]
    chosen: set[str] = field(default_factory=set)
    text: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def widget(self) -> str:
        kind = self.question.kind
        if kind == QuestionKind.TEXT:
            return "textarea"
        if kind in {QuestionKind.MULTIPLE, QuestionKind.TOP_GOALS}:
            return "checkbox"
        return "radio"

    @property
    def is_likert(self) -> bool:
        return self.question.kind == QuestionKind.LIKERT

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help_text:
            ids.append(f"q-{self.key}-help")
        if self.errors:
            ids.append(f"q-{self.key}-error")
        return " ".join(ids)

    @property
    def first_id(self) -> str:
        """Where the error summary sends the reader: the first input of the question."""
        return f"q-{self.key}" if self.widget == "textarea" else f"q-{self.key}-1"


def _choices(question: Question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.LIKERT:
        return [(value, str(label)) for value, label in LIKERT_SCALE]
    return [(option["value"], option["label"]) for option in question.options]


def _items(questions: list[Question], values: dict, errors: dict) -> list[Item]:
    items = []
    for number, question in enumerate(questions, start=1):
        value = values.get(question.key)
        item = Item(question, number, _choices(question), errors=errors.get(question.key, []))
        if question.kind == QuestionKind.TEXT:
            item.text = value or ""
        elif isinstance(value, list | tuple):
            item.chosen = {str(v) for v in value}
        elif value not in (None, ""):
            item.chosen = {str(value)}
        items.append(item)
    return items


def _survey(request, ticket, questions, *, values, errors=None, saved=False, status=200):
    errors = errors or {}
    items = _items(questions, values, errors)
    return render(
        request,
        "support/answer.html",
        {
            "wave": ticket.wave,
            "organisation": ticket.organisation,
            "items": items,
            "invalid": [item for item in items if item.errors],
            "general_errors": errors.get(None, []),
            "saved": saved,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@public_view("the personal survey link is the credential; checked here")
@_private
def answer(request, token):
    ticket = find_ticket(token)
    try:
        actions.check_link(ticket)
    except actions.LinkProblem as problem:
        if ticket is None:
            return _problem(request, problem.code)
        with _settings_of(request, ticket):
            return _problem(request, problem.code, ticket)
    questions = list(ticket.wave.questions.all())
    with _settings_of(request, ticket):
        if request.method == "POST":
            submit = request.POST.get("submit") == "1"
            answers = collect_answers(questions, request.POST)
            try:
                actions.save_answers(token, ticket, answers, submit=submit)
            except actions.LinkProblem as problem:
                # Answered in another tab, or the wave closed while this page was open.
                return _problem(request, problem.code, ticket)
            except ValidationError as error:
                errors = (
                    error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
                )
                # Nothing was saved: show what was sent, over what was saved before.
                values = {**actions.saved_answers(token), **answers}
                return _survey(request, ticket, questions, values=values, errors=errors, status=400)
            if submit:
                return redirect("support:thanks", token=token)
            return redirect(reverse("support:answer", args=[token]) + "?saved=1")
        return _survey(
            request,
            ticket,
            questions,
            values=actions.saved_answers(token),
            saved=request.GET.get("saved") == "1",
        )


@require_http_methods(["GET", "POST"])
@public_view("the personal survey link is the credential; checked here")
@_private
def thanks(request, token):
    ticket = find_ticket(token)
    if ticket is None or ticket.status != TicketStatus.COMPLETED:
        return _problem(request, "invalid")
    if request.method == "POST":
        form = AmbassadorForm(request.POST)
        if form.is_valid():
            actions.set_ambassador_opt_in(ticket, opt_in=form.cleaned_data["ambassador"])
            return redirect(reverse("support:thanks", args=[token]) + "?saved=1")
    form = AmbassadorForm(initial={"ambassador": ticket.ambassador_opt_in})
    with _settings_of(request, ticket):
        return render(
            request,
            "support/answer_thanks.html",
            {
                "wave": ticket.wave,
                "organisation": ticket.organisation,
                "form": form,
                "opted_in": ticket.ambassador_opt_in,
                "saved": request.GET.get("saved") == "1",
            },
        )

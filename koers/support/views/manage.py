"""Running pulse surveys (owner, manager, strategist): waves, their questions,
launching, reminding and closing.

Thin adapters: the wave or question comes through the chokepoints in
``orgs/access.py``, input through ``support/forms.py``, changes through
``support/actions.py``. Questions can only change while the wave is being prepared;
once it is launched, every member has the same questions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.orgs import access
from koers.orgs.access import org_view
from koers.support import actions, results
from koers.support.forms import CHOICE_KINDS, QuestionForm, WaveForm
from koers.support.models import Question, TicketStatus, Wave, WaveStatus


def _wave_url(request, wave: Wave, anchor: str = "") -> str:
    url = reverse("support:wave", kwargs={"org_slug": request.org.slug, "number": wave.number})
    return f"{url}#{anchor}" if anchor else url


def _draft_wave(request, number: int) -> Wave:
    """A wave in preparation, for writing; launched and closed waves are not editable."""
    wave = access.get_wave(request, number, write=True)
    if wave.status != WaveStatus.DRAFT:
        raise Http404
    return wave


def _data(request):
    return request.POST if request.method == "POST" else None


def _percent(answered: int, invited: int) -> int | None:
    return round(answered * 100 / invited) if invited else None


# --- the list of waves ----------------------------------------------------------------


@require_GET
@org_view("support.manage")
def waves(request):
    rows = list(
        Wave.objects.for_org(request.org).annotate(
            invited=Count("tickets"),
            answered=Count("tickets", filter=Q(tickets__status=TicketStatus.COMPLETED)),
        )
    )
    for row in rows:
        row.percent = _percent(row.answered, row.invited)
    return render(request, "support/manage_waves.html", {"waves": rows})


# --- one wave -------------------------------------------------------------------------


def _wave_context(wave: Wave) -> dict:
    context: dict = {"wave": wave, "choice_kinds": CHOICE_KINDS}
    if wave.status == WaveStatus.DRAFT:
        context["questions"] = list(wave.questions.all())
        context["problems"] = actions.launch_problems(wave)
    else:
        overall, rates = results.response_rates(wave)
        overall.percent = _percent(overall.answered, overall.invited)
        for rate in rates:
            rate.percent = _percent(rate.answered, rate.invited)
        context["overall"], context["rates"] = overall, rates
        context["question_count"] = wave.questions.count()
    return context


@require_GET
@org_view("support.manage")
def wave(request, number):
    wave = access.get_wave(request, number, write=True)
    return render(request, "support/manage_wave.html", _wave_context(wave))


@require_http_methods(["GET", "POST"])
@org_view("support.manage")
def wave_create(request):
    form = WaveForm(_data(request), instance=Wave(organisation=request.org))
    if request.method == "POST" and form.is_valid():
        try:
            wave = actions.create_wave(
                request.org,
                by=request.user,
                # The organisation's language: the questions go to everyone.
                language=request.org.default_language,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Wave %(number)s is being prepared, with the standard questions.")
                % {"number": wave.number},
            )
            return redirect(_wave_url(request, wave))
    return render(
        request,
        "support/manage_wave_form.html",
        {"form": form, "wave": None},
        status=400 if form.errors else 200,
    )


@transaction.atomic
@require_http_methods(["GET", "POST"])
@org_view("support.manage")
def wave_edit(request, number):
    wave = _draft_wave(request, number)
    form = WaveForm(_data(request), instance=wave)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_wave(wave, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Wave details saved."))
            return redirect(_wave_url(request, wave))
    # The form changed the instance while validating; the page shows the saved wave.
    wave.refresh_from_db()
    return render(
        request,
        "support/manage_wave_form.html",
        {"form": form, "wave": wave},
        status=400 if form.errors else 200,
    )


# --- questions ------------------------------------------------------------------------


def _question_page(request, form, wave: Wave, question: Question | None):
    return render(
        request,
        "support/manage_question_form.html",
        {"form": form, "wave": wave, "question": question},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@org_view("support.manage")
def question_create(request, number):
    wave = _draft_wave(request, number)
    question = Question(organisation=request.org, wave=wave)
    form = QuestionForm(_data(request), instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.save_question(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error, aliases={"options": "options_text"})
        else:
            messages.success(request, _("Question added."))
            return redirect(_wave_url(request, wave, f"question-{question.pk}"))
    return _question_page(request, form, wave, None)


@require_http_methods(["GET", "POST"])
@org_view("support.manage")
def question_edit(request, number, pk):
    question = access.get_wave_question(request, number, pk, write=True)
    wave = question.wave
    form = QuestionForm(_data(request), instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.save_question(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error, aliases={"options": "options_text"})
        else:
            messages.success(request, _("Question saved."))
            return redirect(_wave_url(request, wave, f"question-{question.pk}"))
    return _question_page(request, form, wave, question)


@require_POST
@org_view("support.manage")
def question_delete(request, number, pk):
    question = access.get_wave_question(request, number, pk, write=True)
    wave = question.wave
    try:
        actions.remove_question(question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question “%(text)s” was removed.") % {"text": question})
    return redirect(_wave_url(request, wave, "questions-heading"))


# --- launching, reminding, closing ----------------------------------------------------


@require_POST
@org_view("support.manage")
def launch(request, number):
    wave = access.get_wave(request, number, write=True)
    try:
        wave = actions.launch_wave(wave, by=request.user, request=request)
    except ValidationError as error:
        context = _wave_context(wave)
        context.update(problems=error.messages, refused=True)
        return render(request, "support/manage_wave.html", context, status=400)
    messages.success(
        request,
        ngettext(
            "Wave launched: %(count)d person invited. The personal links are on their way.",
            "Wave launched: %(count)d people invited. The personal links are on their way.",
            wave.member_count,
        )
        % {"count": wave.member_count},
    )
    return redirect(_wave_url(request, wave))


@require_POST
@org_view("support.manage")
def remind(request, number):
    wave = access.get_wave(request, number, write=True)
    try:
        count = actions.remind(wave, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder is on its way to %(count)d person.",
                    "A reminder is on its way to %(count)d people.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(
                request,
                _(
                    "Nobody was reminded: everyone has answered, or had a reminder in "
                    "the last 20 hours."
                ),
            )
    return redirect(_wave_url(request, wave))


@require_POST
@org_view("support.manage")
def close(request, number):
    wave = access.get_wave(request, number, write=True)
    try:
        actions.close_wave(wave, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The wave is closed: no more answers are accepted."))
    return redirect(_wave_url(request, wave))

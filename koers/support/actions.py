"""Writes on draagvlak: waves and their questions, launching, answering, closing.

Answering is the delicate part: a response is found and saved through the member's
link only, and the ticket (who) and the response (what) are written without anything
that ties one to the other.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.orgs.capabilities import Role
from koers.orgs.models import Membership
from koers.strategy.models import Status as StrategyStatus
from koers.strategy.models import StrategyVersion
from koers.strategy.playbook_types import DISCIPLINES
from koers.strategy.playbooks import get_playbook
from koers.support import index
from koers.support.models import (
    Question,
    QuestionKind,
    Response,
    Ticket,
    TicketStatus,
    Wave,
    WaveStatus,
    resume_key_for,
)
from koers.support.question_bank import standard_questions

log = logging.getLogger(__name__)

MANAGEMENT_ROLES = {Role.OWNER, Role.MANAGER}
# Advisors are outside the organisation: they are not asked.
SURVEYED_ROLES = set(Role) - {Role.ADVISOR}
REMINDER_INTERVAL = timedelta(hours=20)
DISTRACTORS = 3


class LinkProblem(Exception):
    """Why a survey link cannot be used: "invalid", "used" or "closed"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _require_draft(wave: Wave) -> None:
    if wave.status != WaveStatus.DRAFT:
        raise ValidationError(_("This wave has been launched; its questions are fixed."))


@transaction.atomic
def create_wave(
    organisation,
    *,
    by,
    title: str,
    language: str,
    intro: str = "",
    closes_at=None,
    min_group_size: int = index.DEFAULT_MINIMUM_GROUP,
    request=None,
) -> Wave:
    """A new wave in preparation, with the standard questions of the bank."""
    latest = Wave.objects.for_org(organisation).aggregate(n=Max("number"))["n"] or 0
    wave = Wave(
        organisation=organisation,
        number=latest + 1,
        title=title.strip(),
        intro=intro.strip(),
        closes_at=closes_at,
        min_group_size=min_group_size,
        created_by=by,
        language=language,
    )
    wave.full_clean()
    wave.save()
    for position, bank in enumerate(standard_questions()):
        Question.objects.create(
            organisation=organisation,
            wave=wave,
            key=bank.key,
            kind=bank.kind,
            component=bank.component,
            text=bank.text.get(language),
            help_text=bank.help_text.get(language) if bank.help_text else "",
            options=[{"value": o.value, "label": o.label.get(language)} for o in bank.options],
            required=bank.required,
            position=position,
            bank_key=bank.key,
        )
    record_event(
        organisation, action=Action.WAVE_CREATED, by=by, request=request, target=wave.title
    )
    return wave


@transaction.atomic
def update_wave(
    wave: Wave, *, by, title: str, intro: str, closes_at, min_group_size: int, request=None
) -> Wave:
    """The details of a wave in preparation (its questions change through
    ``save_question``)."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    _require_draft(wave)
    wave.title, wave.intro = title.strip(), intro.strip()
    wave.closes_at, wave.min_group_size = closes_at, min_group_size
    wave.full_clean()
    wave.save(update_fields=["title", "intro", "closes_at", "min_group_size"])
    return wave


@transaction.atomic
def save_question(question: Question, *, by) -> Question:
    """Add or change a question of a wave in preparation (custom questions too)."""
    _require_draft(question.wave)
    question.organisation_id = question.wave.organisation_id
    if not question.key:
        base = slugify(question.text)[:50] or "vraag"
        key, n = base, 2
        while Question.objects.filter(wave=question.wave, key=key).exists():
            key, n = f"{base}-{n}", n + 1
        question.key = key
    if question.pk is None and not question.position:
        last = Question.objects.filter(wave=question.wave).aggregate(n=Max("position"))["n"]
        question.position = (last or 0) + 1
    if question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE} and len(question.options) < 2:
        raise ValidationError({"options": _("Give at least two options, one per line.")})
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def remove_question(question: Question, *, by) -> None:
    _require_draft(question.wave)
    question.delete()


def _stable_order(values: list[dict], seed: str) -> list[dict]:
    """A fixed shuffle: the same for everyone in a wave, different between waves."""
    return sorted(values, key=lambda o: hashlib.sha256(f"{seed}:{o['value']}".encode()).hexdigest())


def _understanding_options(wave: Wave, strategy: StrategyVersion, language: str):
    disciplines = [{"value": d, "label": get_playbook(d).name.get(language)} for d in DISCIPLINES]
    goals = [
        {"value": str(goal.key), "label": goal.title}
        for goal in strategy.socialgoals.filter(parent__isnull=True)
    ]
    own = set(strategy.socialgoals.values_list("playbook_key", flat=True))
    others = [d for d in DISCIPLINES if d != strategy.primary_discipline]
    distractors = []
    for discipline in others:
        for proposal in get_playbook(discipline).social_goals:
            if proposal.key not in own:
                distractors.append(
                    {"value": f"x-{proposal.key}", "label": proposal.title.get(language)}
                )
    distractors = _stable_order(distractors, f"{wave.pk}")[:DISTRACTORS]
    return disciplines, _stable_order(goals + distractors, f"{wave.pk}")


def launch_problems(wave: Wave) -> list[str]:
    problems = []
    if wave.status != WaveStatus.DRAFT:
        problems.append(_("This wave has already been launched."))
    if not wave.questions.exists():
        problems.append(_("Add at least one question."))
    if (
        Wave.objects.for_org(wave.organisation)
        .filter(status=WaveStatus.OPEN)
        .exclude(pk=wave.pk)
        .exists()
    ):
        problems.append(
            _(
                "Another wave is still open: close it first, so that nobody has two survey "
                "links at once."
            )
        )
    if wave.closes_at is None or wave.closes_at <= timezone.now():
        problems.append(_("Set a closing date in the future."))
    understanding = wave.questions.filter(
        kind__in=[QuestionKind.DISCIPLINE, QuestionKind.TOP_GOALS]
    ).exists()
    published = (
        StrategyVersion.objects.for_org(wave.organisation)
        .filter(status=StrategyStatus.PUBLISHED)
        .first()
    )
    if understanding and published is None:
        problems.append(
            _(
                "The understanding questions are scored against the published "
                "strategy: publish the strategy first, or remove them."
            )
        )
    return problems


@transaction.atomic
def launch_wave(wave: Wave, *, by, request=None) -> Wave:
    """Open the wave: fix the questions, make a personal link for every member, and
    e-mail the links (after commit)."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    problems = launch_problems(wave)
    if problems:
        raise ValidationError(problems)
    strategy = (
        StrategyVersion.objects.for_org(wave.organisation)
        .filter(status=StrategyStatus.PUBLISHED)
        .first()
    )
    if strategy is not None:
        disciplines, goals = _understanding_options(wave, strategy, wave.language)
        wave.questions.filter(kind=QuestionKind.DISCIPLINE).update(options=disciplines)
        wave.questions.filter(kind=QuestionKind.TOP_GOALS).update(options=goals)
    members = Membership.objects.for_org(wave.organisation).filter(
        role__in=SURVEYED_ROLES, user__is_active=True
    )
    Ticket.objects.bulk_create(
        Ticket(
            organisation=wave.organisation,
            wave=wave,
            membership=m,
            department_id=m.department_id,
            is_management=m.role in MANAGEMENT_ROLES,
        )
        for m in members
    )
    wave.status, wave.launched_at = WaveStatus.OPEN, timezone.now()
    wave.strategy_version = strategy
    wave.member_count = members.count()
    wave.save(update_fields=["status", "launched_at", "strategy_version", "member_count"])
    record_event(
        wave.organisation,
        action=Action.WAVE_LAUNCHED,
        by=by,
        request=request,
        target=wave.title,
        details={"invited": wave.member_count},
    )
    from koers.support.tasks import send_wave_links

    transaction.on_commit(lambda: queue(send_wave_links, wave.pk))
    return wave


@transaction.atomic
def remind(wave: Wave, *, by, request=None) -> int:
    """Remind everyone who has not finished (at most once per 20 hours each)."""
    if not wave.is_open:
        raise ValidationError(_("Only an open wave can send reminders."))
    due = (
        Ticket.objects.filter(wave=wave)
        .exclude(status=TicketStatus.COMPLETED)
        .exclude(last_reminded_at__gt=timezone.now() - REMINDER_INTERVAL)
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    record_event(
        wave.organisation,
        action=Action.WAVE_REMINDED,
        by=by,
        request=request,
        target=wave.title,
        details={"reminded": len(ids)},
    )
    from koers.support.tasks import send_reminders

    transaction.on_commit(lambda: queue(send_reminders, wave.pk, ids))
    return len(ids)


def check_link(ticket: Ticket | None) -> Ticket:
    if ticket is None:
        raise LinkProblem("invalid")
    if ticket.status == TicketStatus.COMPLETED:
        raise LinkProblem("used")
    if not ticket.wave.is_open:
        raise LinkProblem("closed")
    return ticket


def _clean_answer(question: Question, value):
    """The answer in its stored form, or ValidationError with a sentence for people."""
    if value in (None, "", []):
        return None
    values = {o["value"] for o in question.options}
    if question.kind == QuestionKind.LIKERT:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose one of the five answers.")) from None
        if not 1 <= number <= 5:
            raise ValidationError(_("Choose one of the five answers."))
        return number
    if question.kind in {QuestionKind.SINGLE, QuestionKind.DISCIPLINE}:
        if value not in values:
            raise ValidationError(_("Choose one of the options."))
        return value
    if question.kind in {QuestionKind.MULTIPLE, QuestionKind.TOP_GOALS}:
        chosen = [value] if isinstance(value, str) else list(value)
        if any(v not in values for v in chosen):
            raise ValidationError(_("Choose from the options."))
        return sorted(set(chosen))
    text = str(value).strip()
    if len(text) > 2000:
        raise ValidationError(_("Keep it under 2,000 characters."))
    return text or None


def _scores(wave: Wave, questions: list[Question], answers: dict) -> dict:
    by_component: dict[str, list[int]] = {"support": [], "example": []}
    for question in questions:
        if question.kind == QuestionKind.LIKERT and question.component in by_component:
            by_component[question.component].append(answers.get(question.key))
    strategy = wave.strategy_version
    understanding = None
    asked = {
        q.kind: q for q in questions if q.kind in {QuestionKind.DISCIPLINE, QuestionKind.TOP_GOALS}
    }
    if strategy is not None and asked:
        goals = []
        if QuestionKind.TOP_GOALS in asked:
            goals = [
                str(k)
                for k in strategy.socialgoals.filter(parent__isnull=True).values_list(
                    "key", flat=True
                )
            ]
        understanding = index.understanding_score(
            named_discipline=answers.get(asked[QuestionKind.DISCIPLINE].key)
            if QuestionKind.DISCIPLINE in asked
            else None,
            discipline=strategy.primary_discipline if QuestionKind.DISCIPLINE in asked else None,
            picked_goals=answers.get(asked[QuestionKind.TOP_GOALS].key) or []
            if QuestionKind.TOP_GOALS in asked
            else [],
            goals=goals,
        )
    return {
        "support_score": index.likert_score(by_component["support"]),
        "example_score": index.likert_score(by_component["example"]),
        "understanding_score": understanding,
    }


@transaction.atomic
def save_answers(token: str, ticket: Ticket, answers: dict, *, submit: bool) -> Response:
    """Save (and with ``submit``, hand in) the answers given through a member's link.

    Errors come back per question key; nothing is saved when any answer is invalid.
    """
    ticket = Ticket.objects.select_for_update().select_related("wave").get(pk=ticket.pk)
    check_link(ticket)
    wave = ticket.wave
    questions = list(wave.questions.all())
    cleaned, errors = {}, {}
    for question in questions:
        if question.key not in answers:
            continue
        try:
            cleaned[question.key] = _clean_answer(question, answers[question.key])
        except ValidationError as error:
            errors[question.key] = error.messages
    key = resume_key_for(token)
    response = Response.objects.filter(resume_key=key).first() or Response(
        organisation=wave.organisation,
        wave=wave,
        resume_key=key,
        department_id=None if ticket.is_management else ticket.department_id,
        is_management=ticket.is_management,
    )
    merged = {**response.answers, **{k: v for k, v in cleaned.items()}}
    merged = {k: v for k, v in merged.items() if v is not None}
    if submit:
        for question in questions:
            if question.required and question.key not in merged and question.key not in errors:
                errors[question.key] = [_("This question needs an answer.")]
    if errors:
        raise ValidationError(errors)
    response.answers = merged
    if submit:
        for name, value in _scores(wave, questions, merged).items():
            setattr(response, name, value)
        response.is_complete = True
        response.resume_key = None
        ticket.status = TicketStatus.COMPLETED
    else:
        ticket.status = TicketStatus.STARTED
    response.save()
    ticket.save(update_fields=["status"])
    return response


def saved_answers(token: str) -> dict:
    """The answers saved so far through this link (for resuming)."""
    response = Response.objects.filter(resume_key=resume_key_for(token)).first()
    return dict(response.answers) if response else {}


@transaction.atomic
def set_ambassador_opt_in(ticket: Ticket, *, opt_in: bool) -> None:
    """After answering, the member may put their name forward (not anonymous)."""
    Ticket.objects.filter(pk=ticket.pk).update(ambassador_opt_in=opt_in)


@transaction.atomic
def close_wave(wave: Wave, *, by=None, request=None) -> Wave:
    """Close the wave: no more answers, and unfinished responses lose their link."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("Only an open wave can be closed."))
    Response.objects.filter(wave=wave).update(resume_key=None)
    wave.status, wave.closed_at = WaveStatus.CLOSED, timezone.now()
    wave.active_members = count_active_members(wave)
    wave.save(update_fields=["status", "closed_at", "active_members"])
    record_event(
        wave.organisation, action=Action.WAVE_CLOSED, by=by, request=request, target=wave.title
    )
    return wave


def count_active_members(wave: Wave) -> int:
    """Members who did something in Koers during the wave's period (from launch to
    closing): submitted an idea or did a role task. Sharing posts and answering in
    webcare come in later issues; each adds its own signal to
    ``content.actions.active_member_ids``."""
    from koers.content.actions import active_member_ids

    start = wave.launched_at or wave.created_at
    end = wave.closed_at or timezone.now()
    return len(active_member_ids(wave.organisation, start, end))


def close_expired_waves() -> int:
    """Close open waves whose closing time has passed (run by the worker)."""
    closed = 0
    for wave in Wave.objects.filter(status=WaveStatus.OPEN, closes_at__lte=timezone.now()):
        close_wave(wave)
        closed += 1
    return closed

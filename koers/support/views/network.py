"""The ambassador network (for the social media team, and every member's own page) and
the maturity self-assessment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.orgs import access
from koers.orgs.access import org_view
from koers.strategy.models import PLATFORM_LABELS
from koers.support import maturity as model
from koers.support import network
from koers.support.models import Ambassador, AmbassadorStatus, MaturityAssessment
from koers.support.network_forms import (
    AssessmentForm,
    InviteForm,
    ProfileForm,
    ProposeForm,
    TeamForm,
)


def _language() -> str:
    return "nl" if (get_language() or "").startswith("nl") else "en"


# --- the network, for the social media team -------------------------------------------


def _ambassadors_page(request, *, team_form=None, propose_form=None, status=200):
    org = request.org
    people = network.network_of(org)
    for person in people:
        person.channel_names = [PLATFORM_LABELS[c] for c in person.channels if c in PLATFORM_LABELS]
    by_status = {s: [a for a in people if a.status == s] for s in AmbassadorStatus.values}
    teams = network.teams_with_members(org, people)
    context = {
        "candidates": by_status[AmbassadorStatus.CANDIDATE],
        "invited": by_status[AmbassadorStatus.INVITED],
        "active": by_status[AmbassadorStatus.ACTIVE],
        "declined": by_status[AmbassadorStatus.DECLINED],
        # A team can go (its ambassadors keep their place): they are listed on their own.
        "without_team": [a for a in by_status[AmbassadorStatus.ACTIVE] if a.team_id is None],
        "teams": teams,
        "team_choices": [view.team for view in teams],
        "coverage": network.coverage(org, people),
        "suggestions": network.activity_candidates(org),
        "team_form": team_form or TeamForm(),
        "propose_form": propose_form or ProposeForm(organisation=org),
    }
    return render(request, "support/network_ambassadors.html", context, status=status)


@require_GET
@org_view("support.manage")
def ambassadors(request):
    # Survey opt-ins become candidates when the team looks at the network: the opt-in is
    # given after answering, at any time while a wave is open.
    network.sync_candidates(request.org)
    return _ambassadors_page(request)


@require_POST
@org_view("support.manage")
def ambassador_propose(request):
    form = ProposeForm(request.POST, organisation=request.org)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            network.propose_ambassador(
                request.org, membership=membership, by=request.user, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is now a candidate ambassador.") % {"name": membership.user}
            )
            return redirect("support:ambassadors", org_slug=request.org.slug)
    return _ambassadors_page(request, propose_form=form, status=400)


@require_POST
@org_view("support.manage")
def team_create(request):
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = network.create_team(
                request.org,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("support:ambassadors", org_slug=request.org.slug)
    return _ambassadors_page(request, team_form=form, status=400)


@require_POST
@org_view("support.manage")
def ambassador_invite(request, pk):
    ambassador = access.get_ambassador(request, pk, write=True)
    form = InviteForm(request.POST, organisation=request.org)
    if form.is_valid():
        try:
            network.invite_ambassador(
                ambassador, team=form.cleaned_data["team"], by=request.user, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited to %(team)s and gets an e-mail.")
                % {"name": ambassador.membership.user, "team": form.cleaned_data["team"]},
            )
            return redirect("support:ambassadors", org_slug=request.org.slug)
    problems = " ".join(message for errors in form.errors.values() for message in errors)
    messages.error(
        request,
        _("%(name)s was not invited: %(problems)s")
        % {"name": ambassador.membership.user, "problems": problems},
    )
    return _ambassadors_page(request, status=400)


# --- the member's own page ------------------------------------------------------------


MINE_ACTIONS = {"volunteer", "accept", "decline", "leave", "profile"}


def _answer(request, ambassador, action: str) -> str:
    """Carry out the member's choice; returns the message to show."""
    if action == "volunteer":
        network.propose_ambassador(
            request.org,
            membership=request.membership,
            by=request.user,
            volunteered=True,
            request=request,
        )
        return _("Thank you! The social media team will get in touch about a team.")
    if ambassador is None:
        raise ValidationError(_("You are not in the ambassador network."))
    if action == "accept":
        network.accept_ambassador_invitation(ambassador, by=request.user, request=request)
        return _("Welcome to the ambassador team!")
    network.decline_ambassador(ambassador, by=request.user, request=request)
    if action == "leave":
        return _("You have left the ambassador network. Thank you for all you did!")
    return _("Understood. You can still put your name forward later.")


@require_http_methods(["GET", "POST"])
@org_view("org.view")
def my_ambassador(request):
    """The member's own place in the network: put your name forward, answer an
    invitation, or keep your profile up to date."""
    membership = request.membership
    ambassador = (
        Ambassador.objects.select_related("team")
        .filter(organisation=request.org, membership=membership)
        .first()
    )
    is_active = ambassador is not None and ambassador.status == AmbassadorStatus.ACTIVE
    profile_form = None
    if is_active:
        ambassador.membership = membership  # loaded already, with its user
        profile_form = ProfileForm(
            initial={"interests": ambassador.interests, "channels": ambassador.channels}
        )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in MINE_ACTIONS:
            return HttpResponseBadRequest(_("This action is not possible here."))
        if action == "profile":
            if not is_active:
                return HttpResponseBadRequest(_("Only an active ambassador has a profile."))
            profile_form = ProfileForm(request.POST)
            if profile_form.is_valid():
                try:
                    network.update_ambassador_profile(
                        ambassador,
                        interests=profile_form.cleaned_data["interests"],
                        channels=profile_form.cleaned_data["channels"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_errors(profile_form, error)
                else:
                    messages.success(request, _("Your ambassador profile is saved."))
                    return redirect("support:my_ambassador", org_slug=request.org.slug)
            status = 400
        else:
            try:
                message = _answer(request, ambassador, action)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, message)
                return redirect("support:my_ambassador", org_slug=request.org.slug)

    teammates = []
    if (
        ambassador is not None
        and ambassador.team_id
        and ambassador.status
        in {
            AmbassadorStatus.INVITED,
            AmbassadorStatus.ACTIVE,
        }
    ):
        teammates = list(
            Ambassador.objects.filter(team_id=ambassador.team_id, status=AmbassadorStatus.ACTIVE)
            .exclude(pk=ambassador.pk)
            .select_related("membership__user", "membership__department")
            .order_by("membership__user__name", "membership__user__email")
        )
    return render(
        request,
        "support/network_mine.html",
        {
            "ambassador": ambassador,
            "eligible": membership.role in network.ELIGIBLE_ROLES,
            "profile_form": profile_form,
            "teammates": teammates,
        },
        status=status,
    )


# --- maturity -------------------------------------------------------------------------


def _stage(number: int, language: str) -> dict:
    stage = model.stage(number)
    return {
        "number": stage.number,
        "name": stage.name.get(language),
        "text": stage.description.get(language),
    }


@require_GET
@org_view("support.view")
def maturity(request):
    """The model explained, this quarter's assessment and the history per quarter."""
    org = request.org
    language = _language()
    quarter = network.current_quarter(org)
    rows = network.history(org)
    history = [
        {
            "quarter": row.quarter,
            "stage": _stage(row.assessment.stage, language),
            "effective": row.effective,
        }
        for row in rows
    ]
    current = next((row for row in rows if row.quarter == quarter), None)
    details = []
    if current is not None:
        reasons = network.assessment_reasons(current.assessment, language)
        for dimension, effective in zip(model.DIMENSIONS, current.effective, strict=True):
            stored = current.assessment.evidence.get(dimension.key, {})
            assessed = current.assessment.levels.get(dimension.key)
            details.append(
                {
                    "name": dimension.name.get(language),
                    "assessed": assessed,
                    "cap": stored.get("level"),
                    "effective": effective,
                    "is_capped": effective is not None
                    and assessed is not None
                    and effective < assessed,
                    "because": reasons.get(dimension.key, ""),
                }
            )
    return render(
        request,
        "support/maturity.html",
        {
            "quarter": quarter,
            "current": current.assessment if current else None,
            "current_stage": _stage(current.assessment.stage, language) if current else None,
            "details": details,
            "history": history,
            "stages": [_stage(s.number, language) for s in model.STAGES],
            "dimensions": [
                {
                    "name": d.name.get(language),
                    "question": d.question.get(language),
                    "levels": [text.get(language) for text in d.levels],
                }
                for d in model.DIMENSIONS
            ],
            "dimension_names": [d.name.get(language) for d in model.DIMENSIONS],
        },
    )


@require_http_methods(["GET", "POST"])
@org_view("support.manage")
def maturity_assess(request):
    org = request.org
    language = _language()
    quarter = network.current_quarter(org)
    evidence = network.find_evidence(org)
    caps = model.caps(evidence)
    existing = MaturityAssessment.objects.filter(organisation=org, quarter=quarter).first()
    # Start from this quarter's answers, or else from the latest quarter's.
    previous = existing or MaturityAssessment.objects.filter(organisation=org).first()
    initial = dict(previous.levels) if previous else {}
    if existing is not None:
        initial["notes"] = existing.notes
    form = AssessmentForm(request.POST or None, language=language, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = network.save_maturity_assessment(
                org,
                levels=form.levels,
                notes=form.cleaned_data["notes"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved the assessment of %(quarter)s: stage %(stage)s, %(name)s.")
                % {
                    "quarter": assessment.quarter,
                    "stage": assessment.stage,
                    "name": model.stage(assessment.stage).name.get(language),
                },
            )
            return redirect("support:maturity", org_slug=org.slug)
    return render(
        request,
        "support/maturity_assess.html",
        {
            "form": form,
            "quarter": quarter,
            "existing": existing,
            "evidence": evidence,
            "caps": [
                {
                    "name": d.name.get(language),
                    "level": caps[d.key].level,
                    "because": caps[d.key].because(language),
                }
                for d in model.DIMENSIONS
            ],
        },
        status=400 if form.errors else 200,
    )

"""The access chokepoints: the only way views reach tenant data.

``org_view(capability)`` wraps every view under ``/o/<org_slug>/``: it resolves the
organisation through the user's membership (404 when there is none, so another
organisation's existence is never revealed), checks the capability (403), activates
the organisation's time zone and, when the organisation requires it, sends an owner
without two-factor authentication to set it up first.

``get_<object>(request, pk, *, write=False)`` fetches one object of the current
organisation: 404 when it belongs to another organisation, 403 when the role may
not write it. Views never call ``Model.objects.get(pk=...)`` on tenant data.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.orgs.capabilities import CAPABILITIES, Role, can
from koers.orgs.models import Department, Invitation, Membership

SESSION_ORG_KEY = "koers_org"


def get_membership(request, org_slug: str) -> Membership:
    """The current user's membership of the organisation, or 404."""
    if not request.user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organisation", "department")
        .filter(user=request.user, organisation__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def require(membership: Membership, capability: str) -> None:
    if not can(membership, capability):
        raise PermissionDenied


def org_view(capability: str):
    """Decorator for views under /o/<org_slug>/ that need ``capability``."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request, org_slug)
            request.membership = membership
            request.org = membership.organisation
            if needs_two_factor(membership):
                messages.warning(
                    request,
                    _(
                        "%(org)s asks owners to use two-factor authentication. Set up an "
                        "authenticator app to continue."
                    )
                    % {"org": request.org.name},
                )
                return redirect("mfa_activate_totp")
            require(membership, capability)
            if request.session.get(SESSION_ORG_KEY) != request.org.slug:
                request.session[SESSION_ORG_KEY] = request.org.slug
            # override, not activate: a server thread must not keep this organisation's
            # zone for the next request it serves.
            with timezone.override(request.org.zone):
                return view(request, *args, **kwargs)

        wrapper.koers_access = ("org", capability)
        return wrapper

    return decorator


def public_view(reason: str):
    """Marks a view anyone may open (the walker requires every view to be marked)."""

    def decorator(view):
        view.koers_access = ("public", reason)
        return view

    return decorator


def needs_two_factor(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and membership.organisation.require_two_factor_for_owners
        and not membership.user.has_totp
    )


def get_department(request, pk: int, *, write: bool = False) -> Department:
    department = Department.objects.filter(organisation=request.org, pk=pk).first()
    if department is None:
        raise Http404
    if write:
        require(request.membership, "departments.manage")
    return department


def get_member(request, pk: int, *, write: bool = False) -> Membership:
    member = (
        Membership.objects.select_related("user", "department")
        .filter(organisation=request.org, pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    if write:
        require(request.membership, "members.manage")
        if member.role == Role.OWNER:
            require(request.membership, "members.manage_owners")
    return member


def get_invitation(request, pk: int, *, write: bool = False) -> Invitation:
    invitation = Invitation.objects.filter(organisation=request.org, pk=pk).first()
    if invitation is None:
        raise Http404
    if write:
        require(request.membership, "members.manage")
        if invitation.role == Role.OWNER:
            require(request.membership, "members.manage_owners")
    return invitation


def get_api_token(request, pk: int):
    """One of the current user's own API tokens in this organisation."""
    from koers.api.models import ApiToken

    token = ApiToken.objects.filter(
        organisation=request.org, created_by=request.membership.user, pk=pk
    ).first()
    if token is None:
        raise Http404
    require(request.membership, "api_tokens.manage")
    return token


# --- strategy -------------------------------------------------------------------------


def get_strategy_version(request, number: int):
    """A published or earlier version of the strategy (drafts are reached through
    ``get_strategy_draft``)."""
    from koers.strategy.models import StrategyVersion

    version = (
        StrategyVersion.objects.for_org(request.org)
        .select_related("organisation", "published_by", "signed_off_by")
        .exclude(status="draft")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404
    return version


def get_strategy_draft(request):
    """The organisation's draft, for people who may edit the strategy; 404 when none."""
    from koers.strategy.models import StrategyVersion

    require(request.membership, "strategy.edit")
    draft = StrategyVersion.objects.for_org(request.org).draft().first()
    if draft is None:
        raise Http404
    return draft


def get_strategy_item(request, kind: str, pk: int, *, write: bool = False):
    """One goal, KPI, audience, channel or pillar of the organisation's draft (``kind``
    as in STRATEGY_ITEM_KINDS); only draft items can be reached for writing."""
    from koers.strategy.models import ITEM_KINDS

    model = ITEM_KINDS.get(kind)
    if model is None:
        raise Http404
    item = model.objects.select_related("version").filter(organisation=request.org, pk=pk).first()
    if item is None:
        raise Http404
    if write:
        require(request.membership, "strategy.edit")
        if not item.version.is_draft:
            raise Http404
    return item


# --- draagvlak ------------------------------------------------------------------------


def get_wave(request, number: int, *, write: bool = False):
    """One pulse-survey wave of the organisation, by its number."""
    from koers.support.models import Wave

    wave = Wave.objects.for_org(request.org).filter(number=number).first()
    if wave is None:
        raise Http404
    if write:
        require(request.membership, "support.manage")
    return wave


def get_wave_question(request, number: int, pk: int, *, write: bool = False):
    """One question of a wave; only questions of a wave in preparation can be written."""
    from koers.support.models import Question, WaveStatus

    question = (
        Question.objects.select_related("wave")
        .filter(organisation=request.org, wave__number=number, pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    if write:
        require(request.membership, "support.manage")
        if question.wave.status != WaveStatus.DRAFT:
            raise Http404
    return question


def get_ambassador(request, pk: int, *, write: bool = False):
    """One entry of the organisation's ambassador network."""
    from koers.support.models import Ambassador

    ambassador = (
        Ambassador.objects.select_related("membership__user", "team")
        .filter(organisation=request.org, pk=pk)
        .first()
    )
    if ambassador is None:
        raise Http404
    if write:
        require(request.membership, "support.manage")
    return ambassador


# --- guidelines -----------------------------------------------------------------------


def get_guideline(request, pk: int, *, write: bool = False):
    from koers.guidelines.models import Guideline

    guideline = Guideline.objects.for_org(request.org).filter(pk=pk).first()
    if guideline is None:
        raise Http404
    if write:
        require(request.membership, "guidelines.manage")
    return guideline


def get_guideline_version(request, pk: int):
    from koers.guidelines.models import GuidelineVersion

    version = GuidelineVersion.objects.filter(organisation=request.org, pk=pk).first()
    if version is None:
        raise Http404
    return version


# --- content --------------------------------------------------------------------------


def get_content_item(request, pk: int, *, write: bool = False):
    """One content item. Members who do not see the pipeline (``content.view``) reach
    only the ideas they submitted themselves. ``write``: the member may change it (an
    editor, or the submitter of an idea that is still an idea)."""
    from koers.content.actions import may_edit
    from koers.content.models import ContentItem

    item = (
        ContentItem.objects.for_org(request.org)
        .select_related("organisation", "submitted_by", "assignee")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    if not can(request.membership, "content.view") and item.submitted_by_id != request.user.pk:
        raise Http404
    if write and not may_edit(request.membership, item):
        raise PermissionDenied
    return item


def get_approval_step(request, pk: int):
    from koers.content.models import ApprovalStep

    step = ApprovalStep.objects.for_org(request.org).filter(pk=pk).first()
    if step is None:
        raise Http404
    require(request.membership, "content.manage_rules")
    return step


def get_review_link(request, pk: int):
    from koers.content.models import ReviewLink

    link = ReviewLink.objects.filter(organisation=request.org, pk=pk).first()
    if link is None:
        raise Http404
    require(request.membership, "content.edit")
    return link


def get_role_task(request, pk: int, *, write: bool = False):
    from koers.content.models import RoleTask

    task = RoleTask.objects.for_org(request.org).filter(pk=pk).first()
    if task is None:
        raise Http404
    if write:
        require(request.membership, "content.manage_rules")
    return task


# --- listening ------------------------------------------------------------------------


def get_source(request, pk: int, *, write: bool = False):
    from koers.listening.models import Source

    source = Source.objects.for_org(request.org).filter(pk=pk).first()
    if source is None:
        raise Http404
    if write:
        require(request.membership, "listening.manage")
    return source


def get_saved_query(request, pk: int, *, write: bool = False):
    from koers.listening.models import SavedQuery

    query = SavedQuery.objects.for_org(request.org).filter(pk=pk).first()
    if query is None:
        raise Http404
    if write:
        require(request.membership, "listening.manage")
    return query


def get_mention(request, pk: int, *, write: bool = False):
    """One mention; ``write``: correcting its sentiment or category."""
    from koers.listening.models import Mention

    mention = Mention.objects.for_org(request.org).select_related("source").filter(pk=pk).first()
    if mention is None:
        raise Http404
    if write:
        require(request.membership, "listening.correct")
    return mention


def get_stakeholder(request, pk: int, *, write: bool = False):
    from koers.listening.models import Stakeholder

    stakeholder = Stakeholder.objects.filter(organisation=request.org, pk=pk).first()
    if stakeholder is None:
        raise Http404
    if write:
        require(request.membership, "listening.manage")
    return stakeholder


def get_import_job(request, pk: int, *, write: bool = False):
    """One file import of the organisation; importing is managing listening."""
    from koers.listening.models import ImportJob

    job = ImportJob.objects.filter(organisation=request.org, pk=pk).first()
    if job is None:
        raise Http404
    if write:
        require(request.membership, "listening.manage")
    return job


# --- alerts ---------------------------------------------------------------------------


def get_alert_rule(request, pk: int, *, write: bool = False):
    from koers.alerts.models import AlertRule

    rule = AlertRule.objects.for_org(request.org).filter(pk=pk).first()
    if rule is None:
        raise Http404
    if write:
        require(request.membership, "alerts.manage")
    return rule


def get_alert_channel(request, pk: int, *, write: bool = False):
    from koers.alerts.models import Channel

    channel = Channel.objects.for_org(request.org).filter(pk=pk).first()
    if channel is None:
        raise Http404
    if write:
        require(request.membership, "alerts.manage")
    return channel


def get_alert(request, pk: int, *, write: bool = False):
    """One alert; ``write``: acknowledging, assigning, resolving, opening an incident."""
    from koers.alerts.models import Alert

    alert = Alert.objects.for_org(request.org).select_related("rule").filter(pk=pk).first()
    if alert is None:
        raise Http404
    if write:
        require(request.membership, "alerts.respond")
    return alert


def get_incident(request, pk: int, *, write: bool = False):
    from koers.alerts.models import Incident

    incident = Incident.objects.for_org(request.org).filter(pk=pk).first()
    if incident is None:
        raise Http404
    if write:
        require(request.membership, "alerts.respond")
    return incident


# --- publishing -----------------------------------------------------------------------


def get_channel_account(request, pk: int, *, write: bool = False):
    from koers.publishing.models import ChannelAccount

    account = ChannelAccount.objects.for_org(request.org).filter(pk=pk).first()
    if account is None:
        raise Http404
    if write:
        require(request.membership, "publishing.manage")
    return account


def get_publication(request, pk: int, *, write: bool = False):
    from koers.publishing.models import Publication

    publication = (
        Publication.objects.for_org(request.org)
        .select_related("account", "variant__item")
        .filter(pk=pk)
        .first()
    )
    if publication is None:
        raise Http404
    if write:
        require(request.membership, "publishing.manage")
    return publication

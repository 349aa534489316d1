"""The pipeline and its items: the idea inbox, the pipeline overview, an item's page
with its channel variants (checked live as they are written), its approvals and its
history, and the moves between states.

Thin adapters: resolve through ``orgs/access.py``, parse with ``content/forms.py``,
change through ``content/actions.py``. Every refusal of the workflow comes back as a
TransitionRefused with a code; ``actions.refusal_message`` words it for people.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from koers.adapters import add_errors
from koers.content import actions, workflow
from koers.content.forms import (
    NO_GOAL,
    IdeaForm,
    ItemCreateForm,
    ItemEditForm,
    OverrideForm,
    PipelineFilterForm,
    TransitionForm,
    VariantForm,
)
from koers.content.models import CHANNEL_CHOICES, ContentItem, State
from koers.content.views.selfcheck import _describe
from koers.orgs.access import get_content_item, org_view
from koers.orgs.capabilities import can
from koers.publishing.actions import item_publications

CHANNEL_LABELS = dict(CHANNEL_CHOICES)

# The pipeline's columns, in order. Finished items pile up over the years: those
# columns show the most recent ones and say how many there are.
COLUMNS = (
    ("idea", gettext_lazy("Ideas"), (State.IDEA,)),
    ("draft", gettext_lazy("Draft"), (State.DRAFT,)),
    ("in_review", gettext_lazy("In review"), (State.IN_REVIEW,)),
    ("approved", gettext_lazy("Approved"), (State.APPROVED,)),
    ("scheduled", gettext_lazy("Scheduled"), (State.SCHEDULED,)),
    ("published", gettext_lazy("Published"), (State.PUBLISHED, State.MEASURED)),
)
CLOSED_STATES = (State.REJECTED, State.ARCHIVED)
FINISHED_STATES = (State.PUBLISHED, State.MEASURED, *CLOSED_STATES)
RECENT_LIMIT = 30

# The buttons for a move, by (from, to).
MOVE_LABELS = {
    (State.IDEA, State.DRAFT): gettext_lazy("Start drafting"),
    (State.IDEA, State.REJECTED): gettext_lazy("Reject"),
    (State.DRAFT, State.IN_REVIEW): gettext_lazy("Send to review"),
    (State.IN_REVIEW, State.DRAFT): gettext_lazy("Back to draft"),
    (State.IN_REVIEW, State.REJECTED): gettext_lazy("Reject"),
    (State.APPROVED, State.DRAFT): gettext_lazy("Back to draft"),
    (State.APPROVED, State.SCHEDULED): gettext_lazy("Schedule"),
    (State.SCHEDULED, State.APPROVED): gettext_lazy("Take off the calendar"),
    (State.SCHEDULED, State.DRAFT): gettext_lazy("Back to draft"),
    (State.REJECTED, State.DRAFT): gettext_lazy("Reopen as draft"),
    (State.ARCHIVED, State.DRAFT): gettext_lazy("Reopen as draft"),
}
# What happened, after a move.
MOVED = {
    State.DRAFT: gettext_lazy("“%(title)s” is now a draft."),
    State.IN_REVIEW: gettext_lazy("“%(title)s” is sent to review."),
    State.APPROVED: gettext_lazy("“%(title)s” is approved."),
    State.SCHEDULED: gettext_lazy("“%(title)s” is scheduled."),
    State.REJECTED: gettext_lazy("“%(title)s” is rejected; the reason is shown to the submitter."),
    State.ARCHIVED: gettext_lazy("“%(title)s” is archived."),
}


def _moves_anything(membership) -> bool:
    """Whether the role may make any move at all (advisors and employees may not)."""
    capabilities = set(workflow.TRANSITIONS.values()) - {workflow.SYSTEM}
    return any(can(membership, capability) for capability in capabilities)


def _back(request, item: ContentItem, *, anchor: str = ""):
    """Back to where the form was (a safe ``next``), or to the item's page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("content:detail", args=[request.org.slug, item.pk])
        if anchor:
            target += f"#{anchor}"
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


def _lapse_notice(request, before_state: str, before_revision: int, item: ContentItem) -> None:
    if before_state in (State.APPROVED, State.SCHEDULED) and item.state == State.DRAFT:
        messages.warning(
            request,
            _(
                "The approval lapsed because the content changed after approval: the item "
                "is back in draft and needs to be approved again."
            ),
        )
    elif before_state == State.IN_REVIEW and item.revision != before_revision:
        messages.warning(
            request,
            _(
                "The approvals given so far lapsed because the content changed: this "
                "version needs to be approved again."
            ),
        )


# --- the pipeline -----------------------------------------------------------------------


@dataclass
class Card:
    """An item as the pipeline and the inbox show it."""

    item: ContentItem
    goal_title: str | None
    pillar_name: str | None
    channels: list[str] = field(default_factory=list)
    blocked: bool = False
    warnings: int = 0
    over_limit: bool = False

    @property
    def has_goal(self) -> bool:
        return self.goal_title is not None


def _card(item: ContentItem, choices) -> Card:
    # The variants are prefetched; the flags are their cached check outcomes.
    variants = list(item.variants.all())
    return Card(
        item=item,
        goal_title=choices.goal_title(item.goal_key) if item.goal_key else None,
        pillar_name=choices.pillar_name(item.pillar_key) if item.pillar_key else None,
        channels=[CHANNEL_LABELS.get(v.channel, v.channel) for v in variants],
        blocked=any(v.is_blocked for v in variants),
        warnings=sum(v.warning_count for v in variants),
        over_limit=any(v.is_over_limit for v in variants),
    )


def _people(organisation):
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .order_by("name", "email")
    )


@require_GET
@org_view("content.view")
def pipeline(request):
    """Every item by state, with its credit, goal and check flags; filters by state,
    goal and person."""
    choices = actions.strategy_choices(request.org)
    form = PipelineFilterForm(request.GET, choices=choices, people=_people(request.org))
    filters = form.cleaned_data if form.is_valid() else {}
    items = (
        ContentItem.objects.for_org(request.org)
        .select_related("submitted_by", "assignee")
        .prefetch_related("variants")
    )
    if filters.get("state"):
        items = items.filter(state=filters["state"])
    goal = filters.get("goal")
    if goal == NO_GOAL:
        # No goal, or one that is not in the published strategy (any more).
        items = items.filter(
            Q(goal_key__isnull=True) | ~Q(goal_key__in=[g.key for g in choices.goals])
        )
    elif goal:
        items = items.filter(goal_key=goal)
    if filters.get("person"):
        items = items.filter(
            Q(assignee_id=filters["person"]) | Q(submitted_by_id=filters["person"])
        )
    counts = dict(items.order_by().values_list("state").annotate(n=Count("pk")))
    cards_by_state: dict[str, list[Card]] = {}
    groups = (
        items.exclude(state__in=FINISHED_STATES),
        items.filter(state__in=(State.PUBLISHED, State.MEASURED)).order_by(
            "-published_at", "-updated_at", "-pk"
        )[:RECENT_LIMIT],
        items.filter(state__in=CLOSED_STATES).order_by("-updated_at", "-pk")[:RECENT_LIMIT],
    )
    for group in groups:
        for item in group:
            cards_by_state.setdefault(item.state, []).append(_card(item, choices))
    columns = []
    for key, label, states in COLUMNS:
        cards = [card for state in states for card in cards_by_state.get(state, [])]
        columns.append(
            {
                "key": key,
                "label": label,
                "cards": cards,
                "total": sum(counts.get(state, 0) for state in states),
            }
        )
    closed = [card for state in CLOSED_STATES for card in cards_by_state.get(state, [])]
    return render(
        request,
        "content/pipeline.html",
        {
            "form": form,
            "columns": columns,
            "closed": closed,
            "closed_total": sum(counts.get(state, 0) for state in CLOSED_STATES),
            "filtered": any(filters.values()),
            "without_goal": sum(
                1 for cards in cards_by_state.values() for card in cards if not card.has_goal
            ),
        },
    )


# --- ideas ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@org_view("content.submit_idea")
def ideas(request):
    """Every member hands in ideas and follows what happens to them; editors work
    through the inbox of new ideas."""
    choices = actions.strategy_choices(request.org)
    posted = request.method == "POST"
    form = IdeaForm(
        request.POST if posted else None, request.FILES if posted else None, choices=choices
    )
    if posted and form.is_valid():
        try:
            item = actions.submit_idea(
                request.org, by=request.membership, request=request, **form.values()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you! Your idea “%(title)s” is with the editors.") % {"title": item.title},
            )
            return redirect("content:ideas", org_slug=request.org.slug)
    mine = list(
        ContentItem.objects.for_org(request.org)
        .filter(submitted_by=request.user)
        .select_related("submitted_by")
        .prefetch_related("variants")
    )
    inbox = []
    if can(request.membership, "content.edit"):
        inbox = [
            _card(item, choices)
            for item in ContentItem.objects.for_org(request.org)
            .ideas()
            .select_related("submitted_by", "assignee")
            .prefetch_related("variants")
            .order_by("created_at", "pk")
        ]
    return render(
        request,
        "content/ideas.html",
        {
            "form": form,
            "mine": [_card(item, choices) for item in mine],
            "inbox": inbox,
            "ideas_url": reverse("content:ideas", args=[request.org.slug]),
        },
        status=400 if posted else 200,
    )


# --- one item ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@org_view("content.edit")
def create(request):
    """An editor starts an item straight in draft."""
    choices = actions.strategy_choices(request.org)
    posted = request.method == "POST"
    form = ItemCreateForm(request.POST if posted else None, choices=choices)
    if posted and form.is_valid():
        try:
            item = actions.create_item(request.org, by=request.membership, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is started.") % {"title": item.title})
            return redirect("content:detail", org_slug=request.org.slug, pk=item.pk)
    return render(
        request,
        "content/item_form.html",
        {"form": form, "item": None, "title": _("New item")},
        status=400 if posted else 200,
    )


def _findings(text: str, check) -> list[dict]:
    return [
        {"finding": f, "what": _describe(f), "excerpt": text[f.start : f.end] or f.match}
        for f in sorted(
            check.result.findings, key=lambda f: ("block", "warn", "info").index(f.severity)
        )
    ]


def _editor(channel: str, text: str, check, *, variant=None) -> dict:
    """One channel's editor: its text and, when there is one, its check."""
    return {
        "channel": channel,
        "label": CHANNEL_LABELS.get(channel, channel),
        "variant": variant,
        "text": text,
        "check": check,
        "findings": _findings(text, check) if check else [],
        "over_by": max(0, -check.length.remaining) if check else 0,
    }


def _move_buttons(membership, item: ContentItem) -> list[dict]:
    buttons = []
    for target in workflow.allowed(item.state, lambda c: can(membership, c)):
        # Approving goes through the approval steps (content:decide); scheduling needs a
        # moment, chosen on the calendar.
        if (item.state, target) == (State.IN_REVIEW, State.APPROVED):
            continue
        if (item.state, target) == (State.APPROVED, State.SCHEDULED) and not item.scheduled_at:
            continue
        buttons.append(
            {
                "target": target,
                "label": MOVE_LABELS.get((item.state, target))
                or (_("Archive") if target == State.ARCHIVED else State(target).label),
                "needs_note": target == State.REJECTED,
                # Forward moves stand out; going back or archiving does not.
                "is_primary": target in (State.IN_REVIEW, State.SCHEDULED)
                or (item.state, target) == (State.IDEA, State.DRAFT)
                or item.state in CLOSED_STATES,
            }
        )
    return buttons


def _detail_context(request, item: ContentItem, *, override_form=None) -> dict:
    membership = request.membership
    choices = actions.strategy_choices(request.org)
    variants = list(item.variants.all())
    guidelines = actions.guideline_state(item, variants)
    checks = dict(zip([v.channel for v in variants], guidelines.checks, strict=True))
    by_channel = {v.channel: v for v in variants}
    editors = [
        _editor(v.channel, v.text, checks[v.channel], variant=v)
        for channel, _label in CHANNEL_CHOICES
        if (v := by_channel.get(channel))
    ]
    new_channels = [
        _editor(channel, "", None)
        for channel, _label in CHANNEL_CHOICES
        if channel not in by_channel
    ]
    statuses = actions.approval_status(item)
    current = actions.current_step(statuses)
    in_review = item.state == State.IN_REVIEW
    may_decide = bool(
        in_review and current is not None and actions.may_approve_step(membership, current)
    )
    decided = bool(current and any(a.by_id == request.user.pk for a in current.approvals))
    may_edit = actions.may_edit(membership, item)
    return {
        "item": item,
        "goal_title": choices.goal_title(item.goal_key) if item.goal_key else None,
        "pillar_name": choices.pillar_name(item.pillar_key) if item.pillar_key else None,
        "may_edit": may_edit,
        "may_edit_variants": may_edit and can(membership, "content.edit"),
        "editors": editors,
        "new_channels": new_channels,
        "guidelines": guidelines,
        "open_warnings": [
            {
                "channel": CHANNEL_LABELS.get(channel, channel),
                "what": _describe(f),
                "excerpt": f.match,
            }
            for channel, f in guidelines.open_warnings
        ],
        "override_form": override_form or OverrideForm(),
        "statuses": statuses,
        "current": current,
        "may_decide": may_decide and not decided,
        "decided": decided,
        "external_current": bool(in_review and current is not None and current.is_external),
        "review_links": list(item.review_links.select_related("created_by", "item"))
        if can(membership, "content.view")
        else [],
        "moves": _move_buttons(membership, item),
        "overrides": [
            {"override": o, "channel": CHANNEL_LABELS.get(o.channel, o.channel)}
            for o in item.overrides.select_related("by")
        ],
        "history": list(item.transitions.select_related("by")),
        "publications": item_publications(item, membership),
    }


@require_GET
@org_view("org.view")
def detail(request, pk: int):
    item = get_content_item(request, pk)
    return render(request, "content/item_detail.html", _detail_context(request, item))


@require_http_methods(["GET", "POST"])
@org_view("org.view")
def edit(request, pk: int):
    """Editors change every field; the submitter of an idea changes what they handed in
    while it is still an idea (``get_content_item`` decides who may edit at all)."""
    item = get_content_item(request, pk, write=True)
    choices = actions.strategy_choices(request.org)
    submitter_only = not can(request.membership, "content.edit")
    posted = request.method == "POST"
    form = ItemEditForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        item=item,
        choices=choices,
        submitter_only=submitter_only,
    )
    if posted and form.is_valid():
        before_state, before_revision = item.state, item.revision
        try:
            updated = actions.update_item(
                item, by=request.membership, request=request, **form.values()
            )
        except ValidationError as error:
            add_errors(form, error)
        except workflow.TransitionRefused as refused:
            messages.error(request, actions.refusal_message(refused))
            return redirect("content:detail", org_slug=request.org.slug, pk=item.pk)
        else:
            messages.success(request, _("Saved."))
            _lapse_notice(request, before_state, before_revision, updated)
            return redirect("content:detail", org_slug=request.org.slug, pk=item.pk)
    return render(
        request,
        "content/item_form.html",
        {
            "form": form,
            "item": item,
            "title": _("Edit “%(title)s”") % {"title": item.title},
            "approval_may_lapse": item.state in (State.IN_REVIEW, State.APPROVED, State.SCHEDULED),
        },
        status=400 if posted else 200,
    )


@require_POST
@org_view("content.edit")
def variant(request, pk: int, channel: str):
    """Save (or, with an empty text, remove) the item's text for one channel."""
    item = get_content_item(request, pk, write=True)
    if channel not in CHANNEL_LABELS:
        raise Http404
    form = VariantForm({"channel": channel, "text": request.POST.get("text", "")})
    anchor = f"variant-{channel}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, item, anchor=anchor)
    text = form.cleaned_data["text"]
    before_state, before_revision = item.state, item.revision
    try:
        saved = actions.save_variant(item, channel, text, by=request.membership)
    except workflow.TransitionRefused as refused:
        messages.error(request, actions.refusal_message(refused))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = CHANNEL_LABELS[channel]
        if saved is None:
            messages.success(request, _("The %(channel)s text is removed.") % {"channel": label})
        else:
            messages.success(request, _("The %(channel)s text is saved.") % {"channel": label})
        item.refresh_from_db(fields=["state", "revision"])
        _lapse_notice(request, before_state, before_revision, item)
    return _back(request, item, anchor=anchor)


@require_POST
@org_view("content.edit")
def variant_check(request, pk: int):
    """The live check while a channel text is written: its length in the channel's
    own units and what the guidelines find. Nothing is stored."""
    item = get_content_item(request, pk)
    form = VariantForm(request.POST)
    if not form.is_valid():
        # htmx swaps only successful responses: the explanation comes with a 200 there.
        return render(
            request,
            "content/_variant_check.html",
            {"editor": None, "form": form},
            status=200 if request.htmx else 400,
        )
    channel, text = form.cleaned_data["channel"], form.cleaned_data["text"]
    check = actions.check_text(request.org, channel, text, paid=item.is_paid)
    return render(
        request,
        "content/_variant_check.html",
        {"editor": _editor(channel, text, check), "form": form},
    )


@require_POST
@org_view("org.view")
def transition(request, pk: int):
    """Move the item to another state, if the role, the guidelines and the approval
    rules allow it now."""
    item = get_content_item(request, pk)
    if not _moves_anything(request.membership):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where the item should go."))
        return _back(request, item)
    target, note = form.cleaned_data["target"], form.cleaned_data["note"]
    try:
        actions.transition_item(item, target, by=request.membership, note=note, request=request)
    except workflow.TransitionRefused as refused:
        messages.error(request, actions.refusal_message(refused))
        return _back(request, item, anchor="warnings" if refused.code == "warnings" else "")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, item)
    messages.success(
        request,
        str(MOVED.get(target, gettext_lazy("“%(title)s” is moved."))) % {"title": item.title},
    )
    return _back(request, item)


@require_POST
@org_view("content.edit")
def override(request, pk: int):
    """Go ahead despite the guidelines' warnings, with a reason (in the audit log)."""
    item = get_content_item(request, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            count = actions.override_warnings(
                item, by=request.membership, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        except workflow.TransitionRefused as refused:
            messages.error(request, actions.refusal_message(refused))
            return _back(request, item)
        else:
            if count:
                messages.success(
                    request,
                    _("The warnings are overridden for this version. You can send it on now."),
                )
            else:
                messages.info(request, _("There were no open warnings to override."))
            return _back(request, item)
    return render(
        request,
        "content/item_detail.html",
        _detail_context(request, item, override_form=form),
        status=400,
    )


@require_GET
@cache_control(private=True, max_age=3600)
@org_view("org.view")
def photo(request, pk: int):
    """The item's photo, for those who may see the item (uploads are never public)."""
    item = get_content_item(request, pk)
    if not item.photo:
        raise Http404
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(item.photo.name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)

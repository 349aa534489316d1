"""Editing the strategy (owner, strategist): the wizard, the draft workspace with its
goal tree, inline editing of every item, the profile, publishing and discarding.

Every view is a thin adapter: resolve the draft or item through the chokepoints in
``orgs/access.py``, validate with a form from ``strategy/forms.py``, change through
``strategy/actions.py``. With htmx the item and profile views answer with partials
(status 200 even with errors, since htmx swaps only 2xx answers); without JavaScript
they are pages of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from koers.adapters import add_errors
from koers.orgs import access
from koers.orgs.access import org_view
from koers.strategy import actions, diff, presentation
from koers.strategy.forms import ITEM_FORMS, ProfileForm, PublishForm, WizardForm
from koers.strategy.models import ITEM_KINDS, Kpi, SocialGoal, snapshot

# kind → (heading of the add form, heading of the edit form, "saved" message).
KIND_TEXTS = {
    "business-goal": (
        gettext_lazy("Add business goal"),
        gettext_lazy("Edit business goal"),
        gettext_lazy("Business goal “%(name)s” saved."),
    ),
    "social-goal": (
        gettext_lazy("Add social goal"),
        gettext_lazy("Edit social goal"),
        gettext_lazy("Social goal “%(name)s” saved."),
    ),
    "kpi": (
        gettext_lazy("Add KPI"),
        gettext_lazy("Edit KPI"),
        gettext_lazy("KPI “%(name)s” saved."),
    ),
    "audience": (
        gettext_lazy("Add audience"),
        gettext_lazy("Edit audience"),
        gettext_lazy("Audience “%(name)s” saved."),
    ),
    "channel": (
        gettext_lazy("Add channel"),
        gettext_lazy("Edit channel"),
        gettext_lazy("Channel “%(name)s” saved."),
    ),
    "pillar": (
        gettext_lazy("Add content pillar"),
        gettext_lazy("Edit content pillar"),
        gettext_lazy("Content pillar “%(name)s” saved."),
    ),
}

# kind → the query parameter that preselects where a new item hangs in the tree.
PRESELECT = {"social-goal": "business_goal", "kpi": "social_goal"}


def _draft_url(request, anchor: str = "") -> str:
    url = reverse("strategy:draft", kwargs={"org_slug": request.org.slug})
    return f"{url}#{anchor}" if anchor else url


def _draft_or_none(request):
    try:
        return access.get_strategy_draft(request)
    except Http404:
        return None


# --- the workspace --------------------------------------------------------------------


@dataclass
class Slot:
    """Where an "Add …" link sits, and what the new item is preselected to hang from."""

    kind: str
    url: str
    id: str
    label: str
    context_pk: int | None = None


def _slot(org_slug: str, kind: str, context_pk: int | None = None) -> Slot:
    url = reverse("strategy:item_create", kwargs={"org_slug": org_slug, "kind": kind})
    slot_id = f"add-{kind}"
    if context_pk is not None:
        url += "?" + urlencode({PRESELECT[kind]: context_pk})
        slot_id += f"-{context_pk}"
    return Slot(kind=kind, url=url, id=slot_id, label=KIND_TEXTS[kind][0], context_pk=context_pk)


@dataclass
class SocialNode:
    goal: SocialGoal
    kpis: list[Kpi]
    add_kpi: Slot
    children: list[SocialNode] = field(default_factory=list)


@dataclass
class GoalNode:
    goal: object
    roots: list[SocialNode]
    add_social_goal: Slot


def _with_hints(kpi: Kpi) -> Kpi:
    kpi.smart = presentation.smart_messages(kpi.smart_hints())
    kpi.is_blocked = any(hint["blocking"] for hint in kpi.smart)
    return kpi


def _tree(draft, org_slug: str) -> list[GoalNode]:
    """Business goals → social goals (nested by parent) → KPIs, in three queries."""
    goals = list(draft.businessgoals.select_related("owner"))
    social = list(draft.socialgoals.all())
    kpis = [_with_hints(kpi) for kpi in draft.kpis.select_related("owner")]
    kpis_of: dict[int, list[Kpi]] = {}
    for kpi in kpis:
        kpis_of.setdefault(kpi.social_goal_id, []).append(kpi)
    nodes = {
        goal.pk: SocialNode(goal, kpis_of.get(goal.pk, []), _slot(org_slug, "kpi", goal.pk))
        for goal in social
    }
    roots: dict[int, list[SocialNode]] = {}
    for goal in social:
        parent = nodes.get(goal.parent_id)
        # A sub-goal shows under its parent when both serve the same business goal;
        # otherwise under its own business goal, so no goal is ever hidden.
        if parent is not None and parent.goal.business_goal_id == goal.business_goal_id:
            parent.children.append(nodes[goal.pk])
        else:
            roots.setdefault(goal.business_goal_id, []).append(nodes[goal.pk])
    return [
        GoalNode(goal, roots.get(goal.pk, []), _slot(org_slug, "social-goal", goal.pk))
        for goal in goals
    ]


@require_GET
@org_view("strategy.edit")
def draft(request):
    """The draft workspace, or a start page when there is no draft."""
    draft = _draft_or_none(request)
    current = actions.current_version(request.org)
    if draft is None:
        return render(request, "strategy/draft.html", {"draft": None, "current": current})
    slug = request.org.slug
    return render(
        request,
        "strategy/draft.html",
        {
            "draft": draft,
            "current": current,
            "tree": _tree(draft, slug),
            "audiences": list(draft.audiences.all()),
            "channels": list(draft.channels.all()),
            "pillars": list(draft.contentpillars.all()),
            "problems": actions.publication_problems(draft),
            # Keyed with underscores: templates cannot read "business-goal".
            "slots": {
                kind.replace("-", "_"): _slot(slug, kind)
                for kind in ("business-goal", "audience", "channel", "pillar")
            },
        },
    )


# --- starting and ending a draft ------------------------------------------------------


def _wizard_initial(current) -> dict:
    """A new wizard run starts from what the published version says, if there is one."""
    if current is None:
        return {}
    initial = {
        "primary_discipline": current.primary_discipline,
        "secondary_discipline": current.secondary_discipline,
        "mission": current.mission,
        "vision": current.vision,
    }
    for n, goal in enumerate(current.businessgoals.all()[:3], start=1):
        initial[f"business_goal_{n}"] = goal.title
    return initial


@require_http_methods(["GET", "POST"])
@org_view("strategy.edit")
def wizard(request):
    language = request.LANGUAGE_CODE[:2]
    existing = actions.current_draft(request.org)
    current = actions.current_version(request.org)
    status = 200
    if request.method == "POST" and existing is None:
        form = WizardForm(request.POST, language=language)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.run_wizard(
                    request.org,
                    by=request.user,
                    primary_discipline=data["primary_discipline"],
                    secondary_discipline=data["secondary_discipline"],
                    mission=data["mission"],
                    vision=data["vision"],
                    business_goals=form.business_goals(),
                    language=language,
                    request=request,
                )
            except ValidationError as error:
                add_errors(form, error, aliases={"business_goals": "business_goal_1"})
            else:
                messages.success(
                    request,
                    _(
                        "Koers proposed a strategy. Check every part and make it your own "
                        "before you publish it."
                    ),
                )
                return redirect("strategy:draft", org_slug=request.org.slug)
        status = 400
    else:
        form = WizardForm(initial=_wizard_initial(current), language=language)
        if request.method == "POST":
            # A second wizard would replace work in progress: refuse, say why.
            status = 409
    return render(
        request,
        "strategy/wizard.html",
        {"form": form, "existing": existing, "current": current},
        status=status,
    )


@require_POST
@org_view("strategy.edit")
def start_draft(request):
    """A draft copied from the published version; empty when nothing was published."""
    try:
        draft = actions.start_draft(request.org, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Draft version %(number)s started.") % {"number": draft.number})
    return redirect("strategy:draft", org_slug=request.org.slug)


@require_POST
@org_view("strategy.edit")
def discard_draft(request):
    draft = access.get_strategy_draft(request)
    actions.discard_draft(draft, by=request.user, request=request)
    messages.success(request, _("The draft was discarded."))
    return redirect("strategy:page", org_slug=request.org.slug)


def _focus_first_field(form) -> None:
    """The inline form replaces the link that had focus; htmx moves focus to the field
    marked autofocus (the first with an error, else the first), so keyboard and screen
    reader users land in the form."""
    names = [name for name in form.fields if name in form.errors] or list(form.fields)
    if names:
        form.fields[names[0]].widget.attrs["autofocus"] = True


# --- the profile ----------------------------------------------------------------------


def _problems_oob(request, draft) -> str:
    """The publication status panel, swapped in by htmx beside the partial it answers."""
    return render_to_string(
        "strategy/edit_problems.html",
        {"draft": draft, "problems": actions.publication_problems(draft), "oob": True},
        request=request,
    )


def _partial(request, template: str, context: dict, draft) -> HttpResponse:
    html = render_to_string(template, context, request=request) + _problems_oob(request, draft)
    return HttpResponse(html)


@require_http_methods(["GET", "POST"])
@org_view("strategy.edit")
def profile(request):
    draft = access.get_strategy_draft(request)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=draft)
    if request.method == "POST" and form.is_valid():
        try:
            draft = actions.update_profile(draft, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                return _partial(request, "strategy/edit_profile.html", {"draft": draft}, draft)
            messages.success(request, _("Business strategy saved."))
            return redirect(_draft_url(request, "profile"))
    if request.htmx:
        _focus_first_field(form)
        return render(request, "strategy/edit_profile_form.html", {"form": form})
    return render(
        request,
        "strategy/edit_profile_page.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- items ----------------------------------------------------------------------------


def _form_class(kind: str):
    if kind not in ITEM_FORMS:
        raise Http404
    return ITEM_FORMS[kind]


def _placement(kind: str, item) -> tuple:
    """Where the item hangs in the tree: when this changes, the page is redrawn."""
    if kind == "social-goal":
        return (item.business_goal_id, item.parent_id)
    if kind == "kpi":
        return (item.social_goal_id,)
    return ()


def _preselected(request, kind: str) -> int | None:
    value = request.GET.get(PRESELECT.get(kind, ""), "")
    return int(value) if value.isdigit() else None


def _node_context(kind: str, item, org_slug: str) -> dict:
    """What the node templates need to draw a new item (it has no children yet)."""
    if kind == "business-goal":
        return {"node": GoalNode(item, [], _slot(org_slug, "social-goal", item.pk))}
    if kind == "social-goal":
        return {"node": SocialNode(item, [], _slot(org_slug, "kpi", item.pk))}
    if kind == "kpi":
        _with_hints(item)
    return {"item": item, "kind": kind}


NODE_TEMPLATES = {
    "business-goal": "strategy/edit_business_node.html",
    "social-goal": "strategy/edit_social_node.html",
}


def _item_form_response(request, form, *, kind, item=None, slot=None, status_on_error=400):
    if item is not None:
        title, target = KIND_TEXTS[kind][1], f"{kind}-{item.pk}"
        action = reverse(
            "strategy:item_edit", kwargs={"org_slug": request.org.slug, "kind": kind, "pk": item.pk}
        )
    else:
        title, target, action = KIND_TEXTS[kind][0], slot.id, slot.url
    context = {
        "form": form,
        "kind": kind,
        "item": item,
        "title": title,
        "target": target,
        "action": action,
    }
    if request.htmx:
        _focus_first_field(form)
        return render(request, "strategy/edit_item_form.html", context)
    return render(
        request,
        "strategy/edit_item_page.html",
        context,
        status=status_on_error if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@org_view("strategy.edit")
def item_create(request, kind):
    form_class = _form_class(kind)
    draft = access.get_strategy_draft(request)
    context_pk = _preselected(request, kind)
    slot = _slot(request.org.slug, kind, context_pk)
    item = ITEM_KINDS[kind](version=draft, organisation=request.org)
    initial = {PRESELECT[kind]: context_pk} if context_pk is not None else {}
    form = form_class(
        request.POST if request.method == "POST" else None,
        instance=item,
        initial=initial,
        draft=draft,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.save_item(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                in_place = {
                    "social-goal": (context_pk, None),
                    "kpi": (context_pk,),
                }.get(kind, ())
                if _placement(kind, item) != in_place:
                    return HttpResponseClientRefresh()
                template = NODE_TEMPLATES.get(kind, "strategy/edit_leaf_node.html")
                html = render_to_string(
                    template, _node_context(kind, item, request.org.slug), request=request
                )
                html += render_to_string(
                    "strategy/edit_add_slot.html", {"slot": slot}, request=request
                )
                return HttpResponse(html + _problems_oob(request, draft))
            messages.success(request, KIND_TEXTS[kind][2] % {"name": item})
            return redirect(_draft_url(request, f"{kind}-{item.pk}"))
    return _item_form_response(request, form, kind=kind, slot=slot)


@require_http_methods(["GET", "POST"])
@org_view("strategy.edit")
def item_edit(request, kind, pk):
    form_class = _form_class(kind)
    item = access.get_strategy_item(request, kind, pk, write=True)
    draft = item.version
    before = _placement(kind, item)
    form = form_class(
        request.POST if request.method == "POST" else None, instance=item, draft=draft
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.save_item(form.save(commit=False), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                if _placement(kind, item) != before:
                    return HttpResponseClientRefresh()
                if kind == "kpi":
                    _with_hints(item)
                return _partial(
                    request, "strategy/edit_item.html", {"item": item, "kind": kind}, draft
                )
            messages.success(request, KIND_TEXTS[kind][2] % {"name": item})
            return redirect(_draft_url(request, f"{kind}-{item.pk}"))
    return _item_form_response(request, form, kind=kind, item=item)


@require_POST
@org_view("strategy.edit")
def item_delete(request, kind, pk):
    _form_class(kind)
    item = access.get_strategy_item(request, kind, pk, write=True)
    name = str(item)
    try:
        actions.delete_item(item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_draft_url(request, f"{kind}-{pk}"))
    messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect(_draft_url(request))


# --- publishing -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@org_view("strategy.edit")
def publish(request):
    draft = _draft_or_none(request)
    if draft is None:
        messages.info(request, _("There is no draft to publish. Start one first."))
        return redirect("strategy:draft", org_slug=request.org.slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.publish_version(
                draft,
                by=request.user,
                change_note=form.cleaned_data["change_note"],
                request=request,
            )
        except ValidationError as error:
            refused = error.messages
        else:
            messages.success(
                request,
                _("Version %(number)s is published: everyone in the organisation now sees it.")
                % {"number": version.number},
            )
            return redirect("strategy:page", org_slug=request.org.slug)
    current = actions.current_version(request.org)
    changes = presentation.describe_changes(
        diff.diff(snapshot(current) if current is not None else None, snapshot(draft))
    )
    problems = refused if refused is not None else actions.publication_problems(draft)
    return render(
        request,
        "strategy/publish.html",
        {
            "draft": draft,
            "current": current,
            "form": form,
            "problems": problems,
            "refused": refused is not None,
            "changes": changes,
        },
        status=400 if request.method == "POST" else 200,
    )

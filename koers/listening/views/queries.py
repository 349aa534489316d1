"""The query editor: the saved queries with their recent matches, and a form that
checks the query while it is typed (the error at its position, the linter's advice and
a preview on the organisation's recent mentions). Only a query that compiles is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.listening import actions
from koers.listening.forms import QueryCheckForm, SavedQueryForm
from koers.listening.models import SavedQuery
from koers.orgs.access import get_saved_query, org_view
from koers.query import QuerySyntaxError, compile, lint

RECENT_DAYS = 7
PREVIEW_WINDOW = 2000
PREVIEW_SHOWN = 20


@dataclass
class Marked:
    """The query text cut around a position, to mark it."""

    before: str
    at: str
    after: str
    position: int  # 1-based, for people

    @classmethod
    def cut(cls, text: str, position: int) -> Marked:
        position = max(0, min(position, len(text)))
        at = text[position : position + 1]
        if at in ("", "\n"):
            # The end of the text or of a line: mark an empty spot, keep the line break.
            return cls(text[:position], " ", text[position:], position + 1)
        return cls(text[:position], at, text[position + 1 :], position + 1)


def _language() -> str:
    return translation.get_language() or "en"


def check_query(organisation, text: str, *, preview: bool = True) -> dict:
    """Everything the editor shows about ``text``: the error (with its position marked),
    or the linter's warnings and a preview on recent mentions."""
    if not text.strip():
        return {"empty": True}
    language = _language()
    try:
        query = compile(text)
    except QuerySyntaxError as error:
        return {
            "error": actions.query_error_message(error, language),
            "marked": Marked.cut(text, error.position),
        }
    nl = language.startswith("nl")
    warnings = [
        {
            "message": w.message_nl if nl else w.message_en,
            "marked": Marked.cut(text, w.position),
        }
        for w in lint(query)
    ]
    result = {"ok": True, "warnings": warnings, "canonical": str(query)}
    if preview:
        count, shown, scanned = actions.preview_matches(
            organisation, query, window=PREVIEW_WINDOW, shown=PREVIEW_SHOWN
        )
        result.update(preview_count=count, preview=shown, scanned=scanned)
    return result


@require_GET
@org_view("listening.view")
def query_list(request):
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    queries = SavedQuery.objects.for_org(request.org).annotate(
        recent=Count("matches", filter=Q(matches__mention__published_at__gte=since))
    )
    return render(
        request,
        "listening/queries.html",
        {"queries": queries, "recent_days": RECENT_DAYS},
    )


def _render_editor(request, form, *, query=None, status=200, check=None):
    text = form["text"].value() or ""
    if check is None and text:
        check = check_query(request.org, text)
    return render(
        request,
        "listening/query_form.html",
        {"form": form, "query": query, "check": check or {}},
        status=status,
    )


def _save(request, form, query=None):
    """Validate and save; the response for the browser."""
    if not form.is_valid():
        return _render_editor(request, form, query=query, status=400)
    data = form.cleaned_data
    try:
        saved = actions.save_query(
            request.org,
            by=request.membership,
            query=query,
            name=data["name"],
            text=data["text"],
            role=data["role"],
            is_active=data["is_active"],
        )
    except QuerySyntaxError as error:
        text = data["text"]
        message = actions.query_error_message(error, _language())
        form.add_error(
            "text",
            _("At character %(position)s: %(message)s")
            % {"position": error.position + 1, "message": message},
        )
        check = {"error": message, "marked": Marked.cut(text, error.position)}
        return _render_editor(request, form, query=query, status=400, check=check)
    messages.success(request, _("The query “%(name)s” is saved.") % {"name": saved.name})
    return redirect("listening:queries", org_slug=request.org.slug)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def query_create(request):
    if request.method == "POST":
        return _save(request, SavedQueryForm(request.POST))
    return _render_editor(request, SavedQueryForm(initial={"is_active": True}))


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def query_edit(request, pk):
    query = get_saved_query(request, pk, write=True)
    if request.method == "POST":
        return _save(request, SavedQueryForm(request.POST), query)
    form = SavedQueryForm(
        initial={
            "name": query.name,
            "text": query.text,
            "role": query.role,
            "is_active": query.is_active,
        }
    )
    return _render_editor(request, form, query=query)


@require_POST
@org_view("listening.manage")
def query_delete(request, pk):
    query = get_saved_query(request, pk, write=True)
    name = query.name
    actions.delete_query(query, by=request.membership)
    messages.success(request, _("The query “%(name)s” is deleted.") % {"name": name})
    return redirect("listening:queries", org_slug=request.org.slug)


@never_cache
@require_POST
@org_view("listening.manage")
def query_check(request):
    """The live check while typing (htmx): writes nothing."""
    form = QueryCheckForm(request.POST)
    if not form.is_valid():
        check = {"too_long": True}
    else:
        check = check_query(request.org, form.cleaned_data["text"])
    return render(request, "listening/_query_check.html", {"check": check})

"""Sources: where mentions come from, whether each works (a failing source shows its
last error in full), and the forms to add, change, pause, resume and fetch them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.listening import actions
from koers.listening.forms import ADDABLE_KINDS, KIND_FIELDS, SourceForm
from koers.listening.models import Source, SourceKind
from koers.orgs.access import get_source, org_view

# Where pushed batches go (koers/api/listening.py); the body names the source.
PUSH_PATH = "/api/v1/listening/mentions"


def push_example(source) -> str:
    """A request body for the push API, for this source."""
    return json.dumps(
        {
            "source": source.name,
            "mentions": [
                {
                    "external_id": "review-1042",
                    "text": "Snel geholpen, fiets was dezelfde dag klaar.",
                    "published_at": "2025-05-01T12:00:00+02:00",
                    "author": "@klant",
                    "url": "https://reviews.example/1042",
                }
            ],
            "accept_valid": False,
        },
        ensure_ascii=False,
        indent=2,
    )


@require_GET
@org_view("listening.view")
def source_list(request):
    sources = Source.objects.for_org(request.org).annotate(stored=Count("mentions"))
    return render(
        request,
        "listening/sources.html",
        {
            "sources": sources,
            "kinds": ADDABLE_KINDS,
            "push_kind": SourceKind.PUSH,
            "polled_kinds": {k.value for k in actions.POLLED_KINDS},
            "fetched_kinds": {k.value for k in actions.FETCHED_KINDS},
        },
    )


def _render_form(request, form, *, source=None, status=200):
    kind = form.selected_kind()
    return render(
        request,
        "listening/source_form.html",
        {
            "form": form,
            "source": source,
            "kind": kind,
            "kind_label": SourceKind(kind).label if kind in SourceKind.values else kind,
            "needs": KIND_FIELDS.get(kind, set()),
            "push_url": request.build_absolute_uri(PUSH_PATH),
            "push_example": push_example(source) if source and kind == SourceKind.PUSH else "",
        },
        status=status,
    )


def _save(request, form, source=None):
    if not form.is_valid():
        return _render_form(request, form, source=source, status=400)
    data = form.cleaned_data
    try:
        saved = actions.save_source(
            request.org,
            by=request.membership,
            source=source,
            kind=source.kind if source else data["kind"],
            name=data["name"],
            url=data["url"],
            term=data["term"],
            token=data.get("token", ""),
            remove_token=data.get("remove_token", False),
        )
    except ValidationError as error:
        add_errors(form, error)
        return _render_form(request, form, source=source, status=400)
    messages.success(request, _("The source “%(name)s” is saved.") % {"name": saved.name})
    if saved.kind == SourceKind.PUSH and source is None:
        return redirect("listening:source_edit", org_slug=request.org.slug, pk=saved.pk)
    return redirect("listening:sources", org_slug=request.org.slug)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def source_create(request):
    if request.method == "POST":
        return _save(request, SourceForm(request.POST))
    kind = request.GET.get("kind", SourceKind.RSS)
    if kind not in KIND_FIELDS:
        raise Http404
    return _render_form(request, SourceForm(initial={"kind": kind}))


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def source_edit(request, pk):
    source = get_source(request, pk, write=True)
    if source.kind not in KIND_FIELDS:
        # File imports are changed through their import, not here.
        raise Http404
    if request.method == "POST":
        return _save(request, SourceForm(request.POST, kind_fixed=source.kind), source)
    form = SourceForm(
        initial={"name": source.name, "url": source.url, "term": source.term},
        kind_fixed=source.kind,
    )
    return _render_form(request, form, source=source)


@require_POST
@org_view("listening.manage")
def source_pause(request, pk):
    source = get_source(request, pk, write=True)
    actions.set_source_active(source, active=False, by=request.membership)
    messages.success(request, _("“%(name)s” is paused.") % {"name": source.name})
    return redirect("listening:sources", org_slug=request.org.slug)


@require_POST
@org_view("listening.manage")
def source_resume(request, pk):
    source = get_source(request, pk, write=True)
    actions.set_source_active(source, active=True, by=request.membership)
    messages.success(
        request, _("“%(name)s” is active again and is fetched soon.") % {"name": source.name}
    )
    return redirect("listening:sources", org_slug=request.org.slug)


@require_POST
@org_view("listening.manage")
def source_fetch(request, pk):
    source = get_source(request, pk, write=True)
    if actions.request_fetch(source, by=request.membership):
        messages.success(request, _("“%(name)s” is fetched in a moment.") % {"name": source.name})
    else:
        messages.error(
            request,
            _("“%(name)s” is not fetched by Koers: it is paused, or mentions are sent to it.")
            % {"name": source.name},
        )
    return redirect("listening:sources", org_slug=request.org.slug)


@require_POST
@org_view("listening.manage")
def source_delete(request, pk):
    source = get_source(request, pk, write=True)
    name = source.name
    actions.delete_source(source, by=request.membership)
    messages.success(
        request, _("The source “%(name)s” and its mentions are deleted.") % {"name": name}
    )
    return redirect("listening:sources", org_slug=request.org.slug)

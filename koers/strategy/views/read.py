"""Reading the strategy: the page every member sees, the history, one earlier version,
sign-off by management, and the exports (Markdown and PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.orgs import access
from koers.orgs.access import org_view
from koers.strategy import actions, export
from koers.strategy.diff import diff
from koers.strategy.models import StrategyVersion, snapshot
from koers.strategy.presentation import describe_changes


def _changes(old: StrategyVersion | None, new: StrategyVersion) -> list[dict] | None:
    if old is None:
        return None
    return describe_changes(diff(snapshot(old), snapshot(new)))


def _history(request):
    return (
        StrategyVersion.objects.for_org(request.org)
        .history()
        .select_related("published_by", "signed_off_by")
    )


@require_GET
@org_view("org.view")
def page(request):
    """The published strategy on one page, with what changed since the member last read
    it."""
    version = actions.current_version(request.org)
    if version is None:
        return render(request, "strategy/page.html", {"document": None})
    read_before = actions.mark_read(request.membership, version)
    since, changes = None, None
    if 0 < read_before < version.number:
        since = _history(request).filter(number=read_before).first()
        changes = _changes(since, version)
    return render(
        request,
        "strategy/page.html",
        {"document": export.load_document(version), "since": since, "changes": changes},
    )


@require_GET
@org_view("org.view")
def versions(request):
    """Every published and earlier version, newest first."""
    history = list(_history(request))
    for n, version in enumerate(history):
        version.previous = history[n + 1] if n + 1 < len(history) else None
    return render(request, "strategy/versions.html", {"history": history})


@require_GET
@org_view("org.view")
def version(request, number):
    """One published or earlier version, read-only, with what changed since the one
    before it."""
    current = access.get_strategy_version(request, number)
    previous = _history(request).filter(number__lt=current.number).first()
    return render(
        request,
        "strategy/version.html",
        {
            "document": export.load_document(current),
            "previous": previous,
            "changes": _changes(previous, current),
        },
    )


@require_POST
@org_view("strategy.sign_off")
def sign_off(request, number):
    version = access.get_strategy_version(request, number)
    try:
        actions.sign_off_version(version, by=request.user, request=request)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("You signed off version %(number)s of the strategy.") % {"number": version.number},
        )
    return redirect("strategy:page", request.org.slug)


def _attachment(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def _record_export(request, version: StrategyVersion, kind: str) -> None:
    record_event(
        request.org,
        action=Action.EXPORT,
        by=request.user,
        request=request,
        target=f"strategy v{version.number} {kind}",
    )


@require_GET
@org_view("org.view")
def export_markdown(request, number):
    version = access.get_strategy_version(request, number)
    text = export.render_markdown(export.load_document(version))
    _record_export(request, version, "md")
    return _attachment(text, "text/markdown; charset=utf-8", export.filename(version, "md"))


@require_GET
@org_view("org.view")
def export_pdf(request, number):
    version = access.get_strategy_version(request, number)
    pdf = export.render_pdf(export.load_document(version))
    _record_export(request, version, "pdf")
    return _attachment(pdf, "application/pdf", export.filename(version, "pdf"))

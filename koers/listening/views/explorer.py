"""The mention explorer: full-text search and filters, 50 mentions a page in a fixed
number of queries, one-click corrections of sentiment or category, and the filtered
list as CSV. Also the page members without access to listening land on."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koers.adapters import spreadsheet_safe
from koers.home.areas import AREA_BY_SLUG
from koers.listening import actions
from koers.listening.forms import CorrectionForm, ExplorerForm
from koers.listening.models import (
    Category,
    Mention,
    SavedQuery,
    Sentiment,
    Source,
    Stakeholder,
)
from koers.listening.search import search
from koers.orgs.access import get_mention, org_view
from koers.orgs.capabilities import can

PER_PAGE = 50
EXPORT_LIMIT = 100_000


def _search(organisation, mentions, text: str):
    """Full-text search (FTS5 or PostgreSQL), newest first like the rest of the
    explorer."""
    return search(mentions, text, ranked=False)


def _filter_choices(organisation):
    queries = list(SavedQuery.objects.for_org(organisation).only("pk", "name", "role"))
    sources = list(Source.objects.for_org(organisation).only("pk", "name"))
    languages = list(
        Mention.objects.for_org(organisation)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return queries, sources, languages


def filtered_mentions(organisation, data: dict):
    """The organisation's mentions that pass the explorer's (cleaned) filters."""
    mentions = Mention.objects.for_org(organisation)
    if data.get("query"):
        mentions = mentions.filter(matches__query_id=data["query"])
    for name in ("sentiment", "category", "language"):
        if data.get(name):
            mentions = mentions.filter(**{name: data[name]})
    if data.get("source"):
        mentions = mentions.filter(source_id=data["source"])
    if data.get("group"):
        authors = Stakeholder.objects.filter(organisation=organisation, group=data["group"])
        lowered = {a.casefold() for a in authors.values_list("author", flat=True)}
        mentions = mentions.annotate(author_lower=Lower("author")).filter(author_lower__in=lowered)
    zone = timezone.get_current_timezone()
    if data.get("since"):
        mentions = mentions.filter(
            published_at__gte=timezone.make_aware(datetime.combine(data["since"], time.min), zone)
        )
    if data.get("until"):
        end = datetime.combine(data["until"] + timedelta(days=1), time.min)
        mentions = mentions.filter(published_at__lt=timezone.make_aware(end, zone))
    if data.get("q"):
        mentions = _search(organisation, mentions, data["q"])
    if data.get("order") == "threat":
        mentions = mentions.order_by("-threat_score", "-published_at", "-pk")
    return mentions


def _with_details(mentions):
    return mentions.select_related("source").prefetch_related(
        Prefetch("queries", queryset=SavedQuery.objects.only("pk", "name", "role"))
    )


def _back_url(request, candidate: str) -> str:
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("listening:explorer", args=[request.org.slug])


def mention_context(request, back_url: str) -> dict:
    """What the mention row needs besides the mention."""
    return {
        "back_url": back_url,
        "may_correct": can(request.membership, "listening.correct"),
        "sentiments": Sentiment.choices,
        "categories": Category.choices,
    }


@require_GET
@org_view("listening.view")
def explorer(request):
    queries, sources, languages = _filter_choices(request.org)
    form = ExplorerForm(request.GET or None, queries=queries, sources=sources, languages=languages)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    mentions = _with_details(filtered_mentions(request.org, data))
    paginator = Paginator(mentions, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form,
        "page": page,
        "mentions": page.object_list,
        "filtered": bool(filters),
        "filter_query": urlencode(filters),
        "export_url": reverse("listening:export", args=[request.org.slug])
        + (f"?{urlencode(filters)}" if filters else ""),
        **mention_context(request, request.get_full_path()),
    }
    return render(request, "listening/explorer.html", context, status=200 if valid else 400)


@require_GET
@org_view("listening.view")
def export(request):
    """The filtered mentions as CSV, every cell guarded against spreadsheet formulas."""
    queries, sources, languages = _filter_choices(request.org)
    form = ExplorerForm(request.GET, queries=queries, sources=sources, languages=languages)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The filters are not valid."))
    mentions = _with_details(filtered_mentions(request.org, form.cleaned_data))[:EXPORT_LIMIT]
    header = [
        _("Published"),
        _("Author"),
        _("Author name"),
        _("Reach"),
        _("Source"),
        _("Language"),
        _("Sentiment"),
        _("Category"),
        _("Threat score"),
        _("Queries"),
        _("Duplicate of"),
        _("Title"),
        _("Text"),
        _("Address"),
    ]
    zone = timezone.get_current_timezone()

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(header)
        for m in mentions.iterator(chunk_size=1000):
            cells = [
                timezone.localtime(m.published_at, zone).strftime("%Y-%m-%d %H:%M"),
                m.author,
                m.author_name,
                str(m.author_reach),
                m.source.name,
                m.language,
                m.sentiment,
                m.category,
                f"{m.threat_score:.1f}",
                "; ".join(q.name for q in m.queries.all()),
                str(m.duplicate_of_id or ""),
                m.title,
                m.text,
                m.url,
            ]
            yield writer.writerow([spreadsheet_safe(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"mentions-{request.org.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    )
    return response


@require_POST
@org_view("listening.correct")
def correct(request, pk):
    """Set a mention's sentiment or category (htmx: the row comes back updated)."""
    mention = get_mention(request, pk, write=True)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            actions.correct_mention(
                mention,
                by=request.membership,
                field=form.cleaned_data["field"],
                value=form.cleaned_data["value"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    back = _back_url(request, request.POST.get("next", ""))
    if request.htmx:
        mention = _with_details(Mention.objects.for_org(request.org)).get(pk=mention.pk)
        return render(
            request,
            "listening/_mention.html",
            {
                "mention": mention,
                "correction_errors": form.errors if form.errors else None,
                "corrected_now": not form.errors,
                **mention_context(request, back),
            },
            status=400 if form.errors else 200,
        )
    if form.errors:
        messages.error(request, _("That correction could not be saved."))
    else:
        messages.success(request, _("The correction is saved; Koers learns from it."))
    return redirect(back)


@require_GET
@org_view("org.view")
def about(request):
    """Where members without access to listening land from the navigation."""
    return render(request, "listening/about.html", {"area": AREA_BY_SLUG["listening"]})

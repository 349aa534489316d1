"""Share of voice: for the last 7, 30 or 90 days, how many mentions each brand and
competitor query matched, their share of the whole, and the sentiment per brand.

The chart is an SVG image made with pygal (like ``support/charts.py``): served as its own
response with pygal's script removed and ``style-src`` relaxed for that response only,
so the page itself keeps the strict Content Security Policy. The page repeats the
figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pygal
from csp.decorators import csp_update
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from pygal.style import Style

from koers.listening.forms import PeriodForm
from koers.listening.models import MentionMatch, QueryRole, SavedQuery, Sentiment
from koers.orgs.access import org_view
from koers.support.charts import COLOURS, FONT, svg_filter

SENTIMENTS = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)


@dataclass
class Voice:
    query: SavedQuery
    count: int = 0
    share: float | None = None  # percent of all brand and competitor mentions
    sentiment: dict = field(default_factory=dict)  # sentiment → count ("" unenriched)

    @property
    def sentiment_rows(self):
        rated = sum(self.sentiment.get(s, 0) for s in SENTIMENTS)
        return [
            {
                "key": s.value,
                "label": s.label,
                "count": self.sentiment.get(s, 0),
                "percent": round(100 * self.sentiment.get(s, 0) / rated) if rated else None,
            }
            for s in SENTIMENTS
        ]

    @property
    def unrated(self) -> int:
        return self.count - sum(self.sentiment.get(s, 0) for s in SENTIMENTS)


def share_of_voice(organisation, days: int) -> list[Voice]:
    """Brand queries first, then competitors, each with its count, share and sentiment."""
    since = timezone.now() - timedelta(days=days)
    queries = list(
        SavedQuery.objects.for_org(organisation).filter(
            role__in=(QueryRole.BRAND, QueryRole.COMPETITOR)
        )
    )
    voices = {q.pk: Voice(q) for q in queries}
    rows = (
        MentionMatch.objects.filter(
            organisation=organisation,
            query_id__in=voices,
            mention__published_at__gte=since,
        )
        .values_list("query_id", "mention__sentiment")
        .annotate(n=Count("id"))
        .order_by()
    )
    for query_id, sentiment, n in rows:
        voice = voices[query_id]
        voice.count += n
        voice.sentiment[sentiment] = voice.sentiment.get(sentiment, 0) + n
    total = sum(v.count for v in voices.values())
    for voice in voices.values():
        voice.share = round(100 * voice.count / total, 1) if total else None
    order = {QueryRole.BRAND: 0, QueryRole.COMPETITOR: 1}
    return sorted(voices.values(), key=lambda v: (order[v.query.role], -v.count, v.query.name))


def _period(request) -> int:
    form = PeriodForm(request.GET)
    return (form.cleaned_data["days"] if form.is_valid() else None) or 30


@require_GET
@org_view("listening.view")
def share(request):
    days = _period(request)
    voices = share_of_voice(request.org, days)
    return render(
        request,
        "listening/share.html",
        {
            "form": PeriodForm(initial={"days": str(days)}),
            "days": days,
            "voices": voices,
            "brands": [v for v in voices if v.query.role == QueryRole.BRAND],
            "total": sum(v.count for v in voices),
            "chart_height": chart_height(voices),
        },
    )


def chart_height(voices: list[Voice]) -> int:
    return 120 + 60 * max(len(voices), 1)


def chart_svg(voices: list[Voice], days: int) -> str:
    font = 16
    style = Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2a30",
        foreground_strong="#1d2a30",
        foreground_subtle="#d5dde0",
        opacity="1",
        opacity_hover="1",
        guide_stroke_color="#d5dde0",
        major_guide_stroke_color="#b7c3c7",
        colors=COLOURS,
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        tooltip_font_size=font,
        title_font_size=font + 2,
        no_data_font_size=font + 4,
    )
    chart = pygal.HorizontalBar(
        style=style,
        width=800,
        height=chart_height(voices),
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        value_formatter=lambda share: f"{share:.1f}%",
        range=(0, 100),
        margin=12,
        spacing=12,
        truncate_label=28,
        no_data_text=_("No brand or competitor mentions in this period"),
    )
    chart.add_xml_filter(svg_filter(_("Share of voice in the last %(days)s days") % {"days": days}))
    shown = [v for v in voices if v.share is not None]
    # pygal draws the first label at the bottom: reverse so the list reads top-down.
    shown.reverse()
    chart.x_labels = [v.query.name for v in shown]
    chart.add(
        _("Share of voice"),
        [
            {
                "value": v.share,
                "color": COLOURS[0] if v.query.role == QueryRole.BRAND else COLOURS[1],
            }
            for v in shown
        ],
    )
    return chart.render()


@require_GET
@org_view("listening.view")
@csp_update({"style-src": ["'unsafe-inline'"]})
def share_chart(request):
    """The share of voice as SVG; pygal styles it with a ``<style>`` element inside the
    SVG, which only this response allows."""
    days = _period(request)
    svg = chart_svg(share_of_voice(request.org, days), days)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response

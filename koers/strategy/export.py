"""One published or earlier strategy version as a readable document: the tree the
strategy page shows, and the same tree as Markdown or PDF.

``load_document`` reads a version in a fixed number of queries and prepares every
value for people (numbers, dates and names in the active language), so the page, the
version view and both exports show the same thing. Headings follow the reader's
language; the content stays as the organisation wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from koers.strategy.models import (
    Audience,
    BusinessGoal,
    Channel,
    ContentPillar,
    Direction,
    Kpi,
    SocialGoal,
    Source,
    Status,
    StrategyVersion,
)
from koers.strategy.playbooks import get_playbook


@dataclass
class DisciplineText:
    """A value discipline of the version with what it means for social media."""

    value: str
    name: str
    summary: str
    is_primary: bool


@dataclass
class Document:
    """A strategy version as a tree, ready to show."""

    version: StrategyVersion
    organisation: object
    disciplines: list[DisciplineText]
    business_goals: list[BusinessGoal]
    audiences: list[Audience]
    channels: list[Channel]
    pillars: list[ContentPillar]
    kpis: list[Kpi] = field(default_factory=list)
    social_goal_count: int = 0

    @property
    def is_current(self) -> bool:
        return self.version.status == Status.PUBLISHED

    @property
    def kpi_owners(self) -> list[tuple[str, list[str]]]:
        """Who answers for which KPIs, in order of first appearance."""
        owners: dict[str, list[str]] = {}
        for kpi in self.kpis:
            if kpi.owner_name:
                owners.setdefault(kpi.owner_name, []).append(kpi.name)
        return list(owners.items())


def language() -> str:
    """The reader's language as the playbooks know it ("nl" or "en")."""
    return "nl" if (translation.get_language() or "nl").startswith("nl") else "en"


def person(user) -> str:
    return (user.name or user.email) if user is not None else ""


def number(value: Decimal | None) -> str:
    """A figure without trailing zeros, grouped and with the decimal sign of the reader's
    language (1.250,5 in Dutch, 1,250.5 in English)."""
    if value is None:
        return ""
    plain = Decimal(format(value.normalize(), "f"))  # normalize() alone gives 1E+2 for 100
    return formats.number_format(plain, use_l10n=True, force_grouping=True)


def with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    unit = unit.strip()
    if not unit:
        return number(value)
    return f"{number(value)}{'' if unit == '%' else ' '}{unit}"


def day(value: date | datetime | None, style: str = "j F Y") -> str:
    """A date, or an aware moment in the current (the organisation's) time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, style)


def short_day(value: date) -> str:
    # Dutch writes abbreviated months in lower case (1 jan 2026), English capitalised.
    return day(value, "j b Y" if language() == "nl" else "j M Y")


def period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{short_day(start)} – {short_day(end)}"
    if end:
        return _("until %(date)s") % {"date": short_day(end)}
    if start:
        return _("from %(date)s") % {"date": short_day(start)}
    return ""


def _prepare_kpi(kpi: Kpi) -> None:
    kpi.target_text = with_unit(kpi.target, kpi.unit)
    kpi.baseline_text = with_unit(kpi.baseline, kpi.unit)
    kpi.period_text = period(kpi.period_start, kpi.period_end)
    kpi.owner_name = person(kpi.owner)
    kpi.direction_label = str(Direction(kpi.direction).label) if kpi.direction else ""
    kpi.is_decrease = kpi.direction == Direction.DECREASE
    kpi.source_label = str(Source(kpi.source).label) if kpi.source else ""


def _social_tree(goals: list[BusinessGoal], social: list[SocialGoal], kpis: list[Kpi]) -> None:
    """Hang social goals under their business goal, sub-goals under their parent and KPIs
    under their social goal (attributes ``roots``, ``sub_goals``, ``kpi_list``)."""
    by_pk = {goal.pk: goal for goal in social}
    for goal in social:
        goal.sub_goals, goal.kpi_list, goal.parent_title = [], [], ""
    for kpi in kpis:
        by_pk[kpi.social_goal_id].kpi_list.append(kpi)
    roots: dict[int, list[SocialGoal]] = {goal.pk: [] for goal in goals}
    for goal in social:
        parent = by_pk.get(goal.parent_id)
        # A sub-goal of a goal under another business goal stays with its own business
        # goal, where its reader looks for it, and names the goal it is part of.
        if parent is not None and parent.business_goal_id == goal.business_goal_id:
            parent.sub_goals.append(goal)
        else:
            if parent is not None:
                goal.parent_title = parent.title
            roots[goal.business_goal_id].append(goal)
    # The model refuses cycles, but a cycle must not make goals vanish from the page.
    seen: set[int] = set()

    def walk(goal):
        seen.add(goal.pk)
        for child in goal.sub_goals:
            if child.pk not in seen:
                walk(child)

    for items in roots.values():
        for goal in items:
            walk(goal)
    for goal in social:
        if goal.pk not in seen:
            roots[goal.business_goal_id].append(goal)
            walk(goal)
    for goal in goals:
        goal.roots = roots[goal.pk]
        goal.owner_name = person(goal.owner)
        goal.horizon_text = day(goal.horizon)


def load_document(version: StrategyVersion) -> Document:
    """The version as a tree for reading, in a fixed number of queries."""
    lang = language()
    disciplines = [
        DisciplineText(
            value=value,
            name=get_playbook(value).name.get(lang),
            summary=get_playbook(value).summary.get(lang),
            is_primary=primary,
        )
        for value, primary in (
            (version.primary_discipline, True),
            (version.secondary_discipline, False),
        )
        if value
    ]
    goals = list(version.businessgoals.select_related("owner"))
    social = list(version.socialgoals.all())
    kpis = list(version.kpis.select_related("owner"))
    for kpi in kpis:
        _prepare_kpi(kpi)
    _social_tree(goals, social, kpis)
    version.published_by_name = person(version.published_by) or _("a former member")
    version.signed_off_by_name = person(version.signed_off_by) or _("a former member")
    channels = list(version.channels.all())
    for channel in channels:
        channel.platform_name = channel.get_platform_display()
    # KPIs in tree order, for the list of owners.
    ordered: list[Kpi] = []

    def collect(goal):
        ordered.extend(goal.kpi_list)
        for child in goal.sub_goals:
            collect(child)

    for goal in goals:
        for root in goal.roots:
            collect(root)
    return Document(
        version=version,
        organisation=version.organisation,
        disciplines=disciplines,
        business_goals=goals,
        audiences=list(version.audiences.all()),
        channels=channels,
        pillars=list(version.contentpillars.all()),
        kpis=ordered,
        social_goal_count=len(social),
    )


def filename(version: StrategyVersion, extension: str) -> str:
    return f"koers-strategy-{version.organisation.slug}-v{version.number}.{extension}"


def sign_off_text(version: StrategyVersion) -> str:
    if version.is_signed_off:
        return _("Signed off by %(person)s on %(date)s.") % {
            "person": person(version.signed_off_by) or _("a former member"),
            "date": day(version.signed_off_at),
        }
    return _("Not signed off by management yet.")


def published_text(version: StrategyVersion) -> str:
    if version.published_at is None:
        return ""
    return _("Published on %(date)s by %(person)s.") % {
        "date": day(version.published_at),
        "person": person(version.published_by) or _("a former member"),
    }


# --- Markdown ------------------------------------------------------------------------


def _md_inline(text: str) -> str:
    """One line of the organisation's text, safe inside a list item or heading."""
    return " ".join(text.split())


def _md_cell(text: str) -> str:
    return _md_inline(text).replace("|", "\\|") or "—"


def _md_block(text: str) -> str:
    """The organisation's text as paragraphs, with its own line breaks kept."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _md_kpis(kpis: list[Kpi]) -> list[str]:
    if not kpis:
        return [_("No KPIs yet."), ""]
    headings = [
        _("KPI"),
        _("Baseline"),
        _("Target"),
        _("Direction"),
        _("Period"),
        _("Owner"),
        _("Measured"),
    ]
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for kpi in kpis:
        cells = [
            kpi.name,
            kpi.baseline_text,
            kpi.target_text,
            kpi.direction_label,
            kpi.period_text,
            kpi.owner_name,
            kpi.source_label,
        ]
        lines.append("| " + " | ".join(_md_cell(cell) for cell in cells) + " |")
    return [*lines, ""]


def _md_social_goal(goal: SocialGoal, depth: int) -> list[str]:
    label = _("Social goal") if depth == 0 else _("Sub-goal")
    lines = [f"{'#' * min(4 + depth, 6)} {label}: {_md_inline(goal.title)}", ""]
    if goal.parent_title:
        lines += [_("Part of “%(title)s”.") % {"title": _md_inline(goal.parent_title)}, ""]
    if goal.description.strip():
        lines += [_md_block(goal.description), ""]
    lines += _md_kpis(goal.kpi_list)
    for child in goal.sub_goals:
        lines += _md_social_goal(child, depth + 1)
    return lines


def _md_named(items, name_attribute: str, text_attribute: str) -> list[str]:
    if not items:
        return [_("None."), ""]
    lines = []
    for item in items:
        name = _md_inline(str(getattr(item, name_attribute)))
        text = _md_inline(getattr(item, text_attribute))
        lines.append(f"- **{name}**" + (f": {text}" if text else ""))
    return [*lines, ""]


def render_markdown(document: Document) -> str:
    version = document.version
    title = _("Strategy of %(organisation)s, version %(number)s") % {
        "organisation": document.organisation.name,
        "number": version.number,
    }
    lines = [f"# {_md_inline(title)}", ""]
    if not document.is_current:
        lines += [f"*{_('Earlier version, not the current strategy.')}*", ""]
    lines += [published_text(version), "", f"**{sign_off_text(version)}**", ""]
    lines += [f"## {_('Mission')}", "", _md_block(version.mission) or "—", ""]
    lines += [f"## {_('Vision')}", "", _md_block(version.vision) or "—", ""]
    lines += [f"## {_('Value discipline')}", ""]
    for discipline in document.disciplines:
        which = _("main") if discipline.is_primary else _("second")
        lines += [f"**{discipline.name}** ({which})", "", discipline.summary, ""]
    if not document.disciplines:
        lines += ["—", ""]
    lines += [f"## {_('Goals and KPIs')}", ""]
    for n, goal in enumerate(document.business_goals, start=1):
        lines += [f"### {_('Business goal')} {n}: {_md_inline(goal.title)}", ""]
        facts = []
        if goal.owner_name:
            facts.append(_("Owner: %(person)s") % {"person": goal.owner_name})
        if goal.horizon_text:
            facts.append(_("Horizon: %(date)s") % {"date": goal.horizon_text})
        if facts:
            lines += [" · ".join(facts), ""]
        if goal.description.strip():
            lines += [_md_block(goal.description), ""]
        for social in goal.roots:
            lines += _md_social_goal(social, 0)
    lines += [f"## {_('Audiences')}", "", *_md_named(document.audiences, "name", "description")]
    channels = [(channel.platform_name, channel.purpose) for channel in document.channels]
    lines += [f"## {_('Channels and what each is for')}", ""]
    lines += [f"- **{name}**: {_md_inline(purpose)}" for name, purpose in channels] or [_("None.")]
    lines += ["", f"## {_('Content pillars')}", ""]
    lines += _md_named(document.pillars, "name", "description")
    lines += [f"## {_('Roles')}", "", f"### {_('Role of webcare')}", ""]
    lines += [_md_block(version.webcare_role) or "—", "", f"### {_('KPI owners')}", ""]
    owners = [
        f"- **{_md_inline(name)}**: {', '.join(_md_inline(k) for k in kpis)}"
        for name, kpis in document.kpi_owners
    ]
    lines += [*(owners or [_("No KPI has an owner yet.")]), ""]
    lines += [f"## {_('Sign-off')}", "", sign_off_text(version), ""]
    if version.change_note.strip():
        lines += [f"## {_('What changed in this version')}", "", _md_block(version.change_note), ""]
    lines += ["---", "", _("Exported from Koers on %(date)s.") % {"date": day(timezone.now())}, ""]
    return "\n".join(lines)


# --- PDF -----------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    """The export never loads anything: no remote fonts, images or style sheets."""
    raise ValueError(f"The strategy export loads no resources ({url!r}).")


def _no_fetcher():
    try:  # WeasyPrint 66 and later: a fetcher object that allows no protocol at all
        from weasyprint.urls import URLFetcher
    except ImportError:  # older versions take a function
        return _refuse_fetch
    return URLFetcher(allowed_protocols=())


def render_html(document: Document) -> str:
    return render_to_string(
        "strategy/export.html",
        {
            "document": document,
            "version": document.version,
            "org": document.organisation,
            "published_text": published_text(document.version),
            "sign_off_text": sign_off_text(document.version),
            "exported_on": day(timezone.now()),
        },
    )


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only the export needs.
    from weasyprint import HTML

    return HTML(string=render_html(document), base_url=None, url_fetcher=_no_fetcher()).write_pdf()

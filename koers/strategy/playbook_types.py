"""The shape of a strategy playbook: plain, framework-free data.

A playbook is what the strategy wizard proposes for one value discipline (Treacy &
Wiersema): social goals with KPIs, audiences, channels with their purpose, content
pillars and the role of webcare. Every text exists in Dutch and English; the wizard
copies the organisation's language into an editable draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Discipline = Literal["operational_excellence", "customer_intimacy", "product_leadership"]
DISCIPLINES: tuple[Discipline, ...] = (
    "operational_excellence",
    "customer_intimacy",
    "product_leadership",
)


@dataclass(frozen=True)
class Text:
    """One text in both languages."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True)
class KpiProposal:
    """A KPI the wizard proposes.

    ``source`` says who measures it: "koers" (measured automatically by a later part of
    Koers, named by ``measure``) or "manual" (entered by hand). ``direction`` says which
    way is better. ``suggested_target`` is a starting point the organisation must
    confirm or change; None when no sensible general figure exists.
    """

    key: str
    name: Text
    unit: Text
    direction: Literal["increase", "decrease"]
    source: Literal["koers", "manual"]
    measure: str | None
    suggested_target: Decimal | None
    why: Text


@dataclass(frozen=True)
class SocialGoalProposal:
    key: str
    title: Text
    description: Text
    kpis: tuple[KpiProposal, ...]


@dataclass(frozen=True)
class AudienceProposal:
    name: Text
    description: Text


@dataclass(frozen=True)
class ChannelProposal:
    """A channel with the purpose it serves in this discipline. ``platform`` is one of
    PLATFORMS."""

    platform: str
    purpose: Text


@dataclass(frozen=True)
class PillarProposal:
    name: Text
    description: Text


@dataclass(frozen=True)
class Playbook:
    discipline: Discipline
    name: Text
    summary: Text
    social_goals: tuple[SocialGoalProposal, ...]
    audiences: tuple[AudienceProposal, ...]
    channels: tuple[ChannelProposal, ...]
    pillars: tuple[PillarProposal, ...]
    webcare_role: Text


PLATFORMS = (
    "linkedin",
    "instagram",
    "facebook",
    "x",
    "mastodon",
    "bluesky",
    "youtube",
    "tiktok",
    "whatsapp",
    "website",
)

# What Koers itself will measure (later issues implement each); KPIs with source
# "koers" must name one of these.
MEASURES = {
    "webcare.first_response_minutes": "median minutes to first reply in webcare",
    "webcare.handled_within_sla_share": "share of webcare contacts answered within target",
    "webcare.contacts": "number of webcare contacts handled",
    "listening.mentions": "number of mentions",
    "listening.positive_share": "share of mentions with positive sentiment",
    "listening.negative_share": "share of mentions with negative sentiment",
    "listening.share_of_voice": "share of voice against the named competitors",
    "listening.questions_and_ideas": "mentions classified as question or idea",
    "publishing.engagement_rate": "engagements per impression on own posts",
    "publishing.reach": "reach of own posts",
    "content.ideas_submitted": "ideas submitted by employees",
    "content.ideas_published": "employee ideas that became posts",
    "support.ambassadors": "employees who share approved content",
}

"""The maturity model: how far an organisation has come in running social media as a
continuous process in service of its strategy. Framework-free: plain data in, plain
data out, every text in Dutch and English.

Five stages (Ad hoc, Experimenting, Structured, Integrated, Strategic) and five
dimensions (strategy, support, process, measurement, learning). For each dimension the
organisation picks the level (1–5) whose description fits it best. Koers then checks
the claim against what it can see itself: the *evidence* caps a level where Koers knows
better (no published strategy means "strategy" is at most 2, whatever anyone thinks).

Scoring, as documented on the maturity page:

- per dimension, effective level = min(self-assessed level, evidence cap); a dimension
  without evidence in Koers has no cap and counts as assessed;
- stage = the mean of the five effective levels, rounded down. Rounding down keeps the
  stage honest: an organisation is only "Integrated" when it is there on average, and a
  single strong dimension cannot lift it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koers.strategy.playbook_types import Text

LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Stage:
    number: int
    name: Text
    description: Text


@dataclass(frozen=True)
class Dimension:
    """One aspect of maturity, with a description of each of the five levels."""

    key: str
    name: Text
    question: Text
    levels: tuple[Text, Text, Text, Text, Text]

    def level(self, number: int) -> Text:
        return self.levels[number - 1]


STAGES: tuple[Stage, ...] = (
    Stage(
        1,
        Text("Ad hoc", "Ad hoc"),
        Text(
            "Social media gebeurt als iemand er tijd voor heeft. Niemand kan zeggen welk "
            "bedrijfsdoel een bericht dient.",
            "Social media happens when someone has time for it. Nobody can say which "
            "business goal a post serves.",
        ),
    ),
    Stage(
        2,
        Text("Experimenterend", "Experimenting"),
        Text(
            "Enkele enthousiastelingen proberen kanalen en vormen uit. Er zijn losse "
            "afspraken, maar het hangt af van een paar mensen.",
            "A few enthusiasts try out channels and formats. There are some agreements, "
            "but it depends on a handful of people.",
        ),
    ),
    Stage(
        3,
        Text("Gestructureerd", "Structured"),
        Text(
            "Er is een vastgestelde social-mediastrategie, een vast redactieproces en er "
            "wordt gemeten tegen doelen.",
            "There is an agreed social media strategy, a fixed editorial process, and "
            "results are measured against goals.",
        ),
    ),
    Stage(
        4,
        Text("Geïntegreerd", "Integrated"),
        Text(
            "Social media is onderdeel van het werk van de hele organisatie: elke afdeling "
            "doet mee, de leiding geeft het goede voorbeeld.",
            "Social media is part of the work of the whole organisation: every department "
            "takes part, management sets the example.",
        ),
    ),
    Stage(
        5,
        Text("Strategisch", "Strategic"),
        Text(
            "Social media stuurt mee op de bedrijfsstrategie: de organisatie leert "
            "voortdurend en wordt zelden verrast.",
            "Social media helps steer the business strategy: the organisation learns "
            "continuously and is rarely taken by surprise.",
        ),
    ),
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "strategy",
        Text("Strategie", "Strategy"),
        Text(
            "Hoe sterk is social media afgeleid van de bedrijfsstrategie?",
            "How closely is social media derived from the business strategy?",
        ),
        (
            Text(
                "Er zijn geen doelen voor social media; berichten hebben geen verband met "
                "wat de organisatie wil bereiken.",
                "There are no goals for social media; posts have no link with what the "
                "organisation wants to achieve.",
            ),
            Text(
                "Er zijn wat doelen voor social media, maar ze zijn niet afgeleid van de "
                "bedrijfsdoelen.",
                "There are some goals for social media, but they are not derived from the "
                "business goals.",
            ),
            Text(
                "Een social-mediastrategie is opgeschreven en gepubliceerd; de doelen "
                "hangen aan bedrijfsdoelen.",
                "A social media strategy is written down and published; its goals hang "
                "from business goals.",
            ),
            Text(
                "De leiding heeft de strategie ondertekend; elk bericht dient een doel en "
                "de strategie wordt regelmatig herzien.",
                "Management has signed off the strategy; every post serves a goal and the "
                "strategy is reviewed regularly.",
            ),
            Text(
                "Social media is deel van de bedrijfsstrategie zelf; de leiding stuurt erop "
                "en past de strategie aan op wat we leren.",
                "Social media is part of the business strategy itself; management steers "
                "on it and adjusts the strategy to what we learn.",
            ),
        ),
    ),
    Dimension(
        "support",
        Text("Draagvlak", "Support"),
        Text(
            "Hoe breed wordt social media gedragen in de organisatie?",
            "How widely is social media supported across the organisation?",
        ),
        (
            Text(
                "Social media is de hobby van één persoon of afdeling; anderen weten niet "
                "waar het voor is.",
                "Social media is the hobby of one person or department; others do not know "
                "what it is for.",
            ),
            Text(
                "Een paar enthousiastelingen doen mee; de leiding laat het toe, maar staat "
                "er niet achter.",
                "A few enthusiasts take part; management allows it but does not sponsor it.",
            ),
            Text(
                "De leiding staat erachter, de meeste afdelingen kennen de strategie en er "
                "is een eerste groep ambassadeurs.",
                "Management sponsors it, most departments know the strategy, and there is "
                "a first group of ambassadors.",
            ),
            Text(
                "Elke afdeling doet mee, leidinggevenden geven het voorbeeld en er is een "
                "ambassadeursnetwerk over afdelingen heen.",
                "Every department takes part, managers set the example, and there is an "
                "ambassador network across departments.",
            ),
            Text(
                "Het draagvlak is breed en gemeten: medewerkers leggen de strategie in "
                "eigen woorden uit en dragen uit zichzelf bij.",
                "Support is broad and measured: employees explain the strategy in their "
                "own words and contribute of their own accord.",
            ),
        ),
    ),
    Dimension(
        "process",
        Text("Proces", "Process"),
        Text(
            "Is social media een doorlopend proces met een rol voor iedereen?",
            "Is social media a continuous process with a role for everyone?",
        ),
        (
            Text(
                "Berichten gaan de deur uit als iemand tijd heeft; geen planning, geen "
                "akkoord vooraf.",
                "Posts go out when someone has time; no planning, no approval.",
            ),
            Text(
                "Er is een kalender en er zijn wat afspraken, maar ze hangen af van een of "
                "twee mensen.",
                "There is a calendar and some agreements, but they depend on one or two people.",
            ),
            Text(
                "Een vast redactieproces van idee tot planning, met akkoord; de richtlijnen "
                "zijn opgeschreven.",
                "A fixed editorial process from idea to schedule, with approval; the "
                "guidelines are written down.",
            ),
            Text(
                "Elke medewerker heeft een kleine rol (melden, delen, beantwoorden); de "
                "richtlijnen zijn bekend en bevestigd; webcare met afgesproken reactietijden.",
                "Every employee has a small role (reporting, sharing, answering); the "
                "guidelines are known and acknowledged; webcare with agreed response times.",
            ),
            Text(
                "Het proces loopt doorlopend en wordt op data verbeterd; richtlijnen worden "
                "na incidenten aangepast en opnieuw bevestigd.",
                "The process runs continuously and is improved on data; guidelines are "
                "updated after incidents and acknowledged again.",
            ),
        ),
    ),
    Dimension(
        "measurement",
        Text("Meten", "Measurement"),
        Text(
            "Weten we of social media werkt?",
            "Do we know whether social media works?",
        ),
        (
            Text(
                "Er wordt niets gemeten, of alleen af en toe volgers en likes.",
                "Nothing is measured, or only followers and likes now and then.",
            ),
            Text(
                "Bereik en interactie worden per kanaal gemeten, maar niet aan doelen gekoppeld.",
                "Reach and engagement are measured per channel, but not linked to goals.",
            ),
            Text(
                "Elk doel heeft KPI's met streefwaarden, die regelmatig worden gemeten.",
                "Every goal has KPIs with targets, measured regularly.",
            ),
            Text(
                "De KPI's worden tegen de streefwaarden aan de leiding gerapporteerd; "
                "draagvlak wordt per afdeling gemeten.",
                "The KPIs are reported to management against their targets; support is "
                "measured per department.",
            ),
            Text(
                "De bijdrage aan de bedrijfsresultaten (ROI) is bekend en bepaalt waar we "
                "in investeren.",
                "The contribution to business results (ROI) is known and decides what we "
                "invest in.",
            ),
        ),
    ),
    Dimension(
        "learning",
        Text("Leren", "Learning"),
        Text(
            "Leert de organisatie van wat er gebeurt, ook van het onverwachte?",
            "Does the organisation learn from what happens, including the unexpected?",
        ),
        (
            Text(
                "Incidenten komen als een verrassing en zijn snel vergeten.",
                "Incidents come as a surprise and are soon forgotten.",
            ),
            Text(
                "Na een incident wordt erover gepraat, maar niets vastgelegd.",
                "After an incident people talk about it, but nothing is written down.",
            ),
            Text(
                "Incidenten en experimenten worden vastgelegd met wat we ervan leren.",
                "Incidents and experiments are written down with what we learn from them.",
            ),
            Text(
                "Lessen leiden tot aanpassingen in richtlijnen en proces; monitoring "
                "waarschuwt vroeg.",
                "Lessons lead to changes in guidelines and process; listening gives early "
                "warnings.",
            ),
            Text(
                "De organisatie experimenteert bewust, besluit op resultaten en wordt "
                "zelden verrast.",
                "The organisation experiments on purpose, decides on results and is rarely "
                "taken by surprise.",
            ),
        ),
    ),
)

DIMENSION_KEYS = tuple(d.key for d in DIMENSIONS)
_DIMENSIONS_BY_KEY = {d.key: d for d in DIMENSIONS}


def dimension(key: str) -> Dimension:
    return _DIMENSIONS_BY_KEY[key]


def stage(number: int) -> Stage:
    return STAGES[number - 1]


# Why a dimension is capped (or not). Placeholders are filled from Cap.params.
REASONS: dict[str, Text] = {
    "strategy.none": Text(
        "Er is nog geen gepubliceerde strategie: hoogstens niveau 2.",
        "There is no published strategy yet: at most level 2.",
    ),
    "strategy.not_signed_off": Text(
        "De strategie is gepubliceerd, maar niet ondertekend door de leiding: hoogstens niveau 3.",
        "The strategy is published but not signed off by management: at most level 3.",
    ),
    "strategy.signed_off": Text(
        "De strategie is gepubliceerd en ondertekend door de leiding.",
        "The strategy is published and signed off by management.",
    ),
    "support.not_measured": Text(
        "Het draagvlak is nog niet gemeten met een afgesloten peiling: hoogstens niveau 2.",
        "Support has not been measured in a closed survey yet: at most level 2.",
    ),
    "support.index": Text(
        "Draagvlakindex van de laatste peiling: {index} (hoogstens niveau {level}).",
        "Draagvlak index of the latest survey: {index} (at most level {level}).",
    ),
    "process.not_measured": Text(
        "Bevestiging van de richtlijnen wordt nog niet gemeten; je eigen inschatting telt.",
        "Guideline acknowledgement is not measured yet; your own assessment counts.",
    ),
    "process.acknowledged": Text(
        "{percent}% van de medewerkers heeft de huidige richtlijnen bevestigd (hoogstens "
        "niveau {level}).",
        "{percent}% of the employees acknowledged the current guidelines (at most level {level}).",
    ),
    "measurement.no_strategy": Text(
        "Zonder gepubliceerde strategie zijn er geen afgesproken KPI's en streefwaarden om "
        "tegen te meten: hoogstens niveau 2.",
        "Without a published strategy there are no agreed KPIs and targets to measure "
        "against: at most level 2.",
    ),
    "measurement.kpis": Text(
        "De gepubliceerde strategie legt KPI's met streefwaarden vast; je eigen inschatting telt.",
        "The published strategy sets KPIs with targets; your own assessment counts.",
    ),
    "learning.not_measured": Text(
        "Koers legt incidenten en lessen nog niet vast; je eigen inschatting telt.",
        "Koers does not record incidents and lessons yet; your own assessment counts.",
    ),
}


@dataclass(frozen=True)
class Evidence:
    """What Koers can see itself. ``draagvlak_index`` is the overall index (0–100) of the
    latest closed wave, None when there is none (or it could not be shown);
    ``guideline_ack_rate`` (0–1) is None until guidelines exist."""

    strategy_published: bool
    strategy_signed_off: bool
    draagvlak_index: int | None
    guideline_ack_rate: float | None


@dataclass(frozen=True)
class Cap:
    """The highest level the evidence supports for one dimension (None: no cap), and
    why."""

    level: int | None
    reason: str
    params: dict = field(default_factory=dict)

    def because(self, language: str) -> str:
        return REASONS[self.reason].get(language).format(level=self.level, **self.params)


@dataclass(frozen=True)
class DimensionResult:
    key: str
    assessed: int
    cap: Cap

    @property
    def effective(self) -> int:
        return self.assessed if self.cap.level is None else min(self.assessed, self.cap.level)

    @property
    def is_capped(self) -> bool:
        return self.effective < self.assessed


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionResult, ...]

    @property
    def mean(self) -> float:
        return sum(d.effective for d in self.dimensions) / len(self.dimensions)

    @property
    def stage(self) -> int:
        # Integer division is the floor of the mean without float rounding surprises.
        return sum(d.effective for d in self.dimensions) // len(self.dimensions)

    def dimension(self, key: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.key == key)


def _index_level(value: int) -> int:
    if value < 40:
        return 2
    if value < 60:
        return 3
    if value < 80:
        return 4
    return 5


def _acknowledgement_level(rate: float) -> int:
    if rate < 0.5:
        return 2
    if rate < 0.7:
        return 3
    if rate < 0.9:
        return 4
    return 5


def caps(evidence: Evidence) -> dict[str, Cap]:
    """Per dimension, what the evidence supports (independent of the self-assessment)."""
    if evidence.draagvlak_index is not None and not 0 <= evidence.draagvlak_index <= 100:
        raise ValueError(f"draagvlak_index must be 0–100, got {evidence.draagvlak_index!r}")
    if evidence.guideline_ack_rate is not None and not 0 <= evidence.guideline_ack_rate <= 1:
        raise ValueError(f"guideline_ack_rate must be 0–1, got {evidence.guideline_ack_rate!r}")

    if not evidence.strategy_published:
        strategy = Cap(2, "strategy.none")
    elif not evidence.strategy_signed_off:
        strategy = Cap(3, "strategy.not_signed_off")
    else:
        strategy = Cap(None, "strategy.signed_off")

    if evidence.draagvlak_index is None:
        support = Cap(2, "support.not_measured")
    else:
        support = Cap(
            _index_level(evidence.draagvlak_index),
            "support.index",
            {"index": evidence.draagvlak_index},
        )

    if evidence.guideline_ack_rate is None:
        process = Cap(None, "process.not_measured")
    else:
        process = Cap(
            _acknowledgement_level(evidence.guideline_ack_rate),
            "process.acknowledged",
            {"percent": round(evidence.guideline_ack_rate * 100)},
        )

    if evidence.strategy_published:
        measurement = Cap(None, "measurement.kpis")
    else:
        measurement = Cap(2, "measurement.no_strategy")

    return {
        "strategy": strategy,
        "support": support,
        "process": process,
        "measurement": measurement,
        "learning": Cap(None, "learning.not_measured"),
    }


def validate_levels(levels: dict[str, int]) -> None:
    """ValueError naming the first problem: an unknown or missing dimension, or a level
    that is not a whole number from 1 to 5."""
    if not isinstance(levels, dict):
        raise ValueError(f"levels must be a dict, got {type(levels).__name__}")
    for key in levels:
        if key not in _DIMENSIONS_BY_KEY:
            raise ValueError(f"unknown dimension {key!r}")
    for key in DIMENSION_KEYS:
        if key not in levels:
            raise ValueError(f"missing dimension {key!r}")
        value = levels[key]
        # bool is an int in Python; True is not a level.
        if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
            raise ValueError(f"level of dimension {key!r} must be 1–5, got {value!r}")


def assess(levels: dict[str, int], evidence: Evidence) -> Result:
    """The self-assessment checked against the evidence: per dimension the assessed
    level, the cap with its reason and the effective level, and the stage."""
    validate_levels(levels)
    found = caps(evidence)
    return Result(
        dimensions=tuple(DimensionResult(key, levels[key], found[key]) for key in DIMENSION_KEYS)
    )

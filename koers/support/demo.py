"""The draagvlak demo of Van Dijk Fietsen: three closed pulse-survey waves in 2026.

The story: the organisation grows into its social media strategy (the draagvlak index
rises from the mid-forties in February to the low sixties in September), management
knows the strategy by heart, and Productie & Werkplaats lags behind in every wave: the
workshop often names the wrong value discipline, picks few of the right goals, is not
very enthusiastic and does not see its managers set the example. So the readiness
verdict says "build support first" and names that department.

Directie consists of owners and a manager only: they answer as "management", so
Directie never appears as a department of its own. In February only four of the five
employees of Financiën & HR answered: a group below the minimum, folded into "other"
(together with the smallest shown group, so that it cannot be worked out by
subtraction).

Each wave is scored against the strategy version published when it was launched:
version 1 in February, version 2 (same discipline and goals) from May.

Deterministic: fixed dates, and every choice comes from ``random.Random`` with a fixed
seed per person or per wave. Only the ids, the ticket salts, the order of the goal
options and which three wrong goals are offered (both follow ids) differ between runs;
the figures do not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from koers.orgs.capabilities import Role
from koers.orgs.models import Membership
from koers.strategy.demo import SOCIAL_GOALS
from koers.strategy.models import Status as StrategyStatus
from koers.strategy.models import StrategyVersion
from koers.support import actions
from koers.support.models import (
    Question,
    QuestionKind,
    Response,
    Ticket,
    TicketStatus,
    Wave,
    WaveStatus,
)
from koers.support.question_bank import standard_questions

SEED = "koers-demo-draagvlak"
ZONE = ZoneInfo("Europe/Amsterdam")
LANGUAGE = "nl"
MANAGEMENT = "management"
LAGGING = "Productie & Werkplaats"
# The habits of an average department, for anyone outside the demo's groups.
OTHERS = "Financiën & HR"


def _rng(*parts) -> random.Random:
    """A generator with a fixed seed: the same draws on every run."""
    return random.Random(":".join([SEED, *map(str, parts)]))  # noqa: S311  (demo data)


def _moment(month: int, day: int, hour: int = 9) -> datetime:
    return datetime.combine(date(2026, month, day), time(hour), tzinfo=ZONE)


@dataclass(frozen=True)
class Mood:
    """How a group answers in one wave.

    ``support`` and ``example``: the mean Likert answer (1–5) to the support and the
    management-example statements; ``understanding``: 0–1, the chance of naming the
    value discipline and of picking each of the strategy's goals; ``answered``: how
    many of the group hand in their answers.
    """

    support: float
    example: float
    understanding: float
    answered: int


@dataclass(frozen=True)
class DemoWave:
    title: str
    intro: str
    created: datetime
    launched: datetime
    reminded: datetime
    closes: datetime
    # Group (a department name, or MANAGEMENT) → mood.
    moods: dict[str, Mood]
    # Started but never finished (in Productie & Werkplaats).
    started: int = 1


INTRO = (
    "We willen weten hoe jij aankijkt tegen social media bij Van Dijk Fietsen: weet je "
    "wat we ermee willen bereiken, geloof je erin, en wat heb je nodig om mee te doen? "
    "Het invullen duurt ongeveer vijf minuten en is anoniem."
)

WAVES = (
    DemoWave(
        title="Nulmeting draagvlak februari 2026",
        intro=INTRO,
        created=_moment(1, 26, 14),
        launched=_moment(2, 2),
        reminded=_moment(2, 9),
        closes=_moment(2, 15, 23),
        moods={
            MANAGEMENT: Mood(support=4.4, example=3.6, understanding=0.92, answered=5),
            "Marketing & Communicatie": Mood(4.1, 3.2, 0.70, answered=6),
            "Klantenservice": Mood(3.8, 3.2, 0.62, answered=5),
            "Financiën & HR": Mood(3.6, 3.0, 0.58, answered=4),
            LAGGING: Mood(2.8, 1.9, 0.35, answered=8),
        },
    ),
    DemoWave(
        title="Draagvlakpeiling mei 2026",
        intro=INTRO,
        created=_moment(4, 27, 11),
        launched=_moment(5, 4),
        reminded=_moment(5, 11),
        closes=_moment(5, 15, 23),
        moods={
            MANAGEMENT: Mood(4.6, 4.0, 0.97, answered=5),
            "Marketing & Communicatie": Mood(4.4, 3.7, 0.80, answered=6),
            "Klantenservice": Mood(4.2, 3.8, 0.76, answered=6),
            "Financiën & HR": Mood(4.0, 3.6, 0.76, answered=5),
            LAGGING: Mood(3.0, 2.0, 0.40, answered=8),
        },
    ),
    DemoWave(
        title="Draagvlakpeiling september 2026",
        intro=INTRO,
        created=_moment(8, 24, 10),
        launched=_moment(9, 1),
        reminded=_moment(9, 8),
        closes=_moment(9, 15, 23),
        moods={
            MANAGEMENT: Mood(4.9, 4.6, 0.97, answered=6),
            "Marketing & Communicatie": Mood(4.8, 4.4, 0.92, answered=7),
            "Klantenservice": Mood(4.6, 4.5, 0.93, answered=7),
            "Financiën & HR": Mood(4.5, 4.3, 0.88, answered=5),
            LAGGING: Mood(3.4, 2.2, 0.52, answered=7),
        },
    ),
)

# Put their name forward for the ambassador team after the September wave.
AMBASSADORS = (
    "noor.meijer",
    "emma.bos",
    "wouter.dijkstra",
    "iris.hoekstra",
)

# Small differences between the statements of one component (they average out).
SUPPORT_ITEMS = {
    "enthusiastic": 0.1,
    "helps_business_goals": 0.0,
    "worth_the_time": -0.3,
    "proud_to_share": 0.2,
}
EXAMPLE_ITEMS = {
    "managers_take_part": -0.2,
    "management_explains_why": 0.3,
    "manager_makes_time": -0.1,
}

# Which of the strategy's goals a group thinks of first (the key in
# koers.strategy.demo.SOCIAL_GOALS → how much likelier than average).
GOAL_AFFINITY = {
    MANAGEMENT: {},
    "Marketing & Communicatie": {"craft": 1.1, "ambassadors": 1.1, "webcare": 0.9},
    "Klantenservice": {"webcare": 1.3, "aftercare": 1.2, "craft": 0.8},
    "Financiën & HR": {"ambassadors": 1.2, "ideas": 0.8},
    LAGGING: {"craft": 1.8, "ideas": 1.3, "webcare": 0.5, "aftercare": 0.6},
}

# The discipline named by someone who does not name the strategy's own: the workshop
# thinks it is all about the best bike; elsewhere it is a toss-up.
WRONG_DISCIPLINE = {
    LAGGING: (("product_leadership", 3), ("operational_excellence", 1)),
}
DEFAULT_WRONG_DISCIPLINE = (("product_leadership", 2), ("operational_excellence", 1))

PLATFORMS = {
    MANAGEMENT: {"linkedin": 0.95, "facebook": 0.6, "instagram": 0.4, "whatsapp": 0.95,
                 "youtube": 0.4, "x": 0.2},
    "Marketing & Communicatie": {"linkedin": 1.0, "instagram": 0.95, "facebook": 0.8,
                                 "tiktok": 0.5, "youtube": 0.7, "whatsapp": 0.95,
                                 "bluesky": 0.3, "mastodon": 0.1, "x": 0.2},
    "Klantenservice": {"linkedin": 0.6, "instagram": 0.7, "facebook": 0.8, "whatsapp": 1.0,
                       "youtube": 0.5, "tiktok": 0.4, "x": 0.15},
    "Financiën & HR": {"linkedin": 0.9, "facebook": 0.6, "instagram": 0.5, "whatsapp": 0.95,
                       "youtube": 0.3},
    LAGGING: {"linkedin": 0.2, "instagram": 0.45, "facebook": 0.6, "whatsapp": 0.9,
              "youtube": 0.8, "tiktok": 0.35},
}  # fmt: skip

HELPS = {
    MANAGEMENT: (("time", 3), ("guidelines", 2), ("examples", 1), ("nothing", 2)),
    "Marketing & Communicatie": (("nothing", 3), ("examples", 2), ("time", 2)),
    "Klantenservice": (("guidelines", 3), ("training", 2), ("time", 2), ("examples", 1)),
    "Financiën & HR": (("examples", 3), ("guidelines", 2), ("training", 2)),
    LAGGING: (("time", 4), ("training", 3), ("examples", 2), ("guidelines", 1)),
}

SHOULD_CHANGE = {
    MANAGEMENT: (
        "Meer verhalen uit de werkplaats laten zien, daar zit ons vakmanschap.",
        "Elke afdeling een vaste ambassadeur, dan hoeft niet alles via marketing.",
        "Vaker laten zien wat we met ideeën van klanten doen.",
    ),
    "Marketing & Communicatie": (
        "Sneller aanleveren van foto's en nieuws vanuit de andere afdelingen.",
        "Een vast moment per week om ideeën van collega's op te halen.",
        "Minder ad hoc, meer plannen rond de co-creatiedagen.",
        "Collega's actiever laten delen, nu doen vooral wij het.",
    ),
    "Klantenservice": (
        "Duidelijke afspraken over wie reageert als een klant op Facebook klaagt.",
        "Vaker delen wat klanten over hun fiets vertellen, dat horen wij elke dag.",
        "Een training in korte, persoonlijke antwoorden op social media.",
    ),
    "Financiën & HR": (
        "Social media ook gebruiken om nieuwe collega's te werven.",
        "Een simpele uitleg wat wel en niet gedeeld mag worden.",
    ),
    LAGGING: (
        "Eerst uitleggen waarom dit belangrijk is voor ons in de werkplaats.",
        "We hebben er geen tijd voor naast de productie.",
        "Laat de monteurs zelf eens iets filmen, dat is echter dan een reclame.",
        "Ik weet niet wat ik zou moeten posten.",
        "Als de leiding het zelf niet doet, waarom zouden wij dan?",
    ),
}


class Person:
    """A surveyed member, with a character that stays the same in every wave: how
    much more or less positive than their group they are, and their own social media
    use."""

    def __init__(self, membership: Membership, group: str):
        self.membership = membership
        self.name = membership.user.email.split("@")[0]
        self.group = group
        draw = _rng("person", self.name)
        self.support = draw.gauss(0, 0.35)
        self.example = draw.gauss(0, 0.3)
        self.understanding = draw.gauss(0, 0.08)
        self.platforms = {
            platform
            for platform, chance in PLATFORMS.get(group, PLATFORMS[OTHERS]).items()
            if draw.random() < chance
        }
        self.activity = draw.random()


def _people(org) -> list[Person]:
    members = (
        Membership.objects.for_org(org)
        .filter(role__in=actions.SURVEYED_ROLES, user__is_active=True)
        .select_related("user", "department")
        .order_by("user__email")
    )
    people = []
    for membership in members:
        if membership.role in actions.MANAGEMENT_ROLES:
            group = MANAGEMENT
        else:
            group = membership.department.name if membership.department else ""
        people.append(Person(membership, group))
    return people


def _likert(rng: random.Random, level: float, bias: float = 0.0, spread: float = 0.5) -> int:
    return min(5, max(1, round(level + bias + rng.gauss(0, spread))))


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _answers(
    person: Person,
    mood: Mood,
    rng: random.Random,
    *,
    discipline: str,
    goals: dict[str, str],
    distractors: list[str],
    number: int,
    ambassador: bool,
) -> dict:
    """One person's answers to one wave, keyed by question key."""
    support = mood.support + person.support
    example = mood.example + person.example
    understanding = min(0.98, max(0.05, mood.understanding + person.understanding))
    answers: dict = {}

    if rng.random() < understanding:
        answers["discipline"] = discipline
    else:
        wrong = WRONG_DISCIPLINE.get(person.group, DEFAULT_WRONG_DISCIPLINE)
        answers["discipline"] = _weighted(rng, [(d, w) for d, w in wrong if d != discipline])
    affinity = GOAL_AFFINITY.get(person.group, {})
    picked = [
        value
        for key, value in goals.items()
        if rng.random() < min(0.97, understanding * affinity.get(key, 1.0))
    ]
    picked += [value for value in distractors if rng.random() < (1 - understanding) * 0.35]
    if not picked:  # everyone picks at least one goal: the best known, or a wrong one
        known = goals.get("craft") or next(iter(goals.values()), None)
        fallback = known if rng.random() < understanding or not distractors else distractors[0]
        picked = [fallback] if fallback else []
    answers["top_goals"] = picked
    answers["strategy_known"] = _likert(rng, 1 + 4 * understanding)
    answers["own_role_known"] = _likert(rng, 4 * understanding + 0.6)

    for key, bias in SUPPORT_ITEMS.items():
        answers[key] = _likert(rng, support, bias)
    for key, bias in EXAMPLE_ITEMS.items():
        answers[key] = _likert(rng, example, bias)

    platforms = sorted(person.platforms) or ["none"]
    answers["platforms_used"] = platforms
    if platforms == ["none"]:
        answers["use_frequency"] = "rarely" if person.activity > 0.5 else "never"
    else:
        frequency = len(platforms) / 4 + person.activity
        answers["use_frequency"] = (
            "daily" if frequency > 1.4 else "weekly" if frequency > 0.9 else "monthly"
        )
    if "linkedin" not in person.platforms:
        answers["linkedin_up_to_date"] = "no_linkedin"
    else:
        # More profiles are brought up to date as the waves go by.
        up_to_date = person.activity + 0.15 * number + 0.1 * (support - 3)
        answers["linkedin_up_to_date"] = "yes" if up_to_date > 0.55 else "no"

    answers["share_ideas"] = _likert(rng, support - 0.3)
    answers["share_posts"] = _likert(rng, support - 0.5)
    keen = support + rng.gauss(0, 0.4)
    if ambassador or (keen > 4.6 and rng.random() < 0.3):
        answers["become_ambassador"] = "yes"
    else:
        answers["become_ambassador"] = "maybe" if keen > 3.6 else "no"
    helps = {_weighted(rng, HELPS.get(person.group, HELPS[OTHERS])) for _ in range(2)}
    answers["what_helps_contribute"] = ["nothing"] if "nothing" in helps else sorted(helps)
    if rng.random() < 0.35:
        answers["what_should_change"] = rng.choice(
            SHOULD_CHANGE.get(person.group, SHOULD_CHANGE[OTHERS])
        )
    return answers


def _strategy_at(org, moment: datetime) -> StrategyVersion | None:
    """The strategy version that was published when the wave was launched."""
    version = (
        StrategyVersion.objects.for_org(org)
        .filter(published_at__lte=moment)
        .exclude(status=StrategyStatus.DRAFT)
        .order_by("-published_at")
        .first()
    )
    return (
        version
        or StrategyVersion.objects.for_org(org).filter(status=StrategyStatus.PUBLISHED).first()
    )


def _questions(wave: Wave, strategy: StrategyVersion | None) -> list[Question]:
    """The standard questions, as actions.create_wave adds them, with the
    understanding options filled in as actions.launch_wave does."""
    disciplines, goals = ([], [])
    if strategy is not None:
        disciplines, goals = actions._understanding_options(wave, strategy, LANGUAGE)
    questions = []
    for position, bank in enumerate(standard_questions()):
        options = [{"value": o.value, "label": o.label.get(LANGUAGE)} for o in bank.options]
        if bank.kind == QuestionKind.DISCIPLINE:
            options = disciplines
        elif bank.kind == QuestionKind.TOP_GOALS:
            options = goals
        questions.append(
            Question(
                organisation=wave.organisation,
                wave=wave,
                key=bank.key,
                kind=bank.kind,
                component=bank.component,
                text=bank.text.get(LANGUAGE),
                help_text=bank.help_text.get(LANGUAGE) if bank.help_text else "",
                options=options,
                required=bank.required,
                position=position,
                bank_key=bank.key,
            )
        )
    return Question.objects.bulk_create(questions)


def _build_wave(org, number: int, plan: DemoWave, people: list[Person], by) -> Wave:
    rng = _rng("wave", number)
    strategy = _strategy_at(org, plan.launched)
    wave = Wave.objects.create(
        organisation=org,
        number=number,
        title=plan.title,
        intro=plan.intro,
        closes_at=plan.closes,
        created_by=by,
        created_at=plan.created,
    )
    questions = _questions(wave, strategy)
    by_key = {q.key: q for q in questions}
    wave.strategy_version = strategy

    # The strategy's own goals by their demo key; the distractors in option order.
    titles = {title: key for key, _goal, _parent, title, _description in SOCIAL_GOALS}
    goals, distractors = {}, []
    for option in by_key["top_goals"].options if "top_goals" in by_key else []:
        if option["value"].startswith("x-"):
            distractors.append(option["value"])
        else:
            goals[titles.get(option["label"], option["value"])] = option["value"]
    # In a fixed order: the options follow the item keys, which are new on every run.
    order = {key: n for n, (key, *_rest) in enumerate(SOCIAL_GOALS)}
    goals = dict(sorted(goals.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    distractors.sort()
    discipline = strategy.primary_discipline if strategy else ""

    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(person.group, []).append(person)
    answered: set[str] = set()
    for group, members in sorted(groups.items()):
        mood = plan.moods.get(group)
        count = min(mood.answered, len(members)) if mood else 0
        sure = [p for p in members if number == len(WAVES) and p.name in AMBASSADORS]
        rest = [p for p in members if p not in sure]
        chosen = sure + rng.sample(rest, count - len(sure))
        answered |= {p.name for p in chosen}

    tickets, responses = [], []
    started = 0
    for person in people:
        membership = person.membership
        mood = plan.moods.get(person.group)
        ticket = Ticket(
            organisation=org,
            wave=wave,
            membership=membership,
            department_id=membership.department_id,
            is_management=membership.role in actions.MANAGEMENT_ROLES,
            sent_at=plan.launched,
        )
        tickets.append(ticket)
        if person.name not in answered:
            ticket.reminders_sent, ticket.last_reminded_at = 1, plan.reminded
            if person.group == LAGGING and started < plan.started:
                # Began, got as far as the first questions, and never came back.
                started += 1
                ticket.status = TicketStatus.STARTED
                responses.append(
                    Response(
                        organisation=org,
                        wave=wave,
                        department_id=None if ticket.is_management else ticket.department_id,
                        is_management=ticket.is_management,
                        answers={"discipline": "product_leadership"},
                        is_complete=False,
                        resume_key=None,
                    )
                )
            continue
        ticket.status = TicketStatus.COMPLETED
        ticket.ambassador_opt_in = number == len(WAVES) and person.name in AMBASSADORS
        raw = _answers(
            person,
            mood,
            _rng("answers", person.name, number),
            discipline=discipline,
            goals=goals,
            distractors=distractors,
            number=number,
            ambassador=ticket.ambassador_opt_in,
        )
        answers = {}
        for key, value in raw.items():
            if key in by_key:
                cleaned = actions._clean_answer(by_key[key], value)
                if cleaned is not None:
                    answers[key] = cleaned
        responses.append(
            Response(
                organisation=org,
                wave=wave,
                department_id=None if ticket.is_management else ticket.department_id,
                is_management=ticket.is_management,
                answers=answers,
                is_complete=True,
                resume_key=None,
                **actions._scores(wave, questions, answers),
            )
        )
    Ticket.objects.bulk_create(tickets)
    # Stored in an order that has nothing to do with the tickets'.
    rng.shuffle(responses)
    Response.objects.bulk_create(responses)

    wave.status = WaveStatus.CLOSED
    wave.launched_at = plan.launched
    wave.closed_at = plan.closes
    wave.member_count = len(tickets)
    wave.active_members = 0  # participation in Koers is not measured yet
    wave.save()
    return wave


def build_demo_waves(org) -> list[Wave]:
    """Three closed waves (February, May and September 2026) with answers from about
    three in four employees; returns them oldest first. Expects an organisation with
    the demo's people and strategy, and without waves."""
    people = _people(org)
    by = next((p.membership.user for p in people if p.name == "sanne.devries"), None)
    if by is None:
        by = next((p.membership.user for p in people if p.membership.role == Role.OWNER), None)
    return [_build_wave(org, n, plan, people, by) for n, plan in enumerate(WAVES, start=1)]

"""The demo strategy of Van Dijk Fietsen: a bicycle maker in Zwolle that wins on
knowing its riders (customer intimacy), with product leadership second.

Version 1 was published in January 2026 and is now history; version 2 (March 2026)
sharpened the webcare target, added a KPI for the test-ride days of the cargo bike and
swapped X for WhatsApp. Version 2 is signed off by the owner. Everything is fixed: the
same texts, figures and dates on every run; only the item keys are new each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from koers.orgs.capabilities import Role
from koers.strategy.actions import _copy_into
from koers.strategy.models import (
    Audience,
    BusinessGoal,
    Channel,
    ContentPillar,
    Discipline,
    Kpi,
    SocialGoal,
    Source,
    Status,
    StrategyReader,
    StrategyVersion,
)

YEAR = 2026
ZONE = ZoneInfo("Europe/Amsterdam")


def _moment(month: int, day: int, hour: int = 10) -> datetime:
    return datetime.combine(date(YEAR, month, day), time(hour), tzinfo=ZONE)


MISSION = (
    "Wij bouwen in Zwolle degelijke fietsen die passen bij het leven van onze rijders, en "
    "we blijven hun fietsenmaker zolang ze fietsen."
)
VISION = (
    "In 2030 is Van Dijk Fietsen het Nederlandse fietsmerk dat zijn rijders het best kent: "
    "elke nieuwe fiets is mede bedacht door de mensen die erop rijden."
)
WEBCARE_ROLE = (
    "Webcare is het persoonlijke gezicht van onze klantenservice. We reageren met naam en "
    "toenaam, helpen bij onderhoud, garantie en afstelling, en geven elke wens of elk idee "
    "van een klant door aan de werkplaats. Een klacht lossen we in één gesprek op; waar "
    "dat beter kan, bellen we de klant of plannen we direct een afspraak in de winkel."
)

# (key, title, description, owner e-mail local part, horizon)
BUSINESS_GOALS = [
    (
        "loyalty",
        "Meer vaste klanten door persoonlijke service",
        "Het aandeel terugkerende klanten groeit van 38% naar 50%: wie een Van Dijk-fiets "
        "koopt, komt terug voor onderhoud, accessoires en de volgende fiets.",
        "ingrid.bakker",
        date(YEAR + 1, 12, 31),
    ),
    (
        "cocreation",
        "Fietsen ontwikkelen samen met onze rijders",
        "Elke nieuwe modellijn bevat aantoonbaar ideeën van klanten; de nieuwe e-bakfiets "
        "ontwerpen we vanaf de eerste schets samen met gezinnen uit de regio.",
        "henk.dekker",
        date(YEAR, 12, 31),
    ),
    (
        "brand",
        "Bekend als vakmanmerk buiten Overijssel",
        "Fietsliefhebbers in heel Nederland kennen Van Dijk Fietsen als de maker van "
        "degelijke, persoonlijke fietsen; het aantal dealeraanvragen uit de Randstad "
        "verdubbelt.",
        "marleen.vandijk",
        date(YEAR + 1, 6, 30),
    ),
]

# (key, business goal key, parent key, title, description)
SOCIAL_GOALS = [
    (
        "webcare",
        "loyalty",
        None,
        "Persoonlijke webcare die klanten bindt",
        "Wie ons via social media iets vraagt, krijgt snel een persoonlijk antwoord van "
        "iemand die verstand heeft van fietsen.",
    ),
    (
        "aftercare",
        "loyalty",
        None,
        "Klanten betrekken na de aankoop",
        "Met onderhoudstips, ritten en verhalen van rijders blijven we in beeld tussen twee "
        "fietsen in, en plannen klanten hun onderhoud via social.",
    ),
    (
        "ideas",
        "cocreation",
        None,
        "Ideeën en wensen van klanten ophalen",
        "We luisteren actief naar wat rijders over hun fiets zeggen en maken zichtbaar wat "
        "de werkplaats met hun ideeën doet.",
    ),
    (
        "cargo",
        "cocreation",
        "ideas",
        "De e-bakfiets samen met gezinnen ontwerpen",
        "Een co-creatiepanel van gezinnen uit Zwolle en omgeving beslist mee over "
        "zitplaatsen, accu en regenkap.",
    ),
    (
        "craft",
        "brand",
        None,
        "Zichtbaar als vakmanmerk in heel Nederland",
        "We laten zien hoe een Van Dijk-fiets gebouwd wordt en waarom hij jaren meegaat.",
    ),
    (
        "ambassadors",
        "brand",
        None,
        "Medewerkers als ambassadeurs",
        "Monteurs en verkopers delen hun vak; hun verhalen zijn geloofwaardiger dan elke "
        "advertentie.",
    ),
]


@dataclass(frozen=True)
class KpiRow:
    key: str
    social_goal: str
    name: str
    unit: str
    direction: str
    baseline: str
    target: str
    owner: str
    measure: str = ""  # a koers measure, or "" for a figure entered by hand
    start: date = date(YEAR, 1, 1)
    end: date = date(YEAR, 12, 31)


KPIS = [
    KpiRow(
        "first_response",
        "webcare",
        "Eerste reactietijd",
        "minuten",
        "decrease",
        "180",
        "90",
        "kevin.degroot",
        "webcare.first_response_minutes",
    ),
    KpiRow(
        "within_target",
        "webcare",
        "Binnen de norm beantwoord",
        "%",
        "increase",
        "62",
        "85",
        "kevin.degroot",
        "webcare.handled_within_sla_share",
    ),
    KpiRow(
        "engagement",
        "aftercare",
        "Betrokkenheid op eigen berichten",
        "%",
        "increase",
        "2.1",
        "3.5",
        "sanne.devries",
        "publishing.engagement_rate",
    ),
    KpiRow(
        "service_bookings",
        "aftercare",
        "Onderhoudsafspraken via social media",
        "per kwartaal",
        "increase",
        "15",
        "60",
        "kevin.degroot",
    ),
    KpiRow(
        "ideas_collected",
        "ideas",
        "Vragen en ideeën van klanten opgehaald",
        "berichten",
        "increase",
        "120",
        "400",
        "sanne.devries",
        "listening.questions_and_ideas",
    ),
    KpiRow(
        "ideas_adopted",
        "ideas",
        "Klantideeën overgenomen in de modellijn",
        "ideeën",
        "increase",
        "2",
        "8",
        "henk.dekker",
        end=date(YEAR, 9, 30),
    ),
    KpiRow(
        "panel_members",
        "cargo",
        "Deelnemers aan het co-creatiepanel",
        "gezinnen",
        "increase",
        "0",
        "150",
        "henk.dekker",
        start=date(YEAR, 2, 1),
        end=date(YEAR, 6, 30),
    ),
    KpiRow(
        "reach",
        "craft",
        "Bereik van eigen berichten",
        "personen per maand",
        "increase",
        "250000",
        "600000",
        "sanne.devries",
        "publishing.reach",
    ),
    KpiRow(
        "share_of_voice",
        "craft",
        "Share of voice tegen de benoemde concurrenten",
        "%",
        "increase",
        "4",
        "8",
        "sanne.devries",
        "listening.share_of_voice",
    ),
    KpiRow(
        "positive",
        "craft",
        "Aandeel positieve vermeldingen",
        "%",
        "increase",
        "48",
        "60",
        "sanne.devries",
        "listening.positive_share",
    ),
    KpiRow(
        "ambassadors",
        "ambassadors",
        "Medewerkers die berichten delen",
        "medewerkers",
        "increase",
        "3",
        "15",
        "daan.jansen",
        "support.ambassadors",
    ),
    KpiRow(
        "staff_stories",
        "ambassadors",
        "Ideeën van medewerkers die een bericht werden",
        "berichten",
        "increase",
        "0",
        "24",
        "daan.jansen",
        "content.ideas_published",
    ),
]

# Added in version 2.
TEST_RIDES = KpiRow(
    "test_rides",
    "cargo",
    "Testritten op de co-creatiedagen",
    "ritten",
    "increase",
    "0",
    "300",
    "henk.dekker",
    start=date(YEAR, 4, 1),
    end=date(YEAR, 9, 30),
)

AUDIENCES = [
    (
        "Gezinnen in Zwolle en omgeving",
        "Ouders die de auto vaker laten staan en een bakfiets of transportfiets zoeken.",
    ),
    (
        "Forenzen met een e-bike",
        "Dagelijkse fietsers tot 25 kilometer enkele reis, voor wie betrouwbaarheid alles is.",
    ),
    (
        "Fietsliefhebbers en toerfietsers",
        "Mensen die veel kilometers maken, graag sleutelen en meepraten over onderdelen.",
    ),
    (
        "Dealers en fietsenmakers",
        "Zelfstandige zaken buiten Overijssel die onze fietsen willen verkopen en onderhouden.",
    ),
]

# (platform, purpose); version 2 drops X and adds WhatsApp.
CHANNELS = [
    (
        "instagram",
        "Laten zien hoe onze fietsen gebouwd worden en hoe rijders ze gebruiken; "
        "oproepen voor het co-creatiepanel.",
    ),
    (
        "facebook",
        "Gesprek met gezinnen en vaste klanten in de regio; vragen en webcare; "
        "uitnodigingen voor ritten en testdagen.",
    ),
    (
        "linkedin",
        "Dealers, partners en nieuwe collega's bereiken; het vakmanschap van de "
        "werkplaats laten zien.",
    ),
    (
        "youtube",
        "Onderhoudsvideo's en uitleg bij nieuwe modellen, zodat klanten zelf verder kunnen.",
    ),
    ("x", "Snelle updates over levertijden en storingen."),
]
WHATSAPP = (
    "whatsapp",
    "Onderhoudsafspraken maken en korte vragen over een reparatie "
    "afhandelen, persoonlijk en zonder wachtrij aan de telefoon.",
)

PILLARS = [
    (
        "Uit de werkplaats",
        "Hoe een Van Dijk-fiets gebouwd wordt: lassen, afmonteren, "
        "testen, en de mensen die het doen.",
    ),
    ("Samen ontwerpen", "Klantideeën, het co-creatiepanel en wat de werkplaats ermee doet."),
    ("Onderhoud en fietstips", "Praktische tips waardoor een fiets langer meegaat, per seizoen."),
    ("Rijders van Van Dijk", "Verhalen van klanten over hun fiets en hun ritten."),
]

CHANGE_NOTE = (
    "De norm voor de eerste reactie in webcare is aangescherpt van 90 naar 60 minuten, "
    "de testritten op de co-creatiedagen voor de e-bakfiets zijn als KPI toegevoegd, en "
    "X is vervangen door WhatsApp voor onderhoudsafspraken: op X zaten weinig van onze "
    "klanten."
)


def _people(org) -> tuple[dict, object]:
    """The organisation's members by the local part of their e-mail address, and the
    owner who signs off (Marleen van Dijk in the demo; the first owner elsewhere)."""
    memberships = list(org.memberships.select_related("user").order_by("pk"))
    people = {m.user.email.split("@")[0]: m.user for m in memberships}
    owners = [m.user for m in memberships if m.role == Role.OWNER]
    owner = people.get("marleen.vandijk") or (owners[0] if owners else None)
    return people, owner


def _build_version_1(org, people: dict, owner) -> StrategyVersion:
    strategist = people.get("sanne.devries", owner)
    version = StrategyVersion.objects.create(
        organisation=org,
        number=1,
        status=Status.PUBLISHED,
        mission=MISSION,
        vision=VISION,
        primary_discipline=Discipline.CUSTOMER_INTIMACY,
        secondary_discipline=Discipline.PRODUCT_LEADERSHIP,
        webcare_role=WEBCARE_ROLE,
        change_note="Eerste versie van onze socialemediastrategie.",
        created_by=strategist,
        created_at=_moment(1, 5),
        published_by=strategist,
        published_at=_moment(1, 12),
        # Announced long ago: the "new version" e-mail outbox must not mail the demo.
        notified_at=_moment(1, 12),
        signed_off_by=people.get("joost.vandijk", owner),
        signed_off_at=_moment(1, 14, 16),
    )
    goals = {}
    for n, (key, title, description, owner_name, horizon) in enumerate(BUSINESS_GOALS):
        goals[key] = BusinessGoal.objects.create(
            organisation=org,
            version=version,
            position=n,
            title=title,
            description=description,
            owner=people.get(owner_name),
            horizon=horizon,
        )
    social = {}
    for n, (key, goal_key, parent_key, title, description) in enumerate(SOCIAL_GOALS):
        social[key] = SocialGoal.objects.create(
            organisation=org,
            version=version,
            position=n,
            business_goal=goals[goal_key],
            parent=social[parent_key] if parent_key else None,
            title=title,
            description=description,
        )
    for n, row in enumerate(KPIS):
        _create_kpi(org, version, social[row.social_goal], row, n, people)
    for n, (name, description) in enumerate(AUDIENCES):
        Audience.objects.create(
            organisation=org, version=version, position=n, name=name, description=description
        )
    for n, (platform, purpose) in enumerate(CHANNELS):
        Channel.objects.create(
            organisation=org, version=version, position=n, platform=platform, purpose=purpose
        )
    for n, (name, description) in enumerate(PILLARS):
        ContentPillar.objects.create(
            organisation=org, version=version, position=n, name=name, description=description
        )
    return version


def _create_kpi(org, version, social_goal, row: KpiRow, position: int, people) -> Kpi:
    return Kpi.objects.create(
        organisation=org,
        version=version,
        social_goal=social_goal,
        position=position,
        name=row.name,
        unit=row.unit,
        direction=row.direction,
        baseline=Decimal(row.baseline),
        target=Decimal(row.target),
        period_start=row.start,
        period_end=row.end,
        owner=people.get(row.owner),
        source=Source.KOERS if row.measure else Source.MANUAL,
        measure=row.measure,
    )


def build_demo_strategy(org) -> StrategyVersion:
    """Versions 1 (archived) and 2 (published, signed off) of the demo strategy; returns
    version 2. Expects an organisation without strategy versions."""
    people, owner = _people(org)
    strategist = people.get("sanne.devries", owner)
    first = _build_version_1(org, people, owner)

    second = StrategyVersion.objects.create(
        organisation=org,
        number=2,
        status=Status.DRAFT,
        created_by=strategist,
        created_at=_moment(2, 16),
    )
    _copy_into(first, second)  # items keep their keys, so the diff pairs them
    Kpi.objects.filter(version=second, name="Eerste reactietijd").update(target=Decimal("60"))
    cargo = SocialGoal.objects.get(version=second, title=SOCIAL_GOALS[3][3])
    _create_kpi(org, second, cargo, TEST_RIDES, len(KPIS), people)
    Channel.objects.filter(version=second, platform="x").delete()
    Channel.objects.create(
        organisation=org,
        version=second,
        position=len(CHANNELS),
        platform=WHATSAPP[0],
        purpose=WHATSAPP[1],
    )

    StrategyVersion.objects.filter(pk=first.pk).update(status=Status.ARCHIVED)
    second.status = Status.PUBLISHED
    second.change_note = CHANGE_NOTE
    second.published_by, second.published_at = strategist, _moment(3, 2)
    second.notified_at = second.published_at
    second.signed_off_by, second.signed_off_at = owner, _moment(3, 4, 15)
    second.save(
        update_fields=[
            "status",
            "change_note",
            "published_by",
            "published_at",
            "notified_at",
            "signed_off_by",
            "signed_off_at",
        ]
    )

    # Most colleagues read version 1, so the strategy page tells them what changed.
    readers = org.memberships.exclude(role__in=[Role.OWNER, Role.STRATEGIST])
    StrategyReader.objects.bulk_create(
        StrategyReader(membership=m, organisation=org, last_read_number=1) for m in readers
    )
    return second

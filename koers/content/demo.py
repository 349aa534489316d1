"""The content demo of Van Dijk Fietsen: a month of content around today, in every
state of the pipeline.

Ideas from colleagues in the workshop, customer service and HR (one rejected with a
reason, two grown into posts that credit them), drafts (one going ahead despite a
guideline warning, with the reason recorded), items in review (one waiting for
management because it makes a product claim), approved items and two evergreen items
in the queue, a calendar for the next three weeks with a weekly series, and posts
published and measured in the past two weeks. Also the approval rule, the planned mix
per goal and three role tasks that most colleagues keep up with.

Everything goes through ``content.actions`` so the demo passes the real rules (the
guideline check, the approval steps, who may do what); only the moments in the past
are set afterwards, because the actions stamp "now". The texts and choices are fixed;
the dates follow today. ``orgs.demo.refresh_demo`` removes the organisation first, so
building again does not duplicate anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from koers.content import actions
from koers.content.models import (
    Approval,
    Condition,
    ContentItem,
    Frequency,
    GuidelineOverride,
    Mode,
    Repeat,
    RoleTask,
    State,
    TaskCompletion,
    Transition,
)
from koers.orgs.capabilities import Role
from koers.orgs.models import Membership
from koers.strategy.demo import PILLARS, SOCIAL_GOALS

STRATEGIST = "sanne.devries"
EDITORS = ("daan.jansen", "fleur.visser")
MANAGER = "ingrid.bakker"

# The planned share per social goal (its key in koers.strategy.demo), together 100%.
MIX = {"webcare": 10, "aftercare": 25, "ideas": 15, "cargo": 15, "craft": 20, "ambassadors": 15}


@dataclass(frozen=True)
class Idea:
    by: str  # the local part of the colleague's e-mail address
    title: str
    idea: str
    goal: str | None = None  # a key of SOCIAL_GOALS: the goal they suggest
    pillar: str | None = None  # a name in PILLARS
    days_ago: int = 1


@dataclass(frozen=True)
class Item:
    """An item and how far it gets; ``days_ago`` is when work on it started."""

    by: str
    title: str
    goal: str
    variants: dict[str, str]
    pillar: str | None = None
    idea: str = ""
    idea_by: Idea | None = None  # started as a colleague's idea
    has_product_claim: bool = False
    is_evergreen: bool = False
    repeat: str = ""
    repeat_count: int | None = None
    days_ago: int = 3
    extra: dict = field(default_factory=dict)


# --- ideas that stay ideas --------------------------------------------------------------

IDEAS = (
    Idea(
        by="pieter.brouwer",
        title="Monteur legt uit: zo smeer je je ketting",
        idea="Ik doe dit tien keer per dag in de werkplaats. Een filmpje van een minuut: welke "
        "olie, hoeveel, en waarom je daarna afveegt. Scheelt klanten een hoop gepiep.",
        goal="aftercare",
        pillar="Onderhoud en fietstips",
        days_ago=3,
    ),
    Idea(
        by="lisa.peters",
        title="Klant fietste met haar Van Dijk naar Santiago",
        idea="Een klant kwam vorige week voor een beurt na 2.400 kilometer naar Santiago de "
        "Compostela. Ze wil haar verhaal en foto's graag met ons delen.",
        days_ago=6,
    ),
    Idea(
        by="sven.dewit",
        title="De nieuwe lasrobot in actie",
        idea="Sinds september lassen we de frames van de stadsfiets met een robot, de naden "
        "doen we nog steeds met de hand. Mooie beelden, en het laat zien dat we investeren.",
        goal="craft",
        pillar="Uit de werkplaats",
        days_ago=10,
    ),
    Idea(
        by="iris.hoekstra",
        title="Collega's vertellen waarom ze hier werken",
        idea="We zoeken twee monteurs. Laat collega's in een korte video vertellen waarom ze "
        "bij Van Dijk werken; dat overtuigt meer dan een vacaturetekst.",
        days_ago=1,
    ),
)

REJECTED = Idea(
    by="thijs.smit",
    title="Winactie: gratis fiets voor de duizendste volger",
    idea="Snel meer volgers op Instagram met een winactie.",
    goal="craft",
    days_ago=11,
)
REJECTION = (
    "Een winactie trekt vooral prijsjagers, geen rijders die bij ons passen. Liever een "
    "proefritdag voor volgers: wil je dat idee samen met Fleur uitwerken?"
)

# --- items ------------------------------------------------------------------------------

WINTER = Item(
    by="daan.jansen",
    idea_by=Idea(
        by="mehmet.yilmaz",
        title="Tips om je fiets de winter door te helpen",
        idea="Klanten bellen elke winter met dezelfde vragen over pekel en roest.",
        days_ago=20,
    ),
    title="Vijf tips om je fiets de winter door te helpen",
    goal="aftercare",
    pillar="Onderhoud en fietstips",
    days_ago=18,
    variants={
        "facebook": "Pekel, regen en kou: je fiets heeft het zwaar in de winter. Vijf tips "
        "van onze werkplaats:\n\n1. Spoel na een rit over gestrooide wegen je fiets af met "
        "lauw water.\n2. Droog de ketting en geef hem een druppel olie.\n3. Houd je banden "
        "op spanning, ook als het vriest.\n4. Laad de accu binnen op, niet in een koude "
        "schuur.\n5. Check je verlichting elke week.\n\nWaar de gemeente strooit, zie je op "
        "https://www.zwolle.nl/strooiroutes",
        "instagram": "Je fiets de winter door? Spoelen, drogen, smeren en de accu binnen "
        "opladen. Onze monteurs delen hun vijf beste wintertips. ❄️🚲\n\n#fietsonderhoud "
        "#winter #vandijkfietsen",
    },
)
WINTER_OVERRIDE = (
    "De strooiroutes van de gemeente Zwolle zijn een betrouwbare bron; we vragen Sanne om "
    "zwolle.nl op de lijst te zetten."
)

APPRENTICES = Item(
    by="fleur.visser",
    title="Welkom aan onze nieuwe leerling-monteurs",
    goal="ambassadors",
    pillar="Uit de werkplaats",
    days_ago=2,
    variants={
        "linkedin": "Deze maand begonnen drie leerling-monteurs in onze werkplaats in Zwolle. "
        "Vier dagen per week sleutelen ze naast een ervaren collega, één dag gaan ze naar "
        "school. Over drie jaar bouwen ze zelf een fiets van frame tot eerste proefrit.\n\n"
        "Welkom, en veel plezier in het vak!",
    },
)

FRAME_TEST = Item(
    by="daan.jansen",
    title="Zo testen we elk frame voordat het de deur uitgaat",
    goal="craft",
    pillar="Uit de werkplaats",
    days_ago=4,
    variants={
        "linkedin": "Elk frame dat onze werkplaats verlaat, heeft eerst 50.000 keer op de "
        "testbank gestaan. Zo weten we zeker dat de lassen jaren meegaan, ook met een kind "
        "achterop en boodschappen voorop.\n\nVakmanschap zie je niet, tot je het tien jaar "
        "later nog steeds niet ziet.",
        "instagram": "50.000 keer schudden, duwen en trekken: elk frame gaat eerst op de "
        "testbank. 💪 #vakmanschap #madeinzwolle #vandijkfietsen",
    },
)

CARGO_RANGE = Item(
    by="fleur.visser",
    title="De e-bakfiets: tot 80 kilometer op één acculading",
    goal="cargo",
    pillar="Samen ontwerpen",
    has_product_claim=True,
    days_ago=3,
    variants={
        "instagram": "Tot 80 kilometer op één acculading, ook met twee kinderen in de bak. "
        "Dat vroegen de gezinnen uit ons co-creatiepanel, en dat hebben we gebouwd. 🔋👨‍👩‍👧\n\n"
        "#ebakfiets #cocreatie #vandijkfietsen",
        "facebook": "Jullie vroegen om een bakfiets waarmee je de hele week naar school en "
        "werk kunt zonder op te laden. Met de nieuwe accu rijd je tot 80 kilometer op één "
        "lading, ook met twee kinderen in de bak. Kom hem proberen in onze winkel in Zwolle.",
    },
)

WHATSAPP = Item(
    by="daan.jansen",
    title="Onderhoud plannen via WhatsApp",
    goal="aftercare",
    pillar="Onderhoud en fietstips",
    days_ago=5,
    variants={
        "facebook": "Onderhoud plannen zonder in de wachtrij te hangen? Stuur ons een "
        "WhatsApp-bericht met je naam en het type fiets, dan stelt een collega van de "
        "werkplaats een moment voor. Meer op vandijkfietsen.example/onderhoud",
        "instagram": "Beurt nodig? App ons en we plannen hem samen in. 📱🔧 "
        "#fietsonderhoud #vandijkfietsen",
    },
)

EVERGREEN_WHEELS = Item(
    by="fleur.visser",
    title="Waarom we elk wiel met de hand richten",
    goal="craft",
    pillar="Uit de werkplaats",
    is_evergreen=True,
    days_ago=27,
    variants={
        "instagram": "Een machine spant spaken snel, maar een monteur voelt waar een wiel "
        "slingert. Daarom richten we elk wiel met de hand. 🛞 #vakmanschap #vandijkfietsen",
        "linkedin": "Ieder wiel van een Van Dijk-fiets wordt met de hand gericht. Het kost "
        "ons twintig minuten per wiel, het scheelt onze klanten jaren gedoe met slingerende "
        "velgen en knappende spaken.",
    },
)

EVERGREEN_TYRES = Item(
    by="daan.jansen",
    title="Bandenspanning checken in één minuut",
    goal="aftercare",
    pillar="Onderhoud en fietstips",
    is_evergreen=True,
    days_ago=24,
    variants={
        "facebook": "Zachte banden fietsen zwaar en slijten snel. Zo check je de spanning in "
        "één minuut: knijp in de band boven het ventiel, hij mag nauwelijks indeuken. Twijfel "
        "je? Bij ons staat de pomp altijd klaar, ook als je je fiets ergens anders kocht.",
        "instagram": "Eén minuut, één kneep: zo weet je of je band hard genoeg is. 🚲 "
        "#fietstip #vandijkfietsen",
    },
)

WORKSHOP_FRIDAY = Item(
    by="daan.jansen",
    title="Werkplaatsvrijdag: vraag het de monteur",
    goal="webcare",
    pillar="Onderhoud en fietstips",
    repeat=Repeat.WEEKLY,
    repeat_count=3,
    days_ago=6,
    variants={
        "instagram": "Het is Werkplaatsvrijdag! Stel in de reacties je vraag over je fiets, "
        "onze monteurs antwoorden vóór vijf uur. 🔧 #werkplaatsvrijdag #vandijkfietsen",
        "facebook": "Werkplaatsvrijdag: rammelt er iets, piept je rem of twijfel je over je "
        "accu? Stel je vraag hieronder, onze monteurs antwoorden vandaag nog.",
    },
)

COCREATION_DAY = Item(
    by="fleur.visser",
    title="Co-creatiedag e-bakfiets: gezinnen gezocht",
    goal="cargo",
    pillar="Samen ontwerpen",
    days_ago=7,
    variants={
        "facebook": "Rijd je met kinderen naar school of de opvang? Op zaterdag ontwerpen we "
        "samen met gezinnen uit de regio verder aan onze e-bakfiets: zitjes, regenkap en "
        "accu. Je mag een proefrit maken en je mening geven. Aanmelden via "
        "vandijkfietsen.example/cocreatie",
        "instagram": "Denk mee over onze nieuwe e-bakfiets! 👨‍👩‍👧‍👦 Gezinnen uit de regio "
        "zijn zaterdag welkom in de werkplaats. Link in bio. #cocreatie #bakfiets",
    },
)

RIDER_STORY = Item(
    by="fleur.visser",
    idea_by=Idea(
        by="emma.bos",
        title="Klant met 15.000 kilometer op de teller",
        idea="Een vaste klant vertelde in de chat dat zijn fiets de 15.000 kilometer is "
        "gepasseerd. Hij wil er graag iets over vertellen.",
        goal="aftercare",
        days_ago=16,
    ),
    title="Klantverhaal: 15.000 kilometer op dezelfde fiets",
    goal="aftercare",
    pillar="Rijders van Van Dijk",
    days_ago=14,
    variants={
        "facebook": "Vijf jaar, elke dag naar zijn werk en in het weekend de IJssel langs: "
        "een van onze vaste klanten passeerde deze maand de 15.000 kilometer op dezelfde "
        "fiets. Zijn geheim? Elk voorjaar een beurt en nooit een nacht buiten.",
        "instagram": "15.000 kilometer en nog geen zin in een nieuwe. 🙌 Een vaste klant "
        "vertelt over vijf jaar op dezelfde Van Dijk. #rijdersvanvandijk",
        "linkedin": "Duurzaamheid is geen slogan, het is een fiets die na 15.000 kilometer "
        "nog elke dag rijdt. Een klant vertelt hoe onderhoud en een goed frame het verschil "
        "maken.",
    },
)

VACANCY = Item(
    by="daan.jansen",
    title="We zoeken monteurs die van fietsen houden",
    goal="ambassadors",
    pillar="Uit de werkplaats",
    days_ago=3,
    variants={
        "linkedin": "Onze werkplaats in Zwolle groeit en we zoeken twee monteurs. Je bouwt "
        "fietsen van frame tot proefrit, leert van collega's die het vak al dertig jaar doen "
        "en denkt mee met klanten over nieuwe modellen. Meer weten? Kijk op "
        "vandijkfietsen.example/werken of vraag het een van onze monteurs.",
    },
)

STEM = Item(
    by="fleur.visser",
    idea_by=Idea(
        by="noor.meijer",
        title="Laat zien wat we met het idee van de verstelbare stuurpen deden",
        idea="Klanten vroegen om een stuur dat je zonder gereedschap hoger zet. De werkplaats "
        "heeft het gebouwd: laat dat zien!",
        goal="ideas",
        pillar="Samen ontwerpen",
        days_ago=19,
    ),
    title="Van klantidee naar fiets: de verstelbare stuurpen",
    goal="ideas",
    pillar="Samen ontwerpen",
    days_ago=16,
    variants={
        "instagram": "Jullie idee, onze werkplaats: vanaf nu zet je het stuur van elke "
        "stadsfiets zonder gereedschap hoger of lager. 💡➡️🚲 #cocreatie #vandijkfietsen",
        "facebook": "Vorig jaar vroegen klanten ons om een stuur dat je met één hendel "
        "verstelt, handig als je je fiets deelt met je partner of kinderen. Onze werkplaats "
        "ging aan de slag en vanaf deze maand zit de verstelbare stuurpen op elke "
        "stadsfiets. Bedankt voor het idee!",
        "linkedin": "Co-creatie in de praktijk: een wens van klanten werd binnen een jaar een "
        "onderdeel van onze standaard stadsfiets. Zo ontwikkelen we fietsen samen met de "
        "mensen die erop rijden.",
    },
)

LIGHTS = Item(
    by="fleur.visser",
    title="Verlichting op orde voor de donkere dagen",
    goal="aftercare",
    pillar="Onderhoud en fietstips",
    days_ago=8,
    variants={
        "facebook": "Het is weer vroeg donker. Doet je achterlicht het nog? Loop deze maand "
        "binnen in onze winkel, dan controleren we je verlichting gratis terwijl je wacht.",
        "instagram": "Zien en gezien worden. 💡 Deze maand checken we je fietsverlichting "
        "gratis in de winkel. #fietsverlichting #vandijkfietsen",
    },
)

PAINT_SHOP = Item(
    by="daan.jansen",
    title="Achter de schermen bij de lakstraat",
    goal="craft",
    pillar="Uit de werkplaats",
    days_ago=20,
    variants={
        "instagram": "Drie lagen lak, twee keer drogen in de oven en één keer handmatig "
        "nakijken: zo krijgt elk frame zijn kleur. 🎨 #achterdeschermen #vandijkfietsen",
        "linkedin": "Een frame lakken kost bij ons een dag. Drie lagen, twee keer de oven in "
        "en een collega die elk frame onder de lamp bekijkt. Daarom zie je een Van Dijk "
        "na jaren nog niet aan zijn kleur af.",
    },
)

PANEL_CHOICE = Item(
    by="fleur.visser",
    title="Ons co-creatiepanel koos de regenkap",
    goal="cargo",
    pillar="Samen ontwerpen",
    days_ago=15,
    variants={
        "facebook": "Twaalf gezinnen, drie regenkappen en één duidelijke winnaar: het panel "
        "koos de kap die je met één hand opzet, ook met een kind op schoot. Bedankt voor "
        "jullie eerlijke mening!",
        "instagram": "De gezinnen hebben gekozen! ☔ Deze regenkap komt op onze e-bakfiets. "
        "#cocreatie #bakfiets #vandijkfietsen",
    },
)

WEBCARE_TEAM = Item(
    by="daan.jansen",
    title="Snel antwoord op Facebook: zo werkt ons webcareteam",
    goal="webcare",
    days_ago=19,
    variants={
        "facebook": "Een vraag over je fiets? Stel hem hier gerust. De collega's van ons "
        "webcareteam lezen elke werkdag mee en geven binnen een uur antwoord, met "
        "hulp van de werkplaats als het technisch wordt.",
    },
)

SUMMER = Item(
    by="fleur.visser",
    title="Zomeractie: gratis lampjescheck",
    goal="aftercare",
    days_ago=26,
    variants={
        "facebook": "Op vakantie met de fiets? Deze zomer checken we gratis je verlichting.",
    },
)

# --- role tasks -------------------------------------------------------------------------

TASKS = (
    {
        "title": "Werk je LinkedIn-profiel bij",
        "description": "Zet Van Dijk Fietsen als werkgever in je profiel en vertel in één "
        "zin wat je doet. Klanten en sollicitanten zoeken je op.",
        "role": "",
        "frequency": Frequency.HALF_YEARLY,
    },
    {
        "title": "Meld één klantcompliment",
        "description": "Hoorde je iets moois van een klant? Meld het als idee, zonder naam "
        "of contactgegevens: de redactie maakt er misschien een bericht van.",
        "role": Role.EMPLOYEE,
        "frequency": Frequency.MONTHLY,
    },
    {
        "title": "Deel één bericht van de organisatie",
        "description": "Deel of like een bericht van Van Dijk Fietsen op LinkedIn, Facebook "
        "of Instagram. Jouw netwerk ziet het eerder dan een advertentie.",
        "role": "",
        "frequency": Frequency.MONTHLY,
    },
)


class _Builder:
    def __init__(self, org):
        self.org = org
        self.zone = org.zone
        self.now = timezone.now()
        self.today = timezone.localdate(self.now, self.zone)
        self.members = {
            m.user.email.split("@")[0]: m
            for m in Membership.objects.for_org(org).select_related("user", "organisation")
        }
        choices = actions.strategy_choices(org)
        titles = {key: title for key, _goal, _parent, title, _description in SOCIAL_GOALS}
        self.goals = {
            key: next(g.key for g in choices.goals if g.title == title)
            for key, title in titles.items()
        }
        self.pillars = {
            name: next(p.key for p in choices.pillars if p.name == name) for name, _ in PILLARS
        }

    # --- moments ---

    def at(self, days: int, hour: int = 10, minute: int = 0) -> datetime:
        """A moment ``days`` from today (negative: in the past), local time."""
        day = self.today + timedelta(days=days)
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def ago(self, days: int, hour: int = 10) -> datetime:
        moment = self.at(-days, hour)
        # Today's "10 o'clock" may still be ahead: keep the past in the past.
        return min(moment, self.now - timedelta(minutes=5))

    def backdate(self, item: ContentItem, start: datetime, end: datetime) -> None:
        """Spread the item's history so far over [start, end]; approvals and overrides
        move with the step that followed them."""
        rows = list(Transition.objects.filter(item=item).order_by("pk").values_list("pk", "at"))
        count = len(rows)
        moments = [start + (end - start) * (n / max(1, count - 1)) for n in range(count)]
        for (pk, _at), moment in zip(rows, moments, strict=True):
            Transition.objects.filter(pk=pk).update(at=moment)
        originals = [at for _pk, at in rows]

        def moved(original: datetime) -> datetime:
            following = next((n for n, at in enumerate(originals) if at >= original), None)
            return end if following is None else moments[following]

        for model in (Approval, GuidelineOverride):
            for pk, original in model.objects.filter(item=item).values_list("pk", "at"):
                model.objects.filter(pk=pk).update(at=moved(original))
        ContentItem.objects.filter(pk=item.pk).update(created_at=start, updated_at=end)

    # --- steps through the real actions ---

    def idea(self, idea: Idea) -> ContentItem:
        values = {}
        if idea.goal:
            values["goal_key"] = self.goals[idea.goal]
        if idea.pillar:
            values["pillar_key"] = self.pillars[idea.pillar]
        item = actions.submit_idea(
            self.org, by=self.members[idea.by], title=idea.title, idea=idea.idea, **values
        )
        moment = self.ago(idea.days_ago, 9 + idea.days_ago % 7)
        self.backdate(item, moment, moment)
        return item

    def draft(self, spec: Item) -> ContentItem:
        editor = self.members[spec.by]
        values = {
            "goal_key": self.goals[spec.goal],
            "pillar_key": self.pillars[spec.pillar] if spec.pillar else None,
            "has_product_claim": spec.has_product_claim,
            "is_evergreen": spec.is_evergreen,
            "repeat": spec.repeat,
            "repeat_count": spec.repeat_count,
        }
        if spec.idea_by:
            item = self.idea(spec.idea_by)
            actions.transition_item(item, State.DRAFT, by=editor)
            item = actions.update_item(item, by=editor, title=spec.title, **values)
        else:
            item = actions.create_item(self.org, by=editor, title=spec.title, **values)
        for channel, text in spec.variants.items():
            actions.save_variant(item, channel, text, by=editor)
        item.refresh_from_db()
        return item

    def reviewer(self, spec: Item) -> Membership:
        """The other editor: nobody approves their own text in the demo."""
        return self.members[next(e for e in EDITORS if e != spec.by)]

    def in_review(self, spec: Item) -> ContentItem:
        item = self.draft(spec)
        return actions.transition_item(item, State.IN_REVIEW, by=self.members[spec.by])

    def approved(self, spec: Item) -> ContentItem:
        item = self.in_review(spec)
        actions.decide(item, by=self.reviewer(spec), decision="approve")
        if spec.has_product_claim:
            actions.decide(item, by=self.members[MANAGER], decision="approve")
        item.refresh_from_db()
        assert item.state == State.APPROVED, item
        return item

    def scheduled(self, spec: Item, when: datetime) -> ContentItem:
        item = self.approved(spec)
        return actions.reschedule_item(item, when, by=self.members[spec.by])

    def published(self, spec: Item, days_ago: int, hour: int, measured: bool) -> ContentItem:
        moment = self.ago(days_ago, hour)
        # Planned a little ahead, as the calendar only takes future moments; the history
        # is moved back below.
        item = self.scheduled(spec, self.now + timedelta(hours=1))
        self.backdate(item, self.start(spec), moment - timedelta(days=1))
        item = actions.transition_item(item, State.PUBLISHED, system=True)
        self._stamp(item, State.PUBLISHED, moment)
        ContentItem.objects.filter(pk=item.pk).update(
            scheduled_at=moment, published_at=moment, updated_at=moment
        )
        if measured:
            # Koers reads the figures a few days after publishing.
            measured_at = moment + timedelta(days=3)
            item = actions.transition_item(item, State.MEASURED, system=True)
            self._stamp(item, State.MEASURED, measured_at)
            ContentItem.objects.filter(pk=item.pk).update(updated_at=measured_at)
        item.refresh_from_db()
        return item

    def _stamp(self, item: ContentItem, state: str, moment: datetime) -> None:
        last = Transition.objects.filter(item=item, to_state=state).order_by("-pk").first()
        Transition.objects.filter(pk=last.pk).update(at=moment)

    def history(self, item: ContentItem, spec: Item, end: datetime | None = None) -> None:
        """Backdate an item that is not published: from ``days_ago`` to ``end``."""
        self.backdate(item, self.start(spec), end or self.now - timedelta(hours=2))

    def start(self, spec: Item) -> datetime:
        """When the item began: the colleague's idea, or the editor's first draft."""
        return self.ago(spec.idea_by.days_ago if spec.idea_by else spec.days_ago, 9)


def _setup(builder: _Builder) -> None:
    org, strategist = builder.org, builder.members[STRATEGIST]
    actions.add_approval_step(
        org, by=strategist, name="Redactie", approver=Role.EDITOR, mode=Mode.ANY
    )
    actions.add_approval_step(
        org,
        by=strategist,
        name="Management bij productclaims",
        approver=Role.MANAGER,
        mode=Mode.ANY,
        condition=Condition.PRODUCT_CLAIM,
    )
    actions.set_mix_targets(
        org, {builder.goals[key]: share for key, share in MIX.items()}, by=strategist
    )


def _content(builder: _Builder) -> None:
    b = builder
    editor = b.members[EDITORS[1]]

    # Ideas, and one that does not fit the strategy.
    for idea in IDEAS:
        b.idea(idea)
    rejected = b.idea(REJECTED)
    actions.transition_item(rejected, State.REJECTED, by=editor, note=REJECTION)
    b.backdate(rejected, b.ago(REJECTED.days_ago, 9), b.ago(REJECTED.days_ago - 2, 14))

    # Drafts; the winter tips link to a site outside the allow list, with a reason.
    winter = b.draft(WINTER)
    actions.override_warnings(winter, by=b.members[WINTER.by], reason=WINTER_OVERRIDE)
    b.history(winter, WINTER, b.ago(1, 15))
    b.history(b.draft(APPRENTICES), APPRENTICES)

    # In review: one at the first step, one waiting for management (a product claim).
    b.history(b.in_review(FRAME_TEST), FRAME_TEST)
    cargo = b.in_review(CARGO_RANGE)
    actions.decide(cargo, by=b.reviewer(CARGO_RANGE), decision="approve")
    b.history(cargo, CARGO_RANGE)

    # Approved, and the evergreen queue (one of them fills a quiet day soon).
    b.history(b.approved(WHATSAPP), WHATSAPP)
    b.history(b.approved(EVERGREEN_WHEELS), EVERGREEN_WHEELS, b.ago(20, 11))
    tyres = b.approved(EVERGREEN_TYRES)
    b.history(tyres, EVERGREEN_TYRES, b.ago(18, 11))
    actions.use_evergreen(tyres, b.at(10, 12), by=b.members[EVERGREEN_TYRES.by])

    # The next three weeks; the workshop Friday repeats three more weeks.
    friday = (4 - b.today.weekday()) % 7 or 7
    for spec, when in (
        (WORKSHOP_FRIDAY, b.at(friday, 16)),
        (COCREATION_DAY, b.at(5, 10)),
        (RIDER_STORY, b.at(12, 19, 30)),
        (VACANCY, b.at(17, 8, 30)),
    ):
        b.history(b.scheduled(spec, when), spec)

    # Published in the past two weeks; the older ones measured.
    b.published(STEM, 4, 19, measured=False)
    b.published(LIGHTS, 2, 17, measured=False)
    b.published(PAINT_SHOP, 12, 12, measured=True)
    b.published(PANEL_CHOICE, 8, 20, measured=True)
    b.published(WEBCARE_TEAM, 13, 10, measured=True)

    # Last summer's action, archived once the season was over.
    summer = b.draft(SUMMER)
    actions.transition_item(
        summer, State.ARCHIVED, by=editor, note="Het seizoen is voorbij; volgend jaar weer."
    )
    b.history(summer, SUMMER, b.ago(19, 16))


def _tasks(builder: _Builder) -> None:
    b = builder
    strategist = b.members[STRATEGIST]
    tasks = [actions.create_role_task(b.org, by=strategist, **values) for values in TASKS]
    RoleTask.objects.filter(pk__in=[t.pk for t in tasks]).update(created_at=b.ago(120, 9))
    linkedin, compliment, share = tasks
    members = sorted(
        (m for m in b.members.values() if m.role != Role.ADVISOR), key=lambda m: m.user.email
    )
    employees = [m for m in members if m.role == Role.EMPLOYEE]

    def done(member, task, days_ago):
        completion = actions.complete_task(member, task)
        moment = b.ago(days_ago, 8 + days_ago % 9)
        TaskCompletion.objects.filter(pk=completion.pk).update(done_at=moment)

    # Two in three brought their profile up to date in the last five months.
    for n, member in enumerate(members):
        if n % 3:
            done(member, linkedin, 3 + (n * 11) % 140)
    # About half the employees reported a compliment this month; some did last month
    # and are due again.
    for n, member in enumerate(employees):
        if n % 2 == 0:
            done(member, compliment, 1 + (n * 5) % 25)
        elif n % 4 == 1:
            done(member, compliment, 33 + n % 10)
    # Half the members shared a post this month.
    for n, member in enumerate(members):
        if n % 4 in (1, 2):
            done(member, share, 1 + (n * 3) % 27)


def build_demo_content(org) -> None:
    """The content demo. Expects the demo organisation with its people, the published
    strategy and the guidelines, and no content yet."""
    builder = _Builder(org)
    _setup(builder)
    _content(builder)
    _tasks(builder)

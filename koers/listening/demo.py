"""The listening demo of Van Dijk Fietsen: 90 days of Dutch and English mentions.

Four sources (a local news feed that has started failing, a Mastodon hashtag, a
Bluesky search and a push source fed by a review site), saved queries for the brand,
two competitors in the region (Fietsplaza Zwolle and Rijwielhuis Kampen) and the topic
"e-bike accu", and stakeholders (a journalist of the local paper, a known critic,
colleagues). The mentions are what a bicycle maker in Zwolle hears: complaints about
e-bikes delivered late, praise for the workshop, questions about opening hours, talk
about the competitors and about e-bike batteries, a burst around a battery recall
about ten days ago, with reposts, a complaint that snowballs about a day ago, and a
competitor's campaign that briefly outshouts the brand some hours later. The early
warning demo (``koers.alerts.demo``) runs its rules over this history at the end.

Deterministic: a seeded random picks the texts, authors and moments; the dates follow
today. The mentions go through ``listening.ingest`` and ``listening.enrich`` like real
ones (when those parts are installed); the queries are matched against them at the
end. ``orgs.demo.refresh_demo`` removes the organisation first, so building again
does not duplicate anything.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from koers.listening.enrich import enrich_pending
from koers.listening.ingest import ingest
from koers.listening.models import (
    Group,
    QueryRole,
    SavedQuery,
    Source,
    SourceKind,
    SourceStatus,
    Stakeholder,
)
from koers.platforms.base import RawMention

SEED = 20250601
DAYS = 90
RECALL_DAYS_AGO = 10
BRAND = "Van Dijk Fietsen"
COMPETITORS = ("Fietsplaza Zwolle", "Rijwielhuis Kampen")

QUERIES = (
    (
        BRAND,
        QueryRole.BRAND,
        '"van dijk fietsen" OR vandijkfietsen OR @vandijkfietsen '
        'OR ("van dijk" NEAR/3 (fiets* OR e-bike* OR rijwiel*)) <<<ook zonder "fietsen">>>',
    ),
    ("Fietsplaza Zwolle", QueryRole.COMPETITOR, 'fietsplaza OR "fiets plaza" OR @fietsplaza'),
    (
        "Rijwielhuis Kampen",
        QueryRole.COMPETITOR,
        '"rijwielhuis kampen" OR rijwielhuiskampen OR @rijwielhuiskampen',
    ),
    (
        "E-bike accu",
        QueryRole.TOPIC,
        '(e-bike* OR ebike* OR "elektrische fiets*") NEAR/6 '
        "(accu* OR batterij* OR battery OR batteries)",
    ),
)

JOURNALIST = ("@marieke.hofman@mastodon.nl", "Marieke Hofman (Zwolse Courant)")
CRITIC = ("@fietsfanaat038@mastodon.social", "Fietsfanaat 038")
EMPLOYEES = (
    ("@henkdekker@mastodon.nl", "Henk Dekker"),
    ("sannedevries.bsky.social", "Sanne de Vries"),
    ("@daan_jansen@mastodon.nl", "Daan Jansen"),
)
AMBASSADOR = ("wielrenner-wendy.bsky.social", "Wendy Groen")

FIRST_NAMES = (
    "anna", "bart", "chantal", "dirk", "eva", "frank", "gerda", "hans", "ilse", "jan",
    "karin", "luuk", "mirjam", "niels", "olga", "paul", "quinten", "rosa", "sjoerd", "tessa",
    "ugur", "vera", "willem", "xander", "yara", "zeger", "amir", "britt", "coen", "demi",
    "emre", "fenna", "gijs", "hanneke", "ivo", "joyce", "kees", "lieke", "maarten", "nina",
)  # fmt: skip
SERVERS = ("mastodon.nl", "mastodon.social", "mas.to", "toot.community", "social.overheid.nl")
PLACES = ("Zwolle", "Kampen", "Dalfsen", "Hattem", "Wezep", "Heino")


@dataclass(frozen=True)
class Template:
    text: str
    language: str  # "nl" or "en"
    kind: str  # what it is about: brand_complaint, brand_praise, … (for the mix below)
    title: str = ""


def _t(kind: str, language: str, *texts: str) -> list[Template]:
    return [Template(text, language, kind) for text in texts]


TEMPLATES: list[Template] = [
    *_t(
        "brand_complaint",
        "nl",
        "Al {weeks} weken wachten op mijn e-bike bij {brand}. Steeds een nieuwe "
        "leverdatum en niemand belt terug. Echt slecht.",
        "In {month} een e-bike besteld bij {brand}, nog steeds niet geleverd 😡 #klantenservice",
        "{brand} beloofde levering deze week, weer uitgesteld. Ik ben het zat.",
        "Waarom duurt de levering van een e-bike bij {brand} zo lang? Drie keer gebeld, "
        "geen antwoord.",
        "Teleurgesteld in {brand}: de e-bike kwam met een kras op het frame en nu moet ik "
        "weer {weeks} weken wachten op een nieuw exemplaar.",
        "Levering van mijn bakfiets door {brand} is voor de tweede keer verschoven. "
        "Slechte communicatie.",
    ),
    *_t(
        "brand_complaint",
        "en",
        "Ordered an e-bike from {brand} {weeks} weeks ago and still no delivery date. "
        "Not impressed.",
        "{brand} keeps pushing back the delivery of my e-bike. Terrible communication.",
    ),
    *_t(
        "brand_praise",
        "nl",
        "Lekke band? Binnen {minutes} minuten gemaakt bij {brand}. Top service! 👍",
        "Super vriendelijk geholpen in de werkplaats van {brand}, mijn oude fiets rijdt "
        "weer als nieuw.",
        "Complimenten aan de monteurs van {brand} in Zwolle: snel, eerlijk en niet duur.",
        "Fiets zaterdag gebracht, maandag al klaar. Prima geregeld @vandijkfietsen #zwolle",
        "Remmen afgesteld en ketting vervangen bij {brand}, alles netjes uitgelegd. Aanrader!",
    ),
    *_t(
        "brand_praise",
        "en",
        "Great service at {brand} in Zwolle, they fixed my chain while I waited.",
        "Shout-out to the repair team at {brand}, friendly and fast 🚲",
    ),
    *_t(
        "brand_question",
        "nl",
        "Weet iemand of {brand} op zondag open is?",
        "Hoe laat gaat {brand} vandaag dicht? Wil nog even mijn fiets ophalen.",
        "Is de werkplaats van {brand} ook op zaterdag open?",
        "Kun je bij {brand} ook een bakfiets huren voor een weekend?",
        "Hebben jullie op koopavond open, @vandijkfietsen?",
    ),
    *_t(
        "brand_question",
        "en",
        "Does anyone know the opening hours of {brand} on Sunday?",
        "Is {brand} open late on Thursdays? Need to pick up my bike.",
    ),
    *_t(
        "brand_idea",
        "nl",
        "Idee voor {brand}: een haal- en brengservice voor reparaties zou top zijn.",
        "Zou {brand} geen fietslessen voor nieuwkomers kunnen geven? Lijkt me een mooi idee.",
    ),
    *_t(
        "brand_neutral",
        "nl",
        "{brand} opent een tweede vestiging in {place}, las ik net.",
        "Langs {brand} gefietst, de etalage staat vol nieuwe bakfietsen. #vandijkfietsen",
        "Vandaag weer dertig fietsen door de werkplaats van {brand}. 💪",
    ),
    *_t(
        "competitor",
        "nl",
        "Bij {comp} mijn nieuwe stadsfiets gekocht, prima advies gekregen.",
        "{comp} heeft nu ook cargobikes in de winkel staan.",
        "Slechte ervaring met {comp}: reparatie duurde twee weken en niemand wist waar "
        "mijn fiets was.",
        "Wie is beter voor onderhoud, {comp} of {brand}?",
        "Actie bij {comp}: 20% korting op fietsverlichting deze week.",
        "Snel geholpen bij {comp}, band geplakt terwijl ik wachtte.",
    ),
    *_t(
        "competitor",
        "en",
        "Got my cargo bike serviced at {comp}, decent job.",
        "Bought a second-hand bike at {comp}, good value.",
    ),
    *_t(
        "battery",
        "nl",
        "Mijn e-bike accu loopt in de kou veel sneller leeg. Tips?",
        "Hoe lang gaat een e-bike accu eigenlijk mee? De mijne is na vier jaar op.",
        "Nieuwe accu voor mijn e-bike kost €600, echt absurd.",
        "{brand} heeft de accu van mijn e-bike gratis getest, bleek nog prima 👍",
        "Tip: laad de accu van je e-bike niet in de volle zon op.",
    ),
    *_t(
        "battery",
        "en",
        "My e-bike battery barely lasts 30 km anymore. Time for a new one?",
        "How do you store an e-bike battery over the winter?",
    ),
    *_t(
        "noise",
        "nl",
        "Wat een mooie fietsroute langs de Vecht vandaag #zwolle",
        "Drukte op het fietspad bij station Zwolle, iedereen tegelijk naar huis.",
        "Wind tegen op de IJsseldijk, dan weet je dat je leeft.",
    ),
    *_t("noise", "en", "Cycling in Zwolle is the best way to see the city."),
]

RECALL: list[Template] = [
    *_t(
        "recall",
        "nl",
        "Heeft iemand al bericht gehad van {brand} over de terugroepactie van de e-bike accu's?",
        "Oei, mijn e-bike accu valt onder de terugroepactie. {brand} zegt dat ik hem moet "
        "inleveren.",
        "Goed dat {brand} zelf klanten belt over de terugroepactie van de accu's. Netjes.",
        "Brandgevaar bij e-bike accu's en een terugroepactie. Ik durf mijn fiets niet meer "
        "binnen te laden. Wat moet ik doen, {brand}?",
        "Terugroepactie e-bike accu's: bij {brand} kun je je accu laten controleren. Duurt "
        "wel lang, een uur in de rij gestaan.",
    ),
    *_t(
        "recall",
        "en",
        "Battery recall for e-bikes in the Netherlands: {brand} customers in Zwolle are affected.",
    ),
]
RECALL_REPOST = (
    "Let op: terugroepactie voor e-bike accu's, ook bij {brand}. Check het serienummer "
    "van je accu! #terugroepactie"
)

# A complaint that snowballs (volume spike, sentiment dip, a term, the journalist) and a
# competitor's campaign (share of voice), hours ago; per 5 minutes, how many posts.
SNOWBALL_HOURS_AGO = 26
SNOWBALL = (1, 2, 3, 12, 28, 36, 30, 22, 15, 10, 6, 4, 2, 1)
SNOWBALL_POST = (
    "Mijn nieuwe e-bike van {brand} brak na twee weken bij het frame. Garantie? "
    "Geweigerd. Deel dit, zodat niemand anders erin trapt! #vandijkfietsen"
)
DATALEK = (
    "En nu blijkt er bij {brand} ook nog een datalek te zijn: mijn adres en telefoonnummer "
    "stonden in een mail aan andere klanten."
)
CAMPAIGN_HOURS_AGO = 20
CAMPAIGN = (2, 4, 6, 7, 8, 8, 7, 6, 6, 5, 4, 3, 2, 2, 1)
CAMPAIGN_TEMPLATES: list[Template] = _t(
    "campaign",
    "nl",
    "Fietsplaza Zwolle geeft dit weekend 25% korting op alle e-bikes! #fietsplaza",
    "Net de actie van Fietsplaza gezien: een kwart korting op e-bikes. Wie gaat er mee?",
    "Fietsplaza Zwolle pakt groot uit met hun e-bike actie, de winkel staat vol.",
    "25% korting bij Fietsplaza op e-bikes, dat scheelt bij mij €700. Toch maar gaan kijken.",
    "Iedereen in Zwolle heeft het over de e-bike actie van Fietsplaza.",
)

NEWS: list[tuple[str, str]] = [
    (
        "Fietsenmaker {brand} breidt werkplaats uit",
        "De Zwolse fietsenmaker {brand} breidt de werkplaats aan de Assendorperstraat "
        "uit. Door de drukte rond e-bikes liepen de levertijden de afgelopen maanden op.",
    ),
    (
        "Levertijden e-bikes lopen op in de regio",
        "Wie een e-bike bestelt, moet in Zwolle en Kampen soms maanden wachten. Ook "
        "{brand} en {comp} merken de tekorten aan onderdelen.",
    ),
    (
        "Nieuwe fietsenwinkel in {place}",
        "{comp} opent in {place} een filiaal met een eigen werkplaats.",
    ),
]
RECALL_NEWS = (
    "Terugroepactie voor e-bike accu's: ook klanten van {brand} getroffen",
    "Een fabrikant roept duizenden e-bike accu's terug wegens brandgevaar. De Zwolse "
    "fietsenmaker {brand} belt klanten zelf en controleert accu's gratis in de winkel.",
)

# Around the core sentence, a post says something of its own: people write about the
# same things in their own words (otherwise every post would collapse into a duplicate
# of the first).
CONTEXT = {
    "nl": (
        "Het gaat om een {bike}.",
        "Ik woon in {place}, dus het is even een stukje fietsen.",
        "Was er {day} rond {hour} uur.",
        "Mijn buurvrouw had vorig jaar precies hetzelfde.",
        "De fiets is nog geen {years} jaar oud.",
        "Ik gebruik hem elke dag voor mijn werk in {place}.",
        "Mijn dochter fietst er ook mee naar school.",
        "Heb er {day} nog langs gefietst.",
        "Vorige keer ging het ook al zo.",
        "Gekocht in {month}, toen nog met korting.",
        "Zonder fiets ben ik in deze stad nergens.",
        "Mijn man zegt dat ik het moet laten gaan, maar toch.",
        "Het regende natuurlijk weer eens.",
        "Eerst nog een kop koffie gedronken in de binnenstad.",
    ),
    "en": (
        "It's a {bike}.",
        "I live in {place}, a bit of a ride.",
        "Went there on {day_en} around {hour}.",
        "I ride it to work every day.",
        "Moved to Zwolle for my studies last year.",
        "My Dutch is not great yet, so asking in English.",
        "Bought it in {month_en}.",
        "It was raining, of course.",
    ),
}
CLOSERS = {
    ("nl", "negative"): (
        "Echt jammer.", "Wie heeft dit ook?", "Graag een reactie.", "😤",
        "Ik overweeg te annuleren.", "Niet normaal.", "",
    ),
    ("nl", "positive"): (
        "Aanrader!", "Dank jullie wel!", "👍", "Kom zeker terug.",
        "Zo hoort service te zijn.", "🚲❤️", "",
    ),
    ("nl", "question"): ("Alvast bedankt!", "Iemand?", "🙏", "Kon het niet vinden op de site.", ""),
    ("nl", "other"): ("#zwolle", "#fietsen", "Benieuwd.", "", ""),
    ("en", "negative"): ("Disappointing.", "Anyone else?", "Please reply.", ""),
    ("en", "positive"): ("Recommended!", "Thanks!", "👍", ""),
    ("en", "question"): ("Thanks in advance!", "Anyone?", ""),
    ("en", "other"): ("#zwolle", "", ""),
}  # fmt: skip
TONE = {
    "brand_complaint": "negative",
    "brand_praise": "positive",
    "brand_question": "question",
    "recall": "question",
}
BIKES = (
    "Gazelle Ultimate", "Batavus Finez", "Sparta M8b", "Stromer ST3", "Urban Arrow",
    "bakfiets", "omafiets", "Cortina e-U4", "Qwic Premium", "racefiets",
)  # fmt: skip
DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")

# How the everyday mix divides over the kinds of posts.
MIX = (
    ("brand_complaint", 14),
    ("brand_praise", 18),
    ("brand_question", 12),
    ("brand_idea", 3),
    ("brand_neutral", 6),
    ("competitor", 22),
    ("battery", 15),
    ("noise", 10),
)
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August")


class _Demo:
    def __init__(self, org, now: datetime):
        self.org = org
        self.now = now
        self.random = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.ids = 0
        self.authors = self._authors()

    def _authors(self) -> list[tuple[str, str, str, int]]:
        """(platform, handle, display name, reach) for the everyday public."""
        r = self.random
        people = []
        for number, name in enumerate(FIRST_NAMES * 6):
            suffix = "" if number < len(FIRST_NAMES) else str(r.randint(2, 99))
            reach = int(r.lognormvariate(5, 1.3))
            if number % 2:
                handle = f"@{name}{suffix}@{r.choice(SERVERS)}"
                people.append(("mastodon", handle, name.capitalize(), reach))
            else:
                handle = f"{name}{suffix}.bsky.social"
                people.append(("bluesky", handle, name.capitalize(), reach))
        return people

    def _fill(self, text: str) -> str:
        r = self.random
        return text.format(
            brand=BRAND,
            comp=r.choice(COMPETITORS),
            weeks=r.randint(3, 12),
            minutes=r.choice((10, 15, 20, 25)),
            month=r.choice(MONTHS),
            place=r.choice(PLACES),
            bike=r.choice(BIKES),
            day=r.choice(DAYS_NL),
            day_en=r.choice(DAYS_EN),
            hour=r.randint(9, 17),
            years=r.randint(2, 6),
            month_en=r.choice(MONTHS_EN),
        )

    def _compose(self, template: Template) -> str:
        """The template's sentence with, around it, words of the author's own."""
        r = self.random
        if template.kind == "noise":
            return self._fill(template.text)
        tone = TONE.get(template.kind, "other")
        first, second = (self._fill(c) for c in r.sample(CONTEXT[template.language], 2))
        parts = [first, self._fill(template.text), second]
        if r.random() < 0.5:
            parts = parts[1:] + parts[:1]
        parts.append(r.choice(CLOSERS[(template.language, tone)]))
        return " ".join(part for part in parts if part)

    def _moment(self, days_ago: float) -> datetime:
        # Most posts between 7:00 and 23:00.
        day = self.now - timedelta(days=days_ago)
        hour = self.random.choices(range(24), weights=[1] * 7 + [4] * 16 + [2])[0]
        moment = day.replace(hour=hour, minute=self.random.randint(0, 59), second=0)
        return min(moment, self.now - timedelta(minutes=5))

    def _raw(self, *, platform, author, name, reach, template, moment, text=None, title=""):
        self.ids += 1
        text = text if text is not None else self._compose(template)
        if platform == "mastodon":
            user, server = author.lstrip("@").split("@")
            url = f"https://{server}/@{user}/{110000000 + self.ids}"
        elif platform == "bluesky":
            url = f"https://bsky.app/profile/{author}/post/demo{self.ids:06d}"
        elif platform == "news":
            url = f"https://www.zwolsecourant.example/nieuws/{self.ids}"
        else:
            url = f"https://reviews.example/fietsen/zwolle/{self.ids}"
        return RawMention(
            external_id=f"demo-{self.ids}",
            text=text,
            title=title,
            published_at=moment,
            url=url,
            author=author,
            author_name=name,
            author_reach=reach,
            language=template.language if platform in ("mastodon", "bluesky") else "",
            country="NL",
        )

    def everyday(self) -> Iterator[tuple[str, RawMention]]:
        r = self.random
        by_kind: dict[str, list[Template]] = {}
        for template in TEMPLATES:
            by_kind.setdefault(template.kind, []).append(template)
        kinds, weights = zip(*MIX, strict=True)
        for days_ago in range(DAYS):
            weekday = (self.now - timedelta(days=days_ago)).weekday()
            count = r.randint(18, 28) + (6 if weekday == 5 else 0)
            for _ in range(count):
                kind = r.choices(kinds, weights)[0]
                template = r.choice(by_kind[kind])
                moment = self._moment(days_ago + r.random() * 0.3)
                if r.random() < 0.12:
                    # A review, sent to Koers by the review site (push).
                    who = r.choice(self.authors)
                    yield (
                        "push",
                        self._raw(
                            platform="review",
                            author=who[2].lower() + str(r.randint(1, 9)),
                            name=who[2],
                            reach=0,
                            template=template,
                            moment=moment,
                        ),
                    )
                    continue
                if kind == "brand_complaint" and r.random() < 0.15:
                    author, name, reach = *CRITIC, 2400
                    platform = "mastodon"
                elif kind == "brand_neutral" and r.random() < 0.4:
                    employee = r.choice(EMPLOYEES)
                    author, name = employee
                    platform = "bluesky" if "bsky" in author else "mastodon"
                    reach = 180
                elif kind == "brand_praise" and r.random() < 0.1:
                    author, name, reach, platform = *AMBASSADOR, 5200, "bluesky"
                else:
                    platform, author, name, reach = r.choice(self.authors)
                yield (
                    platform,
                    self._raw(
                        platform=platform,
                        author=author,
                        name=name,
                        reach=reach,
                        template=template,
                        moment=moment,
                    ),
                )
            if days_ago % 9 == 4:
                title, text = r.choice(NEWS)
                yield (
                    "news",
                    self._raw(
                        platform="news",
                        author="Zwolse Courant",
                        name="Zwolse Courant",
                        reach=45000,
                        template=Template("", "nl", "news"),
                        moment=self._moment(days_ago),
                        title=self._fill(title),
                        text=self._fill(text),
                    ),
                )

    def recall(self) -> Iterator[tuple[str, RawMention]]:
        """A burst over three days, starting ten days ago: the news, the journalist,
        worried customers, and the warning reposted many times."""
        r = self.random
        start = RECALL_DAYS_AGO
        yield (
            "news",
            self._raw(
                platform="news",
                author="Zwolse Courant",
                name="Zwolse Courant",
                reach=45000,
                template=Template("", "nl", "news"),
                moment=self._moment(start),
                title=self._fill(RECALL_NEWS[0]),
                text=self._fill(RECALL_NEWS[1]),
            ),
        )
        yield (
            "mastodon",
            self._raw(
                platform="mastodon",
                author=JOURNALIST[0],
                name=JOURNALIST[1],
                reach=8300,
                template=Template("", "nl", "recall"),
                moment=self._moment(start),
                text=f"Terugroepactie e-bike accu's raakt ook Zwolle. {BRAND} belt zelf "
                "klanten; we zochten uit wat je moet doen. #terugroepactie",
            ),
        )
        for day, volume in ((start, 80), (start - 1, 55), (start - 2, 30)):
            for _ in range(volume):
                platform, author, name, reach = r.choice(self.authors)
                template = r.choice(RECALL)
                text = None
                if r.random() < 0.3:
                    text = self._fill(RECALL_REPOST)
                yield (
                    platform,
                    self._raw(
                        platform=platform,
                        author=author,
                        name=name,
                        reach=reach,
                        template=template,
                        moment=self._moment(day - r.random() * 0.9),
                        text=text,
                    ),
                )

    def snowball(self) -> Iterator[tuple[str, RawMention]]:
        """A broken frame and a refused warranty, shared and echoed by angry customers
        within an hour and a half; the journalist picks it up, someone finds a data
        leak on top."""
        r = self.random
        complaints = [t for t in TEMPLATES if t.kind == "brand_complaint"]
        start = self.now - timedelta(hours=SNOWBALL_HOURS_AGO)
        yield (
            "mastodon",
            self._raw(
                platform="mastodon",
                author=CRITIC[0],
                name=CRITIC[1],
                reach=2400,
                template=Template("", "nl", "brand_complaint"),
                moment=start - timedelta(minutes=3),
                text=self._fill(SNOWBALL_POST),
            ),
        )
        for number, volume in enumerate(SNOWBALL):
            for _ in range(volume):
                platform, author, name, reach = r.choice(self.authors)
                moment = start + timedelta(minutes=5 * number, seconds=r.randint(0, 299))
                yield (
                    platform,
                    self._raw(
                        platform=platform,
                        author=author,
                        name=name,
                        reach=reach,
                        template=r.choice(complaints),
                        moment=moment,
                    ),
                )
        yield (
            "mastodon",
            self._raw(
                platform="mastodon",
                author=JOURNALIST[0],
                name=JOURNALIST[1],
                reach=8300,
                template=Template("", "nl", "brand_complaint"),
                moment=start + timedelta(minutes=50),
                text=f"Veel boze klanten van {BRAND} vanmiddag over geweigerde garantie op "
                "e-bikes. We vragen het bedrijf om een reactie.",
            ),
        )
        platform, author, name, reach = r.choice(self.authors)
        yield (
            platform,
            self._raw(
                platform=platform,
                author=author,
                name=name,
                reach=reach,
                template=Template("", "nl", "brand_complaint"),
                moment=start + timedelta(minutes=65),
                text=self._fill(DATALEK),
            ),
        )

    def campaign(self) -> Iterator[tuple[str, RawMention]]:
        """Fietsplaza's weekend offer: for an hour it is talked about more than the brand."""
        r = self.random
        start = self.now - timedelta(hours=CAMPAIGN_HOURS_AGO)
        for number, volume in enumerate(CAMPAIGN):
            for _ in range(volume):
                platform, author, name, reach = r.choice(self.authors)
                moment = start + timedelta(minutes=5 * number, seconds=r.randint(0, 299))
                yield (
                    platform,
                    self._raw(
                        platform=platform,
                        author=author,
                        name=name,
                        reach=reach,
                        template=r.choice(CAMPAIGN_TEMPLATES),
                        moment=moment,
                    ),
                )


def _sources(org, now) -> dict[str, Source]:
    hour = timedelta(hours=1)
    return {
        "news": Source.objects.create(
            organisation=org,
            kind=SourceKind.RSS,
            name="Zwolse Courant – Zwolle",
            url="https://www.zwolsecourant.example/zwolle/rss.xml",
            status=SourceStatus.FAILING,
            failures=3,
            last_error=(
                "The address answered with a web page instead of a feed (HTTP 200, "
                "text/html). Has the feed moved? Check the address in a browser."
            ),
            last_fetched_at=now - 2 * hour,
            last_success_at=now - 30 * hour,
            next_fetch_at=now + 2 * hour,
            created_at=now - timedelta(days=DAYS + 5),
        ),
        "mastodon": Source.objects.create(
            organisation=org,
            kind=SourceKind.MASTODON_TAG,
            name="Mastodon #vandijkfietsen",
            url="https://mastodon.nl",
            term="vandijkfietsen",
            status=SourceStatus.OK,
            last_fetched_at=now - timedelta(minutes=4),
            last_success_at=now - timedelta(minutes=4),
            next_fetch_at=now + timedelta(minutes=11),
            created_at=now - timedelta(days=DAYS + 5),
        ),
        "bluesky": Source.objects.create(
            organisation=org,
            kind=SourceKind.BLUESKY_SEARCH,
            name="Bluesky: fietsen Zwolle",
            url="https://public.api.bsky.app",
            term='"van dijk fietsen" OR fietsplaza OR "rijwielhuis kampen"',
            status=SourceStatus.OK,
            last_fetched_at=now - timedelta(minutes=9),
            last_success_at=now - timedelta(minutes=9),
            next_fetch_at=now + timedelta(minutes=6),
            created_at=now - timedelta(days=DAYS + 5),
        ),
        "push": Source.objects.create(
            organisation=org,
            kind=SourceKind.PUSH,
            name="Klantreviews (push)",
            status=SourceStatus.OK,
            last_success_at=now - 3 * hour,
            created_at=now - timedelta(days=DAYS + 5),
        ),
    }


def _stakeholders(org) -> None:
    rows = [
        (JOURNALIST, Group.JOURNALIST),
        (("Zwolse Courant", "Zwolse Courant"), Group.JOURNALIST),
        (CRITIC, Group.CRITIC),
        (AMBASSADOR, Group.AMBASSADOR),
        *((employee, Group.EMPLOYEE) for employee in EMPLOYEES),
        (("@fietsplaza@mastodon.nl", "Fietsplaza Zwolle"), Group.COMPETITOR),
    ]
    Stakeholder.objects.bulk_create(
        Stakeholder(organisation=org, author=author, name=name, group=group)
        for (author, name), group in rows
    )


# The demo arrives in slices of this many days, oldest first, like a worker would see it.
SLICE_DAYS = 1


def build_demo_listening(org) -> None:
    """The listening demo. Expects the demo organisation with its people and no
    listening data yet."""
    now = timezone.now()
    sources = _sources(org, now)
    _stakeholders(org)
    owner = org.memberships.filter(role="strategist").first()
    SavedQuery.objects.bulk_create(
        SavedQuery(
            organisation=org,
            name=name,
            role=role,
            text=text,
            created_by=owner.user if owner else None,
            updated_at=now - timedelta(days=DAYS),
        )
        for name, role, text in QUERIES
    )
    demo = _Demo(org, now)
    arrivals = sorted(
        (*demo.everyday(), *demo.recall(), *demo.snowball(), *demo.campaign()),
        key=lambda item: item[1].published_at,
    )
    start = 0
    while start < len(arrivals):
        end = start
        cut = arrivals[start][1].published_at + timedelta(days=SLICE_DAYS)
        while end < len(arrivals) and arrivals[end][1].published_at < cut:
            end += 1
        per_source: dict[str, list[RawMention]] = {key: [] for key in sources}
        for key, raw in arrivals[start:end]:
            per_source[key].append(raw)
        for key, raws in per_source.items():
            if raws:
                ingest(sources[key], raws)
        enrich_pending(org.pk)
        start = end
    from koers.alerts.demo import load as load_alerts

    load_alerts(org)

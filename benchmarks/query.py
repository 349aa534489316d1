"""The listening query language: 1,000 queries against 100,000 posts, on one core.

Queries are generated deterministically (seeded random) from a vocabulary of Dutch and
English brand and topic words, in the shapes listening teams write: a brand with its
hashtag and handle, brand AND topics, brand NOT noise, NEAR, proximity windows,
wildcards, case-sensitive names, title: and field filters, and a few pure field
queries. Posts mix Dutch and English: Dutch sentences from the XED subtitle corpus
(../shared/data/text_nl/xed_nl, CC BY 4.0, Öhman et al. 2020) when present, else
built-in sentences, with brand and topic words, hashtags, mentions, links and accents
mixed in; about a third mention none of the vocabulary.

Results:

- ``listening.matcher.mentions_per_s``: posts per second through ``Matcher.match``
  (tokenising each post included).
- ``listening.matcher.ratio_vs_one_by_one``: on a subsample, the time of evaluating
  every query one by one against each post (analysed once per post, the honest
  baseline) divided by the combined matcher's time; both give the same answers, which
  is checked.
- ``listening.query.compile_ms``: median time to compile one query.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

from koers.query import Document, Matcher, Query, analyse, compile

POSTS = 100_000
QUERIES = 1_000
SUBSAMPLE = 2_000
XED = Path(__file__).resolve().parents[2] / "shared" / "data" / "text_nl" / "xed_nl"

BRANDS = """
albert heijn jumbo lidl aldi plus dirk hema action bol coolblue zalando wehkamp blokker
kruidvat etos gamma praxis karwei ikea philips asml shell unilever heineken grolsch
bavaria amstel douwe egberts ns prorail arriva connexxion qbuzz gvb ret htm klm
transavia schiphol eindhoven rabobank ing abn amro triodos bunq knab asn sns ohra
achmea centraal beheer nationale nederlanden aegon kpn vodafone ziggo odido tele2
youfone simyo eneco vattenfall essent greenchoice budget energie tweakers nos rtl
nu.nl telegraaf volkskrant trouw parool ad nrc omroep brabant efteling ajax psv
feyenoord az twente utrecht vitesse postnl dhl gls dpd thuisbezorgd uber bolt
picnic flink gorillas crisp hellofresh marktplaats funda vinted booking
tiktok instagram facebook linkedin youtube mastodon bluesky threads netflix
spotify videoland disney ziekenhuis gemeente zwolle kampen deventer amersfoort
apeldoorn enschede groningen leeuwarden maastricht tilburg breda nijmegen arnhem
""".split()  # noqa: SIM905  (a word list reads better as text)

TOPICS = """
klantenservice bezorging levering vertraging storing storingen klacht klachten
retour terugbetaling factuur abonnement prijs prijzen korting aanbieding actie
duurzaam duurzaamheid klimaat energie zonnepanelen warmtepomp laadpaal elektrisch
fiets fietsen e-bike bakfiets trein treinen bus staking vakantie reis vlucht
vertraagd geannuleerd app website inloggen wachtwoord betaling pinnen contactloos
hypotheek rente sparen beleggen pensioen verzekering schade declaratie zorg
privacy datalek hack phishing oplichting fraude vacature vacatures solliciteren
werken thuiswerken salaris cao ontslag reorganisatie winst omzet aandeel beurs
customer service delivery delay outage complaint refund invoice subscription price
discount sustainability climate energy solar electric bike train strike holiday
flight cancelled login password payment mortgage insurance privacy breach scam
fraud jobs hiring salary layoffs profit revenue shares lekker heerlijk slecht
geweldig teleurgesteld boos blij tevreden ontevreden café crème ideeën één
""".split()  # noqa: SIM905  (a word list reads better as text)

FILLER_NL = (
    "Vandaag was het weer een drukke dag in de stad.",
    "Wat vinden jullie hiervan?",
    "Ik snap echt niet waarom dit zo lang moet duren.",
    "Eindelijk weekend, tijd voor een kop koffie op het terras.",
    "Dit is al de derde keer deze maand dat het misgaat.",
    "Goed bezig, ga zo door!",
    "Zou iemand mij kunnen helpen met deze vraag?",
    "Morgen gaan we met de kinderen naar het strand.",
)
FILLER_EN = (
    "Just had the best morning in ages.",
    "Can anyone explain why this keeps happening?",
    "Great news for everyone who has been waiting.",
    "Not impressed at all, to be honest.",
    "Thanks for the quick reply, much appreciated!",
    "This is the third time this week.",
)
SITES = ("twitter.com", "www.nos.nl", "nos.nl", "tweakers.net", "reddit.com", "mastodon.social")


def _sentences() -> list[str]:
    rows = []
    path = XED / "nl-projections.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.split("\t", 1)[0].strip()
            if len(text) > 8:
                rows.append(text)
    return rows or list(FILLER_NL)


def make_posts(count: int = POSTS, seed: int = 3) -> list[Document]:
    """Realistic mixed Dutch/English posts (deterministic)."""
    rng = random.Random(seed)  # noqa: S311  (fixed benchmark data, not security)
    dutch = _sentences()
    posts = []
    for _ in range(count):
        english = rng.random() < 0.3
        pool = FILLER_EN if english else dutch
        words = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))).split()
        for _ in range(rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]):
            word = rng.choice(BRANDS if rng.random() < 0.5 else TOPICS)
            roll = rng.random()
            if roll < 0.1:
                word = "#" + word.capitalize()
            elif roll < 0.15:
                word = "@" + word
            elif roll < 0.4:
                word = word.capitalize()
            words.insert(rng.randint(0, len(words)), word)
        if rng.random() < 0.1:
            words.append(f"https://www.{rng.choice(SITES)}/artikel/{rng.randint(1, 10**6)}")
        posts.append(
            Document(
                text=" ".join(words),
                title=" ".join(rng.choice(BRANDS + TOPICS) for _ in range(3))
                if rng.random() < 0.1
                else "",
                author=f"user{rng.randint(1, 50_000)}",
                site=rng.choice(SITES),
                lang="en" if english else "nl",
                country=rng.choice(("nl", "be", "nl", "nl")),
            )
        )
    return posts


def make_queries(count: int = QUERIES, seed: int = 5) -> list[str]:
    """Query texts in the shapes listening teams write (deterministic)."""
    rng = random.Random(seed)  # noqa: S311  (fixed benchmark data, not security)

    def brand() -> str:
        return rng.choice(BRANDS)

    def topics(n: int) -> str:
        return " OR ".join(rng.sample(TOPICS, n))

    shapes = [
        lambda: brand(),
        lambda: f"{(b := brand())} OR #{b} OR @{b}",
        lambda: f'({brand()} OR "{brand()} {brand()}") AND ({topics(3)})',
        lambda: f"{brand()} NOT ({topics(2)})",
        lambda: f"{brand()} NEAR/5 ({topics(2)})",
        lambda: f'"{brand()} {rng.choice(TOPICS)}"~4',
        lambda: f"{rng.choice([t for t in TOPICS if len(t) > 5])[:5]}* AND {brand()}",
        lambda: f"({brand()} OR #{brand()}) AND lang:nl",
        lambda: f"({brand()} OR {brand()}) AND site:nos.nl",
        lambda: f"title:{brand()} AND ({topics(2)})",
        lambda: f"{{{brand().capitalize()}}} AND {rng.choice(TOPICS)}",
        lambda: f"{brand()} NEAR/3f {rng.choice(TOPICS)} <<<order matters>>>",
    ]
    queries = []
    for number in range(count):
        if number % 100 == 99:
            queries.append(f"site:{rng.choice(SITES)} AND lang:{rng.choice(('nl', 'en'))}")
        else:
            queries.append(rng.choice(shapes)())
    return queries


def _compile_all(texts: list[str]) -> tuple[dict[int, Query], list[float]]:
    compiled, times = {}, []
    for number, text in enumerate(texts):
        start = time.perf_counter()
        compiled[number] = compile(text)
        times.append((time.perf_counter() - start) * 1000)
    return compiled, times


def _row(name: str, value: float, unit: str, target: float, better: str) -> dict[str, Any]:
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "better": better,
    }


def run() -> list[dict[str, Any]]:
    queries, compile_times = _compile_all(make_queries())
    posts = make_posts()
    matcher = Matcher(queries)

    start = time.perf_counter()
    hits = sum(len(matcher.match(post)) for post in posts)
    combined_s = time.perf_counter() - start
    assert hits, "the benchmark posts must match some queries"

    sample = posts[:SUBSAMPLE]
    items = list(queries.items())
    start = time.perf_counter()
    one_by_one = []
    for post in sample:
        analysed = analyse(post)
        one_by_one.append({key for key, query in items if query.matches_analysed(analysed)})
    one_by_one_s = time.perf_counter() - start
    start = time.perf_counter()
    together = [matcher.match(post) for post in sample]
    together_s = time.perf_counter() - start
    assert together == one_by_one, "the combined matcher must agree with one-by-one matching"

    return [
        _row(
            "listening.matcher.mentions_per_s", len(posts) / combined_s, "posts/s", 20000, "higher"
        ),
        _row(
            "listening.matcher.ratio_vs_one_by_one",
            one_by_one_s / together_s,
            "ratio",
            10,
            "higher",
        ),
        _row("listening.query.compile_ms", statistics.median(compile_times), "ms", 1, "lower"),
    ]


if __name__ == "__main__":
    for result in run():
        good = (
            result["value"] >= result["target"]
            if result["better"] == "higher"
            else result["value"] <= result["target"]
        )
        print(
            f"{result['name']:<42} {result['value']:>12.2f} {result['unit']:<8} "
            f"target {result['target']:>8} {'ok' if good else 'MISSED'}"
        )

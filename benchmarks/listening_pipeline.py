"""The listening pipeline, one process on SQLite: 200,000 realistic mixed Dutch and
English posts from a JSONL file → import (check every row, ingest in bulk) → enrich
(language, sentiment, category, duplicates, threat) → match 50 saved queries (part of
enrichment) → stored with the full-text index (FTS5, kept by triggers).

Figures: mentions per second end to end, and the process's peak resident memory
(ru_maxrss, taken right after the pipeline). The baseline in the same run is the
storage ceiling: the same rows, already parsed, inserted with ``executemany`` into a
plain SQLite table with the (source, external id) unique key that idempotent ingest
needs, and an FTS5 external-content index filled per batch, in a fresh temporary file.

``python -m benchmarks.listening_pipeline [--mentions N]`` prints the figures; the
posts are generated deterministically (a fixed seed) into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

MENTIONS = 200_000
TARGET_RATE = 5000.0
TARGET_SHARE = 0.25
TARGET_RSS_MB = 1024.0
CHUNK = 1000

BRANDS = ("Van Dijk Fietsen", "Fietsplaza", "BikeRepublic")
HANDLES = ("@vandijkfietsen", "@fietsplaza", "@bikerepublic")
CITIES = ("Zwolle", "Kampen", "Deventer", "Utrecht", "Amsterdam", "Groningen", "Arnhem")
PRODUCTS_NL = ("e-bike", "bakfiets", "racefiets", "stadsfiets", "fietsslot", "accu")
PRODUCTS_EN = ("e-bike", "cargo bike", "road bike", "city bike", "bike lock", "battery")
NL = (
    "Mijn {p} van {b} is alweer kapot, wat een slechte service!",
    "Super vriendelijk geholpen bij {b} in {c} 👍",
    "Weet iemand of {b} ook op zondag open is in {c}?",
    "Idee voor {b}: een leenfiets als je {p} in reparatie is.",
    "De levering van mijn {p} duurde drie weken. Niet best {h}",
    "Vandaag een proefrit gemaakt op een {p} bij {b}. Aanrader! #fietsen",
    "Waarom reageert {h} niet op mijn mail over de {p}? Al vijf dagen niks.",
    "Prima prijs voor een {p} bij {b}, snel geleverd in {c}.",
    "Lekke band en de werkplaats van {b} zit vol tot volgende week 😡",
    "Het nieuwe filiaal van {b} in {c} ziet er mooi uit.",
    "Heeft {b} nog {p}s op voorraad? Overal uitverkocht.",
    "Gisteren bij {b} geweest, niet echt geholpen helaas.",
)
EN = (
    "My {p} from {b} broke down again, terrible service!",
    "Great help at the {b} shop in {c} today 👍",
    "Does anyone know if {b} is open on Sundays in {c}?",
    "Suggestion for {b}: offer a loan bike while your {p} is being repaired.",
    "Delivery of my {p} took three weeks. Not good {h}",
    "Test ride on a {p} at {b} today. Recommended! #cycling",
    "Why does {h} not answer my email about the {p}? Five days now.",
    "Fair price for a {p} at {b}, delivered quickly to {c}.",
    "The {b} workshop is fully booked until next week 😡",
    "The new {b} store in {c} looks great.",
)
TAILS = ("", "", "", " #fiets", " #ebike", " https://example.nl/review", " 🚲", " #klantenservice")

# 50 saved queries in the query language, as professionals write them.
QUERIES = [
    '"van dijk fietsen" OR @vandijkfietsen OR vandijkfietsen',
    "fietsplaza OR @fietsplaza",
    "bikerepublic OR @bikerepublic",
    '("van dijk" OR fietsplaza OR bikerepublic) AND (kapot OR stuk OR broke*)',
    '("van dijk" OR fietsplaza) AND (service OR klantenservice) NOT prijs',
    "levering NEAR/4 (weken OR laat)",
    "delivery NEAR/4 weeks",
    "#fietsen OR #cycling OR #fiets",
    "#ebike AND lang:nl",
    "e-bike* AND (accu OR battery)",
    'bakfiets* OR "cargo bike"',
    'racefiets* OR "road bike"',
    "(open OR geopend) AND (zondag OR sunday)",
    'proefrit OR "test ride"',
    "werkplaats OR workshop",
    "reparatie OR repaired OR repair*",
    "voorraad OR uitverkocht",
    '"slechte service" OR "terrible service"',
    'vriendelijk* OR "great help"',
    "filiaal OR store OR winkel",
    "prijs OR price",
    'leenfiets OR "loan bike"',
    "lekke NEAR/2 band",
    "(mail NEAR/5 (reageert OR answer)) AND (niet OR not)",
    'fietsslot OR "bike lock"',
    "(snel OR quickly) AND (geleverd OR delivered)",
    '#klantenservice OR klantenservice OR "customer service"',
    "(dicht OR closed) AND (winkel OR store OR filiaal)",
]
for _city in CITIES:
    QUERIES.append(f'{_city.lower()} AND ("van dijk" OR fietsplaza OR bikerepublic)')
for _brand, _handle in zip(BRANDS, HANDLES, strict=True):
    QUERIES.append(f'"{_brand.lower()}" AND lang:en')
    QUERIES.append(f'{_handle} AND (kapot OR "niet best" OR helaas)')
    QUERIES.append(f'"{_brand.lower()}" AND (aanrader OR recommended OR mooi OR great)')
    QUERIES.append(f'"{_brand.lower()}" AND (idee OR suggestion)')
    QUERIES.append(f'"{_brand.lower()}" AND ("?" OR weet OR know*) NOT #fietsen')
assert len(QUERIES) == 50, len(QUERIES)


def _prepare_environment() -> None:
    # As benchmarks/__main__.py: a data folder of our own, nothing of the user's.
    for name in list(os.environ):
        if name.startswith("KOERS_") or name == "DATABASE_URL":
            del os.environ[name]
    os.environ["KOERS_DATA_DIR"] = tempfile.mkdtemp(prefix="koers-bench-")
    os.environ["KOERS_TASKS_IMMEDIATE"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "koers.settings"


def generate(path: Path, count: int, seed: int = 2026) -> None:
    """``count`` posts as JSONL: 60 % Dutch, 40 % English, 5 % reposts of earlier
    posts, authors from a pool of 20,000, spread over 90 days."""
    rng = random.Random(seed)  # noqa: S311  (benchmark data, not security)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    authors = [f"@user{n}@{rng.choice(('mastodon.nl', 'mastodon.social'))}" for n in range(20_000)]
    recent: list[str] = []
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            if recent and rng.random() < 0.05:
                text = "RT " + rng.choice(recent)
            else:
                dutch = rng.random() < 0.6
                brand = rng.randrange(len(BRANDS))
                template = rng.choice(NL if dutch else EN)
                text = template.format(
                    b=BRANDS[brand],
                    h=HANDLES[brand],
                    c=rng.choice(CITIES),
                    p=rng.choice(PRODUCTS_NL if dutch else PRODUCTS_EN),
                ) + rng.choice(TAILS)
                recent.append(text)
                if len(recent) > 500:
                    recent.pop(0)
            when = start + timedelta(seconds=n * 90 * 86400 // count + rng.randrange(60))
            row = {
                "id": f"post-{n}",
                "text": text,
                "date": when.isoformat(),
                "author": rng.choice(authors),
                "url": f"https://mastodon.nl/@x/{n}",
                "followers": rng.choice((12, 80, 250, 1200, 15000)),
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _setup():
    from django.core.management import call_command

    from koers.listening.models import SavedQuery
    from koers.orgs.models import Organisation
    from koers.query import compile

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Bench Fietsen", slug=f"bench-{time.time_ns()}")
    for number, text in enumerate(QUERIES):
        compile(text)  # every query must be valid
        SavedQuery.objects.create(organisation=org, name=f"Query {number}", text=text)
    return org


def pipeline(path: Path, count: int) -> tuple[float, dict[str, float]]:
    """Seconds for import + enrichment, and the stage times."""
    from koers.listening.imports import import_source, import_table, open_table, suggest_mapping
    from koers.listening.models import Mention

    org = _setup()
    source = import_source(org, "Benchmark")
    stages: dict[str, float] = {}
    started = time.perf_counter()
    table = open_table(path, "jsonl")
    outcome = import_table(table, suggest_mapping(table.columns), source)
    stages["ingest"] = time.perf_counter() - started
    if outcome.created != count:
        raise RuntimeError(f"ingested {outcome.created} of {count}: {outcome.errors[:3]}")
    try:
        from koers.listening.enrich import enrich_pending
    except ImportError:
        enrich_pending = None
    if enrich_pending is not None:
        mark = time.perf_counter()
        enriched = enrich_pending(org.pk)
        stages["enrich"] = time.perf_counter() - mark
        if enriched != count:
            raise RuntimeError(f"enriched {enriched} of {count}")
    total = time.perf_counter() - started
    stages["matches"] = float(Mention.queries.through.objects.count())
    return total, stages


def ceiling(path: Path, with_unique_key: bool = True) -> float:
    """Seconds to store the same rows, already parsed, in a fresh SQLite file:
    executemany into a plain table and an FTS5 external-content index per batch."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            rows.append(
                (1, item["id"], item["text"], "", item["author"], item["url"], item["date"])
            )
    folder = tempfile.mkdtemp(prefix="koers-ceiling-")
    db = sqlite3.connect(Path(folder) / "ceiling.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    unique = ", UNIQUE (source_id, external_id)" if with_unique_key else ""
    db.execute(
        "CREATE TABLE mention (id INTEGER PRIMARY KEY, source_id INTEGER, external_id TEXT, "
        f"text TEXT, title TEXT, author TEXT, url TEXT, published_at TEXT{unique})"
    )
    db.execute(
        "CREATE VIRTUAL TABLE mention_fts USING fts5(text, title, author, content='mention', "
        "content_rowid='id', tokenize=\"unicode61 remove_diacritics 2\")"
    )
    insert = (
        "INSERT OR IGNORE INTO mention (source_id, external_id, text, title, author, url, "
        "published_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    started = time.perf_counter()
    last = 0
    for start in range(0, len(rows), CHUNK):
        with db:
            db.executemany(insert, rows[start : start + CHUNK])
            db.execute(
                "INSERT INTO mention_fts (rowid, text, title, author) "
                "SELECT id, text, title, author FROM mention WHERE id > ?",
                (last,),
            )
            last = db.execute("SELECT max(id) FROM mention").fetchone()[0]
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def run(count: int = MENTIONS) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="koers-pipeline-"))
    path = folder / "posts.jsonl"
    generate(path, count)
    seconds, stages = pipeline(path, count)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ceiling_seconds = ceiling(path)
    rate, ceiling_rate = count / seconds, count / ceiling_seconds
    detail = ", ".join(
        f"{name} {value:.1f} s" if name != "matches" else f"{value:.0f} matches"
        for name, value in stages.items()
    )
    if "enrich" not in stages:
        detail += " (koers.listening.enrich missing: ingest only)"
    print(
        f"listening pipeline, {count} mentions: {seconds:.1f} s ({detail}); "
        f"ceiling {ceiling_seconds:.1f} s",
        file=sys.stderr,
    )
    return [
        {
            "name": "listening.pipeline.mentions_per_s",
            "value": rate,
            "unit": "mentions/s",
            "target": TARGET_RATE,
            "better": "higher",
        },
        {
            "name": "listening.pipeline.ceiling_mentions_per_s",
            "value": ceiling_rate,
            "unit": "mentions/s",
            "target": 0.0,
            "better": "higher",
        },
        {
            "name": "listening.pipeline.share_of_ceiling",
            "value": rate / ceiling_rate,
            "unit": "ratio",
            "target": TARGET_SHARE,
            "better": "higher",
        },
        {
            "name": "listening.pipeline.peak_rss_mb",
            "value": peak_mb,
            "unit": "MB",
            "target": TARGET_RSS_MB,
            "better": "lower",
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.listening_pipeline")
    parser.add_argument("--mentions", type=int, default=MENTIONS, help="posts to generate")
    args = parser.parse_args(argv)
    _prepare_environment()
    import django

    django.setup()
    for result in run(args.mentions):
        print(
            f"{result['name']:<45} {result['value']:>12.2f} {result['unit']:<11} "
            f"target {result['target']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

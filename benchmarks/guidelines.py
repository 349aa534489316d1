"""The guideline check: a 3,000-character post against 500 rules, on one core.

Rules: 480 confidential-term rules (two or three terms each), 10 personal-data rules,
5 abuse rules, 3 link rules and 2 disclosure rules, compiled once into a RuleSet. The
baseline, in the same process, is the obvious alternative: one compiled regular
expression per confidential term, searched one after another.
"""

from __future__ import annotations

import random
import re
import statistics
import time

from koers.guidelines.engine import Rule, RuleSet

RUNS = 300
TARGET_P95_MS = 20.0

SENTENCES = (
    "Vandaag leverden we weer veertig e-bikes af aan klanten in Zwolle en omgeving.",
    "Onze werkplaats in Kampen draait op volle toeren voor het voorjaar. 🚲",
    "Heb je een vraag over je bestelling? Mail ons op service@vandijkfietsen.nl.",
    "Lees het hele verhaal op https://www.vandijkfietsen.nl/nieuws/voorjaar-2026.",
    "Bedankt aan iedereen die meedacht over het nieuwe stuur, jullie ideeën werken!",
    "Wat een prachtige tocht langs de IJssel, met dank aan onze klanten.",
    "Project Zeemeeuw blijft nog even geheim, maar het wordt mooi.",
    "Bel gerust 038-4567890 als je een proefrit wilt plannen.",
)


def _text(length: int = 3000) -> str:
    rng = random.Random(7)  # noqa: S311  (fixed test data, not security)
    parts, size = [], 0
    while size < length:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)[:length]


def _rules() -> list[Rule]:
    rng = random.Random(11)  # noqa: S311  (fixed test data, not security)
    syllables = [
        "zee",
        "meeuw",
        "berk",
        "kracht",
        "fiets",
        "stuur",
        "wiel",
        "ketting",
        "zadel",
        "trap",
        "veer",
        "noord",
        "oost",
        "licht",
        "storm",
        "dijk",
    ]
    rules = []
    for n in range(480):
        terms = tuple(
            " ".join(rng.choice(syllables) + rng.choice(syllables) for _ in range(2)) + f" {n}"
            for _ in range(rng.choice((2, 3)))
        )
        rules.append(Rule(f"confidential-{n}", "confidential", "block", terms=terms))
    rules.append(Rule("zeemeeuw", "confidential", "block", terms=("Project Zeemeeuw",)))
    for n in range(9):
        rules.append(Rule(f"personal-{n}", "personal_data", "block" if n % 2 else "warn"))
    for n in range(5):
        rules.append(Rule(f"abuse-{n}", "abuse", "block"))
    for n in range(3):
        rules.append(Rule(f"links-{n}", "links", "warn", allowed_domains=("vandijkfietsen.nl",)))
    for n in range(2):
        rules.append(Rule(f"disclosure-{n}", "disclosure", "block"))
    assert len(rules) == 500
    return rules


def _times(call, runs: int = RUNS) -> list[float]:
    for _ in range(10):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def run() -> list[dict]:
    text = _text()
    rules = _rules()
    start = time.perf_counter()
    ruleset = RuleSet(rules)
    compile_ms = (time.perf_counter() - start) * 1000
    result = ruleset.check(text, paid=True)
    assert result.blocked, "the benchmark text must hit some rules"

    engine = _times(lambda: ruleset.check(text, paid=True))
    patterns = [
        re.compile(rf"(?i)\b{re.escape(term)}\b")
        for rule in rules
        if rule.kind == "confidential"
        for term in rule.terms
    ]
    naive = _times(lambda: [p.search(text) for p in patterns], runs=60)

    def result_row(name, value, unit, target, better="lower"):
        return {
            "name": name,
            "value": round(value, 3),
            "unit": unit,
            "target": target,
            "better": better,
        }

    return [
        result_row("guidelines.check.p95_ms", _p95(engine), "ms", TARGET_P95_MS),
        result_row("guidelines.check.median_ms", statistics.median(engine), "ms", 10.0),
        result_row("guidelines.compile_500_rules_ms", compile_ms, "ms", 500.0),
        result_row(
            "guidelines.terms_only.regex_per_term_median_ms", statistics.median(naive), "ms", 1000.0
        ),
        result_row(
            "guidelines.check.speedup_vs_regex_per_term",
            statistics.median(naive) / statistics.median(engine),
            "ratio",
            1.0,
            "higher",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']:<52} {row['value']:>10} {row['unit']}")

"""How well ``koers.nlp.abuse`` finds hate, measured on Multilingual HateCheck (Dutch).

Source: Multilingual HateCheck, Röttger et al. 2022 (CC BY 4.0), 3,765 Dutch functional
test cases in 27 functionalities, read from ``../shared/data/text_nl/mhc_dutch_hatecheck``
beside the repository (never copied into it). A case counts as flagged when
``is_abusive`` is true; gold is ``label_gold == "hateful"``.

Two things to keep in mind when reading the figures:

- HateCheck asks "is this hate against a protected group?", the lexicon asks "should
  this post get a second look?". Profanity that targets no group (``profanity_nh``,
  "wat een kutdag") is non-hateful in HateCheck and flagged by us on purpose, so it
  counts against our precision; ``precision_without_profanity_nh`` leaves it out.
- The lists were written from general knowledge of Dutch and English abuse, not from
  these cases; the per-functionality figures show which mechanisms fail (negation,
  counter-speech, spelling), not how to copy the wording.

Per functionality every case has the same gold label, so the per-functionality figure
is recall for hateful ones and the false-positive rate for non-hateful ones (precision is
only defined over the whole set).

``python -m benchmarks.abuse`` prints the figures; ``results()`` gives them in the
benchmark result format.
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from koers.nlp.abuse import find_abuse, is_abusive

DATA = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/text_nl/mhc_dutch_hatecheck/hatecheck_cases_final_dutch.csv"
)

# A post of about 3,000 characters: ordinary organisation copy with two curses in it.
_POST = (
    "Goedemorgen allemaal! Vandaag openen we onze nieuwe vestiging in Utrecht, vlak bij "
    "het station. 🎉 Kom langs voor koffie, een rondleiding en een gesprek met het team. "
    "We hebben het afgelopen jaar hard gewerkt aan betere service: kortere wachttijden, "
    "een vernieuwde app en persoonlijke hulp via WhatsApp. Heb je vragen over je "
    "bestelling, je factuur of een retour? Stuur ons een bericht, we reageren binnen een "
    "uur. Samen met KWF Kankerbestrijding zamelen we deze maand geld in voor onderzoek. "
    "Wat een kutweer trouwens, neem een paraplu mee. Thanks to everyone who joined our "
    "webinar yesterday, the recording is online now. "
)


def _text(length: int = 3000) -> str:
    return (_POST * (length // len(_POST) + 1))[:length]


def evaluate(path: Path | str = DATA) -> dict | None:
    """Precision, recall and F1 over all cases, and the share flagged per functionality;
    None when the data set is absent."""
    path = Path(path)
    if not path.exists():
        return None
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    fp_profanity_nh = 0
    per: dict[str, dict] = {}
    for row in rows:
        gold = row["label_gold"] == "hateful"
        flagged = is_abusive(row["test_case"])
        counts[("t" if flagged == gold else "f") + ("p" if flagged else "n")] += 1
        if flagged and not gold and row["functionality"] == "profanity_nh":
            fp_profanity_nh += 1
        item = per.setdefault(
            row["functionality"],
            {"gold": row["label_gold"], "cases": 0, "flagged": 0},
        )
        item["cases"] += 1
        item["flagged"] += flagged
    for item in per.values():
        share = item["flagged"] / item["cases"]
        if item["gold"] == "hateful":
            item["recall"] = share
        else:
            item["false_positive_rate"] = share
        item["accuracy"] = share if item["gold"] == "hateful" else 1 - share
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kept_fp = fp - fp_profanity_nh
    return {
        "cases": len(rows),
        **counts,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "precision_without_profanity_nh": tp / (tp + kept_fp) if tp + kept_fp else 0.0,
        "functionalities": dict(sorted(per.items())),
    }


def speed_ms(length: int = 3000, rounds: int = 7, calls: int = 200) -> float:
    """Median milliseconds for one ``find_abuse`` call on a post of ``length`` characters."""
    text = _text(length)
    for _ in range(20):
        find_abuse(text)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            find_abuse(text)
        timings.append((time.perf_counter() - start) / calls * 1000)
    return statistics.median(timings)


def _result(name, value, unit, target, better="higher"):
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target,
            "better": better}  # fmt: skip


def results() -> list[dict]:
    """The figures in the benchmark result format; no HateCheck figures without the data."""
    out = []
    figures = evaluate()
    if figures is not None:
        out += [
            _result("guidelines.abuse.hatecheck_nl.precision", figures["precision"], "ratio", 0.85),
            _result("guidelines.abuse.hatecheck_nl.recall", figures["recall"], "ratio", 0.60),
        ]
    out.append(_result("guidelines.abuse.find_3000_chars_ms", speed_ms(), "ms", 1.0, "lower"))
    return out


def main() -> None:
    figures = evaluate()
    if figures is None:
        print(f"HateCheck data not found at {DATA}; skipped.")
    else:
        print("Multilingual HateCheck, Dutch (Röttger et al. 2022, CC BY 4.0)")
        print(
            f"{figures['cases']} cases  precision {figures['precision']:.3f}  "
            f"recall {figures['recall']:.3f}  F1 {figures['f1']:.3f}  "
            f"(tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']}, tn {figures['tn']})"
        )
        print(
            "precision without profanity_nh (profanity we flag on purpose): "
            f"{figures['precision_without_profanity_nh']:.3f}\n"
        )
        print(f"{'functionality':<22} {'gold':<12} {'cases':>5} {'flagged':>7}  figure")
        for name, item in figures["functionalities"].items():
            if item["gold"] == "hateful":
                figure = f"recall {item['recall']:.2f}"
            else:
                figure = f"false positives {item['false_positive_rate']:.2f}"
            print(
                f"{name:<22} {item['gold']:<12} {item['cases']:>5} {item['flagged']:>7}  {figure}"
            )
    print(f"\nfind_abuse on 3,000 characters: {speed_ms():.3f} ms (median)")


def not_typos(dictionaries: list[str]) -> list[str]:
    """Typo variants of our words (and words glued to a short word) that are real words in
    the given word lists, one word a line: the value of ``abuse_terms.NOT_TYPOS``."""
    from koers.nlp.abuse.normalise import _lower
    from koers.nlp.abuse.typos import _corrections, _vocabulary

    known = set()
    for dictionary in dictionaries:
        with open(dictionary, encoding="utf-8", errors="ignore") as handle:
            known.update(_lower(line.strip()) for line in handle)
    everything = _corrections(_vocabulary(), frozenset())
    return sorted(word for word in everything if word in known)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--not-typos"]:
        # python -m benchmarks.abuse --not-typos /usr/share/dict/dutch /usr/share/dict/...
        import textwrap

        lines = textwrap.wrap(" ".join(not_typos(sys.argv[2:])), 84)
        print('_NOT_TYPOS_TEXT = """\n' + "\n".join(lines) + '\n"""')
        print("NOT_TYPOS = tuple(_NOT_TYPOS_TEXT.split())")
    else:
        main()

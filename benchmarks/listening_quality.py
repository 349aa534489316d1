"""How good and how fast the framework-free enrichment is (koers.nlp).

Quality, on the only real labelled data we can honestly use for sentiment:

- ``listening.sentiment.xed_nl.*``: XED (Öhman et al. 2020, CC BY 4.0), 5,334 Dutch
  film-subtitle lines with emotion labels *projected* from English annotations through
  aligned subtitles — silver quality, and subtitles rather than posts. Read from
  ``../shared/data/text_nl/xed_nl/`` beside the repository, never copied into it.
  Emotions are mapped to sentiment: joy and trust → positive; anger, disgust, fear
  and sadness → negative; anticipation and surprise carry no polarity. A line is kept
  when its emotions point one way only (lines with both, or only anticipation or
  surprise, are left out), so the gold standard has two classes; a neutral answer
  counts as wrong. Accuracy and macro-F1 over positive/negative; besides them the share
  of lines we give a polarity at all (``polar_share``) and the accuracy on those
  (``polar_accuracy``, whose target is the majority-class baseline: always answering
  "negative"). The targets for accuracy (0.55) and macro-F1 (0.50) were set before the
  first measurement and are not met: most subtitle lines hold no sentiment word our
  lexicons know, so we answer neutral, which this two-class gold counts as wrong.
  Nothing was tuned on this data: the lexicon additions, negation and intensifier
  rules were written from general knowledge of Dutch before the figure was measured,
  and must stay that way (a change made to raise this figure would make it
  meaningless).

Not measured, for lack of honest data: category accuracy (no real posts labelled as
question/complaint/praise/idea exist in shared/data) and English sentiment (no
labelled English posts there). The unit tests hold hand-written cases for both; they
show behaviour, not accuracy.

Speed: ``listening.enrich.texts_per_s`` runs the framework-free part of enrichment
(language among Dutch and English, sentiment, category, near-duplicate check, threat
score) over the XED lines and the English tweets of the X archive in
``../shared/data/platforms/twitter_archive/`` in batches of 1,000, one process;
median of three rounds.

``python -m benchmarks.listening_quality`` prints the figures; ``run()`` gives them in
the benchmark result format (no XED figures without the data).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from koers.nlp.category import categorise
from koers.nlp.duplicates import DuplicateIndex, fingerprint
from koers.nlp.language import detect_many
from koers.nlp.sentiment import NEGATIVE, POSITIVE, analyse
from koers.nlp.threat import threat_score

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
XED = SHARED / "text_nl" / "xed_nl" / "nl-projections.tsv"
TWEETS = SHARED / "platforms" / "twitter_archive" / "tweets.js"

# XED's label numbers: anger 1, anticipation 2, disgust 3, fear 4, joy 5, sadness 6,
# surprise 7, trust 8.
XED_POSITIVE = {5, 8}
XED_NEGATIVE = {1, 3, 4, 6}


def xed_gold() -> list[tuple[str, str]] | None:
    """(text, positive|negative) for the XED lines whose emotions point one way."""
    if not XED.exists():
        return None
    rows = []
    for line in XED.read_text(encoding="utf-8").splitlines():
        text, _, labels = line.rpartition("\t")
        emotions = {int(x) for x in labels.replace(" ", "").split(",") if x.isdigit()}
        positive, negative = emotions & XED_POSITIVE, emotions & XED_NEGATIVE
        if positive and not negative:
            rows.append((text, POSITIVE))
        elif negative and not positive:
            rows.append((text, NEGATIVE))
    return rows


def _f1(gold: list[str], predicted: list[str], label: str) -> float:
    tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
    fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate_xed() -> dict | None:
    rows = xed_gold()
    if rows is None:
        return None
    gold = [label for _, label in rows]
    predicted = [analyse(text, "nl").label for text, _ in rows]
    majority = max(gold.count(POSITIVE), gold.count(NEGATIVE)) / len(gold)
    polar = [(g, p) for g, p in zip(gold, predicted, strict=True) if p != "neutral"]
    return {
        "lines": len(rows),
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(rows),
        "macro_f1": (_f1(gold, predicted, POSITIVE) + _f1(gold, predicted, NEGATIVE)) / 2,
        "majority_baseline": majority,
        "polar_share": len(polar) / len(rows),
        "polar_accuracy": sum(g == p for g, p in polar) / len(polar) if polar else 0.0,
    }


def _texts() -> list[str]:
    texts = []
    if XED.exists():
        texts += [line.rpartition("\t")[0] for line in XED.read_text("utf-8").splitlines()]
    if TWEETS.exists():
        raw = TWEETS.read_text("utf-8")
        tweets = json.loads(raw[raw.index("[") :])
        texts += [t["tweet"]["full_text"] for t in tweets if t["tweet"].get("lang") == "en"]
    if not texts:
        # Without the shared data: a realistic mix written here, repeated.
        texts = [
            "Al drie dagen een storing bij jullie, belachelijk! @provider",
            "Hoe laat gaan jullie morgen open?",
            "Super vriendelijk geholpen door de klantenservice, bedankt 😊",
            "Tip: maak een donkere modus in de app",
            "Still waiting for my refund, this is unacceptable",
            "Thanks for the quick help this morning!",
        ] * 500
    return texts


def enrich_texts(texts: list[str], batch: int = 1000) -> None:
    """The framework-free part of one enrichment pass, as the worker runs it."""
    index: DuplicateIndex[int] = DuplicateIndex()
    for start in range(0, len(texts), batch):
        chunk = texts[start : start + batch]
        langs = detect_many(chunk, ("nl", "en"))
        for offset, (text, lang) in enumerate(zip(chunk, langs, strict=True)):
            sentiment = analyse(text, lang)
            categorise(text, sentiment)
            index.check_and_add(start + offset, fingerprint(text))
            threat_score(
                followers=1_000,
                sentiment_score=sentiment.score,
                sentiment_confidence=sentiment.confidence,
            )


def throughput(rounds: int = 3) -> float:
    texts = _texts()
    enrich_texts(texts[:200])  # load the language models and lexicons first
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        enrich_texts(texts)
        timings.append(time.perf_counter() - started)
    return len(texts) / statistics.median(timings)


def run() -> list[dict]:
    results = []
    xed = evaluate_xed()
    if xed is not None:
        results += [
            {
                "name": "listening.sentiment.xed_nl.accuracy",
                "value": xed["accuracy"],
                "unit": "ratio",
                "target": 0.55,
                "better": "higher",
            },
            {
                "name": "listening.sentiment.xed_nl.macro_f1",
                "value": xed["macro_f1"],
                "unit": "ratio",
                "target": 0.50,
                "better": "higher",
            },
            {
                # Accuracy where we commit to a polarity; it must beat always answering
                # the majority class, or the lexicon would be worse than no analysis.
                "name": "listening.sentiment.xed_nl.polar_accuracy",
                "value": xed["polar_accuracy"],
                "unit": "ratio",
                "target": round(xed["majority_baseline"], 3),
                "better": "higher",
            },
            {
                "name": "listening.sentiment.xed_nl.polar_share",
                "value": xed["polar_share"],
                "unit": "ratio",
                "target": 0.0,
                "better": "higher",
            },
        ]
    results.append(
        {
            "name": "listening.enrich.texts_per_s",
            "value": throughput(),
            "unit": "texts/s",
            "target": 5_000,
            "better": "higher",
        }
    )
    return results


if __name__ == "__main__":
    figures = evaluate_xed()
    if figures is None:
        print("XED not found beside the repository; sentiment quality not measured")
    else:
        print("XED Dutch (silver):", {k: round(v, 3) for k, v in figures.items()})
    for result in run():
        print(f"{result['name']:<48} {result['value']:>10.3f} {result['unit']}")

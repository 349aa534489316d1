"""What kind of post it is for webcare: a question, a complaint, praise, an idea, or other.

Rules, in Dutch and English, each adding points to a category; the category with the
most points wins when it has enough, otherwise "other". Sentiment (``koers.nlp.sentiment``)
tips complaints and praise: a negative post with a complaint marker is a complaint even
when it ends in a question mark ("Waarom werkt de app weer niet?!").

- question: a question mark outside links, or a sentence that opens with a question
  word ("hoe", "wanneer", "kunnen jullie", "how", "can you") or asks for help ("weet
  iemand", "does anyone know");
- complaint: complaint words (storing, vertraging, klacht, kapot, nog steeds, outage,
  still waiting, refund…), "al drie dagen", and negative sentiment;
- praise: thanks and compliments ("bedankt", "top", "chapeau", "thanks", "great job")
  and positive sentiment;
- idea: suggestions ("tip:", "suggestie", "idee", "zou het niet", "wat als", "het zou
  handig zijn als", "what if", "it would be nice", "please add").

The organisation's own classifier (trained from users' corrections) takes over where
it is sure; these rules are its fallback (koers.listening.classifier).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from koers.nlp.sentiment import NEGATIVE, POSITIVE, Sentiment

QUESTION = "question"
COMPLAINT = "complaint"
PRAISE = "praise"
IDEA = "idea"
OTHER = "other"
LABELS = (QUESTION, COMPLAINT, PRAISE, IDEA, OTHER)

# A category needs at least this many points to beat "other".
THRESHOLD = 1.0

_URL = re.compile(r"https?://\S+|www\.\S+")
_QUESTION_MARK = re.compile(r"\?(?!\w)")
_QUESTION_OPENING = re.compile(
    r"(?:^|[.!?\n]\s*)(?:@\w+\s+)*"
    r"(?:hoe|wie|wat|waar|wanneer|waarom|welke?|hoeveel|hoelang|waarmee|waarvoor"
    r"|kan|kun|kunnen|kunt|mag|mogen|moet|moeten|is|zijn|heeft|hebben|heb|weet|weten|wordt|gaat"
    r"|how|who|what|where|when|why|which|can|could|is|are|do|does|did|will|would|should"
    r"|anyone|any)\b",
)
_HELP_REQUEST = re.compile(
    r"\b(?:weet iemand|iemand een idee|iemand ervaring|kan iemand|graag hulp|help(?: me)?"
    r"|hoe zit het met|ik vroeg me af|vraagje|does anyone know|anyone know|can someone"
    r"|i was wondering|any idea)\b",
)
_COMPLAINT = re.compile(
    r"\b(?:storing(?:en)?|vertraging(?:en)?|vertraagd|klacht(?:en)?|klantonvriendelijk\w*"
    r"|kapot|defect|kwijt|onbereikbaar|nog steeds|alweer|weer (?:eens )?(?:niet|geen|kapot|storing)"
    r"|werkt\s+(?:\w+\s+){0,2}niet|doet het niet|lukt (?:\w+\s+)?niet|geen (?:reactie|antwoord)"
    r"|wacht(?:en|tijd)?|gewacht|geannuleerd|uitgevallen|schande\w*|belachelijk|waardeloos"
    r"|slechte? (?:service|klantenservice|bereikbaarheid)|nooit meer|klaar mee|opgelicht"
    r"|teleurgesteld|onacceptabel|geld terug|terugbetal\w*|al (?:\d+|twee|drie|vier|vijf|zes|tien)"
    r" (?:dagen|weken|uur|maanden)"
    r"|outage|still waiting|not working|doesn'?t work|isn'?t working|complaint|refund"
    r"|unacceptable|worst|never again|cancell?ed|delayed|broken|ripped off|on hold)\b",
)
_PRAISE = re.compile(
    r"\b(?:bedankt|dank(?:jewel|uwel|je|u)?|top(?:pie|per|pers|service)?|chapeau|compliment(?:en)?"
    r"|aanrader|geweldig|fantastisch|super (?:service|geholpen|snel|vriendelijk)|goed geholpen"
    r"|snel geholpen|tevreden|held(?:en)?|keep up|thanks|thank you|thx|great (?:job|service|work)"
    r"|well done|kudos|love (?:it|this|you)|amazing|awesome|excellent)\b",
)
_IDEA = re.compile(
    r"(?:\btip\s*:|\bsuggestie|\bidee\b|\bzou het niet\b|\bwat als\b"
    r"|\bzou (?:het )?(?:mooi|fijn|handig|leuk|tof) (?:zijn|wezen)"
    r"|\bhet zou (?:mooi|fijn|handig|leuk) zijn|\bwaarom (?:niet|geen)\b"
    r"|\bkunnen jullie niet\b|\bvoorstel\b|\bmisschien (?:kunnen|kan|is het) (?:jullie )?een idee"
    r"|\bwhat if\b|\bsuggestion\b|\bit would be (?:nice|great|cool)|\bwould be (?:nice|great) if"
    r"|\bplease add\b|\bfeature request\b|\bidea\b|\bwhy not\b|\byou should (?:add|make|offer))",
)


@dataclass(frozen=True, slots=True)
class CategoryResult:
    label: str
    confidence: float  # 0 … 1


def scores(text: str, sentiment: Sentiment | None = None) -> dict[str, float]:
    """Points per category for ``text`` (exposed for the classifier and for tests)."""
    # Lower-cased once: the patterns are written in lower case (faster than IGNORECASE).
    clean = _URL.sub(" ", text).lower()
    points = dict.fromkeys(LABELS, 0.0)
    question_marks = len(_QUESTION_MARK.findall(clean))
    if question_marks:
        points[QUESTION] += 1.2
    if _QUESTION_OPENING.search(clean):
        points[QUESTION] += 0.6 if question_marks else 0.3
    if _HELP_REQUEST.search(clean):
        points[QUESTION] += 0.8
    complaints = len(_COMPLAINT.findall(clean))
    points[COMPLAINT] += min(complaints, 3) * 0.8
    praise = len(_PRAISE.findall(clean))
    points[PRAISE] += min(praise, 3) * 0.8
    ideas = len(_IDEA.findall(clean))
    points[IDEA] += min(ideas, 2) * 1.4
    if sentiment is not None:
        strength = abs(sentiment.score) * sentiment.confidence
        if sentiment.label == NEGATIVE:
            points[COMPLAINT] += 1.2 * strength + (0.4 if complaints else 0.0)
            points[PRAISE] *= 0.5
        elif sentiment.label == POSITIVE:
            points[PRAISE] += 1.2 * strength + (0.3 if praise else 0.0)
            points[COMPLAINT] *= 0.7
    if "!!" in clean or "?!" in clean:
        points[COMPLAINT] += 0.3 if complaints else 0.0
    return points


def categorise(text: str, sentiment: Sentiment | None = None) -> CategoryResult:
    """The category of ``text``, given its sentiment when known."""
    points = scores(text, sentiment)
    ranked = sorted(((value, label) for label, value in points.items()), reverse=True)
    (best, label), (second, _) = ranked[0], ranked[1]
    if best < THRESHOLD:
        # Nothing stands out: "other", surer the less there was.
        return CategoryResult(OTHER, round(0.8 - 0.4 * best / THRESHOLD, 4))
    margin = (best - second) / best
    confidence = 0.35 + 0.5 * margin + 0.15 * min(1.0, (best - THRESHOLD) / 2)
    return CategoryResult(label, round(min(confidence, 0.99), 4))


def categorise_many(
    texts: list[str], sentiments: list[Sentiment] | None = None
) -> list[CategoryResult]:
    if sentiments is None:
        return [categorise(text) for text in texts]
    return [categorise(text, s) for text, s in zip(texts, sentiments, strict=True)]

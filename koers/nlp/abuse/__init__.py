"""Profanity, insults, slurs, threats and dehumanising speech in a post. No Django.

``find_abuse(text)`` returns ``AbuseMatch`` spans with one of five categories:

- ``profanity``: curse words ("kut", "tyfus", "fuck"), mild ones ("klote") included,
  since a brand account should not swear either.
- ``insult``: words and phrases that insult a person ("klootzak", "jij eikel",
  "je bent waardeloos", "rot op").
- ``slur``: identity slurs, and an abusive word put before a group ("vuile jood",
  "kankerturk").
- ``threat``: threats and calls for violence ("ik maak je af", "I will kill you",
  "... moeten vergast worden"), and wishing someone dead ("ga toch dood").
- ``dehumanising``: derogation of a protected group as a group: comparisons with vermin
  and disease ("... zijn ratten", "are vermin"), hatred ("ik haat ..."), denied
  humanity or rights ("... zijn geen mensen", "... zijn niet welkom").

Offsets are Python string indices (code points) into the text as given; an emoji before
a match counts as one.

How it matches. The text is lower-cased and stripped of diacritics without changing its
length; digits and symbols inside words are read as letters ("k4nk3r", "sh!t"); letters
spaced out or dotted ("k u t", "k.u.t") and invisible characters are joined up (the only
case that changes positions, so an index map is kept). Every word list becomes one
regular expression built as a trie, in which each letter may be stretched ("kuuuut", but
not doubled: "negeer" is not "neger"). Words written with asterisks ("k*t", "f*ck") count
when exactly one word of the lexicon fits. A dropped or swapped letter ("vrowen") and a
missing space after a short word ("ikhaat") are corrected for the words the lists use,
unless the variant is itself a real word. Multi-word patterns (threats, group derogation,
addressed insults) are compiled one by one and tried only when the text holds one of
their anchor words, so an ordinary post skips nearly all of them.

Choices worth knowing:

- "kanker" alone is the disease: "Ik heb kanker", "KWF Kankerbestrijding" and
  "kankerpatiënt" are not flagged. It is a curse in a compound whose second part is not
  medical ("kankerlijer", "kankerweer", "kankeren"), in a curse formula ("krijg de
  kanker", "kanker op"), before an insult, a group or an evaluative word written apart
  ("kanker slecht", "kanker homo"), after an abusive word ("vuile kanker"), and as an
  exclamation at the start of a sentence ("Kanker!").
- Words that are insults and ordinary words at once ("eikel" is an acorn, "teef" a female
  dog, "Dick" a first name, "dyke" a dyke) count only when addressed or modified:
  "jij eikel", "vuile teef", "what a dick".
- Group patterns skip negated statements ("vrouwen zijn geen ratten", "ik haat moslims
  niet"); a negated positive ("... zijn niet welkom") is derogation.
- A compound takes the category of its worst part: "kankerlijer" is an insult,
  "kankerjood" a slur.
- Once a text names a group, "ze", "hen", "they" and "them" may refer to it ("Ik heb
  veel X ontmoet en ik haat ze allemaal").
- Quoting or countering hate ("'Moslims zijn ratten' is een walgelijke uitspraak") is
  still flagged: a lexicon cannot see the stance, and a slur in an outgoing post deserves
  a second look either way.
"""

from __future__ import annotations

from koers.nlp.abuse.categories import (
    _SEVERITY,
    CATEGORIES,
    DEHUMANISING,
    INSULT,
    PROFANITY,
    SLUR,
    THREAT,
    AbuseMatch,
    _Found,
)
from koers.nlp.abuse.normalise import _prepare
from koers.nlp.abuse.phrases import _phrase_matches
from koers.nlp.abuse.typos import _WORDS, _correct
from koers.nlp.abuse.words import _lexicon_matches, _masked_matches

__all__ = [
    "CATEGORIES",
    "DEHUMANISING",
    "INSULT",
    "PROFANITY",
    "SLUR",
    "THREAT",
    "AbuseMatch",
    "find_abuse",
    "is_abusive",
]


def find_abuse(text: str) -> list[AbuseMatch]:
    """Every abusive word or phrase in ``text``, in order of position."""
    if not text:
        return []
    work, index = _prepare(text)
    words = set(_WORDS.findall(work))
    work, index, words = _correct(work, index, words)
    found, groups = _lexicon_matches(work)
    found += _phrase_matches(work, words, groups)
    if "*" in work or "#" in work:
        found += _masked_matches(work)
    if not found:
        return []
    # One finding per span, the most serious; none inside a longer one of its category.
    best: dict[tuple[int, int], _Found] = {}
    for item in found:
        current = best.get(item[:2])
        if current is None or _SEVERITY[item[3]] > _SEVERITY[current[3]]:
            best[item[:2]] = item
    kept = sorted(best.values())
    result = []
    for start, end, term, category in kept:
        if any(
            s <= start and end <= e and (s, e) != (start, end) and c == category
            for s, e, _, c in kept
        ):
            continue
        if index is not None:
            start, end = index[start], index[end - 1] + 1
        result.append(AbuseMatch(start, end, term, category))
    return result


def is_abusive(text: str) -> bool:
    """Whether ``text`` contains anything ``find_abuse`` reports."""
    return bool(find_abuse(text))

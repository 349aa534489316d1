"""Building blocks of the multi-word patterns (threats, group derogation, addressed
insults, "kanker" as a curse): separators, gaps, group references, pronouns, verbs of
killing, predicates. Group names are replaced by placeholders first (see
``phrases._mark_groups``), so a pattern says "a group" in a few characters instead of
repeating the list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from koers.nlp import abuse_terms as terms
from koers.nlp.abuse.expressions import _END, _PLURAL, _REST, _SEP, _SINGULAR, _words

_NEG = "(?:" + "|".join(re.escape(n) for n in terms.NEGATORS) + ")" + _END


class _Joined(str):
    """A pattern part that brings its own trailing separator (a gap, an optional word)."""


def _alt(*items: str) -> str:
    """Literal words or phrases (spaces between words may be any separator)."""
    return "(?:" + _words(items) + ")"


def _gap(n: int) -> _Joined:
    """Up to n words, none of them a negation."""
    return _Joined(rf"(?:(?!{_NEG})(?:[^\W_]+|[{_PLURAL}{_SINGULAR}]{_REST}*){_SEP}){{0,{n}}}")


def _optional(part: str) -> _Joined:
    return _Joined(f"(?:{part}{_SEP})?")


def _seq(*parts: str) -> str:
    """Parts in order with separators between them."""
    out = ""
    joined = True
    for part in parts:
        if not joined:
            out += _SEP
        out += part
        joined = isinstance(part, _Joined)
    return out


_GROUP = f"{_PLURAL}{_REST}*(?!{_REST})"
_GROUP_ANY = f"[{_PLURAL}{_SINGULAR}]{_REST}*(?!{_REST})"
_GROUP_DET = _alt(
    "alle", "al die", "al deze", "al de", "elke", "iedere", "die", "deze", "de", "het", "een",
    "jullie", "zulke", "zo'n", "dat soort", "dit soort", "sommige", "veel", "de meeste", "andere",
    "all", "those", "these", "the", "some", "many", "most", "every",
)  # fmt: skip
_GROUP_REF = rf"(?:{_GROUP_DET}{_SEP}){{0,2}}{_GROUP_ANY}"
_PRONOUNS_3 = ("ze", "zij", "jullie", "die", "jij", "je", "hij")


def _inflections(adjective: str) -> tuple[str, ...]:
    """A Dutch adjective with its inflected, comparative and superlative forms: "dom",
    "domme", "dommer", "domst", "domste"; "vies", "vieze"; "goor", "gore"."""
    stem = adjective
    if re.search(r"(?:^|[^aeiou])[aeiou][bdfgklmnprt]$", adjective):
        stem = adjective + adjective[-1]  # dom, domme
    elif re.search(r"([aeiou])\1[^aeiou]$", adjective):
        stem = adjective[:-2] + adjective[-1]  # goor, gore
    if stem.endswith("s") and not stem.endswith("ss"):
        stem = stem[:-1] + "z"  # vies, vieze
    elif stem.endswith("f"):
        stem = stem[:-1] + "v"  # primitief, primitieve
    return (adjective, stem + "e", stem + "er", adjective + "st", adjective + "ste")


_NEG_PRED = _alt(
    *terms.NEGATIVE_PREDICATES,
    *terms.DEHUMANISING,
    *(form for a in terms.NEGATIVE_ADJECTIVES for form in _inflections(a)),
)
_POS_PRED = _alt(*terms.POSITIVE_PREDICATES)


def _loose(*phrases: str) -> str:
    """Phrases that may have one extra word between their words: "heb een gruwelijke hekel
    aan", "walg enorm van"."""
    loose = rf"{_SEP}(?:[^\W_]+{_SEP})?"
    alternatives = sorted(
        (loose.join(re.escape(w) for w in p.split()) for p in phrases), key=len, reverse=True
    )
    return "(?:" + "|".join(alternatives) + ")" + _END


_HATE = _loose(*terms.HATE_VERBS)
_COPULA_WORDS = (
    "zijn", "is", "blijven", "blijft", "worden", "wordt", "waren", "was",
    "are", "were", "remain", "re",
)  # fmt: skip
_COPULA = _alt(*_COPULA_WORDS)
_NOT = _alt("niet", "geen", "nooit", "not", "never", "no")
_SUBJECT_1 = _alt("ik", "we", "wij")
_PERSON = _alt("je", "jou", "jij", "jullie", "u")
_OBJECT_PERSON = rf"(?:{_PERSON}|{_GROUP_REF})"
_OBJECT_ANY = rf"(?:{_OBJECT_PERSON}|{_alt('hem', 'haar', 'ze', 'hen', 'die', 'iedereen')})"
_ADVERB_GAP = _Joined(
    "(?:"
    + _alt(
        "helemaal", "echt", "gewoon", "nog", "wel", "zo", "morgen", "straks", "vandaag",
        "allemaal", "persoonlijk", "eigenhandig", "zelf", "even", "eens", "meteen", "direct",
    )
    + _SEP
    + "){0,2}"
)  # fmt: skip
_KILL = _alt(*terms.KILL_INFINITIVES)
_KILL_OBJECT = _alt(*terms.KILL_INFINITIVES_WITH_OBJECT, "doden")
_KILLED = _alt(*terms.KILL_PARTICIPLES)
_MODALS_NL = ("moeten", "moet", "zouden", "zou", "verdienen", "verdient", "horen", "hoort",
              "mogen", "mag")  # fmt: skip
_DEAD = ("dood", "de dood", "te sterven", "sterven", "doodgaan", "in de gaskamer", "aan de galg",
         "tegen de muur", "te branden")  # fmt: skip
_WISH = _alt(*terms.DEATH_WISHES)
_KILL_EN = _alt(*terms.KILL_VERBS_EN)
_KILLED_EN = _alt(*terms.KILL_PARTICIPLES_EN)
_OBJECT_EN_WORDS = ("you", "u", "ya", "him", "her", "them", "everyone", "everybody", "you all")
_OBJECT_EN = (
    rf"(?:{_alt(*_OBJECT_EN_WORDS)}"
    rf"|(?:{_alt('all', 'every', 'those', 'these', 'the', 'some')}{_SEP})?{_GROUP_ANY})"
)
_MODAL_EN = (
    "should", "must", "need to", "needs to", "deserve to", "deserves to", "ought to",
    "have to", "has to", "gotta", "will", "shall", "are going to", "re going to",
)  # fmt: skip
_AUX_EN = (
    "ll", "will", "shall", "am going to", "m going to", "are going to", "re going to",
    "m gonna", "re gonna", "gonna", "want to", "wanna", "would love to", "d love to",
    "would", "d", "should", "must", "could", "can", "might", "am gonna",
)  # fmt: skip
_MODIFIER = _alt(*terms.INSULT_MODIFIERS)
_STRONG_MODIFIERS = tuple(
    m for m in terms.INSULT_MODIFIERS if m not in ("vieze", "vette", "dikke", "lelijke", "fat")
)
_STRONG_MODIFIER = _alt(*_STRONG_MODIFIERS)
# Before a group even "vieze" and "lelijke" are abusive ("vieze moslims"); before "hond"
# they may just describe the dog.
_GROUP_MODIFIERS = tuple(m for m in terms.INSULT_MODIFIERS if m not in ("vette", "dikke", "fat"))
_DISEASES = ("kanker", "tyfus", "tiefus", "tering", "pest", "pleuris", "klere", "kolere",
             "pokken", "takke", "rambam", "cholera")  # fmt: skip
_KANKER = r"k(?:a|aaa+)n(?:k|kkk+)(?:e|eee+)r" + _END
_CLAUSE_END = r"(?=\s*(?:$|[.!?,;:)]|" + _alt("jij", "jullie", "man", "joh", "nou", "eens") + "))"
_GO_AWAY = ("rot", "tyf", "tief", "flikker", "donder", "lazer", "kut", "sodemieter")


def _separable() -> str:
    alternatives = []
    for verbs, particles in terms.KILL_SEPARABLE:
        verb = _alt(*verbs.split("|"))
        head = rf"(?:{_SUBJECT_1}{_SEP}{verb}|{verb}{_SEP}{_SUBJECT_1})"
        if particles:
            alternatives.append(
                rf"{head}{_SEP}{_OBJECT_PERSON}{_SEP}{_ADVERB_GAP}{_alt(*particles.split('|'))}"
            )
        else:
            alternatives.append(rf"{head}{_SEP}{_OBJECT_ANY}")
    return "(?:" + "|".join(alternatives) + ")"


_NOT_AFTER_SUBJECT = "".join(
    rf"(?<!{w} )" for w in ("ik", "je", "jij", "we", "wij", "hij", "zij", "ze", "u", "men")
)


@dataclass(frozen=True)
class _Phrase:
    """A multi-word pattern. It is tried only when the text has one of its ``anchors``
    (words), and a group name where ``group`` is set: most posts skip most patterns."""

    name: str
    category: str
    pattern: str
    anchors: Iterable[str] = ()
    group: bool = False


def _anchors(*lists: Iterable[str]) -> frozenset[str]:
    """For each phrase in the lists, its longest word: one of them must be in the text."""
    return frozenset(
        max(reversed(re.findall(r"[^\W_]+", phrase)), key=len)
        for items in lists
        for phrase in items
    )


_KILL_SEPARABLE_VERBS = [v for verbs, _ in terms.KILL_SEPARABLE for v in verbs.split("|")]

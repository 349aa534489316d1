"""Multi-word patterns, compiled and matched: threats (``threats``), group derogation
(``derogation``), addressed insults and "kanker" as a curse (here). Group names are
replaced by placeholders first (see ``_mark_groups``), and a pattern is tried only when
the text holds one of its anchor words, so an ordinary post skips nearly all of them."""

from __future__ import annotations

import re

from koers.nlp import abuse_terms as terms
from koers.nlp.abuse.categories import INSULT, PROFANITY, _Found
from koers.nlp.abuse.derogation import GROUP_PHRASES
from koers.nlp.abuse.expressions import _END, _PLURAL, _REST, _SEP, _SINGULAR, _START
from koers.nlp.abuse.grammar import (
    _CLAUSE_END,
    _DISEASES,
    _GO_AWAY,
    _KANKER,
    _MODIFIER,
    _NOT,
    _STRONG_MODIFIER,
    _alt,
    _anchors,
    _gap,
    _Joined,
    _optional,
    _Phrase,
    _seq,
)
from koers.nlp.abuse.threats import THREAT_PHRASES

_PHRASES = [
    *THREAT_PHRASES,
    *GROUP_PHRASES,
    # Addressed insults.
    _Phrase(
        "jij eikel",
        INSULT,
        _seq(
            rf"(?:{_alt(*terms.ADDRESS_WORDS)}|{_STRONG_MODIFIER})",
            _optional(_MODIFIER),
            _alt(*terms.ADDRESSED_INSULTS),
        ),
        _anchors(terms.ADDRESSED_INSULTS),
    ),
    _Phrase(
        "je bent waardeloos",
        INSULT,
        _seq(
            _alt("je", "jij", "u", "jullie", "you"),
            _alt("bent", "zijn", "is", "are", "re"),
            _gap(1),
            _alt(*terms.PERSON_PREDICATES, *terms.DEHUMANISING),
        )
        + rf"(?!{_SEP}{_NOT})",
        _anchors(terms.PERSON_PREDICATES, terms.DEHUMANISING),
    ),
    _Phrase(
        "rot op",
        INSULT,
        _seq(
            _alt(*_DISEASES, *_GO_AWAY),
            _Joined(
                f"(?:{_alt('toch', 'maar', 'nou', 'gewoon', 'effe', 'even', 'snel', 'gauw')}"
                f"{_SEP}){{0,2}}"
            ),
            _alt("op"),
        )
        + _CLAUSE_END,
        {"op"},
    ),
    # "kanker" (and the other diseases) as a curse.
    _Phrase(
        "krijg de kanker",
        PROFANITY,
        _seq(
            _alt("krijg", "krijgen"),
            _Joined(
                rf"(?:{_alt('toch', 'maar', 'lekker', 'nou', 'allemaal', 'gewoon', 'de', 'het')}"
                rf"{_SEP}|{_alt('een', 'n', 't')}{_SEP}){{0,3}}"
            ),
            _alt(*_DISEASES),
        ),
        {"krijg", "krijgen"},
    ),
    _Phrase(
        "kunnen de kanker krijgen",
        PROFANITY,
        _seq(
            _alt("kunnen", "kan", "mogen", "mag", "moeten", "moet"),
            _gap(3),
            _optional(_alt("de", "het", "een")),
            _alt(*_DISEASES),
            _alt("krijgen", "krijg", "hebben"),
        ),
        {"krijgen", "krijg"},
    ),
    _Phrase("kanker slecht", PROFANITY, _KANKER + r"\s+" + _alt(*terms.CURSE_TARGETS), {"kanker"}),
    _Phrase(
        "vuile kanker",
        PROFANITY,
        _seq(
            _alt(
                "jij",
                "vieze",
                "vuile",
                "smerige",
                "gore",
                "stomme",
                "kut",
                "klote",
                "tyfus",
                "tering",
                "jullie",
            ),
            _KANKER,
        ),
        {"kanker"},
    ),
    _Phrase("kanker!", PROFANITY, r"(?<![^\W_] )" + _KANKER + r"\s*!", {"kanker"}),
]

_COMPILED = [(phrase, re.compile(_START + phrase.pattern)) for phrase in _PHRASES]
# Stretched "kaaanker" must still reach the kanker phrases.
_KANKER_STRETCHED = re.compile(_KANKER)


# Once a text names a group, "ze", "hen", "they" and "them" may stand for it: "Ik heb veel
# X ontmoet en ik haat ze allemaal".
_GROUP_PRONOUN = re.compile(_START + "(?:ze|zij|hen|they|them)" + _END)


def _mark_groups(work: str, groups: list[tuple[int, int, bool]]) -> str:
    """The text with every group name, and every pronoun that may refer to one, replaced
    by a placeholder of the same length."""
    groups = sorted(groups + [(m.start(), m.end(), True) for m in _GROUP_PRONOUN.finditer(work)])
    pieces = []
    position = 0
    for start, end, plural in groups:
        if start < position:  # the same name found twice, or a pronoun inside a name
            continue
        pieces.append(work[position:start])
        pieces.append((_PLURAL if plural else _SINGULAR) + _REST * (end - start - 1))
        position = end
    pieces.append(work[position:])
    return "".join(pieces)


def _phrase_matches(
    work: str, words: set[str], groups: list[tuple[int, int, bool]]
) -> list[_Found]:
    if "kanker" not in words and _KANKER_STRETCHED.search(work):
        words.add("kanker")
    marked = _mark_groups(work, groups) if groups else work
    found = []
    for phrase, regex in _COMPILED:
        if phrase.group and not groups:
            continue
        if phrase.anchors and words.isdisjoint(phrase.anchors):
            continue
        for m in regex.finditer(marked):
            found.append((m.start(), m.end(), phrase.name, phrase.category))
    return found

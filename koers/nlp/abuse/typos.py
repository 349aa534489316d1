"""Typos: a letter dropped or two letters swapped ("vrowen", "vermoodren") and a missing
space after a short word ("ikhaat", "eenneger"). Every such variant of a word that the
lists use is mapped to the word, unless the variant is a real Dutch or English word
(``terms.NOT_TYPOS``, made from word lists by ``python -m benchmarks.abuse
--not-typos``) or could stand for two words."""

from __future__ import annotations

import re

from koers.nlp import abuse_terms as terms
from koers.nlp.abuse.grammar import _inflections
from koers.nlp.abuse.words import _LEXICON

_WORDS = re.compile(r"[^\W_]+")
# Short words after which a space is often dropped.
_GLUE = ("ik", "je", "jij", "we", "wij", "ze", "zij", "een", "de", "het", "die", "deze", "dat",
         "zijn", "is", "zo", "gewoon", "echt", "alle", "al", "jullie", "wat", "zulke", "te",
         "i", "you", "are", "the", "a", "all", "so", "really", "just")  # fmt: skip


def _vocabulary() -> set[str]:
    """The words of four letters or more that the lists and patterns are made of."""
    items: list[str] = [
        *terms.GROUPS, *terms.GROUPS_SINGULAR, *terms.GROUP_ADJECTIVES,
        *(f for a in terms.NEGATIVE_ADJECTIVES for f in _inflections(a)),
        *terms.NEGATIVE_PREDICATES, *terms.DEHUMANISING, *terms.KILL_INFINITIVES,
        *terms.KILL_INFINITIVES_WITH_OBJECT, *terms.KILL_PARTICIPLES, *terms.DEATH_WISHES,
        *terms.HATE_VERBS, *terms.ADDRESSED_INSULTS, *terms.PERSON_PREDICATES,
        *(form for form, _, _ in _LEXICON.maskable),
    ]  # fmt: skip
    return {w for item in items for w in _WORDS.findall(item) if len(w) >= 4}


def _typos(word: str) -> set[str]:
    """The word with one letter dropped (five letters or more) or two neighbours swapped;
    the first letter stays, as readers need it."""
    out = set()
    if len(word) >= 5:
        out.update(word[:i] + word[i + 1 :] for i in range(1, len(word)))
    out.update(
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(1, len(word) - 1)
        if word[i] != word[i + 1]
    )
    return out


def _corrections(vocabulary: set[str], not_typos: frozenset[str]) -> dict[str, str]:
    fixes: dict[str, str] = {}
    ambiguous = set()
    for word in vocabulary:
        for typo in _typos(word):
            if typo in vocabulary or typo in not_typos:
                continue
            if fixes.setdefault(typo, word) != word:
                ambiguous.add(typo)
    for typo in ambiguous:
        del fixes[typo]
    for glue in _GLUE:
        for word in vocabulary:
            joined = glue + word
            if joined not in vocabulary and joined not in not_typos:
                fixes.setdefault(joined, f"{glue} {word}")
    return fixes


_CORRECTIONS = _corrections(_vocabulary(), frozenset(terms.NOT_TYPOS))


def _correct(work: str, index: list[int] | None, words: set[str]):
    """The text with typos corrected and its index map, when there were any."""
    fixes = {w: _CORRECTIONS[w] for w in words if w in _CORRECTIONS}
    if not fixes:
        return work, index, words
    if index is None:
        index = list(range(len(work) + 1))
    pieces: list[str] = []
    new_index: list[int] = []
    position = 0
    for m in _WORDS.finditer(work):
        fixed = fixes.get(m.group())
        if fixed is None:
            continue
        pieces.append(work[position : m.start()])
        new_index.extend(index[position : m.start()])
        pieces.append(fixed)
        last = m.end() - 1
        new_index.extend(index[min(m.start() + i, last)] for i in range(len(fixed)))
        position = m.end()
    pieces.append(work[position:])
    new_index.extend(index[position:])
    work = "".join(pieces)
    return work, new_index, set(_WORDS.findall(work))

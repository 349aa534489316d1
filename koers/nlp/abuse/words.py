"""The lexicon: abusive words, and the names of protected groups (found in the same pass,
for the phrases). A compound takes the category of its worst part; a word written with
asterisks counts when exactly one lexicon entry fits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from koers.nlp import abuse_terms as terms
from koers.nlp.abuse.categories import _SEVERITY, INSULT, PROFANITY, SLUR, _Found
from koers.nlp.abuse.expressions import _END, _START, _key, _runs, _trie

_WHOLE, _HEAD, _TAIL, _ANYWHERE = "whole", "head", "tail", "anywhere"
_GROUP_PLURAL, _GROUP_SINGULAR = "group", "group-singular"
# Adjective and noun ("zwarte personen"): hundreds of forms, so matched letter for letter.
_GROUP_COMBINED, _GROUP_COMBINED_SINGULAR = "group-combined", "group-combined-singular"
_GROUP_KINDS = (_GROUP_PLURAL, _GROUP_SINGULAR, _GROUP_COMBINED, _GROUP_COMBINED_SINGULAR)


@dataclass(frozen=True)
class _Entry:
    term: str
    category: str
    kind: str


def _parse(spec: str) -> tuple[str, str, tuple[str, ...] | None, bool, bool]:
    """(word, kind, endings or None for the defaults, compound only, strict)."""
    strict = spec.startswith("=")
    spec = spec.lstrip("=")
    endings: tuple[str, ...] | None = None
    if spec.endswith("]"):
        spec, _, listed = spec[:-1].partition("[")
        endings = tuple(e for e in listed.split("|") if e)
    compound_only = spec.endswith("+")
    if spec.startswith("*") and spec.endswith("*"):
        return spec.strip("*"), _ANYWHERE, endings, False, strict
    if spec.startswith("*"):
        return spec[1:], _TAIL, endings, False, strict
    if spec.endswith(("*", "+")):
        return spec[:-1], _HEAD, endings, compound_only, strict
    return spec, _WHOLE, endings, False, strict


def _with_ending(word: str, ending: str) -> str:
    if ending.startswith("+"):
        return word + word[-1] + ending[1:]
    return word + ending


class _Lexicon:
    """The compiled word lists: one expression for words that start at a word start, one
    for compound tails and words inside words, and the key of every form for telling
    which entries matched."""

    def __init__(self, lists: Iterable[tuple[str, Iterable[str]]]):
        starts: dict = {}
        tails: dict = {}
        self.entries: dict[str, list[_Entry]] = {}
        self.maskable: list[tuple[str, bool, _Entry]] = []
        self.tail_probes: set[str] = set()
        for category, specs in lists:
            for spec in specs:
                word, kind, endings, compound_only, strict = _parse(spec)
                entry = _Entry(word, category, kind)
                if kind in (_WHOLE, _TAIL):
                    chosen = terms.DEFAULT_ENDINGS if endings is None and not strict else endings
                    forms = [word] + [_with_ending(word, e) for e in chosen or ()]
                    after = _END
                else:
                    forms = [word]
                    exceptions = terms.COMPOUND_EXCEPTIONS.get(word, ())
                    after = "(?!" + "|".join(exceptions) + ")" if exceptions else ""
                    if compound_only:
                        after += r"(?=-?[^\W_])"
                targets = [starts] if kind in (_WHOLE, _HEAD) else [starts, tails]
                if kind in (_TAIL, _ANYWHERE):
                    self.tail_probes.add(word)
                for form in forms:
                    how = "=" if strict else ("L" if category.startswith(_GROUP_COMBINED) else "")
                    for target in targets:
                        target.setdefault(_runs(form, how), set()).add(after)
                    entries = self.entries.setdefault(_key(form), [])
                    if entry not in entries:
                        entries.append(entry)
                    if category not in _GROUP_KINDS:
                        self.maskable.append((form, kind != _WHOLE, entry))
        self.starts = re.compile(_START + _trie(starts))
        self.tails = re.compile(_trie(tails))


def _exact(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(w + "[]" for w in words)


def _combine(nouns: Iterable[str]) -> tuple[str, ...]:
    """Group adjectives with person nouns: "zwarte personen", "jewish women"."""
    return tuple(f"{a} {n}" for a in terms.GROUP_ADJECTIVES for n in nouns)


_LEXICON = _Lexicon(
    [
        (SLUR, terms.SLURS),
        (INSULT, terms.INSULTS),
        (PROFANITY, terms.PROFANITY),
        (_GROUP_PLURAL, _exact(terms.GROUPS)),
        (_GROUP_SINGULAR, _exact(terms.GROUPS_SINGULAR)),
        (_GROUP_COMBINED, _exact(_combine(terms.GROUP_NOUNS))),
        (_GROUP_COMBINED_SINGULAR, _exact(_combine(terms.GROUP_NOUNS_SINGULAR))),
    ]
)
_WORD_REST = re.compile(r"[^\W_]*(?:-[^\W_]+)*")


def _word_start(work: str, position: int) -> int:
    while position > 0 and (work[position - 1].isalnum() or work[position - 1] == "-"):
        position -= 1
    return position


def _lexicon_matches(work: str) -> tuple[list[_Found], list[tuple[int, int, bool]]]:
    """Abusive words, and the spans of group names (start, end, plural)."""
    found: list[_Found] = []
    groups: list[tuple[int, int, bool]] = []
    regexes = [_LEXICON.starts]
    if any(probe in work for probe in _LEXICON.tail_probes):
        regexes.append(_LEXICON.tails)
    for regex in regexes:
        for m in regex.finditer(work):
            for entry in _LEXICON.entries.get(_key(m.group()), ()):
                if regex is _LEXICON.tails and entry.kind not in (_TAIL, _ANYWHERE):
                    continue
                start, end = m.start(), m.end()
                category = entry.category
                if category in _GROUP_KINDS:
                    if regex is _LEXICON.starts:
                        plural = category in (_GROUP_PLURAL, _GROUP_COMBINED)
                        groups.append((start, end, plural))
                    continue
                if entry.kind in (_HEAD, _ANYWHERE):
                    rest_end = _WORD_REST.match(work, end).end()
                    # A compound is as bad as its worst part: "kankerlijer" is an insult,
                    # "kankerturk" a slur.
                    category = _compound_category(category, work[end:rest_end].lstrip("-"))
                    end = rest_end
                if entry.kind in (_TAIL, _ANYWHERE):
                    start = _word_start(work, start)
                found.append((start, end, entry.term, category))
    return found, groups


def _compound_category(category: str, rest: str) -> str:
    for entry in _LEXICON.entries.get(_key(rest), ()) if rest else ():
        other = SLUR if entry.category in _GROUP_KINDS else entry.category
        if entry.kind == _WHOLE and _SEVERITY[other] > _SEVERITY[category]:
            category = other
    return category


# Words with asterisks inside: "k*t", "f**k", "sh*t".
_MASKED = re.compile(r"(?<![\w*#])(?:[^\W_]+[*#]+)+[^\W_]*(?![\w*#])")


def _unmask(token: str) -> _Entry | None:
    """The one lexicon entry that a word with asterisks can stand for, if only one."""
    visible = sum(c.isalnum() for c in token)
    if visible < 2 or visible < len(token) - visible:
        return None
    found: dict[str, _Entry] = {}
    for form, open_ended, entry in _LEXICON.maskable:
        if len(form) > len(token) or (len(form) < len(token) and not open_ended):
            continue
        if form[0] != token[0]:
            continue
        if "*" in token[len(form) :] or "#" in token[len(form) :]:
            continue
        if all(t in "*#" or t == f for t, f in zip(token, form, strict=False)):
            found[entry.term] = entry
    return next(iter(found.values())) if len(found) == 1 else None


def _masked_matches(work: str) -> list[_Found]:
    found = []
    for m in _MASKED.finditer(work):
        entry = _unmask(m.group())
        if entry is not None:
            found.append((m.start(), m.end(), entry.term, entry.category))
    return found

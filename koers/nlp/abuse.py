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

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from koers.nlp import abuse_terms as terms

PROFANITY = "profanity"
INSULT = "insult"
SLUR = "slur"
THREAT = "threat"
DEHUMANISING = "dehumanising"

CATEGORIES = (PROFANITY, INSULT, SLUR, THREAT, DEHUMANISING)

# When two findings cover the same span, the more serious category is kept.
_SEVERITY = {PROFANITY: 0, INSULT: 1, DEHUMANISING: 2, SLUR: 3, THREAT: 4}


@dataclass(frozen=True)
class AbuseMatch:
    """One abusive word or phrase: ``text[start:end]``, the lexicon term or pattern name
    that matched, and its category."""

    start: int
    end: int
    term: str
    category: str


# ---------------------------------------------------------------------------------------
# Normalisation. Every step but the joining of spaced letters keeps the length, so
# positions in the normalised text are positions in the original.


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != char and base.isascii():
            table[code] = base.lower()
    for quote in "’‘`´ʼ":
        table[ord(quote)] = "'"
    for quote in "“”„":
        table[ord(quote)] = '"'
    return table


_FOLD = _fold_table()
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
_LEET = str.maketrans("4@310$57", "aaeiosst")
# A digit or symbol next to a letter (the expression starts with the rare characters, so
# the engine skips ahead quickly); only words with one are read as leetspeak, so "2024"
# and "@naam" stay as they are.
_LEET_HINT = re.compile(r"[0-9@$](?:(?<=[a-z][0-9@$])|(?<=[0-9$])(?=[a-z]))")
# Words with at least two letters: "A50" and "N201" are roads, not leetspeak.
_LEET_WORD = re.compile(
    r"(?<![\w@$])(?=[\w@$]*?(?:[a-z][0-9@$]|[0-9$][a-z]))(?=[\w@$]*?[a-z][\w@$]*?[a-z])[\w@$]+"
)
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACER = rf"[\s.\-_*·•/{_INVISIBLE}]"
# Two single letters between separators: the cheap test for spaced-out words.
_JOIN_HINT = re.compile(rf"{_SPACER}[^\W_]{_SPACER}+[^\W_]{_SPACER}|[{_INVISIBLE}]")
_JOIN_START = re.compile(rf"[^\W_]{_SPACER}+[^\W_]{_SPACER}")
# Three or more single letters with separators between them: "k u t", "k.u.t", "k*u*t".
_JOINABLE = re.compile(rf"(?<![^\W_])[^\W_](?:{_SPACER}+[^\W_]){{2,}}(?![^\W_])|[{_INVISIBLE}]")


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two code points
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if _FOLDABLE.search(lowered):
        lowered = lowered.translate(_FOLD)
    return lowered


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """The text to match in and, when spaced letters were joined, the original position
    of each of its characters (plus one past the end)."""
    work = _lower(text)
    if _LEET_HINT.search(work):
        work = _LEET_WORD.sub(lambda m: m.group().translate(_LEET), work)
    if not (_JOIN_HINT.search(work) or _JOIN_START.match(work)):
        return work, None
    joins = list(_JOINABLE.finditer(work))
    if not joins:
        return work, None
    pieces: list[str] = []
    index: list[int] = []
    position = 0
    for m in joins:
        pieces.append(work[position : m.start()])
        index.extend(range(position, m.start()))
        for offset, char in enumerate(m.group()):
            if char.isalnum():
                pieces.append(char)
                index.append(m.start() + offset)
        position = m.end()
    pieces.append(work[position:])
    index.extend(range(position, len(work) + 1))
    return "".join(pieces), index


# ---------------------------------------------------------------------------------------
# Building expressions from word lists.

# Letters that stand in for others after leetspeak translation.
_CLASSES = {"i": "[i!|]", "l": "[l|]", "s": "[s$]"}
_END = r"(?![^\W_])"
_START = r"(?<![^\W_])"
# Phrases see group names as placeholders (see ``_mark_groups``).
_PLURAL, _SINGULAR, _REST = "\ue000", "\ue001", "\ue002"
_SEP = r"[^\w.!?\ue000-\ue002]+"  # between words of one sentence; never a group


def _runs(form: str, how: str = "") -> tuple[tuple[str, str], ...]:
    """The form as (character, how) runs: "1" a single letter that may be stretched,
    "+" a doubled letter, "=" exactly this character, "L" a letter as such."""
    if how:
        return tuple((c, how) for c in form)
    runs: list[tuple[str, str]] = []
    for char in form:
        if runs and runs[-1][0] == char:
            runs[-1] = (char, "+")
        else:
            runs.append((char, "1"))
    return tuple(runs)


def _piece(char: str, how: str) -> str:
    if how == "=" or (how == "L" and char.isalnum()):
        return re.escape(char)
    if char == " ":
        return _SEP
    if char == "-":
        return r"[\s\-]?"
    if char == "'":
        return "'?"
    if not char.isalnum():
        return re.escape(char) + "?"
    cls = _CLASSES.get(char, char)
    if how == "+":
        return cls + "{2,}"  # "takke" is not "take", "gook" not "gok"
    # One letter, or three and more when stretched for emphasis; never exactly two, so
    # "negeer" (ignore) is not "neger" and "kaak" (jaw) is not "kak".
    return f"{cls}(?:{cls}{{2,}})?"


def _trie(forms: dict[tuple[tuple[str, str], ...], set[str]]) -> str:
    """One expression for many forms, factored on common prefixes so that the engine
    tries a letter once for all words that share it. Each form carries the fragments
    that must follow it (a word end, the exceptions of a compound head)."""
    root: dict = {}
    for runs, afters in forms.items():
        node = root
        for run in runs:
            node = node.setdefault(run, {})
        node.setdefault(None, set()).update(afters)

    def emit(node: dict) -> str:
        # Longer words first, so the longest form wins.
        alternatives = [
            _piece(*run) + emit(child)
            for run, child in sorted(((k, v) for k, v in node.items() if k), key=str)
        ]
        if None in node:
            afters = sorted(node[None])
            alternatives.append(afters[0] if len(afters) == 1 else "(?:" + "|".join(afters) + ")")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return emit(root)


def _words(items: Iterable[str]) -> str:
    """Words or phrases, literally, as one expression ending at a word end."""
    return _trie({_runs(item, "L"): {_END} for item in items})


_KEY_MAP = str.maketrans({"!": "i", "|": "i", "$": "s", "-": " ", "_": " ", ".": " "})
_DOUBLES = re.compile(r"(.)\1+")
_SPACES = re.compile(r"[^\w']+")


def _key(matched: str) -> str:
    """What a matched stretch of text and the lexicon form it came from both reduce to."""
    key = _SPACES.sub(" ", matched.translate(_KEY_MAP)).replace("'", "")
    return _DOUBLES.sub(r"\1", key)


# ---------------------------------------------------------------------------------------
# The lexicon: abusive words, and the names of protected groups (found in the same pass,
# for the phrases below).

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


_Found = tuple[int, int, str, str]


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


# ---------------------------------------------------------------------------------------
# Phrases: threats, group derogation, addressed insults, "kanker" as a curse. Group names
# are replaced by placeholders first (see ``_mark_groups``), so a pattern says "a group"
# in a few characters instead of repeating the list.

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

_PHRASES = [
    # Threats, Dutch.
    _Phrase(
        "ik ga je vermoorden",
        THREAT,
        _seq(_SUBJECT_1, _gap(6), _KILL),
        _anchors(terms.KILL_INFINITIVES),
    ),
    _Phrase(
        "ik ga je afmaken",
        THREAT,
        _seq(_SUBJECT_1, _gap(3), _OBJECT_PERSON, _ADVERB_GAP, _optional(_alt("te")), _KILL_OBJECT),
        _anchors(terms.KILL_INFINITIVES_WITH_OBJECT, ["doden"]),
    ),
    _Phrase("ik maak je af", THREAT, _separable(), _anchors(_KILL_SEPARABLE_VERBS)),
    _Phrase(
        "iemand zou ... moeten vermoorden",
        THREAT,
        _seq(
            _alt("iemand", "men"),
            _alt(*_MODALS_NL),
            _gap(5),
            rf"(?:{_KILL}|{_KILL_OBJECT})",
        ),
        _anchors(terms.KILL_INFINITIVES, terms.KILL_INFINITIVES_WITH_OBJECT),
    ),
    _Phrase(
        "je gaat eraan",
        THREAT,
        _seq(_alt("je", "jij", "jullie", "u"), _alt("gaat", "gaan"), _alt("eraan", "er aan")),
        {"eraan", "aan"},
    ),
    _Phrase(
        "je bent er geweest",
        THREAT,
        _seq(_alt("je", "jij", "u"), _alt("bent er geweest")),
        {"geweest"},
    ),
    _Phrase(
        "ik weet waar je woont",
        THREAT,
        _seq(_alt("ik weet waar", "we weten waar"), _PERSON, _alt("woont", "wonen", "woon")),
        {"woont", "wonen", "woon"},
    ),
    _Phrase(
        "kogel door je kop",
        THREAT,
        _seq(
            _alt("kogel"),
            _alt("door", "in"),
            _alt("je", "jouw", "jullie", "zijn", "haar", "hun"),
            _alt("kop", "hoofd", "harses", "hersens"),
        ),
        {"kogel"},
    ),
    _Phrase(
        "ga dood",
        THREAT,
        _NOT_AFTER_SUBJECT
        + _seq(
            _alt("ga", "ga toch", "ga maar", "ga gewoon", "ga lekker"),
            _alt("dood", "stikken", "creperen", "verrekken", "sterven", "zelfmoord plegen"),
        )
        + rf"(?!{_SEP}van)",
        {"ga"},
    ),
    _Phrase(
        "stik toch",
        THREAT,
        _seq(_alt("stik", "verrek", "creveer", "crepeer"), _alt("toch", "maar")),
        {"stik", "verrek", "creveer", "crepeer"},
    ),
    _Phrase(
        "pleeg zelfmoord",
        THREAT,
        _seq(_alt("pleeg", "pleeg toch", "pleeg maar", "pleeg gewoon"), _alt("zelfmoord")),
        {"zelfmoord"},
    ),
    _Phrase(
        "spring voor de trein",
        THREAT,
        _seq(_alt("spring", "spring toch", "spring maar"), _alt("voor de trein", "voor een trein")),
        {"trein"},
    ),
    _Phrase(
        "hang jezelf op",
        THREAT,
        _seq(_alt("hang jezelf", "hang je"), _gap(1), _alt("op")),
        {"hang"},
    ),
    _Phrase(
        "ik hoop dat je doodgaat",
        THREAT,
        _seq(
            _alt("hoop dat", "hoop maar dat", "wens dat", "wou dat", "wil dat", "hoop dat al"),
            rf"(?:{_OBJECT_ANY}|{_alt('hij', 'zij', 'ze')})",
            _gap(3),
            rf"(?:{_WISH}|{_KILLED})",
        ),
        {"hoop", "wens", "wou", "wil"},
    ),
    _Phrase(
        "ik krijg je nog",
        THREAT,
        _alt("ik krijg je nog", "we krijgen je nog"),
        {"krijg", "krijgen"},
    ),
    _Phrase("dood aan", THREAT, _seq(_alt("dood aan"), _GROUP_REF), {"dood"}, group=True),
    _Phrase(
        "... moeten dood",
        THREAT,
        _seq(
            rf"(?:{_GROUP_REF}|{_alt(*_PRONOUNS_3)})",
            _gap(2),
            _alt(*_MODALS_NL),
            _gap(3),
            rf"(?:{_KILLED}|{_alt(*_DEAD)})",
        ),
        _anchors(terms.KILL_PARTICIPLES, _DEAD),
    ),
    _Phrase(
        "zouden ... dood moeten",
        THREAT,
        _seq(
            _alt(*_MODALS_NL),
            rf"(?:{_GROUP_REF}|{_alt(*_PRONOUNS_3)})",
            _gap(4),
            rf"(?:{_KILLED}|{_alt(*_DEAD)})",
        ),
        _anchors(terms.KILL_PARTICIPLES, _DEAD),
    ),
    _Phrase(
        "alle ... uitroeien",
        THREAT,
        _seq(
            _alt("alle", "al die", "elke", "iedere"),
            _GROUP_ANY,
            _gap(3),
            rf"(?:{_KILLED}|{_KILL}|{_KILL_OBJECT})",
        ),
        {"alle", "die", "elke", "iedere"},
        group=True,
    ),
    _Phrase(
        "het zou goed zijn als ... dood",
        THREAT,
        _seq(
            _alt("het zou", "zou het"),
            _gap(1),
            _alt("goed", "mooi", "beter", "fijn", "geweldig", "prima", "een zegen"),
            _alt("zijn als", "als"),
            _gap(3),
            rf"(?:{_GROUP_REF}|{_alt(*_PRONOUNS_3)})",
            _gap(3),
            rf"(?:{_KILLED}|{_WISH}|{_alt('dood', 'doodgingen', 'dood gingen', 'stierven')})",
        ),
        {"zou"},
    ),
    # Threats, English.
    _Phrase(
        "i will kill you",
        THREAT,
        _seq(_alt("i", "we"), _alt(*_AUX_EN), _gap(2), _KILL_EN, _gap(1), _OBJECT_EN),
        _anchors(terms.KILL_VERBS_EN),
    ),
    _Phrase(
        "you are dead",
        THREAT,
        _seq(
            _alt("you", "ur"),
            _alt(
                "re dead",
                "are dead",
                "re so dead",
                "are so dead",
                "re going to die",
                "are going to die",
                "will die",
                "re gonna die",
                "are gonna die",
                "gonna die",
            ),
        ),
        {"dead", "die"},
    ),
    _Phrase(
        "i know where you live",
        THREAT,
        _alt("i know where you live", "we know where you live"),
        {"live"},
    ),
    _Phrase(
        "they should be killed",
        THREAT,
        _seq(
            rf"(?:{_GROUP_REF}|{_alt('they', 'you', 'you all', 'you people', 'he', 'she')})",
            _gap(1),
            _alt(*_MODAL_EN),
            _gap(1),
            _optional(_alt("be")),
            rf"(?:{_KILLED_EN}|{_alt('die', 'burn', 'hang', 'rot', 'be put down')})",
        ),
        _anchors(terms.KILL_PARTICIPLES_EN, ["die", "burn", "hang", "rot", "down"]),
    ),
    _Phrase(
        "kill all ...",
        THREAT,
        _seq(
            _alt(
                "kill",
                "murder",
                "shoot",
                "gas",
                "hang",
                "exterminate",
                "burn",
                "lynch",
                "slaughter",
                "eradicate",
                "wipe out",
            ),
            _optional(_alt("all", "every", "the", "those", "these")),
            _GROUP_ANY,
        ),
        group=True,
    ),
    _Phrase("death to", THREAT, _seq(_alt("death to"), r"[^\W_]+"), {"death"}),
    _Phrase(
        "kill yourself",
        THREAT,
        _alt(
            "kill yourself",
            "kys",
            "go die",
            "drop dead",
            "hope you die",
            "hope you get cancer",
            "go kill yourself",
            "hang yourself",
        ),
        {"yourself", "kys", "die", "dead", "cancer"},
    ),
    _Phrase(
        "i hope they die",
        THREAT,
        _seq(
            _alt("hope", "wish"),
            rf"(?:{_GROUP_REF}|{_alt('they', 'you', 'he', 'she', 'you all')})",
            _gap(1),
            _alt("die", "dies", "all die", "get killed", "burn", "rot in hell", "get cancer"),
        ),
        {"hope", "wish"},
    ),
    # Derogation of groups.
    _Phrase(
        "ik haat ...",
        DEHUMANISING,
        _seq(_alt("ik", "we", "wij", "i"), _gap(1), _HATE, _gap(3), _GROUP_REF)
        + rf"(?!{_SEP}{_alt('niet', 'not')})",
        group=True,
    ),
    _Phrase(
        "ik voel haat voor ...",
        DEHUMANISING,
        _seq(
            _alt("ik", "we", "wij", "i"),
            _gap(3),
            _alt("haat", "afkeer", "hekel", "walging", "hatred"),
            _alt("voor", "tegen", "van", "aan", "for", "towards", "of"),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "haat ik ...",
        DEHUMANISING,
        _seq(_HATE, _alt("ik", "we", "wij"), _gap(3), _GROUP_REF),
        group=True,
    ),
    _Phrase(
        "ik kan ... niet uitstaan",
        DEHUMANISING,
        _seq(
            _alt("ik", "we", "wij"),
            _alt("kan", "kunnen"),
            _gap(1),
            _GROUP_REF,
            _gap(3),
            _alt("niet uitstaan", "niet luchten", "niet zien", "niet hebben", "niet verdragen"),
        ),
        group=True,
    ),
    _Phrase(
        "... zijn walgelijk",
        DEHUMANISING,
        _seq(_GROUP_REF, _gap(3), _COPULA, _gap(3), _NEG_PRED) + rf"(?!{_SEP}{_NOT})",
        group=True,
    ),
    _Phrase(
        "zijn ... walgelijk",
        DEHUMANISING,
        _seq(_COPULA, _gap(1), _GROUP_REF, _gap(2), _NEG_PRED),
        group=True,
    ),
    _Phrase(
        "dat ... walgelijk zijn",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(3),
            _NEG_PRED,
            _optional(r"[^\W_]+"),  # "de domste mensen zijn"
            _optional(_alt("te")),
            _alt("zijn", "is", "waren", "blijven", "worden", "te zijn"),
        ),
        group=True,
    ),
    _Phrase(
        "ik vind ... walgelijk",
        DEHUMANISING,
        _seq(
            _alt("vind", "vinden", "vond", "find", "consider"),
            _gap(1),
            _GROUP_REF,
            _gap(2),
            _NEG_PRED,
        ),
        group=True,
    ),
    _Phrase(
        "... ? ze zijn walgelijk",
        DEHUMANISING,
        _GROUP_REF
        + r"[^\w\ue000-\ue002]+(?:[^\W_]+[^\w\ue000-\ue002]+){0,8}?"
        + _seq(
            _alt("ze", "zij", "die", "they", "ze zijn allemaal"),
            rf"(?:{_seq(_COPULA, _gap(2), _NEG_PRED)}"
            rf"|{_seq(_gap(2), _NEG_PRED, _alt('zijn', 'is', 'waren', 'blijven'))})",
        ),
        group=True,
    ),
    _Phrase(
        "... zijn niet welkom",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _COPULA,
            _gap(1),
            _NOT,
            _optional(_alt("echt", "zo", "erg", "heel", "really", "very", "so")),
            _POS_PRED,
        ),
        group=True,
    ),
    _Phrase(
        "... kunnen nooit slim zijn",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _alt("kunnen", "zullen", "zouden", "can", "will"),
            _NOT,
            _gap(2),
            _POS_PRED,
            _alt("zijn", "worden", "be"),
        ),
        group=True,
    ),
    _Phrase(
        "geen respect voor ...",
        DEHUMANISING,
        _seq(
            _alt("heb", "hebben", "have", "has"),
            _alt("geen", "nul", "no", "zero", "totaal geen", "helemaal geen"),
            _alt("respect", "waardering", "medelijden", "sympathie", "empathie", "sympathy"),
            _alt("voor", "met", "for"),
            _gap(1),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "... verdienen geen rechten",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _gap(2),
            _alt("verdienen", "hebben", "horen", "deserve", "have"),
            _gap(1),
            _alt("geen", "no", "niet"),
            _gap(1),
            _alt(
                "rechten",
                "recht",
                "respect",
                "plek",
                "plaats",
                "stemrecht",
                "bestaansrecht",
                "te leven",
                "te bestaan",
                "rights",
                "respect",
                "to live",
                "to exist",
                "place",
            ),
        ),
        group=True,
    ),
    _Phrase(
        "... horen hier niet",
        DEHUMANISING,
        _seq(
            _GROUP_REF,
            _alt(
                "horen hier niet",
                "horen niet hier",
                "horen hier niet thuis",
                "horen niet in nederland",
                "horen niet in dit land",
                "mogen niet bestaan",
                "zouden niet moeten bestaan",
                "should not exist",
                "shouldn't exist",
                "don't belong here",
                "do not belong here",
                "have no place",
            ),
        ),
        group=True,
    ),
    _Phrase(
        "de wereld is beter zonder ...",
        DEHUMANISING,
        _seq(
            _alt("de wereld", "the world", "nederland", "dit land", "this country"),
            _gap(3),
            _alt("beter", "better"),
            _gap(2),
            _alt("zonder", "without"),
            _GROUP_REF,
        ),
        group=True,
    ),
    _Phrase(
        "vuile jood",
        SLUR,
        _seq(_alt(*_GROUP_MODIFIERS), _GROUP_ANY),
        _anchors(_GROUP_MODIFIERS),
        group=True,
    ),
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


# ---------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------
# Typos: a letter dropped or two letters swapped ("vrowen", "vermoodren") and a missing
# space after a short word ("ikhaat", "eenneger"). Every such variant of a word that the
# lists use is mapped to the word, unless the variant is a real Dutch or English word
# (``terms.NOT_TYPOS``, made from word lists by ``python -m benchmarks.abuse
# --not-typos``) or could stand for two words.

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


# ---------------------------------------------------------------------------------------


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

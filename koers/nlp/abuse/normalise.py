"""Normalisation: lower-casing, folding diacritics, reading leetspeak, joining spaced
letters. Every step but the joining of spaced letters keeps the length, so positions in
the normalised text are positions in the original; when letters were joined,
``_prepare`` returns an index map back to the original."""

from __future__ import annotations

import re
import unicodedata


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

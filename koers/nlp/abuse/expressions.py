"""Building expressions from word lists. Every word list becomes one regular expression
built as a trie, in which each letter may be stretched ("kuuuut") but not doubled."""

from __future__ import annotations

import re
from collections.abc import Iterable

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

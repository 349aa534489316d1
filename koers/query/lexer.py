"""Cutting query text into lexical tokens: operators, parentheses, terms, phrases,
case-sensitive ``{terms}`` and fields.

Comments (``<<<...>>>``) are blanked out with spaces before anything else, so they
are ignored anywhere and every later position still points into the text as typed.
Operators are upper case only: ``AND`` is an operator, ``and`` a word to search for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from koers.query.errors import QuerySyntaxError

MAX_LENGTH: Final = 10_000
MAX_DISTANCE: Final = 1_000
FIELDS: Final = ("author", "site", "url", "lang", "country", "title", "group", "raw")
# Written as a term, these are the start of a URL, not a mistyped field.
_NOT_FIELDS: Final = frozenset({"http", "https"})
_FIELD_EXAMPLES: Final = {
    "author": "author:nos",
    "site": "site:nos.nl",
    "url": "url:nos.nl/nieuws",
    "lang": "lang:nl",
    "country": "country:be",
    "title": 'title:"nieuwe fiets"',
    "group": 'group:"Medewerkers Zwolle"',
    "raw": "raw:Google+",
}

Kind = Literal[
    "(", ")", "AND", "OR", "NOT", "-", "NEAR", "TERM", "PHRASE", "CASED", "FIELD", "TITLE", "EOF"
]

_NEAR = re.compile(r"NEAR/(\d+)(f?)")
_FIELD = re.compile(r"([A-Za-z]+):")
_STOP = frozenset('()"{}')


@dataclass(frozen=True)
class Token:
    """A lexical token. ``value`` is a term's text, a phrase's body or a field's value;
    ``number`` a NEAR distance or a phrase's ``~window`` (-1: none)."""

    kind: Kind
    position: int
    end: int
    value: str = ""
    number: int = -1
    ordered: bool = False
    field: str = ""

    def starts_operand(self) -> bool:
        return self.kind in _OPERAND_STARTS


_OPERAND_STARTS: Final = frozenset({"(", "NOT", "-", "TERM", "PHRASE", "CASED", "FIELD", "TITLE"})


def blank_comments(text: str) -> str:
    """``text`` with every ``<<<comment>>>`` replaced by as many spaces."""
    out: list[str] = []
    start = 0
    while True:
        opening = text.find("<<<", start)
        if opening < 0:
            out.append(text[start:])
            return "".join(out)
        closing = text.find(">>>", opening + 3)
        if closing < 0:
            raise QuerySyntaxError("unclosed_comment", opening)
        out.append(text[start:opening])
        out.append(" " * (closing + 3 - opening))
        start = closing + 3


def tokenize_query(text: str) -> list[Token]:
    """Lexical tokens of ``text``, ending with an ``EOF`` token."""
    if len(text) > MAX_LENGTH:
        raise QuerySyntaxError("too_long", MAX_LENGTH, limit=MAX_LENGTH)
    source = blank_comments(text)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(Token(c, i, i + 1))  # type: ignore[arg-type]
            i += 1
        elif c == '"':
            token = _phrase(source, i)
            tokens.append(token)
            i = token.end
        elif c == "{":
            closing = source.find("}", i + 1)
            if closing < 0:
                raise QuerySyntaxError("unclosed_brace", i)
            tokens.append(Token("CASED", i, closing + 1, value=source[i + 1 : closing]))
            i = closing + 1
        elif c == "}":
            raise QuerySyntaxError("stray_brace", i)
        elif c == "-":
            # "-" before a term, phrase or group is NOT; inside a term ("e-bike") it
            # never reaches here, because the run below takes it.
            tokens.append(Token("-", i, i + 1))
            i += 1
        else:
            token = _run(source, i)
            tokens.append(token)
            i = token.end
    tokens.append(Token("EOF", n, n))
    return tokens


def _phrase(source: str, start: int) -> Token:
    closing = source.find('"', start + 1)
    if closing < 0:
        raise QuerySyntaxError("unclosed_quote", start)
    end = closing + 1
    window = -1
    if end < len(source) and source[end] == "~":
        digits = re.match(r"\d+", source[end + 1 :])
        if not digits:
            raise QuerySyntaxError("proximity_syntax", end)
        window = int(digits.group())
        if window > MAX_DISTANCE:
            raise QuerySyntaxError(
                "distance_too_large", end + 1, distance=window, limit=MAX_DISTANCE
            )
        end += 1 + len(digits.group())
    return Token("PHRASE", start, end, value=source[start + 1 : closing], number=window)


def _run_end(source: str, start: int, stops: frozenset[str]) -> int:
    end = start
    while end < len(source) and not source[end].isspace() and source[end] not in stops:
        end += 1
    return end


def _run(source: str, start: int) -> Token:
    end = _run_end(source, start, _STOP)
    run = source[start:end]
    if run in ("AND", "OR", "NOT"):
        return Token(run, start, end)  # type: ignore[arg-type]
    if run == "NEAR" or run.startswith("NEAR/"):
        near = _NEAR.fullmatch(run)
        if not near:
            raise QuerySyntaxError("near_distance", start)
        distance = int(near.group(1))
        if distance > MAX_DISTANCE:
            raise QuerySyntaxError(
                "distance_too_large", start + 5, distance=distance, limit=MAX_DISTANCE
            )
        return Token("NEAR", start, end, number=distance, ordered=bool(near.group(2)))
    field = _FIELD.match(run)
    if field:
        name = field.group(1).lower()
        value_start = start + field.end()
        attached = value_start < len(source) and not source[value_start].isspace()
        if name in FIELDS:
            if not attached or source[value_start] == ")":
                raise QuerySyntaxError(
                    "missing_field_value", start, field=name, example=_FIELD_EXAMPLES[name]
                )
            return _field(source, start, name, value_start)
        if attached and len(run) > field.end() and name not in _NOT_FIELDS:
            raise QuerySyntaxError(
                "unknown_field", start, field=field.group(1), known=", ".join(FIELDS)
            )
    tilde = run.find("~")
    if tilde >= 0:
        raise QuerySyntaxError("proximity_syntax", start + tilde)
    return Token("TERM", start, end, value=run)


def _field(source: str, start: int, name: str, value_start: int) -> Token:
    if name == "title":
        # The operand after "title:" is lexed as usual and scoped by the parser.
        return Token("TITLE", start, value_start, field=name)
    if source[value_start] == '"':
        closing = source.find('"', value_start + 1)
        if closing < 0:
            raise QuerySyntaxError("unclosed_quote", value_start)
        value = source[value_start + 1 : closing]
        end = closing + 1
    elif name in ("raw", "url"):
        # Literals may hold parentheses ("raw:C++", a URL with "(1)"): take the run to
        # the next space, then give back closing parentheses it does not open itself.
        end = _run_end(source, value_start, frozenset())
        while source[end - 1] == ")" and source.count(")", value_start, end) > source.count(
            "(", value_start, end
        ):
            end -= 1
        value = source[value_start:end]
    else:
        end = _run_end(source, value_start, _STOP)
        value = source[value_start:end]
    if not value.strip():
        raise QuerySyntaxError(
            "missing_field_value", start, field=name, example=_FIELD_EXAMPLES[name]
        )
    return Token("FIELD", start, end, value=value, field=name)


def field_example(name: str) -> str:
    return _FIELD_EXAMPLES[name]

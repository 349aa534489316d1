"""From query text to a ``Query``: a recursive-descent parser with friendly errors.

Grammar (NEAR binds tighter than NOT, NOT tighter than AND/OR)::

    query      = expression EOF
    expression = unary { ( "AND" | "OR" | <nothing: implicit AND> ) unary }
    unary      = ( "NOT" | "-" ) unary | near
    near       = primary [ "NEAR/n" | "NEAR/nf" primary ]
    primary    = "(" expression ")" | term | "phrase" | "phrase"~n | {Cased}
               | field:value | title: primary

One level may use AND or OR, never both: ``a AND b OR c`` is refused with both
readings spelled out, because people read it either way and a silent choice sends
mentions to the wrong place. ``a b`` and ``a NOT b`` are implicit ANDs and count as AND
for that rule. A query that would match an empty post (``NOT a``, ``a OR NOT b``) is
refused: it would flood an inbox with everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from koers.query.errors import QuerySyntaxError
from koers.query.lexer import Token, field_example, tokenize_query
from koers.query.nodes import (
    And,
    FieldName,
    FieldTest,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Proximity,
    Raw,
    SpanNode,
    Term,
    Title,
    TokenPattern,
    normalise_site,
)
from koers.query.tokenize import AnalysedDocument, Document, analyse, fold, strip_accents

MAX_DEPTH: Final = 50

# A query token: "#tag", "@handle" or a word, where "?" and "*" count as letters.
_QUERY_TOKEN = re.compile(
    r"(?<![^\W_?*])#([\w?*]+)"
    r"|(?<![^\W_?*])@([\w?*]+(?:@[\w?*][\w.?*-]*[\w?*])?)"
    r"|((?:[^\W_]|[?*])+)"
)
_LANG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
_COUNTRY = re.compile(r"[a-z]{2}")
_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


@dataclass(frozen=True)
class Query:
    """A compiled query. ``text`` is what was typed; ``str(query)`` the canonical form."""

    text: str
    root: Node

    def matches(self, document: Document) -> bool:
        return self.root.evaluate(analysed := analyse(document), analysed.stream)

    def matches_analysed(self, document: AnalysedDocument) -> bool:
        """Like ``matches`` for a document already analysed (to share the work)."""
        return self.root.evaluate(document, document.stream)

    def __str__(self) -> str:
        return self.root.to_text()


def compile(text: str) -> Query:
    """Compile query text; raises ``QuerySyntaxError`` (with a position) when invalid."""
    return Query(text, _Parser(text).parse())


def query_patterns(run: str, position: int, *, cased: bool) -> tuple[TokenPattern, ...]:
    """The token patterns of a term or phrase body, cut like document text."""
    patterns = []
    for tag, handle, word in _QUERY_TOKEN.findall(strip_accents(run)):
        sigil: Literal["", "#", "@"] = "#" if tag else "@" if handle else ""
        body = tag or handle or word
        if not cased:
            body = fold(body)
        _check_wildcard(body, run, position)
        patterns.append(TokenPattern(body, sigil, cased))
    return tuple(patterns)


def _check_wildcard(body: str, run: str, position: int) -> None:
    star = body.find("*")
    if star < 0:
        return
    where = position + max(run.find("*"), 0)
    if star != len(body) - 1:
        raise QuerySyntaxError("wildcard_position", where)
    if sum(c != "?" for c in body[:star]) < 3:
        raise QuerySyntaxError("short_wildcard", where)


@dataclass
class _Parsed:
    node: Node
    start: int
    end: int


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize_query(text)
        self.at = 0

    def peek(self) -> Token:
        """The next token, not consumed (a method, so type checkers do not narrow it)."""
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "EOF":
            raise QuerySyntaxError("empty", 0)
        root = self.expression(0).node
        if self.peek().kind == ")":
            raise QuerySyntaxError("unopened_paren", self.peek().position)
        assert self.peek().kind == "EOF"
        if root.matches_empty():
            _refuse_negative(root)
        return root

    def expect_operand(self, operator: Token) -> None:
        if not self.peek().starts_operand():
            name = self.text[operator.position : operator.end]
            raise QuerySyntaxError("missing_operand_after", operator.position, operator=name)

    def expression(self, depth: int) -> _Parsed:
        first = self.peek()
        if first.kind in ("AND", "OR", "NEAR"):
            name = self.text[first.position : first.end]
            raise QuerySyntaxError("missing_operand_before", first.position, operator=name)
        items = [self.unary(depth)]
        level: str | None = None
        while True:
            token = self.peek()
            if token.kind in ("AND", "OR"):
                self.advance()
                self.expect_operand(token)
                kind: str = token.kind
            elif token.starts_operand():
                kind = "AND"
            else:
                break
            if level is not None and kind != level:
                self.refuse_mixing(items, level, kind, token, depth)
            level = kind
            items.append(self.unary(depth))
        if len(items) == 1:
            return items[0]
        nodes: list[Node] = []
        group = And if level == "AND" else Or
        for item in items:
            # (a OR b) OR c is a OR b OR c: flat trees lint and index more simply.
            nodes.extend(item.node.items if isinstance(item.node, group) else (item.node,))
        node = group(tuple(nodes), position=items[0].start)
        return _Parsed(node, items[0].start, items[-1].end)

    def refuse_mixing(
        self, items: list[_Parsed], level: str, kind: str, token: Token, depth: int
    ) -> None:
        following = self.unary(depth)
        last = items[-1]
        before = _short(self.text[items[0].start : last.start].rstrip())
        left = _short(self.text[items[0].start : last.end])
        last_text = _short(self.text[last.start : last.end])
        right = _short(self.text[following.start : following.end])
        first = f"({left}) {kind} {right}"
        second = f"{before} ({last_text} {kind} {right})"
        raise QuerySyntaxError("mixed_and_or", token.position, first=first, second=second)

    def unary(self, depth: int) -> _Parsed:
        if depth > MAX_DEPTH:
            raise QuerySyntaxError("too_deep", self.peek().position, limit=MAX_DEPTH)
        token = self.peek()
        if token.kind in ("NOT", "-"):
            self.advance()
            self.expect_operand(token)
            inner = self.unary(depth + 1)
            return _Parsed(Not(inner.node, position=token.position), token.position, inner.end)
        return self.near(depth)

    def near(self, depth: int) -> _Parsed:
        left = self.primary(depth)
        operator = self.peek()
        if operator.kind != "NEAR":
            return left
        left_side = _span_side(left)
        self.advance()
        self.expect_operand(operator)
        if self.peek().kind in ("NOT", "-"):
            raise QuerySyntaxError("near_operand", self.peek().position)
        right = self.primary(depth)
        right_side = _span_side(right)
        if self.peek().kind == "NEAR":
            raise QuerySyntaxError("near_chain", self.peek().position)
        node = Near(
            left_side,
            right_side,
            operator.number,
            operator.ordered,
            position=left.start,
        )
        return _Parsed(node, left.start, right.end)

    def primary(self, depth: int) -> _Parsed:
        token = self.advance()
        kind = token.kind
        if kind == "(":
            if self.peek().kind == ")":
                raise QuerySyntaxError("empty_group", token.position)
            if self.peek().kind == "EOF":
                raise QuerySyntaxError("unclosed_paren", token.position)
            inner = self.expression(depth + 1)
            if self.peek().kind != ")":
                raise QuerySyntaxError("unclosed_paren", token.position)
            closing = self.advance()
            return _Parsed(inner.node, token.position, closing.end)
        if kind == "TERM":
            return _Parsed(self.term(token, cased=False), token.position, token.end)
        if kind == "CASED":
            return _Parsed(self.term(token, cased=True), token.position, token.end)
        if kind == "PHRASE":
            return _Parsed(self.phrase(token), token.position, token.end)
        if kind == "FIELD":
            return _Parsed(_field(token), token.position, token.end)
        if kind == "TITLE":
            scoped = self.peek()
            if scoped.kind == "TITLE" or (scoped.kind == "FIELD" and scoped.field != "raw"):
                raise QuerySyntaxError("title_content", scoped.position)
            if scoped.kind not in ("(", "TERM", "CASED", "PHRASE", "FIELD"):
                raise QuerySyntaxError(
                    "missing_field_value",
                    token.position,
                    field="title",
                    example=field_example("title"),
                )
            inner = self.primary(depth + 1)
            for node in inner.node.walk():
                if isinstance(node, FieldTest | Title):
                    raise QuerySyntaxError("title_content", node.position)
            return _Parsed(Title(inner.node, position=token.position), token.position, inner.end)
        if kind == ")":
            raise QuerySyntaxError("unopened_paren", token.position)
        # An operator where a term belongs.
        name = self.text[token.position : token.end]
        raise QuerySyntaxError("missing_operand_before", token.position, operator=name)

    def term(self, token: Token, *, cased: bool) -> Node:
        offset = 1 if cased else 0
        patterns = query_patterns(token.value, token.position + offset, cased=cased)
        if not patterns:
            if cased and not token.value.strip():
                raise QuerySyntaxError("empty_phrase", token.position)
            raise QuerySyntaxError("no_word", token.position, text=token.value)
        if len(patterns) == 1:
            return Term(patterns[0], position=token.position)
        return Phrase(patterns, position=token.position)

    def phrase(self, token: Token) -> Node:
        patterns = query_patterns(token.value, token.position + 1, cased=False)
        if not patterns:
            raise QuerySyntaxError("empty_phrase", token.position)
        if token.number >= 0:
            if token.number < len(patterns):
                raise QuerySyntaxError(
                    "proximity_window",
                    token.position,
                    window=token.number,
                    words=len(patterns),
                )
            if len(patterns) > 1:
                return Proximity(patterns, token.number, position=token.position)
        if len(patterns) == 1:
            return Term(patterns[0], position=token.position)
        return Phrase(patterns, position=token.position)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _span_side(parsed: _Parsed) -> tuple[SpanNode, ...]:
    node = parsed.node
    items = node.items if isinstance(node, Or) else (node,)
    if not all(isinstance(item, Term | Phrase) for item in items):
        raise QuerySyntaxError("near_operand", parsed.start)
    return tuple(item for item in items if isinstance(item, Term | Phrase))


_HINTS: Final = {
    "site": ("use a domain such as nos.nl.", "gebruik een domein zoals nos.nl."),
    "lang": (
        "use an ISO 639 language code such as nl or en.",
        "gebruik een ISO 639-taalcode zoals nl of en.",
    ),
    "country": (
        "use a two-letter ISO 3166 country code such as nl or be.",
        "gebruik een ISO 3166-landcode van twee letters zoals nl of be.",
    ),
    "author": ("use a name or handle.", "gebruik een naam of handle."),
    "group": ("use the name of a group.", "gebruik de naam van een groep."),
}


def _field(token: Token) -> Node:
    raw_value = token.value
    if token.field == "raw":
        return Raw(raw_value, position=token.position)
    name: FieldName = token.field  # type: ignore[assignment]
    if name == "site":
        value = normalise_site(raw_value)
        valid = bool(_HOST.fullmatch(value))
    elif name == "url":
        value = raw_value.strip().lower()
        valid = bool(value)
    elif name == "lang":
        value = raw_value.strip().lower().replace("_", "-")
        valid = bool(_LANG.fullmatch(value))
    elif name == "country":
        value = raw_value.strip().lower()
        valid = bool(_COUNTRY.fullmatch(value))
    else:  # author, group
        value = fold(" ".join(raw_value.split()))
        if name == "author":
            value = value.lstrip("@")
        valid = bool(value)
    if not valid:
        hint, hint_nl = _HINTS[name]
        raise QuerySyntaxError(
            "invalid_field_value",
            token.position,
            value=raw_value,
            field=name,
            hint=hint,
            hint_nl=hint_nl,
        )
    return FieldTest(name, value, position=token.position)


def _refuse_negative(root: Node) -> None:
    """Raise the error that best explains why ``root`` would match an empty post."""
    for node in root.walk():
        if (
            isinstance(node, Or)
            and node.matches_empty()
            and not all(item.matches_empty() for item in node.items)
        ):
            culprit = next(item for item in node.items if item.matches_empty())
            raise QuerySyntaxError("negative_in_or", culprit.position)
    first_not = next((node for node in root.walk() if isinstance(node, Not)), None)
    example = first_not.item.to_text() if first_not else "fiets"
    raise QuerySyntaxError("only_negative", first_not.position if first_not else 0, example=example)

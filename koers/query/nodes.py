"""The compiled form of a query: a tree of small frozen dataclasses that evaluate.

Why methods on the nodes instead of one big evaluator: each node evaluates with a
single attribute look-up and the tree stays easy to walk for the linter and the
combined matcher. Nodes compare equal when they mean the same (``position`` is left
out of comparisons), which is what the linter's redundancy checks need.

Every node answers three questions:

- ``evaluate(doc, stream)``: does it match? ``stream`` is the token stream in scope
  (title and text, or the title alone under ``title:``).
- ``matches_empty()``: would it match a document with no text and no fields? A query
  that would is "only negative" and is refused by the parser.
- ``to_text()``: the query written back in canonical form, for messages and tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import merge
from typing import Literal

from koers.query.tokenize import AnalysedDocument, TokenStream, host_of

Mode = Literal["exact", "prefix", "glob"]
Span = tuple[int, int]


@dataclass(frozen=True)
class TokenPattern:
    """One token of a query: a word, ``#tag`` or ``@handle``, maybe with ``*`` or ``?``.

    ``text`` is normalised (folded, or only accent-stripped when ``cased``) without
    the sigil. ``*`` may only end it; ``?`` stands for exactly one character.
    """

    text: str
    sigil: Literal["", "#", "@"] = ""
    cased: bool = False
    mode: Mode = field(init=False, compare=False)
    key: str = field(init=False, compare=False)
    _regex: re.Pattern[str] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        key = self.sigil + self.text
        regex = None
        if "?" in self.text:
            mode: Mode = "glob"
            # Keys of other kinds start with "#" or "@"; a "?" must not match that sigil.
            one = "." if self.sigil == "@" else "[^#@]"
            body = "".join(
                one if c == "?" else ".*" if c == "*" else re.escape(c) for c in self.text
            )
            regex = re.compile(re.escape(self.sigil) + body, re.DOTALL)
        elif self.text.endswith("*"):
            mode = "prefix"
            key = key[:-1]
        else:
            mode = "exact"
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "_regex", regex)

    def accepts(self, key: str) -> bool:
        """Whether an index key (``koers``, ``#koers``, ``@nos``) matches this pattern."""
        if self.mode == "exact":
            return key == self.key
        if self.mode == "prefix":
            return key.startswith(self.key)
        assert self._regex is not None
        return self._regex.fullmatch(key) is not None

    def present(self, stream: TokenStream) -> bool:
        keys = stream.cased_keys if self.cased else stream.keys
        if self.mode == "exact":
            return self.key in keys
        if self.mode == "prefix":
            prefix = self.key
            return any(key.startswith(prefix) for key in keys)
        return any(self.accepts(key) for key in keys)

    def positions(self, stream: TokenStream) -> list[int]:
        index = stream.cased_index if self.cased else stream.index
        if self.mode == "exact":
            return index.get(self.key, [])
        found = [positions for key, positions in index.items() if self.accepts(key)]
        if len(found) <= 1:
            return found[0] if found else []
        return sorted(set(merge(*found)))

    def to_text(self) -> str:
        return self.sigil + self.text


@dataclass(frozen=True)
class Node:
    """Base of every node; ``position`` is the offset in the query where it starts."""

    position: int = field(compare=False, kw_only=True, default=0)

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        raise NotImplementedError

    def matches_empty(self) -> bool:
        return False

    def children(self) -> tuple[Node, ...]:
        return ()

    def to_text(self) -> str:
        raise NotImplementedError

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()


def _cased_text(patterns: tuple[TokenPattern, ...], body: str) -> str:
    return "{" + body + "}" if patterns and patterns[0].cased else body


@dataclass(frozen=True)
class Term(Node):
    """One token pattern, anywhere in scope."""

    pattern: TokenPattern
    _plain_key: str | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The commonest case, an exact folded word, skips a call: evaluation of
        # thousands of queries per post is mostly this one set look-up.
        pattern = self.pattern
        plain = pattern.key if pattern.mode == "exact" and not pattern.cased else None
        object.__setattr__(self, "_plain_key", plain)

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        key = self._plain_key
        if key is not None:
            return key in stream.keys
        return self.pattern.present(stream)

    def spans(self, stream: TokenStream) -> list[Span]:
        return [(p, p) for p in self.pattern.positions(stream)]

    def to_text(self) -> str:
        return _cased_text((self.pattern,), self.pattern.to_text())


@dataclass(frozen=True)
class Phrase(Node):
    """Consecutive tokens, punctuation between them ignored."""

    patterns: tuple[TokenPattern, ...]

    def starts(self, stream: TokenStream) -> list[int]:
        first, *rest = self.patterns
        starts = first.positions(stream)
        for offset, pattern in enumerate(rest, 1):
            if not starts:
                return []
            following = set(pattern.positions(stream))
            starts = [s for s in starts if s + offset in following]
        return starts

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        # Cheap rejection first: every word must be present at all.
        if not all(p.present(stream) for p in self.patterns):
            return False
        return bool(self.starts(stream))

    def spans(self, stream: TokenStream) -> list[Span]:
        width = len(self.patterns) - 1
        return [(s, s + width) for s in self.starts(stream)]

    def to_text(self) -> str:
        body = " ".join(p.to_text() for p in self.patterns)
        return _cased_text(self.patterns, '"' + body + '"')


@dataclass(frozen=True)
class Proximity(Node):
    """``"a b c"~n``: every word, each at its own position, within n consecutive tokens."""

    patterns: tuple[TokenPattern, ...]
    window: int

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        lists = [p.positions(stream) for p in self.patterns]
        if not all(lists):
            return False
        for start in sorted({p for positions in lists for p in positions}):
            end = start + self.window - 1
            inside = [[p for p in positions if start <= p <= end] for positions in lists]
            if all(inside) and _distinct(inside):
                return True
        return False

    def to_text(self) -> str:
        body = " ".join(p.to_text() for p in self.patterns)
        return _cased_text(self.patterns, f'"{body}"~{self.window}')


def _distinct(choices: list[list[int]]) -> bool:
    """Can each word take a position of its own? A bipartite matching by augmenting
    paths (Kuhn), so repeated words such as ``"ha ha ha"~5`` stay polynomial where
    plain backtracking would try every permutation."""
    owner: dict[int, int] = {}

    def assign(word: int, seen: set[int]) -> bool:
        for position in choices[word]:
            if position in seen:
                continue
            seen.add(position)
            if position not in owner or assign(owner[position], seen):
                owner[position] = word
                return True
        return False

    return all(assign(word, set()) for word in range(len(choices)))


SpanNode = Term | Phrase


@dataclass(frozen=True)
class Near(Node):
    """``a NEAR/n b``: at most n tokens between the two, in either order (``/nf``: a
    first). Each side is one or more alternatives (a term, phrase or OR-group)."""

    left: tuple[SpanNode, ...]
    right: tuple[SpanNode, ...]
    distance: int
    ordered: bool

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        if not any(n.evaluate(doc, stream) for n in self.left):
            return False
        if not any(n.evaluate(doc, stream) for n in self.right):
            return False
        lefts = [s for n in self.left for s in n.spans(stream)]
        rights = [s for n in self.right for s in n.spans(stream)]
        limit = self.distance
        for a_start, a_end in lefts:
            for b_start, b_end in rights:
                if b_start > a_end:
                    if b_start - a_end - 1 <= limit:
                        return True
                elif not self.ordered and a_start > b_end and a_start - b_end - 1 <= limit:
                    return True
        return False

    def children(self) -> tuple[Node, ...]:
        return self.left + self.right

    def to_text(self) -> str:
        def side(nodes: tuple[SpanNode, ...]) -> str:
            if len(nodes) == 1:
                return nodes[0].to_text()
            return "(" + " OR ".join(n.to_text() for n in nodes) + ")"

        operator = f"NEAR/{self.distance}{'f' if self.ordered else ''}"
        return f"{side(self.left)} {operator} {side(self.right)}"


@dataclass(frozen=True)
class And(Node):
    items: tuple[Node, ...]
    # Plain-word children checked at once (one set operation), and the others.
    _plain: frozenset[str] = field(init=False, compare=False, repr=False)
    _rest: tuple[Node, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _split_plain(self)

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        plain = self._plain
        if plain and not plain.issubset(stream.keys):
            return False
        # A loop, not all(): no generator to set up for the usual two or three items.
        for item in self._rest:  # noqa: SIM110
            if not item.evaluate(doc, stream):
                return False
        return True

    def matches_empty(self) -> bool:
        return all(item.matches_empty() for item in self.items)

    def children(self) -> tuple[Node, ...]:
        return self.items

    def to_text(self) -> str:
        return " AND ".join(_grouped(item) for item in self.items)


@dataclass(frozen=True)
class Or(Node):
    items: tuple[Node, ...]
    _plain: frozenset[str] = field(init=False, compare=False, repr=False)
    _rest: tuple[Node, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _split_plain(self)

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        plain = self._plain
        if plain and not plain.isdisjoint(stream.keys):
            return True
        for item in self._rest:  # noqa: SIM110  (see And.evaluate)
            if item.evaluate(doc, stream):
                return True
        return False

    def matches_empty(self) -> bool:
        return any(item.matches_empty() for item in self.items)

    def children(self) -> tuple[Node, ...]:
        return self.items

    def to_text(self) -> str:
        return " OR ".join(_grouped(item) for item in self.items)


@dataclass(frozen=True)
class Not(Node):
    item: Node

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        return not self.item.evaluate(doc, stream)

    def matches_empty(self) -> bool:
        return not self.item.matches_empty()

    def children(self) -> tuple[Node, ...]:
        return (self.item,)

    def to_text(self) -> str:
        return "NOT " + _grouped(self.item)


def _split_plain(node: And | Or) -> None:
    """Evaluation is pure, so the order of the children does not change the answer:
    the plain words (``Term._plain_key``) are tested together with one set operation
    on the stream's keys, the other children one by one after them."""
    plain = [item._plain_key for item in node.items if isinstance(item, Term)]
    keys = frozenset(key for key in plain if key is not None)
    rest = tuple(
        item for item in node.items if not (isinstance(item, Term) and item._plain_key in keys)
    )
    object.__setattr__(node, "_plain", keys)
    object.__setattr__(node, "_rest", rest)


def _grouped(node: Node) -> str:
    return f"({node.to_text()})" if isinstance(node, And | Or) else node.to_text()


@dataclass(frozen=True)
class Title(Node):
    """``title:x``: x evaluated against the title's tokens only."""

    item: Node

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        return self.item.evaluate(doc, doc.title_stream)

    def matches_empty(self) -> bool:
        return self.item.matches_empty()

    def children(self) -> tuple[Node, ...]:
        return (self.item,)

    def to_text(self) -> str:
        inner = self.item.to_text()
        return (
            f"title:({inner})" if isinstance(self.item, And | Or | Not | Near) else f"title:{inner}"
        )


@dataclass(frozen=True)
class Raw(Node):
    """``raw:Google+``: the literal as written, case-insensitive, with no letter or
    digit directly before or after it."""

    literal: str
    _regex: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        pattern = r"(?<![^\W_])" + re.escape(self.literal) + r"(?![^\W_])"
        object.__setattr__(self, "_regex", re.compile(pattern, re.IGNORECASE))

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        text = doc.raw_text if stream is doc.stream else doc.document.title
        return self._regex.search(text) is not None

    def to_text(self) -> str:
        if any(c.isspace() or c in '()"' for c in self.literal):
            return 'raw:"' + self.literal.replace('"', "") + '"'
        return "raw:" + self.literal


FieldName = Literal["author", "site", "url", "lang", "country", "group"]


@dataclass(frozen=True)
class FieldTest(Node):
    """A metadata field: ``author:``, ``site:``, ``url:``, ``lang:``, ``country:``,
    ``group:``. ``value`` is already normalised by the parser."""

    name: FieldName
    value: str

    def evaluate(self, doc: AnalysedDocument, stream: TokenStream) -> bool:
        value = self.value
        name = self.name
        if name == "site":
            host = doc.host
            return host == value or host.endswith("." + value)
        if name == "url":
            return value in doc.url
        if name == "lang":
            lang = doc.lang
            return lang == value or lang.startswith(value + "-")
        if name == "country":
            return doc.country == value
        if name == "group":
            return value in doc.groups
        return _author_matches(value, doc.author)

    def to_text(self) -> str:
        if any(c.isspace() or c in '()"' for c in self.value):
            return f'{self.name}:"{self.value}"'
        return f"{self.name}:{self.value}"


def _author_matches(value: str, author: str) -> bool:
    if "*" in value or "?" in value:
        body = "".join("." if c == "?" else ".*" if c == "*" else re.escape(c) for c in value)
        return re.fullmatch(body, author, re.DOTALL) is not None
    return author == value


def normalise_site(value: str) -> str:
    """The host a ``site:`` value names: ``https://www.NOS.nl/x`` becomes ``nos.nl``.

    A leading ``www.`` is dropped because sites serve the same pages with and without
    it; the host then matches itself and every subdomain (``nos.nl`` matches
    ``www.nos.nl`` and ``nos.nl``, never ``notnos.nl``)."""
    host = host_of(value)
    return host.removeprefix("www.")

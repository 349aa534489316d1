"""Many queries against one post at once, with work that grows with the post.

Koers compiles the active queries of every organisation into one ``Matcher``. Checking
each of thousands of queries against every incoming mention would cost
O(queries) per mention; instead the matcher indexes queries by a cheap *anchor*.

Anchors. For every query we compute a set of required token conditions: if the query
matches a post, then at least one of them holds in that post.

- a term gives its own token (``koers``, ``#koers``, ``@nos``); a wildcard gives a
  prefix condition (``koer*`` → "some token starts with koer"; ``k?ers`` only when at
  least 3 letters precede the ``?``);
- a phrase, window or NEAR needs all its words, so one word suffices: the rarest;
- AND needs every child, so the set of one child suffices: the cheapest one;
- OR needs one child, so its set is the union of its children's sets (and an OR with
  an unindexable child is itself unindexable);
- NOT, fields (``lang:``, ``site:``...) and ``raw:`` contribute nothing; under an AND
  a sibling still anchors the query.

"Cheapest" is a guess at how many posts contain a token: a supplied table of document
frequencies when given, else common Dutch and English words and short tokens count as
expensive, longer and ``#``/``@`` tokens as cheap, short prefixes as costlier than long
ones.

Matching one post: for every distinct token of the post, one dictionary look-up in
the exact-anchor index and one in the prefix buckets (keyed by the first three
characters, so ``koer*`` sits in bucket ``koe``) give the candidate queries; only those,
plus the few queries with no anchor at all (pure field queries, say), are evaluated
in full. The cost per post is therefore proportional to its number of distinct
tokens plus the number of queries that share a token with it, not to the number of
queries. The result is exactly what evaluating every query one by one gives: anchors
only ever skip queries that cannot match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

from koers.query.common import COMMON_WORDS
from koers.query.nodes import (
    And,
    Near,
    Node,
    Or,
    Phrase,
    Proximity,
    Term,
    Title,
    TokenPattern,
)
from koers.query.parser import Query
from koers.query.tokenize import AnalysedDocument, Document, analyse, fold

K = TypeVar("K", bound=Hashable)

# ("=", key): the post has this index key; ("^", prefix): some key starts with it.
Anchor = tuple[str, str]
Anchors = frozenset[Anchor] | None

_PREFIX_LENGTH = 3


def _bucket(key: str) -> str:
    """Prefix bucket of an index key or prefix: its first three characters (sigil
    included, so ``#koe*`` sits in ``#ko``: coarser, still correct)."""
    return key[:_PREFIX_LENGTH]


def pattern_anchor(pattern: TokenPattern) -> Anchor | None:
    """The anchor a single token pattern guarantees, if any."""
    key = fold(pattern.key) if pattern.cased else pattern.key
    if pattern.mode == "exact":
        return ("=", key)
    if pattern.mode == "glob":
        key = key[: key.find("?")]
    if len(key) - len(pattern.sigil) < _PREFIX_LENGTH:
        return None
    return ("^", key)


class _Costs:
    def __init__(self, frequencies: Mapping[str, float] | None) -> None:
        self.frequencies = frequencies

    def anchor(self, anchor: Anchor) -> float:
        kind, key = anchor
        bare = key.lstrip("#@")
        if kind == "=":
            if self.frequencies is not None:
                return float(self.frequencies.get(key, 0.0)) + 1.0
            if bare in COMMON_WORDS:
                return 100.0
            if key[0] in "#@":
                return 0.5
            # Longer words are rarer: "zeemeeuw" before "nieuwe".
            return 20.0 if len(bare) <= 2 else 4.0 if len(bare) == 3 else 8.0 / len(bare)
        # A prefix stands for many words; shorter ones for more.
        return {3: 30.0, 4: 10.0}.get(len(bare), 3.0)

    def set(self, anchors: frozenset[Anchor]) -> float:
        return sum(self.anchor(a) for a in anchors)


def required(node: Node, costs: _Costs) -> Anchors:
    """Anchors of which a matching post holds at least one (None: cannot tell)."""
    if isinstance(node, Term):
        anchor = pattern_anchor(node.pattern)
        return frozenset((anchor,)) if anchor else None
    if isinstance(node, Phrase | Proximity):
        return _cheapest(
            [frozenset((a,)) if (a := pattern_anchor(p)) else None for p in node.patterns],
            costs,
        )
    if isinstance(node, Near):
        sides = [_union([required(n, costs) for n in side]) for side in (node.left, node.right)]
        return _cheapest(sides, costs)
    if isinstance(node, And):
        return _cheapest([required(item, costs) for item in node.items], costs)
    if isinstance(node, Or):
        return _union([required(item, costs) for item in node.items])
    if isinstance(node, Title):
        return required(node.item, costs)
    return None  # Not, fields, raw:


def _cheapest(options: list[Anchors], costs: _Costs) -> Anchors:
    known = [option for option in options if option is not None]
    return min(known, key=costs.set) if known else None


def _union(options: list[Anchors]) -> Anchors:
    if any(option is None for option in options):
        return None
    return frozenset().union(*options)  # type: ignore[arg-type]


class Matcher(Generic[K]):
    """All queries compiled into one matcher: ``match(doc)`` gives the matching keys.

    ``frequencies`` (optional) maps index keys (``koers``, ``#koers``) to how often
    they occur in posts, so anchors are chosen by real rarity rather than a guess.
    """

    def __init__(
        self,
        queries: Mapping[K, Query],
        *,
        frequencies: Mapping[str, float] | None = None,
    ) -> None:
        costs = _Costs(frequencies)
        self._keys: list[K] = list(queries)
        self._roots: list[Node] = [queries[key].root for key in self._keys]
        exact: defaultdict[str, list[int]] = defaultdict(list)
        buckets: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
        always: list[int] = []
        for number, root in enumerate(self._roots):
            anchors = required(root, costs)
            if anchors is None:
                always.append(number)
                continue
            for kind, key in anchors:
                if kind == "=":
                    exact[key].append(number)
                else:
                    buckets[_bucket(key)].append((key, number))
        self._exact = {key: tuple(numbers) for key, numbers in exact.items()}
        self._buckets = {key: tuple(entries) for key, entries in buckets.items()}
        self._always = tuple(always)

    @property
    def unanchored(self) -> int:
        """How many queries are evaluated for every post (no indexable anchor)."""
        return len(self._always)

    def __len__(self) -> int:
        return len(self._keys)

    def match(self, document: Document) -> set[K]:
        return self.match_analysed(analyse(document))

    def candidates(self, document: AnalysedDocument) -> set[int]:
        """Numbers of the queries worth evaluating for ``document``."""
        found: set[int] = set(self._always)
        exact = self._exact
        buckets = self._buckets
        for key in document.stream.keys:
            numbers = exact.get(key)
            if numbers:
                found.update(numbers)
            if buckets:
                entries = buckets.get(key[:3])  # _bucket(key), inlined: once per token
                if entries:
                    found.update(number for prefix, number in entries if key.startswith(prefix))
        return found

    def match_analysed(self, document: AnalysedDocument) -> set[K]:
        """Like ``match`` for a document already analysed."""
        stream = document.stream
        roots = self._roots
        keys = self._keys
        return {
            keys[number]
            for number in self.candidates(document)
            if roots[number].evaluate(document, stream)
        }

"""Advice on valid queries: parts that are too broad, redundant or likely mistakes.

Warnings never block saving a query; they point at what a professional would fix
before switching a query on: a lone common word that floods the inbox, a three-letter
wildcard, the same term twice, a term already covered by a sibling, ``a AND NOT a``,
and a lower-case ``and`` meant as an operator. A long top-level OR of specific words
is normal for brand monitoring and draws no warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Final

from koers.query.common import COMMON_WORDS
from koers.query.nodes import And, Node, Not, Or, Phrase, Proximity, Term, TokenPattern
from koers.query.parser import Query
from koers.query.parser import compile as compile_query

# code -> (English, Dutch); filled with str.format(**details).
LINT_MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "broad_term": (
        "'{term}' on its own matches a great many posts; combine it with AND, NEAR or a phrase.",
        "'{term}' vindt in zijn eentje heel veel berichten; combineer het met AND, NEAR of "
        "een zin.",
    ),
    "short_wildcard": (
        "'{term}' matches every word that starts with '{prefix}'; add a letter or list the "
        "words you mean.",
        "'{term}' vindt elk woord dat met '{prefix}' begint; voeg een letter toe of noem de "
        "woorden die je bedoelt.",
    ),
    "duplicate": (
        "'{term}' appears twice in this {operator}; once is enough.",
        "'{term}' staat twee keer in deze {operator}; één keer is genoeg.",
    ),
    "covered_in_or": (
        "'{term}' is already covered by '{other}' in this OR; you can drop it.",
        "'{term}' valt al onder '{other}' in deze OR; je kunt het weglaten.",
    ),
    "covered_in_and": (
        "'{term}' adds nothing: every post with '{other}' has it already.",
        "'{term}' voegt niets toe: elk bericht met '{other}' bevat het al.",
    ),
    "contradiction": (
        "'{term}' is required and excluded at once, so this part never matches.",
        "'{term}' is tegelijk verplicht en uitgesloten, dus dit deel vindt nooit iets.",
    ),
    "lowercase_operator": (
        "'{word}' is searched as a word; write {operator} in capitals to use it as an operator.",
        "'{word}' wordt als woord gezocht; schrijf {operator} in hoofdletters om het als "
        "operator te gebruiken.",
    ),
    "trailing_question_mark": (
        "In {phrase} the ? stands for exactly one more character; remove it to search the "
        "words as written.",
        "In {phrase} staat de ? voor precies één extra teken; haal hem weg om de woorden te "
        "zoeken zoals ze er staan.",
    ),
}

_OPERATORS: Final = {"and": "AND", "or": "OR", "not": "NOT"}


@dataclass(frozen=True)
class LintWarning:
    """One piece of advice; ``position`` is a 0-based offset into the query text."""

    code: str
    message_en: str
    message_nl: str
    position: int

    @classmethod
    def make(cls, code: str, position: int, **details: str) -> LintWarning:
        english, dutch = LINT_MESSAGES[code]
        return cls(code, english.format(**details), dutch.format(**details), position)


def lint(query: Query | str) -> list[LintWarning]:
    """Warnings for ``query`` (compiled first when given as text), in query order."""
    if isinstance(query, str):
        query = compile_query(query)
    root = query.root
    warnings: list[LintWarning] = []
    warnings += _broad(root)
    for node in root.walk():
        warnings += _wildcards(node)
        if isinstance(node, And | Or):
            warnings += _redundant(node)
        if isinstance(node, And):
            warnings += _contradictions(node)
        if isinstance(node, Term):
            warnings += _lowercase_operator(node, query.text)
        if isinstance(node, Phrase | Proximity) and node.patterns[-1].text.endswith("?"):
            warnings.append(
                LintWarning.make("trailing_question_mark", node.position, phrase=node.to_text())
            )
    unique = {(w.code, w.position, w.message_en): w for w in warnings}
    return sorted(unique.values(), key=lambda w: (w.position, w.code))


def _broad(root: Node) -> list[LintWarning]:
    """Terms that stand on their own: the whole query, or a branch of a top-level OR."""
    alone = root.items if isinstance(root, Or) else (root,)
    warnings = []
    for node in alone:
        if not isinstance(node, Term):
            continue
        pattern = node.pattern
        if pattern.mode == "exact" and not pattern.sigil:
            word = pattern.text.lower()
            if word in COMMON_WORDS or len(word) <= 2:
                warnings.append(LintWarning.make("broad_term", node.position, term=node.to_text()))
    return warnings


def _patterns(node: Node) -> tuple[TokenPattern, ...]:
    if isinstance(node, Term):
        return (node.pattern,)
    if isinstance(node, Phrase | Proximity):
        return node.patterns
    return ()


def _wildcards(node: Node) -> list[LintWarning]:
    warnings = []
    for pattern in _patterns(node):
        if pattern.mode == "prefix" and len(pattern.text) - 1 <= 3:
            warnings.append(
                LintWarning.make(
                    "short_wildcard",
                    node.position,
                    term=pattern.to_text(),
                    prefix=pattern.to_text()[:-1],
                )
            )
    return warnings


def implies(a: TokenPattern, b: TokenPattern) -> bool:
    """Whether every token that matches ``a`` also matches ``b`` (a sound, partial test)."""
    if a.cased != b.cased or a.mode == "glob" or b.mode == "glob":
        return False
    if a.sigil != b.sigil and not (a.sigil == "#" and b.sigil == ""):
        return False
    a_text = a.text.rstrip("*")
    b_text = b.text.rstrip("*")
    if b.mode == "exact":
        return a.mode == "exact" and a_text == b_text
    return a_text.startswith(b_text)


def _redundant(node: And | Or) -> list[LintWarning]:
    operator = "AND" if isinstance(node, And) else "OR"
    warnings = []
    for first, second in combinations(node.items, 2):
        if first == second:
            warnings.append(
                LintWarning.make(
                    "duplicate", second.position, term=second.to_text(), operator=operator
                )
            )
            continue
        if not (isinstance(first, Term) and isinstance(second, Term)):
            continue
        for narrow, wide in ((first, second), (second, first)):
            if implies(narrow.pattern, wide.pattern):
                # In an OR the narrower term is covered; in an AND the wider one is implied.
                if operator == "OR":
                    code, term, other = "covered_in_or", narrow, wide
                else:
                    code, term, other = "covered_in_and", wide, narrow
                warnings.append(
                    LintWarning.make(
                        code, term.position, term=term.to_text(), other=other.to_text()
                    )
                )
                break
    return warnings


def _contradictions(node: And) -> list[LintWarning]:
    required = [item for item in node.items if not isinstance(item, Not)]
    return [
        LintWarning.make("contradiction", item.position, term=item.item.to_text())
        for item in node.items
        if isinstance(item, Not) and item.item in required
    ]


def _lowercase_operator(node: Term, text: str) -> list[LintWarning]:
    written = re.match(r"[^\s()]*", text[node.position :])
    operator = _OPERATORS.get(written.group() if written else "")
    if operator is None:
        return []
    word = operator.lower()
    return [LintWarning.make("lowercase_operator", node.position, word=word, operator=operator)]

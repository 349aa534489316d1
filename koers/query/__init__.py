"""Koers' Boolean query language for listening, without Django.

``compile(text)`` gives a ``Query`` (or raises ``QuerySyntaxError`` with a position and
an English and Dutch message); ``Query.matches(Document)`` tells whether a post
matches; ``lint(query)`` gives advice on broad or redundant parts; ``Matcher`` matches
thousands of queries at once. docs/query-language.md is the user's reference.
"""

from koers.query.errors import QuerySyntaxError
from koers.query.lint import LintWarning, lint
from koers.query.matcher import Matcher
from koers.query.parser import Query, compile
from koers.query.tokenize import AnalysedDocument, Document, analyse

__all__ = [
    "AnalysedDocument",
    "Document",
    "LintWarning",
    "Matcher",
    "Query",
    "QuerySyntaxError",
    "analyse",
    "compile",
    "lint",
]

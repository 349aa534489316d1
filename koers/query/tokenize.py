"""Documents, text normalisation and tokenisation: what a query is matched against.

Why one module: queries and documents must be cut into tokens by exactly the same
rules, or ``café`` in a query would miss ``Café`` in a post.

Normalisation: Unicode NFKD, combining marks (accents) removed, then case-folded, so
"Café", "CAFE" and "café" all become ``cafe``, "ĳs" becomes ``ijs`` and "Straße"
becomes ``strasse``. Plain ASCII text (most posts) skips the Unicode work.

Tokens, in text order, each taking one position (positions drive phrases and NEAR):

- a *word* is a run of letters and digits. Everything else separates words, including
  apostrophes, hyphens, dots and underscores: "auto's" is ``auto`` ``s``,
  "e-bike" is ``e`` ``bike``, "'s-Hertogenbosch" is ``s`` ``hertogenbosch``. A query
  term is cut the same way, so the query ``e-bike`` is the phrase "e bike" and matches
  "e-bike", "E bike" and "e–bike" alike. We split rather than keep compounds whole
  because Dutch writes the same compound with and without a hyphen or apostrophe.
- a *hashtag* is ``#`` followed by letters, digits or underscores, not directly after a
  letter or digit (so "C#" is the word ``c``). ``#Koers`` is stored as ``#koers`` and
  also under the bare ``koers``: a plain term matches its hashtag form.
- a *mention* is ``@handle`` (optionally ``@handle@instance.social``), not directly
  after a letter or digit, so e-mail addresses are words, not mentions. It is stored as
  ``@handle@instance.social`` and as ``@handle``; plain terms do not match mentions.

The title and the text form one token stream with a large gap between them, so a
phrase or NEAR never spans from the title into the text; ``title:`` uses a stream of
the title alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Positions of text tokens start this far after the title's, so that no phrase, window
# or NEAR (whose distances the parser caps far below this) joins title and text.
TITLE_GAP = 100_000
# Hashtags and mentions given explicitly (not in the text) sit after the text, apart.
EXTRA_GAP = 200_000


def _combining_class() -> str:
    # Every code point with a non-zero combining class lies below U+20000 (checked at
    # import in a few milliseconds); one character class lets re remove them all at once.
    points = [cp for cp in range(0x20000) if unicodedata.combining(chr(cp))]
    ranges: list[str] = []
    start = previous = points[0]
    for cp in [*points[1:], -1]:
        if cp == previous + 1:
            previous = cp
            continue
        ranges.append(
            re.escape(chr(start))
            if start == previous
            else f"{re.escape(chr(start))}-{re.escape(chr(previous))}"
        )
        start = previous = cp
    return "[" + "".join(ranges) + "]+"


_COMBINING = re.compile(_combining_class())

# One match per token: "#tag", "@handle" (maybe "@handle@instance") or a word.
_TOKEN = re.compile(r"(?<![^\W_])#\w+|(?<![^\W_])@\w+(?:@\w[\w.-]*\w)?|[^\W_]+")


def strip_accents(text: str) -> str:
    """NFKD without combining marks, case kept: the form ``{Term}`` compares."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Case-folded and accent-stripped: the form every plain term compares."""
    if text.isascii():
        return text.lower()
    folded = strip_accents(text).casefold()
    # Case folding can itself produce a decomposable letter; one more pass settles it.
    return folded if folded.isascii() else strip_accents(folded)


def split_tokens(text: str) -> list[str]:
    """Tokens of ``text`` in order, case and accents kept: ``#tag``, ``@handle`` or word."""
    return _TOKEN.findall(strip_accents(text))


def folded_tokens(text: str) -> list[str]:
    """Tokens of ``text`` in order, folded; aligned one to one with ``split_tokens``."""
    if text.isascii():
        # Lower-casing ASCII maps letters to letters, so the cut is the same.
        return _TOKEN.findall(text.lower())
    return [fold(token) for token in split_tokens(text)]


def hashtags_in(text: str) -> frozenset[str]:
    """The hashtags of a text, folded and without ``#``."""
    return frozenset(t[1:] for t in folded_tokens(text) if t[0] == "#")


def mentions_in(text: str) -> frozenset[str]:
    """The mentioned handles of a text, folded and without the leading ``@``."""
    return frozenset(t[1:] for t in folded_tokens(text) if t[0] == "@")


def _frozen(values: Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset(values)


@dataclass(frozen=True)
class Document:
    """A post or article as queries see it. Every field is optional.

    ``hashtags`` and ``mentions`` are for what a platform reports besides the text
    (LinkedIn's tag list, say); those in the text are always found, so leave them
    ``None`` when the text holds them all. ``site`` is a host name; when empty it is
    taken from ``url``. ``groups`` holds the names of the Koers stakeholder groups the
    author belongs to.
    """

    text: str = ""
    title: str = ""
    author: str = ""
    site: str = ""
    url: str = ""
    lang: str = ""
    country: str = ""
    hashtags: frozenset[str] | None = None
    mentions: frozenset[str] | None = None
    groups: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable (a list from JSON) but keep the dataclass hashable.
        object.__setattr__(self, "hashtags", _frozen(self.hashtags))
        object.__setattr__(self, "mentions", _frozen(self.mentions))
        object.__setattr__(self, "groups", frozenset(self.groups))

    @classmethod
    def from_text(cls, text: str, **fields: str | Iterable[str]) -> Document:
        """A document whose hashtags and mentions are read from ``text``."""
        return cls(
            text=text,
            hashtags=hashtags_in(text),
            mentions=mentions_in(text),
            **fields,  # type: ignore[arg-type]
        )


class _Part:
    """One segment of a stream (title, text or extra tags) and its first position."""

    __slots__ = ("_cased", "folded", "offset", "source")

    def __init__(self, offset: int, folded: list[str], source: str, cased: list[str] | None):
        self.offset = offset
        self.folded = folded
        self.source = source
        self._cased = cased

    @property
    def cased(self) -> list[str]:
        if self._cased is None:
            self._cased = split_tokens(self.source)
        return self._cased


def _keys(tokens: list[str], keys: set[str]) -> None:
    """Add the extra keys of hashtags (bare form) and mentions (local part)."""
    for token in tokens:
        first = token[0]
        if first == "#":
            keys.add(token[1:])
        elif first == "@":
            local, at, _ = token[1:].partition("@")
            if at:
                keys.add("@" + local)


def _positions(pairs: list[tuple[int, list[str]]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    get = index.get
    for offset, tokens in pairs:
        for position, token in enumerate(tokens, offset):
            found = get(token)
            if found is None:
                index[token] = [position]
            else:
                found.append(position)
            first = token[0]
            if first == "#" or first == "@":
                extra = set[str]()
                _keys([token], extra)
                for key in extra:
                    found = get(key)
                    if found is None:
                        index[key] = [position]
                    else:
                        found.append(position)
    return index


class TokenStream:
    """The tokens of one scope (title and text, or the title alone), for look-ups.

    ``keys`` is the set of folded keys present (``koers``, ``#koers``, ``koers`` again
    for the hashtag, ``@nos``): presence checks, the bulk of all evaluation, are one set
    look-up. Positions (``index``) and the case-kept forms (``cased_keys``,
    ``cased_index``) are only built when a phrase, NEAR or ``{Term}`` asks for them.
    """

    __slots__ = ("_cased_index", "_cased_keys", "_index", "_parts", "keys")

    def __init__(self, parts: list[_Part]) -> None:
        self._parts = parts
        keys: set[str] = set()
        for part in parts:
            keys.update(part.folded)
            if "#" in part.source or "@" in part.source:
                _keys(part.folded, keys)
        self.keys = keys
        self._index: dict[str, list[int]] | None = None
        self._cased_keys: set[str] | None = None
        self._cased_index: dict[str, list[int]] | None = None

    @property
    def index(self) -> dict[str, list[int]]:
        """Folded key -> sorted positions."""
        if self._index is None:
            self._index = _positions([(part.offset, part.folded) for part in self._parts])
        return self._index

    @property
    def cased_keys(self) -> set[str]:
        if self._cased_keys is None:
            keys: set[str] = set()
            for part in self._parts:
                keys.update(part.cased)
                _keys(part.cased, keys)
            self._cased_keys = keys
        return self._cased_keys

    @property
    def cased_index(self) -> dict[str, list[int]]:
        """Accent-stripped, case-kept key -> sorted positions."""
        if self._cased_index is None:
            self._cased_index = _positions([(part.offset, part.cased) for part in self._parts])
        return self._cased_index


_EMPTY_STREAM = TokenStream([])


def _part(offset: int, text: str) -> _Part:
    if text.isascii():
        return _Part(offset, _TOKEN.findall(text.lower()), text, None)
    cased = split_tokens(text)
    return _Part(offset, [fold(token) for token in cased], text, cased)


class AnalysedDocument:
    """A document cut into tokens once, so many queries can be evaluated against it.

    ``stream`` holds title and text (and extra hashtags/mentions); ``title_stream``
    the title alone. Field values are normalised on first use: most queries never ask,
    and this object is built for every incoming post.
    """

    __slots__ = (
        "_author",
        "_country",
        "_groups",
        "_host",
        "_lang",
        "_title_part",
        "_title_stream",
        "_url",
        "document",
        "stream",
    )

    def __init__(self, document: Document) -> None:
        self.document = document
        parts = []
        title_part = _part(0, document.title) if document.title else None
        if title_part is not None:
            parts.append(title_part)
        if document.text:
            parts.append(_part(TITLE_GAP, document.text))
        if document.hashtags or document.mentions:
            extras = _extras(document, parts)
            if extras:
                parts.append(_part(EXTRA_GAP, " ".join(extras)))
        self.stream = TokenStream(parts)
        self._title_part = title_part
        self._title_stream: TokenStream | None = None
        self._author: str | None = None
        self._host: str | None = None
        self._url: str | None = None
        self._lang: str | None = None
        self._country: str | None = None
        self._groups: frozenset[str] | None = None

    @property
    def title_stream(self) -> TokenStream:
        if self._title_stream is None:
            part = self._title_part
            self._title_stream = TokenStream([part]) if part else _EMPTY_STREAM
        return self._title_stream

    @property
    def raw_text(self) -> str:
        """Title and text as written, for ``raw:``."""
        return f"{self.document.title}\n{self.document.text}"

    @property
    def author(self) -> str:
        if self._author is None:
            self._author = fold(" ".join(self.document.author.split())).lstrip("@")
        return self._author

    @property
    def host(self) -> str:
        if self._host is None:
            self._host = host_of(self.document.site or self.document.url).removeprefix("www.")
        return self._host

    @property
    def url(self) -> str:
        if self._url is None:
            self._url = self.document.url.strip().lower()
        return self._url

    @property
    def lang(self) -> str:
        if self._lang is None:
            self._lang = self.document.lang.strip().lower().replace("_", "-")
        return self._lang

    @property
    def country(self) -> str:
        if self._country is None:
            self._country = self.document.country.strip().lower()
        return self._country

    @property
    def groups(self) -> frozenset[str]:
        if self._groups is None:
            self._groups = frozenset(fold(" ".join(name.split())) for name in self.document.groups)
        return self._groups


def _extras(document: Document, parts: list[_Part]) -> list[str]:
    """Explicit hashtags and mentions that the title and text do not already hold."""
    present = {token for part in parts for token in part.folded if token[0] in "#@"}
    extras = []
    for sigil, values in (("#", document.hashtags), ("@", document.mentions)):
        for value in sorted(values or ()):
            token = sigil + value.strip().lstrip(sigil)
            if len(token) > 1 and fold(token) not in present:
                extras.append(token)
    return extras


def host_of(value: str) -> str:
    """The lower-case host of a URL or bare domain, without port or trailing dot."""
    value = value.strip().lower()
    if not value:
        return ""
    if "://" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def analyse(document: Document) -> AnalysedDocument:
    """Tokenise ``document`` once for evaluating many queries against it."""
    return AnalysedDocument(document)

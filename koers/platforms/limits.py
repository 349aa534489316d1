"""Live character counts per channel, counted the way each platform counts. No Django.

``measure(platform, text)`` returns a ``Length`` (count, limit, remaining, over) and
``count(platform, text)`` just the count. The editor calls it on every (debounced)
keystroke, so every pattern is compiled at import (about 0.25 s, mostly the X library's
emoji pattern). A 3,000-character post takes about 15 ms on X, where the library looks at
every character in Python, and 1-3 ms or less on the others.

Line breaks count as "\\n" on every platform. A browser submits a textarea's line breaks
as "\\r\\n", while its composer and the text Koers publishes have "\\n"; counted as
submitted, each line would add one on the UTF-16 platforms.

How each platform counts, and where that comes from:

- ``x``, 280 weighted units: twitter-text's v3 configuration, through the
  twitter-text-parser library (a port of twitter/twitter-text that passes its conformance
  suite). The text is NFC-normalised; code points in U+0000-U+10FF, U+2000-U+200D,
  U+2010-U+201F and U+2032-U+2037 weigh 1 and all others 2; an emoji, including a whole
  ZWJ sequence, skin tone or flag, weighs 2; every URL, with or without "https://",
  weighs 23 (t.co). Known deviations of the library, both on the safe side (it counts
  more, never less): its emoji list is Unicode 12.0, so an emoji sequence added later is
  weighed per part (❤️‍🔥 = 5, 🫶🏽 = 4, not 2), and a bare "©" or "®" weighs 2 as an
  emoji where X may weigh it 1.
- ``mastodon``, 500 characters: Mastodon's StatusLengthValidator
  (app/validators/status_length_validator.rb). It replaces every URL that has a scheme
  with 23 characters and every remote mention "@user@domain" with "@user", then counts
  extended grapheme clusters (``mb_chars.grapheme_length``), so 👩‍👩‍👧 is 1 and "e" plus a
  combining accent is 1. URLs are found with twitter-text's URL pattern as Mastodon
  changes it (config/initializers/twitter_regex.rb: more schemes, any non-space path
  character); a URL without a scheme ("example.com") counts in full on the server
  (``extract_url_without_protocol: false``). Mentions follow Account::MENTION_RE and
  app/lib/extractor.rb. Not counted here: the content warning, which the server adds to
  the same 500, and an instance's own limit where it is not 500.
- ``bluesky``, 300 graphemes: the app.bsky.feed.post lexicon's ``maxGraphemes``, on the
  text as posted, so a URL counts in full. (The record also has ``maxLength`` 3,000
  UTF-8 bytes, which only long runs of multi-code-point emoji reach.)
- ``linkedin`` 3,000, ``instagram`` 2,200 and ``facebook`` 63,206 (Facebook's limit for
  a post's text): as their web composers count, in JavaScript string length, i.e. UTF-16
  code units, so 👍 is 2 and 👩‍👩‍👧 is 8. None of the three publishes its rule; UTF-16
  units are never fewer than code points or graphemes, so where a platform counts those
  instead, Koers warns early rather than late.

Graphemes come from the ``grapheme`` package (Unicode 13 rules: whole emoji ZWJ
sequences, flags and skin tones are one cluster, also for emoji added since). It lacks
rule GB9c of Unicode 15.1 (Indic conjuncts), as does Ruby before 4.0 and so Mastodon;
Bluesky counts with Intl.Segmenter, which applies it where its ICU is recent, so there a
Devanagari conjunct such as "क्षि" may count 1 where Koers says 2: on the safe side again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import grapheme
import twitter_text
from twitter_text.extract_urls import idna_to_ascii
from twitter_text.regex_supplant import regex_supplant
from twitter_text.regexp.latin_accent_chars import latin_accent_chars
from twitter_text.regexp.valid_domain import valid_domain
from twitter_text.regexp.valid_port_number import valid_port_number
from twitter_text.regexp.valid_tco_url import valid_tco_url
from twitter_text.regexp.valid_url_balanced_parens import valid_url_balanced_parens
from twitter_text.regexp.valid_url_preceding_chars import valid_url_preceding_chars

LIMITS = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "linkedin": 3000,
    "instagram": 2200,
    # Facebook's limit for the text of a post (status update).
    "facebook": 63206,
}


@dataclass(frozen=True)
class Length:
    """A text's length on one platform, in that platform's own units."""

    platform: str
    count: int
    limit: int

    @property
    def remaining(self) -> int:
        """Units left before the limit; negative once the text is over it."""
        return self.limit - self.count

    @property
    def over(self) -> bool:
        """True when the platform would refuse the text; exactly at the limit is fine."""
        return self.count > self.limit


def measure(platform: str, text: str) -> Length:
    """``text``'s length on ``platform``; ValueError for a platform Koers does not know."""
    try:
        counter = _COUNTERS[platform]
    except KeyError:
        known = ", ".join(sorted(LIMITS))
        raise ValueError(f"Unknown platform {platform!r}; known: {known}.") from None
    return Length(
        platform=platform, count=counter(_LINE_BREAK.sub("\n", text)), limit=LIMITS[platform]
    )


# A line holding only "---" starts the next post of a thread on the platforms that have
# threads; there the limit applies to each post of it.
THREAD_BREAK = "---"
THREADED = frozenset({"mastodon", "bluesky"})


def split_thread(text: str) -> tuple[str, ...]:
    """The posts of a thread: the text split at lines that hold only "---"."""
    parts, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip() == THREAD_BREAK:
            parts.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    parts.append("\n".join(current).strip())
    return tuple(part for part in parts if part)


def measure_post(platform: str, text: str) -> Length:
    """Like ``measure``, but a thread (on a platform that has threads) is measured post
    by post: the result is that of its longest post, relative to the limit."""
    if platform in THREADED:
        parts = split_thread(text)
        if len(parts) > 1:
            return max((measure(platform, part) for part in parts), key=lambda n: -n.remaining)
    return measure(platform, text)


def count(platform: str, text: str) -> int:
    """``text``'s length on ``platform`` in that platform's units (see ``measure``)."""
    return measure(platform, text).count


_LINE_BREAK = re.compile(r"\r\n?")


# twitter-text's domain pattern is quadratic in a chain of dot-separated labels: 3,000
# characters of "a.a.a." take the X library 14 seconds. No real host name has 16 labels,
# so in a longer chain the dots become "," before URLs are looked for: the same length and
# weight, but no domain. Worst case left: about 0.2 s for 3,000 characters of 15-label
# chains. Only such absurd chains lose a URL they might hold.
_LABEL_CHAIN = re.compile(r"(?<![^\s./])(?:[^\s./]+\.){16,}")


def _break_label_chains(text: str) -> str:
    if text.count(".") < 16:
        return text
    return _LABEL_CHAIN.sub(lambda chain: chain.group(0).replace(".", ","), text)


def _count_x(text: str) -> int:
    return twitter_text.parse_tweet(_break_label_chains(text)).weightedLength


def _count_utf16(text: str) -> int:
    # surrogatepass: a lone surrogate (pasted from a broken source) is one unit, as in JS.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _count_graphemes(text: str) -> int:
    return grapheme.length(text)


# Mastodon's URL pattern: twitter-text's, with the parts Mastodon replaces in
# config/initializers/twitter_regex.rb. Its path-ending class still embeds twitter-text's
# own balanced-parentheses pattern, because Mastodon redefines that one only afterwards.
_WHITE_SPACE = r"\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_UCHARS = "".join(
    f"\\U{start:08x}-\\U{end:08x}"
    for start, end in (
        (0xA0, 0xD7FF),
        (0xF900, 0xFDCF),
        (0xFDF0, 0xFFEF),
        *((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)),
        (0xE1000, 0xEFFFD),
        (0xE000, 0xF8FF),
        (0xF0000, 0xFFFFD),
        (0x100000, 0x10FFFD),
    )
)
_MASTODON_PATH_CHARS = rf"[^{_WHITE_SPACE}<>()?]"
_MASTODON_PATH_ENDING = regex_supplant(
    rf"""(?:[^{_WHITE_SPACE}()?!*"'「」<>;:=,.$%\[\]~&|@]|(?:#{{parens}}))""",
    {"parens": valid_url_balanced_parens},
)
_MASTODON_PARENS = (
    rf"\((?:{_MASTODON_PATH_CHARS}+"
    rf"|(?:{_MASTODON_PATH_CHARS}*\({_MASTODON_PATH_CHARS}+\){_MASTODON_PATH_CHARS}*))\)"
)
_MASTODON_PATH = (
    rf"(?:(?:{_MASTODON_PATH_CHARS}*(?:{_MASTODON_PARENS}{_MASTODON_PATH_CHARS}*)*"
    rf"#{{ending}})|(?:{_MASTODON_PATH_CHARS}+/))"
)
_MASTODON_URL = regex_supplant(
    "((#{preceding})"
    "(((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?"
    "(#{domain})"
    "(?::(#{port}))?"
    f"(/{_MASTODON_PATH}*)?"
    rf"(\?[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^{_UCHARS}]*[a-z0-9_&=#/\-{_UCHARS}])?))",
    {
        "preceding": valid_url_preceding_chars,
        "domain": valid_domain,
        "port": valid_port_number,
        "ending": _MASTODON_PATH_ENDING,
    },
    re.IGNORECASE,
)
_MAX_URL_LENGTH = 4096  # twitter-text's Extractor::MAX_URL_LENGTH
_MAX_TCO_SLUG_LENGTH = 40

# Account::MENTION_RE and USERNAME_RE. Ruby's [[:word:]] (letters, marks, decimal digits,
# connector punctuation) is Python's \w here, which has no marks: an IDN domain with
# combining marks is then cut short and its rest counted, again on the safe side.
_MENTION = re.compile(
    r"(?<![=/\w])@("  # not after "=", "/" or a word character
    r"([A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)"  # the username
    r"(?:@\w+(?:[.-]+\w+)*)?)"  # and, for a remote account, its domain
)
# twitter-text's end_mention_match: "@bob@" or "@bobé" is no mention.
_END_MENTION = regex_supplant(
    r"(?:[@＠]|[#{latin_accents}]|://)", {"latin_accents": latin_accent_chars}
)
_MAX_DOMAIN_LENGTH = 253  # Extractor::MAX_DOMAIN_LENGTH


def _mastodon_urls(text: str) -> list[tuple[int, int, str]]:
    """Twitter::TwitterText::Extractor#extract_urls_with_indices with
    ``extract_url_without_protocol: false``, on Mastodon's URL pattern."""
    if ":" not in text:
        return []
    urls = []
    for match in _MASTODON_URL.finditer(text):
        url, protocol, domain = match.group(3, 4, 5)
        if not protocol:
            continue
        start, end = match.span(3)
        tco = valid_tco_url.match(url)
        if tco:
            if tco.group(1) and len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group(0)
            end = start + len(url)
        ascii_domain = idna_to_ascii(domain)
        if not ascii_domain:
            continue
        if len(url) + max(0, len(ascii_domain) - len(domain)) > _MAX_URL_LENGTH:
            continue
        urls.append((start, end, "x" * 23))
    return urls


def _mastodon_mentions(text: str) -> list[tuple[int, int, str]]:
    """Mastodon's Extractor.extract_mentions_or_lists_with_indices, each with the
    "@user" it counts as."""
    if "@" not in text:
        return []
    mentions = []
    for match in _MENTION.finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue
        username, _, domain = match.group(1).partition("@")
        if len(domain) > _MAX_DOMAIN_LENGTH:
            continue
        mentions.append((match.start(), match.end(), "@" + username))
    return mentions


def _count_mastodon(text: str) -> int:
    searchable = _break_label_chains(text)  # same length, so the offsets hold for text
    entities = sorted(_mastodon_urls(searchable) + _mastodon_mentions(text))
    # Extractor.remove_overlapping_entities: the earliest entity wins an overlap.
    parts = []
    position = 0
    for start, end, replacement in entities:
        if start < position:
            continue
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    # Rewrite first and count after, as the server does: a combining mark right after a
    # URL then joins the placeholder's last "x", as it does there.
    return _count_graphemes("".join(parts))


_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": _count_x,
    "mastodon": _count_mastodon,
    "bluesky": _count_graphemes,
    "linkedin": _count_utf16,
    "instagram": _count_utf16,
    "facebook": _count_utf16,
}

"""Dutch personal data in a post, found before it is published. No Django.

``find_personal_data(text)`` returns spans of six kinds: BSN, IBAN, KvK number, phone
number, e-mail address and postcode with house number. Checksums and number plans come
from the libraries that keep them (python-stdnum, schwifty, phonenumbers); this module
only finds candidates and decides which of them count.

It runs on every (debounced) keystroke, so every pattern is compiled at import, kinds
whose trigger character is absent (no digit, no "@") are skipped outright, and the
costly phonenumbers matcher only sees short candidate stretches, never the whole post.

Offsets are Python string indices (code points) into the text as given. A browser
counts UTF-16 units, in which an emoji takes two, so a front end must convert.

Choices worth knowing:

- BSN: nine digits, whole or grouped as 1234.56.782 or 123 456 782, and valid by the
  11-proof. A valid number is still skipped where it reads as an amount (after "€" or
  before ",-"/"euro") or is labelled as an order, invoice or ticket number, or follows
  "#": those are the usual nine-digit numbers in posts.
- KvK: eight digits have no checksum (python-stdnum has no KvK module) and are far too
  common, so they count only within 20 characters after "KvK", "K.v.K.", "Kamer van
  Koophandel" or "Handelsregister".
- Phone: valid numbers for region NL (foreign numbers with their "+" prefix too), but
  not toll-free (0800), premium-rate (090x) and shared-cost numbers: those belong to
  organisations, never to a person. Dates (12-05-2026) and times (09.30) are blanked
  out first, so "01-05-2026 09.30" cannot be read as the number 010 5202609.
- E-mail: not when directly preceded by "@": "@name@instance.social" is a public
  Fediverse handle. "name@instance.social" without the leading "@" is reported, as it
  cannot be told apart from an address.
- Postcode: only together with a house number, as "1234 AB 56" or "Hoofdstraat 12, 1234
  AB" (the street word, when capitalised, is part of the span). A postcode alone, as in
  "1012 AB Amsterdam", covers a whole street segment and reads like "in 2024 EU" far
  too often, so it is not reported (a year, two capitals and a number, "2025 EU 27",
  still is). The two letters must be capitals, so "2024 op 5 mei" is no address; SA, SD
  and SS are not issued. A "Postbus" address is an organisation's, and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
import schwifty
from schwifty.exceptions import SchwiftyException
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

BSN = "bsn"
IBAN = "iban"
KVK = "kvk"
PHONE = "phone"
EMAIL = "email"
POSTCODE = "postcode"

KINDS = (BSN, IBAN, KVK, PHONE, EMAIL, POSTCODE)

# When two findings overlap, the longer span wins (an IBAN over the digits inside it, a
# phone number "+31 612345678" over a BSN-like "612345678"); at equal length the kind
# earlier here wins, the one whose check is stricter.
_SPECIFICITY = {IBAN: 0, BSN: 1, KVK: 2, EMAIL: 3, POSTCODE: 4, PHONE: 5}


@dataclass(frozen=True)
class PersonalData:
    """One piece of personal data: its kind and where it stands in the text."""

    kind: str
    start: int
    end: int
    value: str


_SPACE = r"[ \u00a0]"

# Speed: the regex engine only skips ahead quickly when a pattern starts with a plain
# character class. So the patterns below start with their first character and check
# what stands before it with a lookbehind one character wider (``[0-9](?<![\w.][0-9])``),
# or they find a cheap trigger and then match the full form anchored at it.

# [0-9], not \d: Dutch numbers are written in ASCII digits, and the plain class scans
# twice as fast as the Unicode category.
_HAS_DIGIT = re.compile(r"[0-9]")

_BSN = re.compile(
    rf"""
    [0-9](?<![\w.,/+#-][0-9])
    (?:
        [0-9]{{8}}
      | [0-9]{{3}}(?P<sep4>[.-]|{_SPACE})[0-9]{{2}}(?P=sep4)[0-9]{{3}}
      | [0-9]{{2}}(?P<sep3>[.-]|{_SPACE})[0-9]{{3}}(?P=sep3)[0-9]{{3}}
    )
    (?![\w/]|[.,-][0-9])
    """,
    re.VERBOSE,
)
_AMOUNT_BEFORE = re.compile(r"(?:€|\beur|\beuro|\$|£)\s*\Z", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"\s*(?:,-|€|eur\b|euro\b)", re.IGNORECASE)
_LABEL_REACH = 40
_REFERENCE_BEFORE = re.compile(
    r"""
    \b(?:track\s*&\s*trace|order|bestel|factuur|invoice|ref|ticket|zending|zaak|track
        |artikel|klant|lidmaatschap|dossier)
    [\w-]*\s*(?:nummer|nr|no|number|id)?\.?\s*[:#]?\s*\Z
    """,
    re.IGNORECASE | re.VERBOSE,
)

# An IBAN: country, check digits, then up to 30 letters or digits, in groups of four
# with single spaces or written solid. The trigger is two digits after two letters at
# the start of a word. The groups may run into a following four-letter word
# ("... 7034 voor"), hence the retry without trailing groups in _find_iban.
_IBAN_TRIGGER = re.compile(r"[0-9][0-9](?<=\b[A-Za-z]{2}[0-9][0-9])")
_IBAN = re.compile(
    rf"[A-Z]{{2}}[0-9]{{2}}(?:{_SPACE}?[A-Z0-9]{{4}}){{2,7}}(?:{_SPACE}?[A-Z0-9]{{1,4}})?\b",
    re.IGNORECASE,
)
_SPACES = re.compile(_SPACE)
_SHORTEST_IBAN = 15  # Norway

_KVK = re.compile(r"[0-9](?<![\w.,/+#-][0-9])[0-9]{7}(?![\w/]|[.,-][0-9])")
_KVK_CONTEXT = re.compile(
    r"(?:\bkvk|\bk\.v\.k\b\.?|\bkamer\s+van\s+koophandel|\bhandelsregister)[^0-9\n]{0,20}\Z",
    re.IGNORECASE,
)
_KVK_CONTEXT_REACH = 60

# Stretches that could hold a phone number: they start with "+", "0" or "(0", as every
# Dutch number does, and hold digits and the usual separators. Only these stretches go
# to the (slow) phonenumbers matcher.
_PHONE_CANDIDATE = re.compile(
    rf"(?:\+{_SPACE}?[0-9]|\({_SPACE}?0|0)[0-9().\-/ \u00a0]{{6,30}}[0-9](?![0-9])"
)
_NOT_BEFORE_PHONE = frozenset("+,/-")
# Dates and times look like digit groups to the phone matcher; where a candidate was
# found they are blanked out and the candidates looked for again.
_DATE_OR_TIME = re.compile(
    r"""
    [0-9](?<![0-9.,/-][0-9])
    (?:
        [0-9]?(?P<sep>[-/.])[0-9]{1,2}(?P=sep)(?:[0-9]{4}|[0-9]{2})
      | [0-9]{3}-[0-9]{1,2}-[0-9]{1,2}
      | [0-9]?[:.][0-9]{2}(?:[:.][0-9]{2})?
    )
    (?![0-9.,/-][0-9]|[0-9])
    """,
    re.VERBOSE,
)
_NOT_PERSONAL_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    }
)

# local@domain.tld, found from the "@": the domain after it, then the local part before
# it (at most 64 characters, the RFC 5321 limit), not preceded by "@" (a Fediverse
# handle) nor by a word character.
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-]|@)")
_LOCAL_PART_CHARACTERS = frozenset("._%+-")
_LOCAL_PART_REACH = 64

# A postcode, then a house number after it ("1234 AB 56") or before it ("Hoofdstraat 12,
# 1234 AB"), with the capitalised street word before that number taken along.
_POSTCODE = re.compile(
    rf"(?P<digits>[1-9](?<![\w.,/-][1-9])[0-9]{{3}}){_SPACE}?(?P<letters>[A-Z]{{2}})(?!\w)"
)
_HOUSE_NUMBER = r"[0-9]{1,5}(?:-?[A-Za-z](?!\w)|-[0-9]{1,4})?"
_NUMBER_AFTER_POSTCODE = re.compile(rf"(?:,{_SPACE}*|{_SPACE}+){_HOUSE_NUMBER}(?![\w:]|[.,][0-9])")
_NUMBER_BEFORE_POSTCODE = re.compile(
    rf"""
    (?:(?<![\w-])(?P<street>[A-Z][^\W\d_]*(?:[-'][^\W\d_]+)*){_SPACE}+)?
    (?<![\w.,/-]){_HOUSE_NUMBER}(?:,\s*|\s+)\Z
    """,
    re.VERBOSE,
)
_ADDRESS_REACH = 60
_NOT_A_HOME = frozenset({"postbus", "antwoordnummer"})


def find_personal_data(text: str, kinds: Iterable[str] = KINDS) -> list[PersonalData]:
    """Every piece of personal data of the given kinds in ``text``, sorted by start.

    Overlapping findings are reported once: the longest span, and at equal length the
    most specific kind. A bare string is taken as one kind. Raises ``ValueError`` for
    an unknown kind.
    """
    wanted = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    for kind in wanted:
        if kind not in _FINDERS:
            raise ValueError(f"unknown personal data kind: {kind!r}")
    has_digit = _HAS_DIGIT.search(text) is not None
    has_at = "@" in text
    found: list[PersonalData] = []
    for kind in dict.fromkeys(wanted):
        if kind == EMAIL:
            if not has_at:
                continue
        elif not has_digit:
            continue
        found.extend(_FINDERS[kind](text))
    return _without_overlaps(found)


def _find_bsn(text: str) -> list[PersonalData]:
    found = []
    for match in _BSN.finditer(text):
        if not stdnum_bsn.is_valid(match.group()):
            continue
        start, end = match.span()
        reach = max(0, start - _LABEL_REACH)
        if _AMOUNT_BEFORE.search(text, reach, start) or _AMOUNT_AFTER.match(text, end):
            continue
        if _REFERENCE_BEFORE.search(text, reach, start):
            continue
        found.append(PersonalData(BSN, start, end, match.group()))
    return found


def _find_iban(text: str) -> list[PersonalData]:
    found = []
    resume = 0
    for trigger in _IBAN_TRIGGER.finditer(text):
        start = trigger.start() - 2
        if start < resume:
            continue
        match = _IBAN.match(text, start)
        if match is None:
            continue
        raw = match.group()
        # Drop trailing groups until the rest is valid: the last "group" may be a word.
        while len(_SPACES.sub("", raw)) >= _SHORTEST_IBAN:
            if _is_valid_iban(raw):
                found.append(PersonalData(IBAN, start, start + len(raw), raw))
                resume = start + len(raw)
                break
            cut = max(raw.rfind(" "), raw.rfind("\u00a0"))
            if cut == -1:
                break
            raw = raw[:cut]
    return found


def _is_valid_iban(raw: str) -> bool:
    try:
        schwifty.IBAN(raw.upper())
    except SchwiftyException:
        return False
    return True


def _find_kvk(text: str) -> list[PersonalData]:
    return [
        PersonalData(KVK, match.start(), match.end(), match.group())
        for match in _KVK.finditer(text)
        if _KVK_CONTEXT.search(text, max(0, match.start() - _KVK_CONTEXT_REACH), match.start())
    ]


def _find_phone(text: str) -> list[PersonalData]:
    if _PHONE_CANDIDATE.search(text) is None:
        return []
    searched = _DATE_OR_TIME.sub(lambda match: "_" * len(match.group()), text)
    found = []
    for candidate in _PHONE_CANDIDATE.finditer(searched):
        start, end = candidate.span()
        if start and (text[start - 1] in _NOT_BEFORE_PHONE or _is_word_character(text[start - 1])):
            continue
        matcher = phonenumbers.PhoneNumberMatcher(
            text[start:end], "NL", leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            if phonenumbers.number_type(match.number) in _NOT_PERSONAL_PHONE_TYPES:
                continue
            found.append(
                PersonalData(PHONE, start + match.start, start + match.end, match.raw_string)
            )
    return found


def _find_email(text: str) -> list[PersonalData]:
    found = []
    for domain in _EMAIL_DOMAIN.finditer(text):
        at = start = domain.start()
        reach = max(0, at - _LOCAL_PART_REACH)
        while start > reach and (
            _is_word_character(text[start - 1]) or text[start - 1] in _LOCAL_PART_CHARACTERS
        ):
            start -= 1
        if start == at or (start and (text[start - 1] == "@" or start == reach)):
            continue
        found.append(PersonalData(EMAIL, start, domain.end(), text[start : domain.end()]))
    return found


def _find_postcode(text: str) -> list[PersonalData]:
    found = []
    for postcode in _POSTCODE.finditer(text):
        if not stdnum_postcode.is_valid(postcode.group("digits") + postcode.group("letters")):
            continue
        start, end = postcode.span()
        after = _NUMBER_AFTER_POSTCODE.match(text, end)
        before = _NUMBER_BEFORE_POSTCODE.search(text, max(0, start - _ADDRESS_REACH), start)
        if before is not None and (before.group("street") or "").lower() in _NOT_A_HOME:
            before = None
        if before is None and after is None:
            continue
        if before is not None:
            start = before.start()
        if after is not None:
            end = after.end()
        found.append(PersonalData(POSTCODE, start, end, text[start:end]))
    return found


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


_FINDERS = {
    BSN: _find_bsn,
    IBAN: _find_iban,
    KVK: _find_kvk,
    PHONE: _find_phone,
    EMAIL: _find_email,
    POSTCODE: _find_postcode,
}


def _without_overlaps(found: list[PersonalData]) -> list[PersonalData]:
    kept: list[PersonalData] = []
    for item in sorted(found, key=lambda f: (f.start - f.end, _SPECIFICITY[f.kind], f.start)):
        if all(item.end <= other.start or other.end <= item.start for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)

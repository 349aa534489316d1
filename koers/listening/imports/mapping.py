"""The mapping step: which column of the file is which field of a mention, and turning
one row into a ``RawMention`` or into errors that say what to do.

Only ``text`` is required. Without a date column a mention is dated at the import;
without an id column its external id is a stable hash of (author, date, text), so the
same file imported twice is stored once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, tzinfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.platforms.base import RawMention

# Mention field → label shown in the mapping step.
FIELDS = {
    "text": gettext_lazy("Text"),
    "published_at": gettext_lazy("Date"),
    "author": gettext_lazy("Author (handle)"),
    "author_name": gettext_lazy("Author's name"),
    "url": gettext_lazy("Link"),
    "external_id": gettext_lazy("Id"),
    "title": gettext_lazy("Title"),
    "language": gettext_lazy("Language"),
    "country": gettext_lazy("Country"),
    "author_reach": gettext_lazy("Followers (reach)"),
}
REQUIRED = ("text",)

# Header names per field, normalised (lower case, no accents, letters and digits only).
# Dutch and English, and what Brandwatch, Meltwater, Talkwalker, Coosto and the X and
# Mastodon readers write.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "tekst",
        "bericht",
        "berichttekst",
        "inhoud",
        "content",
        "message",
        "body",
        "post",
        "fulltext",
        "snippet",
        "mention",
        "hitsentence",
        "openingtext",
        "contentsnippet",
        "tweet",
        "tweettext",
        "reactie",
        "toot",
    ),
    "published_at": (
        "date",
        "datum",
        "published",
        "publishedat",
        "publicationdate",
        "publicatiedatum",
        "gepubliceerd",
        "datumtijd",
        "createdat",
        "created",
        "time",
        "tijd",
        "timestamp",
        "datetime",
        "postdate",
        "datepublished",
        "aangemaakt",
    ),
    "author": (
        "author",
        "auteur",
        "user",
        "username",
        "gebruiker",
        "gebruikersnaam",
        "handle",
        "screenname",
        "account",
        "authorhandle",
        "afzender",
        "van",
        "from",
        "twitterscreenname",
        "userscreenname",
        "accountname",
    ),
    "author_name": (
        "authorname",
        "name",
        "naam",
        "fullname",
        "volledigenaam",
        "weergavenaam",
        "displayname",
        "auteursnaam",
        "username.name",
        "usersname",
    ),
    "url": ("url", "link", "permalink", "posturl", "webaddress", "koppeling", "adres", "uri"),
    "external_id": (
        "id",
        "externalid",
        "postid",
        "tweetid",
        "berichtid",
        "guid",
        "idstr",
        "mentionid",
        "resourceid",
        "statusid",
    ),
    "title": ("title", "titel", "headline", "kop", "onderwerp", "subject", "kopregel"),
    "language": ("language", "lang", "taal"),
    "country": ("country", "land", "countrycode", "landcode"),
    "author_reach": (
        "followers",
        "volgers",
        "reach",
        "bereik",
        "followercount",
        "followerscount",
        "audience",
        "aantalvolgers",
        "userfollowerscount",
    ),
}


def normalise(header: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(header)).lower()
    return "".join(c for c in decomposed if c.isalnum() or c == ".")


def suggest_mapping(columns: list[str]) -> dict[str, str]:
    """Mention field → column, for the columns whose header names a field (Dutch or
    English); every column is used once and the first fitting column wins."""
    normalised = [(column, normalise(column)) for column in columns]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    # Exact names first, then a header that starts with a name ("Datum bericht" is a
    # date: Dutch puts the head first here), then one that contains a name.
    for kind in ("exact", "prefix", "contains"):
        for field, names in SYNONYMS.items():
            if field in mapping:
                continue
            for column, norm in normalised:
                if column not in used and _fits(kind, norm, names):
                    mapping[field] = column
                    used.add(column)
                    break
    return mapping


def _fits(kind: str, norm: str, names: tuple[str, ...]) -> bool:
    if kind == "exact":
        return norm in names or norm.rsplit(".", 1)[-1] in names
    long_names = [n for n in names if len(n) >= 4]
    if kind == "prefix":
        return any(norm.startswith(n) for n in long_names)
    return any(n in norm for n in long_names)


@dataclass(frozen=True)
class RowError:
    """One problem in one row, with what to do about it."""

    row: int
    column: str
    value: str
    problem: str
    hint: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(problem)s; %(hint)s") % {
            "row": self.row,
            "column": self.column,
            "problem": self.problem,
            "hint": self.hint,
        }

    def as_dict(self) -> dict:
        return {**asdict(self), "message": str(self)}


# --- values ----------------------------------------------------------------------------

_DUTCH_DATE = re.compile(
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$"
)


def parse_date(value: object, default_tz: tzinfo) -> datetime | None:
    """An aware datetime from ISO 8601 (2026-03-31, 2026-03-31T14:05:00Z), the Dutch
    forms DD-MM-YYYY, DD/MM/YYYY and DD.MM.YYYY with an optional HH:MM(:SS), or an
    Excel date cell; None when it is none of these. Times without a zone are the
    organisation's local time."""
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    else:
        text = str(value).strip()
        if not text:
            return None
        result = _parse_text_date(text)
        if result is None:
            return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=default_tz)
    return result


def _parse_text_date(text: str) -> datetime | None:
    match = _DUTCH_DATE.match(text)
    if match:
        parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
        try:
            return datetime(parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], parts["S"])
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text.replace(" UTC", "+00:00"))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:  # RFC 2822, as feeds and some exports write it
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _reach(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value >= 0 else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return 0
    # Thousands separators either way round: 12.345 or 12,345.
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+|\d+", text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def stable_id(author: str, published: datetime | None, text: str) -> str:
    """An external id for a row without one: the same row gives the same id."""
    moment = published.isoformat() if published else ""
    digest = hashlib.sha256(f"{author}\x1f{moment}\x1f{text}".encode()).hexdigest()
    return f"hash:{digest[:40]}"


# --- a row -----------------------------------------------------------------------------


def convert_row(
    number: int, row: dict, mapping: dict[str, str], *, tz: tzinfo, now: datetime
) -> tuple[RawMention | None, list[RowError]]:
    """One row as a RawMention, or the reasons it cannot be one."""
    errors: list[RowError] = []

    def cell(field: str) -> object:
        column = mapping.get(field)
        return row.get(column, "") if column else ""

    def fail(field: str, value: object, problem: str, hint: str) -> None:
        column = mapping.get(field) or str(FIELDS.get(field, field))
        errors.append(RowError(number, column, _text(value)[:200], problem, hint))

    if "" in row and len(row) == 1:
        fail("text", row[""], _("this line is not a JSON object"), _("fix or remove the line"))
        return None, errors

    text = _text(cell("text"))
    if not text:
        fail(
            "text",
            "",
            _("there is no text"),
            _("every mention needs text: fill it in or leave the row out"),
        )

    published: datetime | None = now
    if "published_at" in mapping:
        raw_date = cell("published_at")
        published = parse_date(raw_date, tz)
        if published is None:
            if _text(raw_date):
                problem = _("'%(value)s' is not a date") % {"value": _text(raw_date)[:40]}
            else:
                problem = _("there is no date")
            fail("published_at", raw_date, problem, _("use DD-MM-YYYY or YYYY-MM-DD"))

    url = _text(cell("url"))
    if url.lower().startswith("www."):
        url = "https://" + url
    if url and not url.lower().startswith(("http://", "https://")):
        fail(
            "url",
            url,
            _("'%(value)s' is not a web address") % {"value": url[:60]},
            _("use a full address starting with https://"),
        )

    reach = _reach(cell("author_reach"))
    if reach is None:
        fail(
            "author_reach",
            cell("author_reach"),
            _("'%(value)s' is not a whole number") % {"value": _text(cell("author_reach"))[:40]},
            _("give the number of followers, such as 1250"),
        )

    language = _text(cell("language")).lower()
    if language and not re.fullmatch(r"[a-z]{2,3}([-_][a-z0-9]{2,4})?", language):
        fail(
            "language",
            language,
            _("'%(value)s' is not a language code") % {"value": language[:40]},
            _("use a code such as nl or en"),
        )

    country = _text(cell("country")).upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        fail(
            "country",
            country,
            _("'%(value)s' is not a country code") % {"value": country[:40]},
            _("use a two-letter code such as NL or BE"),
        )

    if errors:
        return None, errors
    author = _text(cell("author"))
    external_id = _text(cell("external_id")) or stable_id(author, published, text)
    return (
        RawMention(
            external_id=external_id,
            text=text,
            published_at=published,
            url=url,
            author=author,
            author_name=_text(cell("author_name")),
            author_reach=reach or 0,
            title=_text(cell("title")),
            country=country,
            # "en-GB" → "en"; ingest drops the codes that mean "no language" (und, qme…).
            language=re.split(r"[-_]", language)[0],
        ),
        [],
    )

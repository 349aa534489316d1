"""Readers: a file in one of the supported formats → its columns and its rows.

Every reader returns a ``Table``: the column names (for the mapping step) and a
function that yields ``(row_number, {column: value})`` afresh each time it is called
(the importer reads a file twice: once to check it, once to store it). Row numbers are
what the user sees: in a spreadsheet the header is row 1, so the first data row is 2; in
JSON and JSONL the first object is 1.

The X archive and the Mastodon outbox are read into fixed columns (``id``, ``text``,
``date``…) that the mapping step recognises at once.
"""

from __future__ import annotations

import codecs
import csv
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

Row = dict[str, object]
Rows = Iterator[tuple[int, Row]]

FORMATS = ("csv", "xlsx", "json", "jsonl", "x_archive", "mastodon_outbox")
# How many objects of a JSON or JSONL file are looked at to list its columns.
COLUMN_SAMPLE = 200
_SNIFF_BYTES = 64 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be read (wrong format, broken JSON…); the message
    says what to do."""


@dataclass
class Table:
    format: str
    columns: list[str]
    rows: Callable[[], Rows]
    encoding: str = ""
    delimiter: str = ""


def detect_format(path: Path, filename: str = "") -> str:
    """The format, from the name and the first bytes."""
    name = (filename or path.name).lower()
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv.")
        )
    if stripped.startswith(b"window.YTD."):
        return "x_archive"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if stripped.startswith((b"{", b"[")):
        if stripped.startswith(b"{") and b'"OrderedCollection' in head:
            return "mastodon_outbox"
        if stripped.startswith(b"{") and _looks_like_jsonl(stripped):
            return "jsonl"
        return "json"
    return "csv"


def _looks_like_jsonl(head: bytes) -> bool:
    first, _sep, rest = head.partition(b"\n")
    try:
        json.loads(first)
    except ValueError:
        return False
    return rest.lstrip().startswith(b"{") or not rest.strip()


def open_table(path: Path, fmt: str, *, filename: str = "") -> Table:
    """``path`` read as ``fmt`` (see ``FORMATS``); raises ``FileRefused``."""
    readers = {
        "csv": read_csv,
        "xlsx": read_xlsx,
        "json": read_json,
        "jsonl": read_jsonl,
        "x_archive": read_x_archive,
        "mastodon_outbox": read_mastodon_outbox,
    }
    if fmt not in readers:
        raise FileRefused(_("Unknown file format: %(format)s.") % {"format": fmt})
    return readers[fmt](path)


# --- CSV -------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 when the file is that; otherwise cp1252,
    which is what Excel writes on Dutch Windows ("CSV (gescheiden door lijstscheidingsteken)")."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def detect_delimiter(first_line: str) -> str:
    """The separator the header uses most: ";" (Dutch Excel), ",", tab or "|"."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for index, raw in enumerate(names, start=1):
        name = str(raw).strip() if raw is not None else ""
        name = name or _("Column %(number)d") % {"number": index}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


def read_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    # cp1252 leaves five bytes undefined; they become U+FFFD rather than an error.
    errors = "replace" if encoding == "cp1252" else "strict"
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        first_line = handle.readline()
    delimiter = detect_delimiter(first_line)
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        header = next(csv.reader(handle, delimiter=delimiter), None)
    if not header:
        raise FileRefused(_("The file is empty."))
    columns = _unique(header)

    def rows() -> Rows:
        with path.open(encoding=encoding, errors=errors, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            for number, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                yield number, dict(zip(columns, record, strict=False))

    return Table("csv", columns, rows, encoding=encoding, delimiter=delimiter)


# --- XLSX ------------------------------------------------------------------------------


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    def sheet_rows():
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise FileRefused(
                _("The file cannot be read as an Excel workbook (.xlsx): %(error)s")
                % {"error": error}
            ) from None
        try:
            sheet = workbook.worksheets[0]
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            workbook.close()

    header: list[str] = []
    header_row = 0
    for number, values in sheet_rows():
        if any(value not in (None, "") for value in values):
            header, header_row = _unique(list(values)), number
            break
    if not header:
        raise FileRefused(_("The first sheet of the workbook is empty."))

    def rows() -> Rows:
        for number, values in sheet_rows():
            if number <= header_row or not any(v not in (None, "") for v in values):
                continue
            yield number, {c: _cell(v) for c, v in zip(header, values, strict=False)}

    return Table("xlsx", header, rows)


def _cell(value):
    # A whole number typed in Excel arrives as a float (12.0); an id must not become "12.0".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


# --- JSON and JSONL --------------------------------------------------------------------


def _flatten(item: dict, prefix: str = "") -> Row:
    """Nested objects one level down become "user.name" columns."""
    row: Row = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not prefix:
            row.update(_flatten(value, prefix=f"{name}."))
        elif isinstance(value, (dict, list)):
            row[name] = json.dumps(value, ensure_ascii=False)
        else:
            row[name] = "" if value is None else value
    return row


def _columns(items) -> list[str]:
    seen: dict[str, None] = {}
    for _number, row in items:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def _load_json(path: Path, text: str | None = None):
    try:
        if text is None:
            with path.open(encoding="utf-8-sig") as handle:
                return json.load(handle)
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise FileRefused(
            _("The file is not valid JSON: %(error)s. Check it, or export it again.")
            % {"error": error}
        ) from None


def _object_list(data) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("mentions", "data", "items", "results", "posts", "orderedItems"):
            if isinstance(data.get(key), list):
                return data[key]
    raise FileRefused(_("The JSON file holds no list of objects (one object per mention)."))


def read_json(path: Path) -> Table:
    items = _object_list(_load_json(path))

    def rows() -> Rows:
        for number, item in enumerate(items, start=1):
            yield number, _flatten(item) if isinstance(item, dict) else {"": item}

    sample = [(n, r) for n, r in rows() if n <= COLUMN_SAMPLE]
    return Table("json", [c for c in _columns(sample) if c], rows)


def read_jsonl(path: Path) -> Table:
    def rows() -> Rows:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except ValueError:
                    # Reported per row by the mapping step.
                    yield number, {"": line.strip()[:200]}
                    continue
                yield number, _flatten(item) if isinstance(item, dict) else {"": item}

    sample = []
    for number, row in rows():
        sample.append((number, row))
        if len(sample) >= COLUMN_SAMPLE:
            break
    return Table("jsonl", [c for c in _columns(sample) if c], rows)


# --- the X archive (tweets.js) ---------------------------------------------------------

X_COLUMNS = ["id", "text", "date", "author", "url", "language", "reply_to"]
_X_PREFIX = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*")


def read_x_archive(path: Path) -> Table:
    """``tweets.js`` from an X (Twitter) archive: ``window.YTD.tweets.part0 = [...]``.
    The archive's tweets carry no author (that is in account.js): give one in the
    mapping step if you want it. X escapes &, < and > in the text; we undo that."""
    with path.open(encoding="utf-8-sig") as handle:
        text = _X_PREFIX.sub("", handle.read(), count=1)
    items = _object_list(_load_json(path, text))

    def rows() -> Rows:
        for number, item in enumerate(items, start=1):
            tweet = item.get("tweet", item) if isinstance(item, dict) else {}
            tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
            created = tweet.get("created_at") or ""
            try:
                date: object = datetime.strptime(created, "%a %b %d %H:%M:%S %z %Y")
            except (TypeError, ValueError):
                date = created
            yield (
                number,
                {
                    "id": tweet_id,
                    "text": html.unescape(tweet.get("full_text") or tweet.get("text") or ""),
                    "date": date,
                    "author": "",
                    "url": f"https://x.com/i/web/status/{tweet_id}" if tweet_id else "",
                    "language": tweet.get("lang") or "",
                    "reply_to": tweet.get("in_reply_to_screen_name") or "",
                },
            )

    return Table("x_archive", X_COLUMNS, rows)


# --- a Mastodon outbox (outbox.json) ---------------------------------------------------

MASTODON_COLUMNS = ["id", "text", "date", "author", "url", "language", "title"]
_POST_TYPES = {"Note", "Article", "Page", "Question"}


class _TextOf(HTMLParser):
    """Mastodon's HTML content as plain text: paragraphs and line breaks kept."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "".join(self.parts)).strip()


def html_to_text(value: str) -> str:
    parser = _TextOf()
    parser.feed(value or "")
    parser.close()
    return parser.text()


def actor_handle(actor: str) -> str:
    """https://mastodon.social/users/koers → @koers@mastodon.social"""
    parts = urlsplit(actor or "")
    name = parts.path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
    return f"@{name}@{parts.hostname}" if name and parts.hostname else actor or ""


def _url_of(value) -> str:
    # ActivityStreams allows a string, a Link object or a list of either.
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("href", "")
    return value if isinstance(value, str) else ""


def read_mastodon_outbox(path: Path) -> Table:
    """``outbox.json`` from a Mastodon account export: an ActivityPub
    OrderedCollection of activities. Posts are the ``Create`` activities of a Note (or
    Article, Page, Question); boosts (``Announce``) are not the account's own words and
    are skipped."""
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("orderedItems"), list):
        raise FileRefused(_("This is not a Mastodon outbox: it has no orderedItems."))
    items = data["orderedItems"]

    def rows() -> Rows:
        for number, activity in enumerate(items, start=1):
            if not isinstance(activity, dict) or activity.get("type") != "Create":
                continue
            post = activity.get("object")
            if not isinstance(post, dict) or post.get("type") not in _POST_TYPES:
                continue
            content_map = post.get("contentMap") or {}
            yield (
                number,
                {
                    "id": post.get("id") or activity.get("id") or "",
                    "text": html_to_text(post.get("content") or ""),
                    "date": post.get("published") or activity.get("published") or "",
                    "author": actor_handle(post.get("attributedTo") or activity.get("actor")),
                    "url": _url_of(post.get("url")) or post.get("id") or "",
                    "language": next(iter(content_map), ""),
                    # The content warning, when there is one.
                    "title": post.get("summary") or "",
                },
            )

    return Table("mastodon_outbox", MASTODON_COLUMNS, rows)

"""Translations: the Dutch catalogue is complete, compiled and up to date with the source,
and the interface follows the person's language choice, then the organisation's default.

After changing UI text: ``make messages``, translate the new entries in
koers/locale/nl/LC_MESSAGES/django.po, and ``make messages`` again to compile them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse
from django.utils.text import unescape_string_literal

from koers.orgs.capabilities import Role
from koers.tests import needs

KOERS_DIR = Path(__file__).resolve().parents[1]
PO_PATH = KOERS_DIR / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
MAKEMESSAGES = ["makemessages", "--locale", "nl", "--no-obsolete", "--no-location"]
MAKEMESSAGES += ["--ignore", "tests/*"]
UPDATE_HINT = "run `make messages` and translate the new entries in koers/locale/nl"

# %(name)s, %s, %d, ... and str.format-style {name}
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def entries(catalogue) -> list:
    return [entry for entry in catalogue if not entry.obsolete]


def is_translated(entry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def key(entry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def translations(catalogue) -> dict:
    """(context, msgid) → msgstr, or the tuple of plural forms; only what msgfmt compiles
    (translated and not fuzzy)."""
    result = {}
    for entry in entries(catalogue):
        if "fuzzy" in entry.flags or not is_translated(entry):
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[key(entry)] = (entry.msgid_plural or None, value)
    return result


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


# -- the catalogue itself ---------------------------------------------------------------


def test_catalogue_header(po):
    assert po.metadata["Language"] == "nl"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Project-Id-Version"].startswith("Koers")


def test_every_entry_is_translated_and_none_is_fuzzy(po):
    assert entries(po), "the Dutch catalogue is empty"
    fuzzy = [entry.msgid for entry in entries(po) if "fuzzy" in entry.flags]
    untranslated = [entry.msgid for entry in entries(po) if not is_translated(entry)]
    assert not fuzzy, f"fuzzy entries in {PO_PATH.name} (check them, drop the flag): {fuzzy}"
    assert not untranslated, f"untranslated entries in {PO_PATH.name}: {untranslated}"


def test_translations_keep_the_placeholders(po):
    wrong = []
    for entry in entries(po):
        if entry.msgid_plural:
            # The singular form may spell the number out ("één"), the plural must not.
            expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            forms = list(entry.msgstr_plural.values())
            found = set().union(*(placeholders(form) for form in forms))
            if found != expected or placeholders(forms[-1]) != placeholders(entry.msgid_plural):
                wrong.append((entry.msgid, forms))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, f"translations that lose or add placeholders: {wrong}"


def test_committed_mo_matches_the_po(po):
    assert MO_PATH.exists(), f"{MO_PATH.name} is missing: {UPDATE_HINT}"
    mo = polib.mofile(str(MO_PATH))
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]
    assert translations(mo) == translations(po), (
        f"{MO_PATH.name} is not compiled from the current {PO_PATH.name}: run `make messages`"
    )


# -- the catalogue against the source ---------------------------------------------------


def test_every_translatable_string_in_the_source_is_in_the_catalogue(po, tmp_path):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        needs.missing("GNU gettext (xgettext, msgmerge) is not installed: cannot extract messages")

    # makemessages on a copy, so the real catalogue is never touched; PYTHONPATH makes
    # the subprocess import that copy, so its LOCALE_PATHS point into the copy too.
    copy = tmp_path / "src" / "koers"
    shutil.copytree(
        KOERS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "koers-data")
    )
    env = dict(os.environ)  # keeps the KOERS_* variables koers/tests/plugin.py set
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(copy.parent), env.get("PYTHONPATH")]))
    fresh_path = copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    for compiled in fresh_path.parent.glob("django.*"):
        compiled.unlink()  # extract from scratch, no merge with the committed entries
    before = PO_PATH.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    assert PO_PATH.read_bytes() == before, "makemessages wrote to the real catalogue"
    assert fresh_path.exists(), f"makemessages wrote no catalogue into the copy:\n{result.stderr}"

    fresh = polib.pofile(str(fresh_path))
    assert entries(fresh), "makemessages found no translatable strings"
    committed = {key(entry) for entry in entries(po)}
    missing = sorted(
        (entry.msgid for entry in entries(fresh) if key(entry) not in committed), key=str
    )
    assert not missing, f"strings missing from the Dutch catalogue ({UPDATE_HINT}): {missing}"


def _template_files():
    for root in [KOERS_DIR / "templates", *KOERS_DIR.glob("*/templates")]:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt"} and path.is_file():
                yield path


def test_template_translate_tags_are_found_under_the_same_msgid(po):
    """{% translate %} looks a literal up with its escapes undone; makemessages does not
    understand escaped quotes and would extract a different (cut-off) msgid. Use the other
    kind of quote around such text instead, e.g. {% translate 'run "koers"' %}."""
    catalogue = {key(entry) for entry in entries(po)}
    missing = []
    for path in _template_files():
        for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
            if token.token_type != TokenType.BLOCK:
                continue
            bits = token.split_contents()
            if bits[0] not in {"translate", "trans"} or len(bits) < 2 or bits[1][0] not in "\"'":
                continue
            context = None
            if "context" in bits[2:]:
                context = unescape_string_literal(bits[bits.index("context", 2) + 1])
            msgid = unescape_string_literal(bits[1])
            if (context, msgid) not in catalogue:
                where = f"{path.relative_to(KOERS_DIR)}:{token.lineno}"
                missing.append(f"{where}: {msgid!r}")
    assert not missing, (
        "these {% translate %} texts are not in the catalogue under the text the template "
        f"looks up ({UPDATE_HINT}; escaped quotes need the other kind of quote): {missing}"
    )


# -- rendering ---------------------------------------------------------------------------


def _dashboard(cast) -> str:
    return reverse("home:dashboard", args=[cast.a.org.slug])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def fresh_client(cast):
    """The owner of organisation A, logged in, without a language choice (the shared
    ``client`` fixture has chosen English)."""
    client = Client()
    client.force_login(cast.a[Role.OWNER].user)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    return client


def test_dashboard_is_dutch_by_default(fresh_client, cast):
    assert settings.LANGUAGE_CODE == "nl"
    page = _page(fresh_client, _dashboard(cast))
    assert '<html lang="nl">' in page
    for label in ("Overzicht", "Strategie", "Draagvlak", "Leden", "Afdelingen", "Uitloggen"):
        assert label in page, f"{label!r} missing from the Dutch dashboard"
    for english in ("Strategy", "Members", "Log out"):
        assert english not in page


def test_choosing_english_switches_the_interface(fresh_client, cast):
    url = _dashboard(cast)
    assert "Strategie" in _page(fresh_client, url)
    response = fresh_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = _page(fresh_client, url)
    assert '<html lang="en">' in page
    for label in ("Overview", "Strategy", "Support", "Members", "Departments", "Log out"):
        assert label in page, f"{label!r} missing from the English dashboard"
    for dutch in ("Strategie", "Draagvlak", "Leden"):
        assert dutch not in page

    fresh_client.post(reverse("set_language"), {"language": "nl", "next": url})
    assert "Strategie" in _page(fresh_client, url)


def test_organisation_default_language_applies_without_a_choice(fresh_client, cast):
    cast.a.org.default_language = "en"
    cast.a.org.save()

    page = _page(fresh_client, _dashboard(cast))
    assert '<html lang="en">' in page
    for label in ("Strategy", "Support", "Members"):
        assert label in page
    assert "Strategie" not in page


def test_own_choice_wins_over_the_organisation_default(fresh_client, cast):
    cast.a.org.default_language = "en"
    cast.a.org.save()
    fresh_client.post(reverse("set_language"), {"language": "nl"})

    page = _page(fresh_client, _dashboard(cast))
    for label in ("Strategie", "Draagvlak", "Leden"):
        assert label in page


def test_english_client_fixture_reads_english(owner_client, cast):
    """The shared ``client`` (and so ``owner_client``) has chosen English on purpose."""
    page = _page(owner_client, _dashboard(cast))
    assert "Strategy" in page
    assert "Strategie" not in page

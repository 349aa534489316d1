"""Fields: author:, site:, url:, lang:, country:, title:, group:."""

import pytest

from koers.query import Document, compile


def matches(query: str, **fields) -> bool:
    return compile(query).matches(Document(**fields))


@pytest.mark.parametrize(
    ("query", "author", "expected"),
    [
        ("author:nos", "NOS", True),
        ("author:nos", "@nos", True),
        ("author:@nos", "nos", True),
        ("author:nos", "nosjournaal", False),
        ('author:"Jan de Vries"', "jan  de vries", True),
        ('author:"Jan de Vries"', "Jan de Vries-Bakker", False),
        ("author:Zoë", "zoe", True),
        ("author:nos*", "nosjournaal", True),
        ("author:nos*", "denos", False),
        ("author:j?n", "Jan", True),
    ],
)
def test_author(query, author, expected):
    assert matches(query, author=author) is expected


@pytest.mark.parametrize(
    ("query", "fields", "expected"),
    [
        ("site:nos.nl", {"site": "nos.nl"}, True),
        ("site:nos.nl", {"site": "www.nos.nl"}, True),
        ("site:nos.nl", {"site": "sport.nos.nl"}, True),
        ("site:nos.nl", {"site": "notnos.nl"}, False),
        ("site:nos.nl", {"site": "nos.nl.evil.com"}, False),
        ("site:NOS.nl", {"site": "WWW.NOS.NL"}, True),
        ("site:www.nos.nl", {"site": "nos.nl"}, True),
        ("site:https://nos.nl/nieuws", {"site": "www.nos.nl"}, True),
        ("site:nos.nl", {"url": "https://www.nos.nl/artikel/1"}, True),
        ("site:nos.nl", {"url": "https://notnos.nl/artikel/1"}, False),
        ("site:nos.nl", {}, False),
    ],
)
def test_site_is_the_domain_and_its_subdomains(query, fields, expected):
    assert matches(query, **fields) is expected


@pytest.mark.parametrize(
    ("query", "url", "expected"),
    [
        ("url:nos.nl/nieuws", "https://nos.nl/nieuws/2024/x", True),
        ("url:https://nos.nl", "https://nos.nl/nieuws", True),
        ("url:NOS.nl/Nieuws", "https://nos.nl/nieuws", True),
        ("url:nos.nl/sport", "https://nos.nl/nieuws", False),
        ("url:/artikel/", "https://www.ad.nl/artikel/123", True),
        ('url:"a b"', "https://x.nl/a b", True),
        ("(url:wiki_(nl) OR koers)", "https://x.nl/wiki_(nl)", True),
    ],
)
def test_url_is_a_case_insensitive_substring(query, url, expected):
    assert matches(query, url=url) is expected


@pytest.mark.parametrize(
    ("query", "fields", "expected"),
    [
        ("lang:nl", {"lang": "nl"}, True),
        ("lang:nl", {"lang": "NL"}, True),
        ("lang:nl", {"lang": "nl-BE"}, True),
        ("lang:nl", {"lang": "en"}, False),
        ("lang:nl-be", {"lang": "nl_BE"}, True),
        ("lang:nl-be", {"lang": "nl"}, False),
        ("lang:nl", {}, False),
        ("country:be", {"country": "BE"}, True),
        ("country:be", {"country": "nl"}, False),
        ("koers AND (lang:nl OR lang:en)", {"text": "koers", "lang": "en"}, True),
        ("koers NOT country:be", {"text": "koers", "country": "be"}, False),
        ("koers NOT country:be", {"text": "koers", "country": "nl"}, True),
    ],
)
def test_lang_and_country(query, fields, expected):
    assert matches(query, **fields) is expected


@pytest.mark.parametrize(
    ("query", "fields", "expected"),
    [
        ("title:koers", {"title": "Nieuwe koers", "text": "x"}, True),
        ("title:koers", {"title": "Nieuws", "text": "koers"}, False),
        ('title:"nieuwe koers"', {"title": "De nieuwe koers"}, True),
        ('title:"nieuwe koers"', {"title": "nieuwe", "text": "koers"}, False),
        ("title:(koers OR fiets)", {"title": "fiets!"}, True),
        ("title:(koers OR fiets)", {"text": "fiets!"}, False),
        ("title:koer* AND fiets", {"title": "Koersen", "text": "fiets"}, True),
        ("title:{NOS}", {"title": "nos"}, False),
        ("title:{NOS}", {"title": "NOS meldt"}, True),
        ("title:(koers NEAR/1 fiets)", {"title": "koers en fiets"}, True),
        ("fiets NOT title:koers", {"title": "koers", "text": "fiets"}, False),
        ("fiets NOT title:koers", {"title": "x", "text": "fiets koers"}, True),
        ("title:raw:C++", {"title": "C++ nieuws", "text": "x"}, True),
        ("title:raw:C++", {"title": "nieuws", "text": "C++"}, False),
    ],
)
def test_title_restricts_to_the_title(query, fields, expected):
    assert matches(query, **fields) is expected


@pytest.mark.parametrize(
    ("query", "groups", "expected"),
    [
        ("group:pers", {"Pers"}, True),
        ('group:"Medewerkers Zwolle"', {"medewerkers  zwolle"}, True),
        ('group:"Medewerkers Zwolle"', {"Medewerkers"}, False),
        ("group:pers", set(), False),
        ("group:cliënten", {"Clienten", "Pers"}, True),
    ],
)
def test_group(query, groups, expected):
    assert matches(query, groups=frozenset(groups)) is expected


def test_pure_field_queries_are_allowed():
    assert matches("site:nos.nl AND lang:nl", site="nos.nl", lang="nl")
    assert not matches("site:nos.nl AND lang:nl", site="nos.nl", lang="en")

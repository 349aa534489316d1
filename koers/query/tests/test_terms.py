"""Terms, hashtags, mentions, phrases, windows, NEAR, wildcards, braces, raw: and comments."""

import pytest

from koers.query import Document, compile


def matches(query: str, text: str = "", **fields) -> bool:
    return compile(query).matches(Document(text=text, **fields))


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koers", "Koers bepalen", True),
        ("koers", "KOERS!", True),
        ("koers", "koersen", False),
        ("koers", "dekoers", False),
        ("koers", "", False),
        ("café", "Naar het cafe", True),
        ("cafe", "Naar het Café", True),
        ("CAFÉ", "naar het café", True),
        ("ideeën", "goede ideeen", True),
        ("één", "een keer", True),
        ("straße", "Strasse", True),
        ("fiets", "Mijn fiets, mijn vrijheid", True),
        ("fiets", "fietsen", False),
        ("and", "rock and roll", True),
        ("and", "rock AND roll", True),
    ],
)
def test_plain_terms_are_whole_tokens_case_and_accent_insensitive(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koers", "Volg #koers", True),
        ("koers", "Volg #Koers vandaag", True),
        ("koers", "Volg #koersnl", False),
        ("#koers", "Volg #Koers", True),
        ("#koers", "Volg koers", False),
        ("#koers", "Volg #koersen", False),
        ("#café", "#cafe", True),
        ("@nos", "Dank @NOS", True),
        ("@nos", "Dank nos", False),
        ("nos", "Dank @nos", False),
        ("@nos", "mail nos@example.nl", False),
        ("@alice", "Hoi @alice@mastodon.social", True),
        ("@alice@mastodon.social", "Hoi @alice@mastodon.social", True),
        ("@alice@mastodon.social", "Hoi @alice@other.social", False),
        ("@alice", "Hoi @alicia", False),
    ],
)
def test_hashtags_and_mentions(query, text, expected):
    assert matches(query, text) is expected


def test_explicit_hashtags_and_mentions_count_without_text():
    document = Document(
        text="Mooie dag", hashtags=frozenset({"Koers"}), mentions=frozenset({"nos"})
    )
    assert compile("#koers").matches(document)
    assert compile("koers").matches(document)
    assert compile("@nos").matches(document)
    assert not compile('"dag koers"').matches(document)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ('"albert heijn"', "Bij Albert Heijn vandaag", True),
        ('"albert heijn"', "Albert, Heijn!", True),
        ('"albert heijn"', "Albert-Heijn", True),
        ('"albert heijn"', "Heijn Albert", False),
        ('"albert heijn"', "Albert van Heijn", False),
        ('"de fiets van oma"', "Ik heb de fiets van Oma geleend", True),
        ('"de fiets van oma"', "de fiets, van... oma", True),
        ('"de fiets van oma"', "de fiets van opa", False),
        ('"café de paris"', "Cafe De Paris", True),
        ('"klant service"', "klantenservice", False),
        ('"ik hou van koers"', "ik hou van #koers", True),
        ("e-bike", "Mijn nieuwe E-bike", True),
        ("e-bike", "Mijn nieuwe e bike", True),
        ("e-bike", "Mijn nieuwe ebike", False),
        ("auto's", "twee auto's", True),
        ("'s-Hertogenbosch", "in 's-Hertogenbosch", True),
    ],
)
def test_phrases_ignore_punctuation_between_words(query, text, expected):
    assert matches(query, text) is expected


def test_phrase_does_not_join_title_and_text():
    document = Document(title="Nieuws over Albert", text="Heijn opent winkel")
    assert not compile('"albert heijn"').matches(document)
    assert compile("albert heijn").matches(document)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ('"koers fiets"~2', "fiets koers", True),
        ('"koers fiets"~2', "koers x fiets", False),
        ('"koers fiets"~3', "koers x fiets", True),
        ('"koers fiets"~3', "fiets x y koers", False),
        ('"koers fiets"~4', "fiets x y koers", True),
        ('"a b c"~3', "c b a", True),
        ('"a b c"~3', "a b x c", False),
        ('"a b c"~4', "a b x c", True),
        ('"a b c"~5', "a b", False),
        ('"koers koers"~3', "koers x y", False),
        ('"koers koers"~3', "koers x koers", True),
        ('"nieuwe fiets"~5', "een fiets, gloednieuw en nieuwe", True),
        ('"fiets"~3', "fiets", True),
        ('"ha ha ha ha ha ha ha ha ha ha"~18', " ".join(["ha", "x"] * 200), False),
        ('"ha ha ha ha ha ha ha ha ha ha"~19', " ".join(["ha", "x"] * 200), True),
    ],
)
def test_words_in_any_order_within_a_window(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koers NEAR/0 fiets", "koers fiets", True),
        ("koers NEAR/0 fiets", "fiets koers", True),
        ("koers NEAR/0 fiets", "koers de fiets", False),
        ("koers NEAR/2 fiets", "koers a b fiets", True),
        ("koers NEAR/2 fiets", "koers a b c fiets", False),
        ("koers NEAR/2 fiets", "fiets a b koers", True),
        ("koers NEAR/2 fiets", "fiets a b c koers", False),
        ("koers NEAR/2f fiets", "koers a b fiets", True),
        ("koers NEAR/2f fiets", "fiets a b koers", False),
        ("koers NEAR/2f fiets", "fiets koers a fiets", True),
        ("koers NEAR/3f fiets", "koers a b c d fiets", False),
        ('"albert heijn" NEAR/2 bezorging', "Albert Heijn en de bezorging", True),
        ('"albert heijn" NEAR/1 bezorging', "bezorging door Albert Heijn", True),
        ('"albert heijn" NEAR/0 bezorging', "bezorging door Albert Heijn", False),
        ('"albert heijn" NEAR/1 bezorging', "bezorging, Albert Heijn", True),
        ('"albert heijn" NEAR/0f bezorging', "Albert Heijn bezorging", True),
        ("(jumbo OR lidl) NEAR/3 (storing OR klacht)", "Bij Lidl weer een storing", True),
        (
            "(jumbo OR lidl) NEAR/3 (storing OR klacht)",
            "Jumbo heeft nooit een probleem of storing",
            False,
        ),
        ('(jumbo OR "albert heijn") NEAR/1f klacht', "albert heijn klacht", True),
        ("koers NEAR/1 koers", "koers", False),
        ("koers NEAR/1 koers", "koers en koers", True),
        ("koer* NEAR/2 fiets", "koersen met de fiets", True),
        ("#koers NEAR/1 fiets", "#koers fiets", True),
        ("#koers NEAR/1 fiets", "koers fiets", False),
    ],
)
def test_near_distances_and_order(query, text, expected):
    assert matches(query, text) is expected


def test_near_does_not_reach_from_title_into_text():
    document = Document(title="koers", text="fiets")
    assert not compile("koers NEAR/1000 fiets").matches(document)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koer*", "koers", True),
        ("koer*", "Koersen", True),
        ("koer*", "koer", True),
        ("koer*", "koe", False),
        ("koer*", "dekoers", False),
        ("koer*", "#koersnl", True),
        ("#koer*", "koersnl", False),
        ("#koer*", "#KoersNL", True),
        ("@nos*", "@nosjournaal", True),
        ("@nos*", "nosjournaal", False),
        ("café*", "Cafetaria", True),
        ("k?ers", "koers", True),
        ("k?ers", "kaers", True),
        ("k?ers", "kers", False),
        ("k?ers", "kooers", False),
        ("k??rs", "koers", True),
        ("fiets?", "fietsen", False),
        ("fiets?", "fietsr", True),
        ("caf?", "café", True),
        ("koe?s*", "koersen", True),
        ('"nieuwe fiets*"', "nieuwe fietsenstalling", True),
        ('"nieuwe fiets*"', "nieuwe auto fiets", False),
    ],
)
def test_wildcards(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("{Apple}", "Apple Pay", True),
        ("{Apple}", "an apple a day", False),
        ("{Apple}", "APPLE", False),
        ("{Apple}", "Apples", False),
        ("{Apple}", "#Apple", True),
        ("{Café}", "Cafe", True),
        ("{Café}", "café", False),
        ("{ING}", "Bankieren bij ING", True),
        ("{ING}", "lopend ing", False),
        ("{Albert Heijn}", "Albert Heijn", True),
        ("{Albert Heijn}", "albert Heijn", False),
        ("{App*}", "Apples", True),
        ("{App*}", "apples", False),
    ],
)
def test_braces_are_case_sensitive_whole_tokens(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("raw:Google+", "Ik gebruik google+ nog", True),
        ("raw:Google+", "Ik gebruik GOOGLE+", True),
        ("raw:Google+", "Ik gebruik google nog", False),
        ("raw:Google+", "Ik gebruik Googleplus", False),
        ("raw:Google+", "Ik gebruik myGoogle+", False),
        ("raw:C++", "Wij zoeken C++ programmeurs", True),
        ("raw:C++", "Wij zoeken C programmeurs", False),
        ("raw:C#", "Vacature C# developer", True),
        ("raw:C#", "Vacature C developer", False),
        ("(raw:C++ OR raw:C#) AND vacature", "vacature: C# ontwikkelaar", True),
        ('raw:"R&D afdeling"', "De R&D afdeling groeit", True),
        ('raw:"R&D afdeling"', "De R D afdeling groeit", False),
        ("raw:AT&T", "Bellen met at&t", True),
    ],
)
def test_raw_keeps_special_characters(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koers <<<ons merk>>>", "koers", True),
        ("<<<merk>>> koers <<<en de fiets>>> fiets", "fiets en koers", True),
        ("<<<merk>>> koers <<<en de fiets>>> fiets", "koers", False),
        ('"albert <<<de winkel>>> heijn"', "Albert Heijn", True),
        ("(koers <<<x>>> OR fiets)", "fiets", True),
        ("koers<<<geen spatie>>>", "koers", True),
    ],
)
def test_comments_are_ignored_anywhere(query, text, expected):
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("koers AND fiets", "koers en fiets", True),
        ("koers AND fiets", "koers", False),
        ("koers fiets", "fiets en koers", True),
        ("koers fiets", "fiets", False),
        ("koers OR fiets", "fiets", True),
        ("koers OR fiets", "auto", False),
        ("koers NOT fiets", "koers", True),
        ("koers NOT fiets", "koers fiets", False),
        ("koers AND NOT fiets", "koers fiets", False),
        ("koers -fiets", "koers", True),
        ("koers -fiets", "koers fiets", False),
        ("koers -#fiets", "koers fiets", True),
        ("koers -#fiets", "koers #fiets", False),
        ('koers -"de fiets"', "koers fiets de", True),
        ('koers -"de fiets"', "koers de fiets", False),
        ("koers -(fiets OR auto)", "koers auto", False),
        ("koers -(fiets OR auto)", "koers trein", True),
        ("(koers OR fiets) AND (zwolle OR kampen)", "fiets in Kampen", True),
        ("(koers OR fiets) AND (zwolle OR kampen)", "fiets in Deventer", False),
        ("(koers AND fiets) OR zwolle", "Zwolle", True),
        ("(koers AND fiets) OR zwolle", "koers", False),
        ("koers and fiets", "koers and fiets", True),
        ("koers and fiets", "koers fiets", False),
        ("koers AND NOT NOT fiets", "koers fiets", True),
        ("koers AND NOT NOT fiets", "koers", False),
        ("NOT NOT koers", "koers", True),
        ("koers AND (fiets OR NOT auto)", "koers", True),
        ("koers AND (fiets OR NOT auto)", "koers auto", False),
        ("e-bike -bakfiets", "e-bike", True),
    ],
)
def test_boolean_operators(query, text, expected):
    assert matches(query, text) is expected


def test_terms_search_title_and_text():
    assert matches("koers", "", title="Nieuwe koers")
    assert matches("koers", "Nieuwe koers", title="Titel")


def test_query_keeps_its_text_and_writes_a_canonical_form():
    query = compile("koers  fiets <<<x>>> -auto")
    assert query.text == "koers  fiets <<<x>>> -auto"
    assert str(query) == "koers AND fiets AND NOT auto"
    assert str(compile("(a OR b) NEAR/3f c")) == "(a OR b) NEAR/3f c"
    assert str(compile('title:"nieuwe fiets" AND lang:NL')) == 'title:"nieuwe fiets" AND lang:nl'

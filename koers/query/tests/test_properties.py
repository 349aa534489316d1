"""Property tests: the parser never crashes, and the logic holds on random posts."""

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.query import Document, Matcher, QuerySyntaxError, analyse, compile

SETTINGS = settings(max_examples=200, deadline=None)

WORDS = ["koers", "fiets", "café", "cafe", "zwolle", "kampen", "ideeën", "de", "nos"]
TEXT_TOKENS = [
    *WORDS,
    "Koers",
    "KOERS",
    "koersen",
    "#koers",
    "#Fiets",
    "@nos",
    "@NOS@mastodon.social",
    "e-bike",
    "C++",
    "Café",
]
SEPARATORS = [" ", " ", ", ", "! ", " - ", "\n"]
QUERY_CHARACTERS = '()"{}*?~-#@:<> ANDORTNEARf/0123456789koerslangtiteraw\n'


@st.composite
def texts(draw, min_size: int = 0) -> str:
    tokens = draw(st.lists(st.sampled_from(TEXT_TOKENS), min_size=min_size, max_size=12))
    out = []
    for token in tokens:
        out.append(token)
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


@st.composite
def documents(draw) -> Document:
    return Document(
        text=draw(texts()),
        title=draw(st.one_of(st.just(""), texts())),
        lang=draw(st.sampled_from(["nl", "en", "nl-BE", ""])),
        site=draw(st.sampled_from(["nos.nl", "www.nos.nl", "ad.nl", ""])),
        groups=frozenset(draw(st.sets(st.sampled_from(["Pers", "Klanten"]), max_size=2))),
    )


word = st.sampled_from(WORDS)
phrase = st.lists(word, min_size=2, max_size=3).map(" ".join)
leaves = st.one_of(
    word,
    word.map(lambda w: "#" + w),
    st.just("@nos"),
    st.sampled_from(["koer*", "fiet*", "zwol*", "café*", "k?ers", "fi?ts", "{Koers}", "{KOERS}"]),
    phrase.map(lambda p: f'"{p}"'),
    st.tuples(phrase, st.integers(3, 6)).map(lambda t: f'"{t[0]}"~{t[1]}'),
    st.tuples(word, st.integers(0, 4), st.booleans(), word).map(
        lambda t: f"{t[0]} NEAR/{t[1]}{'f' if t[2] else ''} {t[3]}"
    ),
    st.sampled_from(
        ["lang:nl", "site:nos.nl", "group:pers", "title:koers", 'title:"de koers"', "raw:C++"]
    ),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, children).map(lambda t: f"({t[0]} AND {t[1]})"),
        st.tuples(children, children).map(lambda t: f"({t[0]} OR {t[1]})"),
        st.tuples(children, children).map(lambda t: f"({t[0]} {t[1]})"),
        children.map(lambda c: f"(NOT {c})"),
        children.map(lambda c: f"-{c}"),
    )


expressions = st.recursive(leaves, _combine, max_leaves=8)
# Anchoring with a positive term keeps every query valid (never "only negative").
queries = st.tuples(st.one_of(word, leaves), expressions).map(lambda t: f"{t[0]} AND {t[1]}")


@SETTINGS
@given(st.one_of(st.text(), st.text(alphabet=QUERY_CHARACTERS)))
def test_compile_raises_nothing_but_query_syntax_error(text):
    try:
        query = compile(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.message_en and error.message_nl
    else:
        query.matches(Document(text=text, title=text))


@SETTINGS
@given(queries, documents())
def test_generated_queries_compile_and_their_canonical_form_means_the_same(text, document):
    query = compile(text)
    assert compile(str(query)).matches(document) == query.matches(document)


@SETTINGS
@given(word, expressions, expressions, documents())
def test_de_morgan(anchor, a, b, document):
    assert compile(f"{anchor} AND NOT ({a} OR {b})").matches(document) == compile(
        f"{anchor} AND (NOT {a} AND NOT {b})"
    ).matches(document)
    assert compile(f"{anchor} AND NOT ({a} AND {b})").matches(document) == compile(
        f"{anchor} AND (NOT {a} OR NOT {b})"
    ).matches(document)


@SETTINGS
@given(word, expressions, documents())
def test_double_negation(anchor, a, document):
    plain = compile(f"{anchor} AND {a}").matches(document)
    assert compile(f"{anchor} AND NOT NOT {a}").matches(document) == plain
    assert compile(f"{anchor} AND --{a}").matches(document) == plain
    assert compile(f"{anchor} AND NOT (NOT {a})").matches(document) == plain


@SETTINGS
@given(st.lists(queries, min_size=1, max_size=15), st.lists(documents(), min_size=1, max_size=8))
def test_matcher_agrees_with_one_by_one(texts_, documents_):
    compiled = {number: compile(text) for number, text in enumerate(texts_)}
    matcher = Matcher(compiled)
    for document in documents_:
        analysed = analyse(document)
        expected = {key for key, query in compiled.items() if query.matches_analysed(analysed)}
        assert matcher.match(document) == expected


FIXED = [
    "koers",
    "#koers OR @nos",
    "koer* AND NOT fiets",
    '"de koers"~3',
    "{Koers} NEAR/2 fiets",
    "k?ers",
    "raw:C++",
    "title:koers",
]
FIXED_MATCHER = Matcher({text: compile(text) for text in FIXED})


@SETTINGS
@given(st.text(), st.text())
def test_any_text_can_be_matched_and_the_matcher_agrees(text, title):
    document = Document(text=text, title=title)
    expected = {query for query in FIXED if compile(query).matches(document)}
    assert FIXED_MATCHER.match(document) == expected

"""The combined matcher: same answers as one by one, with work bounded by the post."""

from koers.query import Document, Matcher, compile
from koers.query.matcher import _Costs as Costs
from koers.query.matcher import required

QUERIES = {
    "jumbo": "jumbo OR #jumbo OR @jumbo",
    "ah-bezorging": '("albert heijn" OR appie) AND (bezorging OR levering) NOT vacature',
    "ns-storing": "(ns OR prorail) NEAR/5 (storing OR vertraging)",
    "fiets": "fiets* AND lang:nl",
    "nos": "site:nos.nl AND lang:nl",
    "apple": "{Apple} AND (iphone OR ipad)",
    "koers-titel": "title:koers",
    "glob": "k?ers AND zwolle",
    "raw": "raw:C++ AND vacature",
}


def matcher() -> Matcher[str]:
    return Matcher({key: compile(text) for key, text in QUERIES.items()})


def one_by_one(document: Document) -> set[str]:
    return {key for key, text in QUERIES.items() if compile(text).matches(document)}


DOCUMENTS = [
    Document(text="Vandaag bij #Jumbo geweest"),
    Document(text="Albert Heijn bezorging was te laat"),
    Document(text="Albert Heijn bezorging vacature"),
    Document(text="Weer een storing bij de NS vanochtend"),
    Document(text="NS, ProRail en nog zes woorden verder: een storing"),
    Document(text="Nieuwe fietsenstalling geopend", lang="nl"),
    Document(text="Nieuwe fietsenstalling geopend", lang="en"),
    Document(text="Iets anders", site="www.nos.nl", lang="nl"),
    Document(text="Apple kondigt iPhone aan"),
    Document(text="apple iphone"),
    Document(title="Nieuwe koers", text="bla"),
    Document(title="bla", text="koers"),
    Document(text="Koers naar Zwolle"),
    Document(text="Vacature voor C++ ontwikkelaar"),
    Document(text=""),
]


def test_matcher_agrees_with_one_by_one():
    combined = matcher()
    for document in DOCUMENTS:
        assert combined.match(document) == one_by_one(document), document


def test_matcher_examples():
    combined = matcher()
    assert combined.match(Document(text="Vandaag bij #Jumbo geweest")) == {"jumbo"}
    assert combined.match(Document(text="Albert Heijn bezorging was te laat")) == {"ah-bezorging"}
    assert combined.match(Document(text="Niets te melden")) == set()


def test_only_queries_sharing_a_token_are_evaluated():
    combined = matcher()
    from koers.query import analyse

    # The pure field query has no anchor; it is the only one always tried.
    assert combined.unanchored == 1
    candidates = combined.candidates(analyse(Document(text="zomaar een zin")))
    assert len(candidates) == 1
    candidates = combined.candidates(analyse(Document(text="fietsen in Zwolle")))
    assert len(candidates) == 3  # that one, fiets* and the glob query via "zwolle"


def test_required_anchors():
    costs = Costs(None)

    def anchors(text: str):
        return required(compile(text).root, costs)

    assert anchors("koers") == {("=", "koers")}
    assert anchors("#koers") == {("=", "#koers")}
    assert anchors("@nos") == {("=", "@nos")}
    assert anchors("koer*") == {("^", "koer")}
    assert anchors("k?ers") is None
    assert anchors("koe?s") == {("^", "koe")}
    assert anchors("{Apple}") == {("=", "apple")}
    assert anchors("koers OR fiets") == {("=", "koers"), ("=", "fiets")}
    assert anchors("de AND zeemeeuw") == {("=", "zeemeeuw")}
    assert anchors('"de nieuwe zeemeeuw"') == {("=", "zeemeeuw")}
    assert anchors("koers NOT fiets") == {("=", "koers")}
    assert anchors("lang:nl AND koers") == {("=", "koers")}
    assert anchors("lang:nl") is None
    assert anchors("koers OR lang:nl") is None
    assert anchors("(a OR b) NEAR/3 zeemeeuw") == {("=", "zeemeeuw")}
    assert anchors("title:koers") == {("=", "koers")}


def test_frequencies_choose_the_rarest_anchor():
    queries = {"q": compile("zeemeeuw AND fiets")}
    by_guess = required(queries["q"].root, Costs(None))
    by_count = required(queries["q"].root, Costs({"zeemeeuw": 900, "fiets": 3}))
    assert by_count == {("=", "fiets")}
    assert by_guess in ({("=", "zeemeeuw")}, {("=", "fiets")})
    combined = Matcher(queries, frequencies={"zeemeeuw": 900, "fiets": 3})
    assert combined.match(Document(text="fiets en zeemeeuw")) == {"q"}


def test_matcher_with_integer_keys_and_no_queries():
    assert Matcher({}).match(Document(text="koers")) == set()
    combined = Matcher({1: compile("koers"), 2: compile("#koers")})
    assert combined.match(Document(text="#koers")) == {1, 2}
    assert combined.match(Document(text="koers")) == {1}
    assert len(combined) == 2

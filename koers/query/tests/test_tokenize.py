"""Normalisation and tokenisation: the same rules for posts and queries."""

from koers.query import Document, analyse
from koers.query.tokenize import fold, folded_tokens, hashtags_in, mentions_in, split_tokens


def test_fold_removes_case_and_accents():
    assert fold("Café") == "cafe"
    assert fold("CRÈME brûlée") == "creme brulee"
    assert fold("ideeën") == "ideeen"
    assert fold("één") == "een"
    assert fold("Straße") == "strasse"
    assert fold("ĳs") == "ijs"


def test_words_split_on_punctuation_hyphens_and_apostrophes():
    assert folded_tokens("Auto's, e-bikes en 's-Hertogenbosch!") == [
        "auto",
        "s",
        "e",
        "bikes",
        "en",
        "s",
        "hertogenbosch",
    ]


def test_hashtags_and_mentions_are_special_tokens():
    assert split_tokens("Top #Koers dag @NOS en @alice@mastodon.social") == [
        "Top",
        "#Koers",
        "dag",
        "@NOS",
        "en",
        "@alice@mastodon.social",
    ]


def test_email_and_csharp_are_not_mentions_or_hashtags():
    assert folded_tokens("mail info@koers.nl over C#") == [
        "mail",
        "info",
        "koers",
        "nl",
        "over",
        "c",
    ]


def test_folded_and_cased_tokens_stay_aligned():
    text = "Ĳsselmeer CAFÉ straße #Ideeën"
    assert len(split_tokens(text)) == len(folded_tokens(text)) == 4


def test_hashtags_and_mentions_helpers():
    assert hashtags_in("Wat een #Koers en #café!") == {"koers", "cafe"}
    assert mentions_in("Dank @NOS en @bob@mastodon.social") == {"nos", "bob@mastodon.social"}


def test_document_from_text_fills_hashtags_and_mentions():
    document = Document.from_text("Hallo @nos #koers", lang="nl")
    assert document.hashtags == {"koers"}
    assert document.mentions == {"nos"}
    assert document.lang == "nl"


def test_document_accepts_lists_and_stays_hashable():
    document = Document(text="x", hashtags=["a"], groups=["Pers"])  # type: ignore[arg-type]
    assert document.hashtags == frozenset({"a"})
    assert hash(document)


def test_stream_keys_cover_bare_hashtags_and_mention_local_parts():
    keys = analyse(Document(text="#Koers @alice@mastodon.social fiets")).stream.keys
    assert {"#koers", "koers", "@alice@mastodon.social", "@alice", "fiets"} <= keys
    assert "alice" not in keys


def test_positions_are_built_on_demand_with_a_gap_after_the_title():
    analysed = analyse(Document(title="Nieuwe fiets", text="De fiets is er"))
    index = analysed.stream.index
    assert index["fiets"][0] == 1
    assert index["fiets"][1] > 1000

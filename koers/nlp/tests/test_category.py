"""Category rules: question, complaint, praise, idea, other."""

import pytest

from koers.nlp.category import (
    COMPLAINT,
    IDEA,
    OTHER,
    PRAISE,
    QUESTION,
    categorise,
    categorise_many,
)
from koers.nlp.sentiment import NEGATIVE, analyse


def category(text, lang="nl"):
    return categorise(text, analyse(text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("Hoe laat gaan jullie open?", "nl", QUESTION),
        ("Weet iemand of de winkel in Utrecht zondag open is", "nl", QUESTION),
        ("Kunnen jullie mij vertellen waar mijn pakket is?", "nl", QUESTION),
        ("Al drie dagen een storing, belachelijk", "nl", COMPLAINT),
        ("Waarom werkt de app weer niet?!", "nl", COMPLAINT),
        ("Nog steeds geen reactie op mijn klacht", "nl", COMPLAINT),
        ("Super vriendelijk geholpen door jullie medewerker, bedankt!", "nl", PRAISE),
        ("Chapeau voor de snelle bezorging", "nl", PRAISE),
        ("Tip: maak de app donkere modus", "nl", IDEA),
        ("Zou het niet handig zijn als je met iDEAL kon betalen?", "nl", IDEA),
        ("Wat als jullie ook op zondag bezorgen", "nl", IDEA),
        ("Nieuw bericht op onze blog https://example.nl/?a=1", "nl", OTHER),
        ("De vergadering begint om tien uur", "nl", OTHER),
        ("When does the store open?", "en", QUESTION),
        ("Still waiting for my refund, unacceptable", "en", COMPLAINT),
        ("Thanks for the quick help, great service", "en", PRAISE),
        ("It would be nice if the app had a dark mode", "en", IDEA),
        ("Lovely weather in Amsterdam today", "en", OTHER),
    ],
)
def test_categories(text, lang, label):
    assert category(text, lang).label == label


def test_the_complaint_in_al_drie_dagen_is_negative_too():
    text = "Al drie dagen een storing, belachelijk"
    assert analyse(text, "nl").label == NEGATIVE
    assert category(text).label == COMPLAINT


def test_a_question_mark_in_a_link_is_no_question():
    assert category("Lees ons verslag https://example.nl/page?id=3").label != QUESTION


def test_confidence_is_higher_for_a_clear_case():
    clear = category("Al drie dagen een storing, belachelijk, nog steeds kapot!!")
    doubtful = category("Waarom werkt de app weer niet?")
    assert 0 < doubtful.confidence < clear.confidence <= 1


def test_without_sentiment_the_rules_still_work():
    assert categorise("Hoe laat gaan jullie open?").label == QUESTION
    assert categorise("Tip: een donkere modus").label == IDEA


def test_a_batch_equals_one_by_one():
    texts = ["Hoe laat?", "Bedankt!"]
    sentiments = [analyse(t, "nl") for t in texts]
    assert categorise_many(texts, sentiments) == [
        categorise(t, s) for t, s in zip(texts, sentiments, strict=True)
    ]

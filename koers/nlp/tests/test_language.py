"""Language detection restricted to the monitored languages."""

import pytest

from koers.nlp.language import MAX_LANGUAGES, OFFERED_LANGUAGES, detect, detect_many


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hoe laat gaan jullie morgen open?", "nl"),
        ("Al drie dagen een storing, belachelijk", "nl"),
        ("My parcel still has not arrived, who can help me?", "en"),
        ("Thanks for the quick help this morning", "en"),
        ("RT @kpn: Vanavond onderhoud aan het netwerk https://t.co/abc #storing", "nl"),
    ],
)
def test_dutch_and_english_posts(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "👍👍", "https://example.nl/a?b=c", "@kpn #fail", "ok"]
)
def test_too_short_or_nothing_but_links_and_tags_is_unsure(text):
    assert detect(text) == ""


def test_only_the_monitored_languages_are_answered():
    german = "Die Bahn hat heute wieder Verspätung, das ist wirklich ärgerlich"
    assert detect(german, ("nl", "en", "de")) == "de"
    assert detect(german) in {"nl", "en", ""}  # German is not an option here


def test_one_monitored_language_needs_no_detection():
    assert detect("Any text at all", ("nl",)) == "nl"
    assert detect("?!", ("nl",)) == ""


def test_a_batch_gives_the_same_answers_in_order():
    texts = ["Goedemorgen allemaal, fijne dag!", "Good morning everyone, have a nice day!", ""]
    assert detect_many(texts) == [detect(t) for t in texts] == ["nl", "en", ""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Bahn hat heute wieder Verspätung, das ist wirklich ärgerlich", "de"),
        ("Le train a encore du retard aujourd'hui, c'est vraiment agaçant", "fr"),
        ("El tren llega tarde otra vez hoy, es muy molesto", "es"),
        ("Il treno è di nuovo in ritardo oggi, che fastidio", "it"),
        ("O comboio está atrasado outra vez hoje, que chatice", "pt"),
        ("Pociąg znowu się spóźnia, to naprawdę irytujące", "pl"),
        ("Tren bugün yine gecikti, gerçekten çok sinir bozucu", "tr"),
        ("تأخر القطار مرة أخرى اليوم، هذا مزعج حقا", "ar"),
    ],
)
def test_every_offered_language_is_detected_among_dutch_and_english(text, expected):
    assert expected in OFFERED_LANGUAGES
    assert detect(text, ("nl", "en", expected)) == expected


def test_the_most_languages_an_organisation_may_choose_still_tell_dutch_and_english():
    most = OFFERED_LANGUAGES[:MAX_LANGUAGES]
    assert detect("Hoe laat gaan jullie morgen open?", most) == "nl"
    assert detect("My parcel still has not arrived, who can help me?", most) == "en"

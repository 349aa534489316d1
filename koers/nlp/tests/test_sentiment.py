"""Dutch and English sentiment with negation, intensifiers, complaint words and emoji."""

import pytest

from koers.nlp.sentiment import (
    NEGATIVE,
    NEUTRAL,
    NO_EVIDENCE_CONFIDENCE,
    POSITIVE,
    analyse,
    analyse_many,
    dutch_lexicon,
)


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("goed", "nl", POSITIVE),
        ("niet goed", "nl", NEGATIVE),
        ("Ik ben allerminst tevreden over de bezorging", "nl", NEGATIVE),
        ("Nooit vriendelijk aan de telefoon", "nl", NEGATIVE),
        ("Er was geen storing vandaag", "nl", POSITIVE),
        ("super blij", "nl", POSITIVE),
        ("Wat een slechte service", "nl", NEGATIVE),
        ("Super vriendelijk geholpen, bedankt!", "nl", POSITIVE),
        ("Al drie dagen een storing, belachelijk", "nl", NEGATIVE),
        ("Weer vertraging op het spoor en we staan te wachten", "nl", NEGATIVE),
        ("Mijn pakket is kwijt en de app werkt niet", "nl", NEGATIVE),
        ("Hoe laat gaan jullie open?", "nl", NEUTRAL),
        ("De vergadering begint om tien uur in zaal 3", "nl", NEUTRAL),
        ("Great service, thanks!", "en", POSITIVE),
        ("My package is still not delivered, worst service ever", "en", NEGATIVE),
        ("The internet is not working again, still waiting for a technician", "en", NEGATIVE),
        ("When does the store open?", "en", NEUTRAL),
        ("The food was good, but the service was terrible", "en", NEGATIVE),
    ],
)
def test_labels(text, lang, label):
    assert analyse(text, lang).label == label


def test_negation_flips_and_weakens():
    good, not_good = analyse("goed", "nl"), analyse("niet goed", "nl")
    assert good.score > 0 > not_good.score
    assert abs(not_good.score) < good.score
    # A negated negative word is at most mildly positive.
    assert 0 < analyse("niet slecht", "nl").score < analyse("goed", "nl").score


def test_intensifiers_strengthen_and_are_no_sentiment_alone():
    assert analyse("super blij", "nl").score > analyse("blij", "nl").score
    assert analyse("heel erg blij", "nl").score > analyse("blij", "nl").score
    # "zeer" (pain) and "echt" (genuine) in the lexicon must not colour "zeer goed".
    assert analyse("zeer goed", "nl").score > analyse("goed", "nl").score
    assert analyse("echt", "nl").label == NEUTRAL


def test_inflected_adjectives_are_found():
    assert analyse("slechte", "nl").label == NEGATIVE
    assert analyse("een boze klant", "nl").label == NEGATIVE
    assert analyse("de leukste winkel", "nl").label == POSITIVE


def test_an_emoji_only_text_has_a_polarity():
    assert analyse("😍😍", "nl").label == POSITIVE
    assert analyse("😡", "en").label == NEGATIVE
    assert analyse("👎", "").label == NEGATIVE
    assert analyse(":-)", "nl").label == POSITIVE


def test_emoji_are_counted_once_in_english():
    with_emoji = analyse("Thanks 😍", "en")
    assert with_emoji.score > analyse("Thanks", "en").score


def test_score_and_confidence_stay_in_range_and_evidence_raises_confidence():
    weak = analyse("prima", "nl")
    strong = analyse("Super blij, geweldig geholpen, bedankt! 😍", "nl")
    mixed = analyse("snel maar onvriendelijk", "nl")
    for s in (weak, strong, mixed):
        assert -1 <= s.score <= 1 and 0 <= s.confidence <= 1
    assert strong.confidence > weak.confidence > mixed.confidence


def test_nothing_found_is_neutral_with_little_confidence():
    result = analyse("De trein van 8.14 vertrekt van spoor 5", "nl")
    assert result.label == NEUTRAL and result.score == 0
    assert result.confidence == NO_EVIDENCE_CONFIDENCE


def test_unknown_language_takes_the_analysis_with_more_evidence():
    assert analyse("Wat een waardeloze klantenservice", "").label == NEGATIVE
    assert analyse("What a wonderful day", "").label == POSITIVE


def test_a_batch_equals_one_by_one():
    texts = ["niet goed", "Great!", "Hoe laat?"]
    langs = ["nl", "en", "nl"]
    assert analyse_many(texts, langs) == [
        analyse(t, lang) for t, lang in zip(texts, langs, strict=True)
    ]


def test_the_dutch_lexicon_comes_from_the_installed_package():
    lexicon = dutch_lexicon()
    assert len(lexicon) > 1500
    assert lexicon["slecht"] < 0 < lexicon["goed"]
    assert "storing" in lexicon  # our additions


def test_a_language_without_sentiment_is_neutral_instead_of_a_guess():
    # "Super" and "Service" mean something to the Dutch and English lists; the post does not.
    german = "Super Service, vielen Dank für die schnelle Hilfe!"
    assert analyse(german, "").label == POSITIVE  # unknown language: the best guess stays
    result = analyse(german, "de")
    assert (result.label, result.score, result.confidence) == (
        NEUTRAL,
        0.0,
        NO_EVIDENCE_CONFIDENCE,
    )

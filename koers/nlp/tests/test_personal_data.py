"""Dutch personal data in posts: what is caught, what is left alone, and exact spans."""

import dataclasses

import pytest
import schwifty
from stdnum.nl import bsn

from koers.nlp.personal_data import KINDS, PersonalData, find_personal_data


def found(text, kinds=KINDS):
    """(kind, value) pairs, after checking that every span points at its value."""
    results = find_personal_data(text, kinds)
    for item in results:
        assert text[item.start : item.end] == item.value
    return [(item.kind, item.value) for item in results]


def bsn_ending(prefix):
    """A valid BSN that starts with the eight digits given (the library does the 11-proof)."""
    return next(prefix + digit for digit in "0123456789" if bsn.is_valid(prefix + digit))


# BSN


@pytest.mark.parametrize(
    "written",
    ["111222333", "1112.22.333", "1234.56.782", "111 222 333", "123 456 782", "111-222-333"],
)
def test_a_valid_bsn_is_found_however_it_is_grouped(written):
    assert found(f"Mijn BSN is {written}, toch?") == [("bsn", written)]


def test_a_bsn_made_with_the_library_is_found():
    number = bsn_ending("98765432")
    assert found(f"bsn: {number}") == [("bsn", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Mijn BSN is 123456789.",  # fails the 11-proof
        "Mijn BSN is 111222334.",
        "Nummer 1111222333 is te lang",  # a valid BSN inside a longer run of digits
        "Nummer 11122233344",
        "Code A111222333",
        "Het kost € 111.222.333",  # an amount, not a BSN
        "Het kost 111.222.333,00",
        "Winst: 111222333 euro",
        "Bestelnummer 111222333 is verzonden",
        "Ordernr.: 111222333",
        "Factuur #111222333",
        "Track & Trace 111222333",
    ],
)
def test_what_is_not_a_bsn(text):
    assert found(text, ["bsn"]) == []


# IBAN


@pytest.mark.parametrize(
    "written",
    [
        "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300",
        "nl91abna0417164300",
        "nl91 abna 0417 1643 00",
        str(schwifty.IBAN.generate("NL", bank_code="INGB", account_code="0001234567")),
        "DE89 3704 0044 0532 0130 00",
        "BE68 5390 0754 7034",
        "GB82 WEST 1234 5698 7654 32",
    ],
)
def test_a_valid_iban_is_found(written):
    assert found(f"Maak het over naar {written}. Dank!") == [("iban", written)]


def test_a_four_letter_word_after_an_iban_is_not_part_of_it():
    text = "IBAN BE68 5390 0754 7034 voor de gift"
    assert found(text) == [("iban", "BE68 5390 0754 7034")]


@pytest.mark.parametrize(
    "text",
    [
        "Rekening NL91ABNA0417164301",  # wrong check digits
        "Rekening NL91 ABNA 0417 1643 01",
        "Rekening NL91ABNA0417164300X",  # runs on into a word
        "Versie AB12 CDEF GHIJ KLMN is uit",
    ],
)
def test_what_is_not_an_iban(text):
    assert found(text) == []


def test_the_digits_of_an_iban_are_not_also_a_phone_number_or_bsn():
    text = "IBAN NL91 ABNA 0417 1643 00"
    assert find_personal_data(text) == [PersonalData("iban", 5, 27, "NL91 ABNA 0417 1643 00")]


# KvK


@pytest.mark.parametrize(
    "text",
    [
        "KvK 12345678",
        "KvK-nummer: 12345678",
        "KVK nr 12345678",
        "kvknummer 12345678",
        "K.v.K. 12345678",
        "ingeschreven bij de Kamer van Koophandel onder nummer 12345678",
        "Handelsregister: 12345678",
    ],
)
def test_a_kvk_number_is_found_after_its_label(text):
    assert found(text) == [("kvk", "12345678")]


@pytest.mark.parametrize(
    "text",
    [
        "Al 12345678 keer bekeken",  # eight digits alone
        "De KvK publiceerde vandaag cijfers over het jaar, met daarin 12345678 starters",
        "KvK 123456789",
        "KvK 1234567",
        "KvK 2026: 12345678",  # the label belongs to the year
    ],
)
def test_what_is_not_a_kvk_number(text):
    assert found(text, ["kvk"]) == []


# Phone


@pytest.mark.parametrize(
    "written",
    [
        "06-12345678",
        "06 1234 5678",
        "0612345678",
        "06-1234 5678",
        "(06) 12345678",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)20 123 4567",
        "+31 (0)6-12345678",
        "020-1234567",
        "(020) 123 4567",
        "0031 6 12345678",
        "+32 470 12 34 56",
        "+44 20 7946 0958",
    ],
)
def test_a_phone_number_is_found(written):
    assert found(f"Bel {written} voor info.") == [("phone", written)]


def test_several_phone_numbers_in_one_sentence():
    text = "Bel 06-12345678 of 020-1234567, tel.0612345678"
    assert found(text) == [
        ("phone", "06-12345678"),
        ("phone", "020-1234567"),
        ("phone", "0612345678"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Op 12-05-2026 om 12:30 uur",
        "Op 01-05-2026 09.30-17.00 uur",
        "Open van 09:00 tot 17:00",
        "Vanaf 2026-01-12 om 10:00",
        "Het kost € 1.234.567,89",
        "Het kost €0,99 of € 0,50",
        "Ordernummer: 2024-0012345",
        "Bestelling #100234",
        "Versie 06-1234567",  # one digit short of a mobile number
        "Gratis: 0800-1234, betaald: 0900 1234567",  # organisations' service numbers
    ],
)
def test_what_is_not_a_phone_number(text):
    assert found(text) == []


def test_a_bsn_written_in_groups_is_a_bsn_not_a_phone_number():
    assert found("BSN 111 222 333") == [("bsn", "111 222 333")]


def test_a_phone_number_holding_nine_bsn_like_digits_is_a_phone_number():
    number = bsn_ending("61122330")
    assert found(f"Bel +31 {number}") == [("phone", f"+31 {number}")]
    assert found(f"Bel +31 {number}", ["bsn"]) == [("bsn", number)]


# E-mail


@pytest.mark.parametrize(
    "written",
    [
        "jan@example.nl",
        "jan.jansen@example.nl",
        "j.de-vries+nieuwsbrief@mail.example.co.uk",
        "josé.müller@voorbeeld.nl",
        "user@mastodon.social",  # without the leading "@" it reads as an address
    ],
)
def test_an_email_address_is_found(written):
    assert found(f"Mail ({written}).") == [("email", written)]


@pytest.mark.parametrize(
    "text",
    [
        "Dank @koers en @gemeente!",
        "Volg ons op @koers@mastodon.social",
        "Volg @jan@social.example.nl.",
        "https://mastodon.social/@koers",
        "Mail info@koers",  # no top-level domain
        "a@b.c",
    ],
)
def test_mentions_and_fediverse_handles_are_not_email_addresses(text):
    assert found(text) == []


def test_an_address_next_to_a_handle_is_still_found():
    text = "@koers@mastodon.social of info@koers.nl"
    assert found(text) == [("email", "info@koers.nl")]


# Postcode


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Adres: 1234 AB 56", "1234 AB 56"),
        ("Adres: 1234AB 5a", "1234AB 5a"),
        ("Adres: 1234 AB, 56", "1234 AB, 56"),
        ("Hoofdstraat 12, 1234 AB Zwolle", "Hoofdstraat 12, 1234 AB"),
        ("Wij wonen aan de Dorpsweg 5a 1234 AB", "Dorpsweg 5a 1234 AB"),
        ("Kerkstraat 5\n1234 AB Zwolle", "Kerkstraat 5\n1234 AB"),
        ("Prins Hendrikkade 12-3, 1012 AB Amsterdam", "Hendrikkade 12-3, 1012 AB"),
        ("op nummer 12, 1234 AB", "12, 1234 AB"),
    ],
)
def test_a_postcode_with_a_house_number_is_found(text, value):
    assert found(text) == [("postcode", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Kantoor in 1012 AB Amsterdam",  # a postcode alone: no house number
        "Adres: 1234 SA 5",  # SA, SD and SS are not issued
        "Adres: 1234 SS 5",
        "Adres: 0123 AB 5",  # no postcode starts with 0
        "in 2024 op 5 mei",  # lower case: ordinary words
        "1234 ab 5",
        "10 km en 1234 AB",
        "Postbus 123, 1000 AB Amsterdam",  # an organisation's address
    ],
)
def test_what_is_not_an_address(text):
    assert found(text) == []


# Spans and offsets


def test_spans_are_exact():
    text = "BSN 111222333, bel 06-12345678 of mail jan@example.nl"
    assert find_personal_data(text) == [
        PersonalData("bsn", 4, 13, "111222333"),
        PersonalData("phone", 19, 30, "06-12345678"),
        PersonalData("email", 39, 53, "jan@example.nl"),
    ]


def test_emoji_and_accents_before_a_match_do_not_shift_it():
    # a flag (two code points), a family emoji (a ZWJ sequence), a precomposed "é" and
    # an "e" with a combining accent
    text = "🇳🇱 👨‍👩‍👧 café cafe\u0301 BSN 111222333 en jan@example.nl"
    results = find_personal_data(text)
    assert [(item.kind, item.value) for item in results] == [
        ("bsn", "111222333"),
        ("email", "jan@example.nl"),
    ]
    for item in results:
        assert text[item.start : item.end] == item.value
    assert results[0].start == text.index("111222333")


def test_a_non_breaking_space_inside_a_number_is_kept_in_the_value():
    text = "IBAN NL91\u00a0ABNA\u00a00417\u00a01643\u00a000"
    assert found(text) == [("iban", "NL91\u00a0ABNA\u00a00417\u00a01643\u00a000")]


# The API


def test_everything_at_once_is_sorted_by_start():
    text = (
        "Hoofdstraat 12, 1234 AB Zwolle. KvK 12345678. IBAN NL91ABNA0417164300. "
        "BSN 1112.22.333. Bel +31 6 12345678 of mail jan@example.nl."
    )
    results = find_personal_data(text)
    assert [item.kind for item in results] == [
        "postcode",
        "kvk",
        "iban",
        "bsn",
        "phone",
        "email",
    ]
    assert [item.start for item in results] == sorted(item.start for item in results)


def test_only_the_kinds_asked_for_are_looked_for():
    text = "BSN 111222333, bel 06-12345678 of mail jan@example.nl"
    assert found(text, ["email", "bsn"]) == [("bsn", "111222333"), ("email", "jan@example.nl")]
    assert found(text, iter(["phone"])) == [("phone", "06-12345678")]
    assert found(text, "email") == [("email", "jan@example.nl")]
    assert found(text, []) == []


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="'passport'"):
        find_personal_data("tekst", ["bsn", "passport"])


def test_the_kinds():
    assert KINDS == ("bsn", "iban", "kvk", "phone", "email", "postcode")


def test_a_finding_is_frozen():
    item = PersonalData("bsn", 0, 9, "111222333")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.kind = "iban"


def test_an_empty_text_and_a_text_without_digits_or_at_signs():
    assert find_personal_data("") == []
    assert find_personal_data("Gewoon een zin over onze plannen voor het nieuwe jaar.") == []


def test_a_long_post_without_personal_data():
    # The size a post reaches; its speed is measured outside the test suite.
    paragraph = (
        "Op 12-05-2026 om 14:30 openen we onze nieuwe vestiging! 🎉 Meer dan 250 collega's "
        "werken er aan 3 programma's, met een budget van € 1.234.567,89. Dank aan @gemeente "
        "en @partner@mastodon.social. #koers #2026 Lees het jaarverslag 2025 (pagina 12-14). "
    )
    text = (paragraph * 20)[:3000]
    assert find_personal_data(text) == []

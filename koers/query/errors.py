"""Syntax errors of the query language, in English and Dutch.

Every message lives in one table (``MESSAGES``) so a translator sees them together and
the docs can list them. Dutch uses the informal "je", like the rest of Koers. The error
carries a 0-based character offset so an editor can put the cursor on the problem.
"""

from __future__ import annotations

from typing import Final

# code -> (English, Dutch). Placeholders are filled with str.format(**details).
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "empty": (
        "The query is empty.",
        "Je zoekopdracht is leeg.",
    ),
    "too_long": (
        "The query is longer than {limit} characters.",
        "Je zoekopdracht is langer dan {limit} tekens.",
    ),
    "too_deep": (
        "The query nests parentheses or NOTs too deeply (more than {limit} levels).",
        "Je zoekopdracht nest haakjes of NOTs te diep (meer dan {limit} niveaus).",
    ),
    "unclosed_paren": (
        "This opening parenthesis is never closed.",
        "Dit openingshaakje wordt nergens gesloten.",
    ),
    "unopened_paren": (
        "This closing parenthesis has no opening parenthesis.",
        "Bij dit sluithaakje hoort geen openingshaakje.",
    ),
    "empty_group": (
        "The parentheses contain nothing.",
        "Er staat niets tussen de haakjes.",
    ),
    "unclosed_quote": (
        "This quote is never closed.",
        "Dit aanhalingsteken wordt nergens gesloten.",
    ),
    "unclosed_brace": (
        "This brace is never closed; write {{Term}} for a case-sensitive term.",
        "Deze accolade wordt nergens gesloten; schrijf {{Term}} voor een hoofdlettergevoelige "
        "term.",
    ),
    "unclosed_comment": (
        "This comment is never closed; end it with >>>.",
        "Dit commentaar wordt nergens gesloten; sluit het af met >>>.",
    ),
    "stray_brace": (
        "This closing brace has no opening brace.",
        "Bij deze sluitaccolade hoort geen openingsaccolade.",
    ),
    "empty_phrase": (
        "There are no words between these quotes.",
        "Er staan geen woorden tussen deze aanhalingstekens.",
    ),
    "no_word": (
        "'{text}' contains no letters or digits to search for.",
        "'{text}' bevat geen letters of cijfers om op te zoeken.",
    ),
    "missing_operand_after": (
        "{operator} needs a term after it.",
        "Na {operator} moet nog een term komen.",
    ),
    "missing_operand_before": (
        "{operator} needs a term before it.",
        "Voor {operator} moet een term staan.",
    ),
    "mixed_and_or": (
        "AND and OR are mixed without parentheses; write '{first}' or '{second}'.",
        "Je mengt AND en OR zonder haakjes; schrijf '{first}' of '{second}'.",
    ),
    "only_negative": (
        "This query only says what must not appear; add a term that must appear, "
        "as in koers NOT {example}.",
        "Je zoekopdracht zegt alleen wat er niet in mag staan; voeg een term toe die er "
        "wel in moet staan, zoals koers NOT {example}.",
    ),
    "negative_in_or": (
        "An OR with a NOT part matches nearly every post; move the NOT outside the OR, "
        "as in (a OR b) NOT c.",
        "Een OR met een NOT-deel vindt bijna elk bericht; zet de NOT buiten de OR, "
        "zoals (a OR b) NOT c.",
    ),
    "short_wildcard": (
        "A wildcard needs at least 3 letters before the *, as in koer*.",
        "Een jokerteken heeft minstens 3 letters voor de * nodig, zoals koer*.",
    ),
    "wildcard_position": (
        "* can only end a word, as in koer*; use ? for one character inside a word.",
        "* mag alleen aan het eind van een woord staan, zoals koer*; gebruik ? voor één "
        "teken midden in een woord.",
    ),
    "near_distance": (
        "NEAR needs a distance, such as NEAR/3 or NEAR/3f (f: in this order).",
        "NEAR heeft een afstand nodig, zoals NEAR/3 of NEAR/3f (f: in deze volgorde).",
    ),
    "distance_too_large": (
        "The distance {distance} is too large; the most is {limit}.",
        "De afstand {distance} is te groot; het maximum is {limit}.",
    ),
    "near_operand": (
        "NEAR works on words, phrases and groups like (a OR b) only.",
        "NEAR werkt alleen met woorden, zinnen en groepen als (a OR b).",
    ),
    "near_chain": (
        "Use one NEAR per pair and join pairs with AND, as in (a NEAR/3 b) AND (b NEAR/3 c).",
        "Gebruik één NEAR per paar en verbind paren met AND, zoals (a NEAR/3 b) AND (b NEAR/3 c).",
    ),
    "proximity_syntax": (
        '~ must follow a quoted phrase and be followed by a number, as in "koers fiets"~5.',
        "~ moet direct na een zin tussen aanhalingstekens staan, met een getal erachter, "
        'zoals "koers fiets"~5.',
    ),
    "proximity_window": (
        "The window ~{window} is smaller than the {words} words of the phrase.",
        "Het venster ~{window} is kleiner dan de {words} woorden van de zin.",
    ),
    "missing_field_value": (
        "{field}: needs a value right after the colon, as in {example}.",
        "Na {field}: moet direct een waarde staan, zoals {example}.",
    ),
    "unknown_field": (
        "Unknown field '{field}:'; known fields are {known}.",
        "Onbekend veld '{field}:'; bekende velden zijn {known}.",
    ),
    "invalid_field_value": (
        "'{value}' is not a valid value for {field}:; {hint}",
        "'{value}' is geen geldige waarde voor {field}:; {hint_nl}",
    ),
    "title_content": (
        "title: can hold words, phrases and groups of them, not other fields.",
        "title: kan woorden, zinnen en groepen daarvan bevatten, geen andere velden.",
    ),
}


class QuerySyntaxError(ValueError):
    """A query that cannot be compiled.

    ``position`` is a 0-based character offset into the query text as typed (comments
    included), so an editor can underline the spot. ``str()`` gives the English message;
    ``message_nl`` the Dutch one for the interface.
    """

    def __init__(self, code: str, position: int, **details: object) -> None:
        english, dutch = MESSAGES[code]
        self.code = code
        self.position = position
        self.details = details
        self.message_en = english.format(**details)
        self.message_nl = dutch.format(**details)
        super().__init__(self.message_en)

    def __str__(self) -> str:
        return self.message_en

    def __repr__(self) -> str:
        return f"QuerySyntaxError({self.code!r}, position={self.position})"

"""Every syntax error: its code, its position and both messages."""

import pytest

from koers.query import QuerySyntaxError, compile
from koers.query.errors import MESSAGES


def error(query: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        compile(query)
    return caught.value


@pytest.mark.parametrize(
    ("query", "code", "position"),
    [
        ("", "empty", 0),
        ("   ", "empty", 0),
        ("<<<alleen commentaar>>>", "empty", 0),
        ("(koers", "unclosed_paren", 0),
        ("koers AND (fiets OR (auto)", "unclosed_paren", 10),
        ("koers)", "unopened_paren", 5),
        (")", "unopened_paren", 0),
        ("(koers))", "unopened_paren", 7),
        ("()", "empty_group", 0),
        ("koers AND ()", "empty_group", 10),
        ('"albert heijn', "unclosed_quote", 0),
        ('koers "albert', "unclosed_quote", 6),
        ('author:"Jan', "unclosed_quote", 7),
        ("{Apple", "unclosed_brace", 0),
        ("Apple}", "stray_brace", 5),
        ("koers <<<commentaar", "unclosed_comment", 6),
        ('""', "empty_phrase", 0),
        ('koers " "', "empty_phrase", 6),
        ("{ }", "empty_phrase", 0),
        ("+++", "no_word", 0),
        ("koers AND !!", "no_word", 10),
        ("koers AND", "missing_operand_after", 6),
        ("koers OR", "missing_operand_after", 6),
        ("koers NOT", "missing_operand_after", 6),
        ("koers -", "missing_operand_after", 6),
        ("koers AND OR fiets", "missing_operand_after", 6),
        ("koers AND )", "missing_operand_after", 6),
        ("(koers OR) fiets", "missing_operand_after", 7),
        ("koers NEAR/3", "missing_operand_after", 6),
        ("AND koers", "missing_operand_before", 0),
        ("OR koers", "missing_operand_before", 0),
        ("NEAR/3 koers", "missing_operand_before", 0),
        ("(OR koers)", "missing_operand_before", 1),
        ("koers AND fiets OR auto", "mixed_and_or", 16),
        ("koers OR fiets AND auto", "mixed_and_or", 15),
        ("koers fiets OR auto", "mixed_and_or", 12),
        ("koers OR fiets auto", "mixed_and_or", 15),
        ("koers OR fiets NOT auto", "mixed_and_or", 15),
        ("(a AND b) OR c AND d", "mixed_and_or", 15),
        ("NOT koers", "only_negative", 0),
        ("-koers", "only_negative", 0),
        ("NOT koers AND NOT fiets", "only_negative", 0),
        ("-koers -fiets", "only_negative", 0),
        ("NOT (koers OR fiets)", "only_negative", 0),
        ("NOT lang:nl", "only_negative", 0),
        ("title:(NOT koers)", "only_negative", 7),
        ("koers OR NOT fiets", "negative_in_or", 9),
        ("koers OR -fiets", "negative_in_or", 9),
        ("ko*", "short_wildcard", 2),
        ("k?o*", "short_wildcard", 3),
        ("koers OR #ko*", "short_wildcard", 12),
        ('"de ko*"', "short_wildcard", 6),
        ("k*ers", "wildcard_position", 1),
        ("koe**", "wildcard_position", 3),
        ("koers NEAR fiets", "near_distance", 6),
        ("koers NEAR/ fiets", "near_distance", 6),
        ("koers NEAR/x fiets", "near_distance", 6),
        ("koers NEAR/3x fiets", "near_distance", 6),
        ("koers NEAR/5000 fiets", "distance_too_large", 11),
        ('"koers fiets"~5000', "distance_too_large", 14),
        ("(koers AND auto) NEAR/3 fiets", "near_operand", 0),
        ("koers NEAR/3 NOT fiets", "near_operand", 13),
        ("koers NEAR/3 lang:nl", "near_operand", 13),
        ("koers NEAR/3 (fiets OR NOT auto)", "near_operand", 13),
        ('koers NEAR/3 "a b"~4', "near_operand", 13),
        ("a NEAR/3 b NEAR/3 c", "near_chain", 11),
        ("koers~3", "proximity_syntax", 5),
        ('"koers fiets"~', "proximity_syntax", 13),
        ('"koers fiets"~x', "proximity_syntax", 13),
        ('"koers fiets zwolle"~2', "proximity_window", 0),
        ("lang:", "missing_field_value", 0),
        ("koers lang: nl", "missing_field_value", 6),
        ("(koers site:)", "missing_field_value", 7),
        ("title:", "missing_field_value", 0),
        ("title: koers", "missing_field_value", 0),
        ("koers AND lang:(nl OR en)", "missing_field_value", 10),
        ("taal:nl koers", "unknown_field", 0),
        ("koers Auteur:jan", "unknown_field", 6),
        ("site:nos", "invalid_field_value", 0),
        ("koers lang:nederlands", "invalid_field_value", 6),
        ("koers country:nld", "invalid_field_value", 6),
        ("title:(koers OR lang:nl)", "title_content", 16),
        ("title:lang:nl", "title_content", 6),
        ("title:title:koers", "title_content", 6),
        ("(" * 60 + "koers" + ")" * 60, "too_deep", 51),
        ("koers " + "NOT " * 60 + "fiets", "too_deep", 210),
        ("koers " * 2000, "too_long", 10000),
    ],
)
def test_syntax_errors(query, code, position):
    caught = error(query)
    assert caught.code == code
    assert caught.position == position
    assert str(caught) == caught.message_en
    assert caught.message_nl and caught.message_nl != caught.message_en


def test_mixing_error_spells_out_both_readings():
    caught = error("koers AND fiets OR auto")
    assert "'(koers AND fiets) OR auto'" in caught.message_en
    assert "'koers AND (fiets OR auto)'" in caught.message_en
    assert caught.message_nl.startswith("Je mengt AND en OR zonder haakjes")
    assert "'(koers AND fiets) OR auto'" in caught.message_nl


def test_mixing_error_with_longer_left_side():
    caught = error("a AND b AND c OR d")
    assert "'(a AND b AND c) OR d'" in caught.message_en
    assert "'a AND b AND (c OR d)'" in caught.message_en


def test_only_negative_suggests_a_positive_term():
    caught = error("NOT fiets")
    assert "koers NOT fiets" in caught.message_en
    assert "koers NOT fiets" in caught.message_nl


def test_dutch_messages_use_informal_je():
    assert error("").message_nl == "Je zoekopdracht is leeg."
    assert "je" in error("NOT koers").message_nl.lower().split()
    assert error("koers AND").message_nl == "Na AND moet nog een term komen."


def test_every_message_has_both_languages():
    for english, dutch in MESSAGES.values():
        assert english and dutch and english != dutch


def test_error_positions_count_comments_as_typed():
    assert error("<<<merk>>> koers AND").position == 17


def test_error_is_a_value_error_with_readable_repr():
    caught = error("(koers")
    assert isinstance(caught, ValueError)
    assert repr(caught) == "QuerySyntaxError('unclosed_paren', position=0)"

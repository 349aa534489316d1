"""The linter: broad queries, redundant parts and likely mistakes."""

import pytest

from koers.query import LintWarning, compile, lint


def codes(query: str) -> list[str]:
    return [warning.code for warning in lint(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("de", ["broad_term"]),
        ("the", ["broad_term"]),
        ("ns", ["broad_term"]),
        ("koers", []),
        ("albert OR heijn OR jumbo OR lidl OR aldi OR plus", []),
        ("jumbo OR de", ["broad_term"]),
        ("de AND koers", []),
        ('"de koers"', []),
        ("de NEAR/3 koers", []),
        ("#de", []),
        ("koe*", ["short_wildcard"]),
        ("koer*", []),
        ('"nieuwe fie*"', ["short_wildcard"]),
        ("koers OR koers", ["duplicate"]),
        ("koers AND koers", ["duplicate"]),
        ("(koers OR fiets) AND (fiets OR koers)", []),
        ('"albert heijn" OR "Albert Heijn"', ["duplicate"]),
        ("koers OR koers*", ["covered_in_or"]),
        ("koersen OR koers*", ["covered_in_or"]),
        ("koers* OR koersen*", ["covered_in_or"]),
        ("koers OR #koers", ["covered_in_or"]),
        ("#koers OR koers", ["covered_in_or"]),
        ("koers AND koers*", ["covered_in_and"]),
        ("#koers AND koers", ["covered_in_and"]),
        ("koers OR {Koers}", []),
        ("koers OR @koers", []),
        ("koers AND NOT koers", ["contradiction"]),
        ("(koers OR fiets) -(koers OR fiets)", ["contradiction"]),
        ("koers and fiets", ["lowercase_operator"]),
        ("koers or fiets", ["lowercase_operator"]),
        ("(koers not) fiets", ["lowercase_operator"]),
        ('"wat vind je ervan?"', ["trailing_question_mark"]),
        ("fiets?", []),
    ],
)
def test_lint_codes(query, expected):
    assert sorted(codes(query)) == sorted(expected)


def test_warning_carries_position_and_both_languages():
    [warning] = lint("koers AND (fiets OR fiets)")
    assert warning == LintWarning(
        "duplicate",
        "'fiets' appears twice in this OR; once is enough.",
        "'fiets' staat twee keer in deze OR; één keer is genoeg.",
        20,
    )


def test_covered_term_points_at_the_redundant_part():
    [warning] = lint("fiets OR koers* OR koers")
    assert warning.position == 19
    assert "'koers' is already covered by 'koers*'" in warning.message_en
    assert "je kunt het weglaten" in warning.message_nl


def test_lint_accepts_a_compiled_query_and_sorts_by_position():
    warnings = lint(compile("koe* OR de OR fiets OR fiets"))
    assert [w.code for w in warnings] == ["short_wildcard", "broad_term", "duplicate"]
    assert [w.position for w in warnings] == sorted(w.position for w in warnings)

"""The draagvlak question bank: plain data checks, no database."""

from __future__ import annotations

import re

import pytest

from koers.strategy.playbook_types import Text
from koers.support.bank_types import COMPONENTS, KINDS, BankQuestion
from koers.support.question_bank import BANK, get_question, standard_questions

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
WITH_OPTIONS = {"single", "multiple"}
WITHOUT_OPTIONS = {"likert", "text", "discipline", "top_goals"}


def _texts(question: BankQuestion) -> list[tuple[str, Text]]:
    texts = [(f"{question.key}.text", question.text)]
    if question.help_text is not None:
        texts.append((f"{question.key}.help_text", question.help_text))
    texts += [(f"{question.key}.{o.value}", o.label) for o in question.options]
    return texts


ALL_TEXTS = [item for question in BANK for item in _texts(question)]


def test_bank_has_a_sensible_size():
    assert 18 <= len(BANK) <= 24


def test_keys_are_unique_and_snake_case():
    keys = [q.key for q in BANK]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert SNAKE_CASE.match(key), key


@pytest.mark.parametrize("question", BANK, ids=lambda q: q.key)
def test_kind_and_component_are_valid(question):
    assert question.kind in KINDS
    assert question.component in COMPONENTS


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[w for w, _ in ALL_TEXTS])
def test_every_text_exists_in_both_languages(where, text):
    assert isinstance(text, Text)
    assert text.nl.strip(), where
    assert text.en.strip(), where
    if max(len(text.nl.split()), len(text.en.split())) > 3:
        assert text.nl != text.en, f"{where} is not translated"


@pytest.mark.parametrize("question", BANK, ids=lambda q: q.key)
def test_options_match_the_kind(question):
    if question.kind in WITH_OPTIONS:
        assert len(question.options) >= 2
    else:
        assert question.kind in WITHOUT_OPTIONS
        assert question.options == ()


@pytest.mark.parametrize("question", BANK, ids=lambda q: q.key)
def test_option_values_are_unique_and_snake_case(question):
    values = [o.value for o in question.options]
    assert len(values) == len(set(values))
    for value in values:
        assert SNAKE_CASE.match(value), value


@pytest.mark.parametrize("question", [q for q in BANK if q.kind == "likert"], ids=lambda q: q.key)
def test_likert_questions_are_statements(question):
    assert not question.text.nl.rstrip().endswith("?")
    assert not question.text.en.rstrip().endswith("?")


@pytest.mark.parametrize("key", ["discipline", "top_goals"])
def test_understanding_check_questions(key):
    question = get_question(key)
    assert question.kind == key
    assert question.required
    assert question.component == "understanding"


def test_enough_questions_feed_the_index():
    support = [q for q in BANK if q.component == "support" and q.kind == "likert"]
    example = [q for q in BANK if q.component == "example" and q.kind == "likert"]
    assert len(support) >= 4
    assert len(example) >= 3


def test_platform_options():
    values = [o.value for o in get_question("platforms_used").options]
    assert values == [
        "linkedin",
        "instagram",
        "facebook",
        "x",
        "mastodon",
        "bluesky",
        "tiktok",
        "youtube",
        "whatsapp",
        "none",
    ]


def test_get_question():
    assert get_question("strategy_known").key == "strategy_known"
    with pytest.raises(KeyError, match="no_such_question"):
        get_question("no_such_question")


def test_standard_questions():
    standard = standard_questions()
    keys = {q.key for q in standard}
    assert {"discipline", "top_goals", "what_helps_contribute"} <= keys
    assert "strategy_own_words" not in keys
    assert all(q.standard for q in standard)
    assert [q for q in BANK if q in standard] == standard

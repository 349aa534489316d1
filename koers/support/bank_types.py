"""The shape of the question bank: plain data, both languages (no Django)."""

from __future__ import annotations

from dataclasses import dataclass

from koers.strategy.playbook_types import Text

KINDS = ("likert", "single", "multiple", "text", "discipline", "top_goals")
COMPONENTS = ("support", "understanding", "example", "use", "contribution", "other")


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class BankQuestion:
    """One question of the bank.

    ``kind`` is one of KINDS: likert (1 = strongly disagree … 5 = strongly agree),
    single or multiple choice from ``options``, text, discipline (name the value
    discipline; options are added at launch), top_goals (pick the strategy's goals;
    options come from the published strategy at launch). ``component`` says what it
    measures (COMPONENTS); support and example Likert answers feed the index, and so do
    the discipline and top_goals answers (understanding). ``standard`` questions are
    in every new wave unless removed.
    """

    key: str
    kind: str
    component: str
    text: Text
    help_text: Text | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    standard: bool = True

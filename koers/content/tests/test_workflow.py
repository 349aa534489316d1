"""The editorial state machine: who may move an item where, and what stops it."""

import pytest

from koers.content import workflow as w


def role(*capabilities):
    return lambda capability: capability in capabilities


EDITOR = role("content.edit", "content.approve", "publishing.manage")
EMPLOYEE = role("content.submit_idea")
READY = w.Facts(approvals_complete=True)


def test_the_happy_path():
    steps = [
        (w.IDEA, w.DRAFT),
        (w.DRAFT, w.IN_REVIEW),
        (w.IN_REVIEW, w.APPROVED),
        (w.APPROVED, w.SCHEDULED),
    ]
    for source, target in steps:
        w.check(source, target, EDITOR, READY)
    w.check(w.SCHEDULED, w.PUBLISHED, EDITOR, system=True)
    w.check(w.PUBLISHED, w.MEASURED, EDITOR, system=True)


def test_an_employee_moves_nothing():
    assert w.allowed(w.IDEA, EMPLOYEE) == []
    with pytest.raises(w.TransitionRefused) as refused:
        w.check(w.IDEA, w.DRAFT, EMPLOYEE)
    assert refused.value.code == "not_allowed"


def test_a_blocked_item_never_reaches_approved():
    with pytest.raises(w.TransitionRefused) as refused:
        w.check(
            w.IN_REVIEW,
            w.APPROVED,
            EDITOR,
            w.Facts(guidelines_blocked=True, approvals_complete=True),
        )
    assert refused.value.code == "blocked"
    # No other path leads to approved but review and unscheduling (which needs approved).
    sources = {s for (s, t) in w.TRANSITIONS if t == w.APPROVED}
    assert sources == {w.IN_REVIEW, w.SCHEDULED}


def test_approval_steps_must_be_complete():
    with pytest.raises(w.TransitionRefused) as refused:
        w.check(w.IN_REVIEW, w.APPROVED, EDITOR, w.Facts())
    assert refused.value.code == "approvals_missing"


def test_goal_and_variant_are_needed_for_review():
    for facts, code in (
        (w.Facts(has_goal=False), "no_goal"),
        (w.Facts(has_variant=False), "no_variant"),
    ):
        with pytest.raises(w.TransitionRefused) as refused:
            w.check(w.DRAFT, w.IN_REVIEW, EDITOR, facts)
        assert refused.value.code == code


def test_publishing_is_for_koers_itself():
    with pytest.raises(w.TransitionRefused) as refused:
        w.check(w.SCHEDULED, w.PUBLISHED, EDITOR)
    assert refused.value.code == "system_only"
    assert w.PUBLISHED not in w.allowed(w.SCHEDULED, EDITOR)
    # An editor may take it off the calendar or, by editing it, back to draft.
    assert w.allowed(w.SCHEDULED, EDITOR, system=True) == [w.APPROVED, w.DRAFT, w.PUBLISHED]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (w.IDEA, w.APPROVED),
        (w.DRAFT, w.PUBLISHED),
        (w.PUBLISHED, w.DRAFT),
        (w.MEASURED, w.ARCHIVED),
        (w.ARCHIVED, w.APPROVED),
    ],
)
def test_no_shortcuts(source, target):
    with pytest.raises(w.TransitionRefused) as refused:
        w.check(source, target, EDITOR, READY, system=True)
    assert refused.value.code == "not_a_transition"


def test_every_state_is_reachable_from_idea():
    reached, frontier = {w.IDEA}, [w.IDEA]
    while frontier:
        state = frontier.pop()
        for target in w.allowed(state, EDITOR, system=True):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(w.STATES)

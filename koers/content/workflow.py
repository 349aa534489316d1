"""The editorial pipeline as a state machine, without Django.

idea → draft → in review → approved → scheduled → published → measured, plus rejected
and archived. Which transitions a person may make depends on their capabilities
(the same names as in koers/orgs/capabilities.py); reaching "approved" also needs a
clean guideline check (no "block" finding) and every approval step satisfied. The
caller passes those facts in; this module decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

IDEA = "idea"
DRAFT = "draft"
IN_REVIEW = "in_review"
APPROVED = "approved"
SCHEDULED = "scheduled"
PUBLISHED = "published"
MEASURED = "measured"
REJECTED = "rejected"
ARCHIVED = "archived"

STATES = (IDEA, DRAFT, IN_REVIEW, APPROVED, SCHEDULED, PUBLISHED, MEASURED, REJECTED, ARCHIVED)

# (from, to) → the capability needed. "system" transitions are made by Koers itself
# (the publisher and the metrics puller), never by a person.
SYSTEM = "system"
TRANSITIONS: dict[tuple[str, str], str] = {
    (IDEA, DRAFT): "content.edit",
    (IDEA, REJECTED): "content.edit",
    (DRAFT, IN_REVIEW): "content.edit",
    (IN_REVIEW, DRAFT): "content.approve",  # changes requested
    (IN_REVIEW, APPROVED): "content.approve",
    (IN_REVIEW, REJECTED): "content.approve",
    (APPROVED, DRAFT): "content.edit",  # edited after approval: the approval lapses
    (APPROVED, SCHEDULED): "publishing.manage",
    (SCHEDULED, APPROVED): "publishing.manage",  # taken off the calendar
    (SCHEDULED, DRAFT): "content.edit",  # edited while scheduled: the approval lapses
    (SCHEDULED, PUBLISHED): SYSTEM,
    (PUBLISHED, MEASURED): SYSTEM,
    (REJECTED, DRAFT): "content.edit",
}
for _state in (IDEA, DRAFT, IN_REVIEW, APPROVED, REJECTED):
    TRANSITIONS[(_state, ARCHIVED)] = "content.edit"
TRANSITIONS[(ARCHIVED, DRAFT)] = "content.edit"


class TransitionRefused(Exception):
    """Why a transition cannot be made; ``code`` for the caller, message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Facts:
    """What the caller knows about the item at the moment of the transition."""

    guidelines_blocked: bool = False
    approvals_complete: bool = False
    has_goal: bool = True
    has_variant: bool = True


def allowed(state: str, can: Callable[[str], bool], *, system: bool = False) -> list[str]:
    """The states this person (or Koers itself, with ``system``) may move an item to."""
    return [
        target
        for (source, target), capability in TRANSITIONS.items()
        if source == state and (system if capability == SYSTEM else can(capability))
    ]


def check(
    state: str,
    target: str,
    can: Callable[[str], bool],
    facts: Facts = Facts(),
    *,
    system: bool = False,
) -> None:
    """Raise TransitionRefused unless ``state`` → ``target`` may happen now."""
    if state not in STATES or target not in STATES:
        raise TransitionRefused("unknown_state", f"Unknown state: {state} or {target}.")
    capability = TRANSITIONS.get((state, target))
    if capability is None:
        raise TransitionRefused("not_a_transition", f"{state} cannot become {target}.")
    if capability == SYSTEM and not system:
        raise TransitionRefused("system_only", f"Only Koers itself moves {state} to {target}.")
    if capability != SYSTEM and not can(capability):
        raise TransitionRefused("not_allowed", f"Your role may not move {state} to {target}.")
    # Taking a scheduled item off the calendar keeps the approval it was scheduled with
    # (repetitions and evergreen copies carry their original's): nothing to check again.
    entering = target in {IN_REVIEW, APPROVED} and state != SCHEDULED
    if entering and not facts.has_variant:
        raise TransitionRefused("no_variant", "Write at least one channel variant first.")
    if entering and not facts.has_goal:
        raise TransitionRefused("no_goal", "Link the item to a goal of the strategy first.")
    # A blocked text does not go to the approvers, and can never be approved.
    if entering and facts.guidelines_blocked:
        raise TransitionRefused("blocked", "A guideline blocks this item: fix the text first.")
    if entering and target == APPROVED and not facts.approvals_complete:
        raise TransitionRefused("approvals_missing", "Not every approval step is done yet.")

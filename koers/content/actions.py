"""Writes on the editorial pipeline, and the reads the rest of Koers needs from it.

Every write that can race (two approvers, an editor changing a text while a manager
approves it) locks the item's row first and re-reads what it decides on inside the
same transaction: the guideline check runs again on the variants as they are in the
database at that moment, so a blocked item cannot become "approved" by any path.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.adapters import queue
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.content import workflow
from koers.content.models import (
    CALENDAR_STATES,
    EDITABLE_STATES,
    EXTERNAL,
    Approval,
    ApprovalStep,
    ContentItem,
    Decision,
    GuidelineOverride,
    Mode,
    Repeat,
    ReviewLink,
    RoleTask,
    State,
    TaskCompletion,
    Transition,
    Variant,
)
from koers.guidelines.engine import CheckResult, Finding, RuleSet
from koers.orgs.capabilities import Role, can
from koers.orgs.models import Membership
from koers.platforms.limits import LIMITS, Length, measure_post

# The workflow's reasons, in the member's language.
REFUSALS = {
    "unknown_state": gettext_lazy("That is not a state an item can have."),
    "not_a_transition": gettext_lazy("An item in this state cannot be moved there."),
    "system_only": gettext_lazy("Koers itself does this step, when the post goes out."),
    "not_allowed": gettext_lazy("Your role may not make this step."),
    "no_variant": gettext_lazy("Write the text for at least one channel first."),
    "no_goal": gettext_lazy("Link the item to a goal of the strategy first."),
    "blocked": gettext_lazy(
        "A guideline blocks this item. Change the text where it is marked, then try again."
    ),
    "approvals_missing": gettext_lazy("Not every approval step is done yet."),
    "warnings": gettext_lazy(
        "The guidelines warn about this item. Change the text, or give a reason to go ahead."
    ),
    "over_limit": gettext_lazy("A channel text is longer than the channel allows."),
    "no_date": gettext_lazy("Choose a date and time to publish first."),
    "not_in_review": gettext_lazy("Only an item in review can be approved or rejected."),
    "not_your_step": gettext_lazy("The current approval step is not one your role approves."),
    "decided": gettext_lazy("You already gave your decision on this version."),
    "not_editable": gettext_lazy("A published or archived item can no longer be changed."),
}


def refusal_message(error: workflow.TransitionRefused) -> str:
    return str(REFUSALS.get(error.code, error))


# --- guideline checks -------------------------------------------------------------------


def ruleset(organisation) -> RuleSet:
    """The organisation's guidelines, or the basic rules until it has any."""
    from koers.content.selfcheck import basic_ruleset
    from koers.guidelines.actions import ruleset_for

    return ruleset_for(organisation) or basic_ruleset()


@dataclass(frozen=True)
class VariantCheck:
    channel: str
    result: CheckResult
    length: Length


def _check(rules: RuleSet, channel: str, text: str, *, paid: bool) -> VariantCheck:
    return VariantCheck(
        channel=channel, result=rules.check(text, paid=paid), length=measure_post(channel, text)
    )


def check_text(organisation, channel: str, text: str, *, paid: bool) -> VariantCheck:
    return _check(ruleset(organisation), channel, text, paid=paid)


def check_item(item: ContentItem, variants=None) -> list[VariantCheck]:
    variants = list(item.variants.all()) if variants is None else variants
    rules = ruleset(item.organisation)
    return [_check(rules, v.channel, v.text, paid=item.is_paid) for v in variants]


def _check_flags(check: VariantCheck) -> dict:
    """What a variant keeps of its last check, for lists (transitions check again)."""
    return {
        "is_blocked": check.result.blocked,
        "warning_count": len(check.result.warnings),
        "is_over_limit": check.length.over,
    }


def recheck_variants(organisation) -> int:
    """Check every text that can still change against the guidelines as they are now,
    so the pipeline's badges follow a changed library; returns how many changed."""
    rules = ruleset(organisation)
    changed = []
    for variant in Variant.objects.filter(
        organisation=organisation, item__state__in=EDITABLE_STATES
    ).select_related("item"):
        flags = _check_flags(
            _check(rules, variant.channel, variant.text, paid=variant.item.is_paid)
        )
        if any(getattr(variant, name) != value for name, value in flags.items()):
            for name, value in flags.items():
                setattr(variant, name, value)
            changed.append(variant)
    Variant.objects.bulk_update(changed, ["is_blocked", "warning_count", "is_over_limit"])
    return len(changed)


@dataclass
class GuidelineState:
    checks: list[VariantCheck]
    # (channel, finding) for every "warn" finding nobody overrode on this revision.
    open_warnings: list[tuple[str, Finding]]

    @property
    def blocked(self) -> bool:
        return any(c.result.blocked for c in self.checks)

    @property
    def over_limit(self) -> bool:
        return any(c.length.over for c in self.checks)


def guideline_state(item: ContentItem, variants=None) -> GuidelineState:
    checks = check_item(item, variants)
    overridden = set(
        GuidelineOverride.objects.filter(item=item, revision=item.revision).values_list(
            "channel", "rule_key", "excerpt"
        )
    )
    open_warnings = [
        (c.channel, f)
        for c in checks
        for f in c.result.warnings
        if (c.channel, f.rule_key, f.match[:200]) not in overridden
    ]
    return GuidelineState(checks=checks, open_warnings=open_warnings)


def _rule_titles(organisation) -> dict[str, str]:
    from koers.guidelines.models import Guideline

    return {
        f"g{pk}": title
        for pk, title in Guideline.objects.for_org(organisation).values_list("pk", "title")
    }


@transaction.atomic
def override_warnings(item: ContentItem, *, by: Membership, reason: str, request=None) -> int:
    """Go ahead despite the open "warn" findings, with a reason (logged); returns how
    many were overridden. "block" findings cannot be overridden."""
    item = _lock(item)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item may go ahead despite the warning.")})
    if not can(by, "content.edit") and not can(by, "content.approve"):
        raise workflow.TransitionRefused("not_allowed", "may not override")
    state = guideline_state(item)
    titles = _rule_titles(item.organisation)
    for channel, finding in state.open_warnings:
        GuidelineOverride.objects.create(
            organisation=item.organisation,
            item=item,
            revision=item.revision,
            channel=channel,
            rule_key=finding.rule_key,
            rule_title=titles.get(finding.rule_key, finding.kind),
            excerpt=finding.match[:200],
            reason=reason,
            by=by.user,
        )
    if state.open_warnings:
        record_event(
            item.organisation,
            action=Action.GUIDELINE_OVERRIDDEN,
            by=by.user,
            request=request,
            target=item.title,
            details={
                "item": item.pk,
                "revision": item.revision,
                "reason": reason,
                "rules": sorted({titles.get(f.rule_key, f.kind) for _c, f in state.open_warnings}),
            },
        )
    return len(state.open_warnings)


# --- ideas and items --------------------------------------------------------------------

ITEM_FIELDS = (
    "title",
    "idea",
    "link",
    "photo",
    "photo_alt",
    "goal_key",
    "pillar_key",
    "is_paid",
    "has_product_claim",
    "assignee",
    "is_evergreen",
    "repeat",
    "repeat_until",
    "repeat_count",
)
# A change in these changes what would be published: approvals lapse.
CONTENT_FIELDS = ("link", "photo", "photo_alt", "is_paid", "has_product_claim")


def _lock(item: ContentItem) -> ContentItem:
    return ContentItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)


def _record(item: ContentItem, source: str, target: str, *, by=None, by_name="", note="") -> None:
    Transition.objects.create(
        organisation_id=item.organisation_id,
        item=item,
        from_state=source,
        to_state=target,
        by=by,
        by_name=by_name or (by.name or by.email if by else ""),
        note=note,
    )


def _validate_repeat(item: ContentItem) -> None:
    if item.repeat and not (item.repeat_until or item.repeat_count):
        raise ValidationError(
            {"repeat_until": _("Say when the repetition ends: a date or a number of times.")}
        )
    if item.repeat_count is not None and not 1 <= item.repeat_count <= 52:
        raise ValidationError({"repeat_count": _("Repeat between 1 and 52 times.")})


@transaction.atomic
def submit_idea(
    organisation, *, by: Membership, title: str, idea: str = "", request=None, **values
) -> ContentItem:
    """A member hands in an idea; they stay credited as its submitter."""
    if not can(by, "content.submit_idea"):
        raise workflow.TransitionRefused("not_allowed", "may not submit ideas")
    item = ContentItem(
        organisation=organisation,
        title=title.strip(),
        idea=idea.strip(),
        submitted_by=by.user,
        submitter_name=by.user.name or by.user.email,
        **{k: v for k, v in values.items() if k in ("link", "photo", "goal_key", "pillar_key")},
    )
    item.full_clean(exclude=["photo"])
    item.save()
    _record(item, "", State.IDEA, by=by.user)
    return item


@transaction.atomic
def create_item(organisation, *, by: Membership, title: str, **values) -> ContentItem:
    """An editor starts an item straight in "draft" (not every post begins as an idea)."""
    if not can(by, "content.edit"):
        raise workflow.TransitionRefused("not_allowed", "may not create items")
    item = ContentItem(
        organisation=organisation,
        title=title.strip(),
        state=State.DRAFT,
        assignee=values.pop("assignee", None) or by.user,
        **{k: v for k, v in values.items() if k in ITEM_FIELDS},
    )
    _validate_repeat(item)
    item.full_clean(exclude=["photo"])
    item.save()
    _record(item, "", State.DRAFT, by=by.user)
    return item


def may_edit(membership: Membership, item: ContentItem) -> bool:
    """Editors edit any item that can still change; a submitter edits their own idea."""
    if not item.is_editable:
        return False
    if can(membership, "content.edit"):
        return True
    return item.state == State.IDEA and item.submitted_by_id == membership.user_id


def _lapse(item: ContentItem, *, by, note: str) -> None:
    """The content changed: raise the revision, so earlier approvals, overrides and
    review links no longer count; an approved or scheduled item goes back to draft."""
    item.revision += 1
    if item.state in (State.APPROVED, State.SCHEDULED):
        if item.state == State.SCHEDULED:
            _follow_publications(item)
        _record(item, item.state, State.DRAFT, by=by, note=note)
        item.state = State.DRAFT


@transaction.atomic
def update_item(item: ContentItem, *, by: Membership, request=None, **values) -> ContentItem:
    item = _lock(item)
    if not may_edit(by, item):
        raise workflow.TransitionRefused("not_editable", "not editable")
    changed_content = False
    for name, value in values.items():
        if name not in ITEM_FIELDS:
            raise TypeError(f"Not an item field: {name}")
        if name in CONTENT_FIELDS and getattr(item, name) != value:
            changed_content = True
        setattr(item, name, value)
    _validate_repeat(item)
    item.full_clean(exclude=["photo"])
    if changed_content:
        _lapse(item, by=by.user, note=_("The content changed after approval."))
    item.updated_at = timezone.now()
    item.save()
    return item


@transaction.atomic
def save_variant(item: ContentItem, channel: str, text: str, *, by: Membership) -> Variant | None:
    """Write (or, with an empty text, remove) the item's text for one channel. A change
    after approval makes the approval lapse."""
    if channel not in LIMITS:
        raise ValidationError({"channel": _("Choose one of the channels offered.")})
    item = _lock(item)
    if not may_edit(by, item) or (item.state == State.IDEA and not can(by, "content.edit")):
        raise workflow.TransitionRefused("not_editable", "not editable")
    text = text.replace("\r\n", "\n")
    variant = Variant.objects.filter(item=item, channel=channel).first()
    if not text.strip():
        if variant is None:
            return None
        variant.delete()
        _lapse(item, by=by.user, note=_("The content changed after approval."))
        item.updated_at = timezone.now()
        item.save(update_fields=["revision", "state", "updated_at"])
        return None
    if variant is not None and variant.text == text:
        return variant
    check = check_text(item.organisation, channel, text, paid=item.is_paid)
    values = {"text": text, **_check_flags(check), "updated_at": timezone.now()}
    if variant is None:
        variant = Variant.objects.create(
            organisation=item.organisation, item=item, channel=channel, **values
        )
    else:
        for name, value in values.items():
            setattr(variant, name, value)
        variant.save(update_fields=list(values))
    _lapse(item, by=by.user, note=_("The content changed after approval."))
    item.updated_at = timezone.now()
    item.save(update_fields=["revision", "state", "updated_at"])
    return variant


# --- goals and pillars ------------------------------------------------------------------


@dataclass
class StrategyChoices:
    goals: list  # SocialGoal rows of the published strategy
    pillars: list  # ContentPillar rows

    def goal_title(self, key) -> str | None:
        return next((g.title for g in self.goals if g.key == key), None)

    def pillar_name(self, key) -> str | None:
        return next((p.name for p in self.pillars if p.key == key), None)


def strategy_choices(organisation) -> StrategyChoices:
    """The goals and pillars items can be linked to: those of the published strategy."""
    from koers.strategy.models import ContentPillar, SocialGoal, StrategyVersion

    version = StrategyVersion.objects.for_org(organisation).published().first()
    if version is None:
        return StrategyChoices(goals=[], pillars=[])
    return StrategyChoices(
        goals=list(SocialGoal.objects.filter(version=version).select_related("business_goal")),
        pillars=list(ContentPillar.objects.filter(version=version)),
    )


def has_goal(item: ContentItem, choices: StrategyChoices | None = None) -> bool:
    """Linked to a goal that is in the published strategy."""
    if item.goal_key is None:
        return False
    choices = choices or strategy_choices(item.organisation)
    return choices.goal_title(item.goal_key) is not None


# --- approval ---------------------------------------------------------------------------


@dataclass
class StepStatus:
    step: ApprovalStep | None  # None: the default step
    name: str
    mode: str
    approver: str
    approvals: list = field(default_factory=list)
    needed: int = 1
    complete: bool = False

    @property
    def is_external(self) -> bool:
        return self.approver == EXTERNAL


def _default_step_name() -> str:
    return _("Approval")


def approval_status(item: ContentItem) -> list[StepStatus]:
    """The steps that apply to this item, in order, with the decisions on the current
    revision. "all" needs every member with the role (every reviewer a link went to,
    for an external step)."""
    return approval_statuses(item.organisation, [item])[item.pk]


def approval_statuses(organisation, items: list[ContentItem]) -> dict[int, list[StepStatus]]:
    """``approval_status`` for several items of one organisation in a fixed number of
    queries (the overview asks it for every item in review)."""
    all_steps = list(ApprovalStep.objects.for_org(organisation))
    revisions = {item.pk: item.revision for item in items}
    current: dict[int, list[Approval]] = defaultdict(list)
    for approval in (
        Approval.objects.filter(item__in=items, decision=Decision.APPROVE)
        .select_related("by")
        .order_by("at", "pk")
    ):
        if approval.revision == revisions[approval.item_id]:
            current[approval.item_id].append(approval)
    role_counts: Counter = Counter()
    link_counts: Counter = Counter()
    if any(step.mode == Mode.ALL for step in all_steps):
        role_counts.update(Membership.objects.for_org(organisation).values_list("role", flat=True))
        for item_id, step_id, revision in ReviewLink.objects.filter(
            item__in=items, revoked_at__isnull=True
        ).values_list("item_id", "step_id", "revision"):
            if revision == revisions[item_id]:
                link_counts[(item_id, step_id)] += 1
    result = {}
    for item in items:
        approvals_now = current[item.pk]
        steps = [step for step in all_steps if step.applies_to(item)]
        if not steps:
            default = [a for a in approvals_now if a.step_id is None]
            result[item.pk] = [
                StepStatus(
                    step=None,
                    name=_default_step_name(),
                    mode=Mode.ANY,
                    approver="content.approve",
                    approvals=default,
                    complete=bool(default),
                )
            ]
            continue
        statuses = []
        for step in steps:
            approvals = [a for a in approvals_now if a.step_id == step.pk]
            if step.mode != Mode.ALL:
                needed = 1
            elif step.is_external:
                needed = max(1, link_counts[(item.pk, step.pk)])
            else:
                needed = max(1, role_counts[step.approver])
            statuses.append(
                StepStatus(
                    step=step,
                    name=step.name,
                    mode=step.mode,
                    approver=step.approver,
                    approvals=approvals,
                    needed=needed,
                    complete=len(approvals) >= needed,
                )
            )
        result[item.pk] = statuses
    return result


def current_step(statuses: list[StepStatus]) -> StepStatus | None:
    """Steps go in order: the first one not complete."""
    return next((s for s in statuses if not s.complete), None)


def may_approve_step(membership: Membership, status: StepStatus) -> bool:
    if status.step is None:
        return can(membership, "content.approve")
    if status.is_external:
        return False
    return membership.role == status.approver and can(membership, "content.approve")


def _facts(item: ContentItem, guidelines: GuidelineState, statuses=None) -> workflow.Facts:
    statuses = approval_status(item) if statuses is None else statuses
    return workflow.Facts(
        guidelines_blocked=guidelines.blocked,
        approvals_complete=all(s.complete for s in statuses),
        has_goal=has_goal(item),
        has_variant=bool(guidelines.checks),
    )


def _move(item: ContentItem, target: str, *, by=None, by_name: str = "", note: str = "") -> None:
    source = item.state
    item.state = target
    now = timezone.now()
    if target == State.REJECTED:
        item.rejection_reason = note
    if target == State.DRAFT and source == State.IDEA and item.assignee_id is None and by:
        item.assignee = by
    if target == State.PUBLISHED:
        item.published_at = item.published_at or now
    if target == State.APPROVED and source == State.SCHEDULED:
        item.scheduled_at = None
    item.updated_at = now
    item.save()
    _record(item, source, target, by=by, by_name=by_name, note=note)
    if State.SCHEDULED in (source, target):
        _follow_publications(item)


# --- publishing ------------------------------------------------------------------------


def _check_media(item: ContentItem) -> None:
    """What a platform the item goes to would refuse (a photo too large or of the wrong
    type, a text over its limit) stops the item before it is scheduled, not when the
    post is due."""
    from koers.publishing.actions import media_problems

    problems = media_problems(item)
    if problems:
        raise ValidationError(problems)


def _sync_publications(item_pk: int) -> None:
    """Make or withdraw the item's publications for the state it has now (read again:
    this runs after the commit)."""
    from koers.publishing import engine

    item = ContentItem.objects.filter(pk=item_pk).first()
    if item is None:
        return
    if item.state == State.SCHEDULED:
        engine.schedule_item(item)
    elif item.state in (State.APPROVED, State.DRAFT):
        engine.withdraw_item(item)


def _follow_publications(item: ContentItem) -> None:
    """After the commit, the publishing outbox follows the item into or out of
    "scheduled" (or to its new moment); the periodic sweep catches what this misses."""
    transaction.on_commit(lambda: queue(_sync_publications, item.pk))


@transaction.atomic
def transition_item(
    item: ContentItem,
    target: str,
    *,
    by: Membership | None = None,
    system: bool = False,
    note: str = "",
    request=None,
) -> ContentItem:
    """Move the item to ``target`` if the person's role, the guidelines and the approval
    rules allow it now; TransitionRefused (with a code for REFUSALS) otherwise."""
    item = _lock(item)
    check_capability = (lambda capability: can(by, capability)) if by else (lambda _c: False)
    guidelines = guideline_state(item)
    source = item.state
    workflow.check(source, target, check_capability, _facts(item, guidelines), system=system)
    # Off the calendar (scheduled → approved) keeps the approval: nothing to check again.
    if target in (State.IN_REVIEW, State.APPROVED, State.SCHEDULED) and source != State.SCHEDULED:
        if guidelines.over_limit:
            raise workflow.TransitionRefused("over_limit", "over the limit")
        if guidelines.open_warnings and target != State.SCHEDULED:
            raise workflow.TransitionRefused("warnings", "open warnings")
    if target == State.SCHEDULED and item.scheduled_at is None:
        raise workflow.TransitionRefused("no_date", "no date")
    if target == State.SCHEDULED:
        _check_media(item)
    if target == State.REJECTED and not note.strip():
        raise ValidationError({"note": _("Tell the submitter why, so the next idea lands.")})
    _move(item, target, by=by.user if by else None, note=note.strip())
    if target == State.APPROVED and source == State.IN_REVIEW:
        record_event(
            item.organisation,
            action=Action.CONTENT_APPROVED,
            by=by.user if by else None,
            request=request,
            target=item.title,
            details={"item": item.pk, "revision": item.revision},
        )
    if target == State.SCHEDULED and item.repeat:
        create_occurrences(item)
    return item


@transaction.atomic
def decide(
    item: ContentItem,
    *,
    by: Membership,
    decision: str,
    comment: str = "",
    request=None,
) -> ContentItem:
    """An approver's decision on the current step. Approving the last step approves the
    item; rejecting sends it back to the editor ("changes requested")."""
    item = _lock(item)
    if item.state != State.IN_REVIEW:
        raise workflow.TransitionRefused("not_in_review", "not in review")
    guidelines = guideline_state(item)
    if decision == Decision.APPROVE and guidelines.blocked:
        raise workflow.TransitionRefused("blocked", "blocked")
    if decision == Decision.APPROVE and (guidelines.open_warnings or guidelines.over_limit):
        raise workflow.TransitionRefused(
            "warnings" if guidelines.open_warnings else "over_limit", "not clean"
        )
    if decision == Decision.REJECT and not comment.strip():
        raise ValidationError({"comment": _("Say what has to change.")})
    statuses = approval_status(item)
    status = current_step(statuses)
    if status is None or not may_approve_step(by, status):
        raise workflow.TransitionRefused("not_your_step", "not your step")
    if any(a.by_id == by.user_id for a in status.approvals):
        raise workflow.TransitionRefused("decided", "decided")
    try:
        with transaction.atomic():
            Approval.objects.create(
                organisation=item.organisation,
                item=item,
                step=status.step,
                step_name=status.name,
                revision=item.revision,
                decision=decision,
                by=by.user,
                comment=comment.strip(),
            )
    except IntegrityError:
        raise workflow.TransitionRefused("decided", "decided") from None
    _after_decision(item, decision, by=by.user, by_name="", comment=comment, request=request)
    return item


def _after_decision(item, decision, *, by, by_name, comment, request) -> None:
    if decision == Decision.REJECT:
        _move(item, State.DRAFT, by=by, by_name=by_name, note=comment.strip())
        record_event(
            item.organisation,
            action=Action.CONTENT_REJECTED,
            by=by,
            request=request,
            target=item.title,
            actor_email="" if by else by_name,
            details={"item": item.pk, "revision": item.revision, "comment": comment.strip()},
        )
        return
    statuses = approval_status(item)
    if all(s.complete for s in statuses):
        facts = _facts(item, guideline_state(item), statuses)
        workflow.check(item.state, State.APPROVED, lambda _c: True, facts)
        _move(item, State.APPROVED, by=by, by_name=by_name)
        record_event(
            item.organisation,
            action=Action.CONTENT_APPROVED,
            by=by,
            request=request,
            target=item.title,
            actor_email="" if by else by_name,
            details={"item": item.pk, "revision": item.revision},
        )


# --- external review --------------------------------------------------------------------


@transaction.atomic
def create_review_link(
    item: ContentItem,
    *,
    by: Membership,
    name: str,
    email: str,
    days: int = 7,
    request=None,
) -> ReviewLink:
    """Ask someone outside Koers to approve this version of the item; the link is
    e-mailed by the worker and works once, until it expires or the content changes."""
    item = _lock(item)
    if not can(by, "content.edit"):
        raise workflow.TransitionRefused("not_allowed", "may not ask")
    if item.state != State.IN_REVIEW:
        raise workflow.TransitionRefused("not_in_review", "not in review")
    if not 1 <= days <= 30:
        raise ValidationError({"days": _("A link is valid between 1 and 30 days.")})
    statuses = approval_status(item)
    if not any(s.is_external and not s.complete for s in statuses):
        raise ValidationError(_("None of this item's approval steps is for an external reviewer."))
    # Steps go in order: the reviewer outside is asked once the steps before are done.
    status = current_step(statuses)
    if status is None or not status.is_external:
        raise ValidationError(
            _("The steps before the external review are not done yet: %(step)s comes first.")
            % {"step": status.name if status else ""}
        )
    step = status.step
    link = ReviewLink(
        organisation=item.organisation,
        item=item,
        step=step,
        name=name.strip(),
        email=email.strip(),
        revision=item.revision,
        created_by=by.user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    link.full_clean(exclude=["key"])
    link.save()
    record_event(
        item.organisation,
        action=Action.REVIEW_LINK_CREATED,
        by=by.user,
        request=request,
        target=item.title,
        details={
            "item": item.pk,
            "reviewer": link.email,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    from koers.content.tasks import send_review_link

    transaction.on_commit(lambda: queue(send_review_link, link.pk))
    return link


class ReviewRefused(Exception):
    """Why a review link cannot be used: ``reason`` is one of used, revoked, expired,
    outdated, not_in_review, other_item, blocked."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def review_problem(link: ReviewLink | None, item_pk: int) -> str | None:
    """What is wrong with opening this link for this item, or None."""
    if link is None:
        return "invalid"
    if link.item_id != item_pk:
        return "other_item"
    status = link.status()
    if status != "pending":
        return status
    if link.item.state != State.IN_REVIEW:
        return "not_in_review"
    return None


@transaction.atomic
def decide_by_link(link: ReviewLink, *, item_pk: int, decision: str, comment: str = "") -> None:
    """The external reviewer's decision. The link is claimed by a conditional update, so
    two clicks (or two tabs) record one decision."""
    item = _lock(link.item)
    link = ReviewLink.objects.select_related("item").get(pk=link.pk)
    link.item = item
    problem = review_problem(link, item_pk)
    if problem:
        raise ReviewRefused(problem)
    if decision not in Decision.values:
        raise ValidationError(_("Choose approve or reject."))
    guidelines = guideline_state(item)
    if decision == Decision.APPROVE and guidelines.blocked:
        raise ReviewRefused("blocked")
    if decision == Decision.REJECT and not comment.strip():
        raise ValidationError({"comment": _("Say what has to change.")})
    claimed = ReviewLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise ReviewRefused("used")
    Approval.objects.create(
        organisation=item.organisation,
        item=item,
        step=link.step,
        step_name=link.step.name if link.step else "",
        revision=item.revision,
        decision=decision,
        reviewer_name=f"{link.name} <{link.email}>",
        review_link=link,
        comment=comment.strip(),
    )
    _after_decision(
        item,
        decision,
        by=None,
        by_name=_("%(name)s (external reviewer)") % {"name": link.name},
        comment=comment,
        request=None,
    )


@transaction.atomic
def revoke_review_link(link: ReviewLink, *, by: Membership) -> ReviewLink:
    """Stop a review link from working (sent to the wrong person, no longer needed).
    A link that was used already keeps its decision."""
    if not can(by, "content.edit"):
        raise workflow.TransitionRefused("not_allowed", "may not revoke")
    link = ReviewLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at:
        raise ValidationError(_("This link was used already; its decision stands."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


# --- calendar ---------------------------------------------------------------------------


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def occurrence_dates(item: ContentItem) -> list[datetime]:
    """The later dates of a recurring item (the item itself is the first)."""
    if not item.repeat or item.scheduled_at is None:
        return []
    # In the organisation's zone, whatever zone is active: "every week at 09:00" stays
    # at 09:00 across a change to summer time, and a month's last day is its own.
    start = item.scheduled_at.astimezone(item.organisation.zone)
    limit = item.repeat_count or 52
    dates = []
    for n in range(1, 53):
        if len(dates) >= limit:
            break
        moment = (
            start + timedelta(weeks=n) if item.repeat == Repeat.WEEKLY else _add_months(start, n)
        )
        if item.repeat_until and moment.date() > item.repeat_until:
            break
        dates.append(moment)
    return dates


def _copy(item: ContentItem, when: datetime, *, note: str) -> ContentItem:
    copy = ContentItem.objects.create(
        organisation=item.organisation,
        title=item.title,
        idea=item.idea,
        link=item.link,
        photo=item.photo,
        photo_alt=item.photo_alt,
        goal_key=item.goal_key,
        pillar_key=item.pillar_key,
        is_paid=item.is_paid,
        has_product_claim=item.has_product_claim,
        state=State.SCHEDULED,
        submitted_by=item.submitted_by,
        submitter_name=item.submitter_name,
        assignee=item.assignee,
        scheduled_at=when,
        series=item,
    )
    Variant.objects.bulk_create(
        Variant(
            organisation=item.organisation,
            item=copy,
            channel=v.channel,
            text=v.text,
            is_blocked=v.is_blocked,
            warning_count=v.warning_count,
            is_over_limit=v.is_over_limit,
        )
        for v in item.variants.all()
    )
    _record(copy, "", State.SCHEDULED, by_name="Koers", note=note)
    _follow_publications(copy)
    return copy


def create_occurrences(item: ContentItem) -> list[ContentItem]:
    """Schedule the repetitions of an approved recurring item (the approval of the item
    covers its repetitions: they carry the same text). Idempotent."""
    existing = {
        timezone.localtime(moment).replace(microsecond=0)
        for moment in item.occurrences.values_list("scheduled_at", flat=True)
    }
    note = _("Repeats “%(title)s”.") % {"title": item.title}
    return [
        _copy(item, when, note=note)
        for when in occurrence_dates(item)
        if when.replace(microsecond=0) not in existing
    ]


@transaction.atomic
def reschedule_item(item: ContentItem, when: datetime, *, by: Membership) -> ContentItem:
    """Give the item a (new) publishing moment; an approved item is scheduled with it.
    Moving a date does not change the content, so the approval stands."""
    item = _lock(item)
    if not can(by, "publishing.manage"):
        raise workflow.TransitionRefused("not_allowed", "may not plan")
    if item.state in (State.PUBLISHED, State.MEASURED, State.ARCHIVED, State.REJECTED):
        raise workflow.TransitionRefused("not_editable", "already out")
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when < timezone.now() - timedelta(minutes=1):
        raise ValidationError({"scheduled_at": _("Choose a moment in the future.")})
    item.scheduled_at = when
    item.updated_at = timezone.now()
    item.save(update_fields=["scheduled_at", "updated_at"])
    if item.state == State.APPROVED:
        return transition_item(item, State.SCHEDULED, by=by)
    if item.state == State.SCHEDULED:
        _follow_publications(item)  # the publications go out at the new moment
    return item


@transaction.atomic
def use_evergreen(item: ContentItem, when: datetime, *, by: Membership) -> ContentItem:
    """Fill a slot with an evergreen item: a scheduled copy goes on the calendar and
    the item itself returns to the back of the queue."""
    item = _lock(item)
    if not can(by, "publishing.manage"):
        raise workflow.TransitionRefused("not_allowed", "may not plan")
    if not item.is_evergreen or item.state != State.APPROVED:
        raise ValidationError(_("Only approved evergreen items can fill a slot."))
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when < timezone.now() - timedelta(minutes=1):
        raise ValidationError({"scheduled_at": _("Choose a moment in the future.")})
    _check_media(item)
    item.last_used_at = when
    item.save(update_fields=["last_used_at"])
    return _copy(
        item, when, note=_("From the evergreen queue: “%(title)s”.") % {"title": item.title}
    )


def calendar_items(organisation, start: datetime, end: datetime, **filters):
    """Items with a publishing moment in [start, end), filtered by channel, goal, pillar
    and person (assignee or submitter)."""
    items = (
        ContentItem.objects.for_org(organisation)
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(state__in=(State.ARCHIVED, State.REJECTED))
        .select_related("submitted_by", "assignee")
        .prefetch_related("variants")
        .order_by("scheduled_at", "pk")
    )
    if filters.get("channel"):
        items = items.filter(variants__channel=filters["channel"]).distinct()
    if filters.get("goal"):
        items = items.filter(goal_key=filters["goal"])
    if filters.get("pillar"):
        items = items.filter(pillar_key=filters["pillar"])
    if filters.get("person"):
        items = items.filter(
            Q(assignee_id=filters["person"]) | Q(submitted_by_id=filters["person"])
        )
    return items


# --- the mix per goal -------------------------------------------------------------------


@dataclass
class MixRow:
    key: object  # goal key, or None for items without a goal
    title: str
    target: int | None
    planned: int
    published: int
    planned_share: float | None = None
    published_share: float | None = None


def goal_mix(organisation, start: date, end: date) -> list[MixRow]:
    """Per goal of the published strategy: the target share, and how many items are
    planned (scheduled) and published in [start, end], with their shares."""
    from koers.content.models import MixTarget

    choices = strategy_choices(organisation)
    targets = dict(
        MixTarget.objects.filter(organisation=organisation).values_list("goal_key", "share")
    )
    rows_in_period = ContentItem.objects.for_org(organisation).filter(
        state__in=CALENDAR_STATES,
        scheduled_at__date__gte=start,
        scheduled_at__date__lte=end,
    )
    planned, published = Counter(), Counter()
    known = {g.key for g in choices.goals}
    for key, state in rows_in_period.values_list("goal_key", "state"):
        key = key if key in known else None
        (planned if state == State.SCHEDULED else published)[key] += 1
    rows = [
        MixRow(g.key, g.title, targets.get(g.key), planned[g.key], published[g.key])
        for g in choices.goals
    ]
    if planned[None] or published[None]:
        rows.append(MixRow(None, _("Without a goal"), None, planned[None], published[None]))
    total_planned = sum(r.planned for r in rows)
    total_published = sum(r.published for r in rows)
    for row in rows:
        row.planned_share = row.planned / total_planned * 100 if total_planned else None
        row.published_share = row.published / total_published * 100 if total_published else None
    return rows


@transaction.atomic
def set_mix_targets(organisation, targets: dict, *, by: Membership) -> None:
    """Save the planned share per goal (percentages, together at most 100)."""
    from koers.content.models import MixTarget

    if not can(by, "strategy.edit"):
        raise workflow.TransitionRefused("not_allowed", "may not plan the mix")
    if any(v is not None and not 0 <= v <= 100 for v in targets.values()):
        raise ValidationError(_("A share is a percentage between 0 and 100."))
    if sum(v for v in targets.values() if v) > 100:
        raise ValidationError(_("Together the shares come to more than 100%."))
    known = {g.key for g in strategy_choices(organisation).goals}
    for key, share in targets.items():
        if key not in known:
            raise ValidationError(_("That goal is not in the published strategy."))
        if share is None:
            MixTarget.objects.filter(organisation=organisation, goal_key=key).delete()
        else:
            MixTarget.objects.update_or_create(
                organisation=organisation, goal_key=key, defaults={"share": share}
            )


# --- role tasks -------------------------------------------------------------------------


@dataclass
class TaskState:
    task: RoleTask
    last_done: datetime | None
    due_since: datetime | None  # None: done for this period

    @property
    def is_due(self) -> bool:
        return self.due_since is not None


def tasks_for(membership: Membership, now: datetime | None = None) -> list[TaskState]:
    """The member's role tasks with whether each is due: never done, or done longer
    ago than its frequency. Advisors have no role tasks."""
    if membership.role == Role.ADVISOR:
        return []
    now = now or timezone.now()
    tasks = list(
        RoleTask.objects.for_org(membership.organisation).active().for_role(membership.role)
    )
    last: dict[int, datetime] = {}
    for task_id, done_at in TaskCompletion.objects.filter(
        membership=membership, task__in=tasks
    ).values_list("task_id", "done_at"):
        last[task_id] = max(done_at, last.get(task_id, done_at))
    states = []
    for task in tasks:
        done = last.get(task.pk)
        if done is None:
            # Due since the task exists, or since the member joined if that is later.
            due = max(task.created_at, membership.created_at)
        else:
            next_due = _add_months(done, task.frequency)
            due = next_due if next_due <= now else None
        states.append(TaskState(task=task, last_done=done, due_since=due))
    return states


@transaction.atomic
def complete_task(membership: Membership, task: RoleTask, *, note: str = "") -> TaskCompletion:
    if task.organisation_id != membership.organisation_id:
        raise ValidationError(_("This task is not one of your organisation's."))
    if task.role and task.role != membership.role:
        raise ValidationError(_("This task is for another role."))
    note = note.strip()
    if len(note) > TaskCompletion._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Keep the note to 300 characters.")})
    # Serialise the member's completions: a double click records the task once.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    state = next((s for s in tasks_for(membership) if s.task.pk == task.pk), None)
    if state is None:
        # An inactive task, or an advisor (who has no role tasks).
        raise ValidationError(_("This task is not one of yours."))
    if not state.is_due:
        raise ValidationError(_("You already did this task for this period."))
    return TaskCompletion.objects.create(
        organisation=membership.organisation, task=task, membership=membership, note=note
    )


# --- participation (the draagvlak index) ------------------------------------------------


def active_member_ids(organisation, start: datetime, end: datetime) -> set[int]:
    """Membership ids of members who took part in [start, end): submitted an idea or
    did a role task."""
    submitters = (
        ContentItem.objects.for_org(organisation)
        .filter(created_at__gte=start, created_at__lt=end, submitted_by__isnull=False)
        .values_list("submitted_by_id", flat=True)
    )
    by_idea = set(
        Membership.objects.for_org(organisation)
        .filter(user_id__in=submitters)
        .values_list("pk", flat=True)
    )
    by_task = set(
        TaskCompletion.objects.filter(
            organisation=organisation, done_at__gte=start, done_at__lt=end
        ).values_list("membership_id", flat=True)
    )
    return by_idea | by_task


def contributions(organisation, since: datetime) -> dict[int, int]:
    """Ideas submitted plus role tasks done since ``since``, per membership id."""
    counts: dict[int, int] = defaultdict(int)
    user_to_member = dict(Membership.objects.for_org(organisation).values_list("user_id", "pk"))
    for user_id in (
        ContentItem.objects.for_org(organisation)
        .filter(created_at__gte=since, submitted_by__isnull=False)
        .values_list("submitted_by_id", flat=True)
    ):
        if user_id in user_to_member:
            counts[user_to_member[user_id]] += 1
    for membership_id in TaskCompletion.objects.filter(
        organisation=organisation, done_at__gte=since
    ).values_list("membership_id", flat=True):
        counts[membership_id] += 1
    return dict(counts)


def queue_task_reminders(now: datetime | None = None) -> int:
    """One reminder row per member with due role tasks who has not had one in the last
    week; each row is sent by the worker. Idempotent per day."""
    from koers.content.models import TaskReminder
    from koers.content.tasks import REMINDER_INTERVAL_DAYS, send_task_reminder

    now = now or timezone.now()
    today = timezone.localdate(now)
    recent = set(
        TaskReminder.objects.filter(
            day__gt=today - timedelta(days=REMINDER_INTERVAL_DAYS)
        ).values_list("membership_id", flat=True)
    )
    organisations = RoleTask.objects.active().values_list("organisation_id", flat=True).distinct()
    queued = 0
    members = (
        Membership.objects.filter(organisation_id__in=organisations, user__is_active=True)
        .exclude(role=Role.ADVISOR)
        .exclude(pk__in=recent)
        .select_related("organisation", "user")
    )
    for membership in members:
        due = [s.task.title for s in tasks_for(membership, now) if s.is_due]
        if not due:
            continue
        try:
            with transaction.atomic():
                reminder = TaskReminder.objects.create(
                    organisation=membership.organisation,
                    membership=membership,
                    day=today,
                    tasks=due,
                )
        except IntegrityError:
            continue
        # The row is committed already (no transaction around this loop).
        queue(send_task_reminder, reminder.pk)
        queued += 1
    return queued


def awaiting_decision(membership: Membership) -> list[ContentItem]:
    """Items in review whose current approval step this member may decide on (and has
    not decided yet)."""
    if not can(membership, "content.approve"):
        return []
    items = list(ContentItem.objects.for_org(membership.organisation).filter(state=State.IN_REVIEW))
    if not items:
        return []
    statuses = approval_statuses(membership.organisation, items)
    waiting = []
    for item in items:
        status = current_step(statuses[item.pk])
        if (
            status is not None
            and may_approve_step(membership, status)
            and not any(a.by_id == membership.user_id for a in status.approvals)
        ):
            waiting.append(item)
    return waiting


# --- role task management ---------------------------------------------------------------

ROLE_TASK_FIELDS = ("title", "description", "role", "frequency", "is_active")


def _clean_role_task(task: RoleTask) -> None:
    task.title = task.title.strip()
    task.description = task.description.replace("\r\n", "\n").strip()
    if task.role == Role.ADVISOR:
        # Advisors work for the organisation from outside: they have no role tasks.
        raise ValidationError({"role": _("Advisors have no role tasks.")})
    task.full_clean()


@transaction.atomic
def create_role_task(organisation, *, by: Membership, title: str, **values) -> RoleTask:
    """A new recurring task for every member with a role (or every member)."""
    if not can(by, "content.manage_rules"):
        raise workflow.TransitionRefused("not_allowed", "may not manage role tasks")
    unknown = set(values) - set(ROLE_TASK_FIELDS)
    if unknown:
        raise TypeError(f"Not role task fields: {sorted(unknown)}")
    task = RoleTask(organisation=organisation, title=title, **values)
    _clean_role_task(task)
    task.save()
    return task


@transaction.atomic
def update_role_task(task: RoleTask, *, by: Membership, **values) -> RoleTask:
    """Change a role task. Completions stay: a member who did it this period is done,
    also after the title or frequency changed."""
    if not can(by, "content.manage_rules") or task.organisation_id != by.organisation_id:
        raise workflow.TransitionRefused("not_allowed", "may not manage role tasks")
    task = RoleTask.objects.select_for_update().get(pk=task.pk)
    for name, value in values.items():
        if name not in ROLE_TASK_FIELDS:
            raise TypeError(f"Not a role task field: {name}")
        setattr(task, name, value)
    _clean_role_task(task)
    task.save(update_fields=list(ROLE_TASK_FIELDS))
    return task


def due_again(state: TaskState) -> datetime | None:
    """When a task that is done for this period comes back."""
    if state.last_done is None:
        return None
    return _add_months(state.last_done, state.task.frequency)


@dataclass
class TaskRate:
    task: RoleTask
    members: int  # members the task applies to
    done: int  # of them, how many did it for the current period

    @property
    def percent(self) -> int | None:
        return round(self.done / self.members * 100) if self.members else None


def role_task_rates(organisation, now: datetime | None = None) -> list[TaskRate]:
    """Every role task of the organisation with how many members it applies to and how
    many of them did it this period (by the same rule as ``tasks_for``)."""
    from django.db.models import Max

    now = now or timezone.now()
    tasks = list(RoleTask.objects.for_org(organisation))
    by_pk = {task.pk: task for task in tasks}
    roles = dict(
        Membership.objects.for_org(organisation)
        .exclude(role=Role.ADVISOR)
        .filter(user__is_active=True)
        .values_list("pk", "role")
    )
    done: Counter = Counter()
    for task_id, membership_id, last in (
        TaskCompletion.objects.filter(organisation=organisation, membership_id__in=roles)
        .values("task_id", "membership_id")
        .annotate(last=Max("done_at"))
        .values_list("task_id", "membership_id", "last")
    ):
        task = by_pk[task_id]
        if task.role and roles[membership_id] != task.role:
            continue
        if _add_months(last, task.frequency) > now:
            done[task_id] += 1
    return [
        TaskRate(
            task=task,
            members=sum(1 for role in roles.values() if not task.role or role == task.role),
            done=done[task.pk],
        )
        for task in tasks
    ]


# --- approval rules ---------------------------------------------------------------------


def _rules_changed(organisation, *, by: Membership, request, change: str, step) -> None:
    record_event(
        organisation,
        action=Action.APPROVAL_RULES_CHANGED,
        by=by.user,
        request=request,
        target=step.name,
        details={
            "change": change,
            "step": step.pk,
            "approver": step.approver,
            "mode": step.mode,
            "condition": step.condition,
        },
    )


def _ordered_steps(organisation) -> list[ApprovalStep]:
    """The organisation's steps, locked, numbered 1…n in their current order (older
    rows may share a position)."""
    steps = list(ApprovalStep.objects.for_org(organisation).select_for_update())
    steps.sort(key=lambda s: (s.position, s.pk))
    for number, step in enumerate(steps, start=1):
        if step.position != number:
            step.position = number
            step.save(update_fields=["position"])
    return steps


@transaction.atomic
def add_approval_step(
    organisation,
    *,
    by: Membership,
    name: str,
    approver: str,
    mode: str = Mode.ANY,
    condition: str = "always",
    request=None,
) -> ApprovalStep:
    """Add a step at the end of the organisation's approval rule."""
    if not can(by, "content.manage_rules"):
        raise workflow.TransitionRefused("not_allowed", "may not change the approval rules")
    steps = _ordered_steps(organisation)
    step = ApprovalStep(
        organisation=organisation,
        position=len(steps) + 1,
        name=name.strip(),
        approver=approver,
        mode=mode,
        condition=condition,
    )
    step.full_clean()
    step.save()
    _rules_changed(organisation, by=by, request=request, change="added", step=step)
    return step


@transaction.atomic
def delete_approval_step(step: ApprovalStep, *, by: Membership, request=None) -> None:
    """Remove a step. Decisions already given keep the step's name."""
    if not can(by, "content.manage_rules"):
        raise workflow.TransitionRefused("not_allowed", "may not change the approval rules")
    organisation = step.organisation
    _ordered_steps(organisation)
    _rules_changed(organisation, by=by, request=request, change="deleted", step=step)
    step.delete()
    _ordered_steps(organisation)


@transaction.atomic
def move_approval_step(
    step: ApprovalStep, *, by: Membership, direction: str, request=None
) -> ApprovalStep:
    """Swap the step with the one before ("up") or after ("down") it."""
    if not can(by, "content.manage_rules"):
        raise workflow.TransitionRefused("not_allowed", "may not change the approval rules")
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a step up or down.")})
    steps = _ordered_steps(step.organisation)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(steps):
        return steps[index]
    moved, neighbour = steps[index], steps[other]
    moved.position, neighbour.position = neighbour.position, moved.position
    moved.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    _rules_changed(
        step.organisation, by=by, request=request, change=f"moved {direction}", step=moved
    )
    return moved

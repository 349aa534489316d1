"""The content pipeline in the REST API: list and read items, move them through the
workflow and give an approver's decision. Every endpoint works inside the token's
organisation and acts as the member who created the token.

The paths are complete here (the router is mounted without a prefix), so the tenancy
walker sees them as they are called.
"""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from koers.api.auth import capability
from koers.content import actions
from koers.content.models import ContentItem, State
from koers.content.workflow import TransitionRefused
from koers.orgs import access

router = Router(tags=["content"])

# Refusals about who is asking, rather than about the item: 403, not 409.
FORBIDDEN = {"not_allowed", "not_your_step"}


class ErrorOut(Schema):
    detail: str


class RefusalOut(Schema):
    code: str
    detail: str


class ItemOut(Schema):
    id: int
    title: str
    state: str
    goal_key: UUID | None
    credit: str
    scheduled_at: datetime | None
    channels: list[str]
    revision: int


class VariantOut(Schema):
    channel: str
    text: str
    is_blocked: bool
    warning_count: int
    is_over_limit: bool


class ApprovalOut(Schema):
    by: str
    at: datetime
    comment: str


class StepOut(Schema):
    name: str
    approver: str
    mode: str
    needed: int
    complete: bool
    approvals: list[ApprovalOut]


class ApprovalStatusOut(Schema):
    complete: bool
    current_step: str | None
    steps: list[StepOut]


class ItemDetailOut(ItemOut):
    idea: str
    link: str
    is_paid: bool
    has_product_claim: bool
    variants: list[VariantOut]
    approval: ApprovalStatusOut


class ItemFilter(Schema):
    state: str | None = None
    limit: int = 100
    offset: int = 0


class TransitionIn(Schema):
    to: str
    note: str = ""


class DecisionIn(Schema):
    decision: str
    comment: str = ""


def _item(item: ContentItem, variants=None) -> dict:
    variants = list(item.variants.all()) if variants is None else variants
    return {
        "id": item.pk,
        "title": item.title,
        "state": item.state,
        "goal_key": item.goal_key,
        "credit": item.credit,
        "scheduled_at": item.scheduled_at,
        "channels": [v.channel for v in variants],
        "revision": item.revision,
    }


def _detail(item: ContentItem) -> dict:
    variants = list(item.variants.all())
    statuses = actions.approval_status(item)
    current = actions.current_step(statuses)
    return {
        **_item(item, variants),
        "idea": item.idea,
        "link": item.link,
        "is_paid": item.is_paid,
        "has_product_claim": item.has_product_claim,
        "variants": [
            {
                "channel": v.channel,
                "text": v.text,
                "is_blocked": v.is_blocked,
                "warning_count": v.warning_count,
                "is_over_limit": v.is_over_limit,
            }
            for v in variants
        ],
        "approval": {
            "complete": current is None,
            "current_step": current.name if current else None,
            "steps": [
                {
                    "name": s.name,
                    "approver": s.approver,
                    "mode": s.mode,
                    "needed": s.needed,
                    "complete": s.complete,
                    "approvals": [
                        {
                            "by": (a.by.name or a.by.email) if a.by else a.reviewer_name,
                            "at": a.at,
                            "comment": a.comment,
                        }
                        for a in s.approvals
                    ],
                }
                for s in statuses
            ],
        },
    }


def _refused(refused: TransitionRefused):
    status = 403 if refused.code in FORBIDDEN else 409
    return Status(status, {"code": refused.code, "detail": actions.refusal_message(refused)})


def _invalid(error: ValidationError):
    return Status(422, {"detail": " ".join(error.messages)})


@router.get("/v1/content/items", response=list[ItemOut])
@capability("content.view")
def list_items(request, filters: Query[ItemFilter]):
    """The organisation's items, newest first; ``state`` filters (idea, draft,
    in_review, approved, scheduled, published, measured, rejected, archived)."""
    if filters.state and filters.state not in State.values:
        raise HttpError(422, f"Unknown state: {filters.state}.")
    if not 1 <= filters.limit <= 500 or filters.offset < 0:
        raise HttpError(422, "limit is 1 to 500, offset 0 or more.")
    items = (
        ContentItem.objects.for_org(request.org)
        .select_related("submitted_by")
        .prefetch_related("variants")
    )
    if filters.state:
        items = items.filter(state=filters.state)
    return [_item(item) for item in items[filters.offset : filters.offset + filters.limit]]


@router.get("/v1/content/items/{item_id}", response=ItemDetailOut)
@capability("content.view")
def get_item(request, item_id: int):
    """One item with its channel texts and where it stands in the approval steps."""
    return _detail(access.get_content_item(request, item_id))


@router.post(
    "/v1/content/items/{item_id}/transition",
    response={200: ItemDetailOut, 403: RefusalOut, 409: RefusalOut, 422: ErrorOut},
)
@capability("content.view")
def transition_item(request, item_id: int, payload: TransitionIn):
    """Move the item to another state, as the web app's buttons do. Whether the role
    may make the step is checked by the workflow (403 ``not_allowed``); a refusal about
    the item itself (blocked by a guideline, approvals missing…) is 409 with its code."""
    item = access.get_content_item(request, item_id)
    try:
        item = actions.transition_item(
            item, payload.to, by=request.membership, note=payload.note, request=request
        )
    except TransitionRefused as refused:
        return _refused(refused)
    except ValidationError as error:
        return _invalid(error)
    return _detail(item)


@router.post(
    "/v1/content/items/{item_id}/decision",
    response={200: ItemDetailOut, 403: RefusalOut, 409: RefusalOut, 422: ErrorOut},
)
@capability("content.approve")
def decide(request, item_id: int, payload: DecisionIn):
    """Approve or reject the item's current approval step (a rejection needs a
    comment). 403 ``not_your_step`` when the step is for another role."""
    item = access.get_content_item(request, item_id)
    if payload.decision not in ("approve", "reject"):
        return Status(422, {"detail": "decision is approve or reject."})
    try:
        item = actions.decide(
            item,
            by=request.membership,
            decision=payload.decision,
            comment=payload.comment,
            request=request,
        )
    except TransitionRefused as refused:
        return _refused(refused)
    except ValidationError as error:
        return _invalid(error)
    return _detail(item)

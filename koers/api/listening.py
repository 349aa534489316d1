"""The listening push API: a system of the organisation's own (a CRM, a scraper, a
monitoring tool) sends mentions in batches of up to 1,000.

Idempotent by (source, external id): sending a batch again stores nothing twice. The
source is a Source of kind "push" with the given name in the token's organisation,
made on first use. Items are checked one by one: by default a batch with a bad item is
refused whole (422, every bad item with its index and reason); with ``accept_valid``
the valid items are stored and the bad ones listed.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from ninja import Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from koers.api.auth import capability
from koers.audit.actions import record_event
from koers.audit.models import Action
from koers.listening.ingest import ingest
from koers.listening.models import Source, SourceKind
from koers.platforms.base import RawMention

router = Router(tags=["listening"])

MAX_BATCH = 1000


class MentionIn(BaseModel):
    """One mention as a client sends it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_id: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=20_000)
    published_at: datetime
    url: str = Field(default="", max_length=1000)
    author: str = Field(default="", max_length=300)
    author_name: str = Field(default="", max_length=300)
    author_reach: int = Field(default=0, ge=0)
    title: str = Field(default="", max_length=500)
    language: str = Field(default="", max_length=8)
    country: str = Field(default="", max_length=2)

    @field_validator("published_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-03-01T10:00:00+01:00 or …Z")
        return value

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValueError("use a full address starting with https://")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if value and not (len(value) == 2 and value.isalpha() and value.isascii()):
            raise ValueError("use a two-letter country code such as NL")
        return value.upper()


class PushIn(Schema):
    source: str = Field(min_length=1, max_length=200)
    # Checked item by item below, so that a bad item is reported with its index.
    mentions: list[Any]
    accept_valid: bool = False


class RejectedOut(Schema):
    index: int
    field: str
    reason: str


class PushOut(Schema):
    created: int
    duplicates: int
    rejected: list[RejectedOut]


class PushRefusedOut(Schema):
    detail: str
    rejected: list[RejectedOut]


def _check(index: int, item) -> tuple[MentionIn | None, list[dict]]:
    if not isinstance(item, dict):
        return None, [{"index": index, "field": "", "reason": "each mention is a JSON object"}]
    try:
        return MentionIn.model_validate(item), []
    except ValidationError as error:
        return None, [
            {
                "index": index,
                "field": ".".join(str(part) for part in problem["loc"]) or "",
                "reason": problem["msg"].removeprefix("Value error, "),
            }
            for problem in error.errors(include_url=False, include_input=False)
        ]


def _raw(item: MentionIn) -> RawMention:
    return RawMention(
        external_id=item.external_id,
        text=item.text,
        published_at=item.published_at,
        url=item.url,
        author=item.author,
        author_name=item.author_name,
        author_reach=item.author_reach,
        title=item.title,
        country=item.country,
        language=item.language,
    )


def push_source(organisation, name: str, *, request=None) -> Source:
    """The organisation's push source of that name, made on first use (and then put in
    the audit log with the token that made it)."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update()
            .filter(organisation=organisation, kind=SourceKind.PUSH, name=name)
            .first()
        )
        if source is not None:
            return source
        source = Source.objects.create(organisation=organisation, kind=SourceKind.PUSH, name=name)
        token = getattr(request, "api_token", None)
        membership = getattr(request, "membership", None)
        record_event(
            organisation,
            action=Action.LISTENING_SOURCE_SAVED,
            by=getattr(membership, "user", None),
            request=request,
            target=name,
            details={
                "source": source.pk,
                "kind": SourceKind.PUSH,
                "via": f"API token {token.name} ({token.prefix}…)" if token else "API",
            },
        )
        return source


@router.post(
    "/v1/listening/mentions",
    response={200: PushOut, 413: PushRefusedOut, 422: PushRefusedOut},
)
@capability("listening.manage")
def push_mentions(request, payload: PushIn):
    """Store a batch of up to 1,000 mentions under the push source ``source``.
    Answers ``{created, duplicates, rejected}``; ``rejected`` lists ``{index, field,
    reason}`` per bad item. A bad item refuses the whole batch (422) unless
    ``accept_valid`` is true."""
    if len(payload.mentions) > MAX_BATCH:
        return Status(
            413,
            {
                "detail": f"A batch holds at most {MAX_BATCH} mentions; this one has "
                f"{len(payload.mentions)}. Send it in smaller batches.",
                "rejected": [],
            },
        )
    valid: list[MentionIn] = []
    rejected: list[dict] = []
    for index, item in enumerate(payload.mentions):
        checked, problems = _check(index, item)
        if checked is None:
            rejected.extend(problems)
        else:
            valid.append(checked)
    if rejected and not payload.accept_valid:
        return Status(
            422,
            {
                "detail": f"{len({r['index'] for r in rejected})} of {len(payload.mentions)} "
                "mentions are invalid; nothing was stored. Fix them, or send "
                '"accept_valid": true to store the valid ones.',
                "rejected": rejected,
            },
        )
    name = payload.source.strip()
    if not name:
        return Status(
            422,
            {
                "detail": "source is the name of the push source.",
                "rejected": [],
            },
        )
    source = push_source(request.org, name, request=request)
    result = ingest(source, (_raw(item) for item in valid))
    return {"created": result.created, "duplicates": result.duplicates, "rejected": rejected}

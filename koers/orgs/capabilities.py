"""Roles and what each may do: one table, one function.

A view, API endpoint or action asks ``can(membership, "members.manage")``; it never
compares role names itself. Adding a capability means adding one row here (and the
tenancy walker then checks every URL that declares it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    STRATEGIST = "strategist", _("Strategist")
    EDITOR = "editor", _("Editor")
    WEBCARE = "webcare", _("Webcare agent")
    EMPLOYEE = "employee", _("Employee")
    ADVISOR = "advisor", _("Advisor")


ALL = frozenset(Role)

# Capability → the roles that have it. Keep the keys sorted by area.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    # Every member sees the organisation's own pages (strategy page, empty areas…).
    "org.view": ALL,
    "org.settings": frozenset({Role.OWNER}),
    "members.view": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.ADVISOR}),
    "members.manage": frozenset({Role.OWNER, Role.MANAGER}),
    # Only an owner may make someone an owner or change an owner's role.
    "members.manage_owners": frozenset({Role.OWNER}),
    "departments.manage": frozenset({Role.OWNER, Role.MANAGER}),
    "audit.view": frozenset({Role.OWNER}),
    "api_tokens.manage": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST}),
    # Product areas (used by later issues; declared here so the table stays the one
    # place to read who may do what).
    "strategy.edit": frozenset({Role.OWNER, Role.STRATEGIST}),
    # Management stands behind the published strategy.
    "strategy.sign_off": frozenset({Role.OWNER, Role.MANAGER}),
    "support.manage": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST}),
    # Draagvlak results (only ever for groups large enough to stay anonymous).
    "support.view": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.ADVISOR}),
    "content.submit_idea": ALL - {Role.ADVISOR},
    "guidelines.manage": frozenset({Role.OWNER, Role.STRATEGIST}),
    "content.edit": frozenset({Role.OWNER, Role.STRATEGIST, Role.EDITOR}),
    "content.approve": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR}),
    # Approval rules and role tasks: how the organisation runs its pipeline.
    "content.manage_rules": frozenset({Role.OWNER, Role.STRATEGIST}),
    # The calendar, the pipeline overview and the mix per goal.
    "content.view": frozenset(
        {Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR, Role.ADVISOR}
    ),
    "publishing.manage": frozenset({Role.OWNER, Role.STRATEGIST, Role.EDITOR}),
    "listening.manage": frozenset({Role.OWNER, Role.STRATEGIST}),
    # Reading mentions; correcting their sentiment or category (it teaches the classifier).
    "listening.view": frozenset(
        {Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE, Role.ADVISOR}
    ),
    "listening.correct": frozenset({Role.OWNER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE}),
    # Alert rules and channels; seeing alerts; acknowledging, assigning and opening an
    # incident from one.
    "alerts.manage": frozenset({Role.OWNER, Role.STRATEGIST}),
    "alerts.view": frozenset(
        {Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE, Role.ADVISOR}
    ),
    "alerts.respond": frozenset(
        {Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.EDITOR, Role.WEBCARE}
    ),
    "webcare.reply": frozenset({Role.OWNER, Role.STRATEGIST, Role.WEBCARE}),
    "analytics.view": frozenset({Role.OWNER, Role.MANAGER, Role.STRATEGIST, Role.ADVISOR}),
}

CAPABILITIES = frozenset(ROLE_CAPABILITIES)


def can(membership, capability: str) -> bool:
    """Whether the membership's role grants the capability. Unknown names are a bug."""
    if capability not in ROLE_CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}; add it to ROLE_CAPABILITIES.")
    if membership is None:
        return False
    return membership.role in ROLE_CAPABILITIES[capability]


def roles_without(capability: str) -> list[str]:
    """Roles that lack the capability, in declaration order (used by the walker)."""
    return [role for role in Role if role not in ROLE_CAPABILITIES[capability]]


def assignable_roles(membership) -> list[tuple[str, str]]:
    """The role choices this member may hand out when inviting or changing roles."""
    if can(membership, "members.manage_owners"):
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.OWNER]

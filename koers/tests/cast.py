"""The shared cast: organisation A with one member of every role, and organisation B
whose owner is the outsider. Builders make single objects with overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from koers.accounts.models import User
from koers.api.models import ApiToken
from koers.orgs.capabilities import Role
from koers.orgs.models import Department, Invitation, Membership, Organisation

PASSWORD = "correct horse battery staple"


def make_user(email: str, **overrides) -> User:
    return User.objects.create_user(email, PASSWORD, **overrides)


def make_org(name: str = "Organisatie A", **overrides) -> Organisation:
    slug = overrides.pop("slug", name.lower().replace(" ", "-"))
    return Organisation.objects.create(name=name, slug=slug, **overrides)


def make_department(org: Organisation, name: str = "Verkoop") -> Department:
    return Department.objects.create(organisation=org, name=name)


def make_member(org: Organisation, role: str, email: str | None = None, **overrides):
    user = overrides.pop("user", None) or make_user(email or f"{role}@{org.slug}.example")
    return Membership.objects.create(user=user, organisation=org, role=role, **overrides)


def make_invitation(org: Organisation, email: str = "nieuw@example.nl", **overrides):
    values = {"role": Role.EMPLOYEE, "expires_at": timezone.now() + timedelta(days=7)}
    values.update(overrides)
    return Invitation.objects.create(organisation=org, email=email, **values)


def make_token(membership: Membership, name: str = "BI") -> tuple[ApiToken, str]:
    token, prefix, digest = ApiToken.generate()
    row = ApiToken.objects.create(
        organisation=membership.organisation,
        created_by=membership.user,
        name=name,
        prefix=prefix,
        token_hash=digest,
    )
    return row, token


@dataclass
class OrgCast:
    org: Organisation
    department: Department
    members: dict[str, Membership] = field(default_factory=dict)
    invitation: Invitation | None = None

    def __getitem__(self, role: str) -> Membership:
        return self.members[role]


@dataclass
class Cast:
    a: OrgCast
    b: OrgCast

    @property
    def outsider(self) -> Membership:
        """Owner of organisation B: sees everything of B, nothing of A."""
        return self.b[Role.OWNER]


def build_org_cast(name: str, slug: str) -> OrgCast:
    org = make_org(name, slug=slug)
    department = make_department(org, "Verkoop")
    cast = OrgCast(org=org, department=department)
    for role in Role:
        cast.members[role] = make_member(
            org, role, department=department, email=f"{role}@{slug}.example"
        )
    cast.invitation = make_invitation(org, email=f"invited@{slug}.example", department=department)
    return cast


@pytest.fixture
def cast(db) -> Cast:
    return Cast(
        a=build_org_cast("Organisatie A", "org-a"), b=build_org_cast("Organisatie B", "org-b")
    )


@pytest.fixture
def owner_client(client, cast):
    client.force_login(cast.a[Role.OWNER].user)
    return client

"""The demo organisation is realistic, complete and the same every time."""

import pytest

from koers.orgs import demo
from koers.orgs.capabilities import Role
from koers.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        Membership.objects.filter(organisation__slug=demo.DEMO_SLUG).values_list(
            "user__email", "user__name", "role", "department__name"
        )
    )


def test_demo_has_forty_people_in_five_departments_with_every_role():
    org = demo.refresh_demo()
    members = Membership.objects.filter(organisation=org)
    assert members.count() == 40
    assert org.departments.count() == 5
    assert set(members.values_list("role", flat=True)) == set(Role)
    assert all(m.department_id for m in members if m.role != Role.ADVISOR)
    advisor = members.get(role=Role.ADVISOR).user
    assert advisor.memberships.count() == 2, "the advisor switches between two clients"


def test_demo_is_deterministic_and_refresh_replaces_it():
    demo.refresh_demo()
    first = _snapshot()
    demo.refresh_demo()
    assert _snapshot() == first
    assert Organisation.objects.filter(slug=demo.DEMO_SLUG).count() == 1
    assert demo.ensure_demo() is False


def test_demo_logins_work():
    demo.refresh_demo()
    from django.contrib.auth import authenticate

    for _role, email in demo.demo_logins():
        assert authenticate(email=email, password=demo.DEMO_PASSWORD), email

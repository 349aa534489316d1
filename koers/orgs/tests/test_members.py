"""Members, roles, departments and settings: the rules that protect an organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.orgs import actions
from koers.orgs.capabilities import ROLE_CAPABILITIES, Role, can
from koers.orgs.models import Department, Membership, Organisation
from koers.tests.cast import make_member

pytestmark = pytest.mark.django_db


def test_every_role_and_capability_is_in_the_one_table():
    assert {role for roles in ROLE_CAPABILITIES.values() for role in roles} == set(Role)
    assert ROLE_CAPABILITIES["audit.view"] == {Role.OWNER}
    with pytest.raises(KeyError):
        can(None, "no.such.capability")


def test_the_last_owner_cannot_demote_themselves(owner_client, cast):
    owner = cast.a[Role.OWNER]
    response = owner_client.post(
        reverse("orgs:member_edit", args=[cast.a.org.slug, owner.pk]), {"role": "manager"}
    )
    assert response.status_code == 400
    assert "is the only owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == Role.OWNER
    assert not AuditEvent.objects.filter(action=Action.ROLE_CHANGED).exists()


def test_the_last_owner_cannot_remove_themselves(owner_client, cast):
    owner = cast.a[Role.OWNER]
    response = owner_client.post(
        reverse("orgs:member_remove", args=[cast.a.org.slug, owner.pk]), follow=True
    )
    assert "is the only owner and cannot be removed" in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_with_a_second_owner_the_first_may_step_down(cast):
    owner = cast.a[Role.OWNER]
    actions.change_membership(cast.a[Role.MANAGER], role=Role.OWNER, by=owner.user)
    actions.change_membership(owner, role=Role.EMPLOYEE, by=owner.user)
    assert Membership.objects.for_org(cast.a.org).owners().count() == 1
    event = AuditEvent.objects.filter(action=Action.ROLE_CHANGED).first()
    assert event.details["before"]["role"] == "owner"
    assert event.details["after"]["role"] == "employee"


def test_removing_the_last_owner_is_refused_by_the_action_too(cast):
    with pytest.raises(ValidationError, match="only owner"):
        actions.remove_member(cast.a[Role.OWNER], by=cast.a[Role.OWNER].user)


def test_a_manager_may_not_touch_an_owner(client, cast):
    client.force_login(cast.a[Role.MANAGER].user)
    owner = cast.a[Role.OWNER]
    url = reverse("orgs:member_edit", args=[cast.a.org.slug, owner.pk])
    assert client.post(url, {"role": "employee"}).status_code == 403
    remove = reverse("orgs:member_remove", args=[cast.a.org.slug, owner.pk])
    assert client.post(remove).status_code == 403
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_a_manager_changes_an_employee_and_it_is_logged(client, cast):
    client.force_login(cast.a[Role.MANAGER].user)
    employee = cast.a[Role.EMPLOYEE]
    other = Department.objects.create(organisation=cast.a.org, name="Werkplaats")
    response = client.post(
        reverse("orgs:member_edit", args=[cast.a.org.slug, employee.pk]),
        {"role": "editor", "department": other.pk},
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.role, employee.department) == ("editor", other)
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.actor == cast.a[Role.MANAGER].user and event.target == employee.user.email


def test_removing_a_member_removes_their_api_tokens(owner_client, cast):
    from koers.api.models import ApiToken
    from koers.tests.cast import make_token

    make_token(cast.a[Role.STRATEGIST])
    strategist = cast.a[Role.STRATEGIST]
    owner_client.post(reverse("orgs:member_remove", args=[cast.a.org.slug, strategist.pk]))
    assert not Membership.objects.filter(pk=strategist.pk).exists()
    assert not ApiToken.objects.filter(created_by=strategist.user, organisation=cast.a.org).exists()
    assert AuditEvent.objects.filter(
        action=Action.MEMBER_REMOVED, target=strategist.user.email
    ).exists()


def test_departments_are_unique_per_organisation(cast):
    owner = cast.a[Role.OWNER].user
    with pytest.raises(ValidationError, match="already a department called"):
        actions.create_department(cast.a.org, name=" verkoop ", by=owner)
    # The same name in another organisation is fine.
    actions.create_department(cast.b.org, name="Inkoop", by=owner)
    actions.create_department(cast.a.org, name="Inkoop", by=owner)


def test_deleting_a_department_keeps_its_members(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:department_delete", args=[cast.a.org.slug, cast.a.department.pk])
    )
    assert response.status_code == 302
    employee = cast.a[Role.EMPLOYEE]
    employee.refresh_from_db()
    assert employee.department is None


def test_an_empty_department_name_is_refused_on_the_page(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:department_create", args=[cast.a.org.slug]), {"name": "   "}
    )
    assert response.status_code == 400
    assert Department.objects.filter(organisation=cast.a.org).count() == 1


def test_settings_change_is_saved_and_logged(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:settings", args=[cast.a.org.slug]),
        {
            "name": "Organisatie A B.V.",
            "default_language": "en",
            "time_zone": "Europe/London",
            "monitored_languages": ["nl", "en"],
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=cast.a.org.pk)
    assert (org.name, org.default_language, org.time_zone) == (
        "Organisatie A B.V.",
        "en",
        "Europe/London",
    )
    event = AuditEvent.objects.get(action=Action.SETTINGS_CHANGED)
    assert event.details["time_zone"] == {"before": "Europe/Amsterdam", "after": "Europe/London"}


def test_an_unknown_time_zone_is_refused_and_nothing_saved(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:settings", args=[cast.a.org.slug]),
        {
            "name": "Nieuw",
            "default_language": "nl",
            "time_zone": "Europe/Zwolle",
            "monitored_languages": ["nl", "en"],
        },
    )
    assert response.status_code == 400
    assert "is not a known time zone" in response.content.decode()
    assert Organisation.objects.get(pk=cast.a.org.pk).name == "Organisatie A"


def test_members_page_lists_people_with_a_bounded_number_of_queries(
    owner_client, cast, django_assert_max_num_queries
):
    for n in range(30):
        make_member(
            cast.a.org, Role.EMPLOYEE, email=f"extra{n}@example.nl", department=cast.a.department
        )
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("orgs:members", args=[cast.a.org.slug]))
    assert response.status_code == 200
    assert "extra29@example.nl" in response.content.decode()


def test_owners_must_set_up_two_factor_when_the_organisation_requires_it(owner_client, cast):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    Organisation.objects.filter(pk=cast.a.org.pk).update(require_two_factor_for_owners=True)
    dashboard = reverse("home:dashboard", args=[cast.a.org.slug])
    response = owner_client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    TOTP.activate(cast.a[Role.OWNER].user, generate_totp_secret())
    assert owner_client.get(dashboard).status_code == 200


def test_other_roles_are_not_asked_for_two_factor(client, cast):
    Organisation.objects.filter(pk=cast.a.org.pk).update(require_two_factor_for_owners=True)
    client.force_login(cast.a[Role.EDITOR].user)
    assert client.get(reverse("home:dashboard", args=[cast.a.org.slug])).status_code == 200


def test_inline_role_change_with_htmx(owner_client, cast):
    employee = cast.a[Role.EMPLOYEE]
    url = reverse("orgs:member_edit", args=[cast.a.org.slug, employee.pk])
    row = owner_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert row.startswith(f'<tr id="member-{employee.pk}" class="editing">')
    assert 'hx-post="' + url + '"' in row

    saved = owner_client.post(url, {"role": "editor"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert saved.content.decode().startswith(f'<tr id="member-{employee.pk}">')
    assert "Editor" in saved.content.decode()
    employee.refresh_from_db()
    assert employee.role == Role.EDITOR


def test_inline_refusal_comes_back_in_the_row(owner_client, cast):
    owner = cast.a[Role.OWNER]
    url = reverse("orgs:member_edit", args=[cast.a.org.slug, owner.pk])
    response = owner_client.post(url, {"role": "employee"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "is the only owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.role == Role.OWNER
